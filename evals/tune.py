"""Choose fusion weights and refusal thresholds on the dev split only (the test split is never used here).

Weights: grid over the dense/lexical mix and the route boosts, scored by dev accuracy (ties: hit@5).
Thresholds: for each dev item the answer is composed once as if supported; the refusal rule is then
replayed over a grid (answer-type checks included), maximising dev accuracy with false refusals at most 5 % (10 %
in any one language), ties to the most permissive."""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import asdict, replace

from assistant.answer import ExtractiveAnswerer
from assistant.coverage import Thresholds
from assistant.retrieve import Weights
from assistant.service import Assistant
from evals.dataset import load
from evals.run import evaluate, variant
from evals.score import norm, summarise


def tune_weights(assistant: Assistant) -> Weights:
    items = load(split="dev")
    best, best_key = Weights(), (-1.0, -1.0)
    for dense, theme, actor, definition in itertools.product(
        (0.4, 0.5, 0.6, 0.7, 0.8), (0.1, 0.2), (0.05, 0.1), (0.2, 0.35)
    ):
        w = replace(Weights(), dense=dense, lexical=round(1 - dense, 2), theme=theme, actor=actor,
                    definition=definition)
        s = summarise(evaluate(variant(assistant, w), items))
        key = (s["accuracy"], s["hit_at_5"])
        if key > best_key:
            best, best_key = w, key
    print(f"weights: {asdict(best)} -> dev accuracy {best_key[0]}, hit@5 {best_key[1]}", file=sys.stderr)
    return best


def tune_thresholds(assistant: Assistant) -> Thresholds:
    items = load(split="dev")
    _, corpus, retriever, answerer = assistant.state()
    rows = []
    forced = type(answerer)(corpus, Thresholds(0, 0, 0, 0, 1.0, 0.0, 1.0))
    # the answer-type checks: the role check always applies (role_only), the others below the high similarity
    role_only = ExtractiveAnswerer(corpus, replace(answerer.thresholds, dense_high=0.0), answerer.dictionary)
    every_check = ExtractiveAnswerer(corpus, replace(answerer.thresholds, dense_high=2.0), answerer.dictionary)
    for item in items:
        query, context = assistant.read(item.question, item.history)
        hits = retriever.retrieve(query, k=12, context=context)
        draft = forced.answer(query, hits)
        labels = [c.label for c in draft.cited]
        ok = any(lab in item.labels for lab in labels) and all(
            any(norm(a) in norm(draft.text) for a in g) for g in item.facts)
        salient, missing = answerer.unknown_words(query)
        routed = answerer.routed(query, hits) or answerer._commitments(query, hits) is not None
        names_ok = answerer._names_answered(query, hits) and not answerer._other_ministry(query)
        topic_ok = answerer._topic_retrieved(query, hits, [w for w in salient if w not in missing])
        role_ok = role_only._focus_answered(query, hits, salient, missing)
        typed_ok = every_check._focus_answered(query, hits, salient, missing)
        rows.append((item, query.language, hits[0].dense, len(salient), len(missing), routed, names_ok, topic_ok,
                     role_ok, typed_ok, ok))
    grid_dense = [round(0.70 + 0.01 * i, 2) for i in range(21)]
    best, best_key = Thresholds(), (-1.0, 0.0)
    # The plain similarity floor stays low and the same in every language: cross-lingual similarities run lower,
    # and a floor tuned per language refused plain English and German questions; refusals rest on evidence.
    for nl, high, ratio, topic, low in itertools.product(
            grid_dense[:6], grid_dense, (0.25, 0.34, 0.5, 0.67), (0.0, 0.84, 0.86, 0.88, 1.0), (0.0, 0.2, 0.25, 0.34)):
        en_de = nl
        if low > ratio:
            continue
        t = Thresholds(nl, en_de, en_de, high, ratio, topic, low)
        correct = refused_pos = pos = 0
        refused_by_lang: dict[str, list[bool]] = {}
        for item, lang, dense, n_sal, n_miss, routed, names_ok, topic_ok, role_ok, typed_ok, ok in rows:
            found = routed or names_ok and role_ok and (typed_ok or dense >= t.dense_high) and (
                topic_ok or dense >= t.topic_dense) and t.accepts(lang, dense, n_sal, n_miss)
            if item.answerable:
                pos += 1
                refused_pos += not found
                refused_by_lang.setdefault(lang, []).append(not found)
                correct += found and ok
            else:
                correct += not found
        if refused_pos / max(pos, 1) > 0.05 or any(sum(r) / len(r) > 0.1 for r in refused_by_lang.values()):
            continue  # at most 5 % false refusals in all, 10 % in any one language
        # plain dev accuracy, the eval's headline figure: a balanced score let the negative-heavy probe batches
        # (7-9) outweigh the answerable questions and chose settings that refuse more of them
        key = (round(correct / len(rows), 4), -(nl + en_de + high + topic) + low + ratio)
        if key > best_key:
            best, best_key = t, key
    print(f"thresholds: {asdict(best)} -> dev accuracy {best_key[0]:.3f}", file=sys.stderr)
    return best


def main() -> int:
    assistant = Assistant.from_settings()
    weights = tune_weights(assistant)
    tuned = variant(assistant, weights)
    thresholds = tune_thresholds(tuned)
    print(json.dumps({"weights": asdict(weights), "thresholds": asdict(thresholds)}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
