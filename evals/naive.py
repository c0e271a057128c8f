"""The naive baseline: fixed-size chunks (LangChain 1000/200) of the raw text, all-MiniLM-L6-v2, Chroma.
It has no clause labels, so it is scored on what it can be: evidence in its top 5 and facts in its top chunk."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from evals.dataset import Item
from evals.score import norm

SOURCE = Path(__file__).resolve().parent.parent / "data" / "sources" / "regio-deal-parkstad-limburg-iii.txt"


def naive_baseline(items: list[Item], model: str = "all-MiniLM-L6-v2") -> dict[str, Any]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.embed import make_embedder
    from ingest.index import open_client

    pieces = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_text(
        SOURCE.read_text(encoding="utf-8"))
    emb = make_embedder(f"sentence-transformers:{model}")
    with tempfile.TemporaryDirectory() as tmp:
        col = open_client(Path(tmp)).create_collection("naive", embedding_function=None)
        col.add(ids=[str(i) for i in range(len(pieces))], embeddings=emb.embed_documents(pieces), documents=pieces)
        hits = facts = refused = 0
        pos = [i for i in items if i.answerable]
        times = []
        for item in pos:
            started = time.perf_counter()
            got = col.query(query_embeddings=[emb.embed_query(item.question)], n_results=5)["documents"][0]
            times.append((time.perf_counter() - started) * 1000)
            texts = [norm(t) for t in got]
            hits += any(norm(ev) in t for ev in item.evidence for t in texts)
            facts += all(any(norm(a) in texts[0] for a in group) for group in item.facts)
        refused = 0  # it never refuses
    n = len(pos) or 1
    return {"n": len(items), "hit_at_5": round(hits / n, 3), "key_facts": round(facts / n, 3),
            "negatives_refused": refused, "p50_ms": round(sorted(times)[len(times) // 2], 1) if times else None}
