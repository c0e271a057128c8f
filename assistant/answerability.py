"""Decide whether the documents answer a question: one fitted, calibrated score on generic signals.

The signals describe the retrieval, never particular wording: how close the best clauses are (dense and lexical,
and their margins), how much of the question's content (weighted by rarity) the best clauses hold, whether the
question names something the documents never mention, whether the kind of answer asked for (an amount, a date, a
party, a definition) stands in the best clauses, and a small learned head on the question's and the best clause's
embeddings. A logistic model over them is fitted on labelled questions by `python -m evals.fit_answerability`,
which writes `answerability.json` beside this file (weights, scaling, thresholds, and what they were fitted on).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np

from assistant.draft import enumeration_items, holding
from assistant.features import missing_part
from assistant.glossary import terms_of
from assistant.language import Language
from assistant.lexical import fold, tokens
from assistant.read import Query
from assistant.retrieve import Corpus, Hit
from ingest.model import Chunk, Held, HeldKind, parse
from ingest.text import split_sentences
from parkstad.errors import SettingsError

MODEL_FILE = Path(__file__).resolve().parent / "answerability.json"
HEAD_WIDTH = 768  # (q*c, |q-c|) of the 384-dimensional multilingual-e5-small vectors
# similarities on the fitted embedder's own scale: left out of the model used with any other embedder
EMBEDDER_SCALE = ("dense_top", "dense_second")


class Band(StrEnum):
    """Where the decision puts a question: answered, the closest provision, or not in the documents."""

    ANSWERED = "answered"
    CLOSEST = "closest"
    NOT_FOUND = "not_found"

SCALAR_FEATURES = (
    "dense_top", "dense_gap", "dense_second", "dense_local", "fused_gap", "lexical_top", "coverage_top1",
    "coverage_top3", "unknown_share", "nothing_known", "unknown_name", "known_name", "routed", "kind_asked",
    "kind_missing", "lang_en", "lang_de", "length", "conversation_share", "refers_back", "slot_missing",
)


@dataclass(frozen=True)
class Decision:
    """Whether the documents answer a question: the fitted probability, its band (answered, closest provision,
    not in the documents), the signals it was computed from, and a short reason to print."""

    score: float
    band: Band
    features: tuple[tuple[str, float], ...]
    reason: str
    missing: str | None = None  # the numbered part the question names that the documents do not have

    def __post_init__(self) -> None:
        object.__setattr__(self, "band", parse(Band, self.band, "band"))

    @property
    def found(self) -> bool:
        return self.band != Band.NOT_FOUND

    def to_dict(self) -> dict[str, object]:
        return {"band": self.band, "score": round(self.score, 3)}


@dataclass(frozen=True)
class Model:
    """The fitted numbers: feature scaling, weights, bias, and the two thresholds of the bands."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    refuse_below: float
    answer_from: float
    head: bool = True
    scalars: tuple[str, ...] = SCALAR_FEATURES  # the scalar signals it reads, in order

    @classmethod
    def load(cls, path: Path | None = None, embedder: str | None = None) -> Model:
        """The fitted decision; with the embedding head when the embedder is the one it was fitted with, else
        the model fitted on the scalar signals alone."""
        path = path or MODEL_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            head = embedder is None or embedder == raw["embedder"]
            part = raw["head" if head else "scalars"]
            model = cls(tuple(part["mean"]), tuple(part["scale"]), tuple(part["weights"]), float(part["bias"]),
                        float(part["refuse_below"]), float(part["answer_from"]), head, tuple(part["scalars"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SettingsError("PARKSTAD_ANSWERABILITY_MODEL",
                                f"cannot read the answerability model {path}: {type(exc).__name__}: {exc} "
                                "(run `python -m evals.fit_answerability` to fit it)") from None
        if set(model.scalars) - set(SCALAR_FEATURES) or not len(model.mean) == len(model.scale) == len(
                model.weights) == len(model.scalars) + (HEAD_WIDTH if model.head else 0):
            raise SettingsError("PARKSTAD_ANSWERABILITY_MODEL",
                                f"the answerability model {path} does not fit this version's signals; refit it")
        return model

    def probability(self, x: np.ndarray) -> float:
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        logit = float(z @ np.asarray(self.weights) + self.bias)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, logit))))


