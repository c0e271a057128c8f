"""What the ranker sees of a question and each chunk: generic features, one column each, never words of particular
questions. The similarities (dense, lexical, per sentence, per breadcrumb), the structure the question names
(article, lid, theme, party, defined term), the chunk's kind, whether it holds the kind of answer asked, and the
conversation's evidence (the earlier questions, the clauses their answers cited, and nearness to those)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from assistant.language import Language
from assistant.lexical import fold
from assistant.read import Query
from ingest.actors import BY_KEY
from ingest.model import Chunk, ChunkKind, HeldKind

if TYPE_CHECKING:
    from assistant.retrieve import Corpus

KINDS = tuple(ChunkKind)  # one feature each, named by its value: kind_clause, kind_bullet, …
SIMILARITY = ("dense", "dense_rank", "lexical", "lexical_rank", "sentence", "sentence_rank", "breadcrumb")
STRUCTURE = ("reference", "reference_specific", "theme", "party", "party_subject", "signatory", "signatory_unnamed",
             "defined_term", "defined_term_asked", "names_only", "acts", "what_is_definition", "footnote_unasked",
             "document_named", "document_other", "document_other_duty", "table_row")
ANSWER_KIND = ("intent_holds", "holds_asked")
CONVERSATION = ("history_dense", "history_cited", "history_near", "history_named", "history_dense_back",
                "history_cited_back", "history_named_back", "history_line", "joint_dense", "joint_lexical")
FEATURES = SIMILARITY + STRUCTURE + ANSWER_KIND + CONVERSATION + tuple(f"kind_{k}" for k in KINDS)
FAMILIES = {"similarity": SIMILARITY, "structure": STRUCTURE, "answer kind": ANSWER_KIND,
            "conversation": CONVERSATION, "chunk kind": tuple(f"kind_{k}" for k in KINDS)}

COLLECTIVE = "Partijen"
_INTENT_HOLDS = {"when": "date", "amount": "amount", "who": "party", "definition": "definition"}
_DECAY = 0.6  # the weight of each earlier turn relative to the one after it


@dataclass(frozen=True)
class Similarities:
    """A question's similarity to every chunk, in corpus order: dense (e5), lexical (BM25), the best of the
    chunk's sentences or list items, and the chunk's breadcrumb."""

    dense: np.ndarray
    lexical: np.ndarray
    sentence: np.ndarray
    breadcrumb: np.ndarray


@dataclass(frozen=True)
class Turn:
    """An earlier turn as evidence: its question as read (the structure it names), its dense similarity to every
    chunk, the clauses its answer cited, and whether the documents answer it."""

    query: Query
    dense: np.ndarray
    cited: tuple[str, ...]
    found: bool


@dataclass(frozen=True)
class Conversation:
    """The evidence of the earlier turns that the documents answer, newest first; whether the current question
    points back into the conversation; and the similarities of the last such turn's question and the current one
    read together."""

    turns: tuple[Turn, ...] = ()
    refers_back: bool = False
    joint: Similarities | None = None
    unnamed_line: bool = False

    @property
    def empty(self) -> bool:
        return not self.turns


class Features:
    """Builds the feature matrix (chunks × FEATURES) for a question over one corpus."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        chunks = corpus.chunks
        self.kinds = np.asarray([[c.kind == k for k in KINDS] for c in chunks], dtype=np.float64)
        self.is_document = np.asarray([c.location.part == "Document" for c in chunks])
        self.is_footnote = np.asarray([c.kind == ChunkKind.FOOTNOTE for c in chunks])
        self.places = [(c.location.document, c.location.article, c.location.lid, c.location.programmalijn,
                        c.location.thema) for c in chunks]

    def matrix(self, query: Query, sims: Similarities, conversation: Conversation | None = None) -> np.ndarray:
        corpus = self.corpus
        n = len(corpus.chunks)
        columns: dict[str, np.ndarray] = {
            "dense": _minmax(sims.dense), "dense_rank": _reciprocal_rank(sims.dense),
            "lexical": _scale(sims.lexical), "lexical_rank": _reciprocal_rank(sims.lexical),
            "sentence": _minmax(sims.sentence), "sentence_rank": _reciprocal_rank(sims.sentence),
            "breadcrumb": _minmax(sims.breadcrumb),
        }
        completed = self._completed(query, conversation)
        columns.update(self._structure(query, completed))
        columns.update(self._answer_kind(query))
        columns.update(self._conversation(conversation or Conversation()))
        x = np.zeros((n, len(FEATURES)), dtype=np.float64)
        for j, name in enumerate(FEATURES):
            if name in columns:
                x[:, j] = columns[name]
        x[:, len(FEATURES) - len(KINDS):] = self.kinds
        return x

    def _completed(self, query: Query, conversation: Conversation | None) -> list[Query]:
        """A lid or letter named without its article ('wat zegt lid 2 daarover?') in a conversation: read in each
        article the conversation's answers cited that has it."""
        if conversation is None:
            return []
        cited = [self.corpus.chunks[i] for turn in conversation.turns for c in turn.cited
                 if (i := self.corpus.position.get(c)) is not None]
        return completed_references(query, cited, self.corpus.chunks)

    def _structure(self, query: Query, completed: Sequence[Query] = ()) -> dict[str, np.ndarray]:
        chunks = self.corpus.chunks
        n = len(chunks)
        out = {name: np.zeros(n) for name in STRUCTURE}
        signing = query.asks.signing
        duty = "who" in query.intents or query.asks.duty
        what_is = query.what_is
        role_asked = bool(query.actors) and not query.intents and not what_is
        asked = set(query.actors)
        table_money = (query.asks.money or query.asks.paid) and query.of_table_payers
        for i, chunk in enumerate(chunks):
            loc = chunk.location
            if query.has_reference and any(matches_reference(q, chunk) for q in completed or (query,)):
                out["reference"][i] = 1.0
            if loc.thema_name and loc.thema_name in query.themes:
                out["theme"][i] = 1.0
            if chunk.kind == ChunkKind.PARTY and signing and asked & set(chunk.parties):
                out["signatory"][i] = 1.0
            if signing and not asked and loc.part == "Partijen":
                out["signatory_unnamed"][i] = 1.0  # who signs, no party named: the list of parties
            if len(chunk.parties) < 6:
                out["party"][i] = len(asked & set(chunk.parties))
            lead = chunk.parties[0] if chunk.parties else None
            if lead in asked and lead != COLLECTIVE and chunk.kind in (ChunkKind.CLAUSE, ChunkKind.BULLET) and \
                    BY_KEY[lead].found_in(chunk.text[:80]):
                out["party_subject"][i] = 1.0
            if role_asked and chunk.kind in (ChunkKind.DEFINITION, ChunkKind.FOOTNOTE) and asked & set(chunk.parties):
                out["names_only"][i] = 1.0  # what a named organisation does: a definition only names it
            if role_asked and chunk.kind in (ChunkKind.CLAUSE, ChunkKind.BULLET, ChunkKind.INTRO) and \
                    asked & set(chunk.parties):
                out["acts"][i] = 1.0  # ... and the clauses in which it acts say it
            if what_is and chunk.kind == ChunkKind.DEFINITION and asked & set(chunk.parties):
                out["what_is_definition"][i] = 1.0  # what a named organisation is: its definition
            if chunk.kind == ChunkKind.FOOTNOTE and "where" not in query.intents and not query.footnote:
                out["footnote_unasked"][i] = 1.0
            if loc.part == "Document":
                if _names_document(query, loc.document, strict=True):
                    out["document_named"][i] = 1.0
                elif not _names_document(query, loc.document):
                    out["document_other"][i] = 1.0
                    out["document_other_duty"][i] = float(duty)
            if chunk.kind == ChunkKind.TABLE and table_money and named_rows(query, chunk.table[1:], chunks):
                out["table_row"][i] = 1.0  # the Rijk's or the Regio's money asked of a line the table has a row for
        if out["reference"].any():  # a reference that picks out one clause picks the answer
            out["reference_specific"] = out["reference"] / out["reference"].sum()
        # an English or German question names a defined term in the covenant's words (Kreislaufwirtschaft: circulair)
        folded = (f"{query.folded} {fold(query.expansion)}" if query.language in (Language.EN, Language.DE)
                  else query.folded)
        for term, chunk in self.corpus.definitions.items():
            if len(term) > 3 and term in folded:
                i = self.corpus.position[chunk.id]
                out["defined_term"][i] = 1.0
                out["defined_term_asked"][i] = float("definition" in query.intents)
        return out

    def _answer_kind(self, query: Query) -> dict[str, np.ndarray]:
        chunks = self.corpus.chunks
        wanted = {_INTENT_HOLDS[i] for i in query.intents if i in _INTENT_HOLDS}
        intent = np.asarray([
            ("when" in query.intents and HeldKind.DATE in c.holds)
            or ("amount" in query.intents and HeldKind.AMOUNT in c.holds)
            or ("why" in query.intents and c.location.part in ("Overwegingen", "Opgaven"))
            for c in chunks], dtype=np.float64)
        holds = np.asarray([bool(wanted & set(c.holds)) for c in chunks], dtype=np.float64)
        return {"intent_holds": intent, "holds_asked": holds}

    def _conversation(self, conversation: Conversation) -> dict[str, np.ndarray]:
        n = len(self.corpus.chunks)
        dense, cited, near, named = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
        for age, turn in enumerate(conversation.turns):
            weight = _DECAY ** age
            dense = np.maximum(dense, weight * _minmax(turn.dense))
            if turn.query.has_reference:
                hit = np.asarray([matches_reference(turn.query, c) for c in self.corpus.chunks], dtype=np.float64)
                named = np.maximum(named, weight * hit)
            for rank, chunk_id in enumerate(turn.cited[:3]):
                i = self.corpus.position.get(chunk_id)
                if i is None:
                    continue
                cited[i] = max(cited[i], weight / (1 + rank))
                doc, article, lid, pl, thema = self.places[i]
                if article is None:
                    continue
                for j, (d2, a2, l2, p2, t2) in enumerate(self.places):
                    if d2 == doc and a2 == article:
                        same = (l2 == lid) + (p2 == pl and pl is not None) + (t2 == thema and thema is not None)
                        near[j] = max(near[j], weight * (0.4 + 0.2 * same) / (1 + rank))
        back = float(conversation.refers_back)
        joint = conversation.joint
        line = np.zeros(n)
        if conversation.unnamed_line:  # "die programmalijn": the line an earlier turn named
            for age, turn in enumerate(conversation.turns):
                pl = turn.query.programmalijn
                if pl is not None:
                    hit = np.asarray([p[3] == pl for p in self.places], dtype=np.float64)
                    line = np.maximum(line, _DECAY ** age * hit)
        return {"history_dense": dense, "history_cited": cited, "history_near": near, "history_named": named,
                "history_dense_back": dense * back, "history_cited_back": cited * back,
                "history_named_back": named * back, "history_line": line,
                "joint_dense": _minmax(joint.dense) if joint else np.zeros(n),
                "joint_lexical": _scale(joint.lexical) if joint else np.zeros(n)}


