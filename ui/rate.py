"""The per-client question limit shared by the UI and the JSON API."""

from __future__ import annotations

import math
import threading
import time


class RateLimiter:
    """A token bucket per client: `capacity` questions at once, refilled at one per `refill_s` seconds. At most
    `max_clients` buckets are kept; past that, the fullest go first (full ones, oldest first, carry no state), so a
    crowd of new addresses does not give a limited client its burst back."""

    def __init__(self, capacity: int = 10, refill_s: float = 3.0, max_clients: int = 10_000) -> None:
        self.capacity = capacity
        self.refill_s = refill_s
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}  # client: (tokens, when)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def allow(self, client: str, cost: int = 1) -> float:
        """0 when the client may ask now, else the whole seconds to wait (at least 1). A question of `cost` takes
        that many tokens of the bucket (at most its capacity)."""
        if not self.refill_s:
            return 0.0  # switched off (PARKSTAD_RATE_LIMIT=0)
        now = time.monotonic()
        with self._lock:
            tokens = self._tokens(self._buckets.get(client), now)
            need = max(1, min(cost, self.capacity))
            if tokens < need:
                self._buckets[client] = (tokens, now)
                return float(max(1, math.ceil((need - tokens) * self.refill_s)))
            self._buckets[client] = (tokens - need, now)
            if len(self._buckets) > self.max_clients:
                self._evict(now)
            return 0.0

    def _tokens(self, bucket: tuple[float, float] | None, now: float) -> float:
        if bucket is None:
            return float(self.capacity)
        tokens, last = bucket
        return min(self.capacity, tokens + (now - last) / self.refill_s)

    def _evict(self, now: float) -> None:
        """Down to 90 % of `max_clients`: full buckets first, oldest first, then the fullest."""
        ranked = sorted(self._buckets.items(), key=lambda kv: (-self._tokens(kv[1], now), kv[1][1]))
        for client, _ in ranked[: len(self._buckets) - self.max_clients * 9 // 10]:
            del self._buckets[client]
