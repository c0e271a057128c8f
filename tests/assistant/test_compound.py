"""Questions that ask two things at once: split into their parts, and both parts answered in one answer."""

from __future__ import annotations

import pytest

from assistant.compound import split_question


@pytest.mark.parametrize("question, parts", [
    ("Hoeveel betaalt het Rijk voor het landelijk gebied, en wie trekt die programmalijn?",
     ["Hoeveel betaalt het Rijk voor het landelijk gebied?", "wie trekt die programmalijn?"]),
    ("Who signs for the region and when does the deal end?", ["Who signs for the region?", "when does the deal end?"]),
    ("Wat is een regiokassier? En wie is dat hier?", ["Wat is een regiokassier?", "En wie is dat hier?"]),
])
def test_a_question_that_asks_two_things_is_split(question, parts):
    assert split_question(question) == parts


@pytest.mark.parametrize("question", [
    "Wie en wanneer?",                                    # too short to hold two questions
    "Wat doen Zuyd en UM samen?",                         # 'en' joins names, not questions
    "Ik werk in Heerlen. Wanneer eindigt de deal?",       # one question after a statement
])
def test_a_single_question_stays_whole(question):
    assert split_question(question) == [question]


def test_both_parts_of_a_compound_question_are_answered_and_cited(assistant):
    a = assistant.ask("Hoeveel betaalt het Rijk maximaal voor het landelijk gebied, en wie trekt die programmalijn?")
    labels = [c.label for c in a.citations]
    assert a.found and "Artikel 3 lid 3, tabel" in labels
    assert "Artikel 2 lid 12, Programmalijn 2, onder a" in labels
    assert "1.000.000" in a.answer and "Stadsregio Parkstad" in a.answer
    lead, _, sources = a.answer.partition("\n\n")
    assert lead.count("\n") >= 1 and "[1]" in lead and "[2]" in lead  # one line per part, sources numbered once
    numbered = [line.split(" ", 1)[0] for line in sources.splitlines() if line.startswith("[")]
    assert numbered == [f"[{i}]" for i in range(1, len(numbered) + 1)] == [f"[{i}]" for i in range(1, len(labels) + 1)]


def test_a_part_the_documents_do_not_answer_is_named_beside_the_part_they_do(assistant):
    a = assistant.ask("Wat is het telefoonnummer van de Stadsregio, en wanneer eindigt de deal?")
    assert a.found and "31 december 2030" in a.answer and a.citations[0].label == "Artikel 18 lid 1"
    assert "“Wat is het telefoonnummer van de Stadsregio?” — Dat staat niet in de Regio Deal." in a.answer


def test_a_follow_up_on_die_programmalijn_takes_the_line_from_the_question_before(assistant):
    a = assistant.ask("Wie trekt die programmalijn?", history=["Hoeveel geld gaat er naar het landelijk gebied?"])
    assert a.found and "Artikel 2 lid 12, Programmalijn 2, onder a" in [c.label for c in a.citations][:3]


def test_a_follow_up_retrieves_with_the_covenant_s_terms_for_the_question_before(assistant):
    a = assistant.ask("And who pays for it?", history=["How much is the deal worth in total?"])
    assert a.found and {"Artikel 3 lid 2", "Artikel 3 lid 3", "Artikel 3 lid 3, tabel"} & {
        c.label for c in a.citations[:3]}
