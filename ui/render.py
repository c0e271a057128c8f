"""How an answer and its sources are shown: the chat text with its [n] markers linked to that answer's sources,
the sources panel of one answer, and a cited clause opened in place inside its whole article."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from urllib.parse import quote

from assistant.answerability import Band
from assistant.model import Answer, Citation
from assistant.prompts import phrases
from ingest.model import Chunk, ChunkKind
from ingest.text import short
from ui.text import UiText

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()+!|~-])")
_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&+,;=%]+")
_NUMBERED = re.compile(r"^(\d+)([.)])")
_FOOTNOTE_MARK = re.compile(r"(?<=[^\W\d])(\d\))")
_MARKER = re.compile(r"\\\[(\d{1,2})\\\]")
UNSUPPORTED = "⚠︎"  # assistant.llm.MARK


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def plain(text: str) -> str:
    """Text that Markdown shows as typed: HTML and every Markdown sign escaped; a web address becomes an autolink
    to exactly the address shown (escaping inside it would end up in the link and its text)."""
    pieces, at = [], 0
    for m in _URL.finditer(text):
        url = m[0].rstrip(".,;:!?")
        pieces += [_escaped(text[at:m.start()]), f"<{url}>"]
        at = m.start() + len(url)
    out = _NUMBERED.sub(r"\1\\\2", "".join(pieces) + _escaped(text[at:]))  # "2. Landelijk gebied" is no list
    return "\\" + out if out.startswith("#") else out


def _escaped(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))


def chat_markdown(answer: Answer, number: int, t: UiText) -> str:
    """The answer's lead and notes for the chat, from its structured draft: every word escaped, each [n] marker a
    link to this answer's n-th source, tables as tables; refusals and the closest provision set apart."""
    def link(n: int) -> str:
        return f"[\\[{n}\\]](#cite-{number}-{n})"

    def escape(text: str) -> str:  # "… and N more: see the register, filtered on X" opens the register on X
        more = _more_in_register(answer.language).fullmatch(text)
        return f"[{plain(text)}](#register-{quote(more['who'])})" if more else plain(text)

    draft = answer.draft
    if draft is None:  # an answer without a draft (a refusal before retrieval): its text as typed
        lines, notes = [plain(line) for line in answer.answer.split("\n")], []
    else:
        lines = draft.lead_lines(escape, link)
        if answer.mode == "llm":  # the model's own [n] markers, escaped with its text, become links
            lines = [_MARKER.sub(lambda m: link(int(m[1])), line) for line in lines]
        notes = [plain(n) for n in draft.notes]
    text = "\n".join(_blocks(lines))
    if not answer.found:
        first, _, rest = text.partition("\n")
        return f"⚠️ **{first}**" + (f"\n{rest}" if rest else "")
    # the sentences of an LLM answer that cite nothing or that their clauses do not support carry UNSUPPORTED
    marked = f"\n\n*{plain(t('chat.unsupported'))}*" if (answer.flagged or answer.unsupported) and (
        UNSUPPORTED in answer.answer) else ""
    below = "".join(f"\n\n*{n}*" for n in notes)
    if closest(answer):
        return f"🔶 {text}{below}{marked}"
    if answer.notice:
        return f"ℹ️ *{plain(answer.notice)}*\n\n{text}{below}{marked}"
    return f"{text}{below}{marked}"


@lru_cache(maxsize=8)
def _more_in_register(language: str) -> re.Pattern[str]:
    """The compose phrase that ends a capped list of a party's commitments, with the party's key as `who`."""
    pattern = re.escape(phrases().get(language, phrases()["nl"])["more_in_register"])
    return re.compile(pattern.replace(r"\$count", r"\d+").replace(r"\$who", r"(?P<who>[\w&\- ]+?)"))


