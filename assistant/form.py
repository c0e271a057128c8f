"""The form of an answer (the holder of a role, a party's commitments, a table row, a count, …, or the best
clause), chosen among the builders that apply by a small fitted classifier over what the reader and the retrieval
already know: the question's asks, slot and names, the best clauses' kinds and what they hold, which builders apply,
and the ranker's margin. Below its confidence threshold the fallback form is taken. The weights (`form.json`
beside this file) are fitted by `python -m evals.fit_form` on the forms whose answers scored best. The assistant
still takes the cascade by default (`Assistant(choose=...)` takes another chooser); the README says why."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.draft import enumeration_items
from assistant.read import Query
from assistant.retrieve import Hit
from ingest.actors import BY_KEY
from parkstad.errors import ModelFileError

MODEL_FILE = Path(__file__).resolve().parent / "form.json"
# the builders, in the order of the cascade they replace; "what" (the best clause) applies to every question
FORMS = ("holder", "of_party", "structure", "count", "members", "where", "definition", "due", "amount", "who", "what")
BEST_CLAUSE = "what"
CASCADE = "cascade"
_ASKS = ("quantity", "money", "paid", "counted_unit", "count_cue", "count_asked", "commitment", "duty", "signing",
         "document")
_INTENTS = ("who", "amount", "when", "definition", "structure", "why", "where")
_SLOTS = ("person", "percent", "steps", "count", "date", "amount")
_KINDS = ("clause", "bullet", "definition", "footnote", "table", "party", "other")
_HOLDS = ("amount", "date", "count", "party", "definition", "enumeration")
FEATURES = (
    *(f"asks_{a}" for a in _ASKS), "asks_years",
    *(f"intent_{i}" for i in _INTENTS),
    *(f"slot_{s}" for s in _SLOTS),
    "holder", "what_is", "counted", "one_actor", "actor_party", "actors_many", "reference", "article", "themes",
    "programmalijn", "footnote", "lang_en", "lang_de",
    *(f"top_{k}" for k in _KINDS), *(f"top3_{k}" for k in _KINDS),
    *(f"top_holds_{h}" for h in _HOLDS), *(f"top3_holds_{h}" for h in _HOLDS),
    "top_document", "top_routed", "margin", "margin_ratio",
    *(f"applies_{f}" for f in FORMS if f != BEST_CLAUSE),
)


def _kind(kind: str) -> str:
    return kind if kind in _KINDS else "other"


def _holds(hit: Hit) -> set[str]:
    chunk = hit.chunk
    held = set(chunk.holds)
    if chunk.text.rstrip().endswith(":") or enumeration_items(chunk.text):
        held.add("enumeration")
    return held


def features(query: Query, hits: Sequence[Hit], applicable: Collection[str]) -> np.ndarray:
    """The classifier's inputs: what the question was read to ask (never its words again) and what the best clauses
    are and hold."""
    asks = query.asks
    top = list(hits[:3])
    value: dict[str, float] = {f"asks_{a}": float(getattr(asks, a)) for a in _ASKS}
    value["asks_years"] = float(bool(asks.years))
    value.update({f"intent_{i}": float(i in query.intents) for i in _INTENTS})
    value.update({f"slot_{s}": float(query.slot == s) for s in _SLOTS})
    actor = BY_KEY.get(query.actors[0]) if len(query.actors) == 1 else None
    value.update(
        holder=float(query.holder), what_is=float(query.what_is), counted=float(bool(query.counted)),
        one_actor=float(len(query.actors) == 1), actor_party=float(actor is not None and actor.kind == "party"),
        actors_many=float(len(query.actors) > 1), reference=float(query.has_reference),
        article=float(query.article is not None), themes=float(bool(query.themes)),
        programmalijn=float(query.programmalijn is not None), footnote=float(query.footnote is not None),
        lang_en=float(query.language == "en"), lang_de=float(query.language == "de"))
    for k in _KINDS:
        value[f"top_{k}"] = float(bool(top) and _kind(top[0].chunk.kind) == k)
        value[f"top3_{k}"] = sum(_kind(h.chunk.kind) == k for h in top) / 3
    held = [_holds(h) for h in top]
    for h in _HOLDS:
        value[f"top_holds_{h}"] = float(bool(held) and h in held[0])
        value[f"top3_holds_{h}"] = sum(h in s for s in held) / 3
    value["top_document"] = float(bool(top) and top[0].chunk.location.part == "Document")
    value["top_routed"] = float(bool(top) and top[0].routed)
    first = hits[0].score if hits else 0.0
    second = hits[1].score if len(hits) > 1 else 0.0
    value["margin"] = first - second
    value["margin_ratio"] = second / first if first > 0 else 1.0
    value.update({f"applies_{f}": float(f in applicable) for f in FORMS if f != BEST_CLAUSE})
    return np.asarray([value[name] for name in FEATURES], dtype=np.float64)


def cascade(applicable: Collection[str]) -> str:
    """The first applicable builder in the cascade's order."""
    return next(f for f in FORMS if f in applicable or f == BEST_CLAUSE)


