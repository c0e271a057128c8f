"""The types that cross ingest stages: Page, Location, Chunk, the values a chunk holds, and the kinds of each."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any, TypeVar

from ingest.text import cut
from parkstad.errors import InvalidValueError

COVENANT_TITLE = "Regio Deal Parkstad Limburg III"
E = TypeVar("E", bound=StrEnum)


def parse(kind: type[E], value: object, name: str) -> E:
    """`value` as a member of the StrEnum `kind`; InvalidValueError naming `name` and the allowed values when it
    is none (the check where a string enters: Chroma metadata, JSON, a constructor)."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise InvalidValueError(name, value, allowed) from None


class ChunkKind(StrEnum):
    """What a chunk is in its document's structure."""

    CLAUSE = "clause"
    BULLET = "bullet"
    INTRO = "intro"
    DEFINITION = "definition"
    FOOTNOTE = "footnote"
    TABLE = "table"
    PARTY = "party"
    PARTNER = "partner"
    CONSIDERATION = "consideration"
    OPGAVE = "opgave"
    PREAMBLE = "preamble"
    HEADING = "heading"
    SECTION = "section"


class HeldKind(StrEnum):
    """A kind of value a chunk's text states."""

    AMOUNT = "amount"
    DATE = "date"
    COUNT = "count"


@dataclass(frozen=True)
class Held:
    """One value a chunk's text states, found at ingest (ingest/holds.py): its kind, its words as they stand, and
    the offset of its first character in the chunk's text."""

    kind: HeldKind
    text: str
    start: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", parse(HeldKind, self.kind, "held kind"))

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Page:
    """One page of a loaded document, numbered from 1."""

    document: str
    number: int
    text: str


