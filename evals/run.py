"""Run the eval: the assistant and its baselines on the same questions; write evals/report.md and report.json.

Sets: `dev` (evals/questions.jsonl, the project's own questions), each fresh batch in evals/batches/ (dev once
its first run is recorded), `external-dev` (../shared/evals/external-dev.jsonl, when it is there) and, only when
asked for with `frozen=True`, the frozen test set (first-run figures only, at most once per session, never read).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from assistant.rank import Ranker
from assistant.service import Assistant
from evals.dataset import BATCHES, FIRST_RUNS, FROZEN_TEST, Item, fresh_batches, load, load_shared, scored_batches
from evals.score import Score, by, score, summarise

REPORT_DIR = Path(__file__).resolve().parent
EXTERNAL_DEV = REPORT_DIR.parent.parent / "shared" / "evals" / "external-dev.jsonl"
# The targets for questions written by others, reported beside the measured figures.
TARGETS = {"accuracy": 0.85, "accuracy_per_language": 0.80, "supporting_cited": 0.93, "key_facts": 0.90,
           "negatives_refused": 0.70, "false_refusals": 0.08}


def evaluate(assistant: Assistant, items: list[Item]) -> list[Score]:
    assistant.ask("warm-up: wat is een regiokassier?")
    scores = []
    for item in items:
        answer = assistant.ask(item.question, history=item.history)
        hits = assistant.search(item.question, history=item.history, k=5)
        scores.append(score(item, answer, [h.chunk.label for h in hits], [h.chunk.text for h in hits]))
    return scores


def variant(assistant: Assistant, ranker: Ranker) -> Assistant:
    """The same index, embedder and decision with another ranker (for the baselines)."""
    return Assistant(assistant.index, assistant.embedder, ranker, llm=None, model=assistant.model)


def sets(frozen: bool = False, external: Path = EXTERNAL_DEV) -> dict[str, list[Item]]:
    out = {"dev": load()}
    for name in scored_batches():  # a fresh batch is scored first by first_run(), once
        out[f"batch {name}"] = load_shared(BATCHES / f"{name}.jsonl")
    if external.exists():
        out["external-dev"] = load_shared(external)
    if frozen:
        out["frozen test"] = load_shared(FROZEN_TEST)
    return out


def first_run(assistant: Assistant, name: str, commit: str = "") -> dict[str, Any]:
    """Score a fresh batch once and record the figures in evals/first_runs.jsonl; a batch scored before is
    refused, so that its first-run figure stays the headline."""
    if name not in fresh_batches():
        raise ValueError(f"batch {name!r} is not a fresh batch in {BATCHES} (fresh: {fresh_batches() or 'none'})")
    block = set_summary(evaluate(assistant, load_shared(BATCHES / f"{name}.jsonl")))
    o = block["overall"]
    record = {"batch": name, "commit": commit, "system": "fitted decision", "first_run": True, "n": o["n"],
              "accuracy": o["accuracy"], "supporting_cited": o["supporting_cited"], "key_facts": o["key_facts"],
              "false_refusals": o["false_refusals"], "negatives_refused": o["negatives_refused"],
              "by_lang": {k: v["accuracy"] for k, v in block["language"].items()}}
    with FIRST_RUNS.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return record


def misses_against(summary: dict[str, Any], limits: dict[str, float] = TARGETS) -> list[str]:
    """What a set's summary misses against the targets (an empty list meets them all)."""
    failures = []
    overall = summary["overall"]
    for key in ("accuracy", "supporting_cited", "key_facts", "negatives_refused"):
        if overall[key] < limits[key]:
            failures.append(f"{key} {overall[key]} < {limits[key]}")
    for lang, s in summary["language"].items():
        if s["accuracy"] < limits["accuracy_per_language"]:
            failures.append(f"accuracy[{lang}] {s['accuracy']} < {limits['accuracy_per_language']}")
    if overall["false_refusals"] > limits["false_refusals"]:
        failures.append(f"false refusals {overall['false_refusals']} > {limits['false_refusals']}")
    return failures


def set_summary(scores: list[Score]) -> dict[str, Any]:
    return {"overall": summarise(scores), "language": by(scores, "lang"), "kind": by(scores, "kind")}


