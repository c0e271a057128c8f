"""The deal at a glance (ui/overview.py, ui/gantt.py) on the real covenant, in Dutch, English and German: the
faults users reported stay fixed, the page speaks the UI's language and the covenant's text is escaped."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from assistant.prompts import render
from assistant.register import TERM, Deadline, Register, RegisterBuilder
from ingest.model import Chunk, ChunkKind, Location
from ingest.text import short
from ui.gantt import when_text
from ui.overview import overview_html
from ui.text import LANG_DIR, UiText

LANGS = ("nl", "en", "de")
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}


@dataclass
class Node:
    """An element of the rendered page, enough to query it."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self, skip_dutch: bool = False) -> str:
        if skip_dutch and self.attrs.get("lang") == "nl":
            return " "
        return "".join(c if isinstance(c, str) else c.text(skip_dutch) for c in self.children)

    def find(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        out = []
        for c in self.children:
            if isinstance(c, Node):
                if (tag is None or c.tag == tag) and (cls is None or cls in c.attrs.get("class", "").split()):
                    out.append(c)
                out += c.find(tag, cls)
        return out

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.find(tag, cls)
        assert found, (tag, cls)
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack = [Node("root", {})]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, (self.stack[-1].tag, tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack[-1].tag != "style":
            self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    assert len(builder.stack) == 1, "unclosed elements"
    return builder.stack[0]


@pytest.fixture(scope="module")
def register(covenant_chunks) -> Register:
    return RegisterBuilder().build(covenant_chunks)


@pytest.fixture(scope="module")
def pages(covenant_chunks, register) -> dict[str, str]:
    return {lang: overview_html(covenant_chunks, register, UiText(lang)) for lang in LANGS}


@pytest.fixture(scope="module")
def trees(pages) -> dict[str, Node]:
    return {lang: parse(html) for lang, html in pages.items()}


def texts(lang: str) -> dict[str, str]:
    return tomllib.loads((LANG_DIR / f"{lang}.toml").read_text(encoding="utf-8"))["overview"]


def section(tree: Node, key: str) -> Node:
    return next(s for s in tree.find("section") if s.attrs["id"] == f"ov-{key}")


# 1. parties and partners


def test_the_parser_keeps_the_closing_sentence_out_of_the_last_party(covenant_chunks):
    parties = [c for c in covenant_chunks if c.kind == ChunkKind.PARTY]
    assert len(parties) == 10 and not any("genoemd onder" in c.text for c in parties)
    assert parties[-1].text.endswith("de heer R. Wever en de heer R. de Boer")
    assert parties[-1].context.startswith("Partij genoemd onder 10") and "de Regio" in parties[-1].context
    assert "hierna te noemen: de Regio" in parties[-1].embed_text  # still found by what it is called


@pytest.mark.parametrize("lang", LANGS)
def test_one_entry_per_party_and_partner(trees, lang):
    parties = section(trees[lang], "parties")
    entries = [li.text() for li in parties.one("ul", "ov-parties").find("li")]
    assert len(entries) == 10 and not any("Partij genoemd onder" in e or "Partijen genoemd" in e for e in entries)
    assert entries[0].startswith("1.VRO") and entries[-1].startswith("10.de Regio")
    assert entries[-1].endswith("R. de Boer")
    assert len(parties.one("ul", "ov-partners").find("li")) == 4


def test_a_stale_party_entry_is_cut_at_display_time(register):
    loc = Location(document="x", part="Partijen", item="partij 2 (de Regio)")
    stale = Chunk.create(ChunkKind.PARTY, "Het bestuur, namens deze: de heer X Partij genoemd onder 2 handelend als "
                         "bestuursorgaan en hierna te noemen: de Regio;", loc)
    entry = parse(overview_html([stale], register, UiText("nl"))).one("ul", "ov-parties").text()
    assert entry.endswith("de heer X") and "genoemd" not in entry


# 2. the budget


@pytest.mark.parametrize("lang,full,short", [("nl", "€ 9.000.000", "€ 9 mln"), ("en", "€9,000,000", "€9 mln"),
                                             ("de", "€ 9.000.000", "€ 9 Mio.")])
def test_the_budget_in_the_language(trees, lang, full, short):
    budget = section(trees[lang], "budget")
    assert budget.one("h3").text() == texts(lang)["h_budget"]
    rows = [[td.text() for td in tr.find("td")] for tr in budget.one("table").find("tr")[1:]]
    assert rows[2] == ["3. Achterstanden", full, full, full.replace("9", "18")]
    assert rows[-1][0] == texts(lang)["row_total"] and len(rows) == 4
    assert [b.text() for b in budget.find(cls="b-bar")][-2:] == [short, short]
    assert [th.text() for th in budget.find("th")][1] == texts(lang)["col_rijk"]


# 3. the timeline


def _timeline_rows(tree: Node) -> list[list[Node]]:
    return [tr.find("td") for tr in section(tree, "timeline").one("table").find("tr")[1:]]


@pytest.mark.parametrize("lang", LANGS)
def test_shortened_text_ends_at_a_word_with_an_ellipsis(trees, register, lang):
    sentences = {d.what for d in register.deadlines}
    timeline = section(trees[lang], "timeline")
    shown = [row[2].text() for row in _timeline_rows(trees[lang])] + [s.text() for s in timeline.find(cls="what")]
    assert shown
    for text in shown:
        if text in sentences:
            continue
        assert text.endswith("…"), text
        prefix = text[:-1]
        full = next(s for s in sentences if s.startswith(prefix))
        assert not full[len(prefix)].isalnum(), (prefix, full)


def test_shorten_cuts_at_a_word_boundary():
    text = "De Regio zoekt private samenwerking met partners"
    assert short(text, 22, "…") == "De Regio zoekt private…"
    assert short(text, 25, "…") == "De Regio zoekt private…"
    assert short(text, 200, "…") == text


@pytest.mark.parametrize("lang", LANGS)
def test_one_row_per_sentence_with_all_its_dates(trees, lang):
    rows = _timeline_rows(trees[lang])
    keys = [(row[2].attrs["title"], row[4].text()) for row in rows]
    assert len(keys) == len(set(keys))
    report = next(row for row in rows if row[4].text() == "Artikel 6 lid 3")
    june, july = (when_text(w, UiText(lang).within("overview")) for w in ("15 juni", "15 juli"))
    assert june in report[1].text() and july in report[1].text()
    assert len(section(trees[lang], "timeline").find(cls="g-row")) == len(rows) + 2  # the axis and the term


@pytest.mark.parametrize("lang", LANGS)
def test_only_the_term_is_shown_and_the_heading_says_so(trees, register, lang):
    timeline = section(trees[lang], "timeline")
    assert timeline.one("h3").text() == render(texts(lang)["h_timeline"], start=2026, end=2030)
    assert lang != "nl" or timeline.one("h3").text() == "Tijdlijn 2026–2030"
    years = {int(y) for y in re.findall(r"\b(20\d\d)\b", timeline.text(skip_dutch=True))}
    assert years and years <= set(TERM)
    rows = _timeline_rows(trees[lang])
    outside = {d.what for d in register.deadlines if d.years and not set(d.years) & set(TERM)}
    assert outside and not outside & {row[2].attrs["title"] for row in rows}
    ongoing = [row for row in rows if row[0].text() == texts(lang)["ongoing"]]
    assert len(ongoing) == 3 and rows[-3:] == ongoing
    for bar in timeline.find(cls="g-bar") + timeline.find(cls="g-mark"):
        left = re.search(r"left:([\d.]+)", bar.attrs["style"])
        assert left and 0 <= float(left.group(1)) <= 100


@pytest.mark.parametrize("lang", LANGS)
def test_every_gantt_mark_has_an_owner_label(trees, lang):
    rows = section(trees[lang], "timeline").find(cls="g-row")[2:]
    assert len(rows) >= 10
    for row in rows:
        who = row.one(cls="who").text().strip()
        marks = row.find(cls="g-mark") + row.find(cls="g-bar")
        assert who and marks
        assert all(m.attrs["title"].startswith(who) for m in marks), who
    assert any(r.one(cls="who").text() == texts(lang)["who_all"] for r in rows)


@pytest.mark.parametrize("lang,expected", [("nl", "15 juni 2027"), ("en", "15 June 2027"), ("de", "15. Juni 2027")])
def test_dates_are_written_in_the_language(lang, expected):
    tr = UiText(lang).within("overview")
    assert when_text("15 juni 2027", tr) == expected
    assert when_text("voorjaar van 2026", tr) == render(texts(lang)["season_voorjaar"], year=2026)
    assert when_text("binnen 6 weken", tr) == render(texts(lang)["within"], n=6, unit=texts(lang)["unit_weken"])


# 4. the focus areas


@pytest.mark.parametrize("lang,number", [("nl", "12.500"), ("en", "12,500"), ("de", "12.500")])
def test_inhabitants_are_written_for_the_language(trees, pages, lang, number):
    rows = [[td.text() for td in tr.find("td")] for tr in section(trees[lang], "focus").find("tr")[1:]]
    assert len(rows) == 8
    assert rows[0][0] == "Brunssum Noord/Oost" and rows[0][2] == f"{texts(lang)['approx']} {number}"
    nuth = next(r for r in rows if r[0] == "Nuth")
    assert nuth[2] == ("6,500" if lang == "en" else "6.500")  # the covenant writes no "ca." here
    assert "12500" not in pages[lang] and "56000" not in pages[lang]


# 5. the outline


@pytest.mark.parametrize("lang", LANGS)
def test_the_outline_is_nested_and_closed_with_the_whole_text(trees, covenant_chunks, lang):
    outline = section(trees[lang], "outline")
    details = outline.find("details")
    assert details and not any("open" in d.attrs for d in details)
    first = next(d for d in details if d.one("summary").text().startswith("Artikel 1 – Doelen"))
    assert "Artikel 1 lid 1" in first.text() and "Versterken van de leefbaarheid" in first.text()
    article2 = next(d for d in details if d.one("summary").text().startswith("Artikel 2 – Afspraken"))
    lines = [d for d in article2.find("details") if d.one("summary").text().startswith("Programmalijn")]
    themes = [d for d in lines[0].find("details") if d.one("summary").text().startswith("Thema")]
    assert len(lines) == 3 and len(themes) == 7
    body = [c for c in covenant_chunks if c.location.article]
    assert all(c.label in outline.text() for c in body)


# the language of the page


def test_the_three_text_files_have_the_same_keys_and_placeholders():
    tables = {lang: texts(lang) for lang in LANGS}
    assert tables["nl"].keys() == tables["en"].keys() == tables["de"].keys()
    for key in tables["nl"]:
        names = [set(re.findall(r"\$(\w+)", tables[lang][key])) for lang in LANGS]
        assert names[0] == names[1] == names[2], key
        assert all(tables[lang][key].strip() for lang in LANGS)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_no_dutch_heading_is_left(trees, lang):
    nl, own = texts("nl"), texts(lang)
    shown = trees[lang].text(skip_dutch=True)
    headings = [k for k in nl if k.startswith(("h_", "col_", "legend_", "row_", "term_", "kind_", "who_"))
                or k in ("intro", "ongoing", "yearly", "timeline_note", "outline_note", "budget_note")]
    for key in headings:
        dutch = render(nl[key], start=2026, end=2030, label="", count=8, total="")
        if dutch != render(own[key], start=2026, end=2030, label="", count=8, total=""):
            assert dutch not in shown, key
    assert [h.text() for h in trees[lang].find("h3")][:2] == [own["h_parties"], own["h_budget"]]
    assert not re.search(r"\b(Wanneer|Bepaling|Inwoners|doorlopend|jaarlijks|blz\.)", shown)


# escaping


def test_hostile_text_is_escaped():
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    loc = Location(document="x", part="Artikelen", article="1", article_title=f"Doelen {attack}", page=1)
    chunks = [
        Chunk.create(ChunkKind.PARTY, f"De Minister {attack}, hierna te noemen: VRO;",
                     Location(document="x", part="Partijen", item="partij 1 (VRO)")),
        Chunk.create(ChunkKind.PARTNER, attack, Location(document="x", part="Partners", item=attack)),
        Chunk.create(ChunkKind.DEFINITION, f"Focusgebieden: Te weten: {attack} (ca. 1.000 inwoners)",
                     Location(document="x", part="Begripsbepaling", item="Focusgebieden")),
        Chunk.create(ChunkKind.TABLE, attack, Location(document="x", part="Artikelen", article="3", item="tabel"),
                     table=(("a", "b", "c", "d"), (f"1. {attack}", "€ 1", "€ 2", "€ 3"))),
        Chunk.create(ChunkKind.CLAUSE, f"In 2027 doet de Regio {attack}.", loc),
    ]
    register = Register((), (), (Deadline("2027", (2027,), "year", attack, ("Regio",), loc),))
    for lang in LANGS:
        html = overview_html(chunks, register, UiText(lang))
        assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html
        parse(html)  # well formed: nothing the text carried opened or closed an element


def test_the_page_from_the_index_is_the_page_from_the_parse(assistant, covenant_chunks, pages):
    _, corpus, _, answerer = assistant.state()
    from_index = overview_html(corpus.covenant(), answerer.register, UiText("en"))
    assert from_index == pages["en"]  # the party's closing sentence and the document order survive the index


# issue 24: "tot en met 2028" is a span, and every row's details open by tap or click

def test_until_a_year_is_a_period_drawn_like_a_range_that_starts_before_the_term():
    from assistant.register import deadlines
    from ui.gantt import timeline

    loc = Location("Testconvenant", "Artikelen", article="2", lid="1", letter="a", page=4)
    text = "De Regio zet de inzet van het Wijkloket voort tot en met 2029. De GGD doet mee t/m 2027."
    chunk = Chunk(Chunk.make_id(loc, ChunkKind.CLAUSE, text), ChunkKind.CLAUSE, text, text, loc)
    found = {d.when: d for d in deadlines([chunk])}
    assert found["tot en met 2029"].years == (2026, 2027, 2028, 2029) and found["tot en met 2029"].kind == "period"
    assert found["t/m 2027"].years == (2026, 2027) and "2029" not in found and "2027" not in found
    rows = {r.whens[0]: r for r in timeline(found.values())}
    assert rows["tot en met 2029"].spans == [(TERM[0] - 1, 2030)]
    tr = UiText("en").within("overview")
    assert when_text("tot en met 2029", tr) == when_text("2024 – 2029", tr) == "until 2029"


@pytest.mark.parametrize("lang", LANGS)
def test_the_voorzieningenwijzer_is_drawn_until_2028_like_other_rows_with_that_wording(trees, lang):
    rows = section(trees[lang], "timeline").find(cls="g-item")
    wijzer = next(r for r in rows if "VoorzieningenWijzer" in r.one(cls="g-detail").text())
    until = render(texts(lang)["until"], year=2028)
    assert wijzer.one(cls="when").text() == until
    bar = wijzer.one(cls="g-bar")
    assert "g-before" in bar.attrs["class"] and "left:0.00%" in bar.attrs["style"]
    assert "60.00%" in bar.attrs["style"]  # to the end of 2028: three of the term's five years
    other = next(r for r in rows if "Prestatieafspraken" in r.one(cls="g-detail").text())
    assert other.one(cls="when").text() == until and other.one(cls="g-bar").attrs["style"] == bar.attrs["style"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_timeline_row_opens_to_its_whole_sentence_and_clause(trees, register, lang):
    rows = section(trees[lang], "timeline").find(cls="g-row")[2:]
    sentences = {d.what for d in register.deadlines}
    assert rows and all(r.tag == "details" and r.find("summary") for r in rows)
    for row in rows:
        detail = row.one(cls="g-detail")
        assert detail.one("q").text() in sentences and detail.one("cite").text().startswith("Artikel")
