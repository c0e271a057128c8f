"""The deal's timeline: the register's deadlines that fall within the term, one row per sentence of the covenant,
as a Gantt-style chart (years as columns, marks at their date, bars for years and periods) and as a table."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from html import escape

from assistant.register import TERM, Deadline
from ingest.text import short

Tr = Callable[..., str]  # tr("key", **values): the overview's text in one language

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
SEASONS = {"winter": 0.04, "voorjaar": 0.29, "zomer": 0.54, "najaar": 0.79}  # the middle of the season
START, END = TERM[0], TERM[-1] + 1
_DAY = re.compile(r"(\d{1,2}) (" + "|".join(MONTHS) + r")(?: (\d{4}))?", re.I)
_SEASON = re.compile(r"(" + "|".join(SEASONS) + r") van (\d{4})", re.I)
_RANGE = re.compile(r"(?:schooljaar )?(\d{4})\s*(?:-|–|en|tot en met|t/m)\s*(\d{4})")
_UNTIL = re.compile(r"(?:tot en met|t/m) (\d{4})", re.I)
_YEARLY = re.compile(r"(?:éé|ee)nmaal per jaar|ieder jaar|jaarlijks|per jaar", re.I)
_WITHIN = re.compile(r"(binnen|opzegtermijn van) (\d+) (dagen|weken|maanden)", re.I)


@dataclass
class Row:
    """One sentence of the covenant with everything it dates inside the term: marks at a date (as a fractional
    year), spans (from, to) and whether it recurs every year or runs without a date."""

    what: str
    label: str
    page: int | None
    owners: tuple[str, ...]
    whens: list[str] = field(default_factory=list)
    marks: list[float] = field(default_factory=list)
    spans: list[tuple[float, float]] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    yearly: bool = False
    ongoing: bool = False

    @property
    def start(self) -> float:
        return min([*self.marks, *(a for a, _ in self.spans)], default=START if self.yearly else END)


def timeline(deadlines: Iterable[Deadline]) -> list[Row]:
    """The deadlines that fall within the term (or have no date), one row per sentence, in the order they fall."""
    rows: dict[tuple[str, str], Row] = {}
    for d in deadlines:
        years = {y for y in d.years if y in TERM}
        if d.years and not years:
            continue
        row = rows.setdefault((d.label, d.what), Row(d.what, d.label, d.location.page, d.actors))
        if d.when not in row.whens:
            row.whens.append(d.when)
        row.years |= years
        _place(row, d, sorted(years))
    return sorted(rows.values(), key=lambda r: (r.ongoing and not r.years, r.start, r.label))


def _place(row: Row, d: Deadline, years: list[int]) -> None:
    day, season, span = _DAY.fullmatch(d.when), _SEASON.fullmatch(d.when), _RANGE.fullmatch(d.when)
    until = _UNTIL.fullmatch(d.when)
    if not years:
        row.ongoing = True
    elif day:
        month = MONTHS.index(day.group(2).lower()) + 1
        row.marks += [y + (date(y, month, int(day.group(1))).timetuple().tm_yday - 1) / 365 for y in years]
    elif season:
        row.marks += [y + SEASONS[season.group(1).lower()] for y in years]
    elif d.kind == "school year" and span:
        row.spans.append((max(START, int(span.group(1)) + 8 / 12), min(END, int(span.group(2)) + 7 / 12)))
    elif until:  # up to a year, from before the term or without a start: drawn like "2024 – 2028"
        row.spans.append((START - 1, int(until.group(1)) + 1))
    elif span or d.kind == "year":
        row.spans.append((int(span.group(1)) if span else years[0], years[-1] + 1))
    else:
        row.yearly = True


def when_text(when: str, tr: Tr) -> str:
    """A date, season, year, period or recurrence from the covenant, in the language of `tr`."""
    months = tr("months").split()
    if m := _DAY.fullmatch(when):
        values = {"day": int(m.group(1)), "month": months[MONTHS.index(m.group(2).lower())]}
        return tr("date", year=m.group(3), **values) if m.group(3) else tr("date_no_year", **values)
    if m := _SEASON.fullmatch(when):
        return tr(f"season_{m.group(1).lower()}", year=m.group(2))
    if m := _UNTIL.fullmatch(when):
        return tr("until", year=m.group(1))
    if m := _RANGE.fullmatch(when):
        a, b = int(m.group(1)), int(m.group(2))
        if when.startswith("schooljaar"):
            return tr("school_year", a=a, b=b)
        if a < START or b >= END:  # the part within the term: the timeline shows no year outside it
            return tr("until", year=b) if a < START else tr("since", year=a)
        return f"{a}–{b}"
    if _YEARLY.fullmatch(when):
        return tr("yearly")
    if when.lower() == "periodiek":
        return tr("periodic")
    if m := _WITHIN.fullmatch(when):
        key = "within" if m.group(1).lower() == "binnen" else "notice"
        return tr(key, n=m.group(2), unit=tr(f"unit_{m.group(3).lower()}"))
    return when


def owner_names(owners: tuple[str, ...], tr: Tr) -> str:
    """Who owes it, by short name; the covenant's collective 'Partijen' in the language of `tr`."""
    return ", ".join(tr("who_all") if o == "Partijen" else o for o in owners)


