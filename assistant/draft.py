"""What an answer is before timing (Draft), and how its parts are rendered over one numbered list of sources,
each quoted whole."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.prompts import phrase
from ingest.actors import Actor
from ingest.model import Chunk

MAX_SOURCES = 12
_MARKER = re.compile(r"\[\d+\]")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z‘'(•])")
_NO_END = re.compile(r"(?:\b[A-Z]\.|\b(?:ca|nr|bijv|incl|excl|mln|o\.a|m\.b\.t|t\.a\.v|e\.d|resp|zgn|art)\.|"
                     r"\b[A-Z]{2,}!)$")


@dataclass(frozen=True)
class Draft:
    """An answer before timing: its text, whether it is supported, the chunks it cites in order, and its short
    answer without the sources (`lead`)."""

    text: str
    found: bool
    cited: tuple[Chunk, ...]
    lead: str = ""


def render(lang: str, parts: list[tuple[str, list[Chunk]]]) -> Draft:
    """An answer of one or more short answers, each marked with its sources (or with markers of its own), over
    one numbered list of the cited clauses, each quoted whole."""
    unique: list[Chunk] = []
    for _, cited in parts:  # each part's first three sources, quoted in full, before any part's further ones
        unique += [c for c in cited[:3] if c not in unique]
    for _, cited in parts:
        unique += [c for c in cited[3:] if c not in unique]
    unique = unique[:MAX_SOURCES]
    leads = []
    for lead, cited in parts:
        if _MARKER.search(lead):  # a list whose lines mark their own sources
            leads.append(lead)
            continue
        shown = [c for c in dict.fromkeys(cited) if c in unique]  # every listed source has its marker
        leads.append(f"{lead} {' '.join(f'[{unique.index(c) + 1}]' for c in shown)}".strip())
    lines = [*leads, "", phrase(lang, "sources")]
    for i, chunk in enumerate(unique, start=1):
        page = f", p. {chunk.location.page}" if chunk.location.page else ""
        if chunk.kind == "table":
            lines += [f"[{i}] {chunk.label}{page}:", "", *table_markdown(chunk.text), ""]
        else:
            lines.append(f"[{i}] {chunk.label}{page}: “{chunk.text}”")
    return Draft("\n".join(lines), True, tuple(unique), "\n".join(lead for lead, _ in parts))


def table_markdown(text: str) -> list[str]:
    """A table chunk ('a | b' rows, then its notes) as a Markdown table, whole, with a footnote marker set apart
    from the word it follows (rijksbijdrage 1))."""
    rows = [line for line in text.splitlines() if " | " in line]
    notes = [line for line in text.splitlines() if line.strip() and " | " not in line]
    out = []
    for n, row in enumerate(rows):
        cells = [re.sub(r"(?<=[^\W\d])(\d\))", r" \1", cell.strip()) for cell in row.split(" | ")]
        out.append("| " + " | ".join(cells) + " |")
        if n == 0:
            out.append("|" + "---|" * len(cells))
    return out + ([""] + notes if notes else [])


def short(text: str, limit: int) -> str:
    """The text, or its start cut at a word within `limit` characters, with " …"."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def split_sentences(text: str) -> list[str]:
    """Sentences of a clause; initials ('de heer R. Wever'), abbreviations ('ca.', 'o.a.') and names ending
    in '!' ('ACT! Interventieteam') do not end one."""
    out: list[str] = []
    for piece in (p.strip() for p in _SENTENCE.split(text)):
        if not piece:
            continue
        if out and _NO_END.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def display_name(actor: Actor) -> str:
    if actor.kind == "party" and actor.key != "Regio":
        return f"{actor.key} ({actor.name})"
    if actor.key == "Regio":
        return "Stadsregio Parkstad Limburg (de Regio)"
    return actor.name
