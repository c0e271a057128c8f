"""What kind of answer a chunk can give, detected once at ingest and kept as chunk metadata: an amount, a date
or period, a count (a number of something), a party or organisation, a definition."""

from __future__ import annotations

import re

_MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
           "voorjaar|najaar|zomer|winter")
_DATE = re.compile(rf"\b(?:19|20)\d\d\b|’\d\d\b|\b\d{{1,2}}\s+(?:{_MONTHS})\b|\b(?:{_MONTHS})\s+(?:19|20)\d\d\b|"
                   r"\b\d+\s+(?:dagen|weken|maanden|jaar|jaren)\b|\b(?:jaarlijks|eenmaal per jaar|per jaar)\b", re.I)
_AMOUNT = re.compile(r"€\s*\d|\b(?<![.,])\d[\d.,]*+\s*(?:mln|miljoen|miljard|euro)\b|"
                     r"\b\d+(?:[.,]\d+)?\s*(?:%|procent)", re.I)
_COUNT = re.compile(r"\b(?<![.,])\d[\d.,]*+\s+[^\W\d_]{3,}|"
                    r"\b(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien)\s+[^\W\d_]{3,}", re.I)
KINDS = ("amount", "date", "count", "party", "definition")
PATTERNS = {"amount": _AMOUNT, "date": _DATE, "count": _COUNT}  # read by the decision's slot signal


def what_it_holds(kind: str, text: str, parties: tuple[str, ...]) -> tuple[str, ...]:
    """The kinds of answer the text holds, in KINDS order."""
    found = {
        "amount": kind == "table" or bool(_AMOUNT.search(text)),
        "date": bool(_DATE.search(text)),
        "count": bool(_COUNT.search(_AMOUNT.sub(" ", text))),
        "party": bool(parties),
        "definition": kind == "definition",
    }
    return tuple(k for k in KINDS if found[k])
