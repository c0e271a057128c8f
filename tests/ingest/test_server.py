"""Server mode: the real `chroma run` on a loopback port, ingested into and read back."""

from __future__ import annotations

import shutil

import pytest

from ingest.index import ChromaIndex, open_client
from ingest.pipeline import Ingestor
from parkstad.errors import IndexUnavailableError
from tests.helpers import COVENANT, free_port, start_chroma


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    port = free_port()
    proc = start_chroma(tmp_path_factory.mktemp("chroma-server"), port)
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
