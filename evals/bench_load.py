"""Load benchmark: concurrent clients on loopback asking eval questions through the app's HTTP API (the JSON
endpoint POST /api/ask, or with --via gradio the Gradio UI's event API), against the embedded index and against
a Chroma server. Bounded in count and time.
Reports throughput, p50/p95/p99 latency and errors per concurrency level. The per-client rate limit is switched
off here (all clients share 127.0.0.1); in production it stays on.
`--noisy` measures a normal client's p50 alone and beside four clients sending 2,000-character questions (each
client its own 127.0.0.x address, the rate limit on and off); `--slow-llm drip|flood` a normal client's p50 beside
16 busy clients, with an LLM that drips a byte every 0.5 s or floods 10 MB against the same app and clients
without an LLM. `--proxy 1,2` runs the clients through `parkstad deploy` (nginx, sticky sessions, Chroma's server)
with 1 and with 2 app processes, each client a browser with its own cookie."""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up")


def ask_json(client: httpx.Client, base: str, question: str) -> tuple[float, bool]:
    """One question through the JSON API (POST /api/ask)."""
    started = time.perf_counter()
    try:
        r = client.post(f"{base}/api/ask", json={"question": question}, timeout=30)
        return time.perf_counter() - started, r.status_code == 200 and "answer" in r.json()
    except (httpx.HTTPError, ValueError):
        return time.perf_counter() - started, False


_session = threading.local()


@functools.lru_cache(maxsize=4)
def _ask_event(base: str) -> tuple[int, int]:
    """The ask event's id and the id of the button that triggers it, from the app's config (as a browser reads
    it when the page loads)."""
    config = httpx.get(f"{base}/config", timeout=30).json()
    dep = next(d for d in config["dependencies"] if d.get("api_name") == "ask")
    return dep["id"], dep["targets"][0][0]


def ask(client: httpx.Client, base: str, question: str) -> tuple[float, bool]:
    """One question the way the browser asks it: each client thread keeps one session (one page load), joins
    the queue with the event's inputs and reads the server-sent events until the event completes."""
    fn, trigger = _ask_event(base)
    if getattr(_session, "hash", None) is None:
        _session.hash = uuid.uuid4().hex[:11]
    started = time.perf_counter()
    try:
        client.post(f"{base}/gradio_api/queue/join", timeout=30, json={
            "data": [question, [], None, "nl"], "event_data": None, "fn_index": fn, "trigger_id": trigger,
            "session_hash": _session.hash}).raise_for_status()
        ok = False
        with client.stream("GET", f"{base}/gradio_api/queue/data", params={"session_hash": _session.hash},
                           timeout=30) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        ok = bool(message.get("success"))
                        break
        return time.perf_counter() - started, ok
    except (httpx.HTTPError, KeyError, ValueError):
        return time.perf_counter() - started, False


def level(base: str, questions: list[str], concurrency: int, requests: int, limit_s: float,
          via: str = "json", browsers: list[httpx.Client] | None = None) -> dict[str, float]:
    """`requests` questions from `concurrency` clients: threads sharing one connection pool, or each one of
    `browsers` (see `open_browsers`)."""
    call = ask_json if via == "json" else ask
    deadline = time.time() + limit_s
    results: list[tuple[float, bool]] = []
    own = threading.local()
    idle: queue.SimpleQueue[httpx.Client] = queue.SimpleQueue()
    for browser in browsers or ():
        idle.put(browser)
    with httpx.Client(limits=httpx.Limits(max_connections=concurrency * 2)) as shared:
        def client() -> httpx.Client:
            if browsers is None:
                return shared
            if getattr(own, "client", None) is None:
                own.client = idle.get_nowait()
            return own.client

        def one(i: int) -> tuple[float, bool]:
            if time.time() > deadline:
                return 0.0, False
            return call(client(), base, questions[i % len(questions)])

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            results = list(pool.map(one, range(requests)))
        elapsed = time.perf_counter() - started
    for browser in browsers or ():
        browser.close()
    times = sorted(t for t, ok in results if ok)
    errors = sum(not ok for _, ok in results)

    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(p * len(times)))] * 1000, 1) if times else float("nan")

    return {"concurrency": concurrency, "requests": len(results), "errors": errors,
            "throughput_rps": round(len(times) / elapsed, 1), "p50_ms": round(statistics.median(times) * 1000, 1)
            if times else float("nan"), "p95_ms": pct(0.95), "p99_ms": pct(0.99)}


