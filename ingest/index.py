"""Chroma: build a new collection completely, then switch the pointer to it; read the active one back."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.embed import Embedder, embedder_id
from ingest.model import Chunk
from ingest.text import evidence_units
from parkstad.errors import IndexMismatchError, IndexMissingError, IndexUnavailableError, InvalidValueError

POINTER_ID = "active"
SCHEMA = "9"  # 6: exactly one covenant (ingest.pipeline.choose_covenant); 7: sentence and breadcrumb vectors;
# 8: the values a chunk holds (Chunk.held); 9: what the document prints before a chunk (Chunk.marker)
DEFAULT_TIMEOUT_S = 5.0
HEARTBEAT_S = 5.0  # a collection being built says so this often ...
STALE_S = 60.0  # ... and is taken for a killed build when its builder has been silent this long
LOCK_FILE = ".ingest.lock"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
log = logging.getLogger("parkstad")


def open_client(index_dir: Path, host: str | None = None, port: int = 8000, timeout_s: float = DEFAULT_TIMEOUT_S,
                create: bool = True) -> Any:
    """An embedded PersistentClient, or an HttpClient against `chroma run` when a host is given (every request
    bounded by `timeout_s`). Without `create`, a missing index folder is an IndexMissingError, not a new folder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    where = f"Chroma server {host}:{port}" if host else f"index folder {index_dir}"
    if not host and not create and not Path(index_dir).is_dir():
        raise IndexMissingError(f"no index in {index_dir}: run `parkstad ingest` first")
    try:
        if host:
            client = _deadline(timeout_s, f"connecting to the {where}",
                               lambda: chromadb.HttpClient(host=host, port=port, settings=settings))
            _bound_requests(client, timeout_s)
            return client
        Path(index_dir).mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(index_dir), settings=settings)
    except IndexUnavailableError:
        raise
    except Exception as exc:  # noqa: BLE001 - chromadb raises many types when the server is down
        raise IndexUnavailableError(f"cannot open the {where}: {exc}") from None


def open_index(settings: Any, create: bool = True) -> ChromaIndex:
    """The configured index (a `parkstad.settings.Settings`): folder or server, collection prefix, timeout."""
    client = open_client(settings.index_dir, settings.chroma_host, settings.chroma_port, settings.chroma_timeout_s,
                         create=create)
    return ChromaIndex(client, settings.collection, settings.chroma_timeout_s)


def _bound_requests(client: Any, timeout_s: float) -> None:
    """chromadb's HttpClient sends its requests without a timeout; give its httpx session one."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(timeout_s)


def _deadline(timeout_s: float, what: str, fn: Callable[[], Any]) -> Any:
    """fn's result, run in a daemon thread; an IndexUnavailableError when it has not returned in time."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, name="chroma-call", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise TimeoutError(f"Chroma did not answer within {timeout_s:g} s while {what}")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _alive(host: str, pid: int) -> bool | None:
    """Whether the process of a build on this machine still runs; None when it ran on another one."""
    if host != socket.gethostname() or pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class DocumentRecord:
    """What the index knows about one ingested source file."""

    source: str
    name: str
    sha256: str
    pages: int
    chunks: int


@dataclass(frozen=True)
class Child:
    """A vector stored beside the clauses: a sentence of a clause (key: the clause's id) or a breadcrumb (key:
    the breadcrumb's text)."""

    role: str
    key: str
    vector: tuple[float, ...]


@dataclass(frozen=True)
class IndexInfo:
    """The pointer to the active collection and how it was built."""

    collection: str
    embedder: str
    built_at: float
    documents: tuple[DocumentRecord, ...]
    schema: str = SCHEMA


