"""The eval sets are sound: shapes, unique ids, every evidence phrase in the source, and first runs recorded
once. Eval figures themselves are measured by `parkstad eval`, never asserted here."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from evals.dataset import BATCHES, FROZEN_TEST, first_runs, load, load_shared, scored_batches
from evals.run import first_run, sets
from tests.helpers import COVENANT, ROOT


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_project_s_questions_are_dev_only_and_without_duplicates():
    items = load()
    assert {i.split for i in items} == {"dev"} and len({i.id for i in items}) == len(items)
    keys = Counter((" ".join(i.question.lower().split()), i.history) for i in items)
    assert max(keys.values()) == 1
    for item in items:
        if item.answerable:
            assert item.labels and 1 <= len(item.evidence) <= 3 and item.facts, item.id
        else:
            assert not item.labels and not item.facts


def test_the_frozen_test_set_has_the_agreed_shape():
    items = load_shared(FROZEN_TEST)
    langs = Counter(i.lang for i in items)
    assert len(items) >= 200 and min(langs[lang] for lang in ("nl", "en", "de")) >= 60
    assert 0.15 <= sum(not i.answerable for i in items) / len(items) <= 0.25
    assert len({i.id for i in items}) == len(items)


@pytest.mark.parametrize("path", [FROZEN_TEST, *sorted(BATCHES.glob("*.jsonl"))], ids=lambda p: p.stem)
def test_every_evidence_phrase_of_the_shared_format_is_in_the_covenant(path):
    source = _flat(COVENANT.read_text(encoding="utf-8"))
    for item in load_shared(path):
        assert item.answerable == bool(item.evidence), item.id
        for phrase in item.evidence:
            assert _flat(phrase) in source, (item.id, phrase)


def test_every_evidence_phrase_and_label_of_the_project_s_questions_is_in_the_source(covenant_chunks):
    texts = [c.text for c in covenant_chunks]
    labels = {c.label for c in covenant_chunks}
    for item in load():
        for phrase in item.evidence:
            assert any(phrase in t for t in texts), (item.id, phrase)
        for label in item.labels:
            assert label in labels, (item.id, label)


def test_the_frozen_set_is_scored_only_when_asked_and_first_runs_only_once(assistant):
    assert "frozen test" not in sets() and "frozen test" in sets(frozen=True)
    recorded = Counter(r["batch"] for r in first_runs() if r.get("first_run"))
    frozen = {name for name in recorded if name.startswith("frozen test")}
    assert max(recorded.values()) == 1 and set(recorded) - frozen <= set(scored_batches())
    with pytest.raises(ValueError, match="not a fresh batch"):
        first_run(assistant, scored_batches()[0])


def test_feedback_with_a_line_separator_or_a_bad_line_is_read_and_the_bad_line_named(tmp_path):
    import json
    import subprocess
    import sys

    from evals.feedback import candidates

    feedback = tmp_path / "feedback.jsonl"
    good = {"question": "Wat is een regiokassier?", "answer": "…", "found": True, "rating": "goed",
            "comment": "eerste regel\u2028tweede regel", "citations": ["Begripsbepaling, Regiokassier"]}
    feedback.write_text(json.dumps(good, ensure_ascii=False) + "\n{not json\n[1, 2]\n", encoding="utf-8")
    skipped: list[tuple[int, str]] = []
    items = candidates(feedback, set(), skipped)
    assert [i["question"] for i in items] == ["Wat is een regiokassier?"]
    assert items[0]["review"]["comment"] == "eerste regel\u2028tweede regel"
    assert [n for n, _ in skipped] == [2, 3]
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "eval", "--from-feedback", str(feedback), "--out",
                             str(tmp_path / "out.jsonl")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0 and "skipped line 2" in result.stderr and "skipped line 3" in result.stderr
    assert "Traceback" not in result.stderr
