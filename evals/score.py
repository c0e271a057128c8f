"""Scoring one answer against one eval item, and summarising many."""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass

from assistant.lexical import fold
from assistant.model import Answer
from evals.dataset import Item


def norm(text: str) -> str:
    text = fold(text).replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class Score:
    """How one answer did on one item."""

    item: Item
    found: bool
    cited: bool
    first: bool
    facts: bool
    hit5: bool
    correct: bool
    ms: float


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", norm(text))) + " "


def _quotes(quote: str, phrase: str) -> bool:
    """The evidence phrase stands in the quote, ignoring punctuation and layout (a table may be re-laid)."""
    return norm(phrase) in norm(quote) or _words(phrase) in _words(quote)


def _supports(item: Item, label: str, quote: str) -> bool:
    """A citation supports the item when it is one of its expected clauses or quotes one of its evidence phrases
    (items in the shared format name evidence only)."""
    return label in item.labels or any(_quotes(quote, e) for e in item.evidence)


def score(item: Item, answer: Answer, retrieved_labels: list[str], retrieved_texts: list[str]) -> Score:
    cits = answer.citations
    cited = any(_supports(item, c.label, c.quote) for c in cits)
    first = bool(cits) and _supports(item, cits[0].label, cits[0].quote)
    text = norm(answer.answer)
    facts = all(any(norm(alt) in text for alt in group) for group in item.facts)
    hit5 = any(lab in item.labels for lab in retrieved_labels[:5]) or any(
        norm(ev) in norm(t) for ev in item.evidence for t in retrieved_texts[:5])
    if item.answerable:
        correct = answer.found and cited and facts
    else:
        correct = not answer.found
    return Score(item, answer.found, cited, first, facts, hit5, correct, answer.timings_ms.get("total", 0.0))


def summarise(scores: list[Score]) -> dict[str, float]:
    pos = [s for s in scores if s.item.answerable]
    neg = [s for s in scores if not s.item.answerable]
    ms = sorted(s.ms for s in scores)

    def rate(values: list[bool]) -> float:
        return round(sum(values) / len(values), 3) if values else float("nan")

    return {
        "n": len(scores),
        "accuracy": rate([s.correct for s in scores]),
        "supporting_cited": rate([s.cited for s in pos]),
        "first_citation_precision": rate([s.first for s in pos]),
        "key_facts": rate([s.facts for s in pos]),
        "hit_at_5": rate([s.hit5 for s in pos]),
        "false_refusals": rate([not s.found for s in pos]),
        "negatives_refused": rate([not s.found for s in neg]),
        "p50_ms": round(statistics.median(ms), 1) if ms else float("nan"),
        "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1) if ms else float("nan"),
    }


def by(scores: list[Score], key: str) -> dict[str, dict[str, float]]:
    groups: dict[str, list[Score]] = defaultdict(list)
    for s in scores:
        groups[getattr(s.item, key)].append(s)
    return {k: summarise(v) for k, v in sorted(groups.items())}
