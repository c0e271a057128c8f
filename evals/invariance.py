"""How much an unrelated earlier question changes an answer: each single question of a set asked alone, and again
after another question of the same set about another article (a question about the deal, answered or not).

    python -m evals.invariance [SET.jsonl ...]    (default: the shared dev sets and the scored single-question
                                                   batches; a fresh batch is never read before its first run)

Reports per set the share of questions whose `found` and first citation stay the same, and how many refusals
turned into answers and answers into refusals.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant.service import Assistant
from evals.dataset import BATCHES, SHARED_DEV, Item, load_shared, scored_batches

STEP = 7  # the earlier question is the item this many places on with another expected article


def unrelated(items: list[Item], raw: list[dict[str, object]]) -> list[tuple[Item, str]]:
    """Each single question with an earlier question of the set about another article."""
    singles = [(i, r) for i, r in zip(items, raw, strict=True) if not i.history]
    out = []
    for k, (item, r) in enumerate(singles):
        for j in range(STEP, STEP + len(singles)):
            other, o = singles[(k + j) % len(singles)]
            if other is not item and o.get("expect_article") != r.get("expect_article"):
                out.append((item, other.question))
                break
    return out


def outcome(answer) -> tuple[bool, str | None]:  # noqa: ANN001 - an Answer
    return answer.found, answer.citations[0].label if answer.citations else None


def measure(assistant: Assistant, path: Path) -> dict[str, object]:
    raw = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = unrelated(load_shared(path), raw)
    same = to_answer = to_refusal = 0
    for item, earlier in pairs:
        alone = outcome(assistant.ask(item.question))
        after = outcome(assistant.ask(item.question, history=(earlier,)))
        same += alone == after
        to_answer += not alone[0] and after[0]
        to_refusal += alone[0] and not after[0]
    return {"set": path.stem, "n": len(pairs), "unchanged": round(same / max(1, len(pairs)), 3),
            "refusal_to_answer": to_answer, "answer_to_refusal": to_refusal}


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or [SHARED_DEV / "external-dev.jsonl", SHARED_DEV / "external-dev-2.jsonl",
                                       *(BATCHES / f"{n}.jsonl" for n in scored_batches() if len(n) == 1)]
    assistant = Assistant.from_settings()
    for path in paths:
        if path.exists():
            print(json.dumps(measure(assistant, path)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
