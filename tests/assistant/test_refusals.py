"""When the documents answer and when they do not: names without amounts, unknown subjects, other ministries,
English and German words through the dictionary, and answers built from the structure (members, signatories)."""

from __future__ import annotations

import pytest

from assistant.dictionary import Dictionary, cognates
from assistant.query import read_query

needs_dictionary = pytest.mark.skipif(not Dictionary().available,
                                      reason="FreeDict files not fetched (scripts/bootstrap fetches them)")


def labels(answer) -> list[str]:  # noqa: ANN001 - an Answer
    return [c.label for c in answer.citations]


@pytest.mark.parametrize("question", [
    "Hoeveel geld krijgt de gemeente Landgraaf uit de deal?",    # Landgraaf never stands beside an amount
    "Wie viel Geld bekommt die Städteregion Aachen aus dem Deal?",
    "Wat was het budget van Regio Deal Parkstad Limburg II?",      # another deal than this one (III)
])
def test_an_amount_for_a_named_place_needs_a_clause_holding_both(assistant, question):
    assert not assistant.ask(question).found


def test_the_deal_s_own_budget_is_still_answered(assistant):
    a = assistant.ask("Wat is het budget van de Regio Deal Parkstad Limburg III?")
    assert a.found and "15.000.000" in a.answer


@pytest.mark.parametrize("question", [
    "Komt er een nieuwe treinverbinding tussen Heerlen en Aken?",
    "Wer ist der Finanzminister?",                                  # a ministry that is no party
    "Wat doet het ministerie van Defensie?",
])
def test_subjects_the_documents_do_not_know_are_refused(assistant, question):
    a = assistant.ask(question)
    assert not a.found and a.citations  # the nearest clauses are still shown


@needs_dictionary
@pytest.mark.parametrize("question", ["Who is the mayor of Brunssum?", "Was sagt der Deal über Windenergie?",
                                      "Gibt es eine neue Straßenbahn nach Aachen?"])
def test_english_and_german_subjects_are_checked_through_the_dictionary(assistant, question):
    assert not assistant.ask(question).found


@needs_dictionary
@pytest.mark.parametrize("question, label", [
    ("Wer kümmert sich um die Jugendkriminalität?", "Artikel 2 lid 13, Programmalijn 3, Thema 2 Veiligheid, onder a"),
    ("Was passiert mit den Einkaufszentren?", "Artikel 2 lid 13, Programmalijn 3, Thema 4 Winkelgebieden, onder a"),
    ("How much regional co-financing is required?", "Artikel 3 lid 3"),
    ("Welche Stadtteile sind Fokusgebiete?", "Begripsbepaling, Focusgebieden"),       # Fokus / focus
    ("Was passiert mit den Gewerbegebieten?",                                         # an inflected glossary word
     "Artikel 2 lid 7, Programmalijn 1, Thema 3 Aantrekkelijk Vestigingsklimaat - Bedrijventerreinen, onder c"),
    ("Can a party withdraw from the deal early?", "Artikel 11 lid 1"),           # withdraw: opzeggen
    ("Was verbindet die Lenkungsgruppe ländlicher Raum?", "Artikel 2 lid 12, Programmalijn 2, onder d"),  # stuurgroep
    ("Gibt es Ausbildungen in einer anderen Sprache?",                          # Sprache: anderstalig
     "Artikel 2 lid 5, Programmalijn 1, Thema 1 Talentrijke Regio, onder e"),
    ("Who takes part in the Krachtenbundeling working group on chains?",   # chain: keten, the stem of "ketens"
     "Artikel 2 lid 8, Programmalijn 1, Thema 4 Circulaire economie, onder e"),
])
def test_paraphrases_in_english_and_german_are_answered(assistant, question, label):
    a = assistant.ask(question)
    assert a.found and label in labels(a)


@needs_dictionary
def test_dictionary_translates_words_and_compounds():
    d = Dictionary()
    assert "burgemeester" in d.dutch("mayor", "en")[0]
    assert "luchthaven" in d.dutch("airports", "en")[0]            # plural back to the headword
    assert "ministerie" in d.dutch("Justizministerium", "de")[-1]  # a compound by its parts
    assert d.dutch("qwzxv", "en") == ()
    assert d.is_dutch_word("inleggen") and not d.is_dutch_word("zonnepanelen")   # lemmas, not plurals


def test_loanword_spellings():
    assert "criminaliteit" in cognates("kriminalitat", "de")
    assert "organisatie" in cognates("organisation", "de")
    assert "mobiliteit" in cognates("mobility", "en")
    assert "focus" in cognates("fokus", "de")                       # a k between vowels
    assert "escalatieregeling" in cognates("eskalationsregelung", "de")  # sk, and -tions- inside a compound
    assert "ecosystem" in cognates("okosystem", "de")                     # Öko-: eco-
    assert "projectleider" in cognates("projektleiter", "de")             # kt after a vowel, -leiter


