"""`fetch-references` against a real HTTP server on loopback: PDFs, pages, 404, redirect, slow, too big,
wrong type, a flaky server; the manifest records each, and a second run skips what is unchanged."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ingest.fetch import ReferenceFetcher
from tests.helpers import write_pdf

PAGE = b"""<html><head><title>Educatieve Agenda Parkstad</title></head><body><nav>Home | Contact | Zoeken</nav>
<main><h1>Educatieve Agenda Parkstad</h1><h2>Doelen</h2><p>De Educatieve Agenda Parkstad verbindt scholen,
gemeenten en kindpartners rond kansengelijkheid en een rijke schooldag voor ieder kind in de regio.</p>
<h2>Actielijnen</h2><p>Er zijn vijf actielijnen, van taalontwikkeling tot loopbaanorientatie, met jaarlijkse
monitoring via de Parkstad Monitor Onderwijs en Kindontwikkeling.</p></main><footer>cookies</footer></body></html>"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pdf = write_pdf(tmp_path_factory.mktemp("srv") / "a.pdf", [["Agenda Zuid-Limburg", "Arbeidsmarkt"]]).read_bytes()
    calls: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server API
            calls[self.path] = calls.get(self.path, 0) + 1
            if self.path == "/agenda.pdf":
                if self.headers.get("If-None-Match") == '"v1"':
                    return self._send(304, b"", "application/pdf")
                return self._send(200, pdf, "application/pdf", {"ETag": '"v1"'})
            if self.path == "/page":
                return self._send(200, PAGE, "text/html; charset=utf-8")
            if self.path == "/redirect":
                return self._send(302, b"", "text/plain", {"Location": "/agenda.pdf"})
            if self.path == "/slow":
                time.sleep(1.5)
                return self._send(200, pdf, "application/pdf")
            if self.path == "/big.pdf":
                return self._send(200, b"%PDF-1.7\n" + b"0" * 300_000, "application/pdf")
            if self.path == "/zip":
                return self._send(200, b"PK\x03\x04", "application/zip")
            if self.path == "/fake.pdf":
                return self._send(200, b"<html>not a pdf</html>", "application/pdf")
            if self.path == "/flaky.pdf":
                if calls[self.path] == 1:
                    return self._send(503, b"busy", "text/plain")
                return self._send(200, pdf, "application/pdf")
            return self._send(404, b"not found", "text/plain")

        def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", calls
    srv.shutdown()


def test_fetch_records_every_outcome(server, tmp_path):
    base, calls = server
    links = [(2, f"{base}/agenda.pdf"), (26, f"{base}/page"), (3, f"{base}/missing"), (6, f"{base}/redirect"),
             (7, f"{base}/slow"), (8, f"{base}/big.pdf"), (9, f"{base}/zip"), (10, f"{base}/fake.pdf"),
             (11, f"{base}/flaky.pdf"), (29, "file://10.230.71.2/Redirection$/x.pdf")]
    fetcher = ReferenceFetcher(tmp_path / "references", timeout=0.5, max_bytes=100_000, retries=2, backoff=0.05)
    entries = {e.footnote: e for e in fetcher.run(links)}
    assert entries[2].status == "fetched" and entries[2].path.endswith("voetnoot-02-agenda.pdf")
    assert entries[2].sha256 and entries[2].content_type == "application/pdf" and entries[2].bytes > 500
    page = entries[26]
    assert page.status == "fetched" and page.path.endswith(".md")
    text = open(page.path, encoding="utf-8").read()
    assert text.startswith("# Educatieve Agenda Parkstad") and "## Actielijnen" in text and "cookies" not in text
    assert entries[3].status == "failed" and entries[3].reason == "HTTP 404"
    assert entries[6].status == "fetched" and entries[6].final_url.endswith("/agenda.pdf")
    assert entries[7].status == "failed" and "timeout" in entries[7].reason
    assert entries[8].status == "failed" and "too large" in entries[8].reason
    assert entries[9].status == "failed" and "application/zip" in entries[9].reason
    assert entries[10].status == "failed" and "not a PDF" in entries[10].reason
    assert entries[11].status == "fetched" and calls["/flaky.pdf"] == 2  # retried after the 503
    assert entries[29].status == "skipped"
    manifest = json.loads((tmp_path / "references" / "manifest.json").read_text(encoding="utf-8"))
    assert {"footnote", "url", "final_url", "status", "content_type", "bytes", "sha256", "fetched_at"} <= set(
        manifest[0])
    again = {e.footnote: e for e in fetcher.run(links)}
    assert again[2].status == "unchanged" and again[26].status == "unchanged"
    assert again[3].status == "failed"
