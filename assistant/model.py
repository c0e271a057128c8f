"""The types the assistant hands out: Citation and Answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.answerability import Decision
from ingest.model import Chunk, Location


@dataclass(frozen=True)
class Citation:
    """One cited clause: its label, where it is, and its exact words."""

    label: str
    location: Location
    quote: str
    chunk_id: str
    kind: str

    @classmethod
    def of(cls, chunk: Chunk) -> Citation:
        return cls(chunk.label, chunk.location, chunk.text, chunk.id, chunk.kind)

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
    language: str = "nl"
    notice: str | None = None
    flagged: tuple[str, ...] = ()  # sentences of an LLM answer that cite no clause
    answerability: Decision | None = None
    unsupported: tuple[str, ...] = ()  # sentences of an LLM answer the clauses they cite do not support

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
        if self.answerability is not None:
            out["answerability"] = self.answerability.to_dict()
        if self.notice:
            out["notice"] = self.notice
        if self.flagged:
            out["flagged"] = list(self.flagged)
        if self.unsupported:
            out["unsupported"] = list(self.unsupported)
        return out
