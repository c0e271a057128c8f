"""Reading a question: its language, what it asks for, and the structure, parties and terms it names."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from assistant import cues
from assistant.glossary import PROGRAMMALIJN_NAMES, THEME_NAMES, expand, paraphrases
from assistant.instructions import addressed, read_past_instructions
from assistant.language import Language, detect_language
from assistant.lexical import fold, tokens
from ingest.actors import ACTORS, BY_KEY
from ingest.holds import held_values
from ingest.model import parse

ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6, "zevende": 7, "achtste": 8,
            "negende": 9, "tiende": 10, "elfde": 11, "twaalfde": 12, "dertiende": 13, "first": 1, "second": 2,
            "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "erste": 1, "zweite": 2, "dritte": 3, "vierte": 4}

_ARTICLE = re.compile(r"\b(?:artikel|article|art\.?|artikels)\s*(\d{1,2})\b", re.I)
_LID = re.compile(r"\b(?:lid|leden|paragraph|paragraaf|absatz|abs\.|clause|section)\s*(\d{1,2})\b", re.I)
_ORDINAL = r"\b(" + "|".join(ORDINALS) + r")(?:n|r|s|m)?\s+"  # German declines it: der zweiten Programmlinie
_ORD_LID = re.compile(_ORDINAL + r"(?:lid|paragraph|absatz)\b", re.I)
# never a bare 'lijn/line/Linie' here: 'in erster Linie' means first of all, 'de eerste lijn' primary care
_ORD_PL = re.compile(_ORDINAL + r"(?:programmalijn|programma-?lijn|programme line|program line|programmlinie|"
                     r"programmline|programmalinie)\b", re.I)
_LETTER = re.compile(
    r"\b(?:onder|sub|letter|point|punkt|buchstabe|item)\s+([a-i])\b|\b(\d{1,2})\s*(?:onder\s+)?([a-i])\b", re.I)
_PL = re.compile(r"\b(?:programmalijn|programma-?lijn|programme line|program line|programmlinie|programmline|"
                 r"programmalinie|lijn|line|linie)\s*(\d)\b", re.I)
_THEMA_NUM = re.compile(r"\b(?:thema|theme|topic)\s*(\d{1,2})\b", re.I)
# a numbered part outside the articles ('overweging 10', 'recital 10', 'Erwägung 6', 'opgave 2', 'partij 3'), and a page
_UNIT = re.compile(r"\b(overweging|recital|consideration|erw(?:ä|ae)gung|opgave|deelopgave|partij|party|partei)\s+"
                   r"(\d{1,2})\b", re.I)
_UNIT_PART = {"overweging": "overweging", "recital": "overweging", "consideration": "overweging",
              "erwägung": "overweging", "erwaegung": "overweging", "opgave": "opgave", "deelopgave": "opgave",
              "partij": "partij", "party": "partij", "partei": "partij"}
_PAGE = re.compile(r"\b(?:pagina|page|seite|blz\.?)\s*(\d{1,2})\b", re.I)
_FOOTNOTE = re.compile(r"\b(?:voetnoot|footnote|fußnote|fussnote)\s*(\d{1,2})\b", re.I)

TABLE_PAYERS = frozenset(("Het Rijk", "Regio"))  # the two whose shares the Artikel 3 table gives per line
_ANY = "*"
INTENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "who": {
        "nl": ("wie ", "wie?", "welke partij", "welke partijen", "verantwoordelijk", "trekker", "welk ministerie",
               "welke ministeries", "welke organisatie"),
        "en": ("who", "responsible", "which party", "which parties", "in charge", "which ministry",
               "which organisation", "which organization"),
        "de": ("wer ", "wer?", "verantwortlich", "zuständig", "welche partei", "welches ministerium",
               "welche ministerien", "welche organisation"),
    },
    "amount": {
        _ANY: ("budget", "mln", "miljoen", "million", "€", "euro", "rijksbijdrage", "btw", "vat"),
        "nl": ("hoeveel geld", "hoeveel euro", "bedrag", "bijdrage", "geld", "kosten", "financiering", "betaalt",
               "hoeveel", "middelen"),
        "en": ("how much", "money", "funding", "costs", "pays", "contribution", "financing"),
        "de": ("wie viel", "wieviel", "geld", "kosten", "zahlt", "finanzierung", "beitrag", "mittel"),
    },
    "when": {
        _ANY: ("2025", "2026", "2027", "2028", "2029", "2030", "deadline"),
        "nl": ("wanneer", "datum", "termijn", "looptijd", "tot wanneer", "hoe lang", "periode", "schooljaar",
               "voor welke datum", "uiterlijk", "loopt af", "eindigt", "begint", "start"),
        "en": ("when", "date", "until", "how long", "period", "deadline", "ends", "start", "expire"),
        "de": ("wann", "datum", "bis wann", "wie lange", "frist", "laufzeit", "endet", "beginnt", "zeitraum"),
    },
    "definition": {
        "nl": ("wat is een", "wat is de definitie", "wat wordt verstaan", "wat betekent", "definitie",
               "wat wordt bedoeld met", "wat bedoelt men met",
               "wat houdt", "wat zijn "),
        "en": ("what is a ", "what is an ", "what is meant", "mean", "definition", "what are "),
        "de": ("was ist ein", "was bedeutet", "was versteht man", "definition", "was sind ", "was heißt",
               "was heisst", "was meint man mit"),
    },
    "structure": {  # a part kind in the plural asks for the parts (compose checks it names nothing else)
        _ANY: ("thema's", "themas", "themes", "themen", "programmalijnen", "programme lines", "programmlinien",
               "artikelen", "articles"),
        "nl": ("welke thema", "welke artikelen", "welke programmalijnen", "hoeveel artikelen", "hoeveel thema",
               "welke onderdelen", "inhoudsopgave", "opbouw", "hoeveel programmalijnen"),
        "en": ("which themes", "what themes", "which articles", "which programme lines", "which program lines",
               "how many articles", "how many themes", "structure", "outline", "how many programme lines"),
        "de": ("welche themen", "welche artikel", "welche programmlinien", "wie viele artikel", "wie viele themen",
               "gliederung", "aufbau"),
    },
    "why": {
        "nl": ("waarom", "waartoe", "om welke reden"),
        "en": ("why", "for what reason"),
        "de": ("warum", "wieso", "weshalb", "aus welchem grund"),
    },
    "where": {
        _ANY: ("link", "website", "url", "pdf", "download"),
        "nl": ("waar kan ik", "waar vind ik", "voetnoot", "bron", "lezen", "terugvinden"),
        "en": ("where can i", "where do i find", "footnote", "source", "read"),
        "de": ("wo finde ich", "wo kann ich", "fußnote", "fussnote", "quelle", "nachlesen"),
    },
}


# Words that point back into the conversation: a leading conjunction, or a pronominal adverb (daar, there, dort).
_REFERS_BACK = re.compile(
    r"^(?:en|and|und|maar|but|aber|ook|also|auch)\b|\b(?:daar\w*|hier(?:bij|van|in|voor|mee|over)|ervan|"
    r"there|therein|thereof|dort|da(?:bei|zu|von|für|rin|rüber|mit))\b|\b(?:die|deze|that|this|diese[rs]?)\s+"
    r"(?:programmalijn|thema|lijn|line|programme|theme|linie|programmlinie)\b",
    re.I,
)
# asks for a count: the noun counted follows ("hoeveel ministeries", "how many parties", "wie viele Gemeinden")
_COUNT = re.compile(r"\b(?:hoeveel|how many|wie ?viele|anzahl(?: der| an)?|aantal|number of)\s+"
                    r"(?!(?:geld|euro|money|budget|mittel|funding|rijksgeld)\b)([^\W\d_][\w-]*)", re.I)
# the typed slot an answer must fill, from generic cues (counts, dates and amounts come from the intents)
_SLOTS = (
    ("person", re.compile(r"\b(?:naam|namen|name|names|heißt|heisst|hoe heet|contactpersoon|contact person|"
                          r"ansprechpartner\w*|welke persoon|which person|welche person|wer genau|wie precies)\b",
                          re.I)),
    # 'share' and 'stappen' are verbs too ('which municipalities share …', 'uit de deal stappen'): as nouns only
    ("percent", re.compile(r"\b(?:percentage|procent|percent|prozent|prozentsatz|aandeel|anteil)\b|%|"
                           r"\bshare\s+of\b|\b(?:what|which|the|its|their)\s+share\b|'s\s+share\b",
                           re.I)),
    ("steps", re.compile(r"\b(?:steps?|schritte?|hoe verloopt|wie läuft|wie verläuft|procedure|verfahren|"
                         r"ablauf|stappenplan)\b|\b(?:welke|de|alle|volgende|eerste|concrete|die|deze)\s+stappen\b|"
                         r"^\W*stappen\b|\bstap voor stap\b", re.I)),
    ("date", re.compile(r"\b(?:datum|termin)\b|(?<!\bto )\b(?:date|dates)\b", re.I)),  # not 'up to date
)
# a name or figure inside a sentence: a capitalised word, an acronym, a number of two digits or more
_NAME = re.compile(r"(?<![.?!:]\s)(?<!^)\b([A-ZÄÖÜ][\w\-]*[a-zäöüß][\w\-]*|[A-Z]{2,}[\w\-]*|\d{2,}(?:[.,]\d+)*)")
# the kinds of the covenant's parts a question speaks of ('welke thema's', 'how many articles')
_PART_KINDS = (("theme", re.compile(r"them|thema")), ("article", re.compile(r"artikel|article")),
               ("programmalijn", re.compile(r"programmalijn|programme line|program line|programmlinie")))
# a group asked for by a question word ('welke gemeenten', 'how many ministries'), and a group named anywhere
_GROUP = re.compile(r"\b(?:welke|which|what|welche|alle|all|noem|hoeveel|how many|wie viele|wer|who|wie zijn)\b"
                    r".{0,20}?\b(gemeenten|municipalities|gemeinden|kommunen|ministeries|ministries|ministerien|"
                    r"partijen|parties|parteien|vertragsparteien|signatories|ondertekenaars|unterzeichner)\b")
_GROUP_NOUN = re.compile(r"\b(gemeenten|municipalities|gemeinden|kommunen|ministeries|ministries|ministerien|"
                         r"ressorts?)\b")
# words that ask no more than who belongs to a group: taking part, signing, belonging, and the group's own names
MEMBERSHIP_WORDS = frozenset(tokens(
    "mee meedoen deelnemen deelnemende betrokken ondertekenen ondertekend tekenen horen behoren hoort vallen zitten "
    "bestaat bestaan omvat stadsregio parkstad limburg regio deal rijk rijk-regio-overleg overleg partij partijen "
    "take part participate participating involved sign signed signatories belong belongs included member members "
    "gehören gehört beteiligt teilnehmen nehmen teil unterzeichnen unterzeichnet mitglied mitglieder stadteregion"))
# asks where something is written (a place, a source, a link); naming a footnote alone asks for what it says
_ASKS_WHERE = re.compile(r"\b(?:waar|where|wo|bron|bronnen|source|sources|quelle|quellen|link|url|website)\b", re.I)
# a question word past the first: 'Kun je zeggen hoeveel …' is no yes/no question
_WH = re.compile(r"(?<!^)\b(?:wanneer|hoeveel|welke?|wie|wat|waar|hoe|when|how|which|what|who|where|wann|wieviel|"
                 r"welche[mnrs]?|wer|wo)\b", re.I)
_WHO_IS = re.compile(r"^\W*(?:wie|who|wer)\s+(?:is|ist|zijn|are|sind|was|war)\b", re.I)
WHAT_IS = re.compile(r"^\W*(?:wat|what|was|wer|who|wie)\s+(?:is|ist|zijn|are|sind|was|war)\b", re.I)



@dataclass(frozen=True)
class Asks:
    """What a question asks for, read once from cue words (`cues.py`): an amount or quantity, money, what is paid,
    a counted unit, a count, a party's commitments or duty, who signs, a document, whether it asks what is not so,
    and the years it names."""

    quantity: bool = False
    money: bool = False
    paid: bool = False
    counted_unit: bool = False
    count_cue: bool = False
    count_asked: bool = False
    commitment: bool = False
    duty: bool = False
    signing: bool = False
    document: bool = False
    negated: bool = False
    years: tuple[int, ...] = ()

    @classmethod
    def of(cls, text: str) -> Asks:
        said = {m.group(0).lower() for m in cues.SIGNING.finditer(text)}
        return cls(
            quantity=bool(cues.QUANTITY.search(text)), money=bool(cues.MONEY.search(text)),
            paid=bool(cues.PAID.search(text)), counted_unit=bool(cues.COUNTED.search(text)),
            count_cue=bool(cues.COUNT_CUES.search(text)), count_asked=bool(cues.COUNT_ASKED.search(text)),
            commitment=bool(cues.COMMITMENT_CUES.search(text)), duty=bool(cues.DUTY.search(text)),
            # who signs for a party, not who sits in a body on its behalf ("wie zit er namens de regio")
            signing=bool(said) and not (said <= {"namens", "behalf"} and bool(cues.SITS.search(text))),
            document=bool(cues.DOCUMENT_CUES.search(text)), negated=bool(cues.NEGATION.search(text)),
            years=tuple(int(y) for y in cues.YEAR.findall(text)),
        )


@dataclass(frozen=True)
class Query:
    """A question read for retrieval: language, intents, explicit references, parties, themes, terms."""

    text: str
    language: Language
    intents: tuple[str, ...]
    article: str | None = None
    lid: str | None = None
    letter: str | None = None
    programmalijn: str | None = None
    thema: str | None = None
    themes: tuple[str, ...] = ()
    theme_explicit: bool = False
    footnote: str | None = None
    unit: str | None = None  # a numbered part outside the articles, as the covenant names it ("overweging 10")
    page: int | None = None
    actors: tuple[str, ...] = ()
    expansion: str = ""
    paraphrase: str = ""
    words: tuple[str, ...] = field(default=())
    addressed: bool = False  # an instruction to the assistant ("ignore your rules"), asking nothing of the deal
    what_is: bool = False  # opens "what is / who is …": asks what something is, not what it does
    refers_back: bool = False  # points back into a conversation ("en …", "daar", "dort", "die programmalijn")
    unnamed_line: bool = False  # speaks of a programme line without saying which one
    lines: tuple[str, ...] = ()  # the programme lines named by their subject ('economie', 'landelijk gebied')
    holder: bool = False  # opens "who is …": asks who holds a role
    counted: str = ""  # the noun a "how many" question counts, folded ("ministeries"); "" when none
    asks: Asks = Asks()
    slot: str = ""  # the typed answer asked: person, percent, steps, count, date, amount; "" when none
    slot_words: tuple[str, ...] = ()  # the words that ask for it ('looptijd', 'budget', 'naam'), folded
    folded: str = ""  # the text folded once (`lexical.fold`); the documents' own terms are looked up in it
    terms: tuple[str, ...] = ()  # its stemmed content tokens (`lexical.tokens`)
    naming: tuple[str, ...] = ()  # the words naming its parties, with up to two words before each that modify it
    stated: tuple[str, ...] = ()  # the words of the values it states itself (a date, an amount, a count), folded
    names: tuple[str, ...] = ()  # the names and figures inside its sentences: capitalised words, acronyms, numbers
    parts: tuple[str, ...] = ()  # the kinds of the covenant's parts it speaks of: theme, article, programmalijn
    group: str = ""  # the group a plural noun names anywhere in it: ministries or municipalities
    members_of: str = ""  # the group whose members alone it asks for: ministries, municipalities or parties

    @property
    def of_table_payers(self) -> bool:
        """Whether it names no party but the Rijk and the Regio, whose shares the Artikel 3 table gives per line."""
        return set(self.actors) <= TABLE_PAYERS

    @property
    def line_money(self) -> bool:
        """Money for a programme line named by its subject, of no party but the table's payers: 'krijgt landelijk
        gebied meer rijksgeld dan economie?'."""
        return self.asks.money and bool(self.lines) and self.of_table_payers

    @property
    def lexical_text(self) -> str:
        """The words and their glossary expansion: an earlier turn's context for the embedder and BM25."""
        return f"{self.text} {self.expansion}".strip()

    @cached_property
    def lexical_terms(self) -> tuple[str, ...]:
        """The stemmed content tokens of the question and of its glossary expansion, for BM25 and sentence choice."""
        return (*self.terms, *tokens(self.expansion))

    @property
    def has_reference(self) -> bool:
        return any((self.article, self.lid, self.letter, self.programmalijn, self.thema, self.footnote, self.unit,
                    self.page)) or (
            self.theme_explicit and bool(self.themes))


