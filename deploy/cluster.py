"""`parkstad deploy`: N app processes behind nginx with sticky sessions, sharing one index in Chroma's own server,
started and stopped as one."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

from parkstad.errors import DeployError, SettingsError
from parkstad.settings import PROJECT_ROOT, Settings

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
COOKIE = "parkstad_route"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
START_TIMEOUT_S = 300.0
STOP_TIMEOUT_S = 20.0


def render_nginx(run_dir: Path, listen: str, app_ports: Sequence[int], max_body_bytes: int,
                 template: str | None = None) -> str:
    """The nginx configuration for these app ports, from deploy/nginx.conf.template."""
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    values = {
        "RUN_DIR": str(run_dir.resolve()),
        "LISTEN": listen,
        "COOKIE": COOKIE,
        "MAX_BODY": str(16 * max_body_bytes),
        "UPSTREAMS": "\n".join(f"        server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;"
                               for port in app_ports),
    }
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    if "@@" in text:
        raise DeployError(f"the nginx template has a placeholder without a value: {text[text.index('@@'):][:40]}")
    return text


def nginx_binary() -> str:
    """Debian's nginx (in /usr/sbin, often not on a user's PATH)."""
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
                                           if Path(p).exists()), None)
    if found is None:
        raise DeployError("nginx is not installed: `apt-get install -y nginx` (scripts/bootstrap --browser does)")
    return found


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _require_free(port: int, what_to_set: str) -> None:
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) == 0:
            raise DeployError(f"port {port} is taken: set {what_to_set}")


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the supervisor dies, even by SIGKILL (Linux)."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Child:
    """A process the deployment started: what it is, its port, its log."""

    name: str
    proc: subprocess.Popen
    log: Path
    port: int = 0

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class Cluster:
    """Chroma's server (unless PARKSTAD_CHROMA_HOST names one), the ingest when the index is missing or stale,
    `processes` app processes on loopback ports, and nginx on PARKSTAD_HOST:PARKSTAD_PORT in front of them.
    Everything nginx and the processes write goes to `run_dir`."""

    def __init__(self, settings: Settings, processes: int, run_dir: Path, chroma_path: Path) -> None:
        if not 1 <= processes <= 64:
            raise SettingsError("--processes", f"expected a number from 1 to 64, got {processes}")
        if settings.host not in LOOPBACK and settings.auth is None and not settings.allow_public:
            raise SettingsError("PARKSTAD_HOST", f"{settings.host} is not loopback: set PARKSTAD_AUTH=user:password "
                                "(or PARKSTAD_ALLOW_PUBLIC=true to serve without a login)")
        self.settings = settings
        self.processes = processes
        self.run_dir = run_dir.resolve()
        self.chroma_path = chroma_path.resolve()
        self.children: list[Child] = []
        self.own_chroma = settings.chroma_host is None
        self.app_settings = replace(settings, chroma_host=settings.chroma_host or "127.0.0.1")

    @property
    def url(self) -> str:
        host = f"[{self.settings.host}]" if ":" in self.settings.host else self.settings.host
        return f"http://{host}:{self.settings.port}"

    def say(self, message: str) -> None:
        print(f"deploy: {message}", flush=True)

    def _env(self, **extra: str) -> dict[str, str]:
        s = self.app_settings
        return {**os.environ, "PARKSTAD_CHROMA_HOST": str(s.chroma_host), "PARKSTAD_CHROMA_PORT": str(s.chroma_port),
                **extra}

    def _threads(self) -> dict[str, str]:
        """The embedder's OpenMP threads per app process: the cores shared out, so that N processes do not run
        N × cores threads on the cores (each would spin and wait for the others); OMP_NUM_THREADS, if set, wins."""
        if "OMP_NUM_THREADS" in os.environ:
            return {}
        return {"OMP_NUM_THREADS": str(max(1, len(os.sched_getaffinity(0)) // self.processes))}

    def _spawn(self, name: str, argv: list[str], port: int = 0, env: Mapping[str, str] | None = None) -> Child:
        log = self.run_dir / f"{name}.log"
        with log.open("ab") as sink:
            proc = subprocess.Popen(argv, cwd=PROJECT_ROOT, env=dict(env or os.environ), stdin=subprocess.DEVNULL,
                                    stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
                                    preexec_fn=_die_with_parent)
        child = Child(name, proc, log, port)
        self.children.append(child)
        return child

    def start(self) -> None:
        """Start everything, in order, each waited for; on any failure what was started is stopped again."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        (self.run_dir / "tmp").mkdir(exist_ok=True)
        (self.run_dir / "cluster.json").unlink(missing_ok=True)
        nginx = nginx_binary()
        _require_free(self.settings.port, "PARKSTAD_PORT to a free one")
        try:
            if self.own_chroma:
                self._start_chroma()
            self._ingest()
            ports = [free_port() for _ in range(self.processes)]
            for i, port in enumerate(ports, start=1):
                self.say(f"app {i} of {self.processes} on 127.0.0.1:{port}")
                self._spawn(f"app-{i}", [sys.executable, str(PROJECT_ROOT / "cli.py"), "serve"], port,
                            self._env(PARKSTAD_HOST="127.0.0.1", PARKSTAD_PORT=str(port),
                                      PARKSTAD_TRUSTED_PROXIES="127.0.0.1", **self._threads()))
            for child in self.children:
                if child.name.startswith("app-"):
                    self._wait_http(child, f"http://127.0.0.1:{child.port}/api/health")
            conf = self.run_dir / "nginx.conf"
            listen = f"[{self.settings.host}]:{self.settings.port}" if ":" in self.settings.host \
                else f"{self.settings.host}:{self.settings.port}"
            conf.write_text(render_nginx(self.run_dir, listen, ports, self.settings.max_body_bytes),
                            encoding="utf-8")
            check = subprocess.run([nginx, "-t", "-q", "-p", str(self.run_dir), "-c", str(conf),
                                    "-e", str(self.run_dir / "error.log")], capture_output=True, text=True)
            if check.returncode:
                raise DeployError(f"nginx rejects {conf}: {check.stderr.strip()}")
            self.say(f"nginx on {self.url} ({conf})")
            proxy = self._spawn("nginx", [nginx, "-p", str(self.run_dir), "-c", str(conf),
                                          "-e", str(self.run_dir / "error.log")], self.settings.port)
            probe = self.url if self.settings.host not in ("0.0.0.0", "::") else \
                f"http://127.0.0.1:{self.settings.port}"
            self._wait_http(proxy, f"{probe}/api/health")
        except BaseException:
            self.stop()
            raise
        self._write_state()
        self.say(f"ready: {self.url} ({self.processes} app processes behind nginx, Chroma at "
                  f"{self.app_settings.chroma_host}:{self.app_settings.chroma_port}); Ctrl-C stops everything")

    def _start_chroma(self) -> None:
        port = self.settings.chroma_port
        _require_free(port, "PARKSTAD_CHROMA_PORT to a free one, or PARKSTAD_CHROMA_HOST to use a Chroma server "
                      "that already runs")
        chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        self.chroma_path.mkdir(parents=True, exist_ok=True)
        self.say(f"Chroma server on 127.0.0.1:{port} ({self.chroma_path})")
        child = self._spawn("chroma", [chroma, "run", "--path", str(self.chroma_path), "--host", "127.0.0.1",
                                       "--port", str(port)], port)
        self._wait_http(child, f"http://127.0.0.1:{port}/api/v2/heartbeat")

    def _ingest(self) -> None:
        """`parkstad ingest` against the server: builds the index when there is none, updates it when a document
        changed, and does nothing (about a second) when it is up to date."""
        self.say("ingest (nothing to do when the index is up to date) ...")
        done = subprocess.run([sys.executable, str(PROJECT_ROOT / "cli.py"), "ingest"], cwd=PROJECT_ROOT,
                              env=self._env(), stdin=subprocess.DEVNULL)
        if done.returncode not in (0, 3):  # 3: some documents were skipped, the rest is indexed
            raise DeployError(f"ingest into the Chroma server failed (exit {done.returncode})")

    def _wait_http(self, child: Child, url: str, timeout_s: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if child.proc.poll() is not None:
                raise DeployError(f"{child.name} exited with {child.proc.returncode} before it answered; its log "
                                  f"{child.log} ends:\n{child.tail()}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise DeployError(f"{child.name} did not answer {url} within {timeout_s:.0f} s; see {child.log}")

    def _write_state(self) -> None:
        state = {"url": self.url, "cookie": COOKIE, "run_dir": str(self.run_dir),
                 "access_log": str(self.run_dir / "access.log"),
                 "chroma": f"{self.app_settings.chroma_host}:{self.app_settings.chroma_port}",
                 "processes": [{"name": c.name, "pid": c.proc.pid, "port": c.port, "log": str(c.log)}
                               for c in self.children]}
        path = self.run_dir / "cluster.json"
        path.with_suffix(".tmp").write_text(json.dumps(state, indent=1), encoding="utf-8")
        path.with_suffix(".tmp").replace(path)

    def wait(self) -> int:
        """Until a process exits on its own (then 1, after saying which) or the caller is interrupted."""
        while True:
            for child in self.children:
                if child.proc.poll() is not None:
                    self.say(f"{child.name} exited with {child.proc.returncode}; stopping everything. Its log "
                              f"{child.log} ends:\n{child.tail()}")
                    return 1
            time.sleep(0.5)

    def stop(self) -> None:
        """nginx first (no new requests), then the apps, then Chroma; each gets SIGTERM, then SIGKILL."""
        order = sorted(self.children, key=lambda c: {"nginx": 0, "chroma": 2}.get(c.name, 1))
        for rank in (0, 1, 2):
            group = [c for c in order if {"nginx": 0, "chroma": 2}.get(c.name, 1) == rank]
            for child in group:
                if child.proc.poll() is None:
                    child.proc.terminate()
            for child in group:
                try:
                    child.proc.wait(timeout=STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    child.proc.kill()
                    child.proc.wait()
        self.children.clear()
        (self.run_dir / "cluster.json").unlink(missing_ok=True)


def run(settings: Settings, processes: int, run_dir: Path, chroma_path: Path) -> int:
    """Start the cluster, serve until Ctrl-C or SIGTERM (or until a process dies), then stop everything."""

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    cluster = Cluster(settings, processes, run_dir, chroma_path)
    previous = signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)  # also where the shell that started it ignores Ctrl-C for it
    try:
        cluster.start()
        return cluster.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        cluster.say("stopping ...")
        cluster.stop()
        cluster.say("stopped")
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, signal.default_int_handler)


def launch(processes: int, run_dir: Path, chroma_path: Path, env: Mapping[str, str], output: Path,
           timeout_s: float = 600.0) -> tuple[subprocess.Popen, dict]:
    """`parkstad deploy` in a child process, as a user starts it, once it is ready: the process and its
    cluster.json (url, access log, each process's name, pid and port). Stop it with SIGTERM."""
    with output.open("ab") as sink:
        proc = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "cli.py"), "deploy", "--processes",
                                 str(processes), "--run-dir", str(run_dir), "--chroma-path", str(chroma_path)],
                                cwd=PROJECT_ROOT, env=dict(env), stdin=subprocess.DEVNULL, stdout=sink,
                                stderr=subprocess.STDOUT)
    state_file = run_dir / "cluster.json"
    deadline = time.monotonic() + timeout_s
    while not state_file.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            raise DeployError(f"parkstad deploy did not come up; its output:\n{output.read_text(errors='replace')}")
        time.sleep(0.5)
    return proc, json.loads(state_file.read_text(encoding="utf-8"))
