"""Fit the form classifier (which builder answers a question) and write assistant/form.json.

    python -m evals.fit_form [--dry-run] [--external FILE] [--output FILE]

Labels come from outcomes: every answerable single question of the training items (the project's questions, the
scored batches, external-dev; never external-dev-2, which is reported held out) is retrieved and decided once
(cached in evals/.form-cache.pkl), then composed by every builder that applies; each answer is scored as the eval
scores it (`evals.score`: facts stated, supporting clause cited), and the label is the set of builders whose
answer scores best. A multinomial logistic regression over `assistant.form.features`, restricted to the applicable
builders, is fitted on the likelihood of that set (L2, by L-BFGS). Its penalty, its confidence threshold and its
fallback (the best clause or the cascade) are chosen by cross-validation with batches held out whole, nested inside
the outer held-out folds that the ablation reports: (a) the cascade, (b) the classifier, (c) the best clause only,
(d) the best clauses' kinds rule, (e) the best label (an upper bound). With `--external` the same four are run
through `Assistant.ask` on that set and scored with the shared scorer.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answerability import MODEL_FILE as DECISION_FILE
from assistant.form import (
    BEST_CLAUSE,
    CASCADE,
    FEATURES,
    FORMS,
    MODEL_FILE,
    Chooser,
    FormModel,
    by_cascade,
    cascade,
    features,
)
from assistant.model import Answer, Citation
from assistant.rank import RANKER_FILE
from assistant.read import Query
from assistant.retrieve import Hit
from assistant.service import Assistant
from evals.dataset import SHARED_DEV, Item, training_items
from evals.score import norm, score

CACHE = Path(__file__).resolve().parent / ".form-cache.pkl"
HELD_OUT_SETS = ("external-dev-2", "external-conversations")
LAMBDAS = (0.3, 3.0, 30.0)
INNER_FOLDS = 4
THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)
FALLBACKS = (BEST_CLAUSE, CASCADE)
VARIANTS = ("cascade", "classifier", "best clause", "kinds rule", "best label")


@dataclass(frozen=True)
class Example:
    """One single question: its group, features, applicable builders, each builder's outcome (facts, cited, first),
    and whether the decision answered it."""

    group: str
    item: Item
    x: np.ndarray
    applicable: tuple[str, ...]
    outcome: dict[str, tuple[bool, bool, bool]]  # per form: facts stated, clause cited, facts in the lead
    found: bool
    kinds_rule: str

    def value(self, form: str) -> float:
        """Facts stated and clause cited, as the eval counts them, and the facts stated in the lead itself (the
        eval finds facts in the sources quoted whole too; the lead is what a reader reads first)."""
        return float(sum(self.outcome[form]))

    @property
    def best(self) -> tuple[str, ...]:
        top = max(self.value(f) for f in self.applicable)
        return tuple(f for f in self.applicable if self.value(f) == top)


def items() -> list[Item]:
    """The answerable and unanswerable single questions the form is fitted and cross-validated on."""
    return [i for i in training_items() if not i.history and i.source not in HELD_OUT_SETS]


def group_of(item: Item) -> str:
    """As `evals.fit_ranker`: each batch held out whole, the project's own batches folded into five groups."""
    return f"questions-{item.batch % 5}" if item.source == "questions" else item.source


def _fingerprint(assistant: Assistant) -> str:
    parts = [assistant.state()[0].collection]
    for path in (RANKER_FILE, DECISION_FILE):
        parts.append(hashlib.sha256(path.read_bytes()).hexdigest())
    return "|".join(parts)


def retrieved(assistant: Assistant, chosen: list[Item]) -> dict[str, tuple[Query, list[Hit], bool]]:
    """Each question read, ranked and decided once, cached by the index, ranker and decision they came from."""
    key = _fingerprint(assistant)
    cache: dict[str, tuple[Query, list[Hit], bool]] = {}
    if CACHE.exists():
        stored = pickle.loads(CACHE.read_bytes())
        if stored.get("key") == key:
            cache = stored["entries"]
    missing = [i.question for i in chosen if i.question not in cache]
    for n, question in enumerate(missing, start=1):
        query, hits, decision = assistant.decide(question)
        cache[question] = (query, hits, decision.found)
        if n % 200 == 0:
            print(f"  retrieved {n} of {len(missing)}", flush=True)
    if missing:
        CACHE.write_bytes(pickle.dumps({"key": key, "entries": cache}))
    return cache


