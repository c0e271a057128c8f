"""Wie doet wat: every commitment in the covenant and every date, derived by rules from the parsed clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.lexical import fold
from ingest.actors import ACTORS, BY_KEY, Actor
from ingest.model import Chunk, Location

EFFORT = ("spant zich in", "spannen zich in", "zet zich in", "zetten zich in", "streeft naar", "streeft ernaar",
          "blijft ernaar streven", "streven", "denkt", "deelt", "ondersteunt", "ondersteunen", "stimuleert",
          "verkent", "draagt actief bij", "draagt bij", "levert een inspanning", "zoekt", "ziet erop toe",
          "ziet toe", "zien toe", "erkent", "staat open", "is aanspreekbaar", "zijn aanspreekbaar",
          "zal onderzoeken", "onderzoeken", "informeert", "zijn voornemens", "is voornemens", "kan")
RESULT = ("continueert", "richt", "stelt", "ontwikkelt", "formuleert", "voert", "organiseert", "programmeert",
          "realiseert", "wijst", "benut", "zet", "zetten", "bereidt", "reserveert", "draagt zorg", "brengt",
          "bepaalt", "vervult", "rapporteert", "verzamelt", "gebruikt", "zal", "legt", "sluit", "toetsen",
          "werkt", "stuurt", "is verantwoordelijk", "zorgt", "zorgen", "gaat", "gaan", "treden", "treedt",
          "vergadert", "voorziet", "spreekt", "geeft", "dragen er zorg voor", "dragen zorg", "informeert",
          "verleent", "is", "zijn", "wordt ingezet", "houdt", "ziet", "spreken af", "kunnen", "treden in overleg",
          "vragen", "erkennen", "beogen")
_CONDITION = re.compile(r"\s*(?:Als|Indien|Ingeval|In geval|Wanneer|Mocht)\b")
_PREPOSITIONS = {"met", "door", "van", "bij", "aan", "via", "naar", "tussen", "voor", "binnen", "uit", "op", "om",
                 "tot", "over", "richting", "tegen", "namens", "rondom", "en/of", "zoals", "in"}
_PASSIVE = re.compile(r"onder (?:regie|coördinatie|leiding) van|belegd bij|verantwoordelijkheid van|"
                      r"is verantwoordelijk|zijn verantwoordelijk", re.I)
_CO = re.compile(r"(?:in samenwerking (?:met|tussen)|samen met|in afstemming (?:en samenhang )?met|gesteund door|"
                 r"met de|met het|met)\s", re.I)
_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-Z‘(])")
_YEAR = re.compile(r"\b(20[1-4]\d)\b")
_SCHOOL_YEAR = re.compile(r"’(\d\d)\s*-\s*’(\d\d)")
_DATE = re.compile(r"\b(\d{1,2} (?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
                   r"november|december)(?: \d{4})?)\b|\b(voorjaar|najaar|zomer) van (\d{4})\b", re.I)
_PERIOD = re.compile(r"\b(?:binnen |opzegtermijn van )?(\d+ (?:weken|maanden|dagen))\b|"
                     r"\b((?:é|e)énmaal per jaar|eenmaal per jaar|ieder jaar|periodiek)\b", re.I)
_AMOUNT = re.compile(r"€\s*[\d.,]+(?:\s*(?:mln|miljoen)\.?)?|\d+\s*%")


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
        from ingest.actors import find_actor

        actor = find_actor(party) if party else None
        if party and actor is None:
            return []
        out = []
        for c in self.commitments:
            loc = c.location
            if actor and actor.key not in c.actors and actor.key not in c.co_actors:
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
    """Derives the register from the covenant's chunks: actor first, then verb; co-actors after 'met'."""

    def build(self, chunks: list[Chunk]) -> Register:
        commitments: list[Commitment] = []
        review: list[Review] = []
        lead_actors: dict[tuple[str | None, ...], tuple[str, ...]] = {}
        for chunk in chunks:
            loc = chunk.location
            if loc.part == "Document" or loc.article not in IN_SCOPE_ARTICLES or chunk.kind not in (
                "clause", "bullet"
            ):
                continue
            records = self._records(chunk)
            key = (loc.article, loc.lid, loc.thema, loc.letter)
            if chunk.kind == "clause" and records and chunk.text.rstrip().endswith(":"):
                lead_actors[key] = records[-1].actors
            if not records and chunk.kind == "bullet" and key in lead_actors:
                records = [self._record(chunk, chunk.text, lead_actors[key], ())]
            if records:
                commitments.extend(records)
            elif loc.article == "2" and (loc.letter or loc.bullet):
                review.append(Review(chunk.label, chunk.text, _reason(chunk)))
        covered = {(c.location.article, c.location.lid, c.location.thema, c.location.letter) for c in commitments}
        review = [r for r in review if not _covered_by_items(r, chunks, covered)]
        return Register(tuple(commitments), tuple(review), tuple(deadlines(chunks, commitments)))

    def _records(self, chunk: Chunk) -> list[Commitment]:
        records: list[Commitment] = []
        loc = chunk.location
        if loc.letter is None and loc.bullet is None and chunk.text.startswith("Thema"):
            return []  # a theme's heading and introduction, not a commitment
        for sentence in _SENTENCE.split(chunk.text):
            if _CONDITION.match(sentence):
                continue  # "Als …, dan …", "Wanneer …": a rule of reading or of consequence, not a commitment
            has_verb = _first_verb(fold(sentence)) is not None
            if not has_verb and len(sentence.split()) <= 8:
                if records:
                    last = records.pop()
                    records.append(self._record(chunk, f"{last.text} {sentence}", last.actors, last.co_actors))
                continue
            actors, co = subject(sentence)
            if actors and not has_verb and records:
                last = records.pop()
                records.append(self._record(chunk, f"{last.text} {sentence}", last.actors,
                                            tuple(dict.fromkeys(last.co_actors + actors + co))))
                continue
            if actors:
                if records and records[-1].actors == actors:
                    last = records.pop()
                    records.append(self._record(chunk, f"{last.text} {sentence}", actors,
                                                tuple(dict.fromkeys(last.co_actors + co)), kind=last.kind))
                    continue
                records.append(self._record(chunk, sentence, actors, co))
            elif records:
                last = records.pop()
                records.append(self._record(chunk, f"{last.text} {sentence}", last.actors, last.co_actors))
        return records

    def _record(self, chunk: Chunk, text: str, actors: tuple[str, ...], co: tuple[str, ...],
                kind: str | None = None) -> Commitment:
        m = _VERBS.search(fold(text))
        effort = bool(m) and m.group(0) in _EFFORT_FOLDED
        years = tuple(dict.fromkeys(_YEAR.findall(text) + [f"20{a}-20{b}" for a, b in _SCHOOL_YEAR.findall(text)]))
        dates = tuple(dict.fromkeys(m.group(0) for m in _DATE.finditer(text)))
        kind = kind or ("effort" if effort else "result")
        return Commitment(actors, tuple(a for a in co if a not in actors), text.strip(), kind,
                          years, dates, tuple(dict.fromkeys(_AMOUNT.findall(text))), chunk.location, chunk.id)



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
    """The acting actors of a sentence (joint subjects included) and the co-actors named with them."""
    found = mentions(sentence)
    if not found:
        return (), ()
    folded = fold(sentence)
    verb = _first_verb(folded)
    actors: list[str] = []
    co: list[str] = []
    passive = _PASSIVE.search(sentence)
    last_end, last_co = -100, False
    for start, end, actor in found:
        before = folded[max(0, start - 40): start]
        words = before.split()
        prev = [w for w in words[-3:] if w not in ("de", "het", "een", "haar", "zijn")]
        is_co = bool(_CO.search(before[-25:])) or (bool(prev) and prev[-1] in _PREPOSITIONS)
        if last_co and re.fullmatch(r"[\s,]*(?:en|of|en/of)?[\s,]*(?:de |het )?", folded[last_end:start]):
            is_co = True  # the next item of a list that began after 'met'
        last_end = end
        if passive and passive.end() <= start <= passive.end() + 80 and not actors:
            actors.append(actor.key)
            last_co = False
            continue
        last_co = is_co
        if is_co:
            co.append(actor.key)
        elif verb is None or start < verb or (not actors and start < verb + 40):
            actors.append(actor.key)
        else:
            co.append(actor.key)
    actors = [a for a in dict.fromkeys(actors) if a not in ("kennisinstellingen", "onderwijsbesturen")] or [
        a for a in dict.fromkeys(actors)]
    return tuple(dict.fromkeys(actors)), tuple(dict.fromkeys(c for c in co if c not in actors))


_VERBS = re.compile(r"(?<![\w-])(?:" + "|".join(sorted({re.escape(fold(v)) for v in EFFORT + RESULT},
                                                       key=len, reverse=True)) + r")(?![\w-])")
_EFFORT_FOLDED = {fold(v) for v in EFFORT} - {"kan"}


def _first_verb(folded: str) -> int | None:
    m = _VERBS.search(folded)
    return m.start() if m else None


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
        if chunk.location.part == "Document" or chunk.kind in ("footnote", "table"):
            continue
        for sentence in _SENTENCE.split(chunk.text):
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
            for year in dict.fromkeys(_YEAR.findall(sentence)):
                if year not in seen:
                    out.append(Deadline(year, (int(year),), "year", sentence, actors, chunk.location))
            for m in _PERIOD.finditer(sentence):
                years = TERM if recurring or "per jaar" in m.group(0).lower() else ()
                out.append(Deadline(m.group(0), years, "period", sentence, actors, chunk.location))
    return out
