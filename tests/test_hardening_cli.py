"""The `parkstad` command with hostile input, as real subprocesses: a symbolic link out of the sources folder,
bytes that are not UTF-8 in argv and on stdin, and a missing index folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT


def deal_text(sections: int) -> str:
    parts = ["# Werkprogramma Parkstad\n"]
    for i in range(1, sections + 1):
        parts.append(f"## Project {i}\n\nDe gemeente Heerlen en Stadsregio Parkstad werken in project {i} aan wonen "
                     f"en veiligheid in wijk {i}. Het budget voor project {i} is {i * 10} duizend euro.\n")
    return "\n".join(parts)


def run(args: list[str | bytes], env: dict[str, str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], cwd=ROOT, env={**os.environ, **env},
                          input=stdin, capture_output=True, timeout=240)


@pytest.fixture(scope="module")
def index_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("cli")
    (root / "sources").mkdir()
    (root / "sources" / "werkprogramma.md").write_text(deal_text(6), encoding="utf-8")
    env = {"PARKSTAD_SOURCES_DIR": str(root / "sources"), "PARKSTAD_INDEX_DIR": str(root / "idx")}
    result = run(["ingest"], env)
    assert result.returncode == 0, result.stderr.decode()
    return env


def test_a_link_out_of_the_sources_folder_is_skipped_with_its_reason(tmp_path):
    sources = tmp_path / "sources"
    (sources / "sub").mkdir(parents=True)
    (sources / "werkprogramma.md").write_text(deal_text(3), encoding="utf-8")
    outside = tmp_path / "elders"
    outside.mkdir()
    (outside / "geheim.txt").write_text("Het wachtwoord is zwaardvis.\n", encoding="utf-8")
    (sources / "geheim.txt").symlink_to(outside / "geheim.txt")
    (sources / "sub" / "map").symlink_to(outside, target_is_directory=True)
    (sources / "kopie.md").symlink_to(sources / "werkprogramma.md")
    result = run(["ingest"], {"PARKSTAD_SOURCES_DIR": str(sources), "PARKSTAD_INDEX_DIR": str(tmp_path / "idx")})
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 3, err
    assert "Traceback" not in err
    assert f"SKIPPED {sources / 'geheim.txt'}: " in err and "outside the sources folder" in err
    assert "Werkprogramma Parkstad" in out and "documents 1," in out
    assert "zwaardvis" not in out + err


def lines_of(stdout: bytes) -> list[dict]:
    text = stdout.decode("utf-8")  # strict: stdout must be valid UTF-8
    return [json.loads(line) for line in text.splitlines()]


def test_undecodable_bytes_in_argv_give_valid_utf8_json(index_env):
    result = run(["ask", "--json", b"Wat doet Heerlen in project 2? \xff\xfe \xed\xa0\x80"], index_env)
    assert result.returncode in (0, 1), result.stderr.decode()
    answer = json.loads(result.stdout.decode("utf-8"))
    assert answer["question"].startswith("Wat doet Heerlen in project 2?") and "\ufffd" in answer["question"]
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in answer["question"])
    plain = run(["ask", b"\xff\xfe"], index_env)
    plain.stdout.decode("utf-8")
    assert plain.returncode in (0, 1, 2) and b"Traceback" not in plain.stderr


def test_jsonl_writes_one_valid_json_line_per_question_whatever_the_bytes(index_env):
    stdin = b"".join([b"Wat doet Heerlen in project 2?\n", b"\xff\xfe kapot \xc3\n", b"\n", b"\xed\xa0\x80\n",
                      b"Wie betaalt project 5?\r\n", b"x" * 3000 + b"\n", b"\x00\x01\n"])
    result = run(["ask", "--jsonl"], index_env, stdin)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode()
    lines = lines_of(result.stdout)
    assert len(lines) == 6
    assert lines[0]["question"] == "Wat doet Heerlen in project 2?" and lines[0]["citations"]
    assert "\ufffd" in lines[1]["question"] and "\ufffd" in lines[2]["question"]
    assert lines[3]["question"] == "Wie betaalt project 5?"
    assert "error" in lines[4] and "error" in lines[5]


def test_ask_without_an_index_folder_creates_nothing_and_says_so_once(tmp_path):
    missing = tmp_path / "nergens"
    result = run(["ask", "Wat doet OCW?"], {"PARKSTAD_INDEX_DIR": str(missing)})
    err = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in err
    assert err.count("parkstad ingest") == 1, err
    assert not missing.exists()