def _names_masked(text: str) -> str:
    """The text less the names of two or more capitalised words inside a sentence ("Kansrijke Start")."""
    return re.sub(r"(?<=[\w,] )[A-Z][\w-]*(?: [A-Z][\w-]*)+", "", text)


_SEGMENT = re.compile(r"[^.!?:;]+[.!?:;]*")
_LEAD = re.compile(r"^\s*([^\W\d_]+(?:\s+[^\W\d_]+)?)\s*,\s*(?=\S)")


def without_framing(text: str, knows: Callable[[str], bool]) -> str:
    """The question less the sentences around it that say nothing the documents know ("Quick question:",
    "Ik ben benieuwd:", "Danke!", "Hoi,"): a segment is kept when it asks (ends in a question mark) or one of its
    words is known to them. Instructions to the assistant ("Ignore your rules.") are read past first; a text that
    is nothing but instructions is kept whole (read_query marks it as addressed to the assistant)."""
    rest, instructed = read_past_instructions(text)
    if instructed and rest:
        text = rest
    segments = [m.group(0) for m in _SEGMENT.finditer(text)]
    lead = _LEAD.match(text)
    if lead and not any(knows(w) for w in re.findall(r"[^\W_]+", lead.group(1))):
        segments = [m.group(0) for m in _SEGMENT.finditer(text[lead.end():])]
    kept = [s for s in segments if s.rstrip().endswith("?") or any(knows(w) for w in re.findall(r"[^\W_]+", s))]
    core = " ".join(s.strip() for s in kept).strip()
    return core if core else text


