"""The covenant's legal structure: parts, articles, leden, programmalijnen, themes, clauses, footnotes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ingest.actors import actors_in
from ingest.holds import AMOUNT, held_values, what_it_holds
from ingest.model import Chunk, ChunkKind, Location, Page
from ingest.pages import Line, Note, split_page_ends
from ingest.text import join_lines, vocabulary

ARTICLE = re.compile(r"^Artikel\s+(\d{1,2})\s*[–—-]\s*(\S.*?)\s*$")
PROGRAMMALIJN = re.compile(r"^Programmalijn\s+(\d)\s+(\S.*)$")
THEMA = re.compile(r"^Thema\s*(\d{1,2})?\s*:?\s+(\S.*)$")
LID = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
LETTER = re.compile(r"^([a-z])\.\s+(\S.*)$")
BULLET = re.compile(r"^[•▪●◦·]\s*(.*)$")
PARTS = ("Partijen", "Partners", "Begripsbepaling", "Overwegingen", "Opgaven", "Relatie tot",
         "Komen het volgende overeen")
_NAMED = re.compile(r"te noemen:\s*([^;.]+)[;.]")
_CLOSING = re.compile(r"(?<!\s)\s++(?=Partij(?:en)? genoemd onder \d)")
_DEFINITION_SPLIT = re.compile(r";\s*(?=[A-Z][\w’'()/ -]{1,80}:)")
_LIST_INTRO = re.compile(r"^(?P<body>.*[.;])\s+(?P<intro>[A-Z][^.;]*:)$")
_INTRA_HYPHEN = re.compile(r"(?<!\w)(\w++)-(\w+)")


@dataclass
class Unit:
    """A piece of the covenant being collected line by line before it becomes a chunk."""

    kind: str
    loc: Location
    lines: list[Line] = field(default_factory=list)
    marker: str = ""  # what the document prints before its text: '13.', 'a.', '•', or a theme's heading line


@dataclass(frozen=True)
class ParsedDocument:
    """The chunks of one document, plus the link lists removed from its page ends."""

    chunks: tuple[Chunk, ...]
    links: dict[int, tuple[str, ...]]


def looks_like_covenant(pages: list[Page]) -> bool:
    numbers = {int(m.group(1)) for p in pages for ln in p.text.split("\n") if (m := ARTICLE.match(ln.strip()))}
    return {1, 2, 3} <= numbers


def covenant_title(pages: list[Page], fallback: str) -> str:
    for page in pages[:1]:
        for line in page.text.split("\n"):
            if line.strip():
                title = " ".join(line.split())
                return title if "Regio Deal" in title and len(title) < 80 else fallback
    return fallback


class CovenantParser:
    """Parses a Regio Deal covenant into clause-level chunks with structured locations."""

    def __init__(self, document: str) -> None:
        self.document = document

    def parse(self, pages: list[Page]) -> ParsedDocument:
        ends = split_page_ends([(p.number, p.text) for p in pages])
        vocab = vocabulary([ln.text for ln in ends.lines])
        units = _Walker(self.document, vocab).walk(ends.lines)
        chunks: list[Chunk] = []
        for unit in units:
            chunks.extend(_to_chunks(unit, vocab))
        chunks.extend(_note_chunks(self.document, ends.notes, ends.links))
        return ParsedDocument(tuple(_dedupe(chunks)), {k: tuple(v) for k, v in ends.links.items()})


class _Walker:
    """A state machine over body lines; markers (headings, numbers, letters, bullets) open new units."""

    def __init__(self, document: str, vocab: set[str]) -> None:
        self.vocab = vocab
        self.units: list[Unit] = []
        self.loc = Location(document=document, part="Titel")
        self.unit: Unit | None = None
        self.expected_article = 1
        self.expected_lid = 1
        self.expected_letter = "a"
        self.bullets = 0
        self.last_thema = 0

    def walk(self, lines: list[Line]) -> list[Unit]:
        body = [ln for ln in lines if ln.text.strip()]
        for i, line in enumerate(body):
            text = line.text.strip()
            nxt = body[i + 1].text.strip() if i + 1 < len(body) else ""
            self._step(line, text, nxt)
        units = [u for u in self.units if any(ln.text.strip() for ln in u.lines)]
        with_text = {u.loc.article for u in units}
        for u in self.units:  # an article with no text at all still keeps its title
            if u.kind == "article" and not u.lines and u.loc.article not in with_text:
                u.kind = "heading"
                u.lines.append(Line(u.loc.article_title or "", u.loc.page or 0))
                units.append(u)
                with_text.add(u.loc.article)
        units.sort(key=lambda u: self.units.index(u))
        titles = {u.loc.programmalijn: join_lines([ln.text for ln in u.lines], self.vocab)
                  for u in units if u.kind == "heading"}
        for u in units:
            if u.loc.programmalijn in titles:
                u.loc = replace(u.loc, programmalijn_title=titles[u.loc.programmalijn])
        return units

    def _open(self, kind: str, loc: Location, line: Line | None, marker: str = "") -> None:
        self.unit = Unit(kind, replace(loc, page=line.page if line else None), marker=marker)
        self.units.append(self.unit)
        if line is not None:
            self.unit.lines.append(line)

    def _add(self, line: Line) -> None:
        if self.unit is None:
            self._open("preamble", self.loc, None)
        assert self.unit is not None
        if self.unit.loc.page is None:
            self.unit.loc = replace(self.unit.loc, page=line.page)
        self.unit.lines.append(line)

    def _step(self, line: Line, text: str, nxt: str) -> None:
        if self._part_heading(line, text):
            return
        m = ARTICLE.match(text)
        if m and int(m.group(1)) == self.expected_article:
            self._article(line, m)
            return
        if self.loc.article is None:
            self._before_articles(line, text)
            return
        if self._section_heading(text, nxt):
            return
        if len(AMOUNT.findall(text)) >= 2:
            self._table_row(line)
            return
        if self.unit is not None and self.unit.kind == "table" and not LID.match(text):
            self.unit.lines.append(line)
            return
        self._in_article(line, text)

    def _part_heading(self, line: Line, text: str) -> bool:
        if self.loc.article is not None or len(text) > 90:
            return False
        name = text.rstrip(": ").strip()
        if not any(name.startswith(p) for p in PARTS):
            return False
        if name.startswith("Komen het volgende overeen"):
            self.unit = None
            return True
        self.loc = Location(document=self.loc.document, part=name)
        self.expected_lid = 1
        self.unit = None
        return True

    def _before_articles(self, line: Line, text: str) -> None:
        part = self.loc.part
        m = LID.match(text)
        b = BULLET.match(text)
        if m and int(m.group(1)) == self.expected_lid:
            self.expected_lid += 1
            kind = {"Partijen": "party", "Overwegingen": "consideration", "Opgaven": "opgave"}.get(part, "preamble")
            self._open(kind, replace(self.loc, item=m.group(1)), line, f"{m.group(1)}.")
            line.text = m.group(2)
        elif b and part in ("Partners", "Begripsbepaling"):
            self._open("partner" if part == "Partners" else "definition", self.loc, line, "•")
            line.text = b.group(1)
        elif self.unit is None or (part == "Begripsbepaling" and self.unit.kind != "definition"):
            self._open("preamble", self.loc, line)
        else:
            self._add(line)

    def _article(self, line: Line, m: re.Match[str]) -> None:
        self.expected_article += 1
        self.expected_lid = 1
        self.expected_letter = "a"
        part = self.loc.part if self.loc.article is not None else "Artikelen"
        self.loc = Location(
            document=self.loc.document, part=part, article=m.group(1), article_title=m.group(2)
        )
        self.unit = None
        self._open("article", replace(self.loc, page=line.page), None)

    def _section_heading(self, text: str, nxt: str) -> bool:
        m = ARTICLE.match(nxt)
        if not m or int(m.group(1)) != self.expected_article or len(text) > 120 or text[-1] in ".;:,":
            return False
        if LID.match(text) or LETTER.match(text) or BULLET.match(text):
            return False
        self.loc = replace(self.loc, part=text)
        self.unit = None
        return True

    def _in_article(self, line: Line, text: str) -> None:
        pl = PROGRAMMALIJN.match(text)
        if pl and int(pl.group(1)) == int(self.loc.programmalijn or 0) + 1:
            self.loc = replace(self.loc, lid=None, programmalijn=pl.group(1), programmalijn_title=pl.group(2),
                               thema=None, thema_name=None, letter=None, bullet=None)
            self.last_thema = 0
            self._open("heading", self.loc, line)
            self.unit.lines.clear()  # type: ignore[union-attr]
            self.unit.lines.append(Line(pl.group(2), line.page))  # type: ignore[union-attr]
            return
        th = THEMA.match(text)
        if th and self.loc.lid is not None:
            self._thema(line, th, within_lid=False)
            return
        m = LID.match(text)
        if m and int(m.group(1)) == self.expected_lid:
            self.expected_lid += 1
            self.expected_letter = "a"
            self.bullets = 0
            self.loc = replace(self.loc, lid=m.group(1), letter=None, bullet=None)
            if self.loc.programmalijn:
                self.loc = replace(self.loc, thema=None, thema_name=None)
            line.text = m.group(2)
            inner = THEMA.match(m.group(2))
            if inner and self.loc.programmalijn:
                self._thema(line, inner, within_lid=True)
                self.unit.marker = f"{m.group(1)}."  # type: ignore[union-attr]
                return
            self._open("lid", self.loc, line, f"{m.group(1)}.")
            return
        m = LETTER.match(text)
        if m and m.group(1) == self.expected_letter:
            self.expected_letter = chr(ord(self.expected_letter) + 1)
            self.bullets = 0
            self.loc = replace(self.loc, letter=m.group(1), bullet=None)
            line.text = m.group(2)
            self._open("clause", self.loc, line, f"{m.group(1)}.")
            return
        b = BULLET.match(text)
        if b and self.loc.article == "2":
            self.bullets += 1
            line.text = b.group(1)
            self._open("bullet", replace(self.loc, bullet=self.bullets), line, "•")
            return
        self._add(line)

    def _thema(self, line: Line, m: re.Match[str], within_lid: bool) -> None:
        number = m.group(1)
        rest = m.group(2)
        name, _, _ = rest.partition(". ")
        name = name.rstrip(". ").strip()
        if number is None:
            number = str(self.last_thema + 1)
        self.last_thema = int(number)
        name = _INTRA_HYPHEN.sub(
            lambda h: h.group(0) if (h.group(1) + h.group(2)).lower() not in self.vocab else h.group(1) + h.group(2)
            if h.group(2)[0].islower() else h.group(0),
            name,
        )
        self.loc = replace(self.loc, thema=number, thema_name=name, letter=None, bullet=None)
        self.expected_letter = "a"
        self.bullets = 0
        if within_lid:
            self._open("lid", self.loc, line)
        else:
            heading_rest = rest[len(name) :].lstrip(". ").strip() if rest.startswith(name) else ""
            heading = line.text.strip()
            self._open("intro", self.loc, None, heading[: len(heading) - len(heading_rest)].strip())
            self.unit.loc = replace(self.unit.loc, page=line.page)  # type: ignore[union-attr]
            if heading_rest:
                self.unit.lines.append(Line(heading_rest, line.page))  # type: ignore[union-attr]

    def _table_row(self, line: Line) -> None:
        if self.unit is None or self.unit.kind != "table":
            header: list[Line] = []
            if self.unit is not None:
                cut = max((i for i, ln in enumerate(self.unit.lines) if ln.text.rstrip().endswith(":")), default=-1)
                header = self.unit.lines[cut + 1 :]
                del self.unit.lines[cut + 1 :]
            self._open("table", replace(self.loc, letter=None, bullet=None, item="tabel"), None)
            assert self.unit is not None
            self.unit.lines.extend(header)
            if header:
                self.unit.loc = replace(self.unit.loc, page=header[0].page)
        assert self.unit is not None
        self.unit.lines.append(Line("\x00ROW " + line.text, line.page, line.notes))


def _to_chunks(unit: Unit, vocab: set[str]) -> list[Chunk]:
    loc = replace(unit.loc, page_end=unit.lines[-1].page if unit.lines else unit.loc.page)
    if loc.page_end == loc.page:
        loc = replace(loc, page_end=None)
    notes = tuple(n for ln in unit.lines for n in ln.notes)
    if unit.kind == "table":
        return [_table_chunk(unit, loc, notes)]
    text = join_lines([ln.text for ln in unit.lines], vocab)
    if unit.kind == "heading":
        return [Chunk.create(ChunkKind.HEADING, text, loc, parties=actors_in(text), footnotes=notes)]
    if unit.kind == "party":
        return _party_chunks(text, loc, notes, unit.marker)
    if unit.kind == "definition":
        return [_definition(piece, loc, notes if i == 0 else (), unit.marker) for i, piece in
                enumerate(_DEFINITION_SPLIT.split(text))]
    if unit.kind == "partner":
        return [Chunk.create(ChunkKind.PARTNER, text, replace(loc, item=text.rstrip(";. ")), parties=actors_in(text),
                             footnotes=notes, marker=unit.marker)]
    if unit.kind == "bullet":
        m = _LIST_INTRO.match(text)
        if m:
            intro_loc = replace(loc, bullet=None)
            return [
                Chunk.create(ChunkKind.BULLET, m.group("body"), loc, parties=actors_in(m.group("body")),
                             footnotes=notes, marker=unit.marker),
                Chunk.create(ChunkKind.CLAUSE, m.group("intro"), intro_loc, parties=actors_in(m.group("intro"))),
            ]
    kind = ChunkKind(unit.kind) if unit.kind in ("consideration", "opgave", "preamble", "intro", "bullet") else (
        ChunkKind.CLAUSE)
    if unit.kind == "consideration":
        loc = replace(loc, item=f"overweging {loc.item}")
    if unit.kind == "opgave":
        loc = replace(loc, item=f"opgave {loc.item}")
    return [Chunk.create(kind, text, loc, parties=actors_in(text), footnotes=notes, marker=unit.marker)]


def _party_chunks(text: str, loc: Location, notes: tuple[int, ...], marker: str = "") -> list[Chunk]:
    pieces: list[tuple[str, str | None]] = []
    rest = text
    while (m := _NAMED.search(rest)) is not None:
        pieces.append((rest[: m.end()].strip(), m.group(1).strip()))
        rest = rest[m.end() :]
    if rest.strip():
        pieces.append((rest.strip(), None))
    chunks = []
    for i, (piece, name) in enumerate(pieces):
        if i == 0:
            entry, closing = split_closing(piece)  # searched as before, shown without the closing sentence
            party_loc = replace(loc, item=f"partij {loc.item}" + (f" ({name})" if name else ""))
            parties = actors_in(piece)
            chunks.append(Chunk.create(ChunkKind.PARTY, entry, party_loc, parties=parties, footnotes=notes,
                                       context=closing, marker=marker,
                                       embed_text=f"{party_loc.breadcrumb}\n{piece}",
                                       holds=what_it_holds(ChunkKind.PARTY, held_values(piece), parties)))
        else:
            item = name if name and name != "Partijen" else None
            chunks.append(Chunk.create(ChunkKind.PREAMBLE, piece, replace(loc, item=item), parties=actors_in(piece)))
    return chunks


def split_closing(entry: str) -> tuple[str, str]:
    """A party's entry and the closing sentence that follows the last one ("Partij genoemd onder 10 handelend
    in diens hoedanigheid …, hierna te noemen: de Regio;"), which names the party but is not part of it."""
    head, *tail = _CLOSING.split(entry, maxsplit=1)
    return head.strip(), " ".join(tail).strip()


