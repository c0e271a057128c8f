"""Fit the answerability decision on labelled dev questions and write assistant/answerability.json.

    python -m evals.fit_answerability [--folds 5] [--output FILE] [--only SOURCE ...]

The model is an L2-regularised logistic regression over the generic signals of `assistant.answerability`
(fitted by Newton's method in numpy; nothing is needed at run time but the weights). The regularisation strength
is chosen by cross-validation on the dev questions only. The two thresholds come from the out-of-fold scores of
the questions written independently of the project: `refuse_below` lets at most 5 % of the answerable ones be
refused; `answer_from` is where at most 10 % of all dev questions scored above it are not answerable (between
the two, the closest provision is shown, hedged). Two models are written: one with the embedding head, for the
embedder it was fitted with, and one on the scalar signals alone, for any other embedder.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answerability import EMBEDDER_SCALE, HEAD_WIDTH, MODEL_FILE, SCALAR_FEATURES, Model
from assistant.service import Assistant
from evals.dataset import HELD_OUT, training_items
from ingest.embed import embedder_id
from parkstad.settings import Settings

MAX_FALSE_REFUSALS = 0.05
MAX_NEGATIVES_ANSWERED = 0.10
LAMBDAS = (30.0, 100.0, 300.0, 1000.0, 3000.0, 10000.0)
SCALAR_PENALTY = 1.0
MIN_CALIBRATION = 50  # answerable independent questions needed to calibrate the thresholds on them alone
INDEPENDENT_WEIGHT = 3.0


def feature_matrix(assistant: Assistant, questions: list[tuple[str, tuple[str, ...]]]) -> np.ndarray:
    """One row of signals per question (read with its conversation when it has one)."""
    assistant.state()
    decider = assistant.answerability
    assert decider is not None
    rows = []
    for question, history in questions:
        query, ranking = assistant.understood(assistant.read(question), history)
        scalars = decider.signals.scalars(query, ranking.hits, ranking.refers_back, ranking.topic)
        x = [scalars[n] for n in SCALAR_FEATURES]
        rows.append(np.concatenate([x, decider.signals.vector(ranking.vector, ranking.hits)]))
    return np.asarray(rows, dtype=np.float64)


def fit(x: np.ndarray, y: np.ndarray, lam: float, iterations: int = 30,
        weight: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method, with an L2 penalty of `lam` on the embedding head's weights and a
    light one on the scalar signals' (none on the bias): a strong head alone learns which clauses are asked
    about often, not whether a clause answers."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, lam)
    penalty[:min(d, len(SCALAR_FEATURES))] = SCALAR_PENALTY
    penalty[-1] = 0.0
    weight = np.ones(n) if weight is None else weight
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -40, 40)))
        grad = xb.T @ (weight * (p - y)) + penalty * w
        hess = (xb * (weight * p * (1 - p))[:, None]).T @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.max(np.abs(step))) < 1e-7:
            break
    return w[:-1], float(w[-1])


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def out_of_fold(x: np.ndarray, y: np.ndarray, lam: float, folds: int, seeds: tuple[int, ...] = (7, 11, 13),
                weight: np.ndarray | None = None, groups: np.ndarray | None = None) -> np.ndarray:
    """Each question's score from models fitted without its whole batch (a batch holds paraphrases of the same
    questions; random folds would let the embedding head recognise them), averaged over several random
    assignments of batches to folds."""
    groups = np.arange(len(y)) if groups is None else groups
    names = np.unique(groups)
    scores = np.zeros(len(y))
    for seed in seeds:
        assigned = dict(zip(names, np.random.default_rng(seed).permutation(len(names)) % folds, strict=True))
        fold_of = np.asarray([assigned[g] for g in groups])
        for k in range(folds):
            test = np.flatnonzero(fold_of == k)
            train = np.flatnonzero(fold_of != k)
            mean, scale = standardise(x[train])
            w, b = fit((x[train] - mean) / scale, y[train], lam, weight=None if weight is None else weight[train])
            scores[test] += 1.0 / (1.0 + np.exp(-(((x[test] - mean) / scale) @ w + b)))
    return scores / len(seeds)


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def thresholds(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    positives = np.sort(p[y == 1])
    refuse_below = float(positives[int(np.floor(MAX_FALSE_REFUSALS * len(positives)))])
    answer_from = 1.0
    for t in np.sort(np.unique(p))[::-1]:
        above = p >= t
        if above.sum() >= 20 and np.mean(y[above] == 0) <= MAX_NEGATIVES_ANSWERED:
            answer_from = float(t)
    return refuse_below, max(answer_from, refuse_below)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--output", type=Path, default=MODEL_FILE)
    parser.add_argument("--independent-weight", type=float, default=INDEPENDENT_WEIGHT,
                        help="weight of questions written by helpers who never saw the code (the project's own: 1)")
    parser.add_argument("--only", nargs="*", metavar="SOURCE",
                        help="fit on these sources only ('questions', a batch name), to score the others held out")
    parser.add_argument("--drop", nargs="*", default=(), metavar="SIGNAL",
                        help="leave these scalar signals out (an ablation; the model reads only the ones it names)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    settings = Settings.from_env()
    width = len(SCALAR_FEATURES) + HEAD_WIDTH
    provisional = Model((0.0,) * width, (1.0,) * width, (0.0,) * width, 0.0, 0.5, 0.5, True)
    assistant = Assistant.from_settings(settings, model=provisional)
    items = [i for i in training_items() if args.only is None or i.source in args.only]
    x = feature_matrix(assistant, [(i.question, i.history) for i in items])
    y = np.asarray([1.0 if i.answerable else 0.0 for i in items])
    weight = np.asarray([1.0 if i.source == "questions" else args.independent_weight for i in items])
    out = {"fitted": time.strftime("%Y-%m-%d"), "embedder": embedder_id(assistant.embedder),
           "fitted_on": {"questions": len(items), "answerable": int(y.sum()), "held_out": list(HELD_OUT),
                         "sources": sorted({i.source for i in items})},
           "independent_weight": args.independent_weight, "max_false_refusals": MAX_FALSE_REFUSALS}
    independent = np.asarray([i.source != "questions" for i in items])
    conversation = np.asarray([bool(i.history) for i in items])
    groups = np.asarray([f"{i.source}:{i.batch}" for i in items])
    kept = [i for i, n in enumerate(SCALAR_FEATURES) if n not in args.drop]
    portable = [i for i in kept if SCALAR_FEATURES[i] not in EMBEDDER_SCALE]
    for name, columns in (("head", kept + list(range(len(SCALAR_FEATURES), x.shape[1]))), ("scalars", portable)):
        out[name] = fitted(x[:, columns], y, weight, args.folds, independent, groups, conversation)
        out[name]["scalars"] = [SCALAR_FEATURES[i] for i in columns if i < len(SCALAR_FEATURES)]
        out[name]["head_width"] = len(columns) - len(out[name]["scalars"])
    args.output.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    for name in ("head", "scalars"):
        print(name, json.dumps({k: out[name][k] for k in ("lambda", "cv_log_loss", "cv", "cv_conversations",
                                                          "refuse_below", "answer_from")}))
    print(f"fitted on {out['fitted_on']}; wrote {args.output} in {time.perf_counter() - started:.0f} s")
    return 0


def fitted(x: np.ndarray, y: np.ndarray, weight: np.ndarray, folds: int, independent: np.ndarray,
           groups: np.ndarray, conversation: np.ndarray) -> dict[str, Any]:
    """The penalty chosen by cross-validation, the model on all data, and the thresholds from out-of-fold
    scores: of the questions written independently of the project when there are enough of them (they are
    worded like the questions the assistant will meet; the project's own score higher), else of all."""
    losses = {lam: log_loss(out_of_fold(x, y, lam, folds, (7,), weight, groups), y) for lam in LAMBDAS}
    lam = min(losses, key=lambda k: losses[k])
    oof = out_of_fold(x, y, lam, folds, weight=weight, groups=groups)
    calibrate = independent if (y[independent] == 1).sum() >= MIN_CALIBRATION else np.ones(len(y), dtype=bool)
    refuse_below, _ = thresholds(oof[calibrate], y[calibrate])
    answer_from = max(thresholds(oof, y)[1], refuse_below)
    mean, scale = standardise(x)
    w, b = fit((x - mean) / scale, y, lam, weight=weight)
    talk = {"questions": int(conversation.sum()),
            "false_refusals": round(float(np.mean(oof[conversation & (y == 1)] < refuse_below)), 3),
            "negatives_refused": round(float(np.mean(oof[conversation & (y == 0)] < refuse_below)), 3)}
    oof, y = oof[calibrate], y[calibrate]
    return {"lambda": lam, "cv_log_loss": {str(k): round(v, 4) for k, v in losses.items()},
            "cv": {"false_refusals": round(float(np.mean(oof[y == 1] < refuse_below)), 3),
                   "negatives_refused": round(float(np.mean(oof[y == 0] < refuse_below)), 3),
                   "closest_share": round(float(np.mean((oof >= refuse_below) & (oof < answer_from))), 3)},
            "cv_conversations": talk,
            "calibrated_on": int(calibrate.sum()),
            "refuse_below": round(refuse_below, 4), "answer_from": round(answer_from, 4),
            "bias": b, "mean": mean.tolist(), "scale": scale.tolist(), "weights": w.tolist()}


if __name__ == "__main__":
    raise SystemExit(main())
