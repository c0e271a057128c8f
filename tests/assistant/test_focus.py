"""Reading what a question asks for (a count, a frequency, the holder of a role in something), and the refusals
that follow when no retrieved clause can hold such an answer."""

from __future__ import annotations

import pytest

from assistant.coverage import QUESTION_WORDS
from assistant.focus import (
    Focus,
    asking_sentence,
    clause_final_verbs,
    counted,
    counted_after,
    named_holder,
    names_one,
    read_focus,
)
from assistant.lexical import stem


def phrasing(word: str) -> bool:
    return stem(word) in QUESTION_WORDS


@pytest.mark.parametrize("question, language, focus", [
    ("Hoeveel fietspaden komen er in Kerkrade?", "nl", Focus("count", ("fietspaden",), ("kerkrade",))),
    ("How many new bus stops are planned?", "en", Focus("count", ("bus", "stops"))),
    ("Wie viele Lehrer werden eingestellt?", "de", Focus("count", ("lehrer",), ("eingestellt",))),
    ("How many people are unemployed?", "en", Focus("count", ("people",), ("unemployed",))),
    ("How many cases are discussed?", "en", Focus("count", ("cases",), ("discussed",))),   # case, a head here
    ("Welk deel van de banen zit op bedrijventerreinen?", "nl", Focus("share", (), ("banen", "bedrijventerreinen"))),
    ("Hoe vaak komt de stuurgroep bijeen?", "nl", Focus("frequency", (), ("stuurgroep", "bijeen"))),
    ("Wie is de secretaris van de Stadsregio?", "nl", Focus("role", ("secretaris",), ("stadsregio",))),
    ("Who chairs the steering group?", "en", Focus("role", ("voorzitter",), ("steering", "group"))),
    ("Wer leitet das New Regional Bauhaus?", "de", Focus("lead", (), ("regional", "bauhaus"))),
    ("Welke gemeente heeft de meeste inwoners?", "nl", Focus("superlative", ("inwoners",))),
    ("Waar is de opgave het grootst?", "nl", Focus("superlative", ())),
    ("Welke gemeente is de grootste van Parkstad?", "nl", Focus("superlative", ("gemeente",))),
    ("Tot wanneer loopt de VoorzieningenWijzer?", "nl", Focus("when", (), ("voorzieningenwijzer",))),
    ("When was the Stadsregio founded?", "en", Focus("when", (), ("stadsregio", "founded"))),
    ("Waar ligt het grondstoffendepot?", "nl", Focus("where", (), ("grondstoffendepot",))),
    ("Wie zitten er namens het Rijk in de stuurgroep?", "nl", Focus("members", (), ("rijk", "stuurgroep"))),
    ("Does the deal pay for a new train station?", "en", Focus("funded", (), ("train", "station"))),
    ("Is there anything about a revolving fund?", "en", Focus()),   # a fund is no paying
    ("What is the salary of the programme manager?", "en", Focus("attribute", ("salary",), ("programme", "manager"))),
    ("What is done for early school leavers?", "en", Focus()),       # no determiner: no attribute asked
])
def test_the_focus_is_read_from_the_wording(question, language, focus):
    assert read_focus(question, language, phrasing) == focus


@pytest.mark.parametrize("question", [
    "Hoeveel geld krijgt Heerlen?",                # an amount, not a count
    "Hoeveel jaar loopt de deal?",                 # a period
    "Wie is de trekker?",                          # a role in nothing named
    "Wat is de looptijd van de deal?",             # a period: an answer kind, said in many ways
    "Wat is de rol van OCW?",
    "Wat doet EZ?",
])
def test_amounts_periods_attributes_and_framing_words_give_no_focus(question):
    assert read_focus(question, "nl", phrasing) == Focus()


SCHOOLS, UNIVERSITIES, INSTITUTIONS = ("school", "scholen"), ("universiteit", "hogeschool"), ("instellingen",)


