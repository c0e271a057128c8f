"""Fit the follow-up model (`assistant/followup.py`) and write assistant/followup.json.

    python -m evals.fit_followup [--folds 5]

Examples: the last questions of the helper-written conversations (`evals/batches/conversations-*.jsonl`, which say
whether that question stands alone), and single questions of the scored batches a–c asked after an unrelated
earlier question of their batch (they stand alone). Questions whose words point back are left out: the reader
already sends those to the conversation. The model is an L2 logistic regression (`evals.fit_answerability.fit`);
its threshold is the lowest out-of-fold score (batches held out whole) at which at most 5 % of the questions that
stand alone would be read as follow-ups.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from assistant.followup import FEATURES, FOLLOWUP_FILE, FollowUp
from assistant.service import Assistant
from evals.dataset import BATCHES, load_shared
from evals.fit_answerability import fit, out_of_fold, standardise
from evals.invariance import unrelated
from parkstad.errors import QuestionError

CONVERSATIONS = ("conversations-1", "conversations-2", "conversations-3")
SINGLES = ("a", "b", "c")
MAX_STANDALONE_JOINED = 0.05
LAM = 1.0


def examples() -> list[tuple[str, tuple[str, ...], int, str]]:
    """(question, history, continues, batch) for every example."""
    out = []
    for name in CONVERSATIONS:
        for line in (BATCHES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                raw = json.loads(line)
                out.append((raw["question"], tuple(raw["history"]), int(not raw["standalone"]), name))
    for name in SINGLES:
        path = BATCHES / f"{name}.jsonl"
        raw = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        out += [(item.question, (earlier,), 0, name) for item, earlier in unrelated(load_shared(path), raw)]
    return out


def rows(assistant: Assistant, items: list[tuple[str, tuple[str, ...], int, str]]) -> tuple[np.ndarray, np.ndarray,
                                                                                             np.ndarray]:
    x, y, groups = [], [], []
    for question, history, label, group in items:
        try:
            query = assistant.read(question)
        except QuestionError:
            continue
        if query.refers_back:
            continue
        values = assistant.follow_up_signals(query, assistant.turns(history))
        if values is None:
            continue
        x.append([values[f] for f in FEATURES])
        y.append(label)
        groups.append(group)
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64), np.asarray(groups)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=4)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    assistant = Assistant.from_settings()
    x, y, groups = rows(assistant, examples())
    print(f"{len(y)} examples ({int(y.sum())} follow-ups) in {time.perf_counter() - started:.0f} s", flush=True)
    p = out_of_fold(x, y, LAM, args.folds, groups=groups)
    standalone = np.sort(p[y == 0])
    threshold = float(standalone[min(len(standalone) - 1, int(np.ceil((1 - MAX_STANDALONE_JOINED)
                                                                      * len(standalone))))])
    caught = float(np.mean(p[y == 1] >= threshold))
    held = float(np.mean(p[y == 0] < threshold))
    print(f"out of fold: threshold {threshold:.3f}, follow-ups joined {caught:.3f}, "
          f"standalone kept {held:.3f}", flush=True)
    mean, scale = standardise(x)
    w, b = fit((x - mean) / scale, y, LAM)
    for name, weight in zip(FEATURES, w, strict=True):
        print(f"  {name:14s} {weight:+.3f}")
    FollowUp(tuple(float(v) for v in w), b, tuple(float(v) for v in mean), tuple(float(v) for v in scale),
             threshold, f"{len(y)} examples; out of fold: follow-ups joined {caught:.3f}, standalone kept "
             f"{held:.3f}").save(FOLLOWUP_FILE)
    print(f"wrote {FOLLOWUP_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
