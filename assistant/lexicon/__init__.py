"""The lexicon as data: the glossary, the theme and programme-line names, the phrases and the actors' aliases,
read from the TOML files beside this module. Every entry carries its reason (a covenant term, a translation or a
synonym); a duplicate key, two keys that are the same once case and accents are ignored, or a missing or unknown
reason is an error naming the file and the key."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from assistant.lexical import fold

FOLDER = Path(__file__).parent
REASONS = ("covenant term", "translation", "synonym")


class LexiconError(ValueError):
    """A lexicon file that cannot be used, with the file and the key at fault."""

    def __init__(self, path: Path, key: str, problem: str) -> None:
        super().__init__(f"{path}: {key!r}: {problem}")
        self.path = path
        self.key = key


def read(path: Path) -> dict[str, Any]:
    """A TOML file; a literal duplicate key is reported with the key on its line."""
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"at line (\d+)", str(e))
        line = path.read_text(encoding="utf-8").splitlines()[int(m.group(1)) - 1] if m else ""
        key = line.split("=")[0].strip().strip("[]\"'") if line else ""
        problem = "duplicate key" if "overwrite" in str(e) or "twice" in str(e) else "not valid TOML"
        raise LexiconError(path, key, f"{problem} ({e})") from e


def glossary(path: Path = FOLDER / "glossary.toml") -> dict[str, str]:
    """Folded word -> the covenant's Dutch terms for it, space-separated."""
    return {fold(key): " ".join(_terms(path, key, entry)) for key, entry in _tables(path, {"terms", "reason", "note"})}


def theme_names(path: Path = FOLDER / "themes.toml") -> dict[str, tuple[str, ...]]:
    """A theme's name in the covenant -> the other names a question may give it."""
    return {key: _names(path, key, entry.get("aliases", []))
            for key, entry in _tables(path, {"aliases", "reason", "note"})}


def programmalijn_names(path: Path = FOLDER / "programme_lines.toml") -> dict[str, tuple[str, ...]]:
    """A programmalijn's number -> its subject's names in the three languages."""
    return {key: _names(path, key, entry.get("names", []))
            for key, entry in _tables(path, {"names", "note"}, reason=False)}


def phrases(path: Path = FOLDER / "phrases.toml") -> tuple[tuple[str, str], ...]:
    """(regular expression over a folded question, the covenant's terms for what it says)."""
    entries = read(path).get("phrase", [])
    _unique(path, [e.get("pattern", "") for e in entries])
    for entry in entries:
        key = entry.get("pattern", "")
        _entry(path, key, entry, {"pattern", "terms", "reason", "note"})
        try:
            re.compile(key)
        except re.error as e:
            raise LexiconError(path, key, f"not a regular expression ({e})") from e
    return tuple((e["pattern"], " ".join(_terms(path, e["pattern"], e))) for e in entries)


def actors(path: Path = FOLDER / "actors.toml") -> dict[str, Any]:
    """The actors as records with the fields of `ingest.actors.Actor`, aliases and abbreviations as tuples of names:
    'ministry', 'partner' and 'other' are lists, 'region' one record, 'municipalities' a tuple of names. An 'other'
    marked each_municipality stands for one actor per municipality ('{m}' in its texts)."""
    data = read(path)
    municipalities = tuple(data.get("municipalities", {}).get("names", ()))
    out: dict[str, Any] = {"municipalities": municipalities}
    for group in ("ministry", "region", "partner", "other"):
        records = []
        for entry in data.get(group, []) if group != "region" else [data["region"]]:
            key = entry.get("key", "")
            _entry(path, key, entry, {"key", "name", "kind", "signatory", "abbreviations", "aliases", "not_before",
                                      "each_municipality", "acts_for"}, reason=False)
            record = {**entry, "abbreviations": _names(path, key, entry.get("abbreviations", [])),
                      "aliases": _names(path, key, entry.get("aliases", [])),
                      "not_before": tuple(entry.get("not_before", ())),
                      "acts_for": _acts_for(path, key, entry.get("acts_for"))}
            if record.pop("each_municipality", False):
                records += [_filled(record, m) for m in municipalities]
            else:
                records.append(record)
        out[group] = records[0] if group == "region" else records
    _unique(path, [r["key"] for g in ("ministry", "partner", "other") for r in out[g]] + [out["region"]["key"]])
    return out


def _acts_for(path: Path, key: str, value: Any) -> str:
    """The party an actor works for ('programmateam Zuid-Limburg' for the Regio), with its reason; '' when none."""
    if value is None:
        return ""
    if not isinstance(value, dict) or not value.get("key") or not value.get("reason"):
        raise LexiconError(path, key, "acts_for needs a key and a reason")
    return str(value["key"])


def _filled(record: dict[str, Any], municipality: str) -> dict[str, Any]:
    def fill(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace("{m}", municipality)
        return tuple(fill(v) for v in value) if isinstance(value, tuple) else value

    return {k: fill(v) for k, v in record.items()}


def _tables(path: Path, fields: set[str], reason: bool = True) -> Iterator[tuple[str, dict[str, Any]]]:
    data = read(path)
    _unique(path, data)
    for key, entry in data.items():
        _entry(path, key, entry, fields, reason)
        yield key, entry


def _unique(path: Path, keys: Iterable[str], within: str = "") -> None:
    seen: dict[str, str] = {}
    for key in keys:
        if (other := seen.get(fold(key))) is not None:
            raise LexiconError(path, f"{within} / {key}" if within else key, "duplicate key" if other == key else
                               f"conflicts with {other!r}: the same once case and accents are ignored")
        seen[fold(key)] = key


def _entry(path: Path, key: str, entry: Any, fields: set[str], reason: bool = True) -> None:
    if not isinstance(entry, dict):
        raise LexiconError(path, key, "is not a table")
    if unknown := set(entry) - fields:
        raise LexiconError(path, key, f"unknown field(s) {', '.join(sorted(unknown))}")
    if reason:
        _reason(path, key, entry)


def _reason(path: Path, key: str, entry: dict[str, Any]) -> None:
    if "reason" not in entry:
        raise LexiconError(path, key, f"has no reason (one of {', '.join(REASONS)})")
    if entry["reason"] not in REASONS:
        raise LexiconError(path, key, f"unknown reason {entry['reason']!r} (one of {', '.join(REASONS)})")


def _terms(path: Path, key: str, entry: dict[str, Any]) -> list[str]:
    terms = entry.get("terms")
    if not terms or not all(isinstance(t, str) and t.strip() for t in terms):
        raise LexiconError(path, key, "needs terms: a list of the covenant's words")
    return terms


def _names(path: Path, key: str, items: list[Any]) -> tuple[str, ...]:
    """The names of a list of {name, reason, note} tables, each checked."""
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise LexiconError(path, key, f"{item!r} is not a table with a name")
        _entry(path, f"{key} / {item['name']}", item, {"name", "reason", "note"})
    names = [item["name"] for item in items]
    _unique(path, names, within=key)
    return tuple(names)
