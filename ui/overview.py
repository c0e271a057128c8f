"""The deal at a glance: parties and partners, the budget, the timeline, the focus areas and the outline of the
covenant, as one self-contained HTML page in the language of the UI. The covenant's own words stay Dutch."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from assistant.register import TERM, Register
from ingest.model import Chunk, ChunkKind
from ingest.structure import split_closing
from ui.gantt import Tr, cells, gantt_html, header, timeline, timeline_table
from ui.text import UiText

CSS = (Path(__file__).resolve().parent / "overview.css").read_text(encoding="utf-8")
_AREA = re.compile(r"\((ca\. )?([\d.]+) inwoners\)")
_AREA_LEAD = re.compile(r"^(?:[,\s]|én\b|en\b|te weten:|de (?:stedelijke|landelijke) \w+(?: en \w+)?\b)+", re.I)


def number(value: float, tr: Tr, decimals: int = 0) -> str:
    """A number with the language's separators: 12.500 (nl, de), 12,500 (en)."""
    plain = f"{value:,.{decimals}f}".replace(",", "\x00").replace(".", "\x01")
    return plain.replace("\x00", tr("thousands_sep")).replace("\x01", tr("decimal_sep"))


def amount(euros: int, tr: Tr, short: bool = False) -> str:
    """An amount in euros, in full (€ 4.500.000) or in millions (€ 4,5 mln), for the language."""
    if not short:
        return tr("amount", n=number(euros, tr))
    millions = euros / 1_000_000
    return tr("amount_mln", n=number(millions, tr, 0 if millions == int(millions) else 1))


def citing(tr: Tr, key: str, label: str, **values: object) -> str:
    """A translated sentence, escaped, that cites a clause by its (Dutch) label."""
    text = escape(tr(key, label="\x00", **values))
    return text.replace("\x00", f'<cite lang="nl">{escape(label)}</cite>')


def _section(key: str, title: str, body: str) -> str:
    return f'<section class="ov-section" id="ov-{key}"><h3>{escape(title)}</h3>{body}</section>'


def _parties(chunks: list[Chunk], tr: Tr) -> str:
    def entry(c: Chunk) -> str:
        m = re.fullmatch(r"partij (\d+)(?: \((.*)\))?", c.location.item or "")
        number, name = (m.group(1), m.group(2) or "") if m else ("", "")
        return (f'<li lang="nl"><span>{escape(number)}.</span><b>{escape(name)}</b>'
                f"<span>{escape(split_closing(c.text)[0])}</span></li>")

    parties = "".join(entry(c) for c in chunks if c.kind == ChunkKind.PARTY)
    partners = "".join(f'<li lang="nl">{escape(c.text)}</li>' for c in chunks if c.kind == ChunkKind.PARTNER)
    return (f'<div class="ov-cols"><div><h4>{escape(tr("h_signing"))}</h4><ul class="ov-parties">{parties}</ul>'
            f'</div><div><h4>{escape(tr("h_partners"))}</h4><ul class="ov-partners">{partners}</ul></div></div>')


def _euros(cell: str) -> int:
    digits = re.sub(r"\D", "", cell)
    return int(digits) if "€" in cell and digits else 0


def budget_rows(table: Chunk) -> list[tuple[str, int, int, int, bool]]:
    """The rows of Artikel 3's table with amounts: (name, rijksbijdrage, regional, total, a programme line?)."""
    return [(r[0], _euros(r[1]), _euros(r[2]), _euros(r[3]), bool(re.match(r"\d", r[0])))
            for r in table.table[1:] if len(r) >= 4 and _euros(r[1])]


