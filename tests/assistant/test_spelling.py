"""Misspelt words of a Dutch question are read as the one known word a single edit away."""

from __future__ import annotations

import pytest

from assistant.spelling import Speller

WORDS = frozenset({"wanneer", "regiokassier", "schulden", "schuld", "verantwoordelijk", "gemeente", "gemeenten"})


@pytest.mark.parametrize("text, expected", [
    ("wanner loopt de deal af?", "wanneer loopt de deal af?"),            # a letter dropped
    ("Wat is een regiokasier?", "Wat is een regiokassier?"),
    ("armoede en schuldne", "armoede en schulden"),                        # two letters swapped
    ("Wanneeer eindigt het?", "Wanneer eindigt het?"),                     # a letter added; the capital kept
])
def test_a_word_one_edit_from_a_single_known_word_is_read_as_that_word(text, expected):
    assert Speller(WORDS, lambda w: False).correct(text) == expected


@pytest.mark.parametrize("text", [
    "Wie is de burgemeester?",   # no known word one edit away
    "de gemeentn",               # two known words one edit away (gemeente, gemeenten): ambiguous
    "de deal",                   # short words are left alone
])
def test_a_word_without_a_single_near_known_word_stays(text):
    assert Speller(WORDS, lambda w: False).correct(text) == text


def test_a_word_known_in_another_way_is_not_corrected():
    assert Speller(WORDS, lambda w: w == "schulde").correct("schulde") == "schulde"


def test_a_misspelt_question_is_answered_as_meant(assistant):
    a = assistant.ask("wanner loopt de deal af?")
    assert a.found and a.citations[0].label == "Artikel 18 lid 1" and "31 december 2030" in a.answer
    assert a.question == "wanner loopt de deal af?"
