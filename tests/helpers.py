"""Small builders shared by tests: PDFs, a deterministic embedder, a free port."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

from langchain_core.embeddings import Embeddings

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
