"""Extractive answers: a short direct answer built from the retrieved clauses and their structure,
followed by the supporting clauses quoted verbatim with their labels. No LLM needed. Whether to answer at all
is decided in assistant/answerability.py."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.answerability import Band, Decision
from assistant.commitments import CommitmentAnswers
from assistant.draft import (
    MAX_LINES,
    MAX_SOURCES,
    Draft,
    Statement,
    display_name,
    draft,
    enumeration_items,
    holding,
)
from assistant.features import named_rows
from assistant.form import BEST_CLAUSE, Chooser, by_cascade
from assistant.language import Language
from assistant.lexical import fold, tokens
from assistant.prompts import localized_label, phrase
from assistant.read import MEMBERSHIP_WORDS, Query
from assistant.register import Register, RegisterBuilder, subject
from assistant.retrieve import Corpus, Hit
from ingest.actors import BY_KEY, MINISTRIES, MUNICIPALITIES, Actor
from ingest.model import Chunk, ChunkKind, HeldKind
from ingest.text import cut, split_sentences

_NUMBER = re.compile(r"\d")
Prefer = HeldKind | re.Pattern[str] | None  # what makes a sentence the one to quote: a kind of value held, or a match
_STRUCTURE_WORDS = frozenset(tokens(
    "thema thema's themas themes theme themen artikel artikelen artikels article articles programmalijn "
    "programmalijnen programme line lines program programmlinie programmlinien onderdelen opbouw inhoudsopgave "
    "structure outline gliederung aufbau bestaat bestaan vallen valt onder zitten consist consists contain contains "
    "fall falls bevat enthalt umfasst deal convenant heeft has hat"))
_FIRST_WORDS = 90  # the clause's subject stands in a sentence that begins this near its start
# literal patterns, so tests/test_regex_backtracking.py checks them
_GROUP_MEMBERS: dict[str, tuple[Actor, ...]] = {
    "ministries": MINISTRIES, "municipalities": tuple(BY_KEY[f"gemeente {m}"] for m in MUNICIPALITIES)}


def _member_name(actor: Actor) -> str:
    """A ministry by its display name, a municipality by its own name."""
    return actor.key.removeprefix("gemeente ") if actor.key.startswith("gemeente ") else display_name(actor)


class ExtractiveAnswerer:
    """Builds who / what / how much / when / definition / structure / where answers from the clauses, worded for
    the answerability decision's band, and a plain refusal with the nearest clauses when the documents do not
    answer."""

    def __init__(self, corpus: Corpus, choose: Chooser = by_cascade) -> None:
        self.corpus = corpus
        self.choose = choose
        self._members_by_group: dict[str, list[tuple[int, int, Chunk, list[Actor]]]] = {}
        self._commitments: CommitmentAnswers | None = None

    @property
    def commitments(self) -> CommitmentAnswers:
        """The register's answers; the register is built by the first question that needs it."""
        if self._commitments is None:
            self._commitments = CommitmentAnswers(self.corpus, lambda: RegisterBuilder().build(self.corpus.covenant()))
        return self._commitments

    @property
    def register(self) -> Register:
        return self.commitments.register

    def answer(self, query: Query, hits: list[Hit], decision: Decision) -> Draft:
        """The answer worded for the decision's band: answered, the closest provision with a plain note that
        the deal may not say exactly this, or not in the documents with the nearest clauses."""
        lang = query.language
        if decision.band == Band.NOT_FOUND:
            return self.refusal(lang, [h.chunk for h in hits[:3]], decision.missing)
        composed = self._compose(query, hits)
        if decision.band == Band.CLOSEST:
            return replace(composed, notes=(*composed.notes, phrase(lang, "closest")))
        return composed

    def refusal(self, lang: Language, nearest: list[Chunk], missing: str | None = None) -> Draft:
        """'Not in the documents' (or that they have no such numbered part), with the nearest clauses, each quoted
        short."""
        first = phrase(lang, "not_found")
        if missing:  # named mid-sentence, or first in German, where every noun is capitalised
            part = localized_label(lang, missing)
            first = phrase(lang, "no_such_part", part=(part[0].upper() if lang == Language.DE else part[0].lower())
                           + part[1:])
        lines = [Statement(first), Statement(phrase(lang, "nearest"))]
        lines += [Statement(f"{localized_label(lang, c.label)}:", cut(c.text, 160), (c,), item=True,
                            cut=len(c.text) > 160)
                  for c in nearest]
        return draft(lang, lines, found=False)

    def builders(self) -> dict[str, Callable[[Query, list[Hit]], Draft | None]]:
        """The forms an answer may take, by name (`assistant.form.FORMS`), the best clause last."""
        return {"holder": self._holder, "of_party": self.commitments.of_party, "structure": self._structure,
                "count": self._count, "members": self._members, "where": self._where, "definition": self._definition,
                "due": self.commitments.due, "amount": self._amount, "who": self._who, BEST_CLAUSE: self._what}

    def candidates(self, query: Query, hits: list[Hit]) -> dict[str, Draft]:
        """The draft of every builder that applies to the question (the best clause always does)."""
        return {name: draft for name, builder in self.builders().items()
                if (draft := builder(query, hits)) is not None}

    def _compose(self, query: Query, hits: list[Hit]) -> Draft:
        drafts = self.candidates(query, hits)
        return drafts[self.choose(query, hits, drafts)]

    # --- builders -------------------------------------------------------------------------------------------

    def _structure_scope(self, query: Query) -> str | None:
        if "structure" not in query.intents:
            return None
        if self._names_subject(query):  # "op welke thema's ligt de focus bij de Oostflank" asks of something else
            return None
        if query.programmalijn and "theme" in query.parts:
            return "themes"
        if "article" in query.parts:
            return "articles"
        if "programmalijn" in query.parts:
            return "programmalijnen"
        if "theme" in query.parts:
            return "all_themes"
        return None

    def _names_subject(self, query: Query) -> bool:
        """Whether the question names something the covenant speaks of besides its parts (a place, a programme)."""
        rest = set(query.terms) - _STRUCTURE_WORDS - MEMBERSHIP_WORDS
        return any(w in self.corpus.names or len(w) > 3 and w in self.corpus.vocabulary
                   for w in rest if not w.isdigit())

    def _structure(self, query: Query, hits: list[Hit]) -> Draft | None:
        scope = self._structure_scope(query)
        if scope is None:
            return None
        lang = query.language
        chunks = self.corpus.covenant()
        if scope in ("themes", "all_themes"):
            pls = [query.programmalijn] if scope == "themes" else sorted(
                {c.location.programmalijn for c in chunks if c.location.thema_name} - {None})
            parts, cited = [], []
            for pl in pls:
                themes = _ordered({(c.location.thema, c.location.thema_name): c for c in chunks
                                   if c.location.programmalijn == pl and c.location.thema_name})
                listing = _join([f"Thema {n} {name}" for (n, name) in themes], lang)
                parts.append(phrase(lang, "themes_of", pl=pl, count=len(themes), themes=listing))
                cited += [c for c in chunks if c.location.programmalijn == pl and c.kind == ChunkKind.HEADING]
                cited += [c for c in chunks if c.location.programmalijn == pl
                          and c.kind in (ChunkKind.CLAUSE, ChunkKind.INTRO) and c.location.letter is None][:3]
            return self._draft(lang, " ".join(parts), cited[:6])
        if scope == "articles":
            arts = _ordered({c.location.article: c for c in chunks if c.location.article})
            listing = "; ".join(f"{n} – {self._article_title(n)}" for n in arts)
            cited = [arts[n] for n in list(arts)[:5]]
            return self._draft(lang, phrase(lang, "articles", count=len(arts), list=listing), cited)
        heads = [c for c in chunks if c.kind == ChunkKind.HEADING and c.location.programmalijn]
        lines = [Statement(phrase(lang, "programmalijnen", count=len(heads)))]
        lines += [Statement(f"Programmalijn {c.location.programmalijn}:", c.text, (c,), item=True) for c in heads]
        return self._draft(lang, lines)

    def _holder(self, query: Query, hits: list[Hit]) -> Draft | None:
        """'Who is the regiokassier': the party that holds the role in the first line, then the sentence of a
        best clause that names both the party and the role."""
        if not query.holder or len(query.actors) != 1:
            return None
        actor = BY_KEY[query.actors[0]]
        role = set(query.naming) - set(tokens(actor.name))
        for hit in hits[:5]:
            for sentence in split_sentences(hit.chunk.text):
                folded = fold(sentence)
                if actor.found_in(sentence, folded) and any(w in folded for w in role):
                    lang = query.language
                    return self._draft(lang, [Statement(phrase(lang, "holder", who=display_name(actor))),
                                              Statement(phrase(lang, "according", label=hit.chunk.label), sentence,
                                                        (hit.chunk,))],
                                       [h.chunk for h in hits[:3] if h.chunk is not hit.chunk][:2])
        return None

    def _count(self, query: Query, hits: list[Hit]) -> Draft | None:
        """'How many ministries sit in the Rijk-Regio-overleg': the count of the items of the enumeration that
        names the counted noun in its opening words, with the items; None when a best clause states the number
        itself ('56.000 inwoners'), or no enumeration names the noun."""
        stem = query.counted[:6]
        if len(stem) < 4 or "structure" in query.intents:
            return None
        if any(re.search(rf"\d[\d.,]*\s+(?:[\w-]+\s+)?{re.escape(stem)}", fold(h.chunk.text)) for h in hits[:3]):
            return None
        for hit in hits[:5]:
            for chunk in (hit.chunk, self.corpus.parent(hit.chunk)):
                if chunk is None:
                    continue
                opening, colon, _ = chunk.text.partition(":")
                if not colon or stem not in fold(opening[-80:]):  # the noun announces the list, near its colon
                    continue
                inline = enumeration_items(chunk.text)
                children = self.corpus.children(chunk) if chunk.text.rstrip().endswith(":") else []
                if len(inline) >= 2 or children:
                    lang = query.language
                    lines = [Statement(phrase(lang, "counted", label=chunk.label, count=len(inline) or len(children)),
                                       sources=(chunk,))]
                    if inline:
                        lines += [Statement(quote=item, sources=(chunk,), item=True) for item in inline[:MAX_SOURCES]]
                    else:
                        lines += [Statement(quote=c.text, sources=(c,), item=True) for c in children[:MAX_SOURCES]]
                    return self._draft(lang, lines)
        return None

    def _group(self, query: Query) -> str | None:
        """'Which municipalities / ministries ...' without a theme or clause: a question for a list of members."""
        if query.has_reference or query.themes or not query.members_of:
            return None
        return query.members_of

    def _members(self, query: Query, hits: list[Hit]) -> Draft | None:
        """The members of a group (the seven municipalities, the nine ministries) from the clause naming most; asked
        what is not so, the members that the best clause naming some of them leaves out."""
        if query.asks.negated and (left_out := self._left_out(query, hits)) is not None:
            return left_out
        group = self._group(query)
        if group is None:
            return None
        if group == "parties":
            return self._parties(query)
        counted = self._naming(group)
        if not counted:
            return None
        _, _, top, found = counted[0]
        names = [_member_name(a) for a in found]
        lead = phrase(query.language, "members", group=phrase(query.language, group), count=len(found),
                      list=_join(names, query.language), label=top.label)
        return self._draft(query.language, lead, [c for _, _, c, _ in counted[:3]])

    def _naming(self, group: str) -> list[tuple[int, int, Chunk, list[Actor]]]:
        """The covenant's clauses that name members of the group, the one naming most first."""
        counted = self._members_by_group.get(group)
        if counted is None:
            counted = []
            for chunk in self.corpus.covenant():
                folded = fold(chunk.text)
                found = [a for a in _GROUP_MEMBERS[group] if a.found_in(chunk.text, folded)]
                if found:
                    counted.append((len(found), -self.corpus.position[chunk.id], chunk, found))
            counted.sort(key=lambda t: (t[0], t[1]), reverse=True)
            self._members_by_group[group] = counted
        return counted

    def _left_out(self, query: Query, hits: list[Hit]) -> Draft | None:
        """'Which municipalities are not among those …': of the best clauses, the first that lists some of the
        group's members (two or more) but not all; the members it leaves out, with the clause that names them all."""
        if not query.group:
            return None
        group = query.group
        counted, members = self._naming(group), _GROUP_MEMBERS[group]
        for hit in hits[:3]:
            folded = fold(hit.chunk.text)
            named = [a for a in members if a.found_in(hit.chunk.text, folded)]
            if 1 < len(named) < len(members) and counted and counted[0][2] is not hit.chunk:
                break
        else:
            return None
        lang, best, whole = query.language, hit.chunk, counted[0][2]
        rest = [a for a in members if a not in named]
        lead = Statement(phrase(lang, "left_out", group=phrase(lang, group), total=len(members),
                                label=localized_label(lang, best.label), count=len(rest),
                                named=_join([_member_name(a) for a in named], lang),
                                rest=_join([_member_name(a) for a in rest], lang)), sources=(best, whole))
        sentence = next((s for s in split_sentences(best.text) if any(a.found_in(s) for a in named)), best.text)
        return self._draft(lang, [lead, Statement(_frame(lang, "according", label=best.label), sentence, (best,))])

    def _parties(self, query: Query) -> Draft | None:
        """The signing parties, from the covenant's list of them: the ministers (together the Rijk) and the Regio."""
        section = [c for c in self.corpus.covenant() if c.location.part == "Partijen"]
        listed = [c for c in section if c.parties and c.parties[0] in BY_KEY and BY_KEY[c.parties[0]].kind == "party"]
        if not listed:
            return None
        names = [display_name(BY_KEY[c.parties[0]]) for c in listed]
        lead = phrase(query.language, "members", group=phrase(query.language, "parties"), count=len(listed),
                      list=_join(names, query.language), label=phrase(query.language, "parties_list"))
        together = [c for c in section if c not in listed]
        return self._draft(query.language, lead, [*together[:1], listed[-1], *listed[:-1]][:6])

    def _definition(self, query: Query, hits: list[Hit]) -> Draft | None:
        for hit in hits[:4]:
            c = hit.chunk
            term = fold(c.location.item or "")
            if c.kind == ChunkKind.DEFINITION and ("definition" in query.intents or (
                    hit is hits[0] and term in self.corpus.definitions and term in query.folded)):
                term, _, rest = c.text.partition(":")
                lang = query.language
                lines = [Statement(_frame(lang, "definition", term=term.strip()), rest.strip(), (c,))]
                applied = self._applied(fold(term.strip()), hits)
                context = [h.chunk for h in hits[:3] if h.chunk is not c][:2]
                if applied is not None:
                    chunk, sentence = applied
                    lines.append(Statement(_frame(lang, "in_this_deal", label=chunk.label), sentence, (chunk,)))
                    context = [h.chunk for h in hits[:3] if h.chunk not in (c, chunk)][:1]
                listed = self._listed(lang, c)
                lines += listed
                return self._draft(lang, lines, [] if listed else context)
        return None

    def _listed(self, lang: Language, definition: Chunk) -> list[Statement]:
        """The members a part outside the articles lists under a defined term's name (the part 'Partners' for the
        term 'Partner'), each quoted from its own entry, when it lists at least two; else nothing."""
        if definition.kind != ChunkKind.DEFINITION:
            return []
        stems = set(tokens(fold(definition.location.item or "")))
        members = [c for c in self.corpus.covenant() if c.location.article is None and c.location.item
                   and c.kind != ChunkKind.DEFINITION and set(tokens(c.location.part)) == stems]
        if len(members) < 2:
            return []
        head = Statement(phrase(lang, "counted", label=members[0].location.part, count=len(members)),
                         sources=(members[0],))
        return [head, *(Statement(quote=m.text, sources=(m,), item=True) for m in members[:MAX_SOURCES])]

    def _applied(self, term: str, hits: list[Hit]) -> tuple[Chunk, str] | None:
        """Where the deal itself applies a defined term: the article named after it, else the best retrieved
        clause of an article that uses it; with the sentence that does."""
        body = [c for c in self.corpus.covenant()
                if c.location.article and c.kind in (ChunkKind.CLAUSE, ChunkKind.INTRO, ChunkKind.BULLET)]
        named = [c for c in body if term in fold(c.location.article_title or "")]
        used = [h.chunk for h in hits[:8] if h.chunk in body and term in fold(h.chunk.text)]
        for chunk in named + used:
            sentence = next((s for s in split_sentences(chunk.text) if term in fold(s)), None)
            if sentence:
                return chunk, sentence
        return None

    def _where(self, query: Query, hits: list[Hit]) -> Draft | None:
        if "where" not in query.intents and not query.footnote:
            return None
        # a footnote scores by its own rank, and more when a top clause carries its mark
        by_number = {c.location.item: c for c in self.corpus.chunks if c.kind == ChunkKind.FOOTNOTE}
        clause_marks = [str(n) for h in hits[:2] if h.chunk.kind != ChunkKind.FOOTNOTE for n in h.chunk.footnotes]
        scored: dict[str, float] = {}
        for h in hits[:8]:
            if h.chunk.kind == ChunkKind.FOOTNOTE:
                scored[h.chunk.location.item or ""] = h.score
        for n in clause_marks:
            scored[n] = scored.get(n, hits[0].score * 0.8) + 0.5
        ranked = sorted(scored.items(), key=lambda kv: -kv[1])
        notes = ([by_number[query.footnote]] if query.footnote in by_number  # named by its number: that one
                 else [by_number[n] for n, score in ranked if n in by_number and score >= ranked[0][1] * 0.9][:2])
        if not notes:
            return None
        lang = query.language
        lines = []
        for note in notes[:2]:
            lines.append(Statement(_frame(lang, "footnote", number=note.location.item), note.text, (note,)))
            if note.links:
                # a link read from the page's annotations, not its words, is shown without the footnote's marker
                marked = all(link in note.text for link in note.links)
                lines.append(Statement(phrase(lang, "links", links=" ".join(note.links)),
                                       sources=(note,) if marked else ()))
            citing = [c for c in self.corpus.chunks if int(note.location.item or 0) in c.footnotes]
            if citing:
                lines.append(Statement(phrase(lang, "cited_by", label=citing[0].label), sources=(citing[0],)))
        return self._draft(lang, lines)

    def _amount(self, query: Query, hits: list[Hit]) -> Draft | None:
        asks = query.asks
        if "amount" not in query.intents or not (asks.quantity or query.line_money) or (
                hits and hits[0].chunk.location.part == "Document") or (
                asks.counted_unit and not asks.money) or not (asks.money or asks.paid):
            return None  # "met hoeveel opzegtermijn": a count or a period, not an amount
        lang = query.language
        table = next((c for c in self.corpus.chunks if c.kind == ChunkKind.TABLE and len(c.table) > 2), None)
        with_amounts = [h.chunk for h in hits[:5]
                        if h.chunk.values(HeldKind.AMOUNT) and h.chunk.kind != ChunkKind.TABLE]
        lines: list[Statement] = []
        if table is not None and (any(h.chunk is table for h in hits[:6]) or not with_amounts):
            header, rows = table.table[0], table.table[1:]
            wanted = named_rows(query, rows, self.corpus.chunks) or [rows[-1]]
            said = "; ".join(phrase(lang, "amount_row", row=row[0], cells=", ".join(
                f"{h.rstrip('1)').strip().lower()} {v}" for h, v in zip(header[1:], row[1:], strict=False)))
                for row in wanted)
            lines.append(Statement(said, rows=(header, *wanted), sources=(table,)))
        for chunk in with_amounts[:2]:
            lines += self._quoted(lang, query, chunk, 1, prefer=HeldKind.AMOUNT)
        if not lines:
            return None
        return self._draft(lang, lines)

    def _who(self, query: Query, hits: list[Hit]) -> Draft | None:
        if "who" not in query.intents:
            return None
        lang = query.language
        routed = sorted((h.chunk for h in hits if h.routed and h.chunk.kind in (ChunkKind.CLAUSE, ChunkKind.BULLET)),
                        key=lambda c: self.corpus.position[c.id])
        if len(routed) >= 2 and (routed[0].location.thema_name or not query.article):  # who acts in a theme
            scope = routed[0].location
            groups: dict[str, list[Chunk]] = {}
            for chunk in sorted(routed, key=lambda c: self.corpus.position[c.id]):
                actor = subject_of(chunk)
                groups.setdefault(actor.key if actor else "?", []).append(chunk)
            parts = []
            for key, chunks in groups.items():
                if key == "?":
                    continue
                clauses = ", ".join(f"onder {c.location.letter}" if c.location.letter else c.label for c in chunks)
                parts.append(phrase(lang, "per_actor", who=display_name(BY_KEY[key]), clauses=clauses))
            if parts:
                where = f"Thema {scope.thema} {scope.thema_name}" if scope.thema_name else scope.label
                lead = phrase(lang, "responsible_many", scope=where) + " " + _join(parts, lang) + "."
                return self._draft(lang, [Statement(lead, sources=tuple(routed[:MAX_LINES]))])
        # the best hit, or else the better of the next two clauses, that has a party or organisation as subject
        top, actor = next(((h.chunk, a) for i, h in enumerate(hits[:3]) if (i == 0 or h.chunk.kind in (
            ChunkKind.CLAUSE, ChunkKind.BULLET)) and (a := subject_of(h.chunk)) is not None), (None, None))
        if top is None or actor is None:
            return None
        lines = self._quoted(lang, query, top, 1, frame=_frame(lang, "responsible", who=display_name(actor)))
        rest = [h.chunk for h in hits[:3] if h.chunk is not top][:2]
        return self._draft(lang, lines, rest)

    def _what(self, query: Query, hits: list[Hit]) -> Draft:
        lang = query.language
        top = hits[0].chunk
        prefer = HeldKind.DATE if "when" in query.intents else _NUMBER if query.asks.count_cue else None
        if top.location.part == "Document":
            return self._from_document(query, hits, prefer)
        according = phrase(lang, "according", label=top.label)
        lines = self._quoted(lang, query, top, 2, prefer=prefer, frame=according)
        if prefer is _NUMBER and (fragment := self._fragment(query, " ".join(s.quote for s in lines))):
            lines = [Statement(according, fragment, (top,), cut=True)]
        if listed := self._listed(lang, top):  # a defined group, and the members its part lists
            return self._draft(lang, lines + listed, [])
        if len(hits) > 1 and hits[1].score >= hits[0].score * 0.9 and hits[1].chunk.kind != ChunkKind.FOOTNOTE:
            second = hits[1].chunk
            lines += self._quoted(lang, query, second, 1, prefer=prefer,
                                  frame=phrase(lang, "according", label=second.label))
        cited = [c for s in lines for c in s.sources]
        context = [h.chunk for h in hits[1:4] if h.chunk not in cited and h.chunk.kind != ChunkKind.FOOTNOTE][:2]
        return self._draft(lang, lines, context)

    # --- helpers --------------------------------------------------------------------------------------------

    def _quoted(self, lang: Language, query: Query, chunk: Chunk, n: int, prefer: Prefer = None,
                frame: str = "") -> list[Statement]:
        """The clause's `n` best sentences, quoted: one statement per run of adjacent sentences, the first with
        the frame; when the quote ends in a colon, the items it opens follow, each quoted from its own clause."""
        if chunk.kind == ChunkKind.TABLE and chunk.table:
            return [Statement(frame, rows=chunk.table, sources=(chunk,))]
        sentences = split_sentences(chunk.text)
        chosen = self._best_sentences(query, chunk, n, prefer)
        runs: list[list[int]] = []
        for i in chosen:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        lines = []
        for k, run in enumerate(runs):
            quote = chunk.text if len(sentences) <= n else " ".join(sentences[i] for i in run)
            if quote not in chunk.text:  # a sentence split over odd spacing: quote the sentences one by one
                lines += [Statement(frame if k == 0 and j == 0 else "", sentences[i], (chunk,))
                          for j, i in enumerate(run)]
            else:
                lines.append(Statement(frame if k == 0 else "", quote, (chunk,)))
        if lines and lines[-1].quote.rstrip().endswith(":"):
            lines += [Statement(quote=c.text, sources=(c,), item=True) for c in self.corpus.children(chunk)]
        return lines

    def _best_sentences(self, query: Query, chunk: Chunk, n: int, prefer: Prefer = None) -> list[int]:
        """The indices, in order, of the clause's `n` sentences that hold most of the question's rarer words
        (and a value of the `prefer` kind that ingest found, or a `prefer` match); the first sentence when it
        holds nearly as much."""
        sentences = split_sentences(chunk.text)
        if len(sentences) <= n:
            return list(range(len(sentences)))
        wanted = set(query.lexical_terms)
        idf = self.corpus.lexical.idf
        preferred = (holding(chunk, prefer) if isinstance(prefer, HeldKind) else
                     [prefer is not None and bool(prefer.search(s)) for s in sentences])

        def score(i: int) -> float:
            got = set(tokens(sentences[i]))
            return sum(idf.get(t, 0.0) for t in wanted & got) + (2.0 if preferred[i] else 0.0)

        ranked = sorted(range(len(sentences)), key=lambda i: (-score(i), i))[:n]
        if n == 1 and ranked[0] != 0 and score(0) >= score(ranked[0]) * 0.8:
            ranked = [0]
        return sorted(ranked)

    def _fragment(self, query: Query, text: str) -> str | None:
        """For 'how many inhabitants has Heerlen Noord': the part of a long enumeration that holds the named
        place and a number, e.g. 'Heerlen Noord (ca. 56.000 inwoners)'."""
        if len(text) < 200:
            return None
        names = _question_names(query) - self.corpus.title_words
        if not names:
            return None
        for part in re.split(r",\s+|;\s+|(?<!\s)\s++(?:en|én)\s+", text):
            folded = set(re.findall(r"[a-z0-9]+", fold(part)))
            if names <= folded and _NUMBER.search(part):
                return part.strip(" .;:")
        return None

    def _from_document(self, query: Query, hits: list[Hit], prefer: Prefer) -> Draft:
        """A referenced document answers: say so, and set the covenant's own words beside it when it speaks."""
        lang = query.language
        top = hits[0].chunk
        lines = self._quoted(lang, query, top, 2, prefer=prefer, frame=phrase(
            lang, "document_says", document=top.location.document, page=top.location.page or "?"))
        deal = next((h for h in hits[1:6] if h.chunk.location.part != "Document" and h.chunk.kind != ChunkKind.FOOTNOTE
                     and h.score >= hits[0].score * 0.6), None)
        if deal is not None:
            lines += self._quoted(lang, query, deal.chunk, 1, prefer=prefer,
                                  frame=phrase(lang, "deal_says", label=deal.chunk.label))
        return self._draft(lang, lines)

    def _article_title(self, number: str) -> str:
        return next((c.location.article_title or "" for c in self.corpus.chunks if c.location.article == number), "")

    def _draft(self, lang: Language, lines: list[Statement] | str, context: Sequence[Chunk] = ()) -> Draft:
        """A draft of statements, or of one line of the answerer's own words resting on `context`."""
        if isinstance(lines, str):
            lines, context = [Statement(lines, sources=tuple(context[:MAX_LINES]))], []
        return draft(lang, lines, context, items=self.corpus.children)