def read_query(text: str, theme_names: list[str], language: Language | None = None,
               term: Callable[[str], bool] | None = None) -> Query:
    """The question read for retrieval; `language` when known from elsewhere (the rest of a compound question);
    `term` tells the covenant's own words, which say nothing of the asker's language."""
    folded = fold(text)
    language = parse(Language, language, "language") if language else detect_language(text, term)
    # "Kansrijke Start" asks no date; German capitalises every noun, so a run of them is no name there
    lowered = (text if language == Language.DE else _names_masked(text)).lower()
    intents = tuple(
        name for name, by_lang in INTENTS.items()
        if any(_cue(cue).search(lowered) for cue in by_lang.get(_ANY, ()) + by_lang.get(language, ()))
    )
    article = _first(_ARTICLE, text)
    lid = _first(_LID, text)
    lid = lid or _ordinal(_ORD_LID, text)
    letter = None
    if (m := _LETTER.search(text)) is not None:
        if m.group(1):
            letter = m.group(1).lower()
        elif m.group(2) and m.group(3) and (lid is None or lid == m.group(2)):
            lid, letter = m.group(2), m.group(3).lower()
    words = tuple(re.findall(r"[^\W_]+(?:-[^\W_]+)*", folded))
    expansion = expand(list(words), folded)
    # a theme named in other words (kleine und mittlere Unternehmen: mkb)
    themes = tuple(name for name in theme_names if _mentions_theme(f"{folded} {fold(expansion)}", name))
    actors = tuple(a.key for a in ACTORS if a.found_in(text, folded))
    what_is = bool(WHAT_IS.match(text))
    programmalijn = _first(_PL, text) or _ordinal(_ORD_PL, text) or programmalijn_by_name(folded)
    asks, lines = Asks.of(text), lines_named(folded)
    if asks.money and "amount" not in intents and set(intents) <= {"who"} and lines and set(actors) <= TABLE_PAYERS:
        intents = (*intents, "amount")  # money for a programme line ('meer rijksgeld dan economie'): its table row
    return Query(
        text=text, language=language, intents=intents, article=article, lid=lid, letter=letter,
        programmalijn=programmalijn, thema=_first(_THEMA_NUM, text), themes=themes,
        theme_explicit=bool(themes) and bool(re.search(r"\b(thema|theme|themen|thema's|themes)\b", folded)),
        footnote=_first(_FOOTNOTE, text), actors=actors, words=words,
        unit=f"{_UNIT_PART[m.group(1).lower()]} {m.group(2)}" if (m := _UNIT.search(text)) else None,
        page=int(page) if (page := _first(_PAGE, text)) else None,
        expansion=expansion,
        paraphrase=paraphrases(folded),
        addressed=addressed(text),
        what_is=what_is,
        refers_back=bool(_REFERS_BACK.search(text)),
        unnamed_line=programmalijn is None and names_programmalijn(folded), lines=lines,
        counted=(counted := fold(m.group(1)) if (m := _COUNT.search(text)) else ""),
        slot=(slot := _slot(text, intents, "" if asks.paid or asks.money else counted)),
        slot_words=_slot_words(text, lowered, slot, language),
        asks=asks,
        holder=bool(_WHO_IS.match(text)),
        folded=folded, terms=(terms := tuple(tokens(text))),
        naming=tuple(sorted({w for key in actors for w in BY_KEY[key].named_with_modifiers(
            folded, lambda w: not tokens(w))})),
        stated=tuple(dict.fromkeys(fold(w) for v in held_values(text) for w in re.findall(r"[^\W_]+", v.text))),
        names=tuple(m.group(1) for m in _NAME.finditer(text)),
        parts=tuple(kind for kind, pattern in _PART_KINDS if pattern.search(folded)),
        group=group_of(m.group(1)) if (m := _GROUP_NOUN.search(folded)) else "",
        members_of=_members_of(folded, terms),
    )


