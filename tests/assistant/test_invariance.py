"""Invariances over questions written by helper sessions that never saw the code (evals/batches/a.jsonl):
a harmless opener or closer, or an unrelated earlier question, leaves whether the question is answered and its
first citation unchanged for at least 95 % of them."""

from __future__ import annotations

import pytest

from evals.dataset import BATCHES, load_shared

QUESTIONS = [i.question for i in load_shared(BATCHES / "a.jsonl")]
WRAPPERS = {
    "en": ("Quick question: {q}", "{q} Thanks!"),
    "nl": ("Ik ben benieuwd: {q}", "{q} Bedankt!"),
    "de": ("Kurze Frage: {q}", "{q} Danke!"),
}
UNRELATED = {"nl": "Wat is het recept voor appeltaart?", "en": "What is the capital of France?",
             "de": "Wie spät ist es in Tokio?"}


def outcome(answer) -> tuple[bool, str | None]:  # noqa: ANN001 - an Answer
    return answer.found, answer.citations[0].label if answer.citations else None


@pytest.fixture(scope="module")
def plain(assistant):
    items = load_shared(BATCHES / "a.jsonl")
    assert len(items) >= 100
    return {i.question: (i.lang, outcome(assistant.ask(i.question))) for i in items}


@pytest.mark.parametrize("which", [0, 1], ids=["opener", "closer"])
def test_harmless_openers_and_closers_change_almost_nothing(assistant, plain, which):
    changed = [q for q, (lang, before) in plain.items()
               if outcome(assistant.ask(WRAPPERS[lang][which].format(q=q))) != before]
    assert len(changed) <= 0.05 * len(plain), changed[:10]


def test_an_unrelated_earlier_question_changes_almost_nothing(assistant, plain):
    changed = [q for q, (lang, before) in plain.items()
               if outcome(assistant.ask(q, history=(UNRELATED[lang],))) != before]
    assert len(changed) <= 0.05 * len(plain), changed[:10]
