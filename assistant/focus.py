"""What a question asks for, read from its wording: a count ("hoeveel scholen"), a share ("welk deel"), a frequency
("hoe vaak"), a date ("wanneer"), a place ("waar ligt"), named institutions ("welke bedrijven"), the members of a
body ("wie zitten er in"), who pays, whether the deal pays for something, the holder of a role in something ("wie is
de voorzitter van de stuurgroep"), who leads something ("wie leidt het team"), a ranking ("de meeste") or an
attribute of something ("wat is het salaris van de projectleider"). The answerer checks that a retrieved clause can
hold such an answer; the patterns here tell it what such a clause says (LEADING, MEMBERSHIP, PAYMENT_SAID,
SHARE_SAID, FREQUENCY, RANKING)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.lexical import STOP, fold

_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_COUNT = (("hoeveel",), ("hoe", "veel"), ("how", "many"), ("wie", "viele"), ("wie", "vielen"), ("wieviele",))
# how a count is framed ("hoeveel mensen wonen er", "how many hectares are needed"), never what it is of
_COUNT_FRAME = frozenset("wonen woont wonend live lives living wohnen wohnt leben lebt werken werkt work works "
                         "arbeiten arbeitet telt tellen nodig needed benotigt erbij dazu extra zusatzlich "
                         "additional in total totaal insgesamt".split())
_SHARE = (("welk", "deel"), ("welk", "percentage"), ("hoeveel", "procent"), ("what", "share"), ("what", "percentage"),
          ("what", "proportion"), ("which", "share"), ("how", "many", "percent"), ("welcher", "anteil"),
          ("welchen", "anteil"), ("wie", "viel", "prozent"), ("wie", "viele", "prozent"), ("hoe", "groot", "deel"))
SHARE_SAID = re.compile(r"\d\s*%|\bprocent\b|\bpercentage\b", re.I)
# a clause's subject starting right after "hoeveel X": X was its verb ("hoeveel legt de regio in")
_SUBJECT_START = frozenset("de het een ik je jij we wij ze zij hij u the a an der die das den dem es ich wir sie "
                           "man".split())
_FREQUENCY = (("hoe", "vaak"), ("hoe", "dikwijls"), ("how", "often"), ("how", "frequently"), ("wie", "oft"),
              ("wie", "haufig"))
_WHO = frozenset(("wie", "who", "wer"))
_WHEN = frozenset(("wanneer", "when", "wann"))
# how a when-question frames its time ("tot wanneer loopt", "when does it start"), never what it asks about
_TIME_FRAME = frozenset(
    "tot vanaf sinds uiterlijk begint beginnen start starten gestart eindigt eindigen afgelopen loopt lopen "
    "until till since by start starts started begin begins began end ends ended run runs running expire expires "
    "bis ab seit beginnt beginnen begonnen startet endet enden endete lauft laufen".split())
# "waar ligt het depot": a place is asked for; "waar staat iets over wonen" asks where in the documents
_LOCATED = frozenset("ligt liggen gelegen gevestigd located situated based liegt liegen befindet sitzt".split())
_WHERE = frozenset(("waar", "where", "wo"))
# who belongs to a body ("wie zitten er in", "who sits on", "wer gehört zu"): a clause must say what it consists of
_MEMBER_WORDS = frozenset("zit zitten lid leden samenstelling sits sit member members composition sitzt sitzen "
                          "gehort gehoren mitglied mitglieder zusammensetzung".split())
# who pays for something: a clause on it must speak of money (German "wie" is how: "wie viel zahlt")
_WHO_BY_LANGUAGE = {"nl": "wie", "en": "who", "de": "wer"}
_PAY_WORDS = frozenset("betaalt betalen financiert financieren bekostigt bekostigen pays pay paid funds fund "
                       "finances finance bezahlt bezahlen zahlt zahlen finanziert finanzieren".split())
PAYMENT_SAID = re.compile(r"€|\bmln\b|miljoen|financi\w*|bijdrage\w*|middelen|reserveert|betaal\w*|kosten|"
                          r"bekostig\w*|subsidie\w*|uitkering", re.I)
# a question asking yes or no opens with its verb ("betaalt de deal ...", "does the deal pay ...")
_YES_NO = frozenset("betaalt betalen financiert financieren bekostigt bekostigen does do did will is are can "
                    "zahlt bezahlt finanziert wird werden".split())
_PAY_NOUNS = frozenset("fund finance".split())  # "is there anything about a fund"
_ON_BEHALF = frozenset("namens vanuit behalf namen seitens".split())  # "namens het Rijk": which side, not what body
MEMBERSHIP = re.compile(r"\bbestaa\w* uit\b|\bdeelnemen\b|\bzitting\b|\bvertegenwoordigers?\b|\bleden\b|"
                        r"\bsamengesteld\b|\blid van\b|:\s+\S", re.I)
_WHICH = frozenset("welke welk which what welche welcher welches".split())
# kinds of institution whose members have names ("welke bedrijven" asks for companies by name): the Dutch
# words the covenant would use, and the words a question may use. Ministries, municipalities, partners and
# "organisations" are left out: the covenant names those by abbreviation, by its structure or as a clause's subject
_INSTITUTIONS: dict[tuple[str, ...], frozenset[str]] = {
    ("bedrijf", "bedrijven", "onderneming", "ondernemingen"): frozenset(
        "bedrijf bedrijven ondernemingen companies company firms firm businesses unternehmen firmen firma "
        "betrieb betriebe".split()),
    ("school", "scholen"): frozenset("school scholen basisscholen schools schule schulen grundschulen".split()),
    ("bank", "banken"): frozenset("bank banken banks".split()),
    ("corporatie", "corporaties"): frozenset(
        "corporatie corporaties woningcorporatie woningcorporaties wohnungsbaugesellschaften".split()),
    ("ziekenhuis", "ziekenhuizen"): frozenset(
        "ziekenhuis ziekenhuizen hospital hospitals krankenhaus krankenhauser klinik kliniken".split()),
    ("universiteit", "universiteiten", "hogeschool", "hogescholen"): frozenset(
        "universiteit universiteiten university universities universitat universitaten hogeschool hogescholen "
        "hochschule hochschulen college colleges".split()),
    ("instelling", "instellingen"): frozenset(
        "instelling instellingen kennisinstellingen onderwijsinstellingen institution institutions institute "
        "institutes einrichtung einrichtungen".split()),
    ("museum", "musea"): frozenset("museum musea museums museen".split()),
    ("winkel", "winkels"): frozenset("winkel winkels shop shops store stores geschaft geschafte laden".split()),
    ("vereniging", "verenigingen"): frozenset(
        "vereniging verenigingen association associations verein vereine club clubs".split()),
    ("werkgever", "werkgevers"): frozenset("werkgever werkgevers employer employers arbeitgeber".split()),
    ("stichting", "stichtingen"): frozenset("stichting stichtingen foundation foundations stiftung stiftungen".split()),
    # people the covenant would name if it meant particular ones ("welke boeren doen mee")
    ("boer", "boeren", "agrarier", "agrariers", "landbouwer", "landbouwers"): frozenset(
        "boer boeren agrariers landbouwers farmer farmers landwirt landwirte bauer bauern".split()),
    ("ondernemer", "ondernemers"): frozenset("ondernemer ondernemers entrepreneur entrepreneurs unternehmer".split()),
    # places within the region ("welke wijken in Brunssum"): named as "de stedelijke gebieden Brunssum Noord/Oost"
    ("wijk", "wijken", "buurt", "buurten", "gebied", "gebieden", "stadsdeel", "stadsdelen", "kern",
     "kernen"): frozenset("wijk wijken buurt buurten stadsdelen neighbourhood neighbourhoods neighborhood "
                          "neighborhoods districts viertel stadtteil stadtteile quartiere".split()),
}
# "who chairs X" asks for X's chair; "who leads X" for whoever leads it, which a clause says in many ways (LEADING)
_ROLE_VERBS = {"chairs": ("voorzitter",), "chair": ("voorzitter",), "presides": ("voorzitter",)}
_LEAD_VERBS = frozenset("leidt leiden leads heads coordinates directs leitet leiten fuhrt koordiniert".split())
LEADING = re.compile(r"\b(?:leiding|\w*leiders?|leidt|trekker\w*|regie|co[oö]rdinat\w*|co[oö]rdineert|lead|"
                     r"voorzitters?|verantwoordelijk\w*|aansturing|stuurt)\b", re.I)
_COPULA = frozenset("is zijn are ist sind was were waren".split())
_WHAT = frozenset("wat what was".split())  # "wat is het salaris van ...": an attribute of something
_DETERMINER = frozenset("de het een the a an der die das den dem ein eine einen".split())
_OF = frozenset("van of von des der bij at voor for fur beim bei".split())
# counted in money or time: "hoeveel geld", "hoeveel jaar" ask for an amount or a period, not a count
_NOT_COUNTED = frozenset(
    "geld euro euros money procent percent prozent jaar jaren year years jahr jahre maand maanden month months "
    "monat monate week weken weeks woche wochen dag dagen day days tag tage keer times mal tijd time zeit".split())
_MONEY_HEAD = re.compile(r"(?:geld|bijdrage|budget|euros?|financiering|middelen|subsidies?|kosten|funding|funds?|"
                         r"beitrag|mittel|forderung|zuschuss)$")
# words that say what kind of answer is wanted (a time, an amount, a place, a party), not what it is about
_ANSWER_KINDS = frozenset(
    "termijn periode datum tijd tijdstip moment jaar jaren looptijd deadline waarde bedrag budget prijs kosten "
    "aantal plaats locatie plek partij partijen organisatie organisaties ministerie ministeries persoon "
    "period date time term duration year years value amount price cost costs number place location party parties "
    "organisation organization ministry ministries person "
    "frist zeitraum zeit jahr jahre laufzeit wert betrag preis kosten anzahl ort stelle partei parteien "
    "organisation ministerium ministerien person".split())
# words for a thing's relation to what it is asked of (its purpose, task, meaning, content, result): they frame
# a question ("wat is de functie van de stuurgroep") and never name its subject
RELATION_WORDS = frozenset(
    "doel doelen doelstelling doelstellingen bedoeling functie taak taken rol opdracht inhoud betekenis definitie "
    "status stand idee nut zin aanpak plan ambitie ambities aanleiding achtergrond kern resultaat resultaten gevolg "
    "gevolgen effect effecten "
    "purpose aim aims goal goals objective objectives function task tasks role content meaning definition idea "
    "point use approach plan result results effect effects consequence consequences ambition ambitions reason "
    "reasons background core essence "
    "ziel ziele zweck funktion aufgabe aufgaben rolle inhalt bedeutung definition ergebnis ergebnisse folge folgen "
    "grund hintergrund anlass ambitionen "
    "wirkung ansatz".split())
_TIME_HEAD = re.compile(r"(?:termijn|periode|looptijd|duur|tijd|frist|laufzeit|dauer|period|term|duration)$")
_NUMBER_WORDS = frozenset(
    "twee drie vier vijf zes zeven acht negen tien elf twaalf twintig dertig veertig vijftig honderd duizend "
    "two three four five six seven eight nine ten eleven twelve twenty hundred thousand "
    "zwei drei vier funf sechs sieben acht neun zehn elf zwolf zwanzig hundert tausend".split())
_HEDGE = frozenset("ca circa ruim bijna minimaal maximaal tenminste ten minste zo'n about around approximately "
                   "etwa rund ungefahr mindestens hochstens totaal total".split())
# "welke gemeente heeft de meeste inwoners": a ranking the documents must make (importance is not asked as one:
# "het belangrijkste doel" is answered by the goals)
_SUPERLATIVE = frozenset(
    "meeste grootste hoogste kleinste laagste minste langste meest grootst hoogst kleinst laagst minst "
    "most largest biggest highest smallest lowest fewest least longest "
    "meisten grosste hochste kleinste niedrigste wenigsten langste".split())
RANKING = re.compile(r"\b(?:meest|grootst|hoogst|kleinst|laagst|minst|langst)e?\b", re.I)
FREQUENCY = re.compile(r"\b(?:per (?:jaar|maand|week|kwartaal)|jaarlijks\w*|maandelijks\w*|wekelijks\w*|"
                       r"\w*maal\b|periodiek\w*|frequent\w*|ieder jaar|elk jaar|elke (?:maand|week))", re.I)


@dataclass(frozen=True)
class Focus:
    """What a question asks for: `kind` ("count", "share", "frequency", "role", "lead", "superlative", "when",
    "where", "named", "members", "payer", "funded", "attribute", or "" when the wording says nothing), the words
    that name it (`asked`, its head last; any of them may stand for it), and the words of what it is asked of
    (`of`)."""

    kind: str = ""
    asked: tuple[str, ...] = ()
    of: tuple[str, ...] = ()


def read_focus(question: str, language: str = "nl", phrasing: Callable[[str], bool] = lambda w: False) -> Focus:
    """The focus of the question's asking sentence; `phrasing` tells words that frame a question but never
    name what it asks for (rol, taak, doel ...). Dutch and German write a compound noun as one word, so their
    noun phrase after "hoeveel" is one word; English may take two ("bus stops")."""
    words = _WORD.findall(fold(asking_sentence(question)))
    present = set(words)
    if _WHEN & present:
        return Focus("when", (), _content_but(words, phrasing, _WHEN | _TIME_FRAME))
    if _WHERE & present and _LOCATED & present:
        return Focus("where", (), _content_but(words, phrasing, _WHERE | _LOCATED))
    if _WHO_BY_LANGUAGE.get(language, "") in present and _PAY_WORDS & present:  # "wie betaalt de telescoop"
        return Focus("payer", (), _content_but(words, phrasing, _PAY_WORDS | _WHO))
    if words and words[0] in _YES_NO and (_PAY_WORDS - _PAY_NOUNS) & present:  # "does the deal pay for a station"
        return Focus("funded", (), _content_but(words, phrasing, _PAY_WORDS))
    if _WHO & present and _MEMBER_WORDS & present:  # "wie zitten er in de stuurgroep"
        return Focus("members", (), _content_but(words, phrasing, _MEMBER_WORDS | _WHO | _ON_BEHALF))
    for i, word in enumerate(words[:-1]):
        kind = next((k for w in words[i + 1:i + 3] for k, v in _INSTITUTIONS.items() if w in v), None)
        if word in _WHICH and kind:  # "welke bedrijven", "which local schools": named ones are asked for
            return Focus("named", kind, _content_but(words, phrasing, _INSTITUTIONS[kind] | _WHICH))
    for i, word in enumerate(words):
        if word in _SUPERLATIVE:  # "de meeste inwoners": what is ranked follows
            ranked = [w for w in words[i + 1:i + 2] if w not in STOP and not phrasing(w)]
            if not ranked:  # "welke gemeente is de grootste": what is ranked follows "welke"
                ranked = [words[j + 1] for j in range(i - 1) if words[j] in _WHICH and words[j + 1] not in STOP][:1]
            return Focus("superlative", tuple(ranked))
    size = 2 if language == "en" else 1
    for i in range(len(words)):
        for trigger in _SHARE:  # "welk deel van de banen", "what percentage": a share, stated in per cent
            if tuple(words[i:i + len(trigger)]) == trigger:
                return Focus("share", (), tuple(_content(words[i + len(trigger):], phrasing)))
    if len(words) > 3 and words[0] in _WHAT and words[1] in _COPULA and words[2] in _DETERMINER:
        asked, end = _noun_phrase(words, 3, phrasing, 1)  # "wat is het salaris van de projectleider"
        if asked and end < len(words) and words[end] in _OF and asked[-1] not in _ANSWER_KINDS | RELATION_WORDS \
                and not _MONEY_HEAD.search(asked[-1]) and not _TIME_HEAD.search(asked[-1]):
            return Focus("attribute", asked, tuple(_content(words[end + 1:], phrasing)))
    for i in range(len(words)):
        for trigger in _COUNT:
            if tuple(words[i:i + len(trigger)]) == trigger:
                asked, end = _noun_phrase(words, i + len(trigger), phrasing, size, counting=True)
                if end < len(words) and words[end] in _SUBJECT_START and len(asked) == 1:
                    return Focus()  # "hoeveel legt de regio in", "wie viel kostet das": a verb, an amount
                if asked and not _MONEY_HEAD.search(asked[-1]) and not _TIME_HEAD.search(asked[-1]):
                    return Focus("count", asked, tuple(w for w in _content(words[i + len(trigger):], phrasing)
                                                       if w not in asked and w not in _COUNT_FRAME))
                return Focus()
        for trigger in _FREQUENCY:
            if tuple(words[i:i + len(trigger)]) == trigger:
                return Focus("frequency", (), tuple(_content(words[i + len(trigger):], phrasing)))
        if words[i] not in _WHO:
            continue
        j = i + 1
        if j < len(words) and words[j] in _ROLE_VERBS:  # "who chairs ..."
            return Focus("role", _ROLE_VERBS[words[j]], tuple(_content(words[j + 1:], phrasing)))
        if j < len(words) and words[j] in _LEAD_VERBS:  # "wer leitet ..."
            return Focus("lead", (), tuple(_content(words[j + 1:], phrasing)))
        if j < len(words) and words[j] in _COPULA:
            j += 1
            if j < len(words) and words[j] in _DETERMINER:
                j += 1
            asked, end = _noun_phrase(words, j, phrasing, 3)
            if asked and end < len(words) and words[end] in _OF and (
                    asked[-1] not in _ANSWER_KINDS | RELATION_WORDS or len(asked) > 1):  # "contact person" is a role
                return Focus("role", asked[-1:], tuple(_content(words[end + 1:], phrasing)))
        return Focus()
    return Focus()


_MODAL = frozenset("moet moeten mag mogen kan kunnen kun wil willen wilt zal zullen zult gaat gaan ga hoeft hoeven "
                   "wordt worden".split())
_CLAUSE_END = re.compile(r"[,;:?!.]|\b(?:als|wanneer|omdat|zodat|terwijl|nadat|voordat|indien|tenzij)\b")


def clause_final_verbs(text: str) -> frozenset[str]:
    """Words ending a Dutch clause that holds a modal or auxiliary verb, where Dutch puts the infinitive: "moet de
    regio zelf geld inleggen", "kan ik een partij voor de rechter slepen als ..."; the caller checks they are
    verbs."""
    out = set()
    for clause in _CLAUSE_END.split(fold(text)):
        words = _WORD.findall(clause)
        if len(words) >= 3 and _MODAL & set(words[:-1]) and words[-1].endswith("en"):
            out.add(words[-1])
    return frozenset(out)


def asking_sentence(text: str) -> str:
    """The sentence that asks ("Ik werk in Heerlen. Wanneer eindigt de deal?"), or the whole text when no
    sentence ends in a question mark; a name's exclamation mark (ACT!) ends no sentence."""
    text = re.sub(r"\b([A-Z]{2,})!", r"\1", text)
    asked = [q for q in re.findall(r"[^.!?]*\?", text) if q.strip()]
    return asked[-1] if asked else text


