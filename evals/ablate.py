"""Ablation of what remains of the question path's rule families, each switched off in turn with the same
fitted decision, on questions written independently of the project:

    python -m evals.ablate [SET.jsonl ...]     (default: ../shared/evals/external-dev.jsonl and evals/batches/c.jsonl)

Families: the glossary (English/German/paraphrase terms added to retrieval and to the decision's coverage),
compound splitting, the framing reader (sentences around the question that the documents do not know), the
embedding head of the decision (the scalar-only model instead), the kind-of-answer signal.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

from assistant.answerability import Model
from assistant.service import Assistant
from evals.dataset import BATCHES, load_shared
from evals.run import EXTERNAL_DEV, evaluate, set_summary

FAMILIES = {
    "glossary": [("assistant.read.expand", lambda *a, **k: ""), ("assistant.read.paraphrases", lambda *a: ""),
                 ("assistant.answerability.terms_of", lambda *a: ""), ("assistant.retrieve.terms_of", lambda *a: "")],
    "compound splitting": [("assistant.service.split_question", lambda text: [text])],
    "framing reader": [("assistant.service.without_framing", lambda text, knows: text)],
    "kind-of-answer signal": [("assistant.answerability._kind_asked", lambda query: None)],
}


def run(paths: list[Path]) -> list[tuple[str, dict[str, tuple[float, ...]]]]:
    rows = []
    for name in ["all on", *FAMILIES, "embedding head"]:
        with ExitStack() as stack:
            for target, fake in FAMILIES.get(name, []):
                stack.enter_context(mock.patch(target, fake))
            model = Model.load(None, "another embedder") if name == "embedding head" else None
            assistant = Assistant.from_settings(model=model)
            figures = {}
            for path in paths:
                o = set_summary(evaluate(assistant, load_shared(path)))["overall"]
                figures[path.stem] = (o["accuracy"], o["false_refusals"], o["negatives_refused"], o["key_facts"])
            rows.append((name if name == "all on" else f"without {name}", figures))
            print(rows[-1], flush=True)
    return rows


if __name__ == "__main__":
    chosen = [Path(p) for p in sys.argv[1:]] or [EXTERNAL_DEV, BATCHES / "c.jsonl"]
    print("figures per set: accuracy, false refusals, negatives refused, facts stated")
    run(chosen)