def named_rows(query: Query, rows: Sequence[tuple[str, ...]], chunks: Sequence[Chunk]) -> list[tuple[str, ...]]:
    """The rows of a table that stand for a programme line the question names: by its number ('2. Landelijk
    gebied' for programmalijn 2), by its subject's words, or by one of its themes."""
    folded = f"{query.folded} {fold(query.expansion)}"
    lines = {query.programmalijn} if query.programmalijn else set()
    lines |= {c.location.programmalijn for c in chunks if c.location.thema_name in query.themes}
    chosen = []
    for row in rows:
        number = re.match(r"^(\d)\.", row[0])
        words = [w for w in re.findall(r"[a-z]+", fold(row[0])) if len(w) > 3]
        if (number and number.group(1) in lines) or (words and all(w in folded for w in words)):
            chosen.append(row)
    return chosen


def completed_references(query: Query, cited: Sequence[Chunk], chunks: Sequence[Chunk]) -> list[Query]:
    """A lid or letter named without its article ('wat zegt lid 2 daarover?'), read in each article of the cited
    clauses, in their order, that has it; the article's name joins the words it is searched by. A letter alone
    ('en onder c?') stays open to every lid of that article: the conversation's latest citation is not always the
    lid it means."""
    if query.article or not (query.lid or query.letter):
        return []
    articles = dict.fromkeys(c.location.article for c in cited if c.location.article)
    completed = [replace(query, article=a, expansion=f"{query.expansion} artikel {a}".strip()) for a in articles]
    return [q for q in completed if any(matches_reference(q, c) for c in chunks)]