def _budget_chart(rows: list[tuple[str, int, int, int, bool]], tr: Tr) -> str:
    lines = [r for r in rows if r[4]]
    top = max((v for r in lines for v in r[1:3]), default=0) or 1
    bars = "".join(
        f'<div class="b-line"><div class="b-name" lang="nl">{escape(name)}</div><div class="b-bars">'
        f'<div class="b-bar b-rijk" style="width:{100 * rijk / top:.1f}%">{escape(amount(rijk, tr, True))}</div>'
        f'<div class="b-bar b-regional" style="width:{100 * regional / top:.1f}%">{escape(amount(regional, tr, True))}'
        "</div></div></div>" for name, rijk, regional, _, _ in lines)
    legend = "".join(f'<li><i class="k-{k}"></i>{escape(tr(f"legend_{k}"))}</li>' for k in ("rijk", "regional"))
    return f'<div class="budget-chart">{bars}</div><ul class="g-legend">{legend}</ul>'


def _budget(chunks: list[Chunk], tr: Tr) -> str:
    table = next((c for c in chunks if c.kind == ChunkKind.TABLE and len(c.table) > 2), None)
    if table is None:
        return ""
    rows = budget_rows(table)
    heads = [tr(k) for k in ("col_line", "col_rijk", "col_regional", "col_total")]
    body = "".join("<tr>" + cells([
        (heads[0], (name, ' lang="nl"') if line else (tr("row_total"), "")),
        *((h, (amount(v, tr), ' class="num"')) for h, v in zip(heads[1:], values, strict=True))]) + "</tr>"
        for name, *values, line in rows)
    head = header(heads, numeric=heads[1:])
    note = " ".join(line for line in table.text.splitlines() if re.match(r"\d\)", line))
    foot = f'<p class="ov-note">{citing(tr, "budget_note", table.label)} <q lang="nl">{escape(note)}</q></p>' \
        if note else ""
    return (f'{_budget_chart(rows, tr)}<table class="ov-table cards budget"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>{foot}")


def focus_areas(text: str) -> list[tuple[str, str, bool, bool]]:
    """The focus areas the definition lists: (name, inhabitants as written, approximate?, urban?)."""
    out, start = [], text.find(":", text.find("Te weten")) + 1 if "Te weten" in text else 0
    for m in _AREA.finditer(text):
        name = _AREA_LEAD.sub("", text[start:m.start()]).strip()
        name = re.sub(r"(?<=\w)- (?=[A-Z])", "-", name)
        urban = text.rfind("landelijk", 0, m.start()) < text.rfind("stedelijk", 0, m.start())
        out.append((name, m.group(2), bool(m.group(1)), urban))
        start = m.end()
    return out


def _focus(chunks: list[Chunk], tr: Tr) -> str:
    chunk = next((c for c in chunks if c.kind == ChunkKind.DEFINITION and c.location.item == "Focusgebieden"), None)
    areas = focus_areas(chunk.text) if chunk else []
    if not chunk or not areas:
        return ""
    people = [int(n.replace(".", "")) for _, n, _, _ in areas]
    heads = [tr(k) for k in ("col_area", "col_kind", "col_inhabitants")]
    head = header(heads, numeric=heads[2:])
    body = ""
    for (name, _, approx, urban), n in zip(areas, people, strict=True):
        shown = f"{tr('approx')} {number(n, tr)}" if approx else number(n, tr)
        body += (f'<tr><td lang="nl">{escape(name)}</td><td>{escape(tr("kind_urban" if urban else "kind_rural"))}'
                 f'</td><td class="num">{escape(shown)}<span class="f-bar" style="width:{100 * n / max(people):.0f}%">'
                 "</span></td></tr>")
    note = citing(tr, "focus_note", chunk.label, count=len(areas), total=number(sum(people), tr))
    return (f'<p class="ov-note">{note}</p><table class="ov-table focus">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


@dataclass
class Part:
    """A part of the covenant's outline: its title, its own chunks and the parts under it."""

    title: str
    chunks: list[Chunk] = field(default_factory=list)
    parts: dict[str, Part] = field(default_factory=dict)

    def all_chunks(self) -> list[Chunk]:
        return [*self.chunks, *(c for p in self.parts.values() for c in p.all_chunks())]


def outline(chunks: list[Chunk]) -> dict[str, Part]:
    """The covenant as parts before the articles, articles, programmalijnen and themes, in document order."""
    top: dict[str, Part] = {}
    for c in chunks:
        loc = c.location
        node = top.setdefault(f"A{loc.article}" if loc.article else loc.part,
                              Part(f"Artikel {loc.article} – {loc.article_title}" if loc.article else loc.part))
        if loc.programmalijn:
            node = node.parts.setdefault(loc.programmalijn, Part(
                f"Programmalijn {loc.programmalijn}: {loc.programmalijn_title}"))
        if loc.thema_name:
            node = node.parts.setdefault(loc.thema_name, Part(f"Thema {loc.thema or ''} {loc.thema_name}"))
        node.chunks.append(c)
    return top


def _pages(chunks: list[Chunk], tr: Tr) -> str:
    pages = [p for c in chunks for p in (c.location.page, c.location.page_end) if p]
    if not pages:
        return ""
    first, last = min(pages), max(pages)
    return tr("page", n=first) if first == last else tr("pages", a=first, b=last)


def _clause(c: Chunk, tr: Tr) -> str:
    texts = [escape(c.text)]
    if c.table:
        texts = ["<table>" + "".join("<tr>" + "".join(f"<td>{escape(x)}</td>" for x in row) + "</tr>"
                                     for row in c.table) + "</table>"]
    if c.kind == ChunkKind.PARTY and c.context:  # the closing sentence after the last party (ingest/structure.py)
        texts.append(escape(c.context))
    body = "".join(f'<div class="o-text" lang="nl">{text}</div>' for text in texts)
    return (f'<div class="o-clause"><div class="o-lbl"><span lang="nl">{escape(c.label)}</span> · '
            f"{escape(_pages([c], tr))}</div>{body}</div>")


def _part_html(part: Part, tr: Tr) -> str:
    inner = "".join(_clause(c, tr) for c in part.chunks)
    if part.parts:
        inner += '<ul class="o-list">' + "".join(f"<li>{_part_html(p, tr)}</li>" for p in part.parts.values()) \
            + "</ul>"
    return (f'<details><summary><span lang="nl">{escape(part.title)}</span> <small>'
            f"{escape(_pages(part.all_chunks(), tr))}</small></summary>{inner}</details>")


def _outline(chunks: list[Chunk], tr: Tr) -> str:
    items = "".join(f"<li>{_part_html(p, tr)}</li>" for p in outline(chunks).values())
    return f'<p class="ov-note">{escape(tr("outline_note"))}</p><ul class="o-list o-top">{items}</ul>'


def _timeline(register: Register, tr: Tr) -> str:
    rows = timeline(register.deadlines)
    note = tr("timeline_note", start=TERM[0], end=TERM[-1])
    return f'<p class="ov-note">{escape(note)}</p>{gantt_html(rows, tr)}{timeline_table(rows, tr)}'


def overview_html(chunks: list[Chunk], register: Register, t: UiText) -> str:
    """The whole tab as one HTML string in the language of `t`: parties and partners, the budget, the timeline
    of the term, the focus areas and the outline, each from the parsed covenant and its register."""
    tr = t.within("overview")
    sections = [
        _section("parties", tr("h_parties"), _parties(chunks, tr)),
        _section("budget", tr("h_budget"), _budget(chunks, tr)),
        _section("timeline", tr("h_timeline", start=TERM[0], end=TERM[-1]), _timeline(register, tr)),
        _section("focus", tr("h_focus"), _focus(chunks, tr)),
        _section("outline", tr("h_outline"), _outline(chunks, tr)),
    ]
    return (f'<div class="overview" lang="{escape(t.language)}"><style>{CSS}</style>'
            f'<p class="ov-intro">{escape(tr("intro"))}</p>{"".join(sections)}</div>')
