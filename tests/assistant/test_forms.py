"""The form of an answer chosen from the question and the evidence: the holder of a role first, a count of an
enumeration with its items, the label said in the asker's language, and typed answer slots for the decision."""

from __future__ import annotations

import pytest

from assistant.draft import enumeration_items
from assistant.prompts import localized_label
from assistant.read import read_query
from ingest.model import HeldKind


@pytest.mark.parametrize("text,items", [
    ("De leden zijn: i. de gemeente; ii. het Rijk; iii. de provincie.", ["de gemeente", "het Rijk", "de provincie"]),
    ("Het gaat om: a. wonen, b. werken en c. leren", ["wonen", "werken", "leren"]),
    ("Drie stappen: 1. aanvragen 2. beoordelen 3. besluiten", ["aanvragen", "beoordelen", "besluiten"]),
    # a numeral that breaks the sequence (a 'v.' that is no fifth item) is text, not a new item
    ("Vanuit: i. Justitie en Veiligheid; ii. Infrastructuur", ["Justitie en Veiligheid", "Infrastructuur"]),
])
def test_enumeration_items_follow_their_sequence(text, items):
    found = enumeration_items(text)
    assert found == items
    assert all(item in text for item in found)


@pytest.mark.parametrize("text", ["Geen lijst: dit is a. niets", "Zonder dubbele punt i. een ii. twee", ""])
def test_text_without_an_enumeration_has_no_items(text):
    assert enumeration_items(text) == []


def test_a_label_is_said_in_the_askers_language_with_its_names_as_written():
    label = "Artikel 2 lid 13, Programmalijn 3, Thema 2 Veiligheid, onder d"
    assert localized_label("en", label) == "Article 2 paragraph 13, Programme line 3, Theme 2 Veiligheid, under d"
    assert localized_label("de", label) == "Artikel 2 Absatz 13, Programmlinie 3, Thema 2 Veiligheid, unter d"
    assert localized_label("nl", label) == label


@pytest.mark.parametrize("question,slot", [
    ("Wat is de naam van de projectleider?", "person"),
    ("Welk percentage gaat naar de wijken?", "percent"),
    ("Welche Schritte hat das Verfahren?", "steps"),
    ("How many schools take part?", "count"),
    ("Wanneer start het fonds?", "date"),
    ("Hoeveel geld gaat naar de wijken?", "amount"),
    ("Wat doet OCW?", ""),
    # a yes/no question asks whether: no typed value, unless it names one outright
    ("Kann man die Laufzeit verlängern?", ""),
    ("Has the date of the first meeting already been fixed?", "date"),
    ("Mag er rijksgeld naar overhead? Tot welk percentage?", "percent"),
    # 'stappen' and 'share' as verbs ask for no steps and no share
    ("Onder welke voorwaarde mag een partij uit de deal stappen?", ""),
    ("Welke stappen volgen na een verzoek tot wijziging?", "steps"),
    ("Which municipalities share the responsibility for programme line 2?", ""),
    ("What share of all jobs is on business parks?", "percent"),
    # where something is written: the reference is the answer
    ("Welke bron noemt voetnoot 10 voor het aandeel banen?", ""),
])
def test_the_reader_types_the_answer_slot(question, slot):
    assert read_query(question, ()).slot == slot


@pytest.mark.parametrize("question,words", [
    ("Laufzeit Regio Deal Parkstad", {"laufzeit"}),
    ("Budget?", {"budget"}),
    ("Hoe heet de projectleider van Kansrijke Start?", {"hoe", "heet"}),
])
def test_the_words_that_ask_for_the_slot_are_known_as_such(question, words):
    """They say what is asked, not about what: the decision anchors the slot on the other words."""
    assert set(read_query(question, ()).slot_words) == words


