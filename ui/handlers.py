"""What every UI event does, without a server: the chat, opening a citation, rating an answer, the register and
the language switch. Each method is testable directly."""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.model import Answer, Citation
from assistant.service import Assistant
from ingest.model import ChunkKind
from parkstad.errors import ParkstadError, QuestionError
from parkstad.settings import Settings
from ui import register_view
from ui.rate import RateLimiter
from ui.render import article_html, chat_markdown, esc, pdf_url, plain, sources_html
from ui.text import browser_language, text
from ui.why import why_html

MAX_PENDING = 1000  # ratings kept in memory while the feedback file cannot be written
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CITE = re.compile(r"^(\d{1,6})-(\d{1,2})$")
KEEP_ANSWERS = 50  # the answers of a conversation whose sources can still be opened and rated


@dataclass(frozen=True)
class Asked:
    """One answer of the conversation: its number in the chat, the chat message that shows it, and the answer."""

    number: int
    message: int
    answer: Answer


class Handlers:
    """The app's behaviour without a server: every UI event is a method here."""

    def __init__(self, assistant: Assistant, settings: Settings, limiter: RateLimiter | None = None) -> None:
        self.assistant = assistant
        self.settings = settings
        rate = settings.rate_limit_per_minute
        self.limiter = limiter or RateLimiter(capacity=max(5, rate // 2), refill_s=60 / rate if rate else 0)
        self.csv = register_view.CsvFiles()
        self._pending: deque[dict[str, Any]] = deque(maxlen=MAX_PENDING)  # the oldest go beyond it
        self._lock = threading.Lock()

    # --- chat -----------------------------------------------------------------------------------------------

    def ask(self, question: str, history: list[dict[str, Any]] | None, asked: list[Asked] | None, lang: str,
            client: str = "local") -> Iterator[tuple[list[dict[str, Any]], str, list[Asked]]]:
        """The answer in the chat, and this answer's sources in the panel, in one update (an answer takes about
        0.1 s, so streaming it in pieces would only cost the server more events)."""
        t = text(lang)
        history, asked = list(history or []), list(asked or [])
        question = _SURROGATE.sub("\ufffd", question or "")
        history.append({"role": "user", "content": plain(question)})
        wait = self.limiter.allow(client, self.assistant.cost(question))
        if wait:
            history.append({"role": "assistant", "content": "⚠️ " + t("errors.rate_limit", seconds=math.ceil(wait))})
            yield history, self.panel(asked, lang), asked
            return
        try:
            answer = self.assistant.ask(question, history=[a.answer for a in asked[-3:]])
        except QuestionError as exc:
            key = exc.reason if exc.reason in ("empty", "too_long", "too_many_tokens", "not_text") else "empty"
            history.append({"role": "assistant", "content": "⚠️ " + t(f"errors.{key}", **exc.values)})
            yield history, self.panel(asked, lang), asked
            return
        except ParkstadError:
            history.append({"role": "assistant", "content": "⚠️ " + t("errors.index")})
            yield history, self.panel(asked, lang), asked
            return
        entry = Asked(asked[-1].number + 1 if asked else 1, len(history), answer)
        why = why_html(answer.answerability, self.assistant.answerability.model if self.assistant.answerability else
                       None, t)
        history.append({"role": "assistant", "content": chat_markdown(answer, entry.number, t) + (
            f"\n\n{why}" if why else "")})
        asked = [*asked[-(KEEP_ANSWERS - 1):], entry]  # a session's memory stays bounded
        yield history, self.panel(asked, lang), asked

    def panel(self, asked: list[Asked], lang: str, number: int | None = None, opened: int | None = None) -> str:
        """The sources panel: answer `number`'s sources (the latest by default), with source `opened` open."""
        t = text(lang)
        if not asked:
            return sources_html(None, 0, t, self._pdf_link)
        entry = next((a for a in asked if a.number == number), asked[-1])
        shown = None
        if opened and 0 < opened <= len(entry.answer.citations):
            _, corpus, _, _ = self.assistant.state()
            shown = (opened, article_html(corpus.chunks, entry.answer.citations[opened - 1].chunk_id, t))
        return sources_html(entry.answer, entry.number, t, self._pdf_link, shown, self._items)

    def open_citation(self, ref: str, asked: list[Asked] | None, lang: str) -> str:
        """A click on [n] of answer k, or on a source card: that answer's sources, source n open in place with its
        whole article ('k-0' closes it)."""
        match = _CITE.match(str(ref or "").strip())
        if not match or not asked:
            return self.panel(list(asked or []), lang)
        return self.panel(list(asked), lang, int(match[1]), int(match[2]))

    def _items(self, citation: Citation) -> tuple[tuple[str, str], ...]:
        _, corpus, _, _ = self.assistant.state()
        chunk = corpus.by_id.get(citation.chunk_id)
        return tuple((c.label, c.text) for c in corpus.children(chunk)) if chunk else ()

    def _pdf_link(self, citation: Citation) -> str | None:
        info, _, _, _ = self.assistant.state()
        record = next((d for d in info.documents if d.name == citation.location.document), None)
        if record is None or not record.source.lower().endswith(".pdf"):
            return None
        return pdf_url(str(Path(self.settings.sources_dir).resolve()), record.source, citation.location.page)

    # --- feedback -------------------------------------------------------------------------------------------

    def rate(self, message: int, liked: bool, comment: str, asked: list[Asked] | None, lang: str) -> str:
        """Store a rating of the answer shown in chat message `message`, with the comment; when the feedback
        file cannot be written, keep the rating in memory and retry with the next one."""
        t = text(lang)
        entry = next((a for a in asked or [] if a.message == message), None)
        if entry is None:
            return t("feedback.nothing")
        answer = entry.answer
        record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "rating": "good" if liked else "bad",
                  "comment": (comment or "").strip()[:2000], "question": answer.question, "answer": answer.answer,
                  "found": answer.found, "citations": [c.label for c in answer.citations], "answer_number":
                  entry.number, "ui_language": t.language}
        path = Path(self.settings.feedback_file)
        with self._lock:
            self._pending.append(record)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("a", encoding="utf-8") as fh:
                    for pending in self._pending:
                        fh.write(json.dumps(pending, ensure_ascii=False) + "\n")
            except OSError as exc:
                return t("feedback.kept", n=entry.number, reason=exc.strerror or type(exc).__name__)
            self._pending.clear()
        return t("feedback.saved", n=entry.number)

    @property
    def pending(self) -> int:
        """Ratings kept in memory because the feedback file could not be written."""
        return len(self._pending)

    # --- register, overview, documents ----------------------------------------------------------------------

    def register_view(self, lang: str, *filters: str) -> tuple[str, str, str]:
        """The filtered commitments as a table with their count, and the CSV and XLSX files of exactly those rows."""
        t = text(lang)
        chosen = register_view.Filters(*[f or "" for f in filters])
        rows = chosen.apply(self.assistant.state()[3].register)
        return (register_view.table_html(rows, t), self.csv.write(rows, t, chosen),
                self.csv.write(rows, t, chosen, "xlsx"))

    def documents_html(self, lang: str) -> str:
        t = text(lang)
        info, corpus, _, _ = self.assistant.state()
        heads = [t(f"documents.{k}") for k in ("document", "pages", "chunks", "file")]
        rows = "".join("<tr>" + "".join(f"<td data-label='{esc(h)}'>{esc(str(v))}</td>" for h, v in zip(
            heads, (d.name, d.pages, d.chunks, d.source), strict=True)) + "</tr>" for d in info.documents)
        refs = "".join(
            f"<li><b>{esc(t('documents.footnote'))} {esc(n.location.item or '')}</b> "
            f"({esc(t('sources.page', page=n.location.page))}): "
            f"{esc(n.text)}" + "".join(f'<br><a href="{esc(u)}" rel="noopener noreferrer" target="_blank">{esc(u)}</a>'
                                       for u in n.links if u.startswith(("http://", "https://"))) + "</li>"
            for n in corpus.chunks if n.kind == ChunkKind.FOOTNOTE)
        head = "".join(f"<th>{esc(h)}</th>" for h in heads)
        return (f"<h3>{esc(t('documents.heading'))}</h3><table class='docs'><thead><tr>{head}</tr></thead>"
                f"<tbody>{rows}</tbody></table>"  # each footnote says its own number: a list without numbers
                f"<h3>{esc(t('documents.references'))}</h3><ul class='refs'>{refs}</ul>")

    def language(self, accept_language: str | None) -> str:
        return browser_language(accept_language)