@pytest.mark.parametrize("text, forms, expected", [
    ("met de kennisinstellingen (ten minste Universiteit Maastricht, Zuyd Hogeschool, Vista)", INSTITUTIONS, True),
    ("het onderwijsaanbod van de RWTH Aachen, Universiteit Maastricht en Zuyd Hogeschool", UNIVERSITIES, True),
    ("de triple helix samenwerking tussen de med-tech bedrijven, kennisinstellingen en overheden", INSTITUTIONS,
     False),
    ("de huidige Rijke Schooldag/ GBT-scholen in schooljaar", SCHOOLS, False),        # a kind of school, none named
    ("rekening gehouden met het programma School & Omgeving", SCHOOLS, False),        # a programme's name
    ("Onderwijsinstellingen Zuyd Hogeschool en Universiteit Maastricht", SCHOOLS, False),  # a hogeschool is no school
])
def test_an_institution_is_named_in_or_beside_its_kind(text, forms, expected):
    assert names_one(text, forms) is expected


def test_which_institutions_asks_for_named_ones():
    assert read_focus("Welke bedrijven zitten in Medlands?", "nl", phrasing).kind == "named"
    assert read_focus("Which local companies benefit?", "en", phrasing).kind == "named"
    assert read_focus("Welke ministeries doen mee?", "nl", phrasing).kind == ""   # named by abbreviation
    assert read_focus("Welche Landwirte machen mit?", "de", phrasing).kind == "named"   # people by name


def test_where_in_the_documents_is_no_question_for_a_place():
    assert read_focus("Waar staat iets over wonen?", "nl", phrasing).kind == ""


@pytest.mark.parametrize("question, verbs", [
    ("Moet de regio ook zelf geld inleggen?", {"inleggen"}),
    ("Kan ik een partij voor de rechter slepen als ze zich niet aan de deal houdt?", {"slepen"}),
    ("Wat doet de regio voor boeren?", set()),        # no modal verb: a clause-final word is no infinitive
])
def test_the_infinitive_ends_a_dutch_clause_with_a_modal_verb(question, verbs):
    assert clause_final_verbs(question) == verbs


def test_the_asking_sentence_is_read_and_a_name_s_exclamation_mark_ends_none():
    assert asking_sentence("Ik werk in Heerlen. Wanneer eindigt de deal?") == " Wanneer eindigt de deal?"
    assert asking_sentence("Wat doet het ACT! Interventieteam?") == "Wat doet het ACT Interventieteam?"


@pytest.mark.parametrize("text, counted_word, expected", [
    ("Heerlen Noord (ca. 56.000 inwoners)", "inwoners", True),
    ("acht gebieden waar met focus gewerkt wordt", "gebieden", True),
    ("de kwetsbaarheid van inwoners", "inwoners", False),
    ("vormt een kernopgave", "kernopgave", False),          # an article is no number
])
def test_a_count_needs_a_number_before_the_counted_word(text, counted_word, expected):
    assert counted(text, lambda w: w == counted_word) is expected


FOCUS_AREAS = "Nuth (6.500 inwoners), Simpelveld (ca. 5.500 inwoners)"
REGION = "zeven gemeenten (Beekdaelen, Voerendaal en Simpelveld) en telt ca. 260.000 inwoners"


@pytest.mark.parametrize("text, place, expected", [
    (FOCUS_AREAS, "simpelveld", True),
    (FOCUS_AREAS, "nuth", True),
    (REGION, "voerendaal", False),    # the region's number, not Voerendaal's
    (REGION, "heerlen", False),       # not there at all
])
def test_a_count_of_a_place_stands_right_after_it(text, place, expected):
    assert counted_after(text, place, lambda w: w == "inwoners") is expected


@pytest.mark.parametrize("text, expected", [
    ("onder leiding van een projectleider, is verantwoordelijk", False),    # there is one; who is not said
    ("belegd bij de voorzitters van de Regionale bestuurscommissies", True),
    ("De Minister van VRO, mevrouw M.C.G. Keijzer", True),                 # the role is not in the text
    ("terecht bij een daartoe aangewezen contactpersoon bij EZ", False),   # "een" a few words before
])
def test_a_role_holder_is_named_unless_only_an_indefinite_one_is_mentioned(text, expected):
    assert named_holder(text, ("projectleider", "voorzitters", "contactpersoon")) is expected