def _pct(x: float) -> str:
    return f"{100 * (min(max(x, START), END) - START) / (END - START):.2f}%"


def _hover(row: Row, tr: Tr) -> str:
    page = f", {tr('page', n=row.page)}" if row.page else ""
    whens = ", ".join(when_text(w, tr) for w in row.whens)
    return escape(f"{owner_names(row.owners, tr)} · {whens}: {row.what} ({row.label}{page})")


def _details(row: Row, tr: Tr) -> str:
    """What a tap or a click on a row opens: the whole sentence, its clause and page."""
    page = f", {escape(tr('page', n=row.page))}" if row.page else ""
    return (f'<div class="g-detail"><q lang="nl">{escape(row.what)}</q> '
            f'(<cite lang="nl">{escape(row.label)}</cite>{page})</div>')


def _track(row: Row, tr: Tr) -> str:
    title = _hover(row, tr)
    parts = [f'<span class="g-bar{" g-before" if a < START else ""}" style="left:{_pct(a)};width:calc({_pct(b)} - '
             f'{_pct(a)})" title="{title}"></span>' for a, b in row.spans]
    if row.yearly and not row.marks and not row.spans:
        first, last = min(row.years), max(row.years) + 1
        parts.append(f'<span class="g-bar g-yearly" style="left:{_pct(first)};width:calc({_pct(last)} - '
                     f'{_pct(first)})" title="{title}"></span>')
    if row.ongoing and not row.years:
        parts.append(f'<span class="g-bar g-ongoing" style="left:0;width:100%" title="{title}"></span>')
    parts += [f'<span class="g-mark" style="left:{_pct(x)}" title="{title}"></span>' for x in row.marks]
    return "".join(parts)


def _dutch(owners: tuple[str, ...]) -> str:
    return "" if "Partijen" in owners else ' lang="nl"'


def _gantt_row(row: Row, tr: Tr) -> str:
    owner = f'<b class="who"{_dutch(row.owners)}>{escape(owner_names(row.owners, tr))}</b>'
    whens = ", ".join(when_text(w, tr) for w in row.whens)
    return (f'<details class="g-row g-item"><summary><div class="g-lbl">{owner} <span class="when">'
            f'{escape(whens)}</span><span class="what" lang="nl">{escape(short(row.what, 90, "…"))}</span></div>'
            f'<div class="g-track">{_track(row, tr)}</div></summary>{_details(row, tr)}</details>')


def gantt_html(rows: list[Row], tr: Tr) -> str:
    """The chart: the years of the term as columns, the term as a bar, then one row per sentence."""
    axis = "".join(f"<span>{y}</span>" for y in TERM)
    term = escape(tr("term_span", start=TERM[0], end=TERM[-1]))
    legend = "".join(f'<li><i class="k-{k}"></i>{escape(tr(f"legend_{k}"))}</li>'
                     for k in ("date", "span", "yearly", "ongoing"))
    return (f'<div class="gantt"><div class="g-row g-axis"><div class="g-lbl"></div><div class="g-track">{axis}'
            f'</div></div><div class="g-row g-term"><div class="g-lbl"><b>{escape(tr("term_bar"))}</b> '
            f'<span class="when">{term}</span></div><div class="g-track"><span class="g-bar g-termbar" '
            f'style="left:0;width:100%" title="{term}"></span></div></div>'
            + "".join(_gantt_row(r, tr) for r in rows) + f'</div><ul class="g-legend">{legend}</ul>')


def _years(row: Row, tr: Tr) -> str:
    if not row.years:
        return tr("ongoing")
    first, last = min(row.years), max(row.years)
    return str(first) if first == last else f"{first}–{last}"


def cells(row: list[tuple[str, tuple[str, str]]]) -> str:
    """Table cells (column header, (text, attributes)), each naming its column for the narrow layout."""
    return "".join(f'<td data-label="{escape(head)}"{attrs}>{escape(text)}</td>' for head, (text, attrs) in row)


def header(heads: list[str], numeric: list[str] | tuple[str, ...] = ()) -> str:
    """A table's header cells; numeric columns align right."""
    num = ' class="num"'
    return "".join(f"<th{num if h in numeric else ''}>{escape(h)}</th>" for h in heads)


def timeline_table(rows: list[Row], tr: Tr) -> str:
    """The same rows as a table: year, when, what, who, clause."""
    heads = [tr(k) for k in ("col_year", "col_when", "col_what", "col_who", "col_clause")]
    body = "".join("<tr>" + cells(list(zip(heads, (
        (_years(r, tr), ""),
        (", ".join(when_text(w, tr) for w in r.whens), ""),
        (short(r.what, 160, "…"), f' lang="nl" title="{escape(r.what)}"'),
        (owner_names(r.owners, tr), _dutch(r.owners)),
        (r.label, ' lang="nl"'),
    ), strict=True))) + "</tr>" for r in rows)
    return (f'<table class="ov-table cards timeline"><thead><tr>{header(heads)}</tr></thead>'
            f"<tbody>{body}</tbody></table>")