@dataclass(frozen=True)
class Location:
    """Where a chunk sits in its document; `label` is the citation users see."""

    document: str
    part: str
    article: str | None = None
    article_title: str | None = None
    lid: str | None = None
    programmalijn: str | None = None
    programmalijn_title: str | None = None
    thema: str | None = None
    thema_name: str | None = None
    letter: str | None = None
    bullet: int | None = None
    item: str | None = None
    heading: str | None = None
    page: int | None = None
    page_end: int | None = None

    @property
    def label(self) -> str:
        if self.article is None:
            return self._label_outside_articles()
        parts = [f"Artikel {self.article}" + (f" lid {self.lid}" if self.lid else "")]
        if self.programmalijn:
            parts.append(f"Programmalijn {self.programmalijn}")
        if self.thema_name:
            parts.append(f"Thema {self.thema} {self.thema_name}" if self.thema else f"Thema {self.thema_name}")
        if self.letter:
            parts.append(f"onder {self.letter}")
        if self.bullet:
            parts.append(f"punt {self.bullet}")
        if self.item:
            parts.append(self.item)
        return ", ".join(parts)

    def _label_outside_articles(self) -> str:
        if self.part == "Document":
            where = [self.document]
            if self.page:
                where.append(f"p. {self.page}")
            if self.heading:
                where.append(f'"{self.heading}"')
            return ", ".join(where)
        if self.part == "Voetnoten":
            return f"Voetnoot {self.item}"
        return f"{self.part}, {self.item}" if self.item else self.part

    @property
    def breadcrumb(self) -> str:
        """The label spelled out with short titles, for embedding and display."""
        crumbs = []
        if self.part == "Document":
            crumbs.append(self.document)
        elif self.article:
            crumbs.append(f"Artikel {self.article}" + (f" {self.article_title}" if self.article_title else ""))
        else:
            crumbs.append(self.part)
        if self.programmalijn:
            title = f" {cut(self.programmalijn_title, 64)}" if self.programmalijn_title else ""
            crumbs.append(f"Programmalijn {self.programmalijn}{title}")
        if self.thema_name:
            crumbs.append(f"Thema {self.thema or ''} {self.thema_name}".replace("  ", " "))
        if self.heading:
            crumbs.append(self.heading)
        return " > ".join(crumbs)

    def to_metadata(self) -> dict[str, str | int]:
        return {f"loc_{k}": v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_metadata(cls, meta: dict[str, Any]) -> Location:
        names = {f.name for f in fields(cls)}
        values = {k[4:]: v for k, v in meta.items() if k.startswith("loc_") and k[4:] in names}
        return cls(**values)


@dataclass(frozen=True)
class Chunk:
    """One retrievable unit: a clause, definition, footnote, table or section, with its location."""

    id: str
    kind: ChunkKind
    text: str
    embed_text: str
    location: Location
    parties: tuple[str, ...] = ()
    footnotes: tuple[int, ...] = ()
    links: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    context: str = ""
    holds: tuple[str, ...] = ()  # the kinds of answer it can give (ingest/holds.py)
    held: tuple[Held, ...] = ()  # the amounts, dates and counts its text states, with their offsets
    marker: str = ""  # what the document prints before its text: '13.', 'a.', '•', '10', or a theme's heading

    @property
    def printed(self) -> str:
        """Its text as the document prints it, with the number, letter, bullet or heading before it."""
        return f"{self.marker} {self.text}" if self.marker else self.text

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", parse(ChunkKind, self.kind, "chunk kind"))

    @property
    def label(self) -> str:
        return self.location.label

    def values(self, kind: HeldKind) -> tuple[Held, ...]:
        """The values of `kind` its text states."""
        return tuple(v for v in self.held if v.kind == kind)

    @staticmethod
    def make_id(location: Location, kind: ChunkKind, text: str) -> str:
        key = json.dumps([location.document, location.label, kind, text], ensure_ascii=False)
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]

    @classmethod
    def create(cls, kind: ChunkKind, text: str, location: Location, **extra: Any) -> Chunk:
        from ingest.holds import held_values, what_it_holds

        context = extra.pop("context", "")
        embed = extra.pop("embed_text", None)
        extra.setdefault("held", held_values(text))
        extra.setdefault("holds", what_it_holds(kind, extra["held"], tuple(extra.get("parties", ()))))
        if embed is None:
            embed = "\n".join(x for x in (location.breadcrumb, context, text) if x)
        return cls(
            id=cls.make_id(location, kind, text),
            kind=kind,
            text=text,
            embed_text=embed,
            location=location,
            context=context,
            **extra,
        )

    def to_metadata(self) -> dict[str, str | int]:
        meta: dict[str, str | int] = dict(self.location.to_metadata())
        meta.update(
            role="clause",
            kind=self.kind.value,
            label=self.label,
            text=self.text,
            context=self.context,
            parties=json.dumps(self.parties, ensure_ascii=False),
            footnotes=json.dumps(self.footnotes),
            links=json.dumps(self.links, ensure_ascii=False),
            table=json.dumps(self.table, ensure_ascii=False),
            holds=",".join(self.holds),
            held=json.dumps([[v.kind.value, v.text, v.start] for v in self.held], ensure_ascii=False),
            marker=self.marker,
        )
        return meta

    @classmethod
    def from_record(cls, chunk_id: str, document: str, meta: dict[str, Any]) -> Chunk:
        """Read a chunk back from Chroma: the one place metadata turns into a Chunk."""
        return cls(
            id=chunk_id,
            kind=str(meta["kind"]),
            text=str(meta["text"]),
            embed_text=document,
            location=Location.from_metadata(meta),
            parties=tuple(json.loads(meta.get("parties", "[]"))),
            footnotes=tuple(json.loads(meta.get("footnotes", "[]"))),
            links=tuple(json.loads(meta.get("links", "[]"))),
            table=tuple(tuple(row) for row in json.loads(meta.get("table", "[]"))),
            context=str(meta.get("context", "")),
            holds=tuple(k for k in str(meta.get("holds", "")).split(",") if k),
            held=tuple(Held(kind, text, start) for kind, text, start in json.loads(meta.get("held", "[]"))),
            marker=str(meta.get("marker", "")),
        )


@dataclass(frozen=True)
class SourceDocument:
    """A loaded source file: its name, pages and a content hash."""

    name: str
    path: str
    pages: tuple[Page, ...]
    sha256: str
    media: str = field(default="text")
    title: str = ""