def group_of(noun: str) -> str:
    """The group a plural noun names: the ministries, the municipalities, or the parties."""
    if noun.startswith(("minist", "ressort")):
        return "ministries"
    return "municipalities" if noun.startswith(("gemeen", "munic", "gemein", "kommun")) else "parties"


def _members_of(folded: str, terms: tuple[str, ...]) -> str:
    """The group a question asks the members of and nothing more ('which ministries work on education' asks more)."""
    m = _GROUP.search(folded)
    if m is None or set(terms) - MEMBERSHIP_WORDS - set(tokens(m.group(0))):
        return ""
    return group_of(m.group(1))


def _slot(text: str, intents: tuple[str, ...], counted: str) -> str:
    """The typed value the answer must hold: one named outright (a name, a share, steps, a date), else one the
    question's kind asks for (a count, a date, an amount); none for a yes/no question that names none (it asks
    whether), nor for one that asks where something is written (a source, a link: the reference is the answer)."""
    if _ASKS_WHERE.search(text):
        return ""
    named = next((name for name, cue in _SLOTS if cue.search(text)), "")
    if named:
        return named
    if cues.POLAR.match(text) and not _WH.search(text):  # a question word after the verb asks what, not whether
        return ""
    if counted:
        return "count"
    return "date" if "when" in intents else "amount" if "amount" in intents and cues.QUANTITY.search(text) else ""


