"""What an answer is before timing: a structured Draft of statements, each quoting at most one clause and marked
with the sources it rests on, over one numbered list of sources. It is rendered once, here, for the chat, the
CLI and the JSON; the chat passes its own escaping and marker links."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.language import Language
from assistant.prompts import phrase
from ingest.actors import Actor
from ingest.model import Chunk, ChunkKind, Held, HeldKind, parse
from ingest.text import split_sentences

MAX_SOURCES = 12
MAX_LINES = 8  # list lines shown before "and N more"


@dataclass(frozen=True)
class Statement:
    """One line of an answer's lead: words in the asker's language (`frame`), then words that stand verbatim in
    its one source (`quote`, cut at a word when `cut`), or rows of its one source's table with the header first
    (`rows`); marked with the sources it rests on. `item` makes it a list line; `marked` says its frame carries
    its own [n] markers (an LLM's text)."""

    frame: str = ""
    quote: str = ""
    sources: tuple[Chunk, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    item: bool = False
    cut: bool = False
    marked: bool = False

    def __post_init__(self) -> None:
        if (self.quote or self.rows) and len(self.sources) != 1:
            raise ValueError("a quote stands in exactly one clause")


@dataclass(frozen=True)
class Source:
    """A shown source: its clause, and the items of the enumeration it opens when it ends in a colon."""

    chunk: Chunk
    items: tuple[Chunk, ...] = ()


@dataclass(frozen=True)
class Draft:
    """An answer before timing: its statements (the lead), whether the documents answer it, its numbered
    sources, notes below the lead (the closest-provision caveat) and a notice above it (why a language model's
    answer was set aside), in the asker's language."""

    statements: tuple[Statement, ...]
    found: bool
    sources: tuple[Source, ...]
    language: Language = Language.NL
    notes: tuple[str, ...] = ()
    notice: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "language", parse(Language, self.language, "language"))

    @property
    def cited(self) -> tuple[Chunk, ...]:
        return tuple(s.chunk for s in self.sources)

    def number(self, chunk: Chunk) -> int | None:
        """The marker number of a shown source, or None."""
        return next((i for i, s in enumerate(self.sources, start=1) if s.chunk.id == chunk.id), None)

    def lead_lines(self, escape: Callable[[str], str] = str, marker: Callable[[int], str] = "[{}]".format
                   ) -> list[str]:
        """The lead, one string per line: each statement's frame, its quote in quotation marks, and right after
        it the markers of its shown sources, in order; table rows as a Markdown table with their header."""
        out: list[str] = []
        for s in self.statements:
            marks = " ".join(marker(n) for c in s.sources if (n := self.number(c)) is not None)
            text = escape(s.frame) if s.frame else ""
            if s.quote:
                quoted = f"“{escape(s.quote)}{' …' if s.cut else ''}”"
                text = f"{text} {quoted}" if text else quoted
            if s.rows:
                out.append(f"{text} {marks}".strip())
                out += [escape_row(r, escape) for r in _with_rule(s.rows)]
                continue
            line = f"{text} {marks}".strip() if not s.marked else text
            out.append(f"- {line}" if s.item else line)
        return out

    @property
    def lead(self) -> str:
        return "\n".join(self.lead_lines())

    @property
    def text(self) -> str:
        """The whole answer as plain text: the lead, the notes, and the sources, each quoted whole."""
        lines = ([self.notice, ""] if self.notice else []) + self.lead_lines()
        for note in self.notes:
            lines += ["", note]
        if self.sources and self.found:
            lines += ["", phrase(self.language, "sources")]
            for i, source in enumerate(self.sources, start=1):
                chunk = source.chunk
                page = f", p. {chunk.location.page}" if chunk.location.page else ""
                if chunk.kind == ChunkKind.TABLE:
                    lines += [f"[{i}] {chunk.label}{page}:", "", *table_markdown(chunk.text), ""]
                    continue
                lines.append(f"[{i}] {chunk.label}{page}: “{chunk.printed}”")
                lines += [f"    - {item.printed}" for item in source.items]
        return "\n".join(lines)


def draft(language: Language, statements: Sequence[Statement], context: Sequence[Chunk] = (), notes: Sequence[str] = (),
          found: bool = True, items: Callable[[Chunk], Sequence[Chunk]] | None = None) -> Draft:
    """A draft whose sources are the statements' sources in the order they are first marked, then the context
    clauses, at most MAX_SOURCES; a source ending in a colon carries the items it opens (`items`)."""
    chunks: list[Chunk] = []
    for s in statements:
        chunks += [c for c in s.sources if c not in chunks]
    chunks += [c for c in context if c not in chunks]
    sources = tuple(Source(c, tuple(items(c)) if items and c.text.rstrip().endswith(":") else ())
                    for c in chunks[:MAX_SOURCES])
    return Draft(tuple(statements), found, sources, language, tuple(notes))


def merged(language: Language, drafts: Sequence[Draft], notes: Sequence[str] = ()) -> Draft:
    """One draft of several: their statements in order, over one numbered list of sources."""
    statements = [s for d in drafts for s in d.statements]
    context = [src.chunk for d in drafts for src in d.sources]
    out = draft(language, statements, context, notes, found=any(d.found for d in drafts))
    items = {src.chunk.id: src.items for d in drafts for src in d.sources}
    return Draft(out.statements, out.found, tuple(Source(s.chunk, items.get(s.chunk.id, ())) for s in out.sources),
                 language, out.notes)


def table_markdown(text: str) -> list[str]:
    """A table chunk ('a | b' rows, then its notes) as a Markdown table, whole, with a footnote marker set apart
    from the word it follows (rijksbijdrage 1))."""
    rows = [tuple(cell.strip() for cell in line.split(" | ")) for line in text.splitlines() if " | " in line]
    notes = [line for line in text.splitlines() if line.strip() and " | " not in line]
    return [escape_row(r) for r in _with_rule(tuple(rows))] + ([""] + notes if notes else [])


def _with_rule(rows: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    return [rows[0], tuple("---" for _ in rows[0]), *rows[1:]] if rows else []


def escape_row(row: tuple[str, ...], escape: Callable[[str], str] = str) -> str:
    """One Markdown table row; a rule row stays bare."""
    if all(cell == "---" for cell in row):
        return "|" + "---|" * len(row)
    cells = [escape(re.sub(r"(?<=[^\W\d])(\d\))", r" \1", cell)) for cell in row]
    return "| " + " | ".join(cells) + " |"


def holding(chunk: Chunk, kind: HeldKind, which: Callable[[Held], bool] = lambda v: True) -> list[bool]:
    """For each of the clause's sentences (`split_sentences`), whether it states a value of `kind` (and `which`)
    that ingest found in the clause (`Chunk.held`). A sentence is placed by its non-space characters, which
    splitting keeps."""
    marks = [len("".join(chunk.text[:v.start].split())) for v in chunk.values(kind) if which(v)]
    out, seen = [], 0
    for sentence in split_sentences(chunk.text):
        size = len("".join(sentence.split()))
        out.append(any(seen <= m < seen + size for m in marks))
        seen += size
    return out


_ENUMERATOR = re.compile(r"(?<=\s)([ivx]{1,5}|[a-z]|\d{1,2})[.)]\s+")
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv")


def enumeration_items(text: str) -> list[str]:
    """The items of an enumeration written inside one clause after its colon ('…: i. VRO; ii. BZK; …'): split
    where the next enumerator of the sequence the first one starts (i, ii, iii; a, b, c; 1, 2, 3) stands; each
    item as it stands in the clause, less its closing ';' or ','."""
    start = text.find(":")
    if start < 0:
        return []
    cuts: list[tuple[int, int]] = []
    expected: str | None = None
    for m in _ENUMERATOR.finditer(text, start):
        mark = m.group(1)
        if expected is None:
            if mark not in ("i", "a", "1"):
                continue
            sequence = _ROMAN if mark == "i" and "ii" in text else tuple("abcdefghijklmnopqrstuvwxyz") if (
                mark in ("a", "i")) else tuple(str(n) for n in range(1, 100))
        elif mark != expected:
            continue
        cuts.append((m.start(), m.end()))
        position = sequence.index(mark) + 1
        expected = sequence[position] if position < len(sequence) else None
        if expected is None:
            break
    items = [text[cuts[k][1]:cuts[k + 1][0] if k + 1 < len(cuts) else len(text)].strip().rstrip(";,.").strip()
             for k in range(len(cuts))]
    # a trailing conjunction; the whitespace run is entered at its start only, so a long run is read once
    items = [re.sub(r"(?:[;,]|(?<!\s))\s+(?:en|and|und|of|or|oder)$", "", item) for item in items]
    return [item for item in items if item] if len(items) >= 2 else []


def display_name(actor: Actor) -> str:
    if actor.kind == "party" and actor.key != "Regio":
        return f"{actor.key} ({actor.name})"
    if actor.key == "Regio":
        return "Stadsregio Parkstad Limburg (de Regio)"
    return actor.name
