"""Compose quotes the sentence holding the date or amount asked for, as ingest found it (Chunk.held), without a
pattern of its own: on invented clauses, a value ingest stored is preferred where no pattern would see one, and
a sentence a pattern would take is not preferred when ingest stored nothing there."""

from __future__ import annotations

from assistant.answerability import Band, Decision
from assistant.compose import ExtractiveAnswerer
from assistant.draft import holding
from assistant.read import read_query
from assistant.retrieve import Corpus, Hit
from ingest.model import Chunk, ChunkKind, Held, HeldKind, Location

LOC = Location(document="Convenant", part="Artikel 9", article="9", lid="1")
ANSWERED = Decision(0.9, Band.ANSWERED, (), "answered")
REPORTS = ("De stichting beheert het fonds. "
           "Het bestuur stelt de stukken vast bij de eerstvolgende vergadering. "
           "Zij rapporteert ook aan de gemeenteraad.")


def _chunk(text: str, held: tuple[Held, ...]) -> Chunk:
    return Chunk(Chunk.make_id(LOC, ChunkKind.CLAUSE, text), ChunkKind.CLAUSE, text, text, LOC,
                 held=held, holds=tuple(dict.fromkeys(v.kind for v in held)))


def _lead(question: str, chunk: Chunk) -> str:
    other = Chunk.create(ChunkKind.CLAUSE, "De gemeenteraad vergadert in het stadhuis over de begroting.",
                         Location(document="Convenant", part="Artikel 10", article="10"))
    corpus = Corpus([chunk, other])
    hits = [Hit(chunk, 1.0, 0.9, 0.9), Hit(other, 0.2, 0.1, 0.1)]
    return ExtractiveAnswerer(corpus).answer(read_query(question, []), hits, ANSWERED).lead


def test_the_sentence_holding_the_date_ingest_found_is_quoted():
    when = "bij de eerstvolgende vergadering"
    stored = _chunk(REPORTS, (Held(HeldKind.DATE, when, REPORTS.index(when)),))
    assert holding(stored, HeldKind.DATE) == [False, True, False]
    assert "eerstvolgende vergadering" in _lead("Wanneer rapporteert de stichting?", stored)
    assert "eerstvolgende vergadering" not in _lead("Wanneer rapporteert de stichting?", _chunk(REPORTS, ()))


def test_an_amount_is_taken_from_the_clause_s_held_values_not_from_its_text():
    text = ("De stichting beheert het fonds voor de wijken. Het Rijk draagt € 4.500.000 bij aan het fonds. "
            "De stichting verdeelt het fonds over de wijken.")
    amount = "€ 4.500.000"
    question = "Hoeveel geld draagt het Rijk bij aan het fonds?"
    lead = _lead(question, _chunk(text, (Held(HeldKind.AMOUNT, amount, text.index(amount)),)))
    assert lead == "“Het Rijk draagt € 4.500.000 bij aan het fonds.” [1]"  # the amount's sentence alone
    # the same words with nothing stored: compose sees no amount of its own and quotes the best clause instead
    assert _lead(question, _chunk(text, ())).startswith("Volgens Artikel 9 lid 1: “De stichting beheert")


def test_held_values_are_placed_in_their_sentences_by_offset():
    text = "Op 6 weken na de start meldt de Regio zich. Over 16 weken volgt de evaluatie."
    chunk = Chunk.create(ChunkKind.CLAUSE, text, LOC)
    assert [v.text for v in chunk.values(HeldKind.DATE)] == ["6 weken", "16 weken"]
    assert holding(chunk, HeldKind.DATE) == [True, True]
    only_second = _chunk(text, (Held(HeldKind.DATE, "16 weken", text.index("16 weken")),))
    assert holding(only_second, HeldKind.DATE) == [False, True]  # '6 weken' stands inside '16 weken'
