"""The app's first start ingests when there is no index, and ingests again when the index was built by an older
version of the code, so a `git pull` never leaves the app unable to start."""

from __future__ import annotations

import shutil

import pytest

import app as app_module
import ingest.embed
from assistant.service import Assistant
from ingest.index import POINTER_ID, SCHEMA, open_index
from parkstad.settings import Settings
from tests.helpers import COVENANT


@pytest.fixture
def settings(tmp_path, embedder, monkeypatch) -> Settings:
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(COVENANT, sources / COVENANT.name)
    monkeypatch.setattr(ingest.embed, "make_embedder", lambda _name: embedder)  # the cached real model
    return Settings(sources_dir=sources, index_dir=tmp_path / "index")


def test_first_start_ingests_and_an_older_layout_is_rebuilt(settings, embedder, capsys):
    app_module.ensure_index(settings)
    index = open_index(settings)
    first = index.info()
    assert first is not None and first.schema == SCHEMA
    app_module.ensure_index(settings)  # a current index is left as it is
    assert index.info().collection == first.collection
    meta = index._meta()
    pointer = meta.get(ids=[POINTER_ID], include=["metadatas"])["metadatas"][0]
    meta.upsert(ids=[POINTER_ID], embeddings=[[1.0]], documents=["pointer"], metadatas=[{**pointer, "schema": "1"}])
    capsys.readouterr()
    app_module.ensure_index(settings)
    assert "older version" in capsys.readouterr().out
    rebuilt = index.info()
    assert rebuilt.schema == SCHEMA and rebuilt.collection != first.collection
    assert Assistant(index, embedder).ask("Wie is de regiokassier?").found
