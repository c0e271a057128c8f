"""Wie doet wat, as the user sees it: the filters' choices, the filtered commitments as a table with a count, and
the same rows as a CSV file."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import os
import shutil
import tempfile
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


def choices(register: Register, t: UiText) -> dict[str, list[tuple[str, str]]]:
    """(label, value) choices of each filter, 'all' first and labelled."""
    every = [(t("register.all"), "")]
    acting = {a for c in register.commitments for a in (*c.actors, *c.co_actors)}
    parties = [(f"{a.key} – {a.name}" if a.key != a.name else a.name, a.key)
               for a in (*SIGNING_PARTIES, *[x for x in ACTORS if x.kind != "party"]) if a.key in acting]
    themes = sorted({c.location.thema_name for c in register.commitments if c.location.thema_name})
    lines = sorted({c.location.programmalijn for c in register.commitments if c.location.programmalijn})
    return {"party": every + parties, "theme": every + [(x, x) for x in themes],
            "programmalijn": every + [(x, x) for x in lines],
            "kind": every + [(t("register.result"), "result"), (t("register.effort"), "effort")]}


def columns(t: UiText) -> list[str]:
    return [t(f"register.col_{c}") for c in ("who", "with", "kind", "where", "page", "text")]


def rows(commitments: list[Commitment], t: UiText) -> list[list[str]]:
    return [[", ".join(short_name(a) for a in c.actors), ", ".join(short_name(a) for a in c.co_actors),
             t(f"register.{c.kind}"), c.label, str(c.location.page or ""), c.text] for c in commitments]


def count(n: int, t: UiText) -> str:
    return t("register.count_none") if n == 0 else t("register.count_one") if n == 1 else t("register.count", n=n)


def table_html(commitments: list[Commitment], t: UiText) -> str:
    """The commitments as an HTML table in the page's font, its columns wide enough for whole words."""
    names = columns(t)
    head = "".join(f"<th class='c{i}'>{html.escape(c)}</th>" for i, c in enumerate(names))
    body = "".join("<tr>" + "".join(f"<td class='c{i}' data-label='{html.escape(names[i])}'>{html.escape(v)}</td>"
                                    for i, v in enumerate(row)) + "</tr>" for row in rows(commitments, t))
    return (f"<p class='register-count' id='register-count'>{html.escape(count(len(commitments), t))}</p>"
            f"<div class='register-scroll'><table class='register'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


class CsvFiles:
    """CSV files of filtered rows in one folder per process, named by their content: the same rows are one file,
    and the folder goes when the process ends; the folders of killed processes go when the next one starts."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=f"parkstad-csv-{os.getpid()}-"))
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.folder, True)
        remove_orphans(self.folder.parent)

    def write(self, commitments: list[Commitment], t: UiText) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([spreadsheet_cell(c) for c in columns(t)])
        writer.writerows([spreadsheet_cell(v) for v in row] for row in rows(commitments, t))
        data = buffer.getvalue().encode("utf-8-sig")  # a BOM, so spreadsheet programs read the accents right
        path = self.folder / f"{t('register.csv_name')}-{hashlib.sha256(data).hexdigest()[:12]}.csv"
        if not path.exists():
            path.write_bytes(data)
            for old in sorted(self.folder.glob("*.csv"), key=lambda p: p.stat().st_mtime)[:-KEEP_FILES]:
                old.unlink(missing_ok=True)
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
