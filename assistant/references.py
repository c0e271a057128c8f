"""The covenant's references: each footnote with its text, its links and the clauses that cite it."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.model import Chunk, ChunkKind


@dataclass(frozen=True)
class Reference:
    """One footnote of the covenant as a reference."""

    number: int
    text: str
    links: tuple[str, ...]
    cited_by: tuple[str, ...]
    page: int | None

    def to_dict(self) -> dict[str, object]:
        return {"number": self.number, "text": self.text, "links": list(self.links), "cited_by": list(self.cited_by),
                "page": self.page}


def references(chunks: list[Chunk]) -> list[Reference]:
    notes = sorted((c for c in chunks if c.kind == ChunkKind.FOOTNOTE and (c.location.item or "").isdigit()),
                   key=lambda c: int(c.location.item or 0))
    out = []
    for note in notes:
        n = int(note.location.item or 0)
        citing = tuple(c.label for c in chunks if n in c.footnotes)
        out.append(Reference(n, note.text, note.links, citing, note.location.page))
    return out


def web_links(refs: list[Reference]) -> list[tuple[int, str]]:
    """(footnote, url) for every http(s) link, in footnote order, each URL once."""
    seen: set[str] = set()
    out = []
    for ref in refs:
        for url in ref.links:
            if url.startswith(("http://", "https://")) and url not in seen:
                seen.add(url)
                out.append((ref.number, url))
    return out
