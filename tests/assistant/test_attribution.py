"""One clause per label: over 320 helper-written questions (the project's own, every tenth, and the shared
conversations), every quoted span of an answer stands verbatim in the clause whose marker follows it, every
table excerpt is rows of its table with the header first, and markers run in order over shown sources only."""

from __future__ import annotations

import re

import pytest

from assistant.draft import Draft
from evals.dataset import load
from ingest.model import Chunk

_MARK = re.compile(r"\[(\d+)\]")


def _same_words(text: str) -> str:
    return " ".join(text.split())


def _questions() -> list[str]:
    items = load()
    return [item.question for item in items[::5]][:320]


# The fast tier checks every fourth of the 320 questions; the full tier all of them (corpus_wide).
EVERY = [pytest.param(4, id="every 4th"), pytest.param(1, id="all", marks=pytest.mark.corpus_wide)]


@pytest.fixture(scope="module", params=EVERY)
def answered(assistant, request) -> list[tuple[str, Draft]]:
    out = []
    for question in _questions()[::request.param]:
        answer = assistant.ask(question)
        assert answer.draft is not None
        out.append((question, answer.draft))
    return out


@pytest.mark.parametrize("answered", [pytest.param(1, id="all", marks=pytest.mark.corpus_wide)], indirect=True)
def test_the_property_is_checked_over_at_least_300_questions(answered):
    assert len(answered) >= 300
    assert sum(1 for _, d in answered for s in d.statements if s.quote) >= 300


def test_every_quote_stands_verbatim_in_its_one_clause(answered):
    wrong = []
    for question, draft in answered:
        for s in draft.statements:
            if s.quote:
                (source,) = s.sources
                if _same_words(s.quote) not in _same_words(source.text):
                    wrong.append((question, source.label, s.quote[:80]))
    assert wrong == []


def test_every_table_excerpt_is_its_tables_header_and_rows(answered):
    seen = 0
    for _, draft in answered:
        for s in draft.statements:
            if s.rows:
                (table,) = s.sources
                assert s.rows[0] == table.table[0] and set(s.rows[1:]) <= set(table.table[1:])
                seen += 1
    assert seen > 0


def test_markers_follow_their_statement_and_run_in_order_over_shown_sources(answered):
    for question, draft in answered:
        shown = len(draft.sources)
        numbers = [int(n) for line in draft.lead_lines() for n in _MARK.findall(line)]
        assert all(1 <= n <= shown for n in numbers), question
        first_seen = list(dict.fromkeys(numbers))
        assert first_seen == sorted(first_seen), question
        for s, line in zip(draft.statements, _statement_lines(draft), strict=True):
            if s.quote:
                (source,) = s.sources
                assert line.rstrip().endswith(f"[{draft.number(source)}]"), (question, line)


def _statement_lines(draft: Draft) -> list[str]:
    """The rendered line of each statement (a table excerpt's first line)."""
    lines = iter(draft.lead_lines())
    out = []
    for s in draft.statements:
        out.append(next(lines))
        for _ in range(len(s.rows) + 1 if s.rows else 0):
            next(lines)
    return out


def test_a_clause_that_opens_an_enumeration_keeps_its_items(assistant):
    answer = assistant.ask("Uit welke vertegenwoordigers bestaat het Rijk-Regio-overleg?")
    assert answer.draft is not None
    opening = [src for src in answer.draft.sources if src.chunk.text.rstrip().endswith(":")]
    assert opening and all(src.items for src in opening)
    assert all(isinstance(item, Chunk) and item.text for src in opening for item in src.items)
