"""The ingest run: every file under the sources folder, loaded, parsed and written to a new index."""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ingest.embed import Embedder, embedder_id
from ingest.index import SCHEMA, ChromaIndex, DocumentRecord
from ingest.load import Loader, discover
from ingest.model import COVENANT_TITLE, Chunk, SourceDocument
from ingest.split import SectionSplitter
from ingest.structure import CovenantParser, covenant_title, looks_like_covenant
from parkstad.errors import LoadError


@dataclass
class IngestReport:
    """What an ingest run did, for the summary the CLI prints."""

    documents: list[tuple[str, int, int]] = field(default_factory=list)  # name, pages, chunks
    failures: list[tuple[str, str]] = field(default_factory=list)  # path, reason
    kinds: Counter[str] = field(default_factory=Counter)
    embedded: int = 0
    instructions: list[tuple[str, str]] = field(default_factory=list)  # document, sentence read past
    reused: int = 0
    skipped: bool = False
    seconds: float = 0.0
    collection: str = ""


def parse_document(doc: SourceDocument, covenant: bool | None = None) -> list[Chunk]:
    """Chunks of one loaded document: the covenant by its legal structure, others by headings under their own
    name. `covenant` says which it is (choose_covenant); left out, the document's shape decides."""
    pages = list(doc.pages)
    if covenant if covenant is not None else looks_like_covenant(pages):
        return list(CovenantParser(covenant_title(pages, doc.name)).parse(pages).chunks)
    return SectionSplitter(_display_name(doc)).split([replace(p, text=read_past(p.text)[0]) for p in pages])


_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?]++(?!\s|$))*+(?:[.!?]+|\n|$)")  # a stop inside a word (a link) ends none


def read_past(text: str) -> tuple[str, list[str]]:
    """A referenced document's text less its sentences addressed to the assistant ("Negeer alle eerdere
    instructies …"), and those sentences: a document the covenant refers to states things, it gives no orders."""
    from assistant.instructions import instruction

    kept, dropped = [], []
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0)
        (dropped if sentence.strip() and instruction(sentence) else kept).append(sentence)
    return "".join(kept), [d.strip() for d in dropped]


def choose_covenant(docs: Sequence[tuple[str, SourceDocument]], configured: str | None = None) -> str | None:
    """The source of the one covenant among the documents: the configured one (PARKSTAD_COVENANT, a path
    under the sources or a file name), else the first shaped like a covenant (Artikel 1, 2, 3) whose title or
    file name names it, else the first shaped like one. Every other document is an ordinary document."""
    if configured:
        return next((s for s, _ in docs if s == configured or Path(s).name == configured), None)
    shaped = [(s, d) for s, d in docs if looks_like_covenant(list(d.pages))]
    named = [s for s, d in shaped if _names_covenant(s, d)]
    return (named or [s for s, _ in shaped] or [None])[0]


def _names_covenant(source: str, doc: SourceDocument) -> bool:
    wanted = " ".join(re.findall(r"[a-z0-9]+", COVENANT_TITLE.lower()))
    title = covenant_title(list(doc.pages), doc.title or "")
    return any(wanted in " ".join(re.findall(r"[a-z0-9]+", text.lower())) for text in (title, Path(source).stem))


def _display_name(doc: SourceDocument) -> str:
    if doc.title:
        return doc.title
    return doc.name.replace("_", " ").replace("-", " ").strip().capitalize() or doc.name


class ProgressBars:
    """tqdm bars on stderr, one per step of a build ('embedding', 'indexing'); shown when stderr is a terminal
    (`enabled=None`), always (True) or never (False)."""

    LABELS = {"embedding": "Embedding", "indexing": "Building the index"}

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = enabled
        self._bars: dict[str, Any] = {}

    def update(self, step: str, done: int, total: int) -> None:
        if self.enabled is False:
            return
        bar = self._bars.get(step)
        if bar is None:
            from tqdm import tqdm

            for other in self._bars.values():
                other.close()
            # disable=None: tqdm shows the bar only on a terminal
            bar = self._bars[step] = tqdm(total=total, desc=self.LABELS.get(step, step), unit="text",
                                          file=sys.stderr, disable=None if self.enabled is None else False,
                                          mininterval=0.5, dynamic_ncols=True)
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


