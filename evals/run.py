"""Run the eval: the assistant and its baselines on the same questions, both splits; write the report."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.coverage import Thresholds
from assistant.retrieve import Weights
from assistant.service import Assistant
from evals.dataset import Item, load
from evals.score import Score, by, score, summarise

# The targets for the test split, reported beside the measured figures.
TARGETS = {"accuracy": 0.90, "accuracy_per_language": 0.85, "supporting_cited": 0.95,
           "negatives_refused": 0.85, "false_refusals": 0.05}
# The regression gate CI enforces: the measured level on the 359-item test split less a margin of about two items
# (per language 0.895 of 76 German, negatives refused 0.857 of 98, false refusals 0.034 of 261), and the issue's
# target where that margin would reach below it (accuracy 0.914, supporting clause cited 0.966), so a change that
# makes answers worse fails.
FLOORS = {"accuracy": 0.90, "accuracy_per_language": 0.86, "supporting_cited": 0.95,
          "negatives_refused": 0.83, "false_refusals": 0.045}
REPORT_DIR = Path(__file__).resolve().parent


def evaluate(assistant: Assistant, items: list[Item]) -> list[Score]:
    assistant.ask("warm-up: wat is een regiokassier?")
    scores = []
    for item in items:
        answer = assistant.ask(item.question, history=item.history)
        hits = assistant.search(item.question, history=item.history, k=5)
        scores.append(score(item, answer, [h.chunk.label for h in hits], [h.chunk.text for h in hits]))
    return scores


def variant(assistant: Assistant, weights: Weights | None = None, thresholds: Thresholds | None = None) -> Assistant:
    """The same index and embedder with other fusion weights or thresholds (for baselines and tuning)."""
    return Assistant(assistant.index, assistant.embedder, weights or assistant.weights,
                     thresholds or assistant.thresholds, llm=None, dictionary=assistant.dictionary)


def gate(summary_test: dict[str, Any], limits: dict[str, float] = FLOORS) -> list[str]:
    """What the test split misses against the given limits (an empty list passes)."""
    failures = []
    overall = summary_test["overall"]
    if overall["accuracy"] < limits["accuracy"]:
        failures.append(f"accuracy {overall['accuracy']} < {limits['accuracy']}")
    for lang, s in summary_test["language"].items():
        if s["accuracy"] < limits["accuracy_per_language"]:
            failures.append(f"accuracy[{lang}] {s['accuracy']} < {limits['accuracy_per_language']}")
    if overall["supporting_cited"] < limits["supporting_cited"]:
        failures.append(f"supporting clause cited {overall['supporting_cited']} < {limits['supporting_cited']}")
    if overall["negatives_refused"] < limits["negatives_refused"]:
        failures.append(f"negatives refused {overall['negatives_refused']} < {limits['negatives_refused']}")
    if overall["false_refusals"] > limits["false_refusals"]:
        failures.append(f"false refusals {overall['false_refusals']} > {limits['false_refusals']}")
    return failures


def split_summary(scores: list[Score]) -> dict[str, Any]:
    return {"overall": summarise(scores), "language": by(scores, "lang"), "kind": by(scores, "kind"),
            "batch": by(scores, "batch")}


def full_report(assistant: Assistant, baselines: bool = True, naive: bool = True) -> dict[str, Any]:
    items = load()
    report: dict[str, Any] = {"generated": time.strftime("%Y-%m-%d %H:%M"), "splits": {}, "baselines": {}}
    systems: dict[str, Assistant] = {"assistant": assistant}
    if baselines:
        systems["dense only"] = variant(assistant, replace(Weights(), dense_only=True))
        systems["lexical only"] = variant(assistant, replace(Weights(), lexical_only=True))
    for name, system in systems.items():
        for split in ("dev", "test"):
            chosen = [i for i in items if i.split == split]
            scores = evaluate(system, chosen)
            block = split_summary(scores)
            if name == "assistant":
                report["splits"][split] = block
                # the test split's misses by id only: its questions are read to report, never to work on
                report["splits"][split]["misses"] = [
                    {"id": s.item.id, **({"question": s.item.question} if split == "dev" else {}),
                     "found": s.found, "cited": s.cited, "facts": s.facts} for s in scores if not s.correct]
            else:
                report["baselines"].setdefault(name, {})[split] = block["overall"]
    if naive:
        from evals.naive import naive_baseline

        report["baselines"]["naive 1000/200 + all-MiniLM-L6-v2"] = {
            split: naive_baseline([i for i in items if i.split == split]) for split in ("dev", "test")}
    report["gate_failures"] = gate(report["splits"]["test"])
    report["targets_missed"] = gate(report["splits"]["test"], TARGETS)
    return report


def write_report(report: dict[str, Any], directory: Path = REPORT_DIR) -> Path:
    (directory / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    lines = [f"# Eval report ({report['generated']})", ""]
    cols = ["n", "accuracy", "supporting_cited", "first_citation_precision", "key_facts", "hit_at_5",
            "false_refusals", "negatives_refused", "p50_ms", "p95_ms"]
    lines += ["## Assistant (extractive, default embedder)", "", "| split | " + " | ".join(cols) + " |",
              "|---" * (len(cols) + 1) + "|"]
    for split, block in report["splits"].items():
        lines.append(f"| {split} | " + " | ".join(str(block["overall"].get(c, "")) for c in cols) + " |")
    for split, block in report["splits"].items():
        for key in ("language", "kind", "batch"):
            lines += ["", f"### {split} split, per {key}", "", f"| {key} | " + " | ".join(cols) + " |",
                      "|---" * (len(cols) + 1) + "|"]
            for name, s in block[key].items():
                lines.append(f"| {name} | " + " | ".join(str(s.get(c, "")) for c in cols) + " |")
    lines += ["", "## Baselines (same questions, same run)", "", "| system | split | " + " | ".join(cols) + " |",
              "|---" * (len(cols) + 2) + "|"]
    for name, splits in report["baselines"].items():
        for split, s in splits.items():
            lines.append(f"| {name} | {split} | " + " | ".join(str(s.get(c, "")) for c in cols) + " |")
    lines += ["", "## Misses (dev split; the test split's are counted only)", ""]
    for miss in report["splits"]["dev"]["misses"]:
        lines.append(f"- {miss['id']} {miss['question']} (found={miss['found']}, cited={miss['cited']}, "
                     f"facts={miss['facts']})")
    lines += ["", f"Test split: {len(report['splits']['test']['misses'])} misses (ids in report.json)."]
    lines += ["", "Regression gate (CI): " + ("passed" if not report["gate_failures"] else
                                               "; ".join(report["gate_failures"]))]
    lines += ["", "Issue targets: " + ("all met" if not report["targets_missed"] else
                                       "missed: " + "; ".join(report["targets_missed"]))]
    path = directory / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
