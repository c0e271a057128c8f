"""The served app under hostile HTTP: body limits before reading, one error shape, non-ASCII logins, throttled
failed logins, lone surrogates without leaking the question into logs, the rate limiter's keys and memory, and
what is open without a login. Every probe goes through a real uvicorn server on loopback; clients bind to
different 127.0.0.x addresses so that each probe is its own client."""

from __future__ import annotations

import json
import logging
import os
import select
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace

import httpx
import pytest

from tests.helpers import free_port, serve_asgi
from ui.rate import RateLimiter

USER, PASSWORD = "staf", "gehéim€"
CREDS = (USER, PASSWORD)
QUESTION = {"question": "Wanneer loopt de deal af?"}


start = serve_asgi


def build_server(assistant, settings):  # noqa: ANN001, ANN201 - app's, imported where a test serves the app
    from app import build_server

    return build_server(assistant, settings)


def client(address: str = "127.0.0.1", **kw) -> httpx.Client:
    """An HTTP client whose requests come from `address` (any 127.x works on loopback)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=kw.pop("timeout", 30), **kw)


def raw(base: str, head: str, chunks: list[bytes] = (), address: str = "127.0.0.1",
        timeout: float = 5) -> tuple[int, dict[str, str], bytes]:
    """Send a request line and headers, then body chunks until the server answers; the status, headers, body."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(address, 0)) as s:
        s.sendall(head.replace("\n", "\r\n").encode("latin-1") + b"\r\n")
        for chunk in chunks:
            if select.select([s], [], [], 0)[0]:
                break
            try:
                s.sendall(chunk)
            except OSError:
                break
        data = b""
        while b"\r\n\r\n" not in data:
            got = s.recv(65536)
            if not got:
                break
            data += got
        top, _, body = data.partition(b"\r\n\r\n")
        lines = top.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            got = s.recv(65536)
            if not got:
                break
            body += got
        return int(lines[0].split()[1]), headers, body


