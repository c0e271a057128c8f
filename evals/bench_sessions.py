"""Memory per session: the app's RSS over N page loads with no question, then over M sessions of one question each.
A page load is what a browser does over HTTP: it gets the page, reads the configuration and runs the page's
load event (the language detection) through Gradio's queue with a session of its own, reading the event stream
to its end. The app runs as its own process (`cli.py serve` of `--root`, so another checkout can be measured the
same way); RSS is read from /proc.

    python -m evals.bench_sessions --loads 3000 --questions 200 [--root /path/to/other/checkout]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from evals.bench_load import ROOT, _ask_event, _free_port, _wait


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def load_event(base: str) -> int:
    """The id of the event the page runs when it loads."""
    config = httpx.get(f"{base}/config", timeout=30).json()
    return next(d["id"] for d in config["dependencies"] if any(e == "load" for _, e in d["targets"]))


def run_event(client: httpx.Client, base: str, session: str, fn: int, data: list, trigger: int | None) -> bool:
    """Join the queue with one event of `session` and read its stream until the event completes."""
    client.post(f"{base}/gradio_api/queue/join", json={"data": data, "event_data": None, "fn_index": fn,
                                                        "trigger_id": trigger, "session_hash": session}
                ).raise_for_status()
    with client.stream("GET", f"{base}/gradio_api/queue/data", params={"session_hash": session}) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:") and json.loads(line[5:]).get("msg") == "process_completed":
                return bool(json.loads(line[5:]).get("success"))
    return False


def page_load(client: httpx.Client, base: str, fn: int) -> str:
    """One page load: the page (with its configuration) and its load event, in a new session."""
    session = uuid.uuid4().hex[:11]
    client.get(f"{base}/").raise_for_status()
    if not run_event(client, base, session, fn, [], None):
        raise RuntimeError("the load event failed")
    return session


def measure(root: Path, loads: int, questions: int, workers: int) -> dict[str, object]:
    port = _free_port()
    env = {**os.environ, "PARKSTAD_PORT": str(port), "PARKSTAD_RATE_LIMIT": "0", "PARKSTAD_MAX_STREAMS": "10000",
           "PYTHONPATH": str(root)}
    app = subprocess.Popen([sys.executable, str(root / "cli.py"), "serve"], cwd=root, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/api/health")
        fn = load_event(base)
        ask_fn, trigger = _ask_event(base)
        with httpx.Client(timeout=60, limits=httpx.Limits(max_connections=workers * 2)) as client:
            for _ in range(20):  # warm: the first loads and a first question fill caches, not sessions
                page_load(client, base, fn)
            run_event(client, base, page_load(client, base, fn), ask_fn, ["Wanneer loopt de deal af?", [], None, "nl"],
                      trigger)
            time.sleep(1)
            start = rss_mb(app.pid)
            started = time.perf_counter()
            sessions: list[str] = []
            curve = []  # RSS after each sixth of the loads: Gradio's own per-session caches are bounded (its
            # queue keeps the message queues of the last 2,000 sessions), so growth from them levels off
            with ThreadPoolExecutor(workers) as pool:
                for part in range(6):
                    n = loads * (part + 1) // 6 - len(sessions)
                    sessions += pool.map(lambda _: page_load(client, base, fn), range(n))
                    curve.append((len(sessions), round(rss_mb(app.pid), 1)))
            seconds = time.perf_counter() - started
            after_loads = rss_mb(app.pid)

            def question(session: str) -> bool:
                return run_event(client, base, session, ask_fn, ["Wanneer loopt de deal af?", [], None, "nl"],
                                 trigger)

            with ThreadPoolExecutor(workers) as pool:
                answered = sum(pool.map(question, sessions[:questions]))
            after_questions = rss_mb(app.pid)
    finally:
        app.terminate()
        app.wait(timeout=30)
    return {"root": str(root), "loads": loads, "rss_start_mb": round(start, 1),
            "rss_after_loads_mb": round(after_loads, 1), "rss_curve_mb": curve,
            "kb_per_load": round((after_loads - start) * 1024 / max(loads, 1), 1),
            "loads_per_s": round(loads / seconds, 1), "questions": questions, "answered": answered,
            "rss_after_questions_mb": round(after_questions, 1),
            "kb_per_question_session": round((after_questions - after_loads) * 1024 / max(questions, 1), 1)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--loads", type=int, default=3000)
    p.add_argument("--questions", type=int, default=200, help="sessions among the loaded ones that then ask once")
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--root", type=Path, default=ROOT, help="the checkout whose app is measured")
    args = p.parse_args()
    print(json.dumps(measure(args.root.resolve(), args.loads, args.questions, args.workers), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
