"""The Assistant: question in, Answer out. One instance per process, shared by all sessions."""

from __future__ import annotations

import logging
import threading
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from assistant.answerability import Answerability, Decision, Model, Signals
from assistant.compose import ExtractiveAnswerer
from assistant.compound import merge, split_question
from assistant.draft import Draft, Statement
from assistant.draft import draft as make_draft
from assistant.features import Conversation, Turn, completed_references, matches_reference
from assistant.followup import FollowUp, signals
from assistant.form import Chooser, by_cascade
from assistant.language import Language
from assistant.model import Answer, Citation
from assistant.prompts import phrase
from assistant.rank import Ranker
from assistant.read import Query, read_query, without_framing
from assistant.retrieve import Corpus, Hit, Retriever
from ingest.embed import Embedder
from ingest.index import ChromaIndex, IndexInfo
from ingest.model import Chunk
from parkstad.errors import IndexUnavailableError, QuestionError

MAX_QUESTION_CHARS = 2000
MAX_QUESTION_TOKENS = 512  # the e5 window
TOKENS_PER_COST = 48  # a question costs the rate limit one question per 48 tokens (every real question costs 1)
log = logging.getLogger("parkstad")


@dataclass(frozen=True)
class Ranking:
    """A question's best clauses as ranked in its conversation, its vector, whether its words point back, and the
    conversation's last answered question (what a slot asked without an anchor of its own, 'Budget?', is asked of),
    whether or not the conversation took part in the ranking."""

    hits: list[Hit]
    vector: np.ndarray
    refers_back: bool = False
    topic: Query | None = None


