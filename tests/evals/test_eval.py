"""The eval set is sound, and the assistant holds the regression gate on its test split."""

from __future__ import annotations

from collections import Counter

from evals.dataset import load
from evals.run import FLOORS, evaluate, gate, split_summary


def test_eval_set_shape():
    items = load()
    langs = Counter(i.lang for i in items)
    assert len(items) >= 120 and langs["nl"] >= 70 and langs["en"] >= 25 and langs["de"] >= 15
    assert sum(not i.answerable for i in items) >= 15
    assert {i.split for i in items} == {"dev", "test"}
    assert len({i.id for i in items}) == len(items)
    kinds = {i.kind for i in items}
    assert {"responsibility", "commitment", "finance", "timeline", "definition", "governance", "facts",
            "multihop", "followup", "negative"} <= kinds
    for item in items:
        if item.answerable:
            assert item.labels and 1 <= len(item.evidence) <= 3 and item.facts, item.id
        else:
            assert not item.labels and not item.facts


def test_every_evidence_phrase_is_in_the_source(covenant_chunks):
    texts = [c.text for c in covenant_chunks]
    labels = {c.label for c in covenant_chunks}
    for item in load():
        for phrase in item.evidence:
            assert any(phrase in t for t in texts), (item.id, phrase)
        for label in item.labels:
            assert label in labels, (item.id, label)


def test_test_split_holds_the_regression_gate(assistant):
    summary = split_summary(evaluate(assistant, load(split="test")))
    assert gate(summary) == [], (gate(summary), summary["overall"], FLOORS)