def open_browsers(base: str, count: int) -> list[httpx.Client]:
    """Clients that behave as browsers of their own: own connections and cookies, and a page load first, which is
    how a proxy's sticky cookie reaches them."""
    browsers = [httpx.Client() for _ in range(count)]
    for browser in browsers:
        browser.get(f"{base}/", timeout=60)
    return browsers


def run_mode(name: str, env: dict[str, str], questions: list[str], levels: list[int], per_level: int,
             via: str = "json") -> dict:
    """Each level against a freshly started app, so no answer or embedding is cached from an earlier level;
    within a level every request asks a different question while there are enough."""
    out = []
    for concurrency in levels:
        port = _free_port()
        app_env = {**os.environ, **env, "PARKSTAD_PORT": str(port), "PARKSTAD_RATE_LIMIT": "0",
                   "PARKSTAD_MAX_STREAMS": "10000"}
        app = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "serve"], cwd=ROOT, env=app_env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base + "/")
            ask_json(httpx.Client(), base, "warm-up")
            out.append(level(base, questions, concurrency, max(per_level, concurrency * 2), 120, via))
        finally:
            app.terminate()
            app.wait(timeout=30)
    return {"mode": name, "via": via, "levels": out}


def through_proxy(questions: list[str], processes: list[int], concurrency: int, per_level: int, via: str,
                  chroma_path: Path | None = None) -> list[dict]:
    """The same clients, each a browser of its own, through `parkstad deploy` (nginx with sticky sessions, Chroma's
    server) with each number of app processes, the cluster freshly started for each. The first ingests the index
    into `chroma_path` (a temporary folder unless given), the others find it up to date."""
    from deploy.cluster import launch

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        chroma = chroma_path or Path(tmp) / "chroma"
        for n in processes:
            env = {k: v for k, v in os.environ.items() if k != "PARKSTAD_CHROMA_HOST"}
            env.update(PARKSTAD_PORT=str(_free_port()), PARKSTAD_CHROMA_PORT=str(_free_port()),
                       PARKSTAD_RATE_LIMIT="0", PARKSTAD_MAX_STREAMS="10000")
            proc, state = launch(n, Path(tmp) / f"run-{n}", chroma, env, Path(tmp) / f"deploy-{n}.out")
            try:
                with httpx.Client() as warm:
                    for q in questions[-2 * n:]:  # no cookie: each lands on either process
                        ask_json(warm, state["url"], q)
                requests = max(per_level, concurrency * 2)
                name = f"nginx, {n} app process{'es' if n > 1 else ''}"
                out.append(_measure(state, state["url"], name, questions, concurrency, requests, via))
                if n == 1:  # the same app without nginx in front, other questions: what the proxy costs
                    app = next(p for p in state["processes"] if p["name"] == "app-1")
                    out.append(_measure(state, f"http://127.0.0.1:{app['port']}", "1 app process, no proxy",
                                        questions[requests:], concurrency, requests, via))
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=120)
    return out


def _measure(state: dict, base: str, name: str, questions: list[str], concurrency: int, requests: int,
             via: str) -> dict:
    """One level against `base` (the proxy or one app of the cluster), with the CPU each part of the cluster and
    this client spent per question, how the questions were spread over the app processes, and the machine's load
    average at the end (other work on the machine takes cores from the cluster)."""
    log = Path(state["access_log"])
    browsers = open_browsers(base, concurrency)
    seen = len(log.read_text().splitlines())
    before = _cpu_seconds(state)
    result = level(base, questions, concurrency, requests, 180, via, browsers)
    used = {k: v - before.get(k, 0.0) for k, v in _cpu_seconds(state).items()}
    asks = "/gradio_api/queue/join" if via == "gradio" else "/api/ask"
    served: dict[str, int] = {}
    for line in log.read_text().splitlines()[seen:]:
        if f" {asks}" in line and "upstream=" in line:
            port = line.split("upstream=", 1)[1].split()[0]
            served[port] = served.get(port, 0) + 1
    done = max(1, result["requests"] - result["errors"])
    return {"mode": name, "via": via, "levels": [result], "load_average_1min": round(os.getloadavg()[0], 1),
            "questions_per_process": sorted(served.values())[::-1],
            "cpu_ms_per_question": {k: round(v * 1000 / done, 1) for k, v in sorted(used.items())}}


def _cpu_seconds(state: dict) -> dict[str, float]:
    """CPU time so far (user + system) of the cluster's processes with their children, the app processes summed,
    and of this client."""
    import resource

    import psutil

    out: dict[str, float] = {}
    for p in state["processes"]:
        key = "apps" if p["name"].startswith("app-") else p["name"]
        with contextlib.suppress(psutil.Error):
            proc = psutil.Process(p["pid"])
            for one in (proc, *proc.children(recursive=True)):  # nginx's worker is a child of its master
                times = one.cpu_times()
                out[key] = out.get(key, 0.0) + times.user + times.system
    own = resource.getrusage(resource.RUSAGE_SELF)
    out["bench client"] = own.ru_utime + own.ru_stime
    return out