def _frame(lang: Language, key: str, **values: object) -> str:
    """A phrase that introduces a quote, without the quote ('$who: $what' -> 'OCW:')."""
    return phrase(lang, key, **values, text="", what="").strip()


def _question_names(query: Query) -> set[str]:
    """The words of the names inside the question's sentences (not their first words), folded."""
    names = {fold(w) for name in query.names for w in re.findall(r"[^\W\d_]+", name) if w[0].isupper()}
    return {n for n in names if tokens(n)}


def subject_of(chunk: Chunk) -> Actor | None:
    """The actor that acts in a clause: the subject (register.subject) of its first sentence that has one, among
    the sentences that begin in its first words."""
    start = 0
    for sentence in split_sentences(chunk.text):
        if start >= _FIRST_WORDS:
            break
        if actors := subject(sentence)[0]:
            return BY_KEY[actors[0]]
        start += len(sentence) + 1
    return None


def _ordered(mapping: dict) -> dict:  # type: ignore[type-arg]
    return dict(sorted(mapping.items(), key=lambda kv: _sort_key(kv[0])))


def _sort_key(key: object) -> tuple:  # type: ignore[type-arg]
    if isinstance(key, tuple):
        return tuple(int(k) if isinstance(k, str) and k.isdigit() else 0 for k in key)
    return (int(key),) if isinstance(key, str) and key.isdigit() else (0,)


def _join(items: list[str], lang: Language) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {phrase(lang, 'and')} " + items[-1]
