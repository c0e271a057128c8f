"""The app, started for real on a free loopback port over its own index: the covenant plus a document
that carries HTML and a script, to check that nothing from a document reaches the page unescaped."""

from __future__ import annotations

import shutil

import pytest

from app import CSS, build_app
from assistant.service import Assistant
from ingest.index import ChromaIndex, open_client
from ingest.pipeline import Ingestor
from parkstad.settings import Settings
from tests.helpers import COVENANT, free_port

HOSTILE = """# Bijlage veiligheid

Deze bijlage over het Veilig Ontwerp en Beheer bevat <script>window.__pwned = 1; alert('xss')</script> en
<img src=x onerror="window.__pwned = 2"> als tekst.
"""


@pytest.fixture(scope="session")
def ui_settings(tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("ui")
    sources = root / "sources"
    sources.mkdir()
    shutil.copy(COVENANT, sources / COVENANT.name)
    (sources / "bijlage-veiligheid.md").write_text(HOSTILE, encoding="utf-8")
    return Settings(sources_dir=sources, index_dir=root / "index", feedback_file=root / "feedback.jsonl",
                    port=free_port())


@pytest.fixture(scope="session")
def ui_assistant(ui_settings, embedder) -> Assistant:
    index = ChromaIndex(open_client(ui_settings.index_dir))
    Ingestor(ui_settings.sources_dir, index, embedder).run(progress=False)
    return Assistant(index, embedder)


@pytest.fixture(scope="session")
def running_app(ui_assistant, ui_settings):
    demo = build_app(ui_assistant, ui_settings)
    demo.launch(server_name="127.0.0.1", server_port=ui_settings.port, prevent_thread_lock=True, css=CSS,
                quiet=True)
    yield f"http://127.0.0.1:{ui_settings.port}/"
    demo.close()
