"""Questions that ask two things at once ("Hoeveel betaalt het Rijk voor het landelijk gebied, en wie trekt die
programmalijn?"): split into their parts, each answered with the parts before it as its conversation, and
merged with the answer to the whole question into one answer over one numbered list of sources."""

from __future__ import annotations

import re

from assistant.draft import Draft, Statement, draft, merged
from assistant.language import Language
from assistant.prompts import phrase

_ASKING = (r"wie|wat|wanneer|hoeveel|welke?|waar|waarom|hoe|who|what|when|how|which|where|why|wer|was|wann|"
           r"welche[rsmn]?|wo|warum|wieviel")
# ", en wie ...", " and when ...", " und was ...": a second question joined to the first
_JOINED = re.compile(rf"[,;]?(?<!\s)\s++(?:en|and|und)\s+(?=(?:{_ASKING})\b)", re.I)
_MIN_WORDS = 3


def split_question(text: str) -> list[str]:
    """The questions a text asks: two when a second question is joined to the first with and/en/und, or when
    two sentences each end in a question mark; otherwise the text itself."""
    asked = [q.strip() for q in re.findall(r"[^?]*\?", text) if q.strip()]
    if len(asked) == 2 and text.rstrip().endswith("?") and all(len(q.split()) >= 2 for q in asked):
        return asked
    parts = _JOINED.split(text, maxsplit=1)
    if len(parts) == 2 and len(parts[0].split()) >= _MIN_WORDS and len(parts[1].split()) >= 2:
        first = parts[0].strip()
        return [first if first.endswith("?") else f"{first}?", parts[1].strip()]
    return [text]


def merge(language: Language, whole: Draft, parts: list[tuple[str, Draft]]) -> Draft:
    """One answer from the answers to the parts: each answered part with its answer, each part the documents do
    not answer named as such; when no part is answered, the answer to the whole question."""
    found = [d for _, d in parts if d.found]
    if not found:
        return whole
    return merged(language, [d if d.found else draft(language, [Statement(
        f"“{question}” — {phrase(language, 'not_found')}")]) for question, d in parts])
