"""Turn the app's feedback (JSONL) into candidate eval items for a person to check and copy into
evals/questions.jsonl: a thumbs-down on a found answer, or any refusal, is the most useful to review."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.language import detect_language


def candidates(feedback_file: Path, existing: set[str],
               skipped: list[tuple[int, str]] | None = None) -> list[dict[str, object]]:
    """Candidate items from the feedback file; a line that is not a JSON object is left out and named in
    `skipped` (line number, reason). Lines end at a newline only: U+2028 inside a comment is text."""
    out: list[dict[str, object]] = []
    seen = set(existing)
    text = Path(feedback_file).read_bytes().decode("utf-8", errors="replace")
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            if not isinstance(entry, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            if skipped is not None:
                skipped.append((number, f"{type(exc).__name__}: {str(exc)[:80]}"))
            continue
        question = str(entry.get("question", "")).strip()
        if not question or question in seen:
            continue
        seen.add(question)
        out.append({
            "id": f"fb{len(out) + 1:03d}", "split": "unassigned", "lang": detect_language(question),
            "kind": "feedback", "question": question, "answerable": bool(entry.get("found")),
            "labels": list(entry.get("citations", []))[:1] if entry.get("rating") in ("good", "goed") else [],
            "evidence": [], "facts": [], "history": [],
            "review": {"rating": entry.get("rating"), "comment": entry.get("comment", ""),
                       "answer": entry.get("answer", ""), "cited": entry.get("citations", [])},
        })
    return out


def write(items: list[dict[str, object]], path: Path) -> Path:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path