class Lines(logging.Handler):
    """Every log line, tracebacks included."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def logged():
    """Every line logged meanwhile (the root logger at INFO, uvicorn's loggers included)."""
    lines = Lines()
    loggers = [logging.getLogger(), logging.getLogger("uvicorn"), logging.getLogger("uvicorn.error")]
    level = loggers[0].level
    for logger in loggers:
        logger.addHandler(lines)
    loggers[0].setLevel(logging.INFO)
    try:
        yield lines
    finally:
        for logger in loggers:
            logger.removeHandler(lines)
        loggers[0].setLevel(level)


@pytest.fixture(scope="module")
def guarded(ui_assistant, ui_settings):
    """The app with a non-ASCII login and a generous rate limit, as `build_server` makes it."""
    settings = replace(ui_settings, port=free_port(), auth=f"{USER}:{PASSWORD}", rate_limit_per_minute=600)
    server, base = start(build_server(ui_assistant, settings), port=settings.port)
    yield base
    server.should_exit = True


@pytest.fixture(scope="module")
def served(ui_assistant, ui_settings):
    """The app started by `app.serve` itself (its uvicorn options), no login, 10 questions a minute (bursts of 5),
    127.0.0.3 a trusted proxy."""
    import uvicorn

    import app as app_module

    settings = replace(ui_settings, port=free_port(), rate_limit_per_minute=10, trusted_proxies=("127.0.0.3",))
    box: dict[str, object] = {}

    def run(asgi, **options) -> None:
        box["server"], box["base"] = start(asgi, **options)
        box["app"] = asgi

    patch = pytest.MonkeyPatch()
    patch.setattr(uvicorn, "run", run)
    patch.setattr(app_module, "ensure_index", lambda _settings: None)
    patch.setattr(app_module.Assistant, "from_settings", staticmethod(lambda *_a, **_k: ui_assistant))
    try:
        assert app_module.serve(settings) == 0
    finally:
        patch.undo()
    yield box["base"], box["app"]
    box["server"].should_exit = True


# --- 1. body limit, login first -------------------------------------------------------------------------------


def test_login_is_checked_before_the_body_is_read(guarded):
    started = time.perf_counter()
    status, headers, body = raw(guarded, "POST /api/ask HTTP/1.1\nHost: x\nContent-Type: application/json\n"
                                         "Content-Length: 100000000\n", address="127.0.0.20")
    assert status == 401 and time.perf_counter() - started < 2  # answered without waiting for 100 MB
    assert json.loads(body) == {"error": "login required"} and headers["www-authenticate"].startswith("Basic")


def test_oversized_bodies_are_refused_before_reading(guarded, served):
    import base64

    basic = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    for base, auth in ((guarded, f"Authorization: Basic {basic}\n"), (served[0], "")):
        started = time.perf_counter()
        status, _, body = raw(base, f"POST /api/ask HTTP/1.1\nHost: x\n{auth}Content-Type: application/json\n"
                                    "Content-Length: 100000000\n", address="127.0.0.21")
        assert status == 413 and time.perf_counter() - started < 2 and len(body) < 200
        assert set(json.loads(body)) == {"error"}
        chunk = b'{"question": "' + b"x" * 16_000
        chunks = [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * 20
        status, _, body = raw(base, f"POST /api/ask HTTP/1.1\nHost: x\n{auth}Content-Type: application/json\n"
                                    "Transfer-Encoding: chunked\n", chunks, address="127.0.0.21")
        assert status == 413 and len(body) < 200
    # Gradio's routes (login, events) have a limit too, larger than the JSON API's (a chat is sent back whole);
    # with a login set, its events want the login first
    for base, path, expected in ((guarded, "/login", 413), (guarded, "/gradio_api/queue/join", 401),
                                 (served[0], "/gradio_api/queue/join", 413)):
        status, _, _ = raw(base, f"POST {path} HTTP/1.1\nHost: x\nContent-Type: application/json\n"
                                 "Content-Length: 100000000\n", address="127.0.0.22")
        assert status == expected, path
    with client("127.0.0.22") as c:
        r = c.post(f"{served[0]}/gradio_api/queue/join", json={"data": ["x" * 300_000], "fn_index": 0,
                                                               "session_hash": "abc"})
        assert r.status_code != 413  # a long chat still fits


# --- 2. one error shape ----------------------------------------------------------------------------------------


def test_errors_have_one_shape_and_never_echo_input(guarded):
    secret = "Zebraquokka"
    with client(auth=CREDS) as c:
        cases = [
            ({"question": [secret]}, "question"),
            ({"question": 5, "history": []}, "question"),
            ({"history": [secret]}, "question"),
            ({"question": "Wat?", "history": secret}, "history"),
            ({"question": "Wat?", "history": [secret, 7]}, "history[1]"),
            ({"question": secret * 3000}, "question"),
            ({"question": "Wat?", "history": ["Wat is de deal?", "   "]}, "history[-1] is empty"),
            ([secret], "object"),
        ]
        for payload, says in cases:
            r = c.post(f"{guarded}/api/ask", json=payload)
            assert r.status_code == 400, payload
            assert set(r.json()) == {"error"} and says in r.json()["error"], r.json()
            assert secret not in r.text and len(r.content) < 300
        for content in (b"not json " + secret.encode(), b'{"question": "' + secret.encode(), b"\xff\xfe"):
            r = c.post(f"{guarded}/api/ask", content=content, headers={"content-type": "application/json"})
            assert r.status_code == 400 and r.json() == {"error": "invalid JSON"}, r.text
        r = c.post(f"{guarded}/api/ask", json={"question": "   "})
        assert r.status_code == 400 and "empty question" in r.json()["error"]
        r = c.post(f"{guarded}/api/ask", content=json.dumps({"question": [secret * 2000]}).encode(),
                   headers={"content-type": "application/json"})
        assert r.status_code == 400 and len(r.content) < 300  # 60 kB in, a line out


# --- 3. non-ASCII credentials ------------------------------------------------------------------------------------


def test_non_ascii_credentials(guarded):
    with client("127.0.0.30") as c:
        assert c.post(f"{guarded}/api/ask", json=QUESTION, auth=CREDS).status_code == 200
        assert c.post(f"{guarded}/api/ask", json=QUESTION, auth=(USER, "fóut")).status_code == 401
        assert c.post(f"{guarded}/api/ask", json=QUESTION, auth=("ßtaf", PASSWORD)).status_code == 401
    with client("127.0.0.31") as c:
        for value in (b"Basic ###", b"Basic " + __import__("base64").b64encode(b"\xff\xfe:\xc3"), b"Basic \xc3\xa9",
                      b"Basic c3RhZg=="):
            r = c.post(f"{guarded}/api/ask", json=QUESTION, headers={"authorization": value})
            assert r.status_code == 401 and set(r.json()) == {"error"}, value


# --- 4. failed logins are throttled ------------------------------------------------------------------------------


def test_failed_logins_are_throttled(guarded):
    with client("127.0.0.40") as c:
        codes = [c.post(f"{guarded}/api/ask", json=QUESTION, auth=(USER, f"fout{i}")) for i in range(8)]
        assert [r.status_code for r in codes] == [401] * 5 + [429] * 3
        assert all(int(r.headers["retry-after"]) >= 1 for r in codes[5:]) and set(codes[5].json()) == {"error"}
        assert c.post(f"{guarded}/api/ask", json=QUESTION, auth=CREDS).status_code == 429  # still waiting
        time.sleep(int(codes[-1].headers["retry-after"]) + 0.1)
        assert c.post(f"{guarded}/api/ask", json=QUESTION, auth=(USER, "fout")).status_code == 401
        again = c.post(f"{guarded}/api/ask", json=QUESTION, auth=CREDS)
        assert again.status_code == 429 and int(again.headers["retry-after"]) > int(codes[-1].headers["retry-after"])
    with client("127.0.0.41") as c:  # a success resets the count
        codes = [c.post(f"{guarded}/api/ask", json=QUESTION, auth=(USER, "fout")).status_code for _ in range(4)]
        codes.append(c.post(f"{guarded}/api/ask", json=QUESTION, auth=CREDS).status_code)
        codes += [c.post(f"{guarded}/api/ask", json=QUESTION, auth=(USER, "fout")).status_code for _ in range(4)]
        assert codes == [401] * 4 + [200] + [401] * 4
    with client("127.0.0.42") as c:  # Gradio's own login form
        codes = [c.post(f"{guarded}/login", data={"username": USER, "password": f"fout{i}"}) for i in range(7)]
        assert [r.status_code for r in codes[:5]] == [400] * 5
        assert [r.status_code for r in codes[5:]] == [429] * 2 and int(codes[-1].headers["retry-after"]) >= 1
    with client("127.0.0.43") as c:
        r = c.post(f"{guarded}/login", data={"username": USER, "password": PASSWORD})
        assert r.status_code == 200 and c.get(f"{guarded}/config").status_code == 200


# --- 5. a lone surrogate --------------------------------------------------------------------------------------


def test_lone_surrogate_is_cleaned_and_never_logged(guarded, ui_assistant):
    with logged() as lines:
        try:
            with client(auth=CREDS) as c:
                for body in (b'{"question": "\\ud800 Wanneer loopt de Zebraquokka-deal af?"}',
                             b'{"question": "Wanneer loopt de deal af?", "history": ["Zebraquokka \\udfff?"]}',
                             b'{"question": "\\udc00\\ud800 Zebraquokka"}'):
                    r = c.post(f"{guarded}/api/ask", content=body, headers={"content-type": "application/json"})
                    assert r.status_code in (200, 400), r.text
                    r.json()
                    if r.status_code == 200:
                        assert "\ufffd" in r.json()["question"] or "history" in body.decode()

                def failing(question, history=()):
                    raise RuntimeError(f"could not answer {question!r}")

                ui_assistant.ask = failing  # an unexpected failure whose message holds the question
                r = c.post(f"{guarded}/api/ask", json={"question": "Zebraquokka?"})
                assert r.status_code == 500 and r.json() == {"error": "internal error"}
        finally:
            vars(ui_assistant).pop("ask", None)
    assert any("ask failed: RuntimeError" in line for line in lines.lines)
    assert not [line for line in lines.lines if "Zebraquokka" in line]


# --- 6. the rate limiter -----------------------------------------------------------------------------------------


def test_forwarded_for_is_trusted_only_from_trusted_proxies(served):
    base, _ = served
    with client("127.0.0.1") as c:  # not a trusted proxy (any local process): its X-Forwarded-For is ignored
        codes = [c.post(f"{base}/api/ask", json=QUESTION, headers={"x-forwarded-for": f"10.1.0.{i}"}).status_code
                 for i in range(7)]
        assert codes == [200] * 5 + [429] * 2
    with client("127.0.0.3") as c:  # the trusted proxy: each forwarded client has its own limit
        codes = [c.post(f"{base}/api/ask", json=QUESTION, headers={"x-forwarded-for": f"10.2.0.{i}"}).status_code
                 for i in range(7)]
        assert codes == [200] * 7


@pytest.mark.waits
def test_retry_after_is_never_zero(served):
    base, _ = served
    with client("127.0.0.61") as c:
        for _ in range(5):
            assert c.post(f"{base}/api/ask", json=QUESTION).status_code == 200
        last = time.monotonic()
        r = c.post(f"{base}/api/ask", json=QUESTION)
        assert r.status_code == 429 and set(r.json()) == {"error"} and int(r.headers["retry-after"]) >= 5
        time.sleep(max(0.0, last + 5.7 - time.monotonic()))  # 6 s a question: about 0.3 s left
        r = c.post(f"{base}/api/ask", json=QUESTION)
        assert r.status_code == 429 and r.headers["retry-after"] == "1"


def test_many_clients_do_not_reset_the_limit(served):
    base, server = served
    with client("127.0.0.62") as c:
        codes = [c.post(f"{base}/api/ask", json=QUESTION).status_code for _ in range(6)]
        assert codes == [200] * 5 + [429]
        limiter = server.state.limiter
        for i in range(10_050):  # idle clients that come and go
            limiter.allow(f"10.3.{i // 250}.{i % 250}")
        assert c.post(f"{base}/api/ask", json=QUESTION).status_code == 429


def test_limiter_evicts_full_buckets_then_the_oldest():
    limiter = RateLimiter(capacity=2, refill_s=1000, max_clients=100)
    assert limiter.allow("busy") == 0 and limiter.allow("busy") == 0 and limiter.allow("busy") > 0
    for i in range(300):
        limiter.allow(f"c{i}")
    assert limiter.allow("busy") > 0 and len(limiter) <= 100  # the oldest went, not everyone
    assert limiter.allow("c299") == 0 and limiter.allow("c299") > 0


# --- 7. open without login -----------------------------------------------------------------------------------


def test_only_health_is_open_without_login(guarded):
    with client("127.0.0.70") as c:
        r = c.get(f"{guarded}/api/health")
        assert r.status_code == 200 and r.json() == {"ok": True}
        for path in ("/api/docs", "/api/openapi.json", "/gradio_api/info", "/gradio_api/openapi.json", "/config",
                     "/openapi.json"):
            assert c.get(f"{guarded}{path}").status_code == 401, path
        for path in ("/redoc", "/docs/oauth2-redirect", "/docs"):
            assert c.get(f"{guarded}{path}").status_code in (401, 404), path
        page = c.get(f"{guarded}/").text
        assert "auth_required" in page and "/ask" not in page and "question" not in page.lower()
        for path in ("/api/docs", "/api/openapi.json"):
            assert c.get(f"{guarded}{path}", auth=CREDS).status_code == 200, path
        assert c.post(f"{guarded}/login", data={"username": USER, "password": PASSWORD}).status_code == 200
        assert c.get(f"{guarded}/gradio_api/info").status_code == 200
        assert c.get(f"{guarded}/openapi.json").status_code == 200
        assert '"/ask"' in c.get(f"{guarded}/").text  # logged in, the UI's own API page has its schema


def test_health_answers_while_chroma_hangs(guarded, ui_assistant, monkeypatch):
    from parkstad.errors import IndexUnavailableError

    hang = threading.Event()
    real = ui_assistant.index.require

    def hanging(*a, **k):
        hang.wait(20)
        return real(*a, **k)

    monkeypatch.setattr(ui_assistant.index, "require", hanging)
    monkeypatch.setattr(ui_assistant, "_checked", 0.0)
    try:
        started = time.perf_counter()
        r = httpx.get(f"{guarded}/api/health", timeout=5)
        assert r.status_code == 200 and time.perf_counter() - started < 1
    finally:
        hang.set()

    def down(*a, **k):
        raise IndexUnavailableError("chroma at 10.0.0.9:8000 refused the connection")

    ui_assistant.ask = down  # Chroma gone: the search fails
    try:
        with client(auth=CREDS) as c:
            r = c.post(f"{guarded}/api/ask", json=QUESTION)
            assert r.status_code == 503 and r.json() == {"error": "index unavailable"}
            r = c.get(f"{guarded}/api/health")
            assert r.status_code == 503 and r.json() == {"error": "index unavailable"}
            del ui_assistant.ask
            assert c.post(f"{guarded}/api/ask", json=QUESTION).status_code == 200
            assert c.get(f"{guarded}/api/health").json() == {"ok": True}
    finally:
        vars(ui_assistant).pop("ask", None)


# --- and still --------------------------------------------------------------------------------------------------


def test_32_concurrent_clients_get_no_errors(guarded):
    def one(i: int) -> int:
        with client(f"127.0.1.{i + 1}", auth=CREDS) as c:
            return c.post(f"{guarded}/api/ask", json=QUESTION).status_code

    with ThreadPoolExecutor(32) as pool:
        assert list(pool.map(one, range(32))) == [200] * 32


def test_settings_parse_the_new_variables():
    from parkstad.errors import SettingsError
    from parkstad.settings import Settings

    s = Settings.from_env({"PARKSTAD_MAX_BODY_BYTES": "2048", "PARKSTAD_TRUSTED_PROXIES": "10.0.0.1, 10.1.0.0/16"})
    assert s.max_body_bytes == 2048 and s.trusted_proxies == ("10.0.0.1", "10.1.0.0/16")
    assert Settings.from_env({}).max_body_bytes == 65_536 and Settings.from_env({}).trusted_proxies == ()
    with pytest.raises(SettingsError):
        Settings.from_env({"PARKSTAD_TRUSTED_PROXIES": "proxy.local"})


# --- long and odd questions (#23 item 3) -------------------------------------------------------------------------

ODD = ["e\u0301" * 1000, "a\u200b" * 1000, "1. " * 600, "artikel 1 lid 1 onder a " * 80,
       " ".join(f"OCW{i}" for i in range(300))]


@pytest.mark.parametrize("question", ODD, ids=["combining", "zero-width", "1.", "artikel", "names"])
def test_odd_questions_are_refused_by_their_tokens_or_answered_quickly(guarded, question):
    with client(auth=CREDS) as c:
        started = time.perf_counter()
        r = c.post(f"{guarded}/api/ask", json={"question": question})
        assert time.perf_counter() - started < 10  # 4-15 s each before
    assert r.status_code in (200, 400)
    if r.status_code == 400:
        assert "tokens" in r.json()["error"] and "512" in r.json()["error"]
    assert question != ODD[0] or r.status_code == 400


def test_a_long_question_costs_the_rate_limit_by_its_tokens(served):
    base, _ = served
    long = ("Wie is verantwoordelijk voor het thema veiligheid in programmalijn drie, en welke afspraken zijn "
            "gemaakt over de financiering door het Rijk? " * 13)[:1900]
    with client("127.0.3.1") as c:
        assert c.post(f"{base}/api/ask", json={"question": long}).status_code == 200
        r = c.post(f"{base}/api/ask", json=QUESTION)
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1


# --- odd requests to Gradio's routes (#23 item 6.4) ------------------------------------------------------------


@pytest.mark.parametrize("value", ["bytes=1-2-3", "bytes=0-1,3-4", "lines=1-2", "bytes=x"])
def test_an_invalid_range_is_ignored_not_a_500(served, ui_settings, value):
    base, _ = served
    path = next(ui_settings.sources_dir.glob("*.txt")).resolve()
    with logged() as lines, client() as c:
        r = c.get(f"{base}/gradio_api/file={path}", headers={"range": value})
    assert r.status_code == 200 and len(r.content) == path.stat().st_size
    assert not [line for line in lines.lines if "Traceback" in line or "Exception in ASGI" in line]


@pytest.mark.parametrize("index", [99999, -1, "1", True, 2**70])
def test_a_join_for_an_unknown_event_is_a_400(served, index):
    base, _ = served
    with logged() as lines, client() as c:
        r = c.post(f"{base}/gradio_api/queue/join", json={"data": [], "fn_index": index, "session_hash": "abc"})
    assert r.status_code == 400 and r.json() == {"error": "unknown event"}
    assert not [line for line in lines.lines if "Traceback" in line or "Exception in ASGI" in line]


# --- files of the sources (#23 item 6.1) ----------------------------------------------------------------------


def test_only_ingested_types_of_the_sources_are_served_and_never_as_a_page(served, ui_settings, tmp_path):
    base, _ = served
    sources = ui_settings.sources_dir.resolve()
    planted = [sources / "planted.html", sources / "planted.svg", sources / "planted.js"]
    for path in planted:
        path.write_text("<script>alert(document.cookie)</script>", encoding="utf-8")
    try:
        with client() as c:
            for path in planted:
                assert c.get(f"{base}/gradio_api/file={path}").status_code == 404, path.name
            text_file = c.get(f"{base}/gradio_api/file={next(sources.glob('*.txt'))}")
            markdown = c.get(f"{base}/gradio_api/file={sources / 'bijlage-veiligheid.md'}")
            pdf = c.get(f"{base}/gradio_api/file={sources / 'agenda-zuid-limburg.pdf'}")
    finally:
        for path in planted:
            path.unlink()
    for r in (text_file, markdown):
        assert r.status_code == 200 and r.headers["content-security-policy"] == "sandbox"
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["content-type"].startswith("text/plain")
    assert "<script>" in markdown.text  # served as it is, as text
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["x-content-type-options"] == "nosniff"


# --- Gradio's streams (#23 item 5.5) ---------------------------------------------------------------------------


def _open_stream(base: str, path: str, address: str) -> tuple[socket.socket, int]:
    """A GET left open: the socket and the status of its reply."""
    port = int(base.rsplit(":", 1)[1])
    s = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(address, 0))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    head = b""
    while b"\r\n" not in head:
        head += s.recv(1024)
    return s, int(head.split()[1])


def test_open_streams_are_capped_per_client(served):
    base, _ = served
    sockets = []
    try:
        for i in range(32):
            s, status = _open_stream(base, f"/gradio_api/heartbeat/probe{i}", "127.0.4.1")
            sockets.append(s)
            assert status == 200
        s, status = _open_stream(base, "/gradio_api/heartbeat/one-more", "127.0.4.1")
        sockets.append(s)
        assert status == 429
        s, status = _open_stream(base, "/gradio_api/heartbeat/another-client", "127.0.4.2")
        sockets.append(s)
        assert status == 200
    finally:
        for s in sockets:
            s.close()


def test_gradio_s_routes_need_the_login(guarded):
    for path in ("/gradio_api/heartbeat/anything", "/gradio_api/queue/data?session_hash=x",
                 "/gradio_api/queue/status"):
        s, status = _open_stream(guarded, path, "127.0.0.71")  # a held stream before, hence no client.get
        s.close()
        assert status == 401, path
    with client("127.0.0.71") as c:
        assert c.post(f"{guarded}/gradio_api/cancel", json={}).status_code == 401
        assert c.get(f"{guarded}/gradio_api/theme.css").status_code == 200


@pytest.mark.parametrize("where", ["uploads", pytest.param("temp", marks=pytest.mark.machine_wide)])
def test_uploads_are_refused(served, where):
    import tempfile

    from gradio.utils import get_upload_folder

    base, _ = served
    folder = get_upload_folder() if where == "uploads" else tempfile.gettempdir()

    def probes() -> set[str]:  # os.walk passes over folders that other processes remove meanwhile
        return {os.path.join(d, f) for d, _, files in os.walk(folder) for f in files if f.startswith("probe-upload")}

    before = probes()
    with client("127.0.4.3") as c:
        for _ in range(3):
            r = c.post(f"{base}/gradio_api/upload", files={"files": ("probe-upload.txt", b"x" * 1_000_000)})
            assert r.status_code == 404
    assert probes() == before


# --- sessions (#23 item 5.4) -----------------------------------------------------------------------------------


def test_sessions_are_capped_and_expire_when_idle(ui_assistant, ui_settings):
    from starlette.routing import Mount

    from evals.bench_load import ask as ask_through_the_ui

    settings = replace(ui_settings, port=free_port(), rate_limit_per_minute=0, max_sessions=5, session_idle_s=2.0)
    asgi = build_server(ui_assistant, settings)
    holder = next(r.app for r in asgi.routes if isinstance(r, Mount)).state_holder
    server, base = start(asgi, port=settings.port)
    try:
        def session(_: int) -> bool:  # each thread of a fresh pool is a new browser session
            with httpx.Client() as c:
                return ask_through_the_ui(c, base, "Wanneer loopt de deal af?")[1]

        for _ in range(2):
            with ThreadPoolExecutor(5) as pool:
                assert all(pool.map(session, range(5)))
        assert 0 < len(holder.session_data) <= 5
        deadline = time.time() + 10
        while holder.session_data and time.time() < deadline:
            time.sleep(0.2)
        assert not holder.session_data and not holder.time_last_used
    finally:
        server.should_exit = True


# --- the log (#23 item 6.2) -------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [
    ["Zebraquokka?"],  # too few inputs
    ["Wat doet OCW?", [{"role": "user", "content": {"bogus": "Zebraquokka"}, "x": "Zebraquokka"}] * 500, None, "nl"],
], ids=["too few inputs", "invalid chat"])
def test_an_invalid_event_payload_logs_one_line_without_user_text(served, capfd, data):
    from evals.bench_load import _ask_event

    base, _ = served
    fn, trigger = _ask_event(base)
    capfd.readouterr()
    with logged() as lines, client("127.0.4.4") as c:
        c.post(f"{base}/gradio_api/queue/join", json={"data": data, "event_data": None, "fn_index": fn,
                                                      "trigger_id": trigger, "session_hash": "logprobe"})
        with c.stream("GET", f"{base}/gradio_api/queue/data", params={"session_hash": "logprobe"}) as stream:
            for line in stream.iter_lines():
                if '"process_completed"' in line:
                    break
    captured = capfd.readouterr()
    text = captured.out + captured.err + "\n".join(lines.lines)
    assert "Zebraquokka" not in text and "Traceback" not in text
    assert len(text.strip().splitlines()) <= 5