def kinds_rule(query: Query, hits: Sequence[Hit], applicable: Collection[str]) -> str:
    """Without the classifier: the first applicable builder in the cascade's order whose kind of answer the best
    three clauses hold (a table or an amount, a date, an enumeration, a party, a definition, a footnote), else the
    best clause."""
    top = [h.chunk for h in hits[:3]]
    held = {k for c in top for k in c.holds} | {c.kind for c in top}
    enumerates = any(c.text.rstrip().endswith(":") or ";" in c.text for c in top)
    needs: dict[str, bool] = {
        "holder": "party" in held, "of_party": "party" in held, "structure": True, "count": enumerates,
        "members": "party" in held, "where": "footnote" in held, "definition": "definition" in held,
        "due": "date" in held, "amount": "amount" in held or "table" in held, "who": "party" in held,
    }
    return next((f for f in FORMS[:-1] if f in applicable and needs[f]), BEST_CLAUSE)


def examples(assistant: Assistant, chosen: list[Item]) -> list[Example]:
    answerer = assistant.state()[3]
    cache = retrieved(assistant, chosen)
    out = []
    for item in chosen:
        query, hits, found = cache[item.question]
        drafts = answerer.candidates(query, hits)
        outcome = {}
        for form, draft in drafts.items():
            answer = Answer(item.question, draft.text, draft.found, "extractive",
                            citations=tuple(Citation.of(s.chunk, s.items) for s in draft.sources))
            s = score(item, answer, [], [])
            lead = norm(draft.lead)
            outcome[form] = (s.facts, s.cited, all(any(norm(alt) in lead for alt in group) for group in item.facts))
        applicable = tuple(f for f in FORMS if f in drafts)
        out.append(Example(group_of(item), item, features(query, hits, applicable), applicable, outcome, found,
                           kinds_rule(query, hits, applicable)))
    return out


# --- the classifier -----------------------------------------------------------------------------------------------