@pytest.mark.parametrize("question", [
    "Hoeveel medewerkers telt het programmateam Zuid-Limburg?",   # no clause gives a number of staff
    "Wie is de voorzitter van de stuurgroep landelijk gebied?",  # the steering group has no chair named
    "Hoe vaak komt de stuurgroep landelijk gebied bij elkaar?",  # no frequency for the steering group
    "Wat kost het Euregionaal Kenniscluster Heerlen?",           # no amount beside the cluster
    "Wer leitet das New Regional Bauhaus?",                      # a hub location, led by no one named
    "How many inhabitants does Voerendaal have?",                # only the region's number is given
    "Who is the project leader of Kansrijke Start?",             # "onder leiding van een projectleider"
    "Which municipality has the most inhabitants?",              # the covenant ranks no municipalities
    "Wanneer is het regionaal grondstoffendepot af?",            # no date beside the depot
    "When was the Stadsregio founded?",                          # dates, but none of a founding
    "Waar komt het grondstoffendepot te liggen?",                # the depot's clauses name no place
    "Welke bedrijven doen mee aan Medlands Parkstad?",          # med-tech companies, none by name
    "Wie zitten er in de stuurgroep landelijk gebied?",          # its clause says what it links, not who sits
    "Wie is de contactpersoon bij EZ?",                          # "een daartoe aangewezen contactpersoon"
    "Wer war der vorherige Wirtschaftsminister?",                # the clauses name today's minister
    "Welk percentage van de inwoners is werkloos?",              # werkloosheid is named, with no per cent
    "How many people are unemployed in Heerlen?",                # inhabitants are counted, the unemployed not
    "Wanneer is de volgende vergadering van het Rijk-Regio-overleg?",   # once a year, no next date
    "Who pays for the Einstein Telescope?",                     # its clause speaks of education, not money
    "Wat vindt de provincie Limburg van de deal?",              # the covenant gives no one's opinion of it
    "Who is the contact person at EZ?",                         # "een daartoe aangewezen contactpersoon"
    "Betaalt de deal mee aan een nieuw zwembad?",                # no activity of the deal on a swimming pool
    "Komt er een Regio Deal Parkstad Limburg IV?",               # no clause speaks of a fourth deal
    "What is the address of the Stadsregio?",                   # an attribute no clause speaks of
    "Welche Projekte sind bereits abgeschlossen?",               # progress so far: the covenant plans
    "Wanneer komt het Rijk-Regio-overleg voor het eerst bijeen?",  # "de volgende vertegenwoordigers:" is no next
    "Wann beginnt der nächste Regio Deal?",
    "How much does the province contribute?",                   # the province stands beside no amount
])
def test_questions_whose_answer_no_clause_holds_are_refused(assistant, question):
    a = assistant.ask(question)
    assert not a.found and a.citations