class Signals:
    """Computes the decision's inputs from a question, its ranked clauses and their embeddings."""

    def __init__(self, corpus: Corpus, vectors: np.ndarray) -> None:
        self.corpus = corpus
        self.vectors = vectors  # one row per corpus chunk, in corpus order, unit length
        # how close a chunk stands to everything (a short heading is near any text): its mean similarity to its
        # ten nearest chunks, subtracted from a question's similarity to it (local scaling against hubs)
        sims = vectors @ vectors.T
        np.fill_diagonal(sims, -1.0)
        k = min(10, max(1, len(vectors) - 1))
        self.hub = np.sort(sims, axis=1)[:, -k:].mean(axis=1) if len(vectors) > 1 else np.zeros(len(vectors))
        self.idf = corpus.lexical.idf
        self._max_idf = max(self.idf.values(), default=1.0)

    def scalars(self, query: Query, hits: list[Hit], refers_back: bool = False,
                topic: Query | None = None) -> dict[str, float]:
        """The decision's signals. `topic` is the conversation's last answered question, when there is one: what a
        follow-up that names nothing itself asks about ("and its budget?")."""
        top = hits[:5]
        dense = sorted((h.dense for h in top), reverse=True) + [0.0, 0.0]
        forms = self._content(query)
        weights = self._weights(forms)
        total = sum(weights.values()) or 1.0
        sets = [self.corpus.token_sets[self.corpus.position[h.chunk.id]] for h in top[:3]]
        held1 = sum(v for w, v in weights.items() if sets and _holds(forms[w], sets[0]))
        held3 = sum(v for w, v in weights.items() if any(_holds(forms[w], s) for s in sets))
        unknown = sum(v for w, v in weights.items() if not any(f in self.corpus.vocabulary for f in forms[w]))
        words = list(forms)
        kind = _kind_asked(query)
        unknown_names, known_names = self._names(query)
        return {
            "dense_top": dense[0],
            "dense_gap": dense[0] - float(np.mean(dense[1:5])) if len(top) > 1 else 0.0,
            "dense_second": dense[1],
            "dense_local": hits[0].dense - float(self.hub[self.corpus.position[hits[0].chunk.id]]),
            "fused_gap": (hits[0].score - hits[1].score) if len(hits) > 1 else 0.0,
            "lexical_top": math.log1p(max((h.lexical for h in top), default=0.0)),
            "coverage_top1": held1 / total,
            "coverage_top3": held3 / total,
            "unknown_share": unknown / total,
            "nothing_known": float(bool(forms) and unknown >= total - 1e-9),
            "unknown_name": float(unknown_names),
            "known_name": float(known_names),
            "routed": float(any(h.routed for h in hits[:3])),
            "kind_asked": float(kind is not None),
            "kind_missing": float(kind is not None and not any(self._holds_kind(kind, h) for h in hits[:3])),
            "lang_en": float(query.language == Language.EN),
            "lang_de": float(query.language == Language.DE),
            "length": math.log1p(len(words)),
            "conversation_share": hits[0].from_conversation / max(abs(hits[0].score), 1e-6) if hits else 0.0,
            "refers_back": float(refers_back),
            "slot_missing": float(bool(query.slot) and not self._slot_near(query, top[:3], sets, forms, weights,
                                                                          topic)),
        }

    def _slot_near(self, query: Query, hits: list[Hit], sets: list[frozenset[str]],
                   forms: dict[str, tuple[str, ...]], weights: dict[str, float], topic: Query | None = None) -> bool:
        """Whether a sentence of a best clause holds the typed answer asked (a person's name, a percentage,
        steps, a count, a date, an amount) beside one of the question's two rarest content words that these clauses
        hold, or when they hold none, beside one of its two rarest; never the deal's name, the words that ask for
        the slot ('Laufzeit', 'budget') or a value the question states itself ('op 1 januari 2026?' asks whether,
        it does not anchor). A follow-up that names nothing the documents know is anchored by its conversation's
        last answered question: 'and its annual budget?' after a question about a team asks for an amount beside
        that team."""
        pattern = _SLOT_PATTERNS.get(query.slot)
        held = _SLOT_HELD.get(query.slot)
        if pattern is None and held is None:
            return True
        if query.slot == "count" and len(query.counted) >= 4 and not (query.asks.paid or query.asks.money):
            return any(_counts(hit.chunk, _forms(query.counted), self.corpus) for hit in hits)
        stated = set(query.stated) | set(query.slot_words)
        inside = {w: f for w, f in forms.items() if any(_holds(f, s) for s in sets)}
        rare = self._anchors(inside, {w: weights[w] for w in inside}, stated) or self._anchors(forms, weights, stated)
        if not rare and topic is not None:
            forms = self._content(topic)
            rare = self._anchors(forms, self._weights(forms), stated)
        for hit, clause in zip(hits, sets, strict=True):
            if query.slot == "count" and (hit.chunk.text.rstrip().endswith(":") or enumeration_items(hit.chunk.text)):
                if not rare or any(_holds(forms[w], clause) for w in rare):
                    return True  # an enumeration is counted
            sentences = split_sentences(hit.chunk.text)
            marked = (holding(hit.chunk, *held) if held else
                      [bool(pattern and pattern.search(s)) for s in sentences])
            for sentence, has in zip(sentences, marked, strict=True):
                if not has:
                    continue
                present = frozenset(tokens(sentence))
                if not rare or any(_holds(forms[w], present) for w in rare):
                    return True
        return False

    def _anchors(self, forms: dict[str, tuple[str, ...]], weights: dict[str, float], stated: set[str]) -> list[str]:
        """The two rarest content words the documents know, less the deal's name and stated values."""
        known = [w for w in weights if w not in self.corpus.title_words and w not in stated and
                 any(f in self.corpus.vocabulary for f in forms[w])]
        return sorted(known, key=lambda w: -weights[w])[:2]

    def _weights(self, forms: dict[str, tuple[str, ...]]) -> dict[str, float]:
        """Each content word's rarity: the highest idf of its forms (a word the documents lack: the highest)."""
        return {w: max((self.idf.get(f, 0.0) for f in fs), default=0.0) or self._max_idf for w, fs in forms.items()}

    def _content(self, query: Query) -> dict[str, tuple[str, ...]]:
        """The question's content words, each with its stemmed forms and the covenant's terms the glossary gives
        for it (so an English or German word counts as held where its Dutch term stands)."""
        out: dict[str, tuple[str, ...]] = {}
        for raw in query.words:
            own = tokens(raw)
            if own and raw not in out:
                out[raw] = tuple(dict.fromkeys(own + tokens(terms_of(raw))))
        if query.paraphrase:  # what the question says in other words, in the covenant's terms, counts as one word
            out[" ".join(query.paraphrase.split()[:3])] = tuple(dict.fromkeys(tokens(query.paraphrase)))
        return out

    def vector(self, query_vector: np.ndarray, hits: list[Hit]) -> np.ndarray:
        """The learned head's input: the question and the best clause, element-wise product and distance."""
        c = self.vectors[self.corpus.position[hits[0].chunk.id]]
        return np.concatenate([query_vector * c, np.abs(query_vector - c)])

    def _names(self, query: Query) -> tuple[int, int]:
        """How many names or figures in the question (capitalised inside a sentence, acronyms, numbers) the
        documents never mention in any form, and how many they do. German capitalises every noun, so there
        only acronyms and figures count."""
        unknown = known = 0
        for raw in query.names:
            word = fold(raw).strip("-")
            if word in self.corpus.title_words:  # the deal's own name names no particular clause
                continue
            digits = word.replace(".", "").replace(",", "")
            if digits.isdigit():
                mentioned = digits in self.corpus.numbers
            elif query.language != Language.DE or raw.isupper():
                mentioned = self.corpus.mentions(word)
            else:
                continue
            known += mentioned
            unknown += not mentioned
        return unknown, known

    @staticmethod
    def _holds_kind(kind: str, hit: Hit) -> bool:
        return kind in hit.chunk.holds


