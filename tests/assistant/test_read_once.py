"""The question is read once: what the later stages need of its words (the parties' naming words, the values it
states, its names, the parts and groups it speaks of) is on the `Query`, and composing and deciding give the same
with its text blanked out. Only the embedder and a language model's prompt take the words themselves."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.read import read_query

QUESTIONS = (
    "Wie is de regiokassier?",
    "Wat doet OCW?",
    "Wat doet de regio aan armoede?",
    "Welke gemeenten horen bij Parkstad Limburg?",
    "Which municipalities are not among those sharing responsibility for programme line 2?",
    "Hoeveel rijksbijdrage gaat naar het landelijk gebied?",
    "Wat is een regiokassier?",
    "Welke thema's vallen onder programmalijn 3?",
    "Hoeveel inwoners heeft Heerlen Noord?",
    "Wer unterschreibt für die Region?",
    "Moet de nulmeting op 1 januari 2026 klaar zijn?",
    "Was bedeutet Regio Envelop?",
)


def test_the_reader_keeps_what_the_stages_need_of_the_words() -> None:
    q = read_query("Welke ministeries werken aan onderwijs?", [])
    assert q.members_of == "" and q.group == "ministries"  # asks more than who the members are
    assert read_query("Welke ministeries doen mee aan het Rijk-Regio-overleg?", []).members_of == "ministries"
    assert {"1", "januari", "2026"} <= set(read_query("Moet het verslag op 1 januari 2026 klaar zijn?", []).stated)
    assert read_query("Which articles and themes are there?", []).parts == ("theme", "article")
    named = read_query("Who is the Dutch education ministry's minister?", [])
    assert "OCW" in named.actors and {"dutch", "education"} <= set(named.naming)
    assert "Heerlen" in read_query("Hoeveel inwoners heeft Heerlen Noord?", []).names


@pytest.mark.parametrize("question", QUESTIONS)
def test_composing_and_deciding_never_read_the_question_again(assistant, question: str) -> None:
    query = assistant.read(question)
    ranking = assistant.ranked(query)
    blank = replace(query, text="…")
    decision = assistant.decided(query, ranking)
    assert assistant.decided(blank, ranking) == decision
    answerer = assistant.state()[3]
    drafts = answerer.candidates(query, list(ranking.hits))
    assert {form: d.lead for form, d in answerer.candidates(blank, list(ranking.hits)).items()} == {
        form: d.lead for form, d in drafts.items()}
