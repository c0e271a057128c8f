"""Chroma under stress, with the real processes: a paused `chroma run` server, two ingests at once into one
server or one folder, and ingests killed halfway whose leftovers the next ingest or `doctor --fix` removes."""

from __future__ import annotations

import logging
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.service import Assistant
from ingest.index import ChromaIndex, open_client
from ingest.pipeline import Ingestor
from parkstad.errors import IndexUnavailableError, QuestionError
from parkstad.settings import Settings
from tests.helpers import ROOT, free_port, start_chroma

TIMEOUT_S = 2.0
MARK = "Zwanenvijver"  # a word of the questions that must never reach a log line
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def deal_text(sections: int) -> str:
    """A small work programme with one heading per project, so an ingest embeds `sections` chunks or so."""
    parts = ["# Werkprogramma Parkstad\n"]
    for i in range(1, sections + 1):
        parts.append(f"## Project {i}\n\nDe gemeente Heerlen en Stadsregio Parkstad werken in project {i} aan wonen, "
                     f"werk en veiligheid in wijk {i}. Het budget voor project {i} is {i * 10} duizend euro; het "
                     f"project loopt tot en met {2026 + i % 5}.\n")
    return "\n".join(parts)


def within(seconds: float, fn: Callable[[], Any]) -> Any:
    """fn's result, or its exception, or a test failure when it has not returned within `seconds`."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"still waiting after {seconds} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def cli(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "cli.py"), *args], cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, timeout: float = 240) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def wait_for(what: str, check: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"waited {seconds} s for {what}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - (process, port)
    port = free_port()
    proc = start_chroma(tmp_path_factory.mktemp("chroma"), port)
    yield proc, port
    proc.send_signal(signal.SIGCONT)
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sources")
    (folder / "werkprogramma.md").write_text(deal_text(30), encoding="utf-8")
    return folder


def server_env(port: int, collection: str, sources: Path) -> dict[str, str]:
    return {"PARKSTAD_CHROMA_HOST": "127.0.0.1", "PARKSTAD_CHROMA_PORT": str(port),
            "PARKSTAD_COLLECTION": collection, "PARKSTAD_SOURCES_DIR": str(sources),
            "PARKSTAD_CHROMA_TIMEOUT_S": str(TIMEOUT_S)}


def server_names(port: int, prefix: str) -> set[str]:
    client = open_client(Path("."), "127.0.0.1", port)
    return {getattr(c, "name", c) for c in client.list_collections() if getattr(c, "name", c).startswith(prefix)}


def test_paused_chroma_fails_fast_keeps_no_question_in_logs_and_answers_again(server, sources, embedder, caplog):
    proc, port = server
    env = server_env(port, "paused", sources)
    Ingestor(sources, ChromaIndex(open_client(Path("."), "127.0.0.1", port), "paused"), embedder).run(progress=False)
    assistant = within(60, lambda: Assistant.from_settings(Settings.from_env(env)))
    assistant.reload_every_s = 0.0  # every question re-checks the index pointer
    assert within(60, lambda: assistant.ask(f"Wat doet Heerlen in project 3 bij de {MARK}?")).citations
    caplog.set_level(logging.DEBUG)
    proc.send_signal(signal.SIGSTOP)
    try:
        with pytest.raises(QuestionError):
            within(1.0, lambda: assistant.ask("   "))  # checked before the index is touched
        started = time.monotonic()
        with pytest.raises(IndexUnavailableError):
            within(TIMEOUT_S + 2, lambda: assistant.ask(f"Wie betaalt project 7 bij de {MARK}?"))
        with pytest.raises(IndexUnavailableError):
            within(TIMEOUT_S + 2, lambda: assistant.ask(f"Wie betaalt project 8 bij de {MARK}?"))
        assert time.monotonic() - started < 2 * TIMEOUT_S + 3
        info = within(TIMEOUT_S + 2, assistant.state)[0]  # the loaded corpus is still served
        assert info.collection.startswith("paused_")
        result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "ask", f"Wat doet de {MARK}?"], cwd=ROOT,
                                env={**os.environ, **env}, capture_output=True, text=True, timeout=90)
        assert result.returncode == 2 and "index unavailable" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    finally:
        proc.send_signal(signal.SIGCONT)
    answers: list[Any] = []

    def answered() -> bool:
        try:
            answers.append(within(30, lambda: assistant.ask(f"Wat doet Heerlen in project 3 bij de {MARK}?")))
        except IndexUnavailableError:
            time.sleep(0.3)
        return bool(answers)

    wait_for("answers after SIGCONT", answered, 20)
    assert answers[0].citations
    records = [r.getMessage() + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
               for r in caplog.records]
    assert not [r for r in records if MARK in r]
    assert any("answered" in r for r in records)


def test_two_ingests_into_one_server_both_finish_and_the_last_one_wins(server, sources, embedder):
    _, port = server
    env = server_env(port, "twice", sources)
    first, second = cli(["ingest", "--force"], env), cli(["ingest", "--force"], env)
    results = [finish(first), finish(second)]
    assert [r[0] for r in results] == [0, 0], [r[2][-2000:] for r in results]
    index = ChromaIndex(open_client(Path("."), "127.0.0.1", port), "twice")
    info = index.info()
    built = {re.search(r"collection (twice_\w+)", r[1]).group(1) for r in results}  # type: ignore[union-attr]
    assert info is not None and info.collection in built
    assert server_names(port, "twice_") <= built | {"twice_meta"}
    assert Assistant(index, embedder).ask("Wat is het budget voor project 12?").citations


def test_killed_ingests_into_a_server_are_cleaned_by_doctor_fix_and_by_the_next_ingest(server, sources, embedder):
    _, port = server
    env = server_env(port, "killed", sources)
    index = ChromaIndex(open_client(Path("."), "127.0.0.1", port), "killed")
    Ingestor(sources, index, embedder).run(progress=False)
    active = index.info().collection  # type: ignore[union-attr]
    for cleaner in (["doctor", "--fix"], ["ingest"]):
        proc = cli(["ingest", "--force"], env)
        wait_for("a collection being built", lambda: len(server_names(port, "killed_")) > 2)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert len(server_names(port, "killed_")) == 3
        code, out, err = finish(cli(cleaner, env))
        assert code == 0, out + err
        assert server_names(port, "killed_") == {active, "killed_meta"}, cleaner
        assert index.info().collection == active  # type: ignore[union-attr]


def folder_state(index_dir: Path) -> tuple[set[str], set[str], set[str]]:
    """Collections, segment ids and segment folders of an embedded index, read from its files."""
    try:
        with sqlite3.connect(f"file:{index_dir / 'chroma.sqlite3'}?mode=ro", uri=True, timeout=10) as db:
            names = {n for (n,) in db.execute("select name from collections")}
            segments = {s for (s,) in db.execute("select id from segments")}
    except sqlite3.Error:
        return set(), set(), set()
    folders = {p.name for p in index_dir.iterdir() if p.is_dir() and _UUID.match(p.name)}
    return names, segments, folders


def test_embedded_ingests_run_one_at_a_time_and_killed_ones_leave_nothing(tmp_path, sources, embedder):
    index_dir = tmp_path / "idx"
    env = {"PARKSTAD_SOURCES_DIR": str(sources), "PARKSTAD_INDEX_DIR": str(index_dir)}
    Ingestor(sources, ChromaIndex(open_client(index_dir)), embedder).run(progress=False)
    first = cli(["ingest", "--force"], env)
    wait_for("the first ingest to build", lambda: len(folder_state(index_dir)[0]) > 2)
    code, _, err = finish(cli(["ingest", "--force"], env))
    assert code == 2 and "another ingest is running" in err and "Traceback" not in err, err
    code, _, err = finish(first)
    assert code == 0, err
    names = folder_state(index_dir)[0]
    for cleaner in (["doctor", "--fix"], ["ingest"]):
        proc = cli(["ingest", "--force"], env)
        wait_for("a collection being built", lambda: len(folder_state(index_dir)[0]) > len(names))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        code, out, err = finish(cli(cleaner, env))
        assert code == 0, out + err
        after, segments, folders = folder_state(index_dir)
        assert after == names, cleaner
        assert folders <= segments, (cleaner, folders - segments)
    answer = Assistant(ChromaIndex(open_client(index_dir)), embedder).ask("Wat is het budget voor project 12?")
    assert answer.citations
