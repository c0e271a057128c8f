"""Hybrid retrieval over clause chunks: dense (Chroma) + lexical (BM25), fused with weights, plus routes
for explicit references, themes, parties and defined terms."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.glossary import terms_of
from assistant.lexical import LexicalIndex, fold, tokens
from assistant.read import Query
from ingest.actors import BY_KEY
from ingest.index import ChromaIndex, IndexInfo
from ingest.model import Chunk

_DATE = re.compile(r"\b20[2-3]\d\b|\b\d{1,2} (?:januari|juni|juli|december)\b|\b\d+ (?:weken|maanden)\b|’\d\d")
_AMOUNT = re.compile(r"€\s*\d|(?<!\d)\d++\s*%")


COLLECTIVE = "Partijen"


@dataclass(frozen=True)
class Weights:
    """Fusion weights, chosen on the dev split of the eval set (see evals/tune.py)."""

    dense: float = 0.5
    lexical: float = 0.5
    reference: float = 1.0
    theme: float = 0.2
    actor: float = 0.1
    subject: float = 0.3
    definition: float = 0.2
    footnote_penalty: float = 0.15
    intent: float = 0.1
    other_document: float = 0.05
    named_document: float = 0.4
    other_document_commitment: float = 0.3
    dense_only: bool = False
    lexical_only: bool = False


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the parts it came from."""

    chunk: Chunk
    score: float
    dense: float
    lexical: float
    routed: bool = False