def _definition(piece: str, loc: Location, notes: tuple[int, ...], marker: str = "") -> Chunk:
    term, _, _ = piece.partition(":")
    return Chunk.create(ChunkKind.DEFINITION, piece.strip(), replace(loc, item=term.strip()), parties=actors_in(piece),
                        footnotes=notes, marker=marker)


def _table_chunk(unit: Unit, loc: Location, notes: tuple[int, ...]) -> Chunk:
    rows: list[tuple[str, ...]] = []
    header_words: list[str] = []
    table_notes: list[str] = []
    for ln in unit.lines:
        text = " ".join(ln.text.split())
        if ln.text.startswith("\x00ROW "):
            row = ln.text[5:]
            first = row.find("€")
            amounts = [" ".join(a.split()) for a in AMOUNT.findall(row)]
            rows.append((" ".join(row[:first].split()), *amounts))
        elif re.match(r"^\d\)\s", text):
            table_notes.append(text)
        elif text:
            header_words.extend(text.split())
    width = max((len(r) for r in rows), default=0)
    header = _header_cells(header_words, width)
    table = (header, *rows) if header else tuple(rows)
    lines = [" | ".join(r) for r in table] + table_notes
    text = "\n".join(lines)
    readable = []
    for row in rows:
        cells = [f"{h}: {v}" for h, v in zip(header[1:], row[1:], strict=False)] if header else list(row[1:])
        readable.append(f"{row[0]} — " + "; ".join(cells))
    embed = "\n".join([loc.breadcrumb, "Tabel met de verdeling van de bijdragen:", *readable, *table_notes])
    return Chunk.create(ChunkKind.TABLE, text, loc, embed_text=embed, parties=actors_in(text), footnotes=notes,
                        table=tuple(tuple(r) for r in table))