def _forms(word: str) -> frozenset[str]:
    """A word's stemmed forms, with the covenant's terms the glossary gives for it."""
    return frozenset(tokens(word) + tokens(terms_of(word)))


def _same_word(forms: frozenset[str], present: list[str]) -> bool:
    return any(f == p or (min(len(f), len(p)) >= 5 and (f.startswith(p) or p.startswith(f)))
               for f in forms for p in present)


def _counts(chunk: Chunk, counted: frozenset[str], corpus: Corpus) -> bool:
    """Whether a clause counts what the question counts: a number whose noun is the counted one ('ca. 18.000
    inwoners'), an enumeration that names it in the words before its colon ('de volgende vertegenwoordigers:'), or
    a part of the preamble that lists them ('Partijen', 'Overwegingen')."""
    if chunk.location.article is None and _same_word(counted, tokens(chunk.location.part)):
        return True
    for value in chunk.values(HeldKind.COUNT):
        if _same_word(counted, tokens(value.text.split()[-1])):
            return True
    for whole in (chunk, corpus.parent(chunk), *corpus.children(chunk)):
        if whole is None:
            continue
        opening, colon, _ = whole.text.partition(":")
        listed = enumeration_items(whole.text) or (whole.text.rstrip().endswith(":") and corpus.children(whole))
        if colon and listed and _same_word(counted, tokens(opening[-80:])):
            return True
    return False