class Corpus:
    """All chunks of the active index in memory, with their structure, for routes and lexical search."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.chunks = chunks
        self.by_id = {c.id: c for c in chunks}
        self.position = {c.id: i for i, c in enumerate(chunks)}
        self.lexical = LexicalIndex([c.embed_text for c in chunks])
        self.token_sets = [frozenset(d) for d in self.lexical.documents]
        self.theme_names = sorted({c.location.thema_name for c in chunks if c.location.thema_name})
        folded = [fold(c.text) for c in chunks]
        # a defined term that stands in most chunks (the deal's own name) says nothing about a question
        self.definitions = {
            term: c for c in chunks if c.kind == "definition" and c.location.item
            for term in _term_forms(fold(c.location.item)) if sum(term in f for f in folded) < 0.2 * len(chunks)
        }
        self.vocabulary = self.lexical.vocabulary
        self.has_date = [bool(_DATE.search(c.text)) for c in chunks]
        self.has_amount = [c.kind == "table" or bool(_AMOUNT.search(c.text)) for c in chunks]
        words = {w for c in chunks for w in re.findall(r"[a-z0-9]+", fold(c.embed_text))}
        self.words = frozenset(words)
        self.prefixes = {w[:n] for w in words for n in range(5, len(w) + 1)}
        self.names = _names(chunks)
        self.title_words = frozenset(w for c in chunks for w in re.findall(r"[a-z0-9]+", fold(c.location.document)))
        self.numbers = frozenset(n.replace(".", "").replace(",", "") for c in chunks
                                 for n in re.findall(r"\d[\d.,]*\d|\d", c.embed_text))

    def knows(self, word: str) -> bool:
        """Whether a word of a question, or a covenant term the glossary gives for it, stands in the documents."""
        folded = fold(word)
        return any(t in self.vocabulary for t in tokens(f"{folded} {terms_of(folded)}"))

    def mentions(self, word: str) -> bool:
        """Whether the documents hold this folded word, or a word sharing its first six letters."""
        parts = [p for p in re.split(r"[^a-z0-9]+", word) if p]
        return all(p in self.words or (len(p) >= 6 and p[:6] in self.prefixes) for p in parts)

    def children(self, chunk: Chunk) -> list[Chunk]:
        """The items a list-introducing clause opens: leden of an article, letters of a lid, points of a letter."""
        loc = chunk.location
        out: list[Chunk] = []
        for c in self.chunks[self.position[chunk.id] + 1 :]:
            child = c.location
            if child.article != loc.article or loc.article is None or c.kind in ("footnote", "table"):
                break
            if loc.lid is None:
                ok = child.lid is not None and child.letter is None
            elif loc.letter is None:
                ok = child.lid == loc.lid and child.letter is not None and child.bullet is None
            else:
                ok = child.letter == loc.letter and child.bullet is not None
            if not ok:
                break
            out.append(c)
        return out

    def covenant(self) -> list[Chunk]:
        return [c for c in self.chunks if c.location.part != "Document"]


class Retriever:
    """Ranks chunks for a query: weighted fusion of dense and lexical scores, then structural routes."""

    def __init__(self, index: ChromaIndex, info: IndexInfo, embedder: Embeddings, corpus: Corpus,
                 weights: Weights | None = None, dense_k: int = 60) -> None:
        self.index = index
        self.info = info
        self.embedder = embedder
        self.corpus = corpus
        self.weights = weights or Weights()
        self.dense_k = dense_k
        self._cache: dict[str, np.ndarray] = {}

    def dense_scores(self, text: str) -> np.ndarray:
        return self.dense(text)[0]

    def dense(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Every chunk's dense similarity to the text, and the text's unit vector (cached per text)."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        vector = np.asarray(self.embedder.embed_query(text), dtype=np.float32)
        vector = vector / (float(np.linalg.norm(vector)) or 1.0)
        result = (self._dense_scores(vector), vector)
        if len(self._cache) > 2048:
            self._cache.clear()
        self._cache[text] = result
        return result

    def _dense_scores(self, vector: np.ndarray) -> np.ndarray:
        n = len(self.corpus.chunks)
        scores = np.zeros(n, dtype=np.float32)
        # All chunks are asked for so the dense_k-th neighbour, which sets the floor, is exact in every process;
        # an approximate top-k moved it by ~0.001 between runs and flipped near-ties.
        hits = self.index.query(self.info, vector.tolist(), n)
        sims = sorted(((1.0 - float(d), cid) for cid, d in hits if cid in self.corpus.position), reverse=True)
        kept = sims[:self.dense_k]
        for sim, chunk_id in kept:
            scores[self.corpus.position[chunk_id]] = sim
        floor = kept[-1][0] if kept else 1.0
        scores[scores == 0] = floor - 0.02
        return scores

    def retrieve(self, query: Query, k: int = 8, context: str = "") -> list[Hit]:
        return self.search(query, k, context)[0]

    def search(self, query: Query, k: int = 8, context: str = "") -> tuple[list[Hit], np.ndarray]:
        """The k best chunks for the question (with its conversation's context), and the question's vector."""
        w = self.weights
        dense_text = f"{context} {query.text}".strip() if context else query.text
        if query.language in ("en", "de") and query.expansion:
            dense_text = f"{dense_text} ({query.expansion})"
        elif query.paraphrase:  # Dutch said in other words than the covenant's: its terms help the embedding too
            dense_text = f"{dense_text} ({query.paraphrase})"
        dense, vector = self.dense(dense_text)
        if w.lexical_only:
            dense = np.zeros(len(self.corpus.chunks))
        lex_query = tokens(query.lexical_text) + (tokens(context) if context else [])
        lexical = self.corpus.lexical.scores(lex_query) if not w.dense_only else np.zeros(len(self.corpus.chunks))
        fused = w.dense * _minmax(dense) + w.lexical * _scale(lexical)
        if w.dense_only:
            fused = dense.astype(np.float64)
        elif w.lexical_only:
            fused = lexical.astype(np.float64)
        routed = np.zeros(len(self.corpus.chunks), dtype=bool)
        if not (w.dense_only or w.lexical_only):
            fused, routed = self._routes(query, fused)
        order = np.argsort(-fused, kind="stable")[:k]
        hits = [Hit(self.corpus.chunks[i], float(fused[i]), float(dense[i]), float(lexical[i]), bool(routed[i]))
                for i in order]
        return hits, vector

    def _routes(self, query: Query, fused: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        w = self.weights
        fused = fused.copy()
        routed = np.zeros(len(fused), dtype=bool)
        signing = _asks_signing(query.text)
        for i, chunk in enumerate(self.corpus.chunks):
            loc = chunk.location
            if query.has_reference and _matches_reference(query, chunk):
                fused[i] += w.reference
                routed[i] = True
            elif loc.thema_name and loc.thema_name in query.themes:
                fused[i] += w.theme
            if chunk.kind == "party" and signing and set(chunk.parties) & set(query.actors):
                fused[i] += w.reference  # "who signs for the Regio": the party's own entry names its signatories
                routed[i] = True
            for actor in query.actors:
                if actor in chunk.parties and len(chunk.parties) < 6:
                    fused[i] += w.actor
                    if chunk.parties and chunk.parties[0] == actor and chunk.kind in ("clause", "bullet") and (
                            actor != COLLECTIVE):  # "als partijen ruzie krijgen": all parties name no one in particular
                        fused[i] += w.subject if _subject_is(chunk, actor) else 0.0
            if chunk.kind == "footnote" and "where" not in query.intents and not query.footnote:
                fused[i] -= w.footnote_penalty
            if loc.part == "Document":
                if _names_document(query, loc.document, strict=True):
                    fused[i] += w.named_document
                elif not _names_document(query, loc.document):
                    fused[i] -= w.other_document_commitment if ("who" in query.intents or _COMMITMENT.search(
                        query.text)) else w.other_document
            if ("when" in query.intents and self.corpus.has_date[i]) or (
                "amount" in query.intents and self.corpus.has_amount[i]
            ) or ("why" in query.intents and loc.part in ("Overwegingen", "Opgaven")):
                fused[i] += w.intent  # a date, an amount, or the reasons the covenant gives
        # an English or German question names a defined term in the covenant's words (Kreislaufwirtschaft: circulair)
        folded = fold(f"{query.text} {query.expansion}" if query.language in ("en", "de") else query.text)
        for term, chunk in self.corpus.definitions.items():
            if len(term) > 3 and term in folded:  # twice for "wat betekent ...": the definition is the answer
                fused[self.corpus.position[chunk.id]] += w.definition * (2 if "definition" in query.intents else 1)
        return _acting_first(query, self.corpus.chunks, fused), routed


_WHAT_IS = re.compile(r"^\W*(?:wat|what|was|wer|who|wie)\s+(?:is|ist|zijn|are|sind|was|war)\b", re.I)


def _acting_first(query: Query, chunks: list[Chunk], fused: np.ndarray) -> np.ndarray:
    """A question about what a named organisation does (its role, not what it is) ranks the clauses in which it
    acts above its definition and footnotes, which only name it."""
    if not query.actors or query.intents or _WHAT_IS.match(query.text):
        return fused  # a definition, an amount, a date, who: the definition or footnote may hold it
    asked = set(query.actors)
    acting = [i for i, c in enumerate(chunks) if c.kind in ("clause", "bullet", "intro") and asked & set(c.parties)]
    if not acting:
        return fused
    best = max(fused[i] for i in acting)
    for i, c in enumerate(chunks):
        if c.kind in ("definition", "footnote") and asked & set(c.parties) and fused[i] >= best:
            fused[i] = best - 0.01
    return fused


def _term_forms(term: str) -> list[str]:
    """A defined term and its forms ("circulariteit/ circulair", "daily urban system (parkstad-aken)")."""
    plain = re.sub(r"\s*\([^)]*\)", "", term).strip()
    return list(dict.fromkeys([term, plain, *(p.strip() for p in plain.split("/") if len(p.strip()) > 3)]))


def _names(chunks: list[Chunk]) -> frozenset[str]:
    """Words the documents only ever write capitalised (places, organisations, programmes), less those in so
    many chunks that they name the deal itself (Regio, Parkstad, Limburg)."""
    capitalised: dict[str, int] = {}
    lowered: set[str] = set()
    for chunk in chunks:
        seen = set()
        for raw in re.findall(r"[^\W\d_]+", chunk.text):
            word = fold(raw)
            if raw[0].isupper():
                seen.add(word)
            else:
                lowered.add(word)
        for word in seen:
            capitalised[word] = capitalised.get(word, 0) + 1
    limit = max(3, 0.05 * len(chunks))
    return frozenset(w for w, n in capitalised.items() if w not in lowered and n <= limit and len(w) > 1)


def _matches_reference(query: Query, chunk: Chunk) -> bool:
    """Whether a chunk sits where the question points: an article, lid, letter, programmalijn, theme or footnote."""
    loc = chunk.location
    if query.footnote:
        return chunk.kind == "footnote" and loc.item == query.footnote
    if chunk.kind == "footnote":
        return False
    if query.theme_explicit and query.themes and loc.thema_name not in query.themes:
        return False
    checks = [(query.article, loc.article), (query.lid, loc.lid), (query.letter, loc.letter),
              (query.programmalijn, loc.programmalijn), (query.thema, loc.thema)]
    specified = [(want, have) for want, have in checks if want is not None]
    if not specified:
        return query.theme_explicit and loc.thema_name in query.themes
    return all(want == have for want, have in specified)


_SIGNING = re.compile(r"\b(tekent|tekenen|getekend|ondertekent|ondertekenen|ondertekend|ondertekening|namens|"
                      r"signs?|signed|signing|signatory|signatories|behalf|unterzeichnet|unterzeichnen|unterschreibt|"
                      r"unterschrieben|\w*minister(?:in)?|staatssecretaris|bewindspersoon)\b", re.I)
# "wie zit er namens de regio in het overleg": on behalf of, but sitting in a body, not signing
_SITS = re.compile(r"\b(zit|zitten|sits?|sitting|sitzt|sitzen|vertegenwoordigt|vertegenwoordigen|represents?|"
                   r"vertritt|vertreten)\b", re.I)


def _asks_signing(text: str) -> bool:
    """Whether the question asks who signs (for a party), not who sits in a body on its behalf."""
    said = {m.group(0).lower() for m in _SIGNING.finditer(text)}
    return bool(said) and not (said <= {"namens", "behalf"} and _SITS.search(text))


_COMMITMENT = re.compile(r"\b(afspra\w*|toegezegd|belooft|verantwoordelijk|commit\w*|promis\w*|responsible|"
                         r"zugesagt|verantwortlich|zuständig)\b", re.I)
_DOCUMENT_CUES = re.compile(r"\b(agenda|document|visie|akkoord|rapport|brochure|woonvisie|report|dokument|"
                            r"bericht|vision)\b", re.I)


def _names_document(query: Query, document: str, strict: bool = False) -> bool:
    """Whether the question names this document (strict), or speaks of documents at all."""
    words = [w for w in re.findall(r"[a-z0-9]+", fold(document)) if len(w) > 3]
    folded = fold(query.text)
    named = bool(words) and all(w in folded for w in words)
    return named if strict else named or bool(_DOCUMENT_CUES.search(query.text))


def _subject_is(chunk: Chunk, actor: str) -> bool:
    return BY_KEY[actor].found_in(chunk.text[:80])


def _minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = float(np.min(x)), float(np.max(x))
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


def _scale(x: np.ndarray) -> np.ndarray:
    hi = float(np.max(x))
    return x / hi if hi > 0 else np.zeros_like(x)
