"""Server mode: the real `chroma run` on a loopback port, ingested into and read back."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.index import ChromaIndex, open_client
from ingest.pipeline import Ingestor
from parkstad.errors import IndexUnavailableError
from tests.helpers import COVENANT, free_port


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen([chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            open_client(path, "127.0.0.1", port).heartbeat()
            break
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma run did not come up within 60 s")
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_into_the_chroma_server_and_read_back(tmp_path, chroma_server, embedder, covenant_chunks):
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(COVENANT, sources / COVENANT.name)
    index = ChromaIndex(open_client(tmp_path, "127.0.0.1", chroma_server), "srvtest")
    Ingestor(sources, index, embedder).run(progress=False)
    info = index.require(embedder)
    chunks = {c.id: c for c in index.chunks(info)}
    assert set(chunks) == {c.id for c in covenant_chunks}
    hits = index.query(info, embedder.embed_query("Wanneer eindigt de Regio Deal?"), 5)
    assert "Artikel 18 lid 1" in [chunks[i].label for i, _ in hits]


def test_unreachable_server_is_a_clear_error(tmp_path):
    port = free_port()
    with pytest.raises(IndexUnavailableError, match=f"127.0.0.1:{port}|Chroma"):
        index = ChromaIndex(open_client(tmp_path, "127.0.0.1", port))
        index.info()