def test_dictionary_without_files_is_empty(tmp_path):
    d = Dictionary(tmp_path)
    assert not d.available and d.dutch("mayor", "en") == () and not d.is_dutch_word("inleggen")


def test_members_of_a_group_come_from_the_clause_naming_most(assistant):
    a = assistant.ask("Welche Gemeinden gehören zur Stadsregio Parkstad?")
    assert a.found and labels(a)[0] == "Partijen, partij 10 (de Regio)"
    for municipality in ("Beekdaelen", "Brunssum", "Heerlen", "Kerkrade", "Landgraaf", "Simpelveld", "Voerendaal"):
        assert municipality in a.answer.split("\n")[0]
    ministries = assistant.ask("Welke ministeries zitten er in het Rijk-Regio-overleg?")
    assert labels(ministries)[0] == "Artikel 5 lid 3, onder a" and "9" in ministries.answer.split("\n")[0]


def test_signatories_come_from_the_party_entry(assistant):
    a = assistant.ask("Wer unterzeichnet für die Stadsregio Parkstad?")
    assert labels(a)[0] == "Partijen, partij 10 (de Regio)"
    assert "R. Wever" in a.answer.split("\n")[0]            # initials do not end the sentence
    # on behalf of the region, but sitting in a body: its composition, not the signatory
    sits = assistant.ask("Who sits in the Rijk-Regio-overleg on behalf of the region?")
    assert "Artikel 5 lid 3, onder b" in labels(sits)[:3]


@pytest.mark.parametrize("question", [
    "Welke partijen ondertekenen de Regio Deal?", "How many parties are there?", "Wer sind die Vertragsparteien?",
])
def test_the_parties_come_from_the_covenant_s_list_of_them(assistant, question):
    a = assistant.ask(question)
    lead = a.answer.split("\n")[0]
    assert a.found and "10" in lead and "OCW" in lead and "Stadsregio Parkstad Limburg" in lead
    assert set(labels(a)[:2]) == {"Partijen, het Rijk", "Partijen, partij 10 (de Regio)"}
    assert "9" in assistant.ask("Hoeveel ministeries doen mee?").answer.split("\n")[0]


@pytest.mark.parametrize("question", [
    "Wat is het budget van de Human Capital Agenda?",  # a close match on the agenda, no amount for it
    "How much does the raw materials depot cost?",
    "Hoeveel jongeren doen mee aan Kansrijke Start?",   # a close match, but no number of young people
    "Wanneer is de Stadsregio opgericht?",               # only who is named: its founding must be dated
])
def test_a_close_match_without_the_kind_of_answer_asked_is_refused(assistant, question):
    assert not assistant.ask(question).found


def test_a_count_is_answered_with_the_matching_part_of_an_enumeration(assistant):
    lead = assistant.ask("Hoeveel inwoners heeft Heerlen Noord ongeveer?").answer.split("\n")[0]
    assert "56.000" in lead and "12.500" not in lead


def test_a_party_s_commitments_on_a_subject(assistant):
    a = assistant.ask("Wat doet de regio aan armoede?")
    assert a.found and all("Thema 3 Wonen" in lab for lab in labels(a))
    szw = assistant.ask("Wat doet het ministerie van SZW in deze deal?")
    assert "Artikel 2 lid 5, Programmalijn 1, Thema 1 Talentrijke Regio, onder b" in labels(szw)  # co-actor


def test_programmalijn_by_its_subject():
    assert read_query("Who coordinates the rural area programme line?", []).programmalijn == "2"
    assert read_query("Hoeveel geld gaat naar de lijn landelijk gebied?", []).programmalijn == "2"
    assert read_query("Wat is de rol van het landelijk gebied?", []).programmalijn is None


def test_a_party_s_commitments_on_a_subject_it_has_none_on_are_not_listed(assistant):
    refused = assistant.ask("Wat doet OCW aan windmolens?")
    assert not refused.found
    answered = assistant.ask("Wat doet de regio met de vezelgewassen?")
    assert answered.found and labels(answered)[0].endswith("Thema 4 Circulaire economie, onder c")


def test_a_name_s_words_are_no_cue_for_what_is_asked():
    assert "when" not in read_query("How many young people take part in Kansrijke Start?", []).intents
    assert "when" in read_query("When does the deal start?", []).intents
    assert "amount" in read_query("Wie viel Geld bekommt die Regio Deal Förderung?", []).intents  # German nouns


def test_a_theme_named_in_other_words_is_recognised():
    themes = ["Ruim baan voor ondernemerschap - aanpak MKB", "Veiligheid"]
    assert read_query("Was tut die Region für kleine und mittlere Unternehmen?", themes).themes == (themes[0],)
    assert read_query("Wat doet de regio voor het mkb?", themes).themes == (themes[0],)
    # a compound's last part the glossary knows: Kinder|armut, armoede
    assert "armoede" in read_query("Was tut die Region gegen Altersarmut?", themes).expansion