def _slot_words(text: str, lowered: str, slot: str, language: Language) -> tuple[str, ...]:
    """The words of the question that ask for its typed slot, folded: they say what is asked, not about what
    ('Laufzeit', 'budget', 'hoe heet'), so they anchor nothing."""
    said: list[str] = []
    named = dict(_SLOTS).get(slot)
    if named is not None:
        said += [m.group(0) for m in named.finditer(text)]
    if slot == "date":
        said += [cue for cue in INTENTS["when"].get(_ANY, ()) + INTENTS["when"].get(language, ())
                 if _cue(cue).search(lowered)]
    elif slot in ("amount", "percent"):
        said += [m.group(0) for pattern in (cues.MONEY, cues.QUANTITY) for m in pattern.finditer(text)]
    elif slot == "count":
        said += [m.group(0) for m in cues.COUNT_ASKED.finditer(text)]
    return tuple(dict.fromkeys(fold(w) for phrase in said for w in re.findall(r"[^\W_]+", phrase)))


@lru_cache(maxsize=1024)
def _cue(cue: str) -> re.Pattern[str]:
    cue = cue.strip()
    left = r"(?<!\w)" if cue[:1].isalnum() else ""
    right = r"(?!\w)" if cue[-1:].isalnum() else ""
    return re.compile(left + re.escape(cue) + right)