def _header_cells(words: list[str], width: int) -> tuple[str, ...]:
    if not words or width < 2:
        return ()
    cells: list[list[str]] = []
    for word in words:
        if word[0].isupper() or not cells:
            cells.append([word])
        else:
            cells[-1].append(word)
    if len(cells) != width:
        return ()
    return tuple(" ".join(c) for c in cells)


def _note_chunks(document: str, notes: list[Note], links: dict[int, list[str]]) -> list[Chunk]:
    assigned = _assign_links(notes, links)
    chunks = []
    for note in notes:
        loc = Location(document=document, part="Voetnoten", item=str(note.number), page=note.page)
        chunks.append(Chunk.create(ChunkKind.FOOTNOTE, note.text, loc, parties=actors_in(note.text),
                                   links=tuple(assigned.get(note.number, ())), marker=str(note.number)))
    return chunks


_URL_IN_TEXT = re.compile(r"(?:https?|file)://\S+")
_COMMON = {"https", "http", "www", "html", "file", "assets", "galleries", "dashboard", "zie"}


def _assign_links(notes: list[Note], links: dict[int, list[str]]) -> dict[int, list[str]]:
    """A footnote's links: the URLs in its text, plus each link of its page's list whose words it shares most."""
    out: dict[int, list[str]] = {n.number: [u.rstrip(".,;") for u in _URL_IN_TEXT.findall(n.text)] for n in notes}
    for page, urls in links.items():
        page_notes = [n for n in notes if n.page == page]
        for url in urls:
            flat = re.sub(r"[^a-z0-9]", "", url.lower())
            best, best_score = None, 0
            for note in page_notes:
                if any(re.sub(r"[^a-z0-9]", "", u.lower()) == flat for u in out[note.number]):
                    best, best_score = note, 10_000
                    break
                words = [w for w in re.findall(r"[a-z0-9]+", note.text.lower()) if w not in _COMMON]
                tokens = {w for w in words if len(w) >= 3} | {a + b for a, b in zip(words, words[1:], strict=False)}
                score = sum(len(t) for t in tokens if len(t) >= 3 and t in flat)
                if score > best_score:
                    best, best_score = note, score
            if best is not None and best_score < 10_000 and url not in out[best.number]:
                out[best.number].append(url)
    return out


def _dedupe(chunks: list[Chunk]) -> list[Chunk]:
    seen: set[str] = set()
    out = []
    for chunk in chunks:
        if chunk.id not in seen and chunk.text.strip():
            seen.add(chunk.id)
            out.append(chunk)
    return out
