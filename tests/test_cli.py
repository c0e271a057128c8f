"""The `parkstad` command line, run as a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import COVENANT, ROOT


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=300, cwd=ROOT)


def test_ingest_prints_a_summary_and_skips_when_unchanged(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(COVENANT, sources / COVENANT.name)
    (sources / "kapot.pdf").write_bytes(b"not a pdf at all")
    env = {"PARKSTAD_SOURCES_DIR": str(sources), "PARKSTAD_INDEX_DIR": str(tmp_path / "idx")}
    first = run(["ingest"], env)
    assert first.returncode == 3, first.stderr  # one file was skipped
    assert "Regio Deal Parkstad Limburg III: 17 pages, 230 chunks" in first.stdout
    assert "footnote 33" in first.stdout and "table 1" in first.stdout
    assert f"SKIPPED {sources / 'kapot.pdf'}: not a PDF" in first.stderr
    (sources / "kapot.pdf").unlink()
    second = run(["ingest"], env)
    assert second.returncode == 0 and "up to date" in second.stdout
    assert Path(tmp_path / "idx").is_dir()


def test_bad_setting_names_the_variable(tmp_path):
    result = run(["ingest"], {"PARKSTAD_CHROMA_PORT": "abc"})
    assert result.returncode == 2
    assert "PARKSTAD_CHROMA_PORT" in result.stderr and "Traceback" not in result.stderr
