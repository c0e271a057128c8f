"""Whether a question asked after others continues their conversation, when its words do not point back: a small
logistic model over how the question ranks alone and read with the conversation, fitted by
`python -m evals.fit_followup` on helper-written conversations (which say whether each last question stands alone)
and on single questions asked after an unrelated one."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.features import Conversation
from assistant.read import Query
from assistant.retrieve import Corpus, Hit
from parkstad.errors import ModelFileError

FOLLOWUP_FILE = Path(__file__).resolve().parent / "followup.json"
FEATURES = ("own_p", "own_dense", "joint_gain", "length", "own_anchor", "anchor_shared", "own_near",
            "agree", "joined_share")


def signals(corpus: Corpus, query: Query, own: list[Hit], own_p: float, joined: list[Hit],
            conversation: Conversation) -> dict[str, float]:
    """The inputs: how sure the question is answered alone, how much closer it comes to the documents read with the
    last answered question, whether it names anchors (a party, theme, line, article) and whether the conversation
    named them too, whether its own best clause sits near the clauses the conversation cited, and whether the
    ranking with the conversation agrees with its own."""
    turns = conversation.turns
    cited = [corpus.chunks[corpus.position[c]] for t in turns for c in t.cited if c in corpus.position]
    places = {(c.location.document, c.location.article) for c in cited if c.location.article}
    top = own[0].chunk if own else None
    own_dense = max((h.dense for h in own), default=0.0)
    joint = float(np.max(conversation.joint.dense)) if conversation.joint is not None else own_dense
    mine, earlier = _anchors(query), set().union(*(_anchors(t.query) for t in turns)) if turns else set()
    share = joined[0].from_conversation / max(abs(joined[0].score), 1e-6) if joined else 0.0
    return {
        "own_p": own_p,
        "own_dense": own_dense,
        "joint_gain": joint - own_dense,
        "length": math.log1p(len(query.words)),
        "own_anchor": float(bool(mine)),
        "anchor_shared": float(bool(mine & earlier)),
        "own_near": float(top is not None and (top.id in {c.id for c in cited}
                                               or (top.location.document, top.location.article) in places)),
        "agree": float(bool(own and joined) and own[0].chunk.id == joined[0].chunk.id),
        "joined_share": float(min(max(share, -2.0), 2.0)),
    }


def _anchors(query: Query) -> set[str]:
    out = {f"actor:{a}" for a in query.actors} | {f"theme:{t}" for t in query.themes}
    if query.programmalijn:
        out.add(f"line:{query.programmalijn}")
    if query.article:
        out.add(f"article:{query.article}")
    return out


@dataclass(frozen=True)
class FollowUp:
    """The fitted model: standardised weights over FEATURES and the probability from which a question is read as
    continuing its conversation."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float
    note: str = ""

    def probability(self, values: dict[str, float]) -> float:
        x = (np.asarray([values[f] for f in FEATURES]) - np.asarray(self.mean)) / np.asarray(self.scale)
        z = float(x @ np.asarray(self.weights)) + self.bias
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def continues(self, values: dict[str, float]) -> bool:
        return self.probability(values) >= self.threshold

    @classmethod
    def load(cls, path: Path | None = None) -> FollowUp | None:
        """The fitted model, or None when no file is there (every question then keeps its own ranking unless its
        words point back)."""
        path = path or FOLLOWUP_FILE
        if not path.exists():
            return None
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            model = cls(tuple(raw["weights"]), float(raw["bias"]), tuple(raw["mean"]), tuple(raw["scale"]),
                        float(raw["threshold"]), str(raw.get("note", "")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelFileError(str(path), f"cannot be read ({type(exc).__name__}: {exc}); refit it with "
                                 "`python -m evals.fit_followup`") from None
        if tuple(raw.get("features", ())) != FEATURES or not len(model.weights) == len(model.mean) == \
                len(model.scale) == len(FEATURES):
            raise ModelFileError(str(path), "fitted on other features; refit it with `python -m evals.fit_followup`")
        return model

    def save(self, path: Path | None = None) -> Path:
        path = path or FOLLOWUP_FILE
        path.write_text(json.dumps({"features": FEATURES, "weights": self.weights, "bias": self.bias, "mean": self.mean,
                                    "scale": self.scale, "threshold": self.threshold, "note": self.note},
                                   indent=1) + "\n", encoding="utf-8")
        return path
