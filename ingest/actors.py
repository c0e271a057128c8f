"""The actors the covenant names, with their aliases in Dutch, English and German."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Actor:
    """A signing party, a partner or another actor that carries commitments."""

    key: str
    name: str
    kind: str  # "party" | "partner" | "actor"
    abbreviations: tuple[str, ...] = ()  # matched case-sensitively
    aliases: tuple[str, ...] = ()  # matched case-insensitively, accents ignored
    signatory: str = ""
    not_before: tuple[str, ...] = ()  # words that, following a match, make it mean something else

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        words = [re.escape(_fold(a)).replace(r"\ ", r"[\s-]+") for a in (self.name, *self.aliases)]
        stop = "".join(rf"(?!\s+{re.escape(w)})" for w in self.not_before)
        return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])" + stop)

    @cached_property
    def abbreviation_pattern(self) -> re.Pattern[str] | None:
        if not self.abbreviations:
            return None
        words = [re.escape(a) for a in self.abbreviations]
        return re.compile(r"(?<![\w&])(?:" + "|".join(words) + r")(?![\w&])")

    def named_words(self, folded: str) -> set[str]:
        """The words of the (folded) text that name this actor: 'interior' and 'ministry' in 'the interior
        ministry'."""
        return {w for m in self.pattern.finditer(folded) for w in re.findall(r"[a-z0-9]+", m.group(0))}

    def named_with_modifiers(self, folded: str, is_function_word: Callable[[str], bool]) -> set[str]:
        """The naming words and the words right before a name that modify it ('the Dutch education ministry',
        'das niederländische Bildungsministerium'): up to two, stopping at a function word."""
        words = set()
        for m in self.pattern.finditer(folded):
            words |= set(re.findall(r"[a-z0-9]+", m.group(0)))
            for before in list(reversed(re.findall(r"[a-z0-9]+", folded[:m.start()])))[:2]:
                if is_function_word(before):
                    break
                words.add(before)
        return words

    def found_in(self, text: str, folded: str | None = None) -> bool:
        if self.abbreviation_pattern is not None and self.abbreviation_pattern.search(text):
            return True
        return bool(self.pattern.search(folded if folded is not None else _fold(text)))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'")


def _ministry(key: str, name: str, minister: str, aliases: tuple[str, ...]) -> Actor:
    """A ministry. Its key is its one canonical abbreviation in all output (IenW, JenV); the covenant's other
    spellings of it ('I&W' beside 'IenW') are aliases, recognised as the same actor."""
    return Actor(key, f"Ministerie van {name}", "party", (key,), (name, *aliases, *_ministers(aliases)), minister)


def _ministers(aliases: tuple[str, ...]) -> tuple[str, ...]:
    """The minister for each name of the ministry: 'Ministerium für Bildung' -> 'Minister für Bildung',
    'Bildungsministerium' -> 'Bildungsminister', 'education ministry' -> 'education minister'."""
    out = []
    for alias in aliases:
        for old, new in (("Ministerium", "Minister"), ("ministerium", "minister"), ("ministry", "minister"),
                         ("ministerie", "minister")):
            if old in alias and alias.replace(old, new) not in aliases:
                out.append(alias.replace(old, new))
                break
    return tuple(out)