class ChromaIndex:
    """The assistant's index in Chroma: a pointer record plus one complete collection per build.

    Against a Chroma server every call has a deadline (`timeout_s`). A server that misses it is taken for down:
    further calls fail at once with IndexUnavailableError while a background heartbeat waits for it, and work
    again as soon as it answers. A build marks its collection as being built (machine, process, heartbeat), so
    that concurrent builds leave each other's collections alone and the last to finish wins; the collections of
    killed builds are removed by the next ingest and by `tidy()` (`parkstad doctor --fix`)."""

    def __init__(self, client: Any, prefix: str = "parkstad", timeout_s: float | None = DEFAULT_TIMEOUT_S) -> None:
        self.client = client
        self.prefix = prefix
        self.timeout_s = timeout_s if timeout_s and _is_http(client) else None
        self._down_since: float | None = None
        self._probe: threading.Thread | None = None

    def _call(self, what: str, fn: Callable[[], Any]) -> Any:
        if self._down_since is not None:
            raise IndexUnavailableError(f"the Chroma server has not answered for "
                                        f"{time.monotonic() - self._down_since:.1f} s (while {what})")
        try:
            if self.timeout_s is None:
                return fn()
            return _deadline(self.timeout_s, what, fn)
        except (IndexMissingError, IndexMismatchError):
            raise
        except Exception as exc:  # noqa: BLE001 - connection errors come in many types
            if self.timeout_s is not None and _is_timeout(exc):
                self._went_down()
                raise IndexUnavailableError(f"the Chroma server did not answer within {self.timeout_s:g} s "
                                            f"while {what}") from None
            raise IndexUnavailableError(f"Chroma failed while {what}: {type(exc).__name__}: {exc}") from None

    def _went_down(self) -> None:
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.warning("the Chroma server does not answer; questions fail until it does")
        if self._probe is None or not self._probe.is_alive():
            self._probe = threading.Thread(target=self._wait_until_up, name="chroma-probe", daemon=True)
            self._probe.start()

    def _wait_until_up(self) -> None:
        while True:
            try:
                self.client.heartbeat()
            except Exception:  # noqa: BLE001 - still down
                time.sleep(0.5)
                continue
            log.warning("the Chroma server answers again")
            self._down_since = None
            return

    def _meta(self) -> Any:
        return self.client.get_or_create_collection(f"{self.prefix}_meta", embedding_function=None)

    def info(self) -> IndexInfo | None:
        def read() -> IndexInfo | None:
            got = self._meta().get(ids=[POINTER_ID], include=["metadatas"])
            if not got["ids"]:
                return None
            meta = got["metadatas"][0]
            docs = tuple(DocumentRecord(**d) for d in json.loads(meta["documents"]))
            return IndexInfo(meta["collection"], meta["embedder"], float(meta["built_at"]), docs,
                             str(meta.get("schema", "")))

        return self._call("reading the index pointer", read)

    def require(self, embedder: Embedder) -> IndexInfo:
        info = self.info()
        if info is None:
            raise IndexMissingError("no index yet: run `parkstad ingest` first")
        if info.embedder != embedder_id(embedder):
            raise IndexMismatchError(
                f"the index was built with {info.embedder}, but {embedder_id(embedder)} is configured; "
                "run `parkstad ingest --force` to rebuild it, or set PARKSTAD_EMBEDDINGS back"
            )
        if info.schema != SCHEMA:
            raise IndexMismatchError("the index was built by an older version; run `parkstad ingest --force`")
        return info

    def collection(self, info: IndexInfo) -> Any:
        return self._call("opening the collection",
                          lambda: self.client.get_collection(info.collection, embedding_function=None))

    def build(
        self,
        chunks_by_source: dict[str, list[Chunk]],
        documents: Iterable[DocumentRecord],
        embedder: Embedder,
        reuse: dict[str, str] | None = None,
        progress: Progress | None = None,
        batch_size: int = 32,
    ) -> IndexInfo:
        """Write a new collection: fresh chunks are embedded; sources listed in `reuse` (source -> sha256)
        are copied with their embeddings from the active collection. Only then switch the pointer.
        `progress(step, done, total)` hears of every batch embedded ('embedding') and written ('indexing')."""
        previous = self.info()
        name = f"{self.prefix}_{time.strftime('%Y%m%d%H%M%S')}_{uuid.uuid4().hex[:6]}"
        mark = {"embedder": embedder_id(embedder), "building": True, "host": socket.gethostname(),
                "pid": os.getpid(), "heartbeat": time.time()}
        new = self._call("creating a collection", lambda: self.client.create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}, metadata=mark))
        with self._heartbeat(new, mark):
            try:
                info = self._fill(new, name, previous, chunks_by_source, documents, embedder, reuse,
                                  progress or _silent, batch_size)
            except BaseException:
                with contextlib.suppress(Exception):  # else the next ingest removes it
                    self.client.delete_collection(name)
                raise
            self._cleanup(keep={name})
        with contextlib.suppress(IndexUnavailableError):
            self._call("marking the collection built", lambda: new.modify(
                metadata={**mark, "building": False, "heartbeat": time.time()}))
        return info

    def _fill(self, new: Any, name: str, previous: IndexInfo | None, chunks_by_source: dict[str, list[Chunk]],
              documents: Iterable[DocumentRecord], embedder: Embedder, reuse: dict[str, str] | None,
              progress: Progress, batch_size: int) -> IndexInfo:
        documents = tuple(documents)
        shas = {d.source: d.sha256 for d in documents}
        pending = [(src, c) for src, chunks in chunks_by_source.items() for c in chunks]
        seq = {c.id: i for _, chunks in chunks_by_source.items() for i, c in enumerate(chunks)}
        rows: list[_Row] = []
        for start in range(0, len(pending), batch_size):
            batch = pending[start : start + batch_size]
            for src, chunk in batch:
                meta = chunk.to_metadata()
                meta.update(source=src, source_sha=shas.get(src, ""), seq=seq[chunk.id])
                rows.append((chunk.id, chunk.embed_text, meta))
            rows += self._children(batch, shas, seq)
        rows = list({row[0]: row for row in rows}.values())  # a breadcrumb shared by batches: once, as the last
        vectors: list[list[float]] = []
        for start in range(0, len(rows), batch_size):  # embed everything first: the slow part, with its own bar
            vectors += embedder.embed_documents([text for _, text, _ in rows[start : start + batch_size]])
            progress("embedding", len(vectors), len(rows))
        if reuse and previous is not None:
            old = self.collection(previous)
            for source, sha in reuse.items():
                got = self._call("reading old records", lambda s=source, h=sha: old.get(
                    where={"$and": [{"source": s}, {"source_sha": h}]},
                    include=["embeddings", "documents", "metadatas"]))
                if got["ids"]:
                    self._call("copying records", lambda g=got: new.add(
                        ids=g["ids"], embeddings=g["embeddings"], documents=g["documents"],
                        metadatas=g["metadatas"]))
        for start in range(0, len(rows), 4 * batch_size):
            part, part_vectors = rows[start : start + 4 * batch_size], vectors[start : start + 4 * batch_size]
            self._call("writing chunks", lambda p=part, v=part_vectors: new.upsert(
                ids=[i for i, _, _ in p], embeddings=v, documents=[t for _, t, _ in p], metadatas=[m for *_, m in p]))
            progress("indexing", start + len(part), len(rows))
        info = IndexInfo(name, embedder_id(embedder), time.time(), documents)
        self._switch(info)
        return info

    @staticmethod
    def _children(batch: list[tuple[str, Chunk]], shas: dict[str, str], seq: dict[str, int]) -> list[_Row]:
        """Beside each clause, a vector per sentence or list item (a fact in one sentence of a long part is found
        by that sentence; a hit cites its clause), and one per distinct breadcrumb of the batch."""
        rows: list[_Row] = []
        crumbs: set[tuple[str, str]] = set()
        for src, chunk in batch:
            base = {"source": src, "source_sha": shas.get(src, ""), "seq": seq[chunk.id]}
            for k, unit in enumerate(evidence_units(chunk.text)):
                rows.append((_child_id(chunk.id, "sentence", str(k)), unit,
                             {**base, "role": "sentence", "parent": chunk.id}))
            crumb = chunk.location.breadcrumb
            if crumb and (src, crumb) not in crumbs:
                crumbs.add((src, crumb))
                rows.append((_child_id(src, "breadcrumb", crumb), crumb,
                             {**base, "role": "breadcrumb", "crumb": crumb}))
        return rows

    @contextlib.contextmanager
    def _heartbeat(self, collection: Any, mark: dict[str, Any]) -> Iterator[None]:
        """While the block runs, the collection's metadata says every few seconds that it is being built."""
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(HEARTBEAT_S):
                with contextlib.suppress(Exception):
                    collection.modify(metadata={**mark, "heartbeat": time.time()})

        thread = threading.Thread(target=beat, name="chroma-heartbeat", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def _switch(self, info: IndexInfo) -> None:
        current = self.info()
        meta = {
            "collection": info.collection,
            "previous": current.collection if current and current.collection != info.collection else "",
            "embedder": info.embedder,
            "built_at": info.built_at,
            "schema": info.schema,
            "documents": json.dumps([d.__dict__ for d in info.documents], ensure_ascii=False),
        }
        self._call("switching the index", lambda: self._meta().upsert(
            ids=[POINTER_ID], embeddings=[[1.0]], documents=["pointer"], metadatas=[meta]))

    def tidy(self, dry_run: bool = False) -> list[str]:
        """Remove what no reader needs: collections of finished builds that are neither active nor the one
        active before it, collections of killed builds, and (embedded) the folders of deleted collections.
        Returns what was removed (with `dry_run`, what would be)."""
        return self._cleanup(keep=set(), dry_run=dry_run)

    def _cleanup(self, keep: set[str], dry_run: bool = False) -> list[str]:
        def listed() -> list[tuple[str, dict[str, Any]]]:
            return [(c.name, dict(c.metadata or {})) for c in self.client.list_collections()]

        removed = []
        collections = self._call("listing collections", listed)  # before the pointer: see below
        got = self._call("reading the index pointer", lambda: self._meta().get(ids=[POINTER_ID],
                                                                               include=["metadatas"]))
        pointer = got["metadatas"][0] if got["ids"] else {}
        keep = keep | {f"{self.prefix}_meta", str(pointer.get("collection", "")), str(pointer.get("previous", ""))}
        for name, meta in collections:
            # a build marks itself built only after switching the pointer, which is read after the listing
            if not name.startswith(self.prefix + "_") or name in keep or self._building(meta):
                continue
            if dry_run:
                removed.append(name)
                continue
            try:
                self.client.delete_collection(name)
                removed.append(name)
            except Exception:  # noqa: BLE001, S110 - another process may have removed it already
                pass
        return removed + self._orphan_folders(dry_run)

    @staticmethod
    def _building(meta: dict[str, Any]) -> bool:
        if not meta.get("building"):
            return False
        if _alive(str(meta.get("host", "")), int(meta.get("pid", 0) or 0)) is False:
            return False
        return time.time() - float(meta.get("heartbeat", 0) or 0) < STALE_S

    def folder(self) -> Path | None:
        """The index folder of an embedded client; None for a Chroma server."""
        if _is_http(self.client):
            return None
        path = getattr(self.client.get_settings(), "persist_directory", None)
        return Path(path) if path else None

    def _orphan_folders(self, dry_run: bool = False) -> list[str]:
        """Chroma leaves the folder of a deleted collection's vectors behind: remove the ones no segment owns."""
        folder = self.folder()
        if folder is None or not (folder / "chroma.sqlite3").is_file():
            return []
        try:
            with contextlib.closing(sqlite3.connect(f"file:{folder / 'chroma.sqlite3'}?mode=ro", uri=True,
                                                    timeout=10)) as db:
                owned = {str(s) for (s,) in db.execute("select id from segments")}
        except sqlite3.Error:
            return []
        removed = []
        for path in folder.iterdir():
            if path.is_dir() and not path.is_symlink() and _UUID.match(path.name) and path.name not in owned:
                if not dry_run:
                    shutil.rmtree(path, ignore_errors=True)
                removed.append(f"folder {path.name}")
        return removed

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """One ingest at a time into an embedded index folder (Chroma's files are not safe for two writing
        processes); IndexUnavailableError when another holds it. A Chroma server needs no lock."""
        folder = self.folder()
        if folder is None:
            yield
            return
        import fcntl

        path = folder / LOCK_FILE
        with open(path, "a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.seek(0)
                holder = handle.read().strip()
                raise IndexUnavailableError(f"another ingest is running into {folder}"
                                            + (f" (process {holder})" if holder else "")
                                            + "; wait for it to finish") from None
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            try:
                yield
            finally:
                handle.seek(0)
                handle.truncate()
                handle.flush()
                fcntl.flock(handle, fcntl.LOCK_UN)

    def chunks(self, info: IndexInfo) -> list[Chunk]:
        col = self.collection(info)
        got = self._call("reading chunks", lambda: col.get(where=_CLAUSES, include=["documents", "metadatas"]))
        rows = sorted(zip(got["ids"], got["documents"], got["metadatas"], strict=True),
                      key=lambda r: (str(r[2].get("source", "")), int(r[2].get("seq", 0))))
        try:
            return [Chunk.from_record(i, d, m) for i, d, m in rows]
        except InvalidValueError as exc:  # a value this version does not know: written by another version
            raise IndexMismatchError(f"the index holds {exc}; run `parkstad ingest --force`") from exc

    def vectors(self, info: IndexInfo) -> dict[str, list[float]]:
        """Every chunk's stored embedding, by chunk id (the answerability decision compares them with the question)."""
        col = self.collection(info)
        got = self._call("reading vectors", lambda: col.get(where=_CLAUSES, include=["embeddings"]))
        return {i: list(map(float, v)) for i, v in zip(got["ids"], got["embeddings"], strict=True)}

    def children(self, info: IndexInfo) -> list[Child]:
        """The sentence and breadcrumb vectors stored beside the clauses."""
        col = self.collection(info)
        got = self._call("reading sentences", lambda: col.get(
            where={"role": {"$in": ["sentence", "breadcrumb"]}}, include=["embeddings", "metadatas"]))
        return [Child(str(m["role"]), str(m.get("parent") or m.get("crumb") or ""), tuple(map(float, v)))
                for m, v in zip(got["metadatas"], got["embeddings"], strict=True)]

    def query(self, info: IndexInfo, vector: list[float], k: int) -> list[tuple[str, float]]:
        col = self.collection(info)
        got = self._call("searching", lambda: col.query(query_embeddings=[vector], n_results=k, where=_CLAUSES,
                                                        include=["distances"]))
        return list(zip(got["ids"][0], got["distances"][0], strict=True))


_CLAUSES = {"role": "clause"}
_Row = tuple[str, str, dict[str, Any]]  # id, text, metadata
Progress = Callable[[str, int, int], None]  # step, done, total


def _silent(step: str, done: int, total: int) -> None:
    return None


def _child_id(*parts: str) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:24]


def _is_http(client: Any) -> bool:
    try:
        return "fastapi" in str(client.get_settings().chroma_api_impl).lower()
    except Exception:  # noqa: BLE001 - not a chromadb client
        return False


def _is_timeout(exc: BaseException) -> bool:
    import httpx

    return isinstance(exc, TimeoutError | httpx.TimeoutException)