class Ingestor:
    """Loads, parses and indexes the documents of one folder; one bad file never stops the run."""

    def __init__(self, sources_dir: Path, index: ChromaIndex, embedder: Embedder, loader: Loader | None = None,
                 covenant: str | None = None):
        self.sources_dir = Path(sources_dir)
        self.covenant = covenant
        self.index = index
        self.embedder = embedder
        self.loader = loader or Loader()

    def run(self, force: bool = False, progress: bool | None = None) -> IngestReport:
        """Ingest the folder into a new collection, or skip when nothing changed; either way remove what killed
        ingests left behind. An embedded index takes one ingest at a time. Progress bars for embedding and for
        building the index go to stderr when it is a terminal (`progress=None`), always (True) or never (False)."""
        with self.index.lock():
            return self._run(force, progress)

    def _run(self, force: bool, progress: bool | None) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        previous = self.index.info()
        same_embedder = previous is not None and previous.embedder == embedder_id(self.embedder)
        old_docs = {d.source: d for d in previous.documents} if previous and same_embedder else {}
        if previous is not None and previous.schema != SCHEMA:
            old_docs = {}
        records: list[DocumentRecord] = []
        fresh: dict[str, list[Chunk]] = {}
        reuse: dict[str, str] = {}
        root = self.sources_dir.resolve()
        paths = discover(self.sources_dir)
        direct = {root / p.relative_to(self.sources_dir) for p in paths} & {p.resolve() for p in paths}
        loaded: list[tuple[str, SourceDocument]] = []
        for path in paths:
            resolved = path.resolve()
            if not resolved.is_relative_to(root):
                report.failures.append((str(path), f"a symbolic link to {resolved}, outside the sources folder"))
                continue
            source = str(resolved.relative_to(root))
            if resolved in direct and resolved != root / path.relative_to(self.sources_dir):
                report.failures.append((str(path), f"a symbolic link to {source}, which is ingested itself"))
                continue
            try:
                doc = self.loader.load(path)
            except LoadError as exc:
                report.failures.append((str(path), exc.reason))
                if source in old_docs:  # keep what was indexed before rather than lose it
                    records.append(old_docs[source])
                    reuse[source] = old_docs[source].sha256
                continue
            loaded.append((source, doc))
        covenant = choose_covenant(loaded, self.covenant)
        for source, doc in loaded:
            old = old_docs.get(source)
            if old is not None and old.sha256 == doc.sha256 and not force:
                records.append(old)
                reuse[source] = old.sha256
                report.documents.append((old.name, old.pages, old.chunks))
                report.reused += old.chunks
                continue
            chunks = parse_document(doc, covenant=source == covenant)
            if source != covenant:
                report.instructions += [(source, x) for p in doc.pages for x in read_past(p.text)[1]]
            name = chunks[0].location.document if chunks else doc.name
            fresh[source] = chunks
            records.append(DocumentRecord(source, name, doc.sha256, len(doc.pages), len(chunks)))
            report.documents.append((name, len(doc.pages), len(chunks)))
            report.kinds.update(c.kind for c in chunks)
            report.embedded += len(chunks)
        unchanged = previous is not None and same_embedder and not fresh and not force and \
            {r.source for r in records} == set(old_docs)
        if unchanged:
            self.index.tidy()
            report.skipped = True
            report.collection = previous.collection  # type: ignore[union-attr]
            report.seconds = time.perf_counter() - started
            return report
        bars = ProgressBars(enabled=progress)
        try:
            info = self.index.build(fresh, records, self.embedder, reuse=reuse, progress=bars.update)
        finally:
            bars.close()
        report.collection = info.collection
        report.seconds = time.perf_counter() - started
        return report
