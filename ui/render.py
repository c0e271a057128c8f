"""How an answer and its sources are shown: the chat text with its [n] markers linked to that answer's sources,
the sources panel of one answer, and a cited clause opened in place inside its whole article."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from urllib.parse import quote

from assistant.draft import short
from assistant.model import Answer, Citation
from ingest.model import Chunk
from ui.text import UiText

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()+!|~-])")
_MARKER = re.compile(r"\\\[(\d{1,2})\\\]")
_SOURCES_HEADINGS = ("\n\nBronnen:", "\n\nSources:", "\n\nQuellen:")
UNSUPPORTED = "⚠︎"  # assistant.llm.MARK


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def plain(text: str) -> str:
    """Text that Markdown shows as typed: HTML and every Markdown sign escaped."""
    out = _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))
    return "\\" + out if out.startswith("#") else out


_TABLE_RULE = re.compile(r"\|(?:-{3,}\|)+")


def _answer_line(line: str, own: bool = True) -> str:
    """One line of an answer, escaped; only the extractive answerer's own tables (`own`) keep their Markdown, and
    of their rule lines only the bare `|---|---|`: an LLM's text is shown as typed, like the user's."""
    if own and line.startswith("| ") and line.rstrip().endswith("|"):  # a table the answerer made (Artikel 3)
        return "| " + " | ".join(plain(cell.strip()) for cell in line.strip()[1:-1].split("|")) + " |"
    if own and _TABLE_RULE.fullmatch(line.strip()):
        return line.strip()
    if line.startswith("- "):  # one line per commitment
        return "- " + plain(line[2:])
    return plain(line)


def chat_markdown(answer: Answer, number: int, t: UiText) -> str:
    """The answer for the chat, escaped, its [n] markers linked to this answer's n-th source; refusals and the
    closest provision set apart."""
    body = answer.answer
    for heading in _SOURCES_HEADINGS:
        body = body.split(heading)[0]
    text = "\n".join(_answer_line(line, answer.mode != "llm") for line in body.split("\n"))
    text = _MARKER.sub(lambda m: f"[\\[{m[1]}\\]](#cite-{number}-{m[1]})", text)
    if not answer.found:
        first, _, rest = text.partition("\n")
        return f"⚠️ **{first}**" + (f"\n{rest}" if rest else "")
    # the sentences of an LLM answer that cite nothing or that their clauses do not support carry UNSUPPORTED
    marked = f"\n\n*{plain(t('chat.unsupported'))}*" if (answer.flagged or answer.unsupported) and (
        UNSUPPORTED in body) else ""
    if closest(answer):
        lead, _, note = text.rpartition("\n\n")
        return (f"🔶 {lead}\n\n*{note}*" if lead else f"🔶 {text}") + marked
    if answer.notice:
        return "ℹ️ " + text + marked
    return text + marked


def closest(answer: Answer) -> bool:
    return answer.answerability is not None and answer.answerability.band == "closest"


def sources_html(answer: Answer | None, number: int, t: UiText, pdf_link: Callable[[Citation], str | None],
                 opened: tuple[int, str] | None = None) -> str:
    """The sources of answer `number`, each a card with its marker, page and exact words; `opened` is the card
    (its marker and the article's HTML) shown open in place."""
    if answer is None:
        return f"<p class='sources-empty'>{esc(t('sources.empty'))}</p>"
    cls = "bron closest" if closest(answer) else "bron" if answer.found else "bron notfound"
    head = f"<p class='sources-of'>{esc(t('sources.of_answer', n=number, question=short(answer.question, 90)))}</p>"
    if not answer.found:
        head += f"<p class='notfound'>{_bold(t('sources.not_found'))}</p>"
    elif closest(answer):
        head += f"<p class='closest'>{_bold(t('sources.closest'))}</p>"
    cards = []
    for k, citation in enumerate(answer.citations, start=1):
        ref = f"{number}-{k}"
        page = f" · {esc(t('sources.page', page=citation.location.page))}" if citation.location.page else ""
        link = pdf_link(citation)
        pdf = (f' · <a class="pdf" href="{esc(link)}" target="_blank" rel="noopener">'
               f"{esc(t('sources.pdf', page=citation.location.page))}</a>") if link else ""
        is_open = opened is not None and opened[0] == k
        body = opened[1] if is_open and opened else ""
        target, words = (f"{number}-0", t("sources.close")) if is_open else (ref, t("sources.open"))
        toggle = f'<a href="#cite-{ref}" class="toggle" data-cite="{target}">{esc(words)}</a>'
        cards.append(f'<div class="{cls}{" open" if is_open else ""}" id="src-{ref}" data-cite="{ref}">'
                     f'<span class="label">[{k}] {esc(citation.label)}</span>{page}{pdf}'
                     f"<div class='quote'>“{esc(citation.quote)}”</div>{toggle}{body}</div>")
    return head + "".join(cards)


def article_html(chunks: Sequence[Chunk], target_id: str, t: UiText) -> str:
    """The whole article (or part) around a cited clause, the clause highlighted; '' when it is gone."""
    target = next((c for c in chunks if c.id == target_id), None)
    if target is None:
        return f"<p class='unknown'>{esc(t('sources.unknown'))}</p>"
    loc = target.location
    same = [c for c in chunks if c.location.document == loc.document and c.kind != "footnote" and (
        (loc.article and c.location.article == loc.article) or (not loc.article and c.location.part == loc.part))]
    title = f"Artikel {loc.article} – {loc.article_title}" if loc.article else loc.part
    rows = []
    for c in same:
        mark = " highlight" if c.id == target.id else ""
        page = f" ({esc(t('sources.page', page=c.location.page))})" if c.location.page else ""
        rows.append(f'<div class="clause{mark}"><span class="label">{esc(c.label)}</span>{page}<br>'
                    f"{esc(c.text)}</div>")
    return (f"<div class='article'><h4>{esc(t('sources.whole', title=title))}</h4>{''.join(rows)}</div>")


def pdf_url(sources_dir: str, source: str, page: int | None) -> str:
    """The Gradio file route to a source PDF, opened at `page`."""
    path = f"{sources_dir.rstrip('/')}/{source}"
    return f"gradio_api/file={quote(path)}" + (f"#page={page}" if page else "")


def _bold(text: str) -> str:
    """Escaped text whose **…** parts are bold."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", esc(text))