def test_a_role_question_names_the_holder_in_its_first_line(assistant):
    for question in ("Wie is de regiokassier?", "Who is the regiokassier?", "Wer ist der Regiokassier?"):
        answer = assistant.ask(question)
        assert answer.found and "Stadsregio Parkstad" in answer.lead.splitlines()[0], question


def test_a_value_asked_of_a_party_is_not_its_list_of_commitments(assistant):
    # the region is a party, but its inhabitants are asked: the clause that counts them, not what it commits to
    for question in ("Wie viele Einwohner hat die Region Parkstad Limburg?",
                     "How many inhabitants does the Parkstad Limburg region have?"):
        answer = assistant.ask(question)
        assert answer.found and "260.000" in answer.lead.splitlines()[0], question


def test_how_many_counts_the_enumeration_that_announces_the_noun(assistant):
    answer = assistant.ask("Wie viele Ministerien sitzen im Rijk-Regio-overleg?")
    assert answer.draft is not None
    first = answer.lead.splitlines()[0]
    items = [s for s in answer.draft.statements if s.item]
    assert str(len(items)) in first and len(items) >= 2
    (counted,) = {s.sources[0].id for s in items}
    assert all(s.quote in s.sources[0].text for s in items)
    assert counted == answer.draft.statements[0].sources[0].id


@pytest.mark.xfail(strict=True, reason="after the ranker refit on batches a-p (2026-12-08) EZ's party entry is among "
                   "the best clauses; its minister's name stands beside 'EZ', one of the question's two rarest words, "
                   "so the slot counts as held (the question is still refused, at p 0.11)")
def test_an_asked_name_the_best_clauses_do_not_hold_is_a_missing_slot(assistant):
    _, _, decision = assistant.decide("Wat is de naam van de contactpersoon bij EZ?")
    assert dict(decision.features)["slot_missing"] == 1.0
    _, _, decision = assistant.decide("Wanneer eindigt de Regio Deal?")
    assert dict(decision.features)["slot_missing"] == 0.0


def test_a_count_is_held_only_by_a_number_or_a_list_of_what_is_counted(assistant):
    """'How many X' needs a number of X ('ca. 18.000 inwoners'), or an enumeration announced by X; a number of
    something else or a list of other things does not fill it."""
    from assistant.answerability import _counts, _forms

    corpus = assistant.state()[1]
    inhabitants = next(c for c in corpus.chunks if any(v.text.endswith("inwoners") for v in c.values(HeldKind.COUNT)))
    assert _counts(inhabitants, _forms("inwoners"), corpus) and _counts(inhabitants, _forms("einwohner"), corpus)
    assert not _counts(inhabitants, _forms("scholen"), corpus)
    members = next(c for c in corpus.chunks if c.label == "Artikel 5 lid 3")
    assert _counts(members, _forms("vertegenwoordigers"), corpus)
    assert not _counts(members, _forms("hectare"), corpus)


def test_a_value_the_question_states_itself_does_not_fill_its_slot(assistant):
    """'op 1 januari 2026?' asks whether; the date the covenant gives must stand beside what is asked about."""
    _, _, signed = assistant.decide("Wanneer is de deal ondertekend, op 1 januari 2026?")
    assert dict(signed.features)["slot_missing"] == 1.0
    _, _, starts = assistant.decide("Wanneer treedt de deal in werking, op 1 januari 2026?")
    assert dict(starts.features)["slot_missing"] == 0.0


def test_a_word_that_asks_for_the_slot_anchors_nothing_in_a_follow_up(assistant):
    """'Budget?' after a question about the Kenniscluster asks for the cluster's budget; the budget table holds
    amounts beside the word 'budget', not beside the cluster."""
    query, topic = assistant.read("Budget?"), assistant.read("Wer entwickelt das Euregionale Kenniscluster?")
    hits = assistant.ranked(query).hits
    signals = assistant.answerability.signals
    assert signals.scalars(query, hits, True, topic)["slot_missing"] == 1.0
    assert signals.scalars(query, hits)["slot_missing"] == 0.0