def _noun_phrase(words: list[str], start: int, phrasing: Callable[[str], bool],
                 size: int, counting: bool = False) -> tuple[tuple[str, ...], int]:
    """The words of the noun phrase starting at `start` (at most `size`), and where it ends; none when the
    phrase is money or time ("hoeveel geld")."""
    asked: list[str] = []
    j = start
    while j < len(words) and len(asked) < size:
        word = words[j].removesuffix("'s")
        if word in STOP or word in _OF or word in _NOT_COUNTED and not asked:
            break
        if phrasing(word) and not (counting and not asked and (j + 1 == len(words) or words[j + 1] in STOP)):
            if asked or j > start:  # counted, a phrasing word with nothing after it is the head: "how many cases are"
                break
            j += 1  # one leading adjective: "how many new jobs"
            continue
        asked.append(word)
        j += 1
    return tuple(asked), j


def _content(words: list[str], phrasing: Callable[[str], bool]) -> list[str]:
    return [w.removesuffix("'s") for w in words if w not in STOP and not phrasing(w) and len(w) > 2]


def _content_but(words: list[str], phrasing: Callable[[str], bool], framing: frozenset[str]) -> tuple[str, ...]:
    """The content words less those that frame this kind of question (wanneer, ligt, betaalt ...)."""
    return tuple(w for w in _content(words, phrasing) if w not in framing)


