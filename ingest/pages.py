"""Page ends of the covenant: footnotes and the PDF's link list are split off the body text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_URL_START = re.compile(r"^(?:https?|file|ftp)://", re.I)
_NOTE_LINE = re.compile(r"^(\d{1,3})\s+(\S.*)$")


@dataclass
class Line:
    """One body line with its page and the footnote marks removed from it."""

    text: str
    page: int
    notes: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Note:
    """A footnote as printed at a page end."""

    number: int
    text: str
    page: int


@dataclass
class PageEnds:
    """The body lines of all pages, and what was split off their ends."""

    lines: list[Line]
    notes: list[Note]
    links: dict[int, list[str]]


def mark_pattern(number: int) -> re.Pattern[str]:
    """A footnote mark: the number glued to the end of a word or punctuation, not part of a larger number."""
    return re.compile(rf"(?<=[^\s\d]){number}(?!\d)")


def split_page_ends(pages: list[tuple[int, str]]) -> PageEnds:
    """Walk the pages in order; footnotes are numbered through the document, which anchors detection."""
    lines: list[Line] = []
    notes: list[Note] = []
    links: dict[int, list[str]] = {}
    expected = 1
    for page_no, text in pages:
        raw = [ln.rstrip() for ln in text.split("\n")]
        if raw and raw[0].startswith(" "):
            raw[0] = raw[0][1:]
        body: list[Line] = []
        i = 0
        while i < len(raw):
            m = _NOTE_LINE.match(raw[i])
            if m and int(m.group(1)) == expected and _has_mark(body, expected):
                break
            body.append(Line(raw[i], page_no))
            i += 1
        page_notes, page_links = _read_block(raw[i:], expected, page_no)
        expected += len(page_notes)
        _remove_marks(body, page_notes)
        lines.extend(body)
        notes.extend(page_notes)
        if page_links:
            links[page_no] = page_links
    return PageEnds(lines, notes, links)


def _has_mark(body: list[Line], number: int) -> bool:
    pattern = mark_pattern(number)
    return any(pattern.search(line.text) for line in body)


def _read_block(block: list[str], expected: int, page_no: int) -> tuple[list[Note], list[str]]:
    found: list[list] = []
    urls: list[str] = []
    in_links = False
    for line in block:
        stripped = line.strip()
        if not stripped:
            continue
        m = _NOTE_LINE.match(stripped)
        if not in_links and m and int(m.group(1)) == expected + len(found):
            found.append([int(m.group(1)), m.group(2).strip()])
        elif _URL_START.match(stripped) and (in_links or not _continues_url(found)):
            in_links = True
            urls.append(stripped)
        elif in_links and urls:
            urls[-1] += stripped
        elif found:
            found[-1][1] = _join_note(found[-1][1], stripped)
    notes = [Note(n, " ".join(t.split()), page_no) for n, t in found]
    return notes, urls


def _continues_url(found: list[list]) -> bool:
    return bool(found) and found[-1][1].rstrip().endswith("-") and "://" in found[-1][1].split()[-1]


def _join_note(text: str, more: str) -> str:
    last = text.split()[-1] if text.split() else ""
    if "://" in last and " " not in more:
        return text.rstrip() + more
    return text.rstrip() + " " + more


def _remove_marks(body: list[Line], notes: list[Note]) -> None:
    start_line, start_pos = 0, 0
    for note in notes:
        pattern = mark_pattern(note.number)
        for idx in range(start_line, len(body)):
            line = body[idx]
            m = pattern.search(line.text, start_pos if idx == start_line else 0)
            if m:
                line.text = line.text[: m.start()] + line.text[m.end() :]
                line.notes.append(note.number)
                start_line, start_pos = idx, m.start()
                break