def _mask(data: Sequence[Example], forms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    applicable = np.asarray([[f in e.applicable for f in forms] for e in data], dtype=bool)
    best = np.asarray([[f in e.best for f in forms] for e in data], dtype=bool)
    return applicable, best


def fit(data: Sequence[Example], lam: float) -> FormModel:
    """Multinomial logistic regression over the applicable forms, maximising the probability of the best set."""
    from scipy.optimize import minimize

    forms = FORMS
    x = np.asarray([e.x for e in data])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    applicable, best = _mask(data, forms)
    informative = (applicable.sum(axis=1) > 1) & (best.sum(axis=1) < applicable.sum(axis=1))
    z, applicable, best = z[informative], applicable[informative], best[informative]
    k, d = len(forms), z.shape[1]

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = flat.reshape(k, d)
        logits = np.where(applicable, z @ w.T, -np.inf)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        pos = np.where(best, p, 0.0).sum(axis=1)
        q = np.where(best, p, 0.0) / np.maximum(pos, 1e-12)[:, None]
        value = -np.sum(np.log(np.maximum(pos, 1e-12))) / max(len(z), 1)
        grad = ((p - q).T @ z) / max(len(z), 1)
        value += lam * float(np.sum(w**2)) / 2 / max(len(z), 1)  # the biases too: a form that always wins
        grad += lam * w / max(len(z), 1)  # where it applies would otherwise take an unbounded bias
        return value, grad.ravel()

    result = minimize(loss, np.zeros(k * d), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    w = result.x.reshape(k, d)
    return FormModel(FEATURES, forms, tuple(mean.tolist()), tuple(scale.tolist()),
                     tuple(tuple(row.tolist()) for row in w[:, :-1]), tuple(w[:, -1].tolist()), 0.0, BEST_CLAUSE)


def _pick(model: FormModel, e: Example, threshold: float, fallback: str) -> str:
    p = model.probabilities(e.x, e.applicable)
    best = max(p, key=lambda f: (p[f], f == BEST_CLAUSE))
    if p[best] >= threshold:
        return best
    return cascade(e.applicable) if fallback == CASCADE else BEST_CLAUSE


def _mean_value(data: Sequence[Example], pick: Callable[[Example], str]) -> float:
    return float(np.mean([e.value(pick(e)) for e in data if e.item.answerable])) if data else 0.0


def select(data: Sequence[Example]) -> tuple[float, float, str, float]:
    """Penalty, threshold and fallback by cross-validation on `data`, its groups held out whole in INNER_FOLDS
    folds; with their cross-validated mean of facts stated plus clause cited."""
    groups = sorted({e.group for e in data})
    fold_of = {g: k % INNER_FOLDS for k, g in enumerate(groups)}
    oof: dict[float, list[tuple[Example, FormModel]]] = {lam: [] for lam in LAMBDAS}
    for k in range(INNER_FOLDS):
        train = [e for e in data if fold_of[e.group] != k and e.item.answerable]
        test = [e for e in data if fold_of[e.group] == k]
        for lam in LAMBDAS:
            model = fit(train, lam)
            oof[lam] += [(e, model) for e in test]
    best = (-1.0, LAMBDAS[0], 0.0, BEST_CLAUSE)
    for lam, pairs in oof.items():
        for threshold in THRESHOLDS:
            for fallback in FALLBACKS:
                value = float(np.mean([e.value(_pick(m, e, threshold, fallback)) for e, m in pairs
                                       if e.item.answerable]))
                if value > best[0] + 1e-9:
                    best = (value, lam, threshold, fallback)
    return best[1], best[2], best[3], best[0]


def final(data: Sequence[Example]) -> FormModel:
    lam, threshold, fallback, value = select(data)
    print(f"    lambda {lam}, threshold {threshold}, fallback {fallback}: cross-validated value {value:.3f}",
          flush=True)
    model = fit([e for e in data if e.item.answerable], lam)
    return FormModel(model.features, model.forms, model.mean, model.scale, model.weights, model.bias, threshold,
                     fallback)


# --- the ablation -------------------------------------------------------------------------------------------------

def held_out(data: list[Example]) -> dict[str, list[str]]:
    """Each variant's chosen form for every example, out of fold (the classifier chosen and fitted without the
    example's group)."""
    picks: dict[str, list[str]] = {v: [] for v in VARIANTS}
    order: list[int] = []
    for group in sorted({e.group for e in data}):
        train = [e for e in data if e.group != group]
        model = final(train)
        print(f"  held out {group}", flush=True)
        for i, e in enumerate(data):
            if e.group != group:
                continue
            order.append(i)
            picks["cascade"].append(cascade(e.applicable))
            picks["classifier"].append(_pick(model, e, model.threshold, model.fallback))
            picks["best clause"].append(BEST_CLAUSE)
            picks["kinds rule"].append(e.kinds_rule)
            picks["best label"].append(max(e.applicable, key=lambda f: (e.value(f), f == BEST_CLAUSE)))
    inverse = np.argsort(order)
    return {v: [p[j] for j in inverse] for v, p in picks.items()}


def figures(data: list[Example], picks: list[str]) -> dict[str, float]:
    answerable = [(e, f) for e, f in zip(data, picks, strict=True) if e.item.answerable]
    correct = [e.found and all(e.outcome[f][:2]) if e.item.answerable else not e.found
               for e, f in zip(data, picks, strict=True)]
    return {"n": len(data), "accuracy": round(float(np.mean(correct)), 3),
            "facts": round(float(np.mean([e.outcome[f][0] for e, f in answerable])), 3),
            "cited": round(float(np.mean([e.outcome[f][1] for e, f in answerable])), 3),
            "facts_in_lead": round(float(np.mean([e.outcome[f][2] for e, f in answerable])), 3),
            "differs": sum(f != cascade(e.applicable) for e, f in zip(data, picks, strict=True))}


def external(assistant: Assistant, path: Path, model: FormModel) -> dict[str, dict[str, object]]:
    """The four variants through `Assistant.ask` (compound questions and all) on a held-out set, written as
    `parkstad ask --jsonl` writes them and scored with the shared scorer."""
    questions = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    scorer = SHARED_DEV / "score.py"
    choosers: dict[str, Chooser] = {"cascade": by_cascade, "classifier": model.choose,
                                    "best clause": lambda q, h, a: BEST_CLAUSE, "kinds rule": kinds_rule}
    out = {}
    for name, choose in choosers.items():
        system = Assistant(assistant.index, assistant.embedder, assistant.ranker, model=assistant.model,
                           choose=choose)
        lines = [json.dumps(system.ask(q["question"], history=q.get("history", ())).to_dict(),
                            ensure_ascii=False) for q in questions]
        answers = CACHE.with_name(f".form-{path.stem}-{name.replace(' ', '-')}.jsonl")
        answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = subprocess.run([sys.executable, str(scorer), str(path), str(answers)], capture_output=True,
                                text=True, check=True)
        out[name] = json.loads(result.stdout.strip().splitlines()[-1])
        leads = [norm(json.loads(line).get("lead", "")) for line in lines]
        out[name]["facts_in_lead"] = round(float(np.mean([all(any(norm(a) in lead for a in f.split("|") if a.strip())
                                                                   for f in q["must_include"])
                                                               for q, lead in zip(questions, leads, strict=True)
                                                               if q["answerable"]])), 3)
        print(f"  {path.stem} {name}: {out[name]['accuracy']} facts {out[name]['facts_in_answer']} "
              f"evidence {out[name]['evidence_cited']} "
              f"facts in the lead {out[name]['facts_in_lead']}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="cross-validate and report only, write nothing")
    parser.add_argument("--output", type=Path, default=MODEL_FILE)
    parser.add_argument("--external", type=Path, nargs="*", default=[SHARED_DEV / "external-dev-2.jsonl"])
    args = parser.parse_args(argv)
    started = time.perf_counter()
    assistant = Assistant.from_settings(choose=by_cascade)
    data = examples(assistant, items())
    answerable = [e for e in data if e.item.answerable]
    informative = sum(len(set(e.best)) < len(e.applicable) for e in answerable)
    print(f"{len(data)} single questions ({len(answerable)} answerable, {informative} where the form matters) in "
          f"{len({e.group for e in data})} groups ({time.perf_counter() - started:.0f} s)", flush=True)
    picks = held_out(data)
    lines = ["| form chosen by | accuracy | facts stated | clause cited | facts in the lead | not the cascade's |",
             "|---|---|---|---|---|---|"]
    for variant in VARIANTS:
        f = figures(data, picks[variant])
        lines.append(f"| {variant} | {f['accuracy']} | {f['facts']} | {f['cited']} | {f['facts_in_lead']} | "
                     f"{f['differs']} |")
    print("\n".join(lines), flush=True)
    model = final(data)
    print(f"final: threshold {model.threshold}, fallback {model.fallback}", flush=True)
    report: dict[str, object] = {"held_out_folds": {v: figures(data, picks[v]) for v in VARIANTS}}
    for path in args.external:
        if path.exists():
            report[path.stem] = external(assistant, path, model)
    if not args.dry_run:
        payload = {"fitted": time.strftime("%Y-%m-%d"), "fitted_on": {"questions": len(answerable),
                                                                       "form_matters": informative},
                   "features": list(model.features), "forms": list(model.forms), "mean": list(model.mean),
                   "scale": list(model.scale), "weights": [list(r) for r in model.weights],
                   "bias": list(model.bias), "threshold": model.threshold, "fallback": model.fallback,
                   "ablation": report}
        args.output.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {args.output}")
    print(json.dumps(report, indent=1))
    print(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
