"""What stands in front of the served app (JSON API and Gradio UI alike): the Basic login of the JSON API, checked
before any body is read; a body limit answered with 413 before reading; failed logins throttled per client; the
API schema kept out of the login page; and the uvicorn options that decide whose X-Forwarded-For is believed."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import re
import secrets
import threading
import time
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from fastapi import HTTPException

log = logging.getLogger("parkstad.http")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

OPEN = frozenset({"/api/health"})
_RANGE = re.compile(r"bytes=(?:\d+-\d*|-\d+)")  # one range: Gradio fails on several
LOGIN = frozenset({"/login", "/login/"})
SCHEMAS = frozenset({"/openapi.json", "/gradio_api/openapi.json"})  # Gradio's framework schema: behind the login
GRADIO = "/gradio_api/"
GRADIO_OPEN = frozenset({"/gradio_api/theme.css", "/gradio_api/startup-events", "/gradio_api/user",
                         "/gradio_api/user/", "/gradio_api/token", "/gradio_api/token/", "/gradio_api/app_id",
                         "/gradio_api/app_id/"})  # what the login page asks for
REFUSED = ("/gradio_api/upload", "/upload")  # the app has no upload component: Gradio's upload route is closed
STREAMS = ("/gradio_api/heartbeat/", "/gradio_api/queue/data", "/gradio_api/stream/", "/gradio_api/call/")
_API_INFO = re.compile(rb"(window\.gradio_api_info\s*=\s*)(.*?)(;\s*</script>)", re.S)
SERVED_TYPES = frozenset({".pdf", ".txt", ".md"})  # what ingest reads; other files of the sources are not served
_NO_API_INFO = b'{"named_endpoints": {}, "unnamed_endpoints": {}}'


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a body passes its limit (FastAPI re-raises HTTPExceptions from body parsing)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body too large (limit {limit:,} bytes)")


class LoginThrottle:
    """Failed logins per client: after `free` failures within `window_s`, the client waits `base_s` seconds, twice
    as long after each further failure, at most `cap_s`. A successful login forgets the client."""

    def __init__(self, free: int = 5, base_s: float = 1.0, cap_s: float = 300.0, window_s: float = 900.0,
                 max_clients: int = 10_000) -> None:
        self.free, self.base_s, self.cap_s, self.window_s = free, base_s, cap_s, window_s
        self.max_clients = max_clients
        self._failures: dict[str, tuple[int, float, float]] = {}  # client: (failures, last failure, blocked until)
        self._lock = threading.Lock()

    def wait(self, client: str) -> int:
        """0 when the client may try to log in, else the whole seconds to wait (at least 1)."""
        with self._lock:
            _, _, until = self._failures.get(client, (0, 0.0, 0.0))
        left = until - time.monotonic()
        return max(1, math.ceil(left)) if left > 0 else 0

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            count, last, _ = self._failures.pop(client, (0, now, 0.0))
            count = 1 if now - last > self.window_s else count + 1
            until = now + min(self.cap_s, self.base_s * 2 ** (count - self.free)) if count >= self.free else 0.0
            self._failures[client] = (count, now, until)
            if len(self._failures) > self.max_clients:  # forget the longest quiet first
                for key in list(self._failures)[: len(self._failures) - self.max_clients * 9 // 10]:
                    del self._failures[key]

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def credentials_match(header: str | None, auth: tuple[str, str]) -> bool:
    """Whether an `Authorization: Basic …` header carries `auth`, compared as UTF-8 bytes in constant time; any
    header that does not decode is a mismatch."""
    if not header or not header[:6].lower() == "basic ":
        return False
    try:
        raw = base64.b64decode(header[6:].strip().encode("ascii"), validate=True)
    except (ValueError, binascii.Error, UnicodeEncodeError):
        return False
    user, sep, password = raw.partition(b":")
    user_ok = secrets.compare_digest(user, auth[0].encode("utf-8"))
    password_ok = secrets.compare_digest(password, auth[1].encode("utf-8"))
    return bool(sep) and user_ok and password_ok


def describe_invalid(errors: Any) -> str:
    """A request validation error in words: which field and what is wrong, never the value."""
    first = errors[0] if errors else {}
    kind, ctx = first.get("type", ""), first.get("ctx") or {}
    if kind == "json_invalid":
        return "invalid JSON"
    if kind == "value_error":
        return str(ctx.get("error", "invalid value"))
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first.get("loc", ())[1:]).lstrip(".")
    if not field:
        return "invalid JSON" if isinstance(first.get("input"), bytes) else "the body must be a JSON object"
    limit = ctx.get("max_length")
    what = {"missing": "is required", "string_type": "must be a string", "list_type": "must be a list",
            "string_too_long": f"must be at most {limit:,} characters" if isinstance(limit, int) else "is too long",
            "too_long": f"must have at most {limit} entries"}.get(kind, "is invalid")
    return f"{field} {what}"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


async def _reply(send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"error": message}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware for the whole app. On /api/* (but /api/health) with a login set: a throttled client gets
    429, a request without the right Basic login 401, both before the body is read. Bodies over `max_body`
    (JSON API) or `max_ui_body` (Gradio's routes) get 413 from their Content-Length, or as soon as a chunked body
    passes the limit. Gradio's POST /login is throttled the same way, judged by its reply. The login page (any
    HTML page to a visitor not logged in to the UI) is sent without Gradio's API schema. An invalid Range header
    is ignored; a queue join for an event that does not exist is a 400; uploads are refused (there is no upload
    component); any other failure is logged in one line,
    without a traceback, and answered 500 if nothing was sent yet."""

    def __init__(self, app: ASGIApp, *, auth: tuple[str, str] | None, max_body: int, max_ui_body: int,
                 throttle: LoginThrottle, logged_in: Callable[[Scope], bool] | None = None,
                 known_event: Callable[[int], bool] | None = None, sources: Path | None = None,
                 max_streams: int = 32) -> None:
        self.app = app
        self.auth = auth
        self.max_body = max_body
        self.max_ui_body = max_ui_body
        self.throttle = throttle
        self.logged_in = logged_in or (lambda _scope: True)
        self.known_event = known_event or (lambda _index: True)
        self.sources = sources.resolve() if sources else None
        self.max_streams = max_streams
        self._streams: dict[str, int] = {}  # client: open streaming replies (the event loop's only, no lock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope.get("path", ""), scope.get("method", "GET")
        client = (scope.get("client") or ("local", 0))[0]
        api = path == "/api" or path.startswith("/api/")
        if self.auth and ((api and path not in OPEN) or (method == "POST" and path in LOGIN)):
            wait = self.throttle.wait(client)
            if wait:
                await _reply(send, 429, f"too many failed logins; retry in {wait} s", {"Retry-After": str(wait)})
                return
        if self.auth and api and path not in OPEN:
            header = _header(scope, b"authorization")
            if not credentials_match(header, self.auth):
                if header is not None:
                    self.throttle.failed(client)
                await _reply(send, 401, "login required",
                             {"WWW-Authenticate": 'Basic realm="Parkstad Deal Assistant", charset="UTF-8"'})
                return
            self.throttle.succeeded(client)
        if path.rstrip("/") in REFUSED or path.startswith("/gradio_api/upload_progress"):
            await _reply(send, 404, "not found")
            return
        gradio = path.startswith(GRADIO) and path not in GRADIO_OPEN
        if self.auth and (path in SCHEMAS or gradio) and not self.logged_in(scope) and not credentials_match(
                _header(scope, b"authorization"), self.auth):
            await _reply(send, 401, "login required")
            return
        if method == "GET" and path.startswith(STREAMS):
            if self._streams.get(client, 0) >= self.max_streams:
                await _reply(send, 429, f"too many open streams (limit {self.max_streams})", {"Retry-After": "5"})
                return
            self._streams[client] = self._streams.get(client, 0) + 1
            try:
                await self._checked(scope, receive, send, client, path, method, api)
            finally:
                self._streams[client] -= 1
                if not self._streams[client]:
                    del self._streams[client]
            return
        await self._checked(scope, receive, send, client, path, method, api)

    async def _checked(self, scope: Scope, receive: Receive, send: Send, client: str, path: str, method: str,
                       api: bool) -> None:
        limit = self.max_body if api else self.max_ui_body
        length = _header(scope, b"content-length")
        if length is not None and (not length.strip().isdigit() or int(length) > limit):
            await _reply(send, 413, f"request body too large (limit {limit:,} bytes)")
            return
        if "/file=" in path:
            if not self._servable(path.split("/file=", 1)[1]):
                await _reply(send, 404, "not found")
                return
            send = _sandboxed(send)
        range_ = _header(scope, b"range")
        if range_ is not None and not _RANGE.fullmatch(range_.strip()):  # an invalid Range is ignored (RFC 9110)
            scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", ()) if k.lower() != b"range"]}
        if method == "POST" and path.endswith("/queue/join"):
            receive, problem = await self._read_join(receive, limit)
            if problem:
                await _reply(send, 400, problem)
                return
        if self.auth and method == "POST" and path in LOGIN:
            send = self._judge_login(client, send)
        elif self.auth and method == "GET" and not api and not self.logged_in(scope):
            scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", ()) if k != b"accept-encoding"]}
            send = _without_api_info(send)
        started, seen = False, 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if not started:
                await _reply(send, 413, f"request body too large (limit {limit:,} bytes)")
        except Exception as exc:  # noqa: BLE001 - one line in the log, never a traceback (it may hold user text)
            where = traceback.extract_tb(exc.__traceback__)[-1]
            log.error("%s %s failed: %s at %s:%s", method, path[:80], type(exc).__name__,
                      Path(where.filename).name, where.lineno)
            if not started:
                await _reply(send, 500, "internal error")

    def _servable(self, target: str) -> bool:
        """A file of the sources folder is served only when it is of a type that is ingested."""
        if self.sources is None or "://" in target:
            return True
        try:
            resolved = Path(target).resolve()
        except (OSError, ValueError):
            return False
        return not resolved.is_relative_to(self.sources) or resolved.suffix.lower() in SERVED_TYPES

    async def _read_join(self, receive: Receive, limit: int) -> tuple[Receive, str | None]:
        """A queue join's body read whole (within `limit`), checked for an event that exists, and replayed."""
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return receive, "invalid request"
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
                return receive, f"request body too large (limit {limit:,} bytes)"
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            index = json.loads(body).get("fn_index")
        except (ValueError, AttributeError):
            return receive, "invalid JSON"
        if index is not None and (not isinstance(index, int) or isinstance(index, bool)
                                  or not self.known_event(index)):
            return receive, "unknown event"
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        return replay, None

    def _judge_login(self, client: str, send: Send) -> Send:
        async def judged(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] == 200:
                    self.throttle.succeeded(client)
                elif message["status"] in (400, 401, 403):
                    self.throttle.failed(client)
            await send(message)

        return judged


