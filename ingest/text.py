"""Small text helpers shared by the parsers: joining PDF lines back into running text."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_HYPHEN_END = re.compile(r"(?<![^\W\d_])([^\W\d_]++)-$")
_WORD_START = re.compile(r"^([^\W\d_]+)")


def vocabulary(texts: list[str]) -> set[str]:
    """Lower-cased words of a document, used to repair line-end hyphenation the way the text spells it."""
    return {w.lower() for t in texts for w in _WORD.findall(t)}


def join_lines(lines: list[str], vocab: set[str] | None = None) -> str:
    """Join lines with single spaces; a line-end hyphen is glued to the next word, and dropped
    when the document elsewhere spells the joined word without it."""
    out = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not out:
            out = line
            continue
        m = _HYPHEN_END.search(out)
        nxt = _WORD_START.match(line)
        if m and nxt:
            joined = (m.group(1) + nxt.group(1)).lower()
            if vocab is not None and joined in vocab and nxt.group(1)[0].islower():
                out = out[:-1] + line
            else:
                out = out + line
        else:
            out = out + " " + line
    return out.strip()


def cut(text: str, limit: int) -> str:
    """The text, or its start cut at a word within `limit` characters. The one shortener of the code base."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    return head.rstrip() if text[limit].isspace() else head.rsplit(" ", 1)[0]


def short(text: str, limit: int, mark: str = " …") -> str:
    """The text, or its start cut at a word within `limit` characters, less a closing comma, colon or dash, and
    `mark`."""
    return text if len(text) <= limit else cut(text, limit).rstrip(" ,;:–-") + mark


_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z‘'(•])")
_UNIT_END = re.compile(r"(?<=[.;!?:])\s+(?=\S)")
_NO_END = re.compile(r"(?:\b[A-Z]\.|\b(?:ca|nr|bijv|incl|excl|mln|o\.a|m\.b\.t|t\.a\.v|e\.d|resp|zgn|art)\.|"
                     r"\b[A-Z]{2,}!)$")


def split_sentences(text: str) -> list[str]:
    """Sentences of a clause, the one sentence splitter for the documents' text: a sentence ends after . ; ! or ?
    before a capital, a quote, a parenthesis or a bullet; initials ('de heer R. Wever'), abbreviations ('ca.',
    'o.a.') and names ending in '!' ('ACT! Interventieteam') end none."""
    out: list[str] = []
    for piece in (p.strip() for p in _SENTENCE.split(text)):
        if not piece:
            continue
        if out and _NO_END.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def evidence_units(text: str, min_words: int = 4) -> list[str]:
    """The sentences and list items of a clause (split after . ; ! ? and :, not after an initial or an
    abbreviation), each at least `min_words` words: a short one is joined to the next. A clause of one unit
    gives []: its own vector says it already."""
    units: list[str] = []
    for piece in _UNIT_END.split(text):
        if units and (_NO_END.search(units[-1]) or len(units[-1].split()) < min_words):
            units[-1] = f"{units[-1]} {piece}"
        else:
            units.append(piece)
    if units and len(units) > 1 and len(units[-1].split()) < min_words:
        units[-2:] = [f"{units[-2]} {units[-1]}"]
    return units if len(units) > 1 else []