def soak(questions: list[str], minutes: float, clients: int, via: str = "gradio", every_s: float = 15.0) -> dict:
    """Clients ask without pause for `minutes`, every question distinct (a numbered variant once the set is used
    up); the app's RSS is sampled every `every_s` seconds. Growth is measured from the first sample after a
    one-minute warm-up (or the first sample, for shorter runs)."""
    import itertools

    import psutil

    port = _free_port()
    app_env = {**os.environ, "PARKSTAD_PORT": str(port), "PARKSTAD_RATE_LIMIT": "0", "PARKSTAD_MAX_STREAMS": "10000"}
    app = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "serve"], cwd=ROOT, env=app_env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    call = ask_json if via == "json" else ask
    counter = itertools.count()
    stop = time.time() + minutes * 60
    done: list[tuple[float, bool]] = []
    samples: list[tuple[float, float]] = []

    def client_loop(http: httpx.Client) -> None:
        while time.time() < stop:
            n = next(counter)
            q = questions[n % len(questions)]
            done.append(call(http, base, q if n < len(questions) else f"{q} ({n // len(questions)})"))

    try:
        _wait(base + "/")
        proc = psutil.Process(app.pid)
        started = time.time()
        with httpx.Client(limits=httpx.Limits(max_connections=clients * 2)) as http:
            threads = [threading.Thread(target=client_loop, args=(http,), daemon=True) for _ in range(clients)]
            for t in threads:
                t.start()
            while time.time() < stop:
                samples.append((round(time.time() - started), proc.memory_info().rss / 2**20))
                time.sleep(every_s)
            for t in threads:
                t.join(timeout=60)
        samples.append((round(time.time() - started), proc.memory_info().rss / 2**20))
    finally:
        app.terminate()
        app.wait(timeout=30)
    base_rss = next((rss for t, rss in samples if t >= 60), samples[0][1]) if minutes >= 2 else samples[0][1]
    times = sorted(t for t, ok in done if ok)
    return {"mode": "soak", "via": via, "clients": clients, "minutes": minutes, "requests": len(done),
            "errors": sum(not ok for _, ok in done), "p95_ms": round(times[int(0.95 * len(times))] * 1000, 1)
            if times else None, "rss_mb": [(t, round(r, 1)) for t, r in samples],
            "growth_pct": round((samples[-1][1] / base_rss - 1) * 100, 1)}


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    app = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "serve"], cwd=ROOT,
                           env={**os.environ, **env, "PARKSTAD_PORT": str(port)},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    _wait(base + "/api/health")
    return app, base


def _normal_p50(base: str, questions: list[str], count: int, pause_s: float = 0.0) -> dict[str, float]:
    """A normal client asking `count` questions one after another from its own address, `pause_s` apart."""
    times, errors = [], 0
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2")) as client:
        for q in questions[:count]:
            took, ok = ask_json(client, base, q)
            times.append(took)
            errors += not ok
            time.sleep(pause_s)
    return {"p50_ms": round(statistics.median(times) * 1000, 1), "errors": errors}


def _beside(base: str, questions: list[str], noisy: Callable[[int, httpx.Client], None], clients: int,
            count: int, pause_s: float = 0.0) -> dict[str, float]:
    """The normal client's p50 while `clients` noisy clients (127.0.1.x) run `noisy` in a loop."""
    stop = threading.Event()

    def loop(i: int) -> None:
        with httpx.Client(transport=httpx.HTTPTransport(local_address=f"127.0.1.{i + 1}")) as client:
            n = 0
            while not stop.is_set():
                noisy(n, client)
                n += 1

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    time.sleep(2)
    try:
        return _normal_p50(base, questions, count, pause_s)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)


LONG = ("Wie is er binnen de Regio Deal verantwoordelijk voor het thema veiligheid in programmalijn drie, welke "
        "afspraken zijn er gemaakt over de financiering door het Rijk en de regio, en wanneer moeten de partijen "
        "daarover rapporteren aan de stuurgroep? ")