def matches_reference(query: Query, chunk: Chunk) -> bool:
    """Whether a chunk sits where the question points: an article, lid, letter, programmalijn, theme, footnote, a
    numbered part outside the articles, or a page."""
    loc = chunk.location
    if query.footnote:
        return chunk.kind == ChunkKind.FOOTNOTE and loc.item == query.footnote
    if chunk.kind == ChunkKind.FOOTNOTE:
        return False
    if query.unit:
        return loc.article is None and (loc.item or "").lower().split(" (")[0] == query.unit
    if query.page is not None and not (loc.page is not None and loc.page <= query.page <= (loc.page_end or loc.page)):
        return False
    if query.theme_explicit and query.themes and loc.thema_name not in query.themes:
        return False
    checks = [(query.article, loc.article), (query.lid, loc.lid), (query.letter, loc.letter),
              (query.programmalijn, loc.programmalijn), (query.thema, loc.thema)]
    specified = [(want, have) for want, have in checks if want is not None]
    if not specified:
        return query.page is not None or (query.theme_explicit and loc.thema_name in query.themes)
    return all(want == have for want, have in specified)


def missing_part(query: Query, chunks: Sequence[Chunk]) -> str | None:
    """The numbered part the question names (an article, its lid or letter, a footnote, a numbered part outside the
    articles, a page) when no chunk of the documents sits there, as the covenant would name it; else None."""
    if not (query.article or query.footnote or query.unit or query.page is not None):
        return None
    numbered = replace(query, programmalijn=None, thema=None, themes=(), theme_explicit=False)
    if any(matches_reference(numbered, c) for c in chunks):
        return None
    if query.footnote:
        return f"Voetnoot {query.footnote}"
    if query.unit:
        return query.unit
    if query.article:
        return " ".join(p for p in (f"Artikel {query.article}", query.lid and f"lid {query.lid}",
                                    query.letter and f"onder {query.letter}") if p)
    return f"pagina {query.page}"


def _names_document(query: Query, document: str, strict: bool = False) -> bool:
    """Whether the question names this document (strict), or speaks of documents at all."""
    words = [w for w in re.findall(r"[a-z0-9]+", fold(document)) if len(w) > 3]
    named = bool(words) and all(w in query.folded for w in words)
    return named if strict else named or query.asks.document


def _reciprocal_rank(x: np.ndarray) -> np.ndarray:
    """10/(10 + rank) of each value among all, as reciprocal-rank fusion uses it (the 10 damps the head)."""
    order = np.argsort(-x, kind="stable")
    ranks = np.empty(len(x))
    ranks[order] = np.arange(len(x))
    return 10.0 / (10.0 + ranks)


def _minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = (float(np.min(x)), float(np.max(x))) if len(x) else (0.0, 0.0)
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x, dtype=np.float64)


def _scale(x: np.ndarray) -> np.ndarray:
    hi = float(np.max(x)) if len(x) else 0.0
    return x / hi if hi > 0 else np.zeros_like(x, dtype=np.float64)
