"""`parkstad deploy` for real: Debian's nginx in front of two app processes that share Chroma's own server. A
conversation through the JSON API and one in a real headless Chromium each stay on one process, sessions are spread
over both, and Ctrl-C, or SIGTERM while it starts, stops every process."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx
import pytest

from deploy.cluster import COOKIE, launch
from tests.deploy import NEEDS_NGINX
from tests.helpers import COVENANT, ROOT, free_port

pytestmark = NEEDS_NGINX
LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) .* upstream=(?P<upstream>\S+) '
                  r"route=(?P<route>\S+) ")
QUESTION, FOLLOW_UP = "Wie is de regiokassier?", "En waar moet die voor zorgen?"


def prepared(index_dir: Path, root: Path) -> dict[str, str]:
    """A folder for one deployment: Chroma's server gets a copy of the session's index folder (the same on-disk
    layout), so the command's ingest finds it up to date instead of embedding again. Returns its environment."""
    shutil.copytree(index_dir, root / "chroma")
    (root / "sources").mkdir()
    shutil.copy(COVENANT, root / "sources" / COVENANT.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARKSTAD_")}
    env.update(PARKSTAD_PORT=str(free_port()), PARKSTAD_CHROMA_PORT=str(free_port()),
               PARKSTAD_SOURCES_DIR=str(root / "sources"), PARKSTAD_FEEDBACK_FILE=str(root / "feedback.jsonl"),
               PARKSTAD_RATE_LIMIT="0")
    return env


@pytest.fixture(scope="module")
def cluster(session_index, tmp_path_factory):
    """`parkstad deploy --processes 2` as a user starts it."""
    root = tmp_path_factory.mktemp("deploy")
    env = prepared(session_index[1], root)
    proc, state = launch(2, root / "run", root / "chroma", env, root / "deploy.out", timeout_s=300)
    state.update(proc=proc, output=root / "deploy.out")
    yield state
    if proc.poll() is None:
        proc.kill()  # the test of Ctrl-C did not run; the children follow by their parent-death signal


def upstreams_by_route(state: dict) -> dict[str, set[str]]:
    """From nginx's access log: each route (the sticky cookie's value) and the app ports that served it."""
    out: dict[str, set[str]] = defaultdict(set)
    for line in Path(state["access_log"]).read_text().splitlines():
        m = LINE.search(line)
        if m and m["upstream"] != "-":
            out[m["route"]].update(u.rsplit(":", 1)[1] for u in m["upstream"].split(", "))
    return out


def app_ports(state: dict) -> set[str]:
    return {str(p["port"]) for p in state["processes"] if p["name"].startswith("app-")}


def test_json_conversations_stay_on_one_process_and_spread_over_both(cluster):
    sessions = []
    for _ in range(16):
        with httpx.Client(base_url=cluster["url"], timeout=30) as client:
            first = client.post("/api/ask", json={"question": QUESTION})
            route = client.cookies[COOKIE]
            follow = client.post("/api/ask", json={"question": FOLLOW_UP, "history": [QUESTION]})
            assert first.status_code == follow.status_code == 200
            # read with the first question: Artikel 4 (the regiokassier); alone it cites Artikel 6 lid 5 and lid 13
            assert "Artikel 4" in [c["label"] for c in follow.json()["citations"]]
            sessions.append(route)
    served = upstreams_by_route(cluster)
    assert all(len(served[route]) == 1 for route in sessions), {r: served[r] for r in sessions}
    assert set().union(*(served[r] for r in sessions)) == app_ports(cluster)


def test_ui_conversations_in_chromium_stay_on_one_process_each(cluster):
    from playwright.sync_api import sync_playwright

    from tests.app.test_browser import ARGS, CHROMIUM, ask, open_page

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    ports_seen: dict[str, str] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            for _ in range(12):  # browsers until each process holds one (each lands on either at random)
                page = open_page(browser, cluster["url"] + "/")
                route = next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE)
                page_load = upstreams_by_route(cluster)[route]
                assert len(page_load) == 1, f"one page load went to the app ports {page_load}"
                port = page_load.pop()
                if port in ports_seen.values():
                    page.context.close()
                    continue
                ask(page, QUESTION)
                ask(page, FOLLOW_UP)
                bot = page.locator("#chat .bot-row")
                assert bot.count() == 2
                assert "regiokassier" in bot.nth(1).inner_text().lower()  # the follow-up read with the first
                ports_seen[route] = port
                page.context.close()
                if len(ports_seen) == 2:
                    break
        finally:
            browser.close()
    served = upstreams_by_route(cluster)
    assert {r: served[r] for r in ports_seen} == {r: {p} for r, p in ports_seen.items()}
    assert set(ports_seen.values()) == app_ports(cluster)
    log = Path(cluster["access_log"]).read_text()
    for route in ports_seen:  # the queue's join and its event stream are among the requests that stuck
        assert re.search(rf'"POST /gradio_api/queue/join\S* [^"]*" 200 .* route={route} ', log)
        assert re.search(rf'"GET /gradio_api/queue/data\S* [^"]*" 200 .* route={route} ', log)


def test_ctrl_c_stops_every_process(cluster):
    proc = cluster["proc"]
    pids = [p["pid"] for p in cluster["processes"]]
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=90) == 0
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists(), f"process {pid} outlived parkstad deploy"
    assert not (Path(cluster["run_dir"]) / "cluster.json").exists()
    with pytest.raises(httpx.ConnectError):
        httpx.get(cluster["url"] + "/api/health", timeout=5)
    assert "deploy: stopped" in cluster["output"].read_text()


def test_sigterm_while_starting_leaves_no_process(session_index, tmp_path):
    import psutil

    env = prepared(session_index[1], tmp_path)
    out = tmp_path / "deploy.out"
    with out.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "deploy", "--processes", "2", "--run-dir",
                                 str(tmp_path / "run"), "--chroma-path", str(tmp_path / "chroma")], cwd=ROOT,
                                env=env, stdout=sink, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while "app 2 of 2" not in out.read_text() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
    started = psutil.Process(proc.pid).children(recursive=True)
    assert {p.name() for p in started} >= {"chroma"} and len(started) >= 3  # Chroma and two apps, still loading
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=90) == 0
    assert [p.pid for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []
    assert not (tmp_path / "run" / "cluster.json").exists()
