"""The ranker: a linear model over the features of `assistant.features`, fitted pairwise (the evidence clause above
the others) on labelled questions by `python -m evals.fit_ranker`, and stored in `assistant/ranker.json`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from assistant.features import FEATURES

RANKER_FILE = Path(__file__).resolve().parent / "ranker.json"
# The fusion and route weights that were set by hand before the ranker was fitted: the starting point of the fit,
# and what ranks when no fitted model is there.
HAND_SET = {"dense": 0.5, "lexical": 0.5, "reference": 1.0, "signatory": 1.0, "theme": 0.2, "party": 0.1,
            "party_subject": 0.3, "defined_term": 0.2, "defined_term_asked": 0.2, "footnote_unasked": -0.15,
            "intent_holds": 0.1, "document_named": 0.4, "document_other": -0.05, "document_other_duty": -0.25,
            "names_only": -0.3, "history_dense_back": 0.3, "history_cited_back": 0.3}


@dataclass(frozen=True)
class Ranker:
    """Scores chunks as the weighted sum of their features; `names` are the features it was fitted with. A question
    ranked with its conversation is scored with `in_conversation`, the same features' weights refitted on
    conversations (`python -m evals.fit_ranker --conversation`), when there are any."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    note: str = ""
    in_conversation: tuple[float, ...] = ()

    def score(self, x: np.ndarray, conversation: bool = False) -> np.ndarray:
        return x @ (self._conversation_full if conversation and self.in_conversation else self._full)

    @cached_property
    def _full(self) -> np.ndarray:  # one weight per column of FEATURES, computed once
        return self._spread(self.weights)

    @cached_property
    def _conversation_full(self) -> np.ndarray:
        return self._spread(self.in_conversation)

    def _spread(self, weights: tuple[float, ...]) -> np.ndarray:
        full = np.zeros(len(FEATURES))
        for name, weight in zip(self.names, weights, strict=True):
            if name in FEATURES:
                full[FEATURES.index(name)] = weight
        return full

    @property
    def routes(self) -> tuple[int, ...]:
        """The columns whose chunk goes where the question points (an article, a signatory's entry)."""
        return tuple(FEATURES.index(n) for n in ("reference", "signatory"))

    @classmethod
    def hand_set(cls) -> Ranker:
        return cls(tuple(HAND_SET), tuple(HAND_SET.values()), "hand-set weights")

    @classmethod
    def only(cls, feature: str) -> Ranker:
        """One feature alone (a baseline: dense only, lexical only)."""
        return cls((feature,), (1.0,), f"{feature} only")

    @classmethod
    def load(cls, path: Path | None = None) -> Ranker:
        path = path or RANKER_FILE
        if not path.exists():
            return cls.hand_set()
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(tuple(raw["features"]), tuple(float(w) for w in raw["weights"]), str(raw.get("note", "")),
                   tuple(float(w) for w in raw.get("conversation_weights", ())))

    def save(self, path: Path | None = None, **extra: object) -> Path:
        path = path or RANKER_FILE
        body = {"features": list(self.names), "weights": [round(w, 6) for w in self.weights], "note": self.note,
                **({"conversation_weights": [round(w, 6) for w in self.in_conversation]} if self.in_conversation
                   else {}), **extra}
        path.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return path