def full_report(assistant: Assistant, baselines: bool = True, naive: bool = True,
                frozen: bool = False) -> dict[str, Any]:
    chosen = sets(frozen)
    report: dict[str, Any] = {"generated": time.strftime("%Y-%m-%d %H:%M"), "sets": {}, "baselines": {}}
    systems: dict[str, Assistant] = {"assistant": assistant}
    if baselines:
        systems["dense only"] = variant(assistant, Ranker.only("dense"))
        systems["lexical only"] = variant(assistant, Ranker.only("lexical"))
    for name, system in systems.items():
        for set_name, items in chosen.items():
            if name != "assistant" and set_name == "frozen test":
                continue
            scores = evaluate(system, items)
            block = set_summary(scores)
            if name == "assistant":
                block["targets_missed"] = misses_against(block)
                # the frozen test set's misses are counted only: its questions are never read
                block["misses"] = [{"id": s.item.id, **({} if set_name == "frozen test" else
                                                       {"question": s.item.question}),
                                    "found": s.found, "cited": s.cited, "facts": s.facts}
                                   for s in scores if not s.correct]
                report["sets"][set_name] = block
            else:
                report["baselines"].setdefault(name, {})[set_name] = block["overall"]
    from evals.retrieval import rank_table

    report["retrieval"] = {name: rank_table(assistant, items) for name, items in chosen.items()
                           if name != "frozen test"}
    if naive:
        from evals.naive import naive_baseline

        report["baselines"]["naive 1000/200 + all-MiniLM-L6-v2"] = {"dev": naive_baseline(chosen["dev"])}
    return report


def write_report(report: dict[str, Any], directory: Path = REPORT_DIR) -> Path:
    (directory / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    lines = [f"# Eval report ({report['generated']})", ""]
    cols = ["n", "accuracy", "supporting_cited", "first_citation_precision", "key_facts", "hit_at_5",
            "false_refusals", "negatives_refused", "p50_ms", "p95_ms"]
    lines += ["## Assistant (extractive, default embedder)", "", "| set | " + " | ".join(cols) + " |",
              "|---" * (len(cols) + 1) + "|"]
    for name, block in report["sets"].items():
        lines.append(f"| {name} | " + " | ".join(str(block["overall"].get(c, "")) for c in cols) + " |")
    for name, block in report["sets"].items():
        lines += ["", f"### {name}, per language", "", "| language | " + " | ".join(cols) + " |",
                  "|---" * (len(cols) + 1) + "|"]
        for lang, s in block["language"].items():
            lines.append(f"| {lang} | " + " | ".join(str(s.get(c, "")) for c in cols) + " |")
        lines += ["", "Targets: " + ("all met" if not block["targets_missed"] else
                                     "missed: " + "; ".join(block["targets_missed"]))]
    lines += ["", "## Retrieval: where the evidence chunk ranks (hit@1 / hit@3 / hit@12)", "",
              "| set | n | " + " | ".join(next(iter(report["retrieval"].values()), {})) + " |",
              "|---" * (2 + len(next(iter(report["retrieval"].values()), {}))) + "|"]
    for name, table in report.get("retrieval", {}).items():
        n = next(iter(table.values()))["n"] if table else 0
        lines.append(f"| {name} | {n} | " + " | ".join(
            f"{r['hit_at_1']} / {r['hit_at_3']} / {r['hit_at_12']}" for r in table.values()) + " |")
    lines += ["", "## Baselines (same questions, same run)", "", "| system | set | " + " | ".join(cols) + " |",
              "|---" * (len(cols) + 2) + "|"]
    for name, by_set in report["baselines"].items():
        for set_name, s in by_set.items():
            lines.append(f"| {name} | {set_name} | " + " | ".join(str(s.get(c, "")) for c in cols) + " |")
    for name, block in report["sets"].items():
        if name == "frozen test":
            lines += ["", f"Frozen test set: {len(block['misses'])} misses (ids in report.json)."]
            continue
        lines += ["", f"## Misses: {name}", ""]
        lines += [f"- {m['id']} {m['question']} (found={m['found']}, cited={m['cited']}, facts={m['facts']})"
                  for m in block["misses"]]
    path = directory / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
