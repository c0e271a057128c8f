"""Hybrid retrieval over clause chunks: dense (Chroma), lexical (BM25), sentence and breadcrumb similarities and the
structure a question names, scored by the fitted ranker (`assistant/rank.py`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.features import CONVERSATION, FEATURES, Conversation, Features, Similarities
from assistant.glossary import terms_of
from assistant.language import Language
from assistant.lexical import LexicalIndex, fold, tokens
from assistant.rank import Ranker
from assistant.read import Query
from ingest.embed import Embedder
from ingest.index import Child, ChromaIndex, IndexInfo
from ingest.model import Chunk, ChunkKind

CONVERSATION_MASK = np.asarray([name in CONVERSATION for name in FEATURES], dtype=np.float64)


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the parts it came from."""

    chunk: Chunk
    score: float
    dense: float
    lexical: float
    routed: bool = False
    from_conversation: float = 0.0  # the part of the score that the conversation's evidence gave


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
            term: c for c in chunks if c.kind == ChunkKind.DEFINITION and c.location.item
            for term in _term_forms(fold(c.location.item)) if sum(term in f for f in folded) < 0.2 * len(chunks)
        }
        self.vocabulary = self.lexical.vocabulary
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

    def writes(self, word: str) -> bool:
        """Whether the documents hold this word itself (folded), not a translation of it: a covenant term."""
        return fold(word) in self.words

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
            if child.article != loc.article or loc.article is None or c.kind in (ChunkKind.FOOTNOTE, ChunkKind.TABLE):
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

    def parent(self, chunk: Chunk) -> Chunk | None:
        """The list-introducing clause whose items include the chunk, or None."""
        start = self.position.get(chunk.id)
        if start is None:
            return None
        for c in reversed(self.chunks[max(0, start - 16):start]):
            if c.text.rstrip().endswith(":") and chunk in self.children(c):
                return c
        return None

    def covenant(self) -> list[Chunk]:
        return [c for c in self.chunks if c.location.part != "Document"]


class Retriever:
    """Ranks chunks for a question: its similarities to each chunk (dense, lexical, per sentence, per breadcrumb)
    and the structure it names become features, and the fitted ranker scores them."""

    def __init__(self, index: ChromaIndex, info: IndexInfo, embedder: Embedder, corpus: Corpus,
                 ranker: Ranker | None = None, children: Sequence[Child] = (), dense_k: int = 60) -> None:
        self.index = index
        self.info = info
        self.embedder = embedder
        self.corpus = corpus
        self.ranker = ranker or Ranker.load()
        self.features = Features(corpus)
        self.dense_k = dense_k
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._units, self._unit_parent, self._crumbs = _child_matrices(corpus, children)

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

    def similarities(self, query: Query, context: str = "") -> tuple[Similarities, np.ndarray]:
        """The question's similarities to every chunk, and its vector."""
        dense_text = f"{context} {query.text}".strip() if context else query.text
        if query.language in (Language.EN, Language.DE) and query.expansion:
            dense_text = f"{dense_text} ({query.expansion})"
        elif query.paraphrase:  # Dutch said in other words than the covenant's: its terms help the embedding too
            dense_text = f"{dense_text} ({query.paraphrase})"
        dense, vector = self.dense(dense_text)
        lex_query = list(query.lexical_terms) + (tokens(context) if context else [])
        lexical = self.corpus.lexical.scores(lex_query)
        sentence = dense.astype(np.float64)
        if len(self._units):
            unit_sims = self._units @ vector
            np.maximum.at(sentence, self._unit_parent, unit_sims)
        crumbs = self._crumbs @ vector if len(self._crumbs) else np.zeros(len(dense))
        return Similarities(dense.astype(np.float64), np.asarray(lexical, dtype=np.float64), sentence,
                            crumbs.astype(np.float64)), vector

    def search(self, query: Query, k: int = 8, context: str = "", conversation: Conversation | None = None,
               conversation_weights: bool = False) -> tuple[list[Hit], np.ndarray]:
        """The k best chunks for the question (with its conversation, scored with the ranker's conversation weights
        when asked), and the question's vector."""
        sims, vector = self.similarities(query, context)
        x = self.features.matrix(query, sims, conversation or Conversation())
        joined = conversation_weights and conversation is not None and not conversation.empty
        fused = self.ranker.score(x, joined)
        from_conversation = self.ranker.score(x * CONVERSATION_MASK, joined) if conversation else np.zeros(len(x))
        routed = x[:, list(self.ranker.routes)].max(axis=1) > 0
        order = np.argsort(-fused, kind="stable")[:k]
        hits = [Hit(self.corpus.chunks[i], float(fused[i]), float(sims.dense[i]), float(sims.lexical[i]),
                    bool(routed[i]), float(from_conversation[i])) for i in order]
        return hits, vector


def _child_matrices(corpus: Corpus, children: Sequence[Child]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sentence vectors with their clause's position, and each chunk's breadcrumb vector (unit length)."""
    units = [(corpus.position[c.key], c.vector) for c in children if c.role == "sentence" and c.key in corpus.position]
    crumb = {c.key: c.vector for c in children if c.role == "breadcrumb"}
    unit_matrix = _unit_rows([v for _, v in units])
    parents = np.asarray([p for p, _ in units], dtype=np.int64)
    if not crumb:
        return unit_matrix, parents, np.zeros((0, 0), dtype=np.float32)
    width = len(next(iter(crumb.values())))
    crumbs = _unit_rows([crumb.get(c.location.breadcrumb, (0.0,) * width) for c in corpus.chunks])
    return unit_matrix, parents, crumbs


def _unit_rows(rows: list[tuple[float, ...]]) -> np.ndarray:
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    m = np.asarray(rows, dtype=np.float32)
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)


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