def _ordinal(pattern: re.Pattern[str], text: str) -> str | None:
    """The number an ordinal names ('het tweede lid', 'die dritte Programmlinie')."""
    m = pattern.search(text)
    return str(ORDINALS[m.group(1).lower()]) if m else None


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return m.group(1) if m else None


_PL_WORD = re.compile(r"\b(?:programmalijn|programma-?lijn|lijn|programme line|program line|line|"
                      r"programmlinie|linie|programma|programme|program|programm)\b")  # "the rural programme"


def names_programmalijn(folded: str) -> bool:
    """Whether the text speaks of a programme line ('die programmalijn', 'this line')."""
    return bool(_PL_WORD.search(folded))


def programmalijn_by_name(folded: str) -> str | None:
    """'the rural area programme line', 'programmalijn landelijk gebied': the line named by its subject."""
    if not _PL_WORD.search(folded):
        return None
    found = lines_named(folded)
    return found[0] if len(found) == 1 else None


def lines_named(folded: str) -> tuple[str, ...]:
    """The programme lines a text names by their subject ('economie', 'landelijk gebied'), in order."""
    return tuple(n for n, names in PROGRAMMALIJN_NAMES.items()
                 if any(re.search(rf"(?<![a-z]){re.escape(fold(name))}", folded) for name in names))


def _mentions_theme(folded: str, name: str) -> bool:
    base = fold(name)
    head = base.split(" - ")[0]
    if head in folded:
        return True
    for key, aliases in THEME_NAMES.items():
        if head.startswith(key) or key.startswith(head):
            return any(re.search(rf"(?<![a-z]){re.escape(a)}", folded) for a in (key, *aliases))
    return False
