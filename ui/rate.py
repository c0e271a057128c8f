"""The per-client question limit shared by the UI and the JSON API."""

from __future__ import annotations

import threading
import time


class RateLimiter:
    """A token bucket per client: `capacity` questions at once, refilled at one per `refill_s` seconds."""

    def __init__(self, capacity: int = 10, refill_s: float = 3.0) -> None:
        self.capacity = capacity
        self.refill_s = refill_s
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> float:
        """0 when the client may ask now, else the seconds to wait."""
        if not self.refill_s:
            return 0.0  # switched off (PARKSTAD_RATE_LIMIT=0)
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.capacity), now))
            tokens = min(self.capacity, tokens + (now - last) / self.refill_s)
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                return (1 - tokens) * self.refill_s
            self._buckets[client] = (tokens - 1, now)
            if len(self._buckets) > 10_000:
                self._buckets.clear()
            return 0.0