MINISTRIES = (
    _ministry(
        "VRO", "Volkshuisvesting en Ruimtelijke Ordening", "De Minister van Volkshuisvesting en Ruimtelijke "
        "Ordening, mevrouw M.C.G. Keijzer",
        ("minister van VRO", "ministerie van VRO", "Keijzer", "housing ministry", "ministry of housing",
         "ministry of housing and spatial planning", "minister of housing", "Wohnungsbauministerium",
         "Bauministerium", "Ministerium für Wohnungswesen", "Ministerium für Wohnungsbau",
         "volkshuisvestingsministerie"),
    ),
    _ministry(
        "BZK", "Binnenlandse Zaken en Koninkrijksrelaties", "De Minister van Binnenlandse Zaken en "
        "Koninkrijksrelaties, de heer F. Rijkaart",
        ("Binnenlandse Zaken", "Rijkaart", "interior ministry", "ministry of the interior", "home affairs",
         "interior and kingdom relations", "Innenministerium", "Ministerium des Innern"),
    ),
    _ministry(
        "EZ", "Economische Zaken", "De Minister van Economische Zaken, de heer V.P.G. Karremans",
        ("Karremans", "economic affairs", "ministry of economic affairs", "economy ministry",
         "ministry of economy", "Wirtschaftsministerium", "Ministerium für Wirtschaft"),
    ),
    _ministry(
        "JenV", "Justitie en Veiligheid", "De Minister van Justitie en Veiligheid, de heer F. van Oosten",
        ("J&V", "justitieministerie", "ministerie van justitie", "van Oosten", "justice ministry",
         "ministry of justice", "ministry of justice and security", "Justizministerium",
         "Ministerium der Justiz", "Ministerium für Justiz"),
    ),
    _ministry(
        "IenW", "Infrastructuur en Waterstaat", "De Staatssecretaris van Infrastructuur en Waterstaat, "
        "de heer A.A. Aartsen",
        ("I&W", "I en W", "Aartsen", "infrastructure ministry", "ministry of infrastructure",
         "infrastructure and water management", "Infrastrukturministerium", "Verkehrsministerium",
         "Ministerium für Infrastruktur"),
    ),
    _ministry(
        "LVVN", "Landbouw, Visserij, Voedselzekerheid en Natuur", "De Minister van Landbouw, Visserij, "
        "Voedselzekerheid en Natuur, mevrouw Femke Marije Wiersma",
        ("landbouwministerie", "ministerie van landbouw", "Wiersma", "agriculture ministry",
         "ministry of agriculture", "Landwirtschaftsministerium", "Ministerium für Landwirtschaft"),
    ),
    _ministry(
        "SZW", "Sociale Zaken en Werkgelegenheid", "De Minister van Sociale Zaken en Werkgelegenheid, "
        "mevrouw M.L.J. Paul",
        ("Sociale Zaken", "social affairs", "ministry of social affairs", "labour ministry",
         "ministry of labour", "ministry of social affairs and employment", "Sozialministerium",
         "Arbeitsministerium", "Ministerium für Arbeit"),
    ),
    _ministry(
        "VWS", "Volksgezondheid, Welzijn en Sport", "De Staatssecretaris van Volksgezondheid, Welzijn en "
        "Sport, mevrouw J.Z.C.M. Tielen",
        ("Volksgezondheid", "Tielen", "ministerie van volksgezondheid", "gezondheidsministerie",
         "health ministry", "ministry of health", "ministry of health, welfare and sport",
         "Gesundheitsministerium", "Ministerium für Gesundheit"),
    ),
    _ministry(
        "OCW", "Onderwijs, Cultuur en Wetenschap", "De Staatssecretaris van Onderwijs, Cultuur en "
        "Wetenschap, de heer K.M. Becking",
        ("onderwijsministerie", "ministerie van onderwijs", "Becking", "education ministry",
         "ministry of education", "ministry of education, culture and science", "Bildungsministerium",
         "Kultusministerium", "Ministerium für Bildung", "Unterrichtsministerium"),
    ),
)

REGION = Actor(
    "Regio", "Stadsregio Parkstad Limburg", "party", ("SPL",),
    ("Stadsregio Parkstad", "Stadsregio", "de Regio", "Regio Parkstad", "dagelijks bestuur",
     "Bestuurscommissie", "bestuurscommissies", "the region", "city region", "Städteregion Parkstad",
     "die Region", "Parkstad Limburg region", "regiokassier"),
    signatory="Het dagelijks bestuur van de gemeenschappelijke regeling Stadsregio Parkstad Limburg, namens deze: "
    "de heer R. Wever en de heer R. de Boer",
    not_before=("deal", "deals", "envelop"),
)

PARTNERS = (
    Actor("SSZL", "Stichting Samenwerking Zuid-Limburg", "partner", (), ("South Limburg cooperation foundation",)),
    Actor("BMC", "Brede Maatschappelijke Coalitie Parkstad Limburg", "partner", ("BMC",),
          ("Brede Maatschappelijke Coalitie", "broad social coalition")),
    Actor("ESZL", "Economische Samenwerking Zuid-Limburg", "partner", ("ESZL",), ()),
    Actor("EBZL", "Economic Board Zuid-Limburg", "partner", (), ("economic board",)),
)

MUNICIPALITIES = ("Beekdaelen", "Brunssum", "Heerlen", "Kerkrade", "Landgraaf", "Simpelveld", "Voerendaal")