# --- a slow LLM (#23 item 2) ------------------------------------------------------------------------------------


@pytest.fixture
def llm_server(ui_assistant, ui_settings):
    """A factory: the app over the same index, its LLM a scripted OpenAI-compatible server; no rate limit."""
    from assistant.llm import LLMAnswerer
    from assistant.service import Assistant
    from tests.helpers import FakeOpenAI

    fake, servers = FakeOpenAI(), []

    def make(timeout: float, concurrency: int | None = None) -> str:
        llm = LLMAnswerer(fake.url, "m", None, timeout, **({"concurrency": concurrency} if concurrency else {}))
        settings = replace(ui_settings, port=free_port(), rate_limit_per_minute=0)
        server, base = start(build_server(Assistant(ui_assistant.index, ui_assistant.embedder, llm=llm), settings),
                             port=settings.port)
        servers.append(server)
        return base

    yield fake, make
    for server in servers:
        server.should_exit = True
    fake.close()


def _ask_all(base: str, count: int) -> list[int]:
    def one(i: int) -> int:
        with client(f"127.0.2.{i + 1}", timeout=40) as c:
            try:
                return c.post(f"{base}/api/ask", json=QUESTION).status_code
            except httpx.TimeoutException:
                return 0

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


@pytest.mark.waits
def test_45_questions_to_a_dripping_llm_all_answer(llm_server):
    from tests.helpers import Drip

    fake, make = llm_server
    base = make(timeout=5.0)
    fake.script[:] = [(200, Drip(0.5), 0.0)] * 45
    assert _ask_all(base, 45) == [200] * 45  # within 40 s each, where they used to hang


@pytest.mark.waits
def test_health_reports_workers_that_are_all_stuck(llm_server):
    fake, make = llm_server
    base = make(timeout=8.0, concurrency=64)
    fake.script[:] = [(200, "De deal eindigt op 31 december 2030 [1].", 20.0)] * 45
    asked = threading.Thread(target=_ask_all, args=(base, 45), daemon=True)
    asked.start()
    time.sleep(1.5)
    r = httpx.get(f"{base}/api/health", timeout=10)
    assert r.status_code == 503 and r.json() == {"error": "all workers busy"}
    asked.join(40)
    assert httpx.get(f"{base}/api/health", timeout=10).json() == {"ok": True}
