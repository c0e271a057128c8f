"""The lexical ranker and the glossary: Dutch stems, shared beginnings, compound heads and inflected glossary
words let other word forms meet."""

from __future__ import annotations

from assistant.glossary import expand
from assistant.lexical import LexicalIndex, compound_head, compound_parts, tokens


def test_a_compound_s_head_is_found_when_both_parts_are_words():
    words = {"regio", "kassier", "kennis", "instell", "belang"}
    assert compound_head("regiokassier", words) == "kassier"
    assert compound_head("kennisinstell", words) == "instell"
    assert compound_head("belangrijke", words) is None        # "rijke" is no word of these
    assert compound_head("kassier", words) is None             # too short to be a compound


def test_a_compound_the_documents_lack_is_read_as_its_parts():
    words = {"recht", "stel", "armoede", "bestrijd", "jeugd", "werkloos"}
    assert compound_parts("rechtsstel", words) == ["recht", "stel"]      # a linking s is dropped
    assert compound_parts("armoedebestrijd", words) == ["armoede", "bestrijd"]
    assert compound_parts("jeugdwerkloos", words) == ["jeugd", "werkloos"]
    assert compound_parts("onbekendwoord", words) == []


def test_a_query_compound_finds_the_clause_that_writes_its_parts_apart():
    index = LexicalIndex(["Op deze Regio Deal is uitsluitend Nederlands recht van toepassing.",
                          "Partijen treden in overleg over de voortgang.", "Een stelsel van regels."])
    scores = index.scores("Welk rechtsstelsel geldt?")
    assert scores[0] > 0 and scores[1] == 0


def test_a_query_word_finds_the_compound_that_ends_in_it():
    index = LexicalIndex(["De Stadsregio vervult de rol van regiokassier.", "De taak van kassier.",
                          "Het Rijk-Regio-overleg vergadert eenmaal per jaar."])
    scores = index.scores("Wie is kassier?")
    assert scores[0] > 0 and scores[1] > 0 and scores[2] == 0


def test_stop_words_are_dropped_and_word_forms_meet():
    assert len(tokens("De gemeenten en de woningen")) == 2
    assert tokens("gemeenten") == tokens("gemeente") and tokens("woningen") == tokens("woning")


def test_glossary_finds_inflected_german_and_english_words():
    assert "bedrijventerreinen" in expand(["gewerbegebieten"])
    assert "mkb" in expand([], "was tut die region fur kleine und mittlere unternehmen")
