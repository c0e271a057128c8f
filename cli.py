"""The `parkstad` command: ingest, ask, eval, serve. Turns domain errors into messages."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from parkstad.errors import ParkstadError
from parkstad.settings import Settings


def _ingest(settings: Settings, args: argparse.Namespace) -> int:
    from ingest.embed import make_embedder
    from ingest.index import ChromaIndex, open_client
    from ingest.pipeline import Ingestor

    embedder = make_embedder(settings.embeddings)
    index = ChromaIndex(open_client(settings.index_dir, settings.chroma_host, settings.chroma_port),
                        settings.collection)
    report = Ingestor(settings.sources_dir, index, embedder).run(force=args.force)
    where = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else str(settings.index_dir)
    if report.skipped:
        print(f"Index is up to date ({where}); nothing changed. Use --force to rebuild.")
    else:
        print(f"Indexed into {where} (collection {report.collection})")
    for name, pages, chunks in report.documents:
        print(f"  {name}: {pages} pages, {chunks} chunks")
    if report.kinds:
        print("  chunks per kind: " + ", ".join(f"{k} {v}" for k, v in sorted(report.kinds.items())))
    print(f"  documents {len(report.documents)}, embedded {report.embedded}, reused {report.reused}, "
          f"{report.seconds:.1f} s")
    for path, reason in report.failures:
        print(f"  SKIPPED {path}: {reason}", file=sys.stderr)
    return 0 if not report.failures else 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parkstad", description="Parkstad Deal Assistant")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="build the index from the documents in data/sources/")
    p.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    p.set_defaults(func=_ingest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        return int(args.func(settings, args))
    except ParkstadError as exc:
        print(f"parkstad: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("parkstad: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
