"""Wie doet wat, as the user sees it: the filters' choices, the filtered commitments as a table with a count, and
the same rows as CSV and XLSX files."""

from __future__ import annotations

import csv
import datetime
import hashlib
import html
import io
import os
import re
import shutil
import tempfile
import threading
import unicodedata
import weakref
from dataclasses import dataclass
from pathlib import Path

from assistant.register import Commitment, Register
from ingest.actors import ACTORS, BY_KEY, SIGNING_PARTIES
from ui.text import UiText

KEEP_FILES = 64
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """A cell a spreadsheet program will not run as a formula: text opening with = + - @, a tab or a carriage
    return gets a leading apostrophe (OWASP's advice against CSV injection)."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


@dataclass(frozen=True)
class Filters:
    """The register's filters as the user set them; '' is 'all'."""

    party: str = ""
    theme: str = ""
    programmalijn: str = ""
    kind: str = ""
    search: str = ""

    def apply(self, register: Register) -> list[Commitment]:
        needle = self.search.strip().lower()
        rows = register.filter(self.party or None, self.theme or None, self.programmalijn or None, self.kind or None)
        return [c for c in rows if not needle or needle in c.text.lower() or needle in c.label.lower()]


def short_name(key: str) -> str:
    """A party by its abbreviation (JenV), the Regio and the other organisations by name."""
    actor = BY_KEY.get(key)
    if actor is None:
        return key
    if key == "Regio":
        return "Stadsregio Parkstad Limburg"
    return key if actor.kind == "party" else actor.name


def theme_name(name: str, t: UiText) -> str:
    """A theme of the covenant by its name in the UI's language; a theme the language file does not know keeps its
    Dutch name."""
    try:
        return t(f"register.themes.{name}")
    except KeyError:
        return name


def line_name(number: str, t: UiText) -> str:
    """A programmalijn by its number and subject in the UI's language (the number alone where unknown)."""
    try:
        return t(f"register.lines.{number}")
    except KeyError:
        return number


def topic(c: Commitment, t: UiText) -> str:
    """The commitment's theme in the UI's language ('Talented Region'), else its programmalijn ('2 – Liveability
    of the rural area'), else nothing."""
    loc = c.location
    if loc.thema_name:
        return theme_name(loc.thema_name, t)
    return line_name(loc.programmalijn, t) if loc.programmalijn else ""


def choices(register: Register, t: UiText) -> dict[str, list[tuple[str, str]]]:
    """(label, value) choices of each filter, 'all' first and labelled; themes and programmalijnen named in the UI's
    language, filtered by the covenant's own."""
    every = [(t("register.all"), "")]
    acting = {a for c in register.commitments for a in (*c.actors, *c.co_actors)}
    parties = [(f"{a.key} – {a.name}" if a.key != a.name else a.name, a.key)
               for a in (*SIGNING_PARTIES, *[x for x in ACTORS if x.kind != "party"]) if a.key in acting]
    themes = sorted({c.location.thema_name for c in register.commitments if c.location.thema_name})
    lines = sorted({c.location.programmalijn for c in register.commitments if c.location.programmalijn})
    return {"party": every + parties, "theme": every + [(theme_name(x, t), x) for x in themes],
            "programmalijn": every + [(line_name(x, t), x) for x in lines],
            "kind": every + [(t("register.result"), "result"), (t("register.effort"), "effort")]}


COLUMNS = ("who", "with", "kind", "theme", "where", "page", "text")


def columns(t: UiText) -> list[str]:
    return [t(f"register.col_{c}") for c in COLUMNS]


def _name(key: str, t: UiText) -> str:
    """An actor by short name; the covenant's collective 'Partijen' in the UI's language."""
    return t("overview.who_all") if key == "Partijen" else short_name(key)


def rows(commitments: list[Commitment], t: UiText) -> list[list[str]]:
    return [[", ".join(_name(a, t) for a in c.actors), ", ".join(_name(a, t) for a in c.co_actors),
             t(f"register.{c.kind}"), topic(c, t), c.label, str(c.location.page or ""), c.text] for c in commitments]


def count(n: int, t: UiText) -> str:
    return t("register.count_none") if n == 0 else t("register.count_one") if n == 1 else t("register.count", n=n)


