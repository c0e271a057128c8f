"""The typed values at the boundaries: chunk kinds and held values through real Chroma metadata, bands and
languages through the JSON answer, and an unknown value rejected where it enters."""

from __future__ import annotations

import json

import pytest

from assistant.answerability import Band, Decision
from assistant.draft import Statement, draft
from assistant.language import Language
from assistant.model import Answer, Citation
from ingest.index import ChromaIndex, IndexInfo, open_client
from ingest.model import Chunk, ChunkKind, Held, HeldKind, Location
from parkstad.errors import IndexMismatchError, InvalidValueError

LOC = Location(document="Convenant", part="Artikel 9", article="9", lid="2")
TEXT = "De Regio draagt € 4,5 mln. bij. Zij rapporteert uiterlijk 1 maart 2027 aan de drie ministeries."


def _stored(tmp_path, chunks: list[Chunk], kind: str | None = None) -> ChromaIndex:
    """The chunks written to a real Chroma collection as ingest writes their metadata (`kind` overrides it)."""
    client = open_client(tmp_path / "index")
    collection = client.create_collection("parkstad_test", embedding_function=None)
    metas = [{**c.to_metadata(), "source": "convenant.txt", "seq": i} for i, c in enumerate(chunks)]
    if kind is not None:
        metas[0]["kind"] = kind
    collection.add(ids=[c.id for c in chunks], documents=[c.embed_text for c in chunks], metadatas=metas,
                   embeddings=[[1.0, 0.0, float(i)] for i in range(len(chunks))])
    return ChromaIndex(client)


INFO = IndexInfo("parkstad_test", "test", 0.0, ())


def test_kinds_and_held_values_come_back_from_chroma_as_enums(tmp_path):
    table = Chunk.create(ChunkKind.TABLE, "Thema | Rijk\nEconomie | € 5.000.000", LOC)
    clause = Chunk.create(ChunkKind.CLAUSE, TEXT, LOC)
    assert table.to_metadata()["kind"] == "table" and type(table.to_metadata()["kind"]) is str
    read = _stored(tmp_path, [table, clause]).chunks(INFO)
    assert [c.kind for c in read] == [ChunkKind.TABLE, ChunkKind.CLAUSE]
    assert all(type(c.kind) is ChunkKind for c in read)
    back = read[1]
    assert back.held == clause.held and back.holds == clause.holds
    assert all(type(v.kind) is HeldKind and back.text[v.start:v.end] == v.text for v in back.held)
    assert [v.text for v in back.values(HeldKind.AMOUNT)] == ["€ 4,5 mln."]
    assert [v.text for v in back.values(HeldKind.DATE)] == ["1 maart", "2027"]
    assert "drie ministeries" in [v.text for v in back.values(HeldKind.COUNT)]


def test_an_unknown_kind_in_the_index_is_refused_with_the_value_named(tmp_path):
    clause = Chunk.create(ChunkKind.CLAUSE, TEXT, LOC)
    index = _stored(tmp_path, [clause], kind="paragraaf")
    with pytest.raises(IndexMismatchError, match=r"chunk kind: 'paragraaf' is not one of clause, .*parkstad ingest"):
        index.chunks(INFO)


def test_an_unknown_kind_is_refused_where_a_chunk_or_a_held_value_is_made():
    with pytest.raises(InvalidValueError, match="chunk kind: 'paragraph'"):
        Chunk.create("paragraph", TEXT, LOC)
    with pytest.raises(InvalidValueError, match="held kind: 'money'"):
        Held("money", "€ 4,5 mln.", 15)
    assert Chunk.create("clause", TEXT, LOC).kind is ChunkKind.CLAUSE  # a known value as a string is converted


def test_band_and_language_are_strings_in_the_json_answer():
    chunk = Chunk.create(ChunkKind.CLAUSE, TEXT, LOC)
    answer = Answer("Wat draagt de Regio bij?", "…", True, "extractive", (Citation.of(chunk),),
                    language="en", answerability=Decision(0.9, "answered", (), "answered"),
                    draft=draft(Language.EN, [Statement("The Regio:", TEXT, (chunk,))]))
    assert answer.language is Language.EN and answer.answerability.band is Band.ANSWERED
    data = json.loads(json.dumps(answer.to_dict()))
    assert data["answerability"] == {"band": "answered", "score": 0.9} and data["lead"].startswith("The Regio:")


def test_an_unknown_band_or_language_is_refused():
    with pytest.raises(InvalidValueError, match="band: 'maybe'"):
        Decision(0.5, "maybe", (), "")
    with pytest.raises(InvalidValueError, match="language: 'fr'"):
        Answer("Qui paie?", "…", False, "extractive", language="fr")