def _blocks(lines: list[str]) -> list[str]:
    """The lines with a blank line wherever a list, a table and plain lines meet, so that a line after a table is
    no row of it and a line after a list no part of its last item."""
    out: list[str] = []
    for line in lines:
        if out and out[-1] and _block(line) != _block(out[-1]):
            out.append("")
        out.append(line)
    return out


def _block(line: str) -> str:
    return "item" if line.startswith("- ") else "row" if line.startswith("|") else "text"


def closest(answer: Answer) -> bool:
    return answer.answerability is not None and answer.answerability.band == Band.CLOSEST


def sources_html(answer: Answer | None, number: int, t: UiText, pdf_link: Callable[[Citation], str | None],
                 opened: tuple[int, str] | None = None,
                 items: Callable[[Citation], tuple[tuple[str, str], ...]] | None = None) -> str:
    """The sources of answer `number`, each a card with its marker, page and exact words; `opened` is the card
    (its marker and the article's HTML) shown open in place; `items` gives the items of a clause ending in a colon
    whose citation carries none (the nearest clauses of a refusal)."""
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
                     f"{quote_html(citation, items)}{toggle}{body}</div>")
    return head + "".join(cards)


def quote_html(citation: Citation, items_of: Callable[[Citation], tuple[tuple[str, str], ...]] | None = None) -> str:
    """A source's exact words: a table as a table, whole, with its notes; a clause that opens an enumeration
    with its items."""
    if citation.table:
        return f"<div class='quote'>{table_html(citation.table, citation.quote)}</div>"
    listed = citation.items or (items_of(citation) if items_of and citation.quote.rstrip().endswith(":") else ())
    items = "".join(f"<li>{esc(text)}</li>" for _, text in listed)
    return f"<div class='quote'>“{esc(citation.quote)}”" + (f"<ul>{items}</ul>" if items else "") + "</div>"


def table_html(table: tuple[tuple[str, ...], ...], text: str) -> str:
    """A table whole, its header first, then its notes (the lines of its text that are no rows)."""
    head, *rows = table
    cells = "".join(f"<th>{esc(_spaced(h))}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    notes = [line for line in text.splitlines() if line.strip() and " | " not in line]
    return (f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"
            + "".join(f"<p class='note'>{esc(n)}</p>" for n in notes))


def _spaced(cell: str) -> str:
    """A footnote marker set apart from the word it follows: "rijksbijdrage 1)"."""
    return _FOOTNOTE_MARK.sub(r" \1", cell)


def article_html(chunks: Sequence[Chunk], target_id: str, t: UiText) -> str:
    """The whole article (or part) around a cited clause, the clause highlighted; '' when it is gone."""
    target = next((c for c in chunks if c.id == target_id), None)
    if target is None:
        return f"<p class='unknown'>{esc(t('sources.unknown'))}</p>"
    loc = target.location
    same = [c for c in chunks if c.location.document == loc.document and c.kind != ChunkKind.FOOTNOTE and (
        (loc.article and c.location.article == loc.article) or (not loc.article and c.location.part == loc.part))]
    title = f"Artikel {loc.article} – {loc.article_title}" if loc.article else loc.part
    rows = []
    for c in same:
        mark = " highlight" if c.id == target.id else ""
        page = f" ({esc(t('sources.page', page=c.location.page))})" if c.location.page else ""
        rows.append(f'<div class="clause{mark}"><span class="label">{esc(c.label)}</span>{page}<br>'
                    f"{table_html(c.table, c.text) if c.kind == 'table' and c.table else esc(c.text)}</div>")
    return (f"<div class='article'><h4>{esc(t('sources.whole', title=title))}</h4>{''.join(rows)}</div>")


def pdf_url(sources_dir: str, source: str, page: int | None) -> str:
    """The Gradio file route to a source PDF, opened at `page`."""
    path = f"{sources_dir.rstrip('/')}/{source}"
    return f"gradio_api/file={quote(path)}" + (f"#page={page}" if page else "")


def _bold(text: str) -> str:
    """Escaped text whose **…** parts are bold."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", esc(text))
