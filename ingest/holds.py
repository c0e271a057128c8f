"""What a chunk holds, detected once at ingest and kept with the chunk: each amount, date or period and count its
text states (a `Held`: its kind, its words and where they start), and the kinds of answer it can give (those, a
party or organisation, a definition). Later stages read these from the chunk; none detects them again."""

from __future__ import annotations

import re

from ingest.model import ChunkKind, Held, HeldKind

_MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
           "voorjaar|najaar|zomer|winter")
_DATE = re.compile(rf"\b(?:19|20)\d\d\b|’\d\d\b|\b\d{{1,2}}\s+(?:{_MONTHS})\b|\b(?:{_MONTHS})\s+(?:19|20)\d\d\b|"
                   r"\b\d+\s+(?:dagen|weken|maanden|jaar|jaren)\b|\b(?:jaarlijks|eenmaal per jaar|per jaar)\b", re.I)
AMOUNT = re.compile(r"€\s*\d[\d.,]*+(?:\s*(?:mln|miljoen|miljard)\b\.?)?|"
                     r"\b(?<![.,])\d[\d.,]*+\s*(?:mln|miljoen|miljard|euro)\b|"
                     r"\b\d+(?:[.,]\d+)?\s*(?:%|procent)", re.I)
_COUNT = re.compile(r"\b(?<![.,])\d[\d.,]*+\s+[^\W\d_]{3,}|"
                    r"\b(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien)\s+[^\W\d_]{3,}", re.I)
KINDS = (HeldKind.AMOUNT, HeldKind.DATE, HeldKind.COUNT, "party", "definition")


def held_values(text: str) -> tuple[Held, ...]:
    """The amounts, dates and periods, and counts the text states, in the order they stand; a number that is
    part of an amount is no count."""
    amounts = [Held(HeldKind.AMOUNT, m.group(0), m.start()) for m in AMOUNT.finditer(text)]
    dates = [Held(HeldKind.DATE, m.group(0), m.start()) for m in _DATE.finditer(text)]
    blanked = text
    for a in amounts:  # the same length, so the offsets of what is left stay those of the text
        blanked = blanked[:a.start] + " " * len(a.text) + blanked[a.end:]
    counts = [Held(HeldKind.COUNT, m.group(0), m.start()) for m in _COUNT.finditer(blanked)]
    return tuple(sorted(amounts + dates + counts, key=lambda v: (v.start, v.kind)))


def what_it_holds(kind: ChunkKind, held: tuple[Held, ...], parties: tuple[str, ...]) -> tuple[str, ...]:
    """The kinds of answer a chunk of `kind` holding `held` and naming `parties` can give, in KINDS order."""
    found: set[str] = {v.kind for v in held} | ({HeldKind.AMOUNT} if kind == ChunkKind.TABLE else set())
    found |= ({"party"} if parties else set()) | ({"definition"} if kind == ChunkKind.DEFINITION else set())
    return tuple(k for k in KINDS if k in found)
