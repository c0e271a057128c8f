"""The question's language: clear function words decide; a close call is weighed with a character-model
detector, so a German question of content words the word lists do not know stays German."""

from __future__ import annotations

import pytest

from assistant.language import detect_language


@pytest.mark.parametrize("question,lang", [
    ("Wat doet het ministerie voor de wijken?", "nl"),
    ("What does the ministry do for the neighbourhoods?", "en"),
    ("Was macht das Ministerium für die Stadtteile?", "de"),
    # 'wie', 'die' are Dutch and German function words alike: the rest of the words decide
    ("Wie teuer wird die Sanierung?", "de"),
    ("Wie betaalt de sanering?", "nl"),
    ("Wie hoch sind die Zuschüsse?", "de"),
    ("Stadtteilsanierung Finanzierung Zeitplan?", "de"),
    ("neighbourhood renovation funding schedule?", "en"),
])
def test_the_language_of_short_and_tied_questions(question, lang):
    assert detect_language(question) == lang


def test_dutch_terms_inside_an_english_question_keep_it_english():
    assert detect_language("Which municipalities take part in the Rijk-Regio-overleg?") == "en"


def test_another_language_is_named_as_such():
    assert detect_language("Qui est responsable pour les quartiers et combien coûte le projet?") == "other"


@pytest.mark.parametrize("question,lang", [
    ("Zusammensetzung Stuurgroep landelijk gebied Mitglieder", "de"),
    ("Zuständigkeit Bestuurscommissie Ruimte en Mobiliteit genau?", "de"),
    ("Anzahl Focusgebieden Stadsregio Parkstad", "de"),
    ("membership Stuurgroep landelijk gebied please", "en"),
    ("looptijd regio deal parkstad III", "nl"),   # nothing of its own left to weigh: the whole question is
    ("datum ondertekening", "nl"),
])
def test_the_covenant_s_own_words_say_nothing_of_the_asker_s_language(assistant, question, lang):
    """The covenant's Dutch names inside a terse German or English question are not weighed; the question's own
    words are, when two of them are left."""
    assert assistant.read(question).language == lang
