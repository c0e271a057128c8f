"""Templates from prompts/, rendered strictly: a missing variable raises instead of leaving a hole."""

from __future__ import annotations

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
    table = phrases()
    return render(table.get(language, table["nl"])[key], **values)


def prompt_file(name: str, **values: object) -> str:
    return render(_text(name), **values)
