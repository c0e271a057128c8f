"""The types the assistant hands out: Citation and Answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.answerability import Decision
from assistant.draft import Draft
from assistant.language import Language
from ingest.model import Chunk, ChunkKind, Location, parse


@dataclass(frozen=True)
class Citation:
    """One cited clause: its label, where it is, its exact words, and the items of the enumeration it opens
    when it ends in a colon (label and words of each)."""

    label: str
    location: Location
    quote: str
    chunk_id: str
    kind: ChunkKind
    items: tuple[tuple[str, str], ...] = ()
    table: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, chunk: Chunk, items: tuple[Chunk, ...] = ()) -> Citation:
        return cls(chunk.label, chunk.location, chunk.printed, chunk.id, chunk.kind,
                   tuple((c.label, c.printed) for c in items), chunk.table if chunk.kind == ChunkKind.TABLE else ())

    def to_dict(self) -> dict[str, Any]:
        loc = self.location
        return {
            "label": self.label,
            "document": loc.document,
            "part": loc.part,
            "article": loc.article,
            "lid": loc.lid,
            "letter": loc.letter,
            "page": loc.page,
            "quote": self.quote,
            **({"items": [{"label": label, "quote": text} for label, text in self.items]} if self.items else {}),
        }


@dataclass(frozen=True)
class Answer:
    """The assistant's reply: the answer text, whether the documents answer it, and its citations."""

    question: str
    answer: str
    found: bool
    mode: str
    citations: tuple[Citation, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    language: Language = Language.NL
    notice: str | None = None
    flagged: tuple[str, ...] = ()  # sentences of an LLM answer that cite no clause
    answerability: Decision | None = None
    unsupported: tuple[str, ...] = ()  # sentences of an LLM answer the clauses they cite do not support
    draft: Draft | None = field(default=None, compare=False, repr=False)  # the structured answer, rendered once

    def __post_init__(self) -> None:
        object.__setattr__(self, "language", parse(Language, self.language, "language"))

    @property
    def lead(self) -> str:
        """The short answer without its sources."""
        return self.draft.lead if self.draft is not None else self.answer

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "mode": self.mode,
            "lead": self.lead,
            "citations": [c.to_dict() for c in self.citations],
            "sources": [{"n": n, **c.to_dict()} for n, c in enumerate(self.citations, start=1)],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
        if self.draft is not None:
            out["statements"] = [{"text": s.frame, "quote": s.quote, "cut": s.cut,
                                  "rows": [list(r) for r in s.rows], "item": s.item,
                                  "sources": [n for c in s.sources if (n := self.draft.number(c)) is not None]}
                                 for s in self.draft.statements]
        if self.answerability is not None:
            out["answerability"] = self.answerability.to_dict()
        if self.notice:
            out["notice"] = self.notice
        if self.flagged:
            out["flagged"] = list(self.flagged)
        if self.unsupported:
            out["unsupported"] = list(self.unsupported)
        return out