_INDEFINITE = frozenset("een a an ein eine einen einem einer".split())


def _folded_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def ranks(text: str, matches: Callable[[str], bool]) -> bool:
    """Whether the text ranks something `matches` accepts ("de meeste inwoners"), or ranks at all when nothing
    is given to match ("waar de opgave het grootst is")."""
    words = _folded_words(text)
    return any(RANKING.fullmatch(w) and (matches("") or any(matches(n) for n in words[i + 1:i + 3]))
               for i, w in enumerate(words))


def named_holder(text: str, roles: tuple[str, ...]) -> bool:
    """Whether the text names who holds one of the roles, not just that there is one: "de voorzitters van de
    bestuurscommissies", not "onder leiding van een projectleider"; a role the text does not hold counts as
    named (the caller has checked it another way)."""
    words = _folded_words(text)
    found = [i for i, w in enumerate(words) if any(w == r or (len(r) > 5 and w.endswith(r)) for r in roles)]
    return not found or any(not _indefinite(words[max(0, i - 3):i]) for i in found)


def _indefinite(before: list[str]) -> bool:
    """Whether the nearest determiner among the words before a noun is an indefinite article ("een daartoe
    aangewezen contactpersoon")."""
    for word in reversed(before):
        if word in _INDEFINITE:
            return True
        if word in _DETERMINER or word in _OF:
            return False
    return False