def table_html(commitments: list[Commitment], t: UiText) -> str:
    """The commitments as an HTML table in the page's font, its columns wide enough for whole words. The
    covenant's words and labels are marked as Dutch; beside the label, in English and German, the theme or the
    programmalijn in the UI's language (the files give it a column of its own)."""
    shown = [c for c in COLUMNS if c != "theme"]
    names = [t(f"register.col_{c}") for c in shown]
    head = "".join(f"<th class='c{i}'>{html.escape(c)}</th>" for i, c in enumerate(names))
    body = ""
    for row in rows(commitments, t):
        values = dict(zip(COLUMNS, row, strict=True))
        cells = []
        for i, key in enumerate(shown):
            value = html.escape(values[key])
            if key == "where":
                value = f"<span lang='nl'>{value}</span>"
                if values["theme"] and t.language != "nl":
                    value += f"<small class='topic'>{html.escape(values['theme'])}</small>"
            lang = " lang='nl'" if key == "text" else ""
            cells.append(f"<td class='c{i}'{lang} data-label='{html.escape(names[i])}'>{value}</td>")
        body += "<tr>" + "".join(cells) + "</tr>"
    return (f"<p class='register-count' id='register-count'>{html.escape(count(len(commitments), t))}</p>"
            f"<div class='register-scroll'><table class='register'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9&]+", "-", plain).replace("&", "en").strip("-")[:40]


def file_stem(filters: Filters, t: UiText, day: datetime.date | None = None) -> str:
    """A file name that says what the file holds: 'wie-doet-wat-OCW-veiligheid-2026-12-07'."""
    parts = [t("register.csv_name"), filters.party,
             theme_name(filters.theme, t).lower() if filters.theme else "",
             f"{t('register.programmalijn')}-{filters.programmalijn}".lower() if filters.programmalijn else "",
             t(f"register.{filters.kind}") if filters.kind else "", filters.search.strip().lower()]
    return "-".join(p for p in map(_slug, parts) if p) + f"-{(day or datetime.date.today()).isoformat()}"


def csv_bytes(commitments: list[Commitment], t: UiText) -> bytes:
    """The rows as CSV with the language's delimiter (';' where Excel expects it: nl, de), UTF-8 with a BOM so that
    spreadsheet programs read the accents right; cells that would run as formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=t("register.csv_delimiter"))
    writer.writerow([spreadsheet_cell(c) for c in columns(t)])
    writer.writerows([spreadsheet_cell(v) for v in row] for row in rows(commitments, t))
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(commitments: list[Commitment], t: UiText) -> bytes:
    """The rows as an Excel workbook: a bold, frozen header, the columns sized, the long text wrapped; every cell
    stored as text, so that nothing in it runs as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = t("register.sheet")[:31]
    for r, values in enumerate([columns(t), *rows(commitments, t)], start=1):
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=col)
            cell.value = value
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(bold=r == 1)
    for letter, width in zip("ABCDEFG", (24, 24, 12, 30, 40, 7, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class CsvFiles:
    """The register's download files (CSV and XLSX) in one folder per process, each named by what it holds and
    kept in a subfolder named by its content, so that the same rows are one file; the folder goes when the
    process ends; the folders of killed processes go when the next one starts."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=f"parkstad-csv-{os.getpid()}-"))
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.folder, True)
        remove_orphans(self.folder.parent)

    def write(self, commitments: list[Commitment], t: UiText, filters: Filters | None = None,
              kind: str = "csv") -> str:
        """The path of a file (`kind` "csv" or "xlsx") of exactly these rows, named after the filters."""
        data = csv_bytes(commitments, t)
        digest = hashlib.sha256(data + kind.encode()).hexdigest()[:16]
        path = self.folder / digest / f"{file_stem(filters or Filters(), t)}.{kind}"
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            partial = path.with_name(f".{os.getpid()}-{threading.get_ident()}.part")
            partial.write_bytes(data if kind == "csv" else xlsx_bytes(commitments, t))
            os.replace(partial, path)  # another request for the same rows never reads half a file
            for old in sorted(self.folder.iterdir(), key=lambda p: p.stat().st_mtime)[:-KEEP_FILES]:
                shutil.rmtree(old, ignore_errors=True)
        return str(path)


def remove_orphans(temp: Path) -> None:
    """Remove the CSV folders of processes that are gone (killed before they could clean up)."""
    for folder in temp.glob("parkstad-csv-*"):
        pid = folder.name.split("-")[2]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True
