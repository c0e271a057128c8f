"""Wie doet wat: every commitment in the covenant and every date, derived by rules from the parsed clauses.

Rules. A record is one actor's sentences within one clause (lettered item or bullet); its kind is set by its
first sentence.

* Not a commitment: a theme's heading; a conditional sentence (Als, Indien, Ingeval, Wanneer, Mocht …): a rule
  of reading or a consequence, not a promise; a definition, membership or composition (STATE: "zijn partner als
  onderdeel van", "bestaat uit", "wordt verstaan"), and the verbless items of a list such a sentence leads.
* Actor: a party named (name, alias or abbreviation; one key per actor, e.g. "I&W" and "IenW" are both IenW)
  before the predicate, or right after it when none stands before ("zal VWS …"); or X in "onder regie / coördinatie
  / leiding van X", "belegd bij X". A name right after another preposition (in, uit, bij, naar, voor, aan, van,
  door, via, op …) is a place, addressee, owner or beneficiary: neither actor nor co-actor.
* Predicate: the first phrase of EFFORT or RESULT in the record. Its words may stand apart, as Dutch separable
  and reflexive verbs do ("zetten Partijen zich per programmalijn in", "ziet er … op toe", "zijn bij vragen
  aanspreekbaar"): up to 8 words between two of them, never across . ; :. Of phrases starting at the same word,
  the one with most words wins ("zetten … zich … in" over "zetten"), then the tightest ("draagt zorg" over
  "draagt … bij").
* Kind: "effort" (inspanningsverplichting) when the predicate is an EFFORT phrase: zich inzetten / inspannen /
  sterk maken (also after zal, blijft, wil …), streven, ondersteunen, stimuleren, verkennen, delen, bijdragen,
  toezien, zoeken, onderzoeken, openstaan, aanspreekbaar / voornemens zijn; else "result"
  (resultaatverplichting): realiseert, ontwikkelt, organiseert, zorgt voor, informeert, zet … op / voort, zal …,
  and any commitment without a known predicate.
* Co-actor: a party the record names in a co-operation construction: "met", "samen met", "(in) samenwerking /
  overleg / afstemming met|tussen", "gesteund / ondersteund / vertegenwoordigd door", "(als) vertegenwoordiger
  van", "met steun / hulp / medewerking van", "(gedeelde) verantwoordelijkheid van", and "door" in a clause led
  "onder regie van" its actor. Names further on in the construction count too ("met X, Y en Z", "met overheden,
  X en bedrijfsleven", "zoals X", "waaronder X", "(ten minste X"), up to the end of its clause (. ; "dat",
  "zodat", "waarbij" … or the next predicate), unless a preposition stands right before the name ("samen met de
  gemeenten in de Regio"). A name in it before any known verb, not listed with the first, is the subject after
  an unknown verb ("Samen met X pakt Y … aan": Y acts). A later sentence of the record adds only its
  co-operation parties ("Dit in samenwerking met de GGD"), never its other names, and none when it names a subject
  of its own before its verb ("Dit gezamenlijke initiatief van X en Y ontwikkelt … met partners zoals Z").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from assistant.lexical import fold
from ingest.actors import ACTORS, BY_KEY, Actor
from ingest.model import Chunk, ChunkKind, HeldKind, Location
from ingest.text import split_sentences

_REFLEXIVE_EFFORT = ("zich inzetten", "zich in te zetten", "zich inspannen", "zich in te spannen", "zich sterk maken",
                     "zich sterk te maken")
_MODALS = ("zal", "zullen", "blijft", "blijven", "wil", "willen", "gaat", "gaan", "kan", "kunnen")
EFFORT = ("spant zich in", "spannen zich in", "zet zich in", "zetten zich in", "maakt zich sterk",
          "maken zich sterk", "streeft naar", "streeft ernaar",
          "blijft ernaar streven", "streven", "denkt", "deelt", "ondersteunt", "ondersteunen", "stimuleert",
          "verkent", "draagt actief bij", "draagt bij", "levert een inspanning", "zoekt", "ziet erop toe",
          "ziet toe", "zien toe", "erkent", "staat open", "is aanspreekbaar", "zijn aanspreekbaar",
          "zal onderzoeken", "onderzoeken", "zijn voornemens", "is voornemens", "kan",
          *_REFLEXIVE_EFFORT, *(f"{m} {r}" for m in _MODALS for r in _REFLEXIVE_EFFORT))
RESULT = ("continueert", "richt", "stelt", "ontwikkelt", "formuleert", "voert", "organiseert", "programmeert",
          "realiseert", "wijst", "benut", "zet", "zetten", "bereidt", "reserveert", "draagt zorg", "brengt",
          "bepaalt", "vervult", "rapporteert", "verzamelt", "gebruikt", "zal", "legt", "sluit", "toetsen",
          "werkt", "stuurt", "is verantwoordelijk", "zorgt", "zorgen", "gaat", "gaan", "treden", "treedt",
          "vergadert", "voorziet", "spreekt", "geeft", "dragen er zorg voor", "dragen zorg", "informeert",
          "verleent", "is", "zijn", "wordt ingezet", "houdt", "ziet", "spreken af", "kunnen", "treden in overleg",
          "vragen", "erkennen", "beogen")
# definition, membership and composition: the sentence says what something is or who belongs to it, not what anyone
# will do ("X zijn partner als onderdeel van Y", "Het overleg bestaat uit:", "Onder X wordt verstaan")
STATE = ("bestaat uit", "bestaan uit", "wordt gevormd door", "worden gevormd door", "is samengesteld uit",
         "maakt deel uit", "maken deel uit", "is onderdeel van", "zijn onderdeel van", "is partner", "zijn partner",
         "is lid van", "zijn lid van", "wordt verstaan", "worden verstaan", "wordt bedoeld", "worden bedoeld",
         "betekent")
# words that open a later sentence without naming a subject of its own: it goes on about the record's actor
_CONNECTIVES = {"dit", "dat", "deze", "die", "hierbij", "hiermee", "hiervoor", "hierin", "daarbij", "daarmee",
                "daarvoor", "daarnaast", "tevens", "ook", "bovendien", "verder", "vervolgens", "zo", "er", "hier",
                "daar", "tot", "slot", "eveneens", "aldus", "zodoende", "ten", "behoeve", "om"}
_CONDITION = re.compile(r"(?<!\s)\s*+(?:Als|Indien|Ingeval|In geval|Wanneer|Mocht)\b")
# a preposition right before a name makes it a place, an addressee, an owner or a beneficiary, not a co-actor
_PREPOSITIONS = {"met", "door", "van", "bij", "aan", "via", "naar", "voor", "binnen", "buiten", "uit", "op", "om",
                 "tot", "over", "richting", "tegen", "namens", "rondom", "in", "vanuit", "onder", "behoeve", "t.b.v."}
_DETERMINERS = {"de", "het", "een", "haar", "zijn", "hun", "diverse", "andere", "alle", "beide"}
# on folded text: the party named right after these leads, though it stands after the verb
_PASSIVE = re.compile(r"onder (?:regie|coordinatie|leiding) van|belegd bij|verantwoordelijkheid van|"
                      r"is verantwoordelijk|zijn verantwoordelijk")
# co-operation constructions (on folded text): a party named after one of these acts with the record's actor
_CO = re.compile(r"(?<![\w-])(?:(?:in )?(?:samenwerking|overleg|afstemming|samenspraak)(?: en samenhang)? "
                 r"(?:met|tussen)|samen met|(?:gesteund|ondersteund|bijgestaan|vertegenwoordigd) door|"
                 r"met (?:steun|hulp|behulp|medewerking) van|(?:als )?vertegenwoordiger van|"
                 r"(?:in )?(?:gedeelde |gezamenlijke )?verantwoordelijkheid (?:van|met)|met)(?![\w-])")
_CLAUSE_END = re.compile(r"[.;]|(?<![\w-])(?:dat|zodat|waarbij|waarin|waardoor|waarmee|omdat|wanneer|indien|"
                         r"terwijl|maar)(?![\w-])")
_EXAMPLE = re.compile(r"(?:(?<![\w-])(?:zoals|waaronder|ten minste|onder andere|o\.a\.|bijvoorbeeld|namelijk)|[(:])"
                      r"(?:\s+(?:de|het|een))?\s*$")
_LIST_GAP = re.compile(r"[\s,()]*(?:(?:en|of|en/of|alsmede|evenals)(?![\w-]))?[\s,()]*(?:(?:de|het|haar) )?")
_YEAR = re.compile(r"\b(20[1-4]\d)\b")
_UNTIL = re.compile(r"\b(?:tot en met|t/m) (20[1-4]\d)\b", re.I)
_SCHOOL_YEAR = re.compile(r"’(\d\d)\s*-\s*’(\d\d)")
_DATE = re.compile(r"\b(\d{1,2} (?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
                   r"november|december)(?: \d{4})?)\b|\b(voorjaar|najaar|zomer) van (\d{4})\b", re.I)
_PERIOD = re.compile(r"\b(?:binnen |opzegtermijn van )?(\d+ (?:weken|maanden|dagen))\b|"
                     r"\b((?:é|e)énmaal per jaar|eenmaal per jaar|ieder jaar|periodiek)\b", re.I)


@dataclass(frozen=True)
class Commitment:
    """One commitment: who, with whom, what (the clause's words), effort or result, when, how much, where."""

    actors: tuple[str, ...]
    co_actors: tuple[str, ...]
    text: str
    kind: str
    years: tuple[str, ...]
    dates: tuple[str, ...]
    amounts: tuple[str, ...]
    location: Location
    chunk_id: str

    @property
    def label(self) -> str:
        return self.location.label

    def to_dict(self) -> dict[str, object]:
        loc = self.location
        return {"actors": list(self.actors), "actor_names": [BY_KEY[a].name for a in self.actors],
                "co_actors": list(self.co_actors), "kind": self.kind, "text": self.text, "years": list(self.years),
                "dates": list(self.dates), "amounts": list(self.amounts), "label": self.label, "page": loc.page,
                "article": loc.article, "lid": loc.lid, "programmalijn": loc.programmalijn, "thema": loc.thema,
                "thema_name": loc.thema_name, "letter": loc.letter, "bullet": loc.bullet}


@dataclass(frozen=True)
class Review:
    """A clause the rules could not turn into a commitment with a known actor, and why."""

    label: str
    text: str
    reason: str


@dataclass(frozen=True)
class Deadline:
    """A date, year or period in the covenant: when, what is due, who owes it, where it says so."""

    when: str
    years: tuple[int, ...]
    kind: str
    what: str
    actors: tuple[str, ...]
    location: Location

    @property
    def label(self) -> str:
        return self.location.label

    def to_dict(self) -> dict[str, object]:
        return {"when": self.when, "years": list(self.years), "kind": self.kind, "what": self.what,
                "actors": list(self.actors), "label": self.label, "page": self.location.page}


@dataclass(frozen=True)
class Register:
    """All commitments, the clauses needing review, and the deadlines of the deal."""

    commitments: tuple[Commitment, ...]
    review: tuple[Review, ...]
    deadlines: tuple[Deadline, ...] = field(default=())

    def filter(self, party: str | None = None, theme: str | None = None, programmalijn: str | None = None,
               kind: str | None = None) -> list[Commitment]:
        from ingest.actors import acting_for, find_actor

        actor = find_actor(party) if party else None
        if party and actor is None:
            return []
        keys = acting_for(actor.key) if actor else frozenset()
        out = []
        for c in self.commitments:
            loc = c.location
            if actor and not keys & {*c.actors, *c.co_actors}:
                continue
            if theme and not (loc.thema_name and (fold(theme) in fold(loc.thema_name) or theme == loc.thema)):
                continue
            if programmalijn and loc.programmalijn != str(programmalijn):
                continue
            if kind and c.kind != kind:
                continue
            out.append(c)
        return out

    def due(self, year: int | None = None) -> list[Deadline]:
        return [d for d in self.deadlines if year is None or year in d.years]


IN_SCOPE_ARTICLES = {"2", "3", "4", "5", "6", "7", "10", "11", "12", "18"}


class RegisterBuilder:
    """Derives the register from the covenant's chunks by the rules above: actor, predicate, co-actors."""

    def build(self, chunks: list[Chunk]) -> Register:
        commitments: list[Commitment] = []
        review: list[Review] = []
        lead_actors: dict[tuple[str | None, ...], tuple[str, ...]] = {}
        state_leads: set[tuple[str | None, ...]] = set()
        for chunk in chunks:
            loc = chunk.location
            if loc.part == "Document" or loc.article not in IN_SCOPE_ARTICLES or chunk.kind not in (
                ChunkKind.CLAUSE, ChunkKind.BULLET
            ):
                continue
            key = (loc.article, loc.lid, loc.thema, loc.letter)
            parent = key if loc.bullet else (loc.article, loc.lid, loc.thema, None)
            records = self._records(chunk, member=parent in state_leads)
            if chunk.kind == ChunkKind.CLAUSE and chunk.text.rstrip().endswith(":"):
                if records:
                    lead_actors[key] = records[-1].actors
                elif (p := _predicate(fold(chunk.text))) is not None and p[2] == "state":
                    state_leads.add(key)
            if not records and chunk.kind == ChunkKind.BULLET and key in lead_actors:
                records = [self._record(chunk, chunk.text, lead_actors[key], ())]
            if records:
                commitments.extend(records)
            elif loc.article == "2" and (loc.letter or loc.bullet):
                review.append(Review(chunk.label, chunk.text, _reason(chunk)))
        covered = {(c.location.article, c.location.lid, c.location.thema, c.location.letter) for c in commitments}
        review = [r for r in review if not _covered_by_items(r, chunks, covered)]
        return Register(tuple(commitments), tuple(review), tuple(deadlines(chunks, commitments)))

    def _records(self, chunk: Chunk, member: bool = False) -> list[Commitment]:
        """The chunk's commitments; `member`: the chunk is an item of a list that a composition or a definition
        leads ("bestaat uit de volgende vertegenwoordigers:"), so a sentence without a predicate names a member."""
        records: list[Commitment] = []
        loc = chunk.location
        if loc.letter is None and loc.bullet is None and chunk.text.startswith("Thema"):
            return []  # a theme's heading and introduction, not a commitment
        for sentence in split_sentences(chunk.text):
            if _CONDITION.match(sentence):
                continue  # "Als …, dan …", "Wanneer …": a rule of reading or of consequence, not a commitment
            predicate = _predicate(fold(sentence))
            has_verb = predicate is not None
            actors, co = subject(sentence)
            if records and (not actors or not has_verb or records[-1].actors == actors):
                # the same actor again, a sentence without an actor, or an actor without a known predicate ("De
                # stuurgroep vormt de schakel"): more words of the last commitment, adding only its co-operation
                # parties ("Dit in samenwerking met de gemeenten"), unless the sentence has a subject of its own
                # ("Dit gezamenlijke initiatief van X en Y ontwikkelt … met partners zoals Z": Z works with it)
                last = records.pop()
                co = () if _own_subject(fold(sentence), predicate) else co
                records.append(self._record(chunk, f"{last.text} {sentence}", last.actors,
                                            tuple(dict.fromkeys(last.co_actors + co)), kind=last.kind))
                continue
            if predicate is not None and predicate[2] == "state":
                continue  # a definition, a membership or a composition: no one promises anything
            if actors and (has_verb or (len(sentence.split()) > 8 and not member)):
                records.append(self._record(chunk, sentence, actors, co))
        return records

    def _record(self, chunk: Chunk, text: str, actors: tuple[str, ...], co: tuple[str, ...],
                kind: str | None = None) -> Commitment:
        predicate = _predicate(fold(text))
        effort = predicate is not None and predicate[2] == "effort"
        years = tuple(dict.fromkeys(_YEAR.findall(text) + [f"20{a}-20{b}" for a, b in _SCHOOL_YEAR.findall(text)]))
        dates = tuple(dict.fromkeys(m.group(0) for m in _DATE.finditer(text)))
        kind = kind or ("effort" if effort else "result")
        amounts = tuple(dict.fromkeys(v.text for v in chunk.values(HeldKind.AMOUNT) if v.text in text))
        return Commitment(actors, tuple(a for a in co if a not in actors), text.strip(), kind,
                          years, dates, amounts, chunk.location, chunk.id)



def mentions(sentence: str) -> list[tuple[int, int, Actor]]:
    """Actor mentions in a sentence, longest first where they overlap, in order."""
    folded = fold(sentence)
    found: list[tuple[int, int, Actor]] = []
    for actor in ACTORS:
        if actor.abbreviation_pattern is not None:
            found += [(m.start(), m.end(), actor) for m in actor.abbreviation_pattern.finditer(sentence)]
        found += [(m.start(), m.end(), actor) for m in actor.pattern.finditer(folded)]
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out: list[tuple[int, int, Actor]] = []
    for start, end, actor in found:
        if out and start < out[-1][1]:
            continue
        if actor.key == "Het Rijk" and "rijk-regio" in folded[max(0, start - 2): end + 8]:
            continue
        out.append((start, end, actor))
    return out


def subject(sentence: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The acting actors of a sentence (joint subjects included) and the co-actors it names in a co-operation
    construction; other parties it names (after in, bij, voor, van …) are neither."""
    found = mentions(sentence)
    if not found:
        return (), ()
    folded = fold(sentence)
    verb = _first_verb(folded)
    passive = _PASSIVE.search(folded)
    spans = _co_spans(folded)
    actors: list[str] = []
    co: list[str] = []
    maybe: list[str] = []
    last_end, last_role = -100, ""
    for start, end, actor in found:
        prev = _previous_word(folded, start)
        if last_role and _LIST_GAP.fullmatch(folded[last_end:start]):
            role = last_role  # the next item of a list shares the first item's role: "met X, Y en Z"
        elif passive and passive.end() <= start <= passive.end() + 80 and not actors and not _in(spans, start):
            role = "actor"  # "onder regie van X", "belegd bij X"
        elif _co_right_before(folded, start) or (_in(spans, start) and re.search(_EXAMPLE, folded[:start])):
            role = "co"  # "samen met X", "met partners zoals X", "(ten minste X", "in de Regio: X"
        elif _in(spans, start) and prev not in _PREPOSITIONS:
            role = "co?"  # further on in a co-operation construction ("met overheden, X"), or, before any known
            #               verb, the subject after an unknown one ("Samen met X pakt Y … aan"): Y acts if no one else
        elif prev == "door" and passive and passive.group(0).startswith(("onder", "belegd")) and actors:
            role = "co"  # "onder regie van X … door Y": Y does it with X
        elif prev in _PREPOSITIONS or set(prev.split("/")) & _PREPOSITIONS:
            role = "none"  # a place, an addressee, an owner, a beneficiary
        elif verb is None or start < verb or (not actors and start < verb + 40):
            role = "actor"
        else:
            role = "none"  # named after the verb: an object or a beneficiary, not a co-actor
        last_end, last_role = end, role
        if role == "co?" and (verb is not None and start > verb):
            role = "co"
        (actors if role == "actor" else co if role == "co" else maybe if role == "co?" else []).append(actor.key)
    (co if actors else actors).extend(maybe)
    actors = [a for a in dict.fromkeys(actors) if a not in ("kennisinstellingen", "onderwijsbesturen")] or [
        a for a in dict.fromkeys(actors)]
    return tuple(dict.fromkeys(actors)), tuple(dict.fromkeys(c for c in co if c not in actors))


def _previous_word(folded: str, start: int) -> str:
    """The word before a mention, past articles and determiners and punctuation: 'in' in 'in de regio'."""
    words = re.findall(r"[\w/.&-]+", folded[max(0, start - 60):start])
    while words and words[-1].strip(".") in _DETERMINERS:
        words.pop()
    return words[-1].strip(".") if words else ""


def _co_spans(folded: str) -> list[tuple[int, int]]:
    """Where a co-operation construction reaches: from its words to the end of its clause (. ; a subordinate
    'dat', 'waarbij' …, or the next predicate), at most 120 characters."""
    spans = []
    for m in _CO.finditer(folded):
        rest = folded[m.end(): m.end() + 120]
        stop = _CLAUSE_END.search(rest)
        verb = _predicate(rest)
        cut = min([len(rest)] + ([stop.start()] if stop else []) + ([verb[0]] if verb else []))
        spans.append((m.start(), m.end() + cut))
    return spans


def _in(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in spans)


def _co_right_before(folded: str, start: int) -> bool:
    """Whether a co-operation construction ends right before the mention (past articles): 'met steun van de X'."""
    head = re.sub(r"(?:\s*(?:" + "|".join(_DETERMINERS) + r"))*\s*$", "", folded[max(0, start - 80):start])
    return any(m.end() == len(head) for m in _CO.finditer(head))


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A verb phrase whose words may be split by others, as Dutch separable and reflexive verbs are ('zetten
    Partijen zich per programmalijn in', 'ziet er met de ministeries op toe'): up to 8 words between two of its
    words, not across . ; :"""
    gap = r"[^\w.;:]+(?:[\w/&'’-]+[^\w.;:]+){0,8}?"  # 0 to 8 words, with commas and brackets around
    parts = []
    for word in fold(phrase).split():
        split = _SPLIT.fullmatch(word)  # 'erop' or 'er … op'
        parts.append(f"(?:{word}|er{gap}{split.group(1)})" if split else re.escape(word))
    return re.compile(r"(?<![\w-])" + gap.join(parts) + r"(?![\w-])")


_SPLIT = re.compile(r"er(op|naar|voor|in|aan|over|mee|toe|bij)")


def _literals(phrase: str) -> tuple[str, ...]:
    """The words of a verb phrase that stand as they are in every match of its pattern (an 'erop' may be split),
    so that a text without one of them is passed over without running the pattern."""
    return tuple(word for word in fold(phrase).split() if not _SPLIT.fullmatch(word))


_EFFORT_FOLDED = {fold(v) for v in EFFORT} - {"kan"}
_STATE_FOLDED = {fold(v) for v in STATE}
@cache
def _predicates() -> list[tuple[re.Pattern[str], tuple[str, ...], int, str]]:
    """The verb phrases' patterns, compiled by the first text that needs them (not at import: a question that
    never reads the register should not pay for them)."""
    return [(_phrase_pattern(v), _literals(v), len(v.split()),
             "state" if v in _STATE_FOLDED else "effort" if v in _EFFORT_FOLDED else "result")
            for v in sorted({fold(v) for v in EFFORT + RESULT + STATE})]


def _predicate(folded: str) -> tuple[int, int, str] | None:
    """The first verb phrase of a (folded) text: (start, end, "effort" | "result" | "state"). Of phrases that start
    at the same word, the one with most words wins ('zetten … zich … in' over 'zetten', 'zijn partner' over
    'zijn'), then the tightest ('draagt zorg' over 'draagt … bij')."""
    best: tuple[int, int, int, str] | None = None
    for pattern, literals, n, kind in _predicates():
        m = pattern.search(folded) if all(word in folded for word in literals) else None
        if m and (best is None or (m.start(), -n, m.end()) < (best[0], -best[2], best[1])):
            best = (m.start(), m.end(), n, kind)
    return (best[0], best[1], best[3]) if best else None


def _own_subject(folded: str, predicate: tuple[int, int, str] | None) -> bool:
    """Whether a sentence names a subject of its own before its predicate ('dit gezamenlijke initiatief van X en Y
    ontwikkelt'), rather than going on about the record's actor ('dit in samenwerking met …', 'hierbij wordt …') or
    opening with an adverbial phrase ('voor vragen zijn …')."""
    if predicate is None:
        return False
    words = [w for w in re.findall(r"[\w&/-]+", folded[:predicate[0]]) if w not in _CONNECTIVES]
    return bool(words) and words[0] not in _PREPOSITIONS


def _first_verb(folded: str) -> int | None:
    p = _predicate(folded)
    return p[0] if p else None


def _reason(chunk: Chunk) -> str:
    if len(chunk.text.split()) <= 6:
        return "names an item of a list (a theme), no actor or commitment"
    if re.search(r"\bwordt\b|\bworden\b", chunk.text):
        return "passive clause; no actor named"
    return "no actor recognised before the verb"


def _covered_by_items(r: Review, chunks: list[Chunk], covered: set[tuple[str | None, ...]]) -> bool:
    chunk = next(c for c in chunks if c.label == r.label)
    loc = chunk.location
    return loc.bullet is None and (loc.article, loc.lid, loc.thema, loc.letter) in covered and any(
        c.location.bullet for c in chunks if c.location.letter == loc.letter and c.location.thema == loc.thema
        and c.location.lid == loc.lid)


TERM = tuple(range(2026, 2031))
_PHRASE = re.compile(r"\b[A-Z][\w-]+(?: [A-Z][\w-]+)+\b")


def _owner(sentence: str, chunk: Chunk, owned: list[Commitment], position: dict[str, int]) -> tuple[str, ...]:
    """Who owes what an actor-less sentence says is due: the commitment in the same article that names the
    same thing (a capitalised phrase or a long word), the nearest before it first; else the clause's own
    commitment; else all Partijen."""
    here = position[chunk.id]
    same = [c for c in owned if c.location.article == chunk.location.article]
    keys = {re.sub(r"^(?:De|Het|Een) ", "", p) for p in _PHRASE.findall(sentence)} - {"Regio Deal"}
    keys |= {w for w in re.findall(r"[a-zé]{12,}", sentence.lower())}
    if keys:
        ranked = sorted(same, key=lambda c: (position.get(c.chunk_id, 0) > here,
                                             abs(position.get(c.chunk_id, 0) - here)))
        for c in ranked:
            if c.chunk_id != chunk.id and any(k in c.text or k in c.text.lower() for k in keys):
                return c.actors
    own = [c for c in same if c.chunk_id == chunk.id]
    if own:
        return own[0].actors
    scope = [c for c in same if c.location.thema == chunk.location.thema and c.location.lid == chunk.location.lid]
    if scope and chunk.location.article == "2":
        return scope[0].actors
    return ("Partijen",)


def deadlines(chunks: list[Chunk], commitments: list[Commitment] | None = None) -> list[Deadline]:
    """Every date, year and period the covenant's body holds, with its sentence and who owes it: the
    sentence's subject, else the actor of the clause's (or the article's latest) commitment, else all Partijen."""
    position = {c.id: i for i, c in enumerate(chunks)}
    owned = sorted(commitments or [], key=lambda c: position.get(c.chunk_id, 0))
    out: list[Deadline] = []
    for chunk in chunks:
        if chunk.location.part == "Document" or chunk.kind in (ChunkKind.FOOTNOTE, ChunkKind.TABLE):
            continue
        for sentence in split_sentences(chunk.text):
            actors = subject(sentence)[0] or _owner(sentence, chunk, owned, position)
            recurring = bool(re.search(r"ieder jaar|per jaar|jaarlijks", sentence, re.I))
            seen: set[str] = set()
            for m in _DATE.finditer(sentence):
                when = m.group(0)
                years = [int(y) for y in _YEAR.findall(when)] or (
                    list(TERM) if recurring else [int(y) for y in _YEAR.findall(sentence)[:1]])
                out.append(Deadline(when, tuple(years), "date", sentence, actors, chunk.location))
                seen.update(_YEAR.findall(when))
            for a, b in _SCHOOL_YEAR.findall(sentence):
                out.append(Deadline(f"schooljaar 20{a}-20{b}", (2000 + int(a), 2000 + int(b)), "school year",
                                    sentence, actors, chunk.location))
                seen.update({f"20{a}", f"20{b}"})
            rng = re.search(r"\b(20\d\d)\s*(?:-|–|en|tot en met|t/m)\s*(20\d\d)\b", sentence)
            if rng:
                a, b = int(rng.group(1)), int(rng.group(2))
                out.append(Deadline(rng.group(0), tuple(range(a, b + 1)), "period", sentence, actors, chunk.location))
                seen.update({rng.group(1), rng.group(2)})
            for m in _UNTIL.finditer(sentence):  # "tot en met 2028" without a start: a period up to that year
                if m.group(1) not in seen:
                    end = int(m.group(1))
                    out.append(Deadline(m.group(0), tuple(range(min(TERM[0], end), end + 1)), "period", sentence,
                                        actors, chunk.location))
                    seen.add(m.group(1))
            for year in dict.fromkeys(_YEAR.findall(sentence)):
                if year not in seen:
                    out.append(Deadline(year, (int(year),), "year", sentence, actors, chunk.location))
            for m in _PERIOD.finditer(sentence):
                years = TERM if recurring or "per jaar" in m.group(0).lower() else ()
                out.append(Deadline(m.group(0), years, "period", sentence, actors, chunk.location))
    return out