_INTRODUCING = frozenset("( zoals waaronder namelijk minste bijvoorbeeld o.a. :".split())
_KIND_WORDS = frozenset(w for kind in _INSTITUTIONS for w in kind)
_APPOSITION = frozenset("( ten minste zoals waaronder namelijk onder andere bijvoorbeeld o.a. de het van : , "
                        "i.".split())


def names_one(text: str, forms: tuple[str, ...]) -> bool:
    """Whether the text names an institution of a kind (its Dutch `forms`): the kind's word as part of a name
    ("Universiteit Maastricht", "Zuyd Hogeschool") or a name in apposition to it ("kennisinstellingen (ten minste
    Universiteit Maastricht", "gemeente Maastricht"); not "med-tech bedrijven, kennisinstellingen en overheden"."""
    tokens = re.findall(r"[\w’'.-]+|[(:,&/;]", text)
    for i, token in enumerate(tokens):
        part = token.split("-")[-1]
        word = fold(part).rstrip(".")
        if not any(word == f or word.endswith(f) for f in forms) or (word in _KIND_WORDS and word not in forms):
            continue  # a hogeschool is no school: the word of another kind
        beside = tokens[i - 1:i] + tokens[i + 1:i + 2]
        if part[:1].isupper() and any(b[:1].isupper() for b in beside):  # a name, not "programma School & .."
            return True
        introduced = False  # "kennisinstellingen en economische partners (zoals Universiteit Maastricht"
        for j, after in enumerate(tokens[i + 1:i + 9] if not token.endswith(".") else (), start=i + 1):
            if after[:1].isupper() and (introduced or all(fold(t) in _APPOSITION for t in tokens[i + 1:j])):
                return not (after.isupper() and tokens[j - 1] == "(" and j == i + 2)  # not "scholen (VIOS)"
            introduced = introduced or fold(after) in _INTRODUCING
            if after.endswith(".") or after == ";":
                break
    return False


def counted_after(text: str, name: str, matches: Callable[[str], bool], reach: int = 32) -> bool:
    """Whether the text states a number of something `matches` accepts right after the (folded) name:
    "Simpelveld (ca. 5.500 inwoners)", not "Voerendaal en Simpelveld) en telt ca. 260.000 inwoners"."""
    folded = fold(text)
    return any(counted(folded[m.end():m.end() + reach], matches)
               for m in re.finditer(rf"(?<![a-z]){re.escape(name)}(?![a-z])", folded))


def counted(text: str, matches: Callable[[str], bool]) -> bool:
    """Whether the text states a number of something `matches` accepts: "ca. 56.000 inwoners", "acht gebieden"."""
    words = re.findall(r"[a-z0-9][a-z0-9.,]*|[(]", fold(text))
    for i, word in enumerate(words):
        if not matches(word.strip(".,")):
            continue
        for before in reversed(words[max(0, i - 3):i]):
            before = before.strip(".,")
            if before[:1].isdigit() or before in _NUMBER_WORDS:
                return True
            if before not in _HEDGE and before != "(":
                break
    return False