def _sandboxed(send: Send) -> Send:
    """A file reply that never runs as a page of the app: no type sniffing, and any but a PDF (which the browser's
    viewer shows) in a sandbox without scripts; text and Markdown as plain text."""

    async def sandboxed(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"content-security-policy"]
            kind = dict(headers).get(b"content-type", b"")
            if kind.startswith(b"text/markdown"):
                headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
                headers.append((b"content-type", b"text/plain; charset=utf-8"))
            headers.append((b"x-content-type-options", b"nosniff"))
            if not kind.startswith(b"application/pdf"):
                headers.append((b"content-security-policy", b"sandbox"))
            message = {**message, "headers": headers}
        await send(message)

    return sandboxed


def _without_api_info(send: Send) -> Send:
    """Hold an HTML reply and blank the `window.gradio_api_info` it embeds; other replies pass unchanged."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def filtered(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            kind = dict(message.get("headers", ())).get(b"content-type", b"")
            if not kind.startswith(b"text/html"):
                await send(message)
                return
            start = message
            return
        if start is None or message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = _API_INFO.sub(lambda m: m[1] + _NO_API_INFO + m[3], b"".join(chunks))
        headers = [(k, v) for k, v in start.get("headers", ()) if k.lower() != b"content-length"]
        await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    return filtered


def uvicorn_options(settings: Any) -> dict[str, Any]:
    """Where to listen, and whose X-Forwarded-For to believe: only PARKSTAD_TRUSTED_PROXIES' (uvicorn would
    otherwise believe any process on 127.0.0.1), so that the rate limit counts the socket peer otherwise."""
    trusted = tuple(settings.trusted_proxies)
    options: dict[str, Any] = {"host": settings.host, "port": settings.port, "log_level": "warning",
                               "proxy_headers": bool(trusted)}
    if trusted:
        options["forwarded_allow_ips"] = ",".join(trusted)
    return options