class Assistant:
    """Answers questions about the Regio Deal from the active index, with verified citations."""

    def __init__(self, index: ChromaIndex, embedder: Embedder, ranker: Ranker | None = None,
                 llm: object | None = None, reload_every_s: float = 5.0, log_questions: bool = False,
                 model: Model | None = None, choose: Chooser | None = None):
        self.index = index
        self.embedder = embedder
        self.ranker = ranker or Ranker.load()
        self.llm = llm
        self.reload_every_s = reload_every_s
        self.log_questions = log_questions
        self.model = model
        self.follow_up = FollowUp.load()
        self.choose = choose or by_cascade  # which builder answers (evals/fit_form.py: the classifier is not landed)
        self._lock = threading.Lock()
        self._state: tuple[IndexInfo, Corpus, Retriever, ExtractiveAnswerer] | None = None
        self.answerability: Answerability | None = None
        self._checked = 0.0

    @classmethod
    def from_settings(cls, settings: object | None = None, model: Model | None = None,
                      choose: Chooser | None = None) -> Assistant:
        from ingest.embed import embedder_id, make_embedder
        from ingest.index import open_index
        from parkstad.settings import Settings

        s = settings if isinstance(settings, Settings) else Settings.from_env()
        llm = None
        if s.llm_base_url:
            from assistant.llm import LLMAnswerer

            llm = LLMAnswerer(s.llm_base_url, s.llm_model or "default", s.llm_api_key, s.llm_timeout,
                              s.llm_max_tokens, s.llm_concurrency)
        embedder = make_embedder(s.embeddings)
        warm_up = getattr(embedder, "warm_up", None)
        if callable(warm_up):
            warm_up()  # the model loads while the index is opened and read
        index = open_index(s, create=False)
        return cls(index, embedder, llm=llm, log_questions=s.log_questions,
                   model=model or Model.load(s.answerability_model, embedder_id(embedder)), choose=choose)

    def state(self) -> tuple[IndexInfo, Corpus, Retriever, ExtractiveAnswerer]:
        """The loaded index; re-read when another ingest switched the pointer (checked every few seconds). When
        that check finds the index unavailable, the loaded index is kept (the search still needs Chroma)."""
        with self._lock:
            now = time.monotonic()
            if self._state is None or now - self._checked > self.reload_every_s:
                try:
                    info = self.index.require(self.embedder)
                except IndexUnavailableError as exc:
                    if self._state is None:
                        raise
                    if not getattr(self, "_kept", False):
                        log.warning("keeping the loaded index: %s", exc)
                    self._kept = True
                    self._checked = now
                    return self._state
                self._kept = False
                if self._state is None or self._state[0].collection != info.collection:
                    corpus = Corpus(self.index.chunks(info))
                    vectors = self.index.vectors(info)
                    matrix = np.asarray([vectors[c.id] for c in corpus.chunks], dtype=np.float32)
                    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
                    if self.model is None:
                        self.model = Model.load(None, info.embedder)
                    self.answerability = Answerability(Signals(corpus, matrix), self.model)
                    retriever = Retriever(self.index, info, self.embedder, corpus, self.ranker,
                                          self.index.children(info))
                    self._state = (info, corpus, retriever, ExtractiveAnswerer(corpus, self.choose))
                self._checked = now
            return self._state

    @property
    def loaded(self) -> bool:
        """An index has been loaded (it is kept while Chroma is unreachable)."""
        return self._state is not None

    def tokens(self, question: object) -> int:
        """The question's length in the embedder's tokens, once cleaned; a QuestionError over MAX_QUESTION_TOKENS
        (counted in linear time, before anything else reads it)."""
        from ingest.embed import token_count

        count = token_count(self.embedder, clean_question(question))
        if count > MAX_QUESTION_TOKENS:
            raise QuestionError(f"the question is {count:,} tokens; keep it under {MAX_QUESTION_TOKENS}",
                                "too_many_tokens", length=f"{count:,}", limit=f"{MAX_QUESTION_TOKENS}")
        return count

    def cost(self, question: object) -> int:
        """What the question costs the rate limit: one per TOKENS_PER_COST tokens, at least one."""
        try:
            return max(1, -(-self.tokens(question) // TOKENS_PER_COST))
        except QuestionError:
            return 1

    def ask(self, question: str, history: Sequence[str | Answer] = ()) -> Answer:
        started = time.perf_counter()
        self.tokens(question)
        cleaned = clean_question(question)  # before the index is touched
        _, corpus, retriever, answerer = self.state()
        text = without_framing(cleaned, corpus.knows)
        query = read_query(text, corpus.theme_names, term=corpus.writes)  # the text is kept for compound questions
        if query.language == Language.OTHER:
            return Answer(question, phrase(Language.NL, "other_language"), False, "extractive", language=Language.OTHER,
                          timings_ms={"retrieve": 0.0, "answer": 0.0, "total": _ms(started)})
        query, hits, decision = self.understand(query, history)
        retrieved = time.perf_counter()
        draft = answerer.answer(query, hits, decision)
        parts = split_question(text)
        if len(parts) > 1:
            hits, draft = self._compound(parts, query.language, history, hits, draft)
        mode, notice, flagged, unsupported = "extractive", None, (), ()
        if self.llm is not None and self._worth_asking(decision):
            draft, mode, notice, flagged, unsupported = self._llm(query, hits, draft)
        done = time.perf_counter()
        log.info("answered found=%s mode=%s lang=%s citations=%d ms=%.1f%s", draft.found, mode, query.language,
                 len(draft.cited), (done - started) * 1000,
                 f" question={question!r}" if self.log_questions else "")
        return Answer(
            question=question,
            answer=draft.text,
            found=draft.found,
            mode=mode,
            citations=tuple(Citation.of(s.chunk, s.items) for s in draft.sources),
            draft=draft,
            timings_ms={"retrieve": (retrieved - started) * 1000, "answer": (done - retrieved) * 1000,
                        "total": (done - started) * 1000},
            language=query.language,
            notice=notice,
            flagged=flagged,
            unsupported=unsupported,
            answerability=decision,
        )

    def understand(self, query: Query, history: Sequence[str | Answer] = ()) -> tuple[Query, list[Hit], Decision]:
        """The question as its conversation completes it, its ranked clauses and the answerability decision
        (`understood`)."""
        assert self.state() and self.answerability is not None  # built with the state
        query, ranking = self.understood(query, history)
        return query, ranking.hits, self.decided(query, ranking)

    def understood(self, query: Query, history: Sequence[str | Answer] = ()) -> tuple[Query, Ranking]:
        """The question and its ranking. A lid or letter named without its article ('wat zegt lid 3 daarover?') is
        read in the clause the conversation last cited that has it, and then ranked as a question naming that
        clause; a question answered on its own that does not point back keeps its own ranking; any other, with a
        conversation, is ranked with the conversation's evidence (its earlier questions and the clauses their
        answers cited). A clause named by its article goes first, whatever its words rank."""
        turns = self.turns(history)
        corpus = self.state()[1]
        cited = [corpus.by_id[c] for turn in reversed(turns) if turn.found for c in turn.cited if c in corpus.by_id]
        completed = completed_references(query, cited, corpus.chunks)
        query = completed[0] if completed else query
        ranking = self._ranked(query, () if completed else turns)  # completed, it names its clause itself
        if query.article:
            named = [h for h in ranking.hits if matches_reference(query, h.chunk)]
            ranking = replace(ranking, hits=named + [h for h in ranking.hits if h not in named])
        return query, ranking

    def decided(self, query: Query, ranking: Ranking) -> Decision:
        """The answerability decision on a ranking."""
        assert self.answerability is not None
        return self.answerability.decide(query, ranking.hits, ranking.vector, ranking.refers_back, ranking.topic)

    def ranked(self, query: Query, history: Sequence[str | Answer] = ()) -> Ranking:
        """The 12 best clauses for the question in its conversation, its vector, and whether it points back."""
        return self.understood(query, history)[1]

    def _ranked(self, query: Query, turns: Sequence[Turn]) -> Ranking:
        retriever = self.state()[2]
        conversation = self._conversation(query, turns) if turns else Conversation()
        if conversation.empty:  # no conversation, or nothing earlier that the documents answer
            return Ranking(*retriever.search(query, k=12))
        topic = conversation.turns[0].query
        if query.refers_back:  # its words point back: ranked with the conversation's weights, its own not needed
            joined, joined_vector = retriever.search(query, k=12, conversation=conversation, conversation_weights=True)
            return Ranking(joined, joined_vector, True, topic)
        joined, joined_vector = retriever.search(query, k=12, conversation=conversation)
        hits, vector = retriever.search(query, k=12)
        values = self._follow_up_signals(query, hits, vector, joined, conversation)
        assert self.answerability is not None
        continues = self.follow_up.continues(values) if self.follow_up is not None else \
            values["own_p"] < self.answerability.model.answer_from
        return Ranking(*((joined, joined_vector) if continues else (hits, vector)), False, topic)

    def follow_up_signals(self, query: Query, turns: Sequence[Turn]) -> dict[str, float] | None:
        """The follow-up model's signals (`assistant.followup`) for a question after these turns; None when no
        earlier turn is answered by the documents (`python -m evals.fit_followup` fits on them)."""
        retriever = self.state()[2]
        conversation = self._conversation(query, turns) if turns else Conversation()
        if conversation.empty:
            return None
        joined, _ = retriever.search(query, k=12, conversation=conversation)
        hits, vector = retriever.search(query, k=12)
        return self._follow_up_signals(query, hits, vector, joined, conversation)

    def _follow_up_signals(self, query: Query, hits: list[Hit], vector: np.ndarray, joined: list[Hit],
                           conversation: Conversation) -> dict[str, float]:
        assert self.answerability is not None
        own_p = self.answerability.decide(query, hits, vector).score
        return signals(self.state()[1], query, hits, own_p, joined, conversation)

    def turns(self, history: Sequence[str | Answer]) -> list[Turn]:
        """The last three earlier turns as evidence, oldest first. An earlier answer gives the clauses it cited;
        an earlier question passed as text is answered again, with the turns before it as its conversation."""
        retriever = self.state()[2]
        assert self.answerability is not None
        out: list[Turn] = []
        for turn in [h for h in history if h][-3:]:
            try:
                query = self.read(turn.question if isinstance(turn, Answer) else str(turn))
            except QuestionError:
                continue
            if isinstance(turn, Answer):
                found, cited = turn.found, tuple(c.chunk_id for c in turn.citations[:3])
            else:
                ranking = self._ranked(query, out)
                found = self.decided(query, ranking).found
                cited = tuple(h.chunk.id for h in ranking.hits[:3])
            if query.programmalijn is None and not query.has_reference:  # 'het landelijk gebied': its line
                query = replace(query, programmalijn=query.lines[0] if len(query.lines) == 1 else None)
            out.append(Turn(query, retriever.similarities(query)[0].dense, cited, found))
        return out

    def conversation(self, query: Query, history: Sequence[str | Answer]) -> Conversation:
        """The conversation's evidence for this question (the earlier turns the documents answer)."""
        return self._conversation(query, self.turns(history))

    def _conversation(self, query: Query, turns: Sequence[Turn]) -> Conversation:
        found = tuple(t for t in reversed(turns) if t.found)
        joint = self.state()[2].similarities(query, context=found[0].query.lexical_text)[0] if found else None
        return Conversation(found, query.refers_back, joint, query.unnamed_line)

    def read(self, question: str) -> Query:
        """The question read once: cleaned, its framing sentences read past, understood as a Query."""
        self.tokens(question)
        corpus = self.state()[1]
        return read_query(without_framing(clean_question(question), corpus.knows), corpus.theme_names,
                          term=corpus.writes)

    def _compound(self, parts: list[str], language: Language, history: Sequence[str | Answer], hits: list[Hit],
                  whole: Draft) -> tuple[list[Hit], Draft]:
        """A question that asks two things: each part answered with the parts before it as conversation, merged
        with the answer to the whole."""
        _, corpus, retriever, answerer = self.state()
        answered = []
        for i, part in enumerate(parts):
            query, part_hits, decision = self.understand(read_query(part, corpus.theme_names, language),
                                                         [*history, *parts[:i]])
            answered.append((part, answerer.answer(query, part_hits, decision)))
            hits = hits + [h for h in part_hits[:4] if h not in hits]
        return hits, merge(language, whole, answered)

    def search(self, question: str, history: Sequence[str | Answer] = (), k: int = 8) -> list[Hit]:
        """The ranked chunks for a question (with its conversation), without composing an answer."""
        return self.decide(question, history)[1][:k]

    def decide(self, question: str, history: Sequence[str | Answer] = ()) -> tuple[Query, list[Hit], Decision]:
        """The question read, its ranked clauses and the answerability decision, without composing an answer
        (`parkstad why` prints it)."""
        return self.understand(self.read(question), history)

    def _worth_asking(self, decision: Decision) -> bool:
        """The LLM sees the best clauses in every band but a confident 'not in the documents'."""
        assert self.answerability is not None
        return decision.found or decision.score >= self.answerability.model.refuse_below / 2

    def _llm(self, query: Query, hits: list[Hit], draft: Draft) -> tuple[Draft, str, str | None, tuple[str, ...],
                                                                     tuple[str, ...]]:
        """The LLM's answer, every cited sentence checked against the clauses it cites (figures, names, content;
        the embedder judges content across languages); the extractive answer with a notice when the model fails
        or none of its sentences is supported. Returns the draft, mode, notice, uncited and unsupported
        sentences."""
        from assistant.llm import LLMAnswerer, UnsupportedReply, referenced
        from parkstad.errors import LLMError

        assert isinstance(self.llm, LLMAnswerer)
        corpus = self.state()[1]
        signals = self.answerability.signals if self.answerability is not None else None

        def similarity(sentence: str, chunks: Sequence[Chunk]) -> list[float]:
            vector = np.asarray(self.embedder.embed_query(sentence), dtype=np.float32)
            vector /= float(np.linalg.norm(vector)) or 1.0
            assert signals is not None
            return [float(signals.vectors[corpus.position[c.id]] @ vector) if c.id in corpus.position else 0.0
                    for c in chunks]

        try:
            result = self.llm.answer(query, [h.chunk for h in hits[:6]], similarity if signals else None)
        except UnsupportedReply as exc:
            notice = phrase(query.language, "llm_unsupported")
            return replace(draft, notice=notice), "extractive", notice, (), exc.sentences
        except LLMError as exc:
            notice = phrase(query.language, "llm_fallback", reason=str(exc))
            return replace(draft, notice=notice), "extractive", notice, (), ()
        if result.declined:
            lines = [Statement(phrase(query.language, "not_found")), Statement(phrase(query.language, "nearest"))]
            lines += [Statement(c.label, sources=(c,), item=True) for c in (h.chunk for h in hits[:3])]
            return make_draft(query.language, lines, found=False), "llm", None, (), ()
        lines = [Statement(line, marked=True) for line in result.text.split("\n")]
        documents = [c for c in result.cited if referenced(c)]
        if documents:  # as the extractive answer does: a referenced document is a source, not the deal
            top = documents[0]
            lines.insert(0, Statement(phrase(query.language, "document_says", document=top.location.document,
                                             page=top.location.page or "?")))
        llm_draft = make_draft(query.language, lines, context=result.cited)
        return llm_draft, "llm", None, result.flagged, result.unsupported


def clean_question(question: object) -> str:
    """The question as text without control characters; a clear error when empty or too long."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text", "not_text")
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") else c for c in question)
    text = " ".join(text.split())
    if not text:
        raise QuestionError("empty question: ask something about the Regio Deal Parkstad Limburg III", "empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question is {len(text):,} characters; keep it under {MAX_QUESTION_CHARS:,}",
                            "too_long", length=f"{len(text):,}", limit=f"{MAX_QUESTION_CHARS:,}")
    return text


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
