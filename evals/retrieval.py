"""Retrieval measured on its own: where the chunk holding an evidence phrase ranks, for dense alone, BM25 alone,
their fusion, the hand-set weights (fusion and routes) and the fitted ranker, side by side, on the same feature
matrices (a conversation's last question ranked with its history)."""

from __future__ import annotations

from typing import Any

import numpy as np

from assistant.rank import Ranker
from assistant.service import Assistant
from evals.dataset import Item
from evals.score import norm

RANKERS = {"dense": Ranker.only("dense"), "BM25": Ranker.only("lexical"),
           "fusion": Ranker(("dense", "lexical"), (0.5, 0.5), "fusion"), "hand-set": Ranker.hand_set()}


def evidence_mask(item: Item, chunks: list[Any], texts: list[str]) -> np.ndarray:
    """The chunks that hold one of the item's evidence phrases (or carry one of its expected labels)."""
    return np.asarray([c.label in item.labels or any(norm(e) in t for e in item.evidence)
                       for c, t in zip(chunks, texts, strict=True)])


def features(assistant: Assistant, item: Item) -> np.ndarray:
    """The item's feature matrix, its question read and ranked as the assistant does (with its conversation)."""
    retriever = assistant.state()[2]
    query = assistant.read(item.question)
    conversation = assistant.conversation(query, item.history) if item.history else None
    sims, _ = retriever.similarities(query)
    return retriever.features.matrix(query, sims, conversation)


def rank_table(assistant: Assistant, items: list[Item]) -> dict[str, dict[str, float]]:
    """hit@1, @3 and @12 of the evidence chunk per ranker, over the answerable items with evidence."""
    corpus = assistant.state()[1]
    texts = [norm(c.text) for c in corpus.chunks]
    rankers = {**RANKERS, "fitted": assistant.ranker}
    ranks: dict[str, list[int]] = {name: [] for name in rankers}
    for item in items:
        if not item.answerable or not (item.evidence or item.labels):
            continue
        positive = evidence_mask(item, corpus.chunks, texts)
        if not positive.any():
            continue
        x = features(assistant, item)
        for name, ranker in rankers.items():
            s = ranker.score(x, bool(item.history))
            ranks[name].append(int((s > s[positive].max()).sum()))
    out = {}
    for name, r in ranks.items():
        a = np.asarray(r)
        out[name] = {"n": len(a), "hit_at_1": round(float(np.mean(a < 1)), 3) if len(a) else 0.0,
                     "hit_at_3": round(float(np.mean(a < 3)), 3) if len(a) else 0.0,
                     "hit_at_12": round(float(np.mean(a < 12)), 3) if len(a) else 0.0}
    return out
