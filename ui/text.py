"""The UI's text: one TOML file per language in ui/lang/, looked up by section and key."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.prompts import render

LANG_DIR = Path(__file__).resolve().parent / "lang"
DEFAULT = "nl"


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The languages with a file, the default first."""
    found = sorted(p.stem for p in LANG_DIR.glob("*.toml"))
    return (DEFAULT, *(code for code in found if code != DEFAULT))


class UiText:
    """The text of one language: `t("section.key", **values)`; lists with `t.list("section.key")`."""

    def __init__(self, language: str) -> None:
        self.language = language if language in languages() else DEFAULT
        self._table: dict[str, Any] = tomllib.loads((LANG_DIR / f"{self.language}.toml").read_text(encoding="utf-8"))

    def _raw(self, key: str) -> Any:
        node: Any = self._table
        for part in key.split("."):
            node = node[part]
        return node

    def __call__(self, key: str, **values: object) -> str:
        return render(self._raw(key), **values)

    def within(self, section: str) -> Callable[..., str]:
        """`tr("key", **values)` for the keys of one section, as the overview's renderers take it."""
        return lambda key, **values: self(f"{section}.{key}", **values)

    def list(self, key: str) -> list[str]:
        return list(self._raw(key))

    def keys(self) -> set[str]:
        """Every key of the file, dotted ("register.csv"), for checking that languages match."""
        out: set[str] = set()

        def walk(node: dict[str, Any], prefix: str) -> None:
            for k, v in node.items():
                walk(v, f"{prefix}{k}.") if isinstance(v, dict) else out.add(f"{prefix}{k}")

        walk(self._table, "")
        return out


@lru_cache(maxsize=8)
def text(language: str) -> UiText:
    return UiText(language)


def browser_language(accept_language: str | None) -> str:
    """The first language of an Accept-Language header that the UI has, else the default."""
    ranked = []
    for n, item in enumerate((accept_language or "").split(",")):
        code, _, params = item.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, n, code.strip().lower().split("-")[0]))
    for _, _, code in sorted(ranked):
        if code in languages():
            return code
    return DEFAULT