OTHERS = (
    Actor("programmateam Zuid-Limburg", "programmateam Zuid-Limburg", "actor", (),
          ("programmateam Zuid Limburg", "programme team South Limburg", "Programmteam Süd-Limburg")),
    Actor("programmateam Kansrijke Start", "programmateam Kansrijke Start", "actor", (),
          ("programmateam Kansrijke Start in Parkstad",)),
    Actor("projectgroep Rijke Schooldagen/GBT", "projectgroep Rijke Schooldagen/GBT", "actor", (),
          ("projectgroep Rijke Schooldagen", "projectgroep Rijke Schooldagen/ GBT")),
    Actor("Het Rijk", "het Rijk", "actor", (), ("Rijksoverheid", "the national government", "der Staat")),
    Actor("gemeenten", "de gemeenten", "actor", (),
          ("7 Parkstadgemeenten", "Parkstadgemeenten", "7 gemeenten", "zeven gemeenten",
           "municipalities", "Gemeinden", "Kommunen")),
    *(Actor(f"gemeente {m}", f"gemeente {m}", "actor", (), (m, f"Gemeinde {m}", f"municipality of {m}"))
      for m in MUNICIPALITIES),
    Actor("gemeente Maastricht", "gemeente Maastricht", "actor", (), ()),
    Actor("Universiteit Maastricht", "Universiteit Maastricht", "actor", ("UM",),
          ("Maastricht University", "Universität Maastricht")),
    Actor("Zuyd Hogeschool", "Zuyd Hogeschool", "actor", (),
          ("Hogeschool Zuyd", "Zuyd", "Zuyd University of Applied Sciences")),
    Actor("RWTH Aachen", "RWTH Aachen University", "actor", ("RWTH",),
          ("RWTH Aachen", "Rheinisch-Westfälische Technische Hochschule", "Universiteit van Aken",
           "Aachen university", "TH Aachen")),
    Actor("Brightlands", "Brightlands", "actor", (),
          ("Brightlands Medlands", "Brightlands Smart Services Campus", "Brightlands Start-up League")),
    Actor("Vista", "Vista college", "actor", (), ("Vista",)),
    Actor("Stichting Medlands Parkstad", "Stichting Medlands Parkstad", "actor", (),
          ("Stichting Medlands", "Medlands Parkstad")),
    Actor("GGD", "GGD", "actor", ("GGD",), ("public health service", "Gesundheitsamt")),
    Actor("woningcorporaties", "woningcorporaties", "actor", (),
          ("corporaties", "housing associations", "housing corporations", "Wohnungsbaugesellschaften",
           "Wohnungsgesellschaften")),
    Actor("RIEC", "RIEC", "actor", ("RIEC",), ("Regionaal Informatie- en Expertise Centrum",)),
    Actor("onderwijsbesturen", "onderwijsbesturen", "actor", (),
          ("onderwijspartners", "bestuurders van het voortgezet onderwijs", "school boards")),
    Actor("kennisinstellingen", "kennisinstellingen", "actor", (),
          ("kennispartners", "knowledge institutions", "Wissenseinrichtungen", "Hochschulen")),
    Actor("stuurgroep landelijk gebied", "stuurgroep landelijk gebied", "actor", (), ()),
    Actor("Partijen", "alle Partijen", "actor", (),
          ("Partijen", "Elke Partij", "alle Partijen", "all parties", "each party", "alle Parteien", "jede Partei")),
    Actor("Rijk-Regio-overleg", "Rijk-Regio-overleg", "actor", (),
          ("Rijk-Regio overleg", "Rijk–Regio-overleg", "national-regional consultation")),
)

ACTORS: tuple[Actor, ...] = (*MINISTRIES, REGION, *PARTNERS, *OTHERS)
BY_KEY = {a.key: a for a in ACTORS}
SIGNING_PARTIES: tuple[Actor, ...] = (*MINISTRIES, REGION)


def actors_in(text: str, kinds: tuple[str, ...] = ("party", "partner", "actor")) -> tuple[str, ...]:
    """Keys of the actors named in a text, in registry order."""
    folded = _fold(text)
    return tuple(a.key for a in ACTORS if a.kind in kinds and a.found_in(text, folded))


def find_actor(name: str) -> Actor | None:
    """The actor a user means by a name, abbreviation or alias in Dutch, English or German."""
    name = name.strip()
    if name in BY_KEY:
        return BY_KEY[name]
    lowered = {a.key.lower(): a for a in ACTORS}
    if name.lower() in lowered:
        return lowered[name.lower()]
    for actor in ACTORS:
        if actor.found_in(name):
            return actor
    return None