_SLOT_PATTERNS = {
    "person": re.compile(r"\b(?:de heer|mevrouw|dhr\.|mw\.|drs\.|dr\.|mr\.|ir\.|prof\.)\s|"
                         r"\b[A-Z]\.(?:[A-Z]\.)*\s?(?:(?:van|de|der|den)\s)*[A-Z][a-zé]+"),
    "steps": re.compile(r"\b(?:eerst|vervolgens|daarna|nadat|binnen \d+ (?:dagen|weken|maanden)|ten slotte)\b|"
                        r"(?<=\s)(?:[a-h]|\d|[ivx]{1,4})[.)]\s", re.I),
}


# the typed answers ingest finds in a clause (Chunk.held): the kind, and which of its values fill the slot
_SLOT_HELD: dict[str, tuple[HeldKind, Callable[[Held], bool]]] = {
    "count": (HeldKind.COUNT, lambda v: True), "date": (HeldKind.DATE, lambda v: True),
    "amount": (HeldKind.AMOUNT, lambda v: True),
    "percent": (HeldKind.AMOUNT, lambda v: v.text.rstrip().lower().endswith(("%", "procent"))),
}


def _holds(forms: tuple[str, ...], present: frozenset[str]) -> bool:
    return any(f in present or (len(f) >= 7 and f"~{f[:6]}" in present) for f in forms)


def _kind_asked(query: Query) -> str | None:
    """The coarse kind of answer asked, to look for in the best clauses (what a chunk holds is found at ingest):
    a party for who, a count for how many, an amount, a date."""
    if "who" in query.intents:
        return "party"
    if query.asks.count_asked:
        return "count"
    if "amount" in query.intents:
        return "amount"
    if "when" in query.intents:
        return "date"
    return None


class Answerability:
    """Scores a question against its ranked clauses with the fitted model and puts it in a band."""

    def __init__(self, signals: Signals, model: Model | None = None) -> None:
        self.signals = signals
        self.model = model or Model.load()

    def features(self, query: Query, hits: list[Hit], query_vector: np.ndarray, refers_back: bool = False,
                 topic: Query | None = None) -> tuple[dict[str, float], np.ndarray]:
        scalars = self.signals.scalars(query, hits, refers_back, topic)
        x = np.asarray([scalars[n] for n in self.model.scalars], dtype=np.float64)
        if self.model.head:
            x = np.concatenate([x, self.signals.vector(query_vector, hits)])
        return scalars, x

    def decide(self, query: Query, hits: list[Hit], query_vector: np.ndarray, refers_back: bool = False,
               topic: Query | None = None) -> Decision:
        if not hits:
            return Decision(0.0, Band.NOT_FOUND, (), "nothing was retrieved")
        scalars, x = self.features(query, hits, query_vector, refers_back, topic)
        if (missing := missing_part(query, self.signals.corpus.chunks)) is not None:
            return Decision(0.0, Band.NOT_FOUND, tuple(scalars.items()),
                            f"{Band.NOT_FOUND}: the documents have no {missing}", missing)
        if query.addressed:  # an instruction to the assistant asks nothing of the documents
            return Decision(0.0, Band.NOT_FOUND, tuple(scalars.items()),
                            f"{Band.NOT_FOUND}: an instruction to the assistant, not a question about the deal")
        p = self.model.probability(x)
        m = self.model
        band = Band.ANSWERED if p >= m.answer_from else Band.CLOSEST if p >= m.refuse_below else Band.NOT_FOUND
        return Decision(p, band, tuple(scalars.items()), _reason(band, p, scalars, m))


def _reason(band: Band, p: float, s: dict[str, float], m: Model) -> str:
    why = []
    if s["unknown_name"]:
        why.append(f"{int(s['unknown_name'])} name(s) or figure(s) the documents never mention")
    if s["kind_missing"]:
        why.append("the best clauses hold no answer of the kind asked for")
    if s["coverage_top3"] < 0.5:
        why.append(f"the best clauses hold {s['coverage_top3']:.0%} of the question's content")
    why.append(f"closest clause similarity {s['dense_top']:.3f}")
    limits = f"answer from {m.answer_from:.2f}, refuse below {m.refuse_below:.2f}"
    return f"{band}: p={p:.2f} ({limits}); " + "; ".join(why)
