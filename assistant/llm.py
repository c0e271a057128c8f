"""Optional LLM answers through LangChain's chat models against any OpenAI-compatible endpoint.
Every [n] marker is verified after generation; failures fall back to the extractive answer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.prompts import phrase, prompt_file
from assistant.read import Query
from ingest.model import COVENANT_TITLE, Chunk
from parkstad.errors import LLMError

LANGUAGES = {"nl": "Dutch", "en": "English", "de": "German"}
_MARKER = re.compile(r"\[(\d{1,3})\]")
_SENTENCES = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class LLMResult:
    """A verified LLM answer: text with only valid markers, the cited chunks, and uncited sentences."""

    text: str
    cited: tuple[Chunk, ...]
    flagged: tuple[str, ...]
    declined: bool = False


class LLMAnswerer:
    """Asks the configured chat model, then checks every citation marker against the retrieved clauses."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 20.0) -> None:
        from langchain_openai import ChatOpenAI

        self.model = ChatOpenAI(base_url=base_url, model=model, api_key=api_key or "not-needed", timeout=timeout,
                                max_retries=0, temperature=0)

    def messages(self, query: Query, chunks: list[Chunk]) -> list[tuple[str, str]]:
        lang = query.language if query.language in LANGUAGES else "nl"
        blocks = "\n\n".join(
            f"<<<CLAUSE {i}>>> {c.label}" + (f" (p. {c.location.page})" if c.location.page else "")
            + f"\n{_neutralise(c.text)}\n<<<END CLAUSE {i}>>>"
            for i, c in enumerate(chunks, start=1)
        )
        system = prompt_file("llm_system.txt", title=COVENANT_TITLE, count=len(chunks), language=LANGUAGES[lang],
                             not_found=phrase(lang, "not_found"))
        user = prompt_file("llm_user.txt", clauses=blocks, question=_neutralise(query.text))
        return [("system", system), ("human", user)]

    def answer(self, query: Query, chunks: list[Chunk]) -> LLMResult:
        try:
            reply = self.model.invoke(self.messages(query, chunks))
        except Exception as exc:  # noqa: BLE001 - timeouts, connection errors and 5xx all fall back
            raise LLMError(_reason(exc)) from None
        content = reply.content if isinstance(reply.content, str) else ""
        return verify(content, chunks, phrase(query.language if query.language in LANGUAGES else "nl", "not_found"))


def verify(content: str, chunks: list[Chunk], not_found: str = "") -> LLMResult:
    """Drop markers that point to no retrieved clause; flag sentences left without a valid citation. A reply
    that says the clauses do not answer (the prompt's own sentence for it) is a decline, not a failure."""
    text = content.strip()
    if not text:
        raise LLMError("empty reply")
    if not_found and _plain(_MARKER.sub("", text)) == _plain(not_found):
        return LLMResult(text, (), (), declined=True)
    order: list[int] = []

    def keep(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if 1 <= n <= len(chunks):
            if n not in order:
                order.append(n)
            return m.group(0)
        return ""

    cleaned = re.sub(r"[ \t]+([.,;:])", r"\1", _MARKER.sub(keep, text)).strip()
    if not order:
        raise LLMError("the reply cites none of the retrieved clauses")
    flagged = tuple(s for s in _SENTENCES.split(cleaned) if s.strip() and not _MARKER.search(s))
    return LLMResult(cleaned, tuple(chunks[n - 1] for n in order), flagged)


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _neutralise(text: str) -> str:
    return text.replace("<<<", "‹‹‹").replace(">>>", "›››")


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if "Timeout" in name:
        return "timeout"
    if "Connection" in name:
        return "connection error"
    if status:
        return f"HTTP {status}"
    return name
