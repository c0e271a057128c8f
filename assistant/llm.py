"""Optional LLM answers through LangChain's chat models against any OpenAI-compatible endpoint.
Every [n] marker is verified after generation, and every cited sentence against the clauses it cites: its
figures and names must stand in them and its content must be close to them. Failures fall back to the
extractive answer."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from assistant.glossary import terms_of
from assistant.language import Language
from assistant.lexical import fold, tokens, with_stems
from assistant.prompts import phrase, prompt_file
from assistant.read import Query
from ingest.actors import ACTORS, Actor
from ingest.model import COVENANT_TITLE, Chunk
from parkstad.errors import LLMError

LANGUAGES = {Language.NL: "Dutch", Language.EN: "English", Language.DE: "German"}
MARK = "⚠︎"  # follows every sentence the cited clauses do not support (and every uncited one)
MAX_SENTENCE_CHARS = 1000  # a longer "sentence" is not checked: it is unsupported
_MARKER = re.compile(r"\[(\d{1,3})\]")
_ANY_MARKER = re.compile(r"\[\s*(-?\d{1,3})\s*\]")  # also [-1], [ 2 ]: kept only as a valid [n]
# The similarity of a sentence to each of the given clauses (the assistant's embedder); optional.
Similarity = Callable[[str, Sequence[Chunk]], list[float]]


@dataclass(frozen=True)
class LLMResult:
    """A verified LLM answer: text with only valid markers (unsupported and uncited sentences followed by
    MARK), the cited chunks, the uncited sentences (`flagged`) and the cited sentences their clauses do not
    support (`unsupported`)."""

    text: str
    cited: tuple[Chunk, ...]
    flagged: tuple[str, ...]
    declined: bool = False
    unsupported: tuple[str, ...] = ()
    supported: int = 0  # how many cited sentences their clauses support


class UnsupportedReply(LLMError):
    """A reply none of whose sentences the clauses it cites support."""

    def __init__(self, sentences: tuple[str, ...]) -> None:
        super().__init__("no sentence of the reply is supported by the clause it cites")
        self.sentences = sentences


class LLMAnswerer:
    """Asks the configured chat model, then checks every citation marker against the retrieved clauses. A call
    has one deadline (`timeout`, from connecting to the reply's last byte), its reply a size limit (`max_tokens`
    asked for, the HTTP body cut at `reply_bytes` and the text at `reply_chars`), and at most `concurrency` calls
    run at once: a question that finds them all busy falls back at once."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 20.0,
                 max_tokens: int = 1024, concurrency: int = 4) -> None:
        self.options = {"base_url": base_url, "model": model, "api_key": api_key or "not-needed", "max_retries": 0,
                        "temperature": 0, "max_tokens": max_tokens, "extra_body": {"max_tokens": max_tokens}}
        self.timeout = timeout
        self.reply_chars = 8 * max_tokens
        self.reply_bytes = 65_536 + 32 * max_tokens
        self._slots = threading.BoundedSemaphore(concurrency)

    def invoke(self, messages: list[tuple[str, str]]) -> str:
        """The model's reply to the messages, within the deadline and the size limit, else an LLMError. The call
        runs in its own thread with its own connection, closed when the deadline passes."""
        from langchain_openai import ChatOpenAI

        if not self._slots.acquire(blocking=False):
            raise LLMError("busy")
        transport = _Bounded(self.reply_bytes, time.monotonic() + self.timeout)
        client = httpx.Client(transport=transport, timeout=httpx.Timeout(self.timeout))
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                model = ChatOpenAI(**self.options, timeout=self.timeout, http_client=client)
                box["reply"] = model.invoke(messages)
            except Exception as exc:  # noqa: BLE001 - timeouts, connection errors and 5xx all fall back
                box["error"] = exc
            finally:
                client.close()
                self._slots.release()

        worker = threading.Thread(target=run, name="llm-call", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            transport.failure = transport.failure or "timeout"
            client.close()  # the worker stops at its next read
            raise LLMError("timeout")
        if "error" in box:
            raise LLMError(transport.failure or _reason(box["error"]))
        content = box["reply"].content
        return _cut(content, self.reply_chars) if isinstance(content, str) else ""

    def messages(self, query: Query, chunks: list[Chunk]) -> list[tuple[str, str]]:
        lang = query.language if query.language in LANGUAGES else Language.NL
        blocks = "\n\n".join(
            f"<<<CLAUSE {i}>>> {c.label}" + (f" (p. {c.location.page})" if c.location.page else "")
            + (" [a referenced document, not the covenant]" if referenced(c) else "")
            + f"\n{_neutralise(c.text)}\n<<<END CLAUSE {i}>>>"
            for i, c in enumerate(chunks, start=1)
        )
        system = prompt_file("llm_system.txt", title=COVENANT_TITLE, count=len(chunks), language=LANGUAGES[lang],
                             not_found=phrase(lang, "not_found"))
        user = prompt_file("llm_user.txt", clauses=blocks, question=_neutralise(query.text))
        return [("system", system), ("human", user)]

    def answer(self, query: Query, chunks: list[Chunk], similarity: Similarity | None = None) -> LLMResult:
        content = self.invoke(self.messages(query, chunks))
        lang = query.language if query.language in LANGUAGES else Language.NL
        result = verify(content, chunks, phrase(lang, "not_found"), language=lang, similarity=similarity)
        if not result.declined and not result.supported:
            raise UnsupportedReply(result.unsupported + result.flagged)
        return result


class _Bounded(httpx.BaseTransport):
    """HTTP over the default transport, reading a reply's body only up to `max_bytes` and until `deadline`."""

    def __init__(self, max_bytes: int, deadline: float) -> None:
        self.inner = httpx.HTTPTransport()
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.failure: str | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        return httpx.Response(response.status_code, headers=response.headers, stream=_Limited(response, self),
                              extensions=response.extensions)

    def close(self) -> None:
        self.inner.close()


class _Limited(httpx.SyncByteStream):
    def __init__(self, response: httpx.Response, bounds: _Bounded) -> None:
        self.response = response
        self.bounds = bounds

    def __iter__(self) -> Iterator[bytes]:
        seen = 0
        for chunk in self.response.stream:  # type: ignore[union-attr] - a sync stream
            seen += len(chunk)
            if seen > self.bounds.max_bytes:
                self.bounds.failure = "reply too large"
                raise httpx.ReadError("reply too large")
            if time.monotonic() > self.bounds.deadline:
                self.bounds.failure = "timeout"
                raise httpx.ReadTimeout("deadline passed")
            yield chunk

    def close(self) -> None:
        self.response.close()


def _cut(content: str, limit: int) -> str:
    """The reply up to `limit` characters, ended at its last line or sentence end before the limit."""
    if len(content) <= limit:
        return content
    head = content[:limit]
    end = max(head.rfind("\n"), head.rfind(". "))
    return head[: end + 1] if end > limit // 2 else head


def verify(content: str, chunks: list[Chunk], not_found: str = "", language: Language = Language.NL,
           similarity: Similarity | None = None) -> LLMResult:
    """Drop markers that point to no retrieved clause; flag sentences left without a valid citation; check every
    cited sentence against the clauses it cites (`supported`; one over MAX_SENTENCE_CHARS is unsupported
    unchecked, so the check is linear in the reply's length). A reply that opens with the prompt's sentence for
    "the clauses do not answer" (in any of the languages) is a decline, not a failure."""
    text = content.strip()
    if not text:
        raise LLMError("empty reply")
    if _declines(text, not_found):
        return LLMResult(text, (), (), declined=True)
    order: list[int] = []

    def keep(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if 1 <= n <= len(chunks):
            if n not in order:
                order.append(n)
            return f"[{n}]"
        return ""

    cleaned = re.sub(r"(?<![ \t])[ \t]++([.,;:])", r"\1", _ANY_MARKER.sub(keep, text)).strip()
    if not order:
        raise LLMError("the reply cites none of the retrieved clauses")
    flagged: list[str] = []
    unsupported: list[str] = []
    supported = 0
    out: list[str] = []
    last = 0
    for start, end in sentence_spans(cleaned):
        sentence = cleaned[start:end]
        out.append(cleaned[last:end])
        last = end
        cited = [chunks[int(n) - 1] for n in dict.fromkeys(_MARKER.findall(sentence))]
        if not re.search(r"\w", _MARKER.sub("", sentence)):
            continue  # markers alone, after the sentence they belong to
        if not cited:
            flagged.append(sentence)
        elif len(sentence) <= MAX_SENTENCE_CHARS and supports(sentence, cited, chunks, language, similarity):
            supported += 1
            continue
        else:
            unsupported.append(sentence)
        out.append(f" {MARK}")
    out.append(cleaned[last:])
    return LLMResult("".join(out), tuple(chunks[n - 1] for n in order), tuple(flagged),
                     unsupported=tuple(unsupported), supported=supported)


# ---- sentences -------------------------------------------------------------------------------------------------

_END = re.compile(r"[.!?]+(?:\s*\[\d{1,3}\])*(?:\([^()\s]*\))?(?=\s|$)")
_ABBREVIATIONS = frozenset(
    "mln mrd mio bn ca bijv bv vgl resp incl excl art nr no nos p pp blz o.a i.e e.g z.b d.h u.a bzw etc vs "
    "mevr dhr jr sr st dr prof ir drs mr ing cf ggf evtl zzgl inkl max min".split())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a reply as (start, end) spans; an end takes the [n] markers after its full stop. A full
    stop after an abbreviation (mln., z.B.), an initial or a day (31. Dezember), or before a lowercase word, ends
    no sentence; a line break always does. Linear in the text's length: each end looks only at its neighbours."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for m in _END.finditer(line):
            before = _BEFORE.search(line, max(0, m.start() - _WORD_BEFORE), m.start()).group(0)
            after = _AFTER.match(line, m.end()).group(1)
            word = before.lower().rstrip(".")
            if m.group(0).startswith(".") and not re.search(r"\]\s*\.?$|\)$", m.group(0)) and (
                    word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word) or "." in word
                    or (re.fullmatch(r"\d{1,2}", word) and after.isalpha())):
                continue
            if after.islower():
                continue
            spans.append((offset + _skip(line, start), offset + m.end()))
            start = m.end()
        if line[start:].strip():
            spans.append((offset + _skip(line, start), offset + len(line.rstrip())))
        offset += len(line) + 1
    return [s for s in spans if s[1] > s[0]]


_WORD_BEFORE = 40  # an abbreviation, initial or day before a full stop is shorter than this
_BEFORE = re.compile(r"[\w.]*$")
_AFTER = re.compile(r"\s*(\S?)")
_SPACE = re.compile(r"\s*")


def _skip(line: str, start: int) -> int:
    return _SPACE.match(line, start).end()


# ---- support ---------------------------------------------------------------------------------------------------

_MONTHS = {m: i for i, names in enumerate((
    ("januari", "january", "januar", "jan"), ("februari", "february", "februar", "feb"), ("maart", "march", "marz"),
    ("april", "apr"), ("mei", "may", "mai"), ("juni", "june", "jun"), ("juli", "july", "jul"),
    ("augustus", "august", "aug"), ("september", "sept", "sep"), ("oktober", "october", "okt", "oct"),
    ("november", "nov"), ("december", "dezember", "dec", "dez")), start=1) for m in names}
_NUMBER_WORDS = {w: i for i, names in enumerate((
    ("twee", "two", "zwei"), ("drie", "three", "drei"), ("vier", "four"), ("vijf", "five", "funf"),
    ("zes", "six", "sechs"), ("zeven", "seven", "sieben"), ("acht", "eight"), ("negen", "nine", "neun"),
    ("tien", "ten", "zehn"), ("elf", "eleven"), ("twaalf", "twelve", "zwolf"), ("dertien", "thirteen", "dreizehn"),
    ("veertien", "fourteen", "vierzehn"), ("vijftien", "fifteen", "funfzehn"), ("twintig", "twenty", "zwanzig"),
    ("dertig", "thirty", "dreissig"), ("honderd", "hundred", "hundert")), start=2) for w in names}
_NUMBER_WORDS.update({"vijftien": 15, "fifteen": 15, "funfzehn": 15, "twintig": 20, "twenty": 20, "zwanzig": 20,
                      "dertig": 30, "thirty": 30, "dreissig": 30, "honderd": 100, "hundred": 100, "hundert": 100})
_SCALES = {"miljoen": 6, "million": 6, "millionen": 6, "mln": 6, "mio": 6, "m": 6, "miljard": 9, "billion": 9,
           "milliarde": 9, "milliarden": 9, "mrd": 9, "bn": 9, "duizend": 3, "thousand": 3, "tausend": 3, "k": 3}
_DATE = re.compile(r"(?<![\w.,])(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})(?![\w])")
_FIGURE = re.compile(r"(?<![\w.,])(\d{1,3}(?:([.,])\d{3}(?:\2\d{3})*)(?![\d])|\d+(?:[.,]\d+)?)"
                     r"(?:\s*(miljoen|millionen|million|mln|mio|miljard|milliarden|milliarde|billion|mrd|bn|"
                     r"duizend|thousand|tausend|m|k)(?![a-z]))?")
_URL = re.compile(r"https?://[^\s)\]>]+|www\.[^\s)\]>]+", re.I)
_HTML = re.compile(r"</?[a-z][^>]*>", re.I)
_ACRONYM = re.compile(r"(?<![\w&])([A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:&[A-Z]+)?|[A-Z]&[A-Z])(?![\w&])")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# capitalised words that name no one: the deal, its structure, currencies, the days
_GENERIC_NAMES = frozenset(fold(w) for w in (
    "Regio Deal Parkstad Limburg III II IV Artikel Article Artikels Lid Programmalijn Programme Thema Theme Themen "
    "Euro EUR Bijlage Annex Anlage Partijen Partij Parties Party Partei Parteien Rijk Regio Region Stadsregio "
    "Zuid-Limburg Limburg Nederland Netherlands Niederlande Dutch German Deutschland Duitsland Germany").split())


def supports(sentence: str, cited: Sequence[Chunk], shown: Sequence[Chunk], language: Language = Language.NL,
             similarity: Similarity | None = None) -> bool:
    """Whether the clauses a sentence cites support it: every figure it states (an amount, a percentage, a year, a
    date, a count) stands in them, every name (an abbreviation like OCW, a capitalised name, a link) stands in
    them, and its content is close to them: most of its content words (in the covenant's terms) stand in them,
    or, by the embedder, the cited clause is the nearest of the clauses shown. A sentence in another language
    than the Dutch clauses that states figures or names they hold is supported on those."""
    claim = _MARKER.sub(" ", sentence)
    source = "\n".join(f"{c.label}\n{c.text}\n{c.embed_text}" for c in cited)
    if _HTML.search(claim):
        return False
    own = "\n".join(f"{c.text}\n{c.embed_text}" for c in cited if not referenced(c))
    if any(url.rstrip(".,;") not in own for url in _URL.findall(claim)):
        return False  # a link stands in the covenant's own words, never only in a referenced document
    claim = _URL.sub(" ", re.sub(r"\]\([^)]*\)", "]", claim))
    figures = _figures(claim, strict=True)
    if not figures <= _figures(source, strict=False):
        return False
    names = _names(claim, language)
    if not all(_holds_name(name, run, source) for name, run in names.items()):
        return False
    anchored = bool(figures or names)
    held, total = _held(claim, source)
    if total < 2 and not anchored:
        return True  # claims nothing ("Zie [1].")
    share = held / total if total else 1.0
    if share >= (0.5 if language == Language.NL else 0.34) or (
            anchored and (language != Language.NL or share >= 0.25)):
        return True
    if similarity is not None and len(shown) > 1:
        sims = similarity(claim, list(shown))
        best_cited = max(s for s, c in zip(sims, shown, strict=True) if c in cited)
        return best_cited >= max(sims) - (0.015 if language == Language.NL else 0.03)  # wider across languages
    return False


def referenced(chunk: Chunk) -> bool:
    """Whether a chunk comes from a document the covenant refers to, not from the covenant itself."""
    return chunk.location.part == "Document"


def _figures(text: str, strict: bool) -> set[float]:
    """The figures of a text, normalised: '30 miljoen', '€ 30.000.000' and '30 million' are all 30000000; dates
    give their day, month and year (a month named in words too); counts written as words give their number. A
    source (`strict` false) also gives the bare number of a scaled amount ('€ 15 mln.' gives 15)."""
    folded = fold(text)
    out: set[float] = set()
    for m in _DATE.finditer(folded):
        out |= {float(int(m.group(1))), float(int(m.group(2))), float(int(m.group(3)))}
    folded = _DATE.sub(" ", folded)
    for m in _FIGURE.finditer(folded):
        raw, separator, scale = m.group(1), m.group(2), m.group(3)
        value = float(raw.replace(separator, "")) if separator else float(raw.replace(",", "."))
        if scale:
            if not strict:
                out.add(value)
            value = round(value * 10 ** _SCALES[scale], 2)
        out.add(value)
    for word in _WORD.findall(folded):
        if word in _MONTHS and (word not in ("may", "mai", "mei", "jan", "apr", "jun", "jul", "aug", "sep", "okt",
                                             "oct", "nov", "dec", "dez", "feb") or not strict):
            out.add(float(_MONTHS[word]))
        elif word in _NUMBER_WORDS:
            out.add(float(_NUMBER_WORDS[word]))
    if strict and re.search(r"\bin acht\b", folded):
        out.discard(8.0)  # 'in acht nemen'
    return out


_RUN = re.compile(r"[A-ZÄÖÜ][\w'’&-]*(?:,?\s+(?:(?:of|and|for|the|van|en|voor|für|und|der|des|de)\s+)*"
                  r"[A-ZÄÖÜ][\w'’&-]*)*(?:\s*\([A-Z][\w&]*\))?")


def _names(claim: str, language: Language) -> dict[str, str]:
    """The names a sentence states, each with the whole name it stands in ('Culture' in 'the Ministry of
    Education, Culture and Science (OCW)'): abbreviations (OCW, JenV, I&W, RWTH) and, in Dutch and English,
    capitalised words inside the sentence (German capitalises every noun); months and generic words of the deal
    left out."""
    runs = [(m.start(), m.end(), m.group(0)) for m in _RUN.finditer(claim)]

    def whole(at: int) -> str:
        return next((run for start, end, run in runs if start <= at < end), "")

    names = {m.group(1): whole(m.start()) for m in _ACRONYM.finditer(claim)}
    if language != Language.DE:
        words = list(re.finditer(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", claim))
        for i, m in enumerate(words):
            word = m.group(0)
            previous = claim[:m.start()].rstrip()
            if i == 0 or previous.endswith((":", ".", "!", "?", "(", "“", '"', "‘")) or not word[:1].isupper() or (
                    len(word) < 2):
                continue
            names.setdefault(word, whole(m.start()))
    return {n: run for n, run in names.items() if fold(n) not in _GENERIC_NAMES and fold(n) not in _MONTHS
            and fold(n) not in _NUMBER_WORDS}


def _holds_name(name: str, run: str, source: str) -> bool:
    """Whether a name stands in the cited clauses: itself (or a word sharing its first five letters), the
    covenant's term the glossary gives for it (VAT: btw), or the party its whole name names, by any of its names
    (the Ministry of Education, Culture and Science: OCW)."""
    folded_source = fold(source)
    for part in re.split(r"[-'’]", name):
        if not part:
            continue
        f = fold(part)
        if re.search(rf"(?<![a-z0-9]){re.escape(f)}(?![a-z])", folded_source):
            continue
        if len(f) >= 5 and re.search(rf"(?<![a-z0-9]){re.escape(f[:5])}", folded_source):
            continue
        terms = tokens(terms_of(f))
        if terms and set(terms) & set(tokens(source)):
            continue
        if any(_names_actor(actor, name, run) and actor.found_in(source) for actor in ACTORS):
            continue
        return False
    return True


def _names_actor(actor: Actor, name: str, run: str) -> bool:
    """Whether a name is (part of) a name of the actor: an abbreviation of it, or a word of a whole name that
    names it ('Culture' in 'Ministry of Education, Culture and Science', or in '… Science (OCW)')."""
    abbreviation = actor.abbreviation_pattern
    if _ACRONYM.fullmatch(name):
        return bool(abbreviation and abbreviation.fullmatch(name)) or bool(actor.pattern.fullmatch(fold(name)))
    trailing = re.search(r"\(([A-Z][\w&]*)\)$", run)
    return bool(actor.pattern.search(fold(run))) or bool(trailing and abbreviation and
                                                          abbreviation.fullmatch(trailing.group(1)))


def _held(claim: str, source: str) -> tuple[int, int]:
    """How many of the sentence's content words stand in the source (stemmed, or by the covenant's term the
    glossary gives for them), and how many content words it has."""
    present = set(with_stems(tokens(source)))
    held = total = 0
    for raw in _WORD.findall(fold(claim)) + re.findall(r"\d+", claim):
        own = tokens(raw)
        if not own:
            continue
        total += 1
        forms = set(own) | set(tokens(terms_of(raw)))
        held += any(f in present or (len(f) >= 7 and f"~{f[:6]}" in present) for f in forms)
    return held, total


def _declines(text: str, not_found: str) -> bool:
    """Whether the reply opens with the prompt's sentence for 'the clauses do not answer' (in any language)."""
    spans = sentence_spans(text)
    first = _plain(_MARKER.sub("", text[: spans[0][1]] if spans else text))
    return any(first == p
               for p in {_plain(s) for s in (not_found, *(phrase(lang, "not_found") for lang in LANGUAGES)) if s})


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
