"""Fit the ranker on the evidence clauses of all labelled questions and write assistant/ranker.json.

    python -m evals.fit_ranker [--ablate] [--dry-run] [--conversation]

Each answerable question with evidence gives its candidates (every chunk the hand-set weights rank in the top 40,
plus its evidence clauses) and a listwise softmax loss: the evidence clauses should take the probability mass
(L2 towards the hand-set weights). Batches are held out whole for cross-validation: the out-of-fold rank of the
evidence clause is reported per set beside the hand-set ranker's, and `--ablate` refits without each feature
family. A conversation's last question is ranked with its history, as the assistant ranks it.

`--conversation` keeps those weights and fits the same features' weights for questions ranked with their
conversation, on the conversations alone, drawn towards the weights above (a short question's own words count for
less when its conversation is known): out of fold per batch against the weights above, then on all.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.features import FAMILIES, FEATURES
from assistant.rank import HAND_SET, RANKER_FILE, Ranker
from assistant.service import Assistant
from evals.dataset import Item, training_items
from evals.retrieval import evidence_mask, features
from evals.score import norm

CANDIDATES = 40
LAMBDA = 0.001


@dataclass(frozen=True)
class Example:
    """One labelled question's candidate chunks: their features and which of them hold the evidence."""

    group: str
    x: np.ndarray
    positive: np.ndarray


def labelled_items() -> list[Item]:
    """The answerable questions with evidence among the decision's training items (the same questions)."""
    return [i for i in training_items() if i.answerable and (i.evidence or i.labels)]


def group_of(item: Item) -> str:
    return f"questions-{item.batch}" if item.source == "questions" else item.source


def examples(assistant: Assistant, items: list[Item]) -> list[Example]:
    corpus = assistant.state()[1]
    hand = Ranker.hand_set()
    texts = [norm(c.text) for c in corpus.chunks]
    out = []
    for item in items:
        positive = evidence_mask(item, corpus.chunks, texts)
        if not positive.any():
            continue
        x = features(assistant, item)
        order = np.argsort(-hand.score(x), kind="stable")[:CANDIDATES]
        keep = np.zeros(len(x), dtype=bool)
        keep[order] = True
        keep |= positive
        out.append(Example(group_of(item), x[keep], positive[keep]))
    return out


CONVERSATION_LAMBDA = 0.01


def fit(train: list[Example], lam: float = LAMBDA, iterations: int = 400,
        prior: np.ndarray | None = None) -> np.ndarray:
    """Listwise softmax with L2 towards the prior (the hand-set weights unless given), by L-BFGS."""
    from scipy.optimize import minimize

    prior = Ranker.hand_set()._full if prior is None else prior

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for ex in train:
            s = ex.x @ w
            s -= s.max()
            p = np.exp(s)
            z = p.sum()
            pos = p[ex.positive].sum()
            total -= np.log(pos / z + 1e-12)
            q_all = p / z
            q_pos = np.where(ex.positive, p, 0.0) / max(pos, 1e-12)
            grad -= (q_pos - q_all) @ ex.x
        d = w - prior
        return total / len(train) + lam * float(d @ d) / 2, grad / len(train) + lam * d

    result = minimize(loss, prior.copy(), jac=True, method="L-BFGS-B", options={"maxiter": iterations})
    return result.x


def ranks(examples_: list[Example], w: np.ndarray) -> np.ndarray:
    """The rank (0 = first) of the best evidence clause among each example's candidates."""
    out = []
    for ex in examples_:
        s = ex.x @ w
        best = s[ex.positive].max()
        out.append(int((s > best).sum()))
    return np.asarray(out)


def summary(r: np.ndarray) -> dict[str, float]:
    return {"n": len(r), "first": round(float(np.mean(r == 0)), 3), "top3": round(float(np.mean(r < 3)), 3),
            "top12": round(float(np.mean(r < 12)), 3)}


def cross_validate(data: list[Example], features: tuple[str, ...] = FEATURES) -> dict[str, np.ndarray]:
    """Out-of-fold ranks per group, each group held out whole."""
    mask = np.asarray([f in features for f in FEATURES], dtype=np.float64)
    masked = [Example(e.group, e.x * mask, e.positive) for e in data]
    out = {}
    for group in sorted({e.group for e in masked}):
        train = [e for e in masked if e.group != group]
        w = fit(train)
        out[group] = ranks([e for e in masked if e.group == group], w)
    return out


def report(oof: dict[str, np.ndarray], hand: dict[str, np.ndarray]) -> list[str]:
    lines = ["| set | n | hand-set first | fitted first (out of fold) | hand-set top 3 | fitted top 3 |",
             "|---|---|---|---|---|---|"]
    for group in sorted(oof):
        h, f = summary(hand[group]), summary(oof[group])
        lines.append(f"| {group} | {f['n']} | {h['first']} | {f['first']} | {h['top3']} | {f['top3']} |")
    allh, allf = summary(np.concatenate(list(hand.values()))), summary(np.concatenate(list(oof.values())))
    lines.append(f"| all | {allf['n']} | {allh['first']} | {allf['first']} | {allh['top3']} | {allf['top3']} |")
    return lines


ABLATION_SETS = ("external-dev", "external-dev-2", "e")