@pytest.mark.parametrize("question, label", [
    ("Hoeveel inwoners wonen er in Kerkrade Oost?", "Begripsbepaling, Focusgebieden"),
    ("Wie viele Einwohner hat Schinveld?", "Begripsbepaling, Focusgebieden"),
    ("Welke programmalijn krijgt het meeste geld?", "Artikel 3 lid 3, tabel"),   # the table ranks by amount
    ("Hoe vaak komt het Rijk-Regio-overleg samen?", "Artikel 5 lid 2"),
    ("How many focus areas does the deal name?", "Begripsbepaling, Focusgebieden"),
    ("Wie zijn de trekkers van programmalijn 2?", "Artikel 2 lid 12, Programmalijn 2, onder a"),
    ("Tot wanneer wordt de VoorzieningenWijzer ingezet?",
     "Artikel 2 lid 13, Programmalijn 3, Thema 3 Wonen, onder a"),
    ("Waar ligt het Einstein Telescope Education Center?",          # "in Kerkrade gevestigde"
     "Artikel 2 lid 11, Programmalijn 1, Thema 7 Grensoverstijgende samenwerking, onder c"),
    ("Moet de regio zelf ook geld inleggen?", "Artikel 3 lid 3"),   # inleggen: the verb, not the subject
    ("When must the baseline be described?", "Artikel 6 lid 1"),     # described: the verb, not the subject
    ("Who sits on the Rijk-Regio-overleg?", "Artikel 5 lid 3"),      # "bestaat uit de volgende vertegenwoordigers"
    ("Welk deel van de werkgelegenheid zit op bedrijventerreinen?", "Opgaven, opgave 1"),   # "ruim 25%"
    ("How many hectares of new plots are needed for business parks?", "Opgaven, opgave 1"),  # "110 hectare"
    ("Wat verwacht de regio van het Rijk bij actief grondbeleid?",   # verwacht: the verb, not the subject
     "Artikel 2 lid 13, Programmalijn 3, Thema 3 Wonen, onder b, punt 7"),
    ("In welke sectoren is de arbeidsmarkt het krapst?", "Opgaven, opgave 1"),   # krapst: krap at its highest
    ("Bij wie komen toetredingsverzoeken binnen?", "Artikel 12 lid 2"),          # "verzoek tot toetreding"
    ("Waar komen de programmalijnen vandaan?", "Begripsbepaling, Programmalijn"),  # vandaan frames it
    ("Wen begleiten die IPTA-Coaches?",                                           # wen: whom, German
     "Artikel 2 lid 13, Programmalijn 3, Thema 2 Veiligheid, onder a"),
    ("Was sind modulare Kreislaufwohnungen?", "Begripsbepaling, Circulaire modulaire woningen"),
    ("Wo liegt Parkstad?", "Overwegingen, overweging 7"),   # "grenzend aan de Städteregion Aachen"
    ("Wie betaalt de Regio Deal?", "Artikel 3 lid 2"),        # who pays: a clause with the money
    ("Wat wordt voortgezet uit Regio Deal Parkstad Limburg II?", "Artikel 2 lid 13, Programmalijn 3"),  # the 2nd deal
    ("What is the focus of programme line 2?", "Artikel 2 lid 12, Programmalijn 2"),   # "met een focus op"
    ("Hoeveel geld brengt de regio zelf in?", "Artikel 3 lid 3"),    # brengt: the finite verb, not the subject
    ("In welke gebieden liep de aanpak van het NPLG?", "Opgaven, opgave 2"),   # liep: a strong verb's past
    ("Wat is er al afgesproken over de VoorzieningenWijzer?",    # agreed already: the covenant itself
     "Artikel 2 lid 13, Programmalijn 3, Thema 3 Wonen, onder a"),
    ("Financiert de deal de VoorzieningenWijzer?",               # an activity of the deal (Artikel 2) on it
     "Artikel 2 lid 13, Programmalijn 3, Thema 3 Wonen, onder a"),
    ("Wie viel zahlt die Region insgesamt?", "Artikel 3 lid 3"),   # German "wie" is how: an amount, no payer
    ("Tot wanneer lopen de Regionale Prestatieafspraken?",   # fourth by similarity, first with a date beside it
     "Artikel 2 lid 13, Programmalijn 3, Thema 3 Wonen, onder b, punt 1"),
    ("Welke hogescholen werken samen in het kenniscluster?",        # "Universiteit Maastricht en Zuyd Hogeschool"
     "Artikel 2 lid 11, Programmalijn 1, Thema 7 Grensoverstijgende samenwerking, onder a"),
    ("Wie leidt het programmateam Kansrijke Start?",               # "onder leiding van een projectleider"
     "Artikel 2 lid 13, Programmalijn 3, Thema 1 Sociaaleconomische structuurversterking, onder a"),
])
def test_questions_whose_answer_a_clause_holds_are_answered(assistant, question, label):
    a = assistant.ask(question)
    assert a.found and label in [c.label for c in a.citations]


def test_a_clause_that_names_what_is_asked_for_is_moved_ahead(assistant):
    # the clauses on the programme team rank first; the one naming the foundation beside it comes later
    a = assistant.ask("Welke stichting is betrokken bij het programmateam Zuid-Limburg?")
    assert a.found and "Samenwerking Zuid-Limburg" in a.answer.split("\n")[0]
