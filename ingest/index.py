"""Chroma: build a new collection completely, then switch the pointer to it; read the active one back."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from ingest.embed import embedder_id
from ingest.model import Chunk
from parkstad.errors import IndexMismatchError, IndexMissingError, IndexUnavailableError

POINTER_ID = "active"
SCHEMA = "5"


def open_client(index_dir: Path, host: str | None = None, port: int = 8000) -> Any:
    """An embedded PersistentClient, or an HttpClient against `chroma run` when a host is given."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if host:
            return chromadb.HttpClient(host=host, port=port, settings=settings)
        Path(index_dir).mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(index_dir), settings=settings)
    except Exception as exc:  # noqa: BLE001 - chromadb raises many types when the server is down
        where = f"Chroma server {host}:{port}" if host else f"index folder {index_dir}"
        raise IndexUnavailableError(f"cannot open the {where}: {exc}") from None


@dataclass(frozen=True)
class DocumentRecord:
    """What the index knows about one ingested source file."""

    source: str
    name: str
    sha256: str
    pages: int
    chunks: int


@dataclass(frozen=True)
class IndexInfo:
    """The pointer to the active collection and how it was built."""

    collection: str
    embedder: str
    built_at: float
    documents: tuple[DocumentRecord, ...]
    schema: str = SCHEMA


class ChromaIndex:
    """The assistant's index in Chroma: a pointer record plus one complete collection per build."""

    def __init__(self, client: Any, prefix: str = "parkstad") -> None:
        self.client = client
        self.prefix = prefix

    def _call(self, what: str, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except (IndexMissingError, IndexMismatchError):
            raise
        except Exception as exc:  # noqa: BLE001 - connection errors come in many types
            raise IndexUnavailableError(f"Chroma failed while {what}: {type(exc).__name__}: {exc}") from None

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

    def require(self, embedder: Embeddings) -> IndexInfo:
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
        embedder: Embeddings,
        reuse: dict[str, str] | None = None,
        progress: Callable[[int], None] | None = None,
        batch_size: int = 32,
    ) -> IndexInfo:
        """Write a new collection: fresh chunks are embedded; sources listed in `reuse` (source -> sha256)
        are copied with their embeddings from the active collection. Only then switch the pointer."""
        previous = self.info()
        name = f"{self.prefix}_{time.strftime('%Y%m%d%H%M%S')}_{uuid.uuid4().hex[:6]}"
        new = self._call("creating a collection", lambda: self.client.create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": embedder_id(embedder)}))
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
        shas = {d.source: d.sha256 for d in documents}
        pending = [(src, c) for src, chunks in chunks_by_source.items() for c in chunks]
        seq = {c.id: i for _, chunks in chunks_by_source.items() for i, c in enumerate(chunks)}
        for start in range(0, len(pending), batch_size):
            batch = pending[start : start + batch_size]
            vectors = embedder.embed_documents([c.embed_text for _, c in batch])
            metas = []
            for src, chunk in batch:
                meta = chunk.to_metadata()
                meta.update(source=src, source_sha=shas.get(src, ""), seq=seq[chunk.id])
                metas.append(meta)
            self._call("writing chunks", lambda b=batch, v=vectors, m=metas: new.upsert(
                ids=[c.id for _, c in b], embeddings=v, documents=[c.embed_text for _, c in b], metadatas=m))
            if progress:
                progress(len(batch))
        info = IndexInfo(name, embedder_id(embedder), time.time(), tuple(documents))
        self._switch(info)
        self._cleanup(keep={name, previous.collection if previous else name})
        return info

    def _switch(self, info: IndexInfo) -> None:
        meta = {
            "collection": info.collection,
            "embedder": info.embedder,
            "built_at": info.built_at,
            "schema": info.schema,
            "documents": json.dumps([d.__dict__ for d in info.documents], ensure_ascii=False),
        }
        self._call("switching the index", lambda: self._meta().upsert(
            ids=[POINTER_ID], embeddings=[[1.0]], documents=["pointer"], metadatas=[meta]))

    def _cleanup(self, keep: set[str]) -> None:
        def names() -> list[str]:
            return [getattr(c, "name", c) for c in self.client.list_collections()]

        for name in self._call("listing collections", names):
            if name.startswith(self.prefix + "_") and name != f"{self.prefix}_meta" and name not in keep:
                try:
                    self.client.delete_collection(name)
                except Exception:  # noqa: BLE001, S110 - another process may have removed it already
                    pass

    def chunks(self, info: IndexInfo) -> list[Chunk]:
        col = self.collection(info)
        got = self._call("reading chunks", lambda: col.get(include=["documents", "metadatas"]))
        rows = sorted(zip(got["ids"], got["documents"], got["metadatas"], strict=True),
                      key=lambda r: (str(r[2].get("source", "")), int(r[2].get("seq", 0))))
        return [Chunk.from_record(i, d, m) for i, d, m in rows]

    def vectors(self, info: IndexInfo) -> dict[str, list[float]]:
        """Every chunk's stored embedding, by chunk id (the answerability decision compares them with the question)."""
        col = self.collection(info)
        got = self._call("reading vectors", lambda: col.get(include=["embeddings"]))
        return {i: list(map(float, v)) for i, v in zip(got["ids"], got["embeddings"], strict=True)}

    def query(self, info: IndexInfo, vector: list[float], k: int) -> list[tuple[str, float]]:
        col = self.collection(info)
        got = self._call("searching", lambda: col.query(query_embeddings=[vector], n_results=k,
                                                        include=["distances"]))
        return list(zip(got["ids"][0], got["distances"][0], strict=True))