def noisy(questions: list[str], count: int = 30) -> list[dict]:
    """A normal client's p50 alone, then beside four clients sending 2,000-character questions (distinct, a
    number in each), with the default rate limit (the normal client then asks every 3.1 s, within it) and with
    none."""
    out = []
    for rate, pause in (("20", 3.1), ("0", 0.0)):
        app, base = _serve({"PARKSTAD_RATE_LIMIT": rate})
        try:
            _normal_p50(base, questions[count:], 3)
            alone = _normal_p50(base, questions, count, pause)

            def long(n: int, client: httpx.Client, b: str = base) -> None:
                _, ok = ask_json(client, b, (f"{n} " + LONG * 10)[:2000])
                if not ok:
                    time.sleep(0.05)  # refused (429): ask again soon, as a hostile client would

            beside = _beside(base, questions[count:], long, 4, count, pause)
        finally:
            app.terminate()
            app.wait(timeout=30)
        out.append({"rate_limit_per_minute": int(rate), "alone": alone, "beside_four_long": beside,
                    "ratio": round(beside["p50_ms"] / alone["p50_ms"], 2)})
    return out


def slow_llm(kind: str, questions: list[str], count: int = 30, clients: int = 16) -> dict:
    """A normal client's p50 beside `clients` clients that keep asking, first with no LLM, then with an LLM that
    drips or floods (every question then goes to it; the ones that find no free LLM slot, and the ones it fails,
    are answered extractively)."""
    from tests.helpers import Drip, FakeOpenAI, Flood

    fake = FakeOpenAI()
    fake.default = (200, Drip(0.5) if kind == "drip" else Flood(10_000_000), 0.0)
    out: dict[str, object] = {"llm": kind, "clients": clients}
    try:
        for name, env in (("no LLM", {}), (kind, {"PARKSTAD_LLM_BASE_URL": fake.url, "PARKSTAD_LLM_MODEL": "m",
                                                  "PARKSTAD_LLM_TIMEOUT": "20"})):
            app, base = _serve({"PARKSTAD_RATE_LIMIT": "0", **env})
            try:
                _normal_p50(base, questions[count:], 3)
                out[name] = _beside(base, questions[count:],
                                    lambda n, c, b=base: ask_json(c, b, questions[2 * count + n % 200]), clients,
                                    count)
            finally:
                app.terminate()
                app.wait(timeout=30)
    finally:
        fake.close()
    out["ratio"] = round(out[kind]["p50_ms"] / out["no LLM"]["p50_ms"], 2)  # type: ignore[index]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--levels", default="8,32,64")
    parser.add_argument("--per-level", type=int, default=96)
    parser.add_argument("--via", choices=["json", "gradio"], default="json",
                        help="the JSON API (POST /api/ask) or the Gradio UI's event API")
    parser.add_argument("--soak-minutes", type=float, default=0,
                        help="instead of the levels: a soak of this many minutes, RSS sampled over time")
    parser.add_argument("--soak-clients", type=int, default=16)
    parser.add_argument("--embedded-only", action="store_true", help="skip the Chroma server mode")
    parser.add_argument("--noisy", action="store_true", help="a normal client beside four sending long questions")
    parser.add_argument("--slow-llm", choices=["drip", "flood"], help="a normal client beside a slow LLM's clients")
    parser.add_argument("--proxy", metavar="N,N", help="through parkstad deploy (nginx, sticky sessions, Chroma's "
                        "server) with each of these numbers of app processes, at the first of --levels")
    parser.add_argument("--chroma-path", type=Path, help="with --proxy: the Chroma server's folder (kept, so a "
                        "second run need not ingest)")
    args = parser.parse_args(argv)
    from evals.dataset import load

    questions = [i.question for i in load()]
    if args.noisy or args.slow_llm:
        print(json.dumps(noisy(questions) if args.noisy else slow_llm(args.slow_llm, questions), indent=1))
        return 0
    if args.soak_minutes:
        print(json.dumps(soak(questions, args.soak_minutes, args.soak_clients, args.via), indent=1))
        return 0
    levels = [int(x) for x in args.levels.split(",")]
    if args.proxy:
        print(json.dumps(through_proxy(questions, [int(x) for x in args.proxy.split(",")], levels[0],
                                       args.per_level, args.via, args.chroma_path), indent=2))
        return 0
    out = [run_mode("embedded index", {}, questions, levels, args.per_level, args.via)]
    if args.embedded_only:
        print(json.dumps(out, indent=2))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        port = _free_port()
        server = subprocess.Popen([chroma, "run", "--path", tmp, "--host", "127.0.0.1", "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(3)
            env = {"PARKSTAD_CHROMA_HOST": "127.0.0.1", "PARKSTAD_CHROMA_PORT": str(port)}
            subprocess.run([sys.executable, str(ROOT / "cli.py"), "ingest"], cwd=ROOT, env={**os.environ, **env},
                           check=True, capture_output=True)
            out.append(run_mode("Chroma server", env, questions, levels, args.per_level, args.via))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
