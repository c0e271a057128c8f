"""Bad input, property-based: any text parses without losing words; any question gets an answer or a clear
error. Hostile files stay bounded in time and memory."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.model import Answer
from ingest.load import Loader
from ingest.model import Page
from ingest.pages import split_page_ends
from ingest.pipeline import parse_document
from ingest.structure import CovenantParser
from parkstad.errors import LoadError, QuestionError
from tests.helpers import COVENANT

WORD = re.compile(r"[^\W_]{2,}")


class Kept(set):
    """The words a parse keeps, plus all its text, so a word glued to a neighbour (a wrapped URL) counts."""

    blob = ""

    def __contains__(self, word: object) -> bool:
        return set.__contains__(self, word) or (isinstance(word, str) and word in self.blob)


def kept_words(chunks, links: dict[int, tuple[str, ...]] | None = None) -> Kept:
    """Every word a parse keeps: chunk texts, their locations (titles, items, headings), footnotes, links."""
    out = Kept()
    texts: list[str] = []
    for c in chunks:
        loc = c.location
        texts += [c.text, loc.part, loc.article_title or "", loc.programmalijn_title or "", loc.thema_name or "",
                  loc.item or "", loc.heading or "", c.label, " ".join(c.links),
                  " ".join(" ".join(r) for r in c.table)]
    texts += [u for urls in (links or {}).values() for u in urls]
    for text in texts:
        out.update(w.lower() for w in WORD.findall(text))
    out.blob = "\n".join(texts).lower()
    return out


STRUCTURE_WORDS = {"artikel", "thema", "programmalijn", "komen", "het", "volgende", "overeen"}


def lost_words(text: str, chunks, links) -> set[str]:
    """Words of the input found nowhere in the parse; a footnote mark glued to a word ("Waterschap2") counts
    as kept when the word is (the mark moves into the chunk's footnote references)."""
    words = {w.lower() for w in WORD.findall(text)}
    kept = kept_words(chunks, links)
    return {w for w in words if w not in kept and w not in STRUCTURE_WORDS
            and not w.isdigit() and len(w.rstrip("0123456789")) >= 2 and w.rstrip("0123456789") not in kept}


def test_the_real_covenant_loses_no_word():
    doc = Loader().load(COVENANT)
    parsed = CovenantParser("Regio Deal Parkstad Limburg III").parse(list(doc.pages))
    text = "\n".join(p.text for p in doc.pages)
    assert lost_words(text, parsed.chunks, parsed.links) == set()


COVENANT_LINES = COVENANT.read_text(encoding="utf-8").split("\n")


EDITS = st.lists(st.tuples(st.integers(0, len(COVENANT_LINES) - 1), st.sampled_from(["drop", "dup", "noise"]),
                           st.text(min_size=0, max_size=40)), max_size=25)


@pytest.mark.parametrize("examples", [8, pytest.param(40, marks=pytest.mark.corpus_wide)])
def test_a_mutated_covenant_parses_without_crashing_or_losing_words(examples):
    settings(max_examples=examples, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])(
        given(EDITS)(_parses_without_losing_words))()


def _parses_without_losing_words(edits) -> None:  # noqa: ANN001 - what EDITS draws
    lines = list(COVENANT_LINES)
    for index, action, noise in sorted(edits, reverse=True):
        if index >= len(lines):
            continue
        if action == "drop":
            del lines[index]
        elif action == "dup":
            lines.insert(index, lines[index])
        else:
            lines.insert(index, noise)
    text = "\n".join(lines)
    pages = [Page("x", i + 1, t) for i, t in enumerate(_pages(text))]
    parsed = CovenantParser("x").parse(pages)
    assert all(c.id and c.label for c in parsed.chunks)
    assert lost_words(text, parsed.chunks, parsed.links) == set()


def _pages(text: str) -> list[str]:
    from ingest.load import _split_on_page_starts

    return _split_on_page_starts(text)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.one_of(st.text(max_size=3000), st.binary(max_size=3000).map(lambda b: b.decode("utf-8", "replace"))))
def test_any_text_file_parses_without_losing_words(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("h") / "doc.txt"
    path.write_text(text, encoding="utf-8")
    try:
        doc = Loader().load(path)
    except LoadError as exc:
        assert exc.reason  # empty or whitespace-only: a clear reason
        return
    chunks = parse_document(doc)
    kept = kept_words(chunks)
    assert {w.lower() for w in WORD.findall(text) if w.lower() not in kept} == set()


def test_page_ends_on_random_text_do_not_crash():
    for text in ["1 x", "2 y\nhttps://a", " \n1 Zie\nhttps://x\n", "abc1\n\n1 note\nhttp://u"]:
        split_page_ends([(1, text)])


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_any_question_gets_an_answer_or_a_clear_error(assistant, question):
    try:
        answer = assistant.ask(question)
    except QuestionError as exc:
        assert str(exc)
        return
    assert isinstance(answer, Answer) and answer.answer
    assert answer.to_dict()["citations"] is not None


def test_pdf_bomb_with_thousands_of_pages_is_refused_quickly(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(3000):
        writer.add_blank_page(width=10, height=10)
    path = tmp_path / "bomb.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    started = time.perf_counter()
    with pytest.raises(LoadError, match="3,000 pages"):
        Loader().load(path)
    assert time.perf_counter() - started < 60  # bounded, not a timing benchmark


@pytest.mark.parametrize("name", ["huge.pdf", "huge.txt"])
def test_huge_files_are_refused_before_reading(tmp_path, name):
    path = tmp_path / name
    with open(path, "wb") as fh:
        fh.truncate(60_000_000)  # sparse: 60 MB on paper, nothing read
    with pytest.raises(LoadError, match="limit"):
        Loader().load(path)


def test_pdf_with_a_huge_page_text_is_refused(tmp_path):
    from tests.helpers import write_pdf

    path = write_pdf(tmp_path / "dense.pdf", [["x" * 200] * 80])
    with pytest.raises(LoadError, match="characters"):
        Loader(max_page_chars=5_000).load(path)
