"""Retrieval and answers with citations. `Assistant.from_settings().ask(question, history)` -> Answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.model import Answer, Citation
    from assistant.service import Assistant

__all__ = ["Answer", "Assistant", "Citation"]


def __getattr__(name: str) -> Any:
    if name == "Assistant":
        from assistant.service import Assistant

        return Assistant
    if name in ("Answer", "Citation"):
        from assistant import model

        return getattr(model, name)
    raise AttributeError(name)
