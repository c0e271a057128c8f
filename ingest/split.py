"""Heading-aware splitting of documents without the covenant's structure (agendas, policy PDFs)."""

from __future__ import annotations

import re

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.actors import actors_in
from ingest.model import Chunk, ChunkKind, Location, Page
from ingest.text import join_lines, vocabulary

_MD_HEADING = re.compile(r"^#{1,6}\s+(\S.*?)\s*#*$")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*\.?)\s+([A-ZÀ-Ý][^.;:!?]{2,80})$")


def is_heading(line: str) -> str | None:
    """The heading text if a line looks like a heading: Markdown '#', numbered, or short title/upper case."""
    text = line.strip()
    if not text or len(text) > 90:
        return None
    m = _MD_HEADING.match(text)
    if m:
        return m.group(1)
    m = _NUMBERED_HEADING.match(text)
    if m:
        return text
    words = text.split()
    if 1 <= len(words) <= 8 and text[-1] not in ".,;:!?)" and text[0].isupper():
        letters = [c for c in text if c.isalpha()]
        if letters and (all(c.isupper() for c in letters) or sum(w[0].isupper() for w in words) >= len(words) / 2):
            return text
    return None


class SectionSplitter:
    """Splits page text into chunks under their nearest heading, keeping page numbers."""

    def __init__(self, document: str, chunk_size: int = 900, chunk_overlap: int = 120) -> None:
        self.document = document
        self.splitter = RecursiveCharacterTextSplitter(
            chunk_size=chunk_size, chunk_overlap=chunk_overlap, separators=["\n\n", "\n", ". ", " ", ""]
        )

    def split(self, pages: list[Page]) -> list[Chunk]:
        vocab = vocabulary([p.text for p in pages])
        heading: str | None = None
        empty = False  # the current heading has no text under it yet
        chunks: list[Chunk] = []
        for number, page in enumerate(pages, start=1):
            block: list[str] = []
            paragraphs: list[tuple[str | None, str]] = []
            for line in page.text.split("\n"):
                found = is_heading(line)
                if found:
                    if block:
                        paragraphs.append((heading, join_lines(block, vocab)))
                        block = []
                    elif empty and heading:
                        paragraphs.append((heading, heading))  # a heading with nothing under it keeps its words
                    heading, empty = found, True
                elif line.strip():
                    block.append(line)
                    empty = False
                elif block:
                    block.append("")
            if block:
                paragraphs.append((heading, join_lines(block, vocab)))
            elif empty and heading and number == len(pages):
                paragraphs.append((heading, heading))
            for section_heading, text in _merge(paragraphs):
                for piece in self.splitter.split_text(text):
                    loc = Location(document=self.document, part="Document", heading=section_heading, page=page.number)
                    chunks.append(Chunk.create(ChunkKind.SECTION, piece, loc, parties=actors_in(piece)))
        return chunks


def _merge(paragraphs: list[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
    merged: list[tuple[str | None, str]] = []
    for heading, text in paragraphs:
        if merged and merged[-1][0] == heading:
            merged[-1] = (heading, merged[-1][1] + "\n\n" + text)
        else:
            merged.append((heading, text))
    return merged