def ablation(data: list[Example], full: dict[str, np.ndarray]) -> list[str]:
    """Evidence first (out of fold) per set with every feature, and without each family in turn."""
    def row(name: str, oof: dict[str, np.ndarray]) -> str:
        conv = [g for g in oof if "conversation" in g]
        cells = [summary(np.concatenate(list(oof.values())))["first"]]
        cells += [summary(oof[s])["first"] if s in oof else "–" for s in ABLATION_SETS]
        cells.append(summary(np.concatenate([oof[g] for g in conv]))["first"] if conv else "–")
        return f"| {name} | " + " | ".join(str(c) for c in cells) + " |"

    lines = ["| features | all | " + " | ".join(ABLATION_SETS) + " | conversations |",
             "|---" * (len(ABLATION_SETS) + 3) + "|", row("all", full)]
    for family, names in FAMILIES.items():
        lines.append(row(f"without {family}", cross_validate(data, tuple(f for f in FEATURES if f not in names))))
    return lines


def _coarse(data: list[Example]) -> list[Example]:
    """The project's own question batches folded into five groups, so cross-validation fits 5 + n models."""
    return [Example(f"questions-{int(e.group.split('-')[1]) % 5}" if e.group.startswith("questions-") else e.group,
                    e.x, e.positive) for e in data]


def fit_conversation(assistant: Assistant, output: Path | None, dry_run: bool) -> int:
    """The weights for questions ranked with their conversation, drawn towards the fitted ones."""
    base = assistant.ranker
    data = examples(assistant, [i for i in labelled_items() if i.history])
    prior = base._full
    groups = sorted({e.group for e in data})
    print(f"{len(data)} conversations in {len(groups)} groups", flush=True)
    lines = ["| set | n | first, one ranker | first, conversation weights (out of fold) | top 3, one ranker | "
             "top 3, conversation weights |", "|---|---|---|---|---|---|"]
    alone, oof = [], []
    for group in groups:
        test = [e for e in data if e.group == group]
        w = fit([e for e in data if e.group != group], CONVERSATION_LAMBDA, 300, prior)
        a, b = ranks(test, prior), ranks(test, w)
        alone.append(a)
        oof.append(b)
        if len(test) >= 10:
            sa, sb = summary(a), summary(b)
            lines.append(f"| {group} | {len(test)} | {sa['first']} | {sb['first']} | {sa['top3']} | {sb['top3']} |")
    sa, sb = summary(np.concatenate(alone)), summary(np.concatenate(oof))
    lines.append(f"| all | {sa['n']} | {sa['first']} | {sb['first']} | {sa['top3']} | {sb['top3']} |")
    print("\n".join(lines), flush=True)
    if dry_run:
        return 0
    w = fit(data, CONVERSATION_LAMBDA, 300, prior)
    full = dict(zip(FEATURES, w, strict=True))
    names = tuple(dict.fromkeys(base.names + tuple(f for f in FEATURES if abs(full[f]) > 1e-9)))
    weights = dict(zip(base.names, base.weights, strict=True))
    ranker = Ranker(names, tuple(weights.get(n, 0.0) for n in names), base.note,
                    tuple(float(full.get(n, 0.0)) for n in names))
    raw = json.loads((output or RANKER_FILE).read_text(encoding="utf-8")) if (output or RANKER_FILE).exists() else {}
    extra = {k: v for k, v in raw.items() if k not in ("features", "weights", "note", "conversation_weights",
                                                        "conversation_cross_validation")}
    path = ranker.save(output, **extra, conversation_cross_validation={"one_ranker": sa, "conversation_weights": sb})
    print(f"wrote {path}: conversations out of fold first {sb['first']} (one ranker {sa['first']})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ablate", action="store_true", help="refit without each feature family")
    parser.add_argument("--dry-run", action="store_true", help="cross-validate only, write nothing")
    parser.add_argument("--conversation", action="store_true",
                        help="fit only the weights for questions ranked with their conversation")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    assistant = Assistant.from_settings()
    if args.conversation:
        return fit_conversation(assistant, args.output, args.dry_run)
    data = _coarse(examples(assistant, labelled_items()))
    print(f"{len(data)} labelled questions in {len({e.group for e in data})} groups "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    prior = Ranker.hand_set()._full
    hand = {g: ranks([e for e in data if e.group == g], prior) for g in {e.group for e in data}}
    oof = cross_validate(data)
    lines = report(oof, hand)
    print("\n".join(lines), flush=True)
    if args.ablate:
        print("\n" + "\n".join(ablation(data, oof)), flush=True)
    if args.dry_run:
        return 0
    w = fit(data)
    names = tuple(f for f, v in zip(FEATURES, w, strict=True) if abs(v) > 1e-9)
    ranker = Ranker(names, tuple(float(v) for v in w if abs(v) > 1e-9),
                    f"fitted on {len(data)} labelled questions by evals/fit_ranker.py")
    overall = summary(np.concatenate(list(oof.values())))
    path = ranker.save(args.output, cross_validation=overall, hand_set_keys=sorted(HAND_SET))
    print(f"wrote {path}: out-of-fold first {overall['first']}, top 3 {overall['top3']}")
    print(json.dumps(dict(zip(names, (round(v, 3) for v in ranker.weights), strict=True))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
