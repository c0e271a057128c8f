"""Answers from the commitments register: what a party does (one line per commitment, from its clause, the most
relevant first, on the question's subject when it names one), and what is due in a year."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from assistant.cues import COMMITMENT_CUES
from assistant.draft import MAX_LINES, Draft, Statement, display_name, draft
from assistant.glossary import terms_of
from assistant.lexical import tokens
from assistant.prompts import localized_label, phrase
from assistant.read import Query
from assistant.register import Commitment, Register
from assistant.retrieve import Corpus, Hit
from ingest.actors import BY_KEY, acting_for
from ingest.text import cut, split_sentences

_SPECIFIC_IDF = 2.3  # BM25's idf of a word in a tenth of the chunks
GENERIC_MINISTRY = frozenset(("minister", "ministers", "ministerie", "ministeries", "ministry", "ministries",
                              "ministerium", "ministerien", "ministerin"))


class CommitmentAnswers:
    """A party's commitments and a year's deadlines, answered from the register. The register may be given as
    a function that builds it: it is then built once, by the first question that needs it (most do not)."""

    def __init__(self, corpus: Corpus, register: Register | Callable[[], Register]) -> None:
        self.corpus = corpus
        self._register = register
        self._lock = threading.Lock()

    @property
    def register(self) -> Register:
        with self._lock:
            if callable(self._register):
                self._register = self._register()
            return self._register

    def of_party(self, query: Query, hits: list[Hit]) -> Draft | None:
        """'What does OCW do / what did EZ promise': every commitment of that party, grouped by theme."""
        if len(query.actors) != 1 or query.has_reference or query.themes or set(query.intents) - {"who"}:
            return None  # a definition, an amount, a date asked of a party is not the list of what it does
        # "how much does the region put in", "who signs for it", "how many inhabitants does the region have": a
        # typed value or a signature asked of the party, not its commitments
        if ("amount" in query.intents and query.asks.quantity) or query.asks.signing or query.slot:
            return None
        actor = BY_KEY[query.actors[0]]
        if actor.kind != "party":
            return None
        keys = acting_for(actor.key)
        records = [c for c in self.register.commitments if keys & set(c.actors)]
        involved = [c for c in self.register.commitments if keys & set(c.co_actors) and not keys & set(c.actors)]
        naming = set(query.naming)
        topic = [w for w in dict.fromkeys(t for word in query.words for t in re.findall(r"[a-z0-9][a-z0-9-]{3,}", word))
                 if not COMMITMENT_CUES.search(w) and not actor.found_in(w, w) and w not in naming
                 and w not in GENERIC_MINISTRY and self._specific(w)]
        if topic:  # "what does the Regio do about poverty": only the commitments on that subject
            on_topic = [c for c in records + involved if self._speaks_of(query, c.chunk_id, topic)]
            if not on_topic:
                return None  # none on the subject: the clauses retrieved for it answer, or the refusal does
            records = [c for c in records if c in on_topic]
            involved = [c for c in involved if c in on_topic]
        if not records and not involved:
            return None
        if not topic and not query.asks.commitment and len(query.terms) > len(naming) + 1:
            return None  # the party named, but something else than what it does asked ("who is the VWS minister")
        rank = {h.chunk.id: i for i, h in enumerate(hits)}
        records, involved = (sorted(group, key=lambda c: rank.get(c.chunk_id, len(hits)))  # most relevant first
                             for group in (records, involved))
        lines = []
        for group, key in ((records, "commitments_of"), (involved, "involved_in")):
            if not group:
                continue
            lines.append(Statement(phrase(query.language, key if len(group) > 1 or key == "involved_in" else
                                          "commitments_of_one", who=display_name(actor), count=len(group))))
            shown = [c for c in group if c.chunk_id in self.corpus.by_id][:MAX_LINES]
            for c in shown:
                first = _first_sentence(c.text)
                scope = localized_label(query.language, _scope(c))
                lines.append(Statement(f"{scope}:", cut(first, 220), (self.corpus.by_id[c.chunk_id],), item=True,
                                       cut=len(first) > 220))
            if len(group) > len(shown):
                lines.append(Statement(phrase(query.language, "more_in_register", count=len(group) - len(shown),
                                              who=actor.key), item=True))
        return draft(query.language, lines, items=self.corpus.children)

    def due(self, query: Query, hits: list[Hit]) -> Draft | None:
        """'What is due in 2026': every dated item of that year, with who owes it."""
        years = list(query.asks.years)
        if "when" not in query.intents or len(years) != 1 or query.actors or query.themes or query.has_reference:
            return None
        items = self.register.due(years[0])
        if not items:
            return None
        lines = [Statement(phrase(query.language, "due_in", year=years[0]))]
        for d in items:
            who = ", ".join(display_name(BY_KEY[a]) for a in d.actors if a in BY_KEY)
            clause = next((c for c in self.corpus.chunks if c.label == d.label), None)
            lines.append(Statement(f"{d.when}: {who} ({d.label})", sources=(clause,) if clause else (), item=True))
        return draft(query.language, lines)

    def _specific(self, word: str) -> bool:
        """Whether the documents hold the word (or a term the glossary gives for it) in under a tenth of their
        chunks: a subject, not a word every clause has or none."""
        idf = self.corpus.lexical.idf
        return any(idf.get(t, 0.0) > _SPECIFIC_IDF for t in tokens(f"{word} {terms_of(word)}"))

    def _speaks_of(self, query: Query, chunk_id: str, topic: list[str]) -> bool:
        """Whether the chunk holds one of the topic words, in another form, or one of the covenant's terms the
        glossary gives for it."""
        position = self.corpus.position.get(chunk_id)
        if position is None:
            return False
        present = self.corpus.token_sets[position]
        for word in topic:
            wanted = set(tokens(f"{word} {terms_of(word)}"))
            if wanted & present or any(len(t) >= 6 and p.startswith(t[:6]) for t in wanted for p in present):
                return True
        return False


def _scope(c: Commitment) -> str:
    """'Thema 2 Veiligheid, onder c': where a commitment stands, short."""
    loc = c.location
    scope = (f"Thema {loc.thema} {loc.thema_name}" if loc.thema_name and loc.thema else
             f"Thema {loc.thema_name}" if loc.thema_name else
             f"Programmalijn {loc.programmalijn}" if loc.programmalijn else f"Artikel {loc.article}")
    where = ", ".join(p for p in (f"lid {loc.lid}" if loc.lid and not loc.thema_name and not loc.programmalijn
                                  else "", f"onder {loc.letter}" if loc.letter else "",
                                  f"punt {loc.bullet}" if loc.bullet else "") if p)
    return f"{scope}, {where}" if where else scope


def _first_sentence(text: str) -> str:
    """A commitment's first sentence."""
    return split_sentences(text)[0] if text else ""
