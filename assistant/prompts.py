"""Templates from prompts/, rendered strictly: a missing variable raises instead of leaving a hole."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from string import Template


class PromptError(KeyError):
    """A template was rendered without one of its variables."""


@lru_cache(maxsize=8)
def _text(name: str) -> str:
    import prompts

    return (Path(prompts.__file__).resolve().parent / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def phrases() -> dict[str, dict[str, str]]:
    return tomllib.loads(_text("extractive.toml"))


def render(template: str, **values: object) -> str:
    try:
        return Template(template).substitute(**{k: str(v) for k, v in values.items()})
    except KeyError as exc:
        raise PromptError(f"template variable {exc} is missing") from None


def phrase(language: str, key: str, **values: object) -> str:
    """A phrase of the extractive answerer in the language; a clause's `label` in it is said in that language."""
    table = phrases()
    if "label" in values:
        values["label"] = localized_label(language, str(values["label"]))
    return render(table.get(language, table["nl"])[key], **values)


def localized_label(language: str, label: str) -> str:
    """'Artikel 2 lid 13, onder d' -> 'Article 2 paragraph 13, under d': the label's structure words in the
    language, its names as written."""
    words = phrases().get(f"{language}_label")
    if not words:
        return label
    return _label_words(language).sub(lambda m: words[m.group(1)], label)


@lru_cache(maxsize=4)
def _label_words(language: str) -> re.Pattern[str]:
    """The structure words of a label in the language's table, longest first, compiled once per language."""
    words = phrases()[f"{language}_label"]
    return re.compile(r"\b(" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")\b")


def prompt_file(name: str, **values: object) -> str:
    return render(_text(name), **values)
