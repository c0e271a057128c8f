"""The conversation is used only when a question points back into it or cannot stand on its own; the English
"I" is a pronoun, not a Regio Deal."""

from __future__ import annotations

import pytest


def first(answer) -> tuple[bool, str | None]:  # noqa: ANN001 - an Answer
    return answer.found, answer.citations[0].label if answer.citations else None


@pytest.mark.parametrize("earlier, question", [
    ("Wie trekt thema Veiligheid?", "Wanneer loopt de deal af?"),
    ("Wat doet OCW?", "Hoeveel geld zit er in de deal?"),
    ("Who leads the safety theme?", "What is a regiokassier?"),
])
def test_a_question_that_stands_on_its_own_ignores_the_conversation(assistant, earlier, question):
    assert first(assistant.ask(question, history=(earlier,))) == first(assistant.ask(question))


def test_a_question_that_points_back_takes_its_subject_from_the_conversation(assistant):
    alone = assistant.ask("Wie trekt die programmalijn?")
    follow = assistant.ask("Wie trekt die programmalijn?", history=("Hoeveel geld gaat er naar het landelijk gebied?",))
    assert follow.found and "Programmalijn 2" in follow.citations[0].label
    assert first(alone) != first(follow)


def test_only_an_earlier_question_the_documents_answer_lends_its_subject(assistant):
    unrelated = assistant.ask("En wie trekt dat?", history=("Wat is het recept voor appeltaart?",))
    assert first(unrelated) == first(assistant.ask("En wie trekt dat?"))


@pytest.mark.parametrize("question", ["When do I have to send in the progress report?",
                                      "Can I see who signed for the Regio?"])
def test_the_english_i_is_a_pronoun(assistant, question):
    answer = assistant.ask(question)
    assert answer.found and answer.citations


@pytest.mark.parametrize(("earlier", "question", "missing"), [
    ("Was ist das Limburgs vezelgewassenakkoord?", "Und bis wann soll das stehen?", True),
    ("Wat doet Stadsregio Parkstad met Kansrijke Start?", "en tot wanneer?", False),
])
def test_a_follow_up_that_names_nothing_asks_its_slot_of_the_conversations_subject(assistant, earlier, question,
                                                                                   missing):
    """'Und bis wann?' asks for a date beside what the conversation is about: the fibre crops accord has none, the
    Kansrijke Start clause has 2027 and 2028. Read alone, any date in the best clauses would do."""
    query = assistant.read(question)
    ranking = assistant.ranked(query, [earlier])
    signals = assistant.answerability.signals
    assert ranking.topic is not None and query.slot == "date"
    assert signals.scalars(query, ranking.hits, ranking.refers_back, ranking.topic)["slot_missing"] == float(missing)
    assert signals.scalars(query, ranking.hits, ranking.refers_back)["slot_missing"] == 0.0


@pytest.mark.parametrize(("earlier", "question", "label"), [
    ("Hoe vaak vergadert het Rijk-Regio-overleg?", "wat zegt lid 3 over wie erin zitten?", "Artikel 5 lid 3"),
    ("Can a party terminate the deal?", "And what does paragraph 3 say?", "Artikel 11 lid 3"),
    ("Mag een partij de deal eenzijdig opzeggen?", "Wat staat er in lid 2?", "Artikel 11 lid 2"),
])
def test_a_lid_named_without_its_article_is_read_in_the_article_the_conversation_cited(assistant, earlier, question,
                                                                                      label):
    query, hits, decision = assistant.decide(question, [earlier])
    assert query.article == label.split()[1] and decision.found
    assert label in [h.chunk.label for h in hits[:3]]
    assert label == assistant.ask(question, [earlier]).citations[0].label
    alone, _, _ = assistant.decide(question)
    assert alone.article is None


def test_who_asked_of_a_named_clause_is_answered_in_its_words(assistant):
    """'Who sits in it' of Artikel 5 lid 3 is its enumeration of representatives, not a list of the actors its
    parts happen to name first."""
    answer = assistant.ask("wat zegt lid 3 over wie erin zitten?", ["Hoe vaak vergadert het Rijk-Regio-overleg?"])
    assert answer.citations[0].label == "Artikel 5 lid 3"
    assert "bestaat uit de volgende vertegenwoordigers" in answer.lead.splitlines()[0]
    assert "Stadsregio Parkstad Limburg" in answer.lead