@dataclass(frozen=True)
class FormModel:
    """The fitted multinomial logistic model: feature scaling, one weight row and bias per form, the confidence
    threshold below which the fallback (`what`, the best clause, or `cascade`) is taken."""

    features: tuple[str, ...]
    forms: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]
    bias: tuple[float, ...]
    threshold: float
    fallback: str = BEST_CLAUSE

    @classmethod
    def load(cls, path: Path | None = None) -> FormModel:
        """The fitted model; a ModelFileError naming the file when it is missing, unreadable or does not fit
        this version's features and forms."""
        path = path or MODEL_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            model = cls(tuple(raw["features"]), tuple(raw["forms"]), tuple(map(float, raw["mean"])),
                        tuple(map(float, raw["scale"])), tuple(tuple(map(float, row)) for row in raw["weights"]),
                        tuple(map(float, raw["bias"])), float(raw["threshold"]), str(raw["fallback"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelFileError(str(path), f"cannot read the form model: {type(exc).__name__}: {exc} "
                                 "(run `python -m evals.fit_form` to fit it)") from None
        if (model.features != FEATURES or set(model.forms) - set(FORMS) or model.fallback not in (*FORMS, CASCADE)
                or len(model.mean) != len(FEATURES) or len(model.scale) != len(FEATURES)
                or len(model.weights) != len(model.forms) or len(model.bias) != len(model.forms)
                or any(len(row) != len(FEATURES) for row in model.weights)):
            raise ModelFileError(str(path), "the form model does not fit this version's features and forms; "
                                 "refit it with `python -m evals.fit_form`")
        return model

    def probabilities(self, x: np.ndarray, applicable: Collection[str]) -> dict[str, float]:
        """The probability of each applicable form (the best clause always applies)."""
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        logits = {f: float(z @ np.asarray(w) + b) for f, w, b in zip(self.forms, self.weights, self.bias, strict=True)
                  if f in applicable or f == BEST_CLAUSE}
        top = max(logits.values())
        exp = {f: math.exp(v - top) for f, v in logits.items()}
        total = sum(exp.values())
        return {f: v / total for f, v in exp.items()}

    def choose(self, query: Query, hits: Sequence[Hit], applicable: Collection[str]) -> str:
        """The most probable applicable form, or the fallback when it is below the threshold."""
        probabilities = self.probabilities(features(query, hits, applicable), applicable)
        best = max(probabilities, key=lambda f: (probabilities[f], f == BEST_CLAUSE))
        if probabilities[best] >= self.threshold:
            return best
        return cascade(applicable) if self.fallback == CASCADE else BEST_CLAUSE


Chooser = Callable[[Query, Sequence[Hit], Collection[str]], str]


def by_cascade(query: Query, hits: Sequence[Hit], applicable: Collection[str]) -> str:
    """The cascade: the first applicable builder."""
    return cascade(applicable)
