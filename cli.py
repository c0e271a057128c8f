"""The `parkstad` command: ingest, ask, eval, serve. Turns domain errors into messages."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from parkstad.errors import ParkstadError
from parkstad.settings import Settings


def _ingest(settings: Settings, args: argparse.Namespace) -> int:
    from ingest.embed import make_embedder
    from ingest.index import open_index
    from ingest.pipeline import Ingestor

    embedder = make_embedder(settings.embeddings)
    index = open_index(settings)
    report = Ingestor(settings.sources_dir, index, embedder, covenant=settings.covenant).run(force=args.force)
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
    for source, sentence in report.instructions:
        print(f"  read past in {source}, addressed to the assistant: {sentence[:120]}", file=sys.stderr)
    return 0 if not report.failures else 3


def _assistant(settings: Settings):  # noqa: ANN202 - imported lazily to keep `parkstad --help` fast
    from assistant.service import Assistant

    return Assistant.from_settings(settings)


def _ask(settings: Settings, args: argparse.Namespace) -> int:
    import json

    from parkstad.errors import QuestionError

    assistant = _assistant(settings)
    if args.jsonl:
        for raw in sys.stdin.buffer:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if not line.strip():
                continue
            question, history, problem = _jsonl_line(line)
            try:
                if problem:
                    raise QuestionError(problem, "not_text")
                out = assistant.ask(question, history=history).to_dict()
            except QuestionError as exc:
                out = {"question": question, "error": str(exc)}
            print(json.dumps(out, ensure_ascii=False), flush=True)
        return 0
    question = valid_text(" ".join(args.question))
    history = tuple(valid_text(h) for h in args.history or ())
    if args.why:
        query, hits, decision = assistant.decide(question, history)
        print(decision.reason)
        print("signals: " + ", ".join(f"{name} {value:.3f}" for name, value in decision.features))
        print("best clauses: " + "; ".join(f"{h.chunk.label} ({h.dense:.3f})" for h in hits[:3]))
        print()
    answer = assistant.ask(question, history=history)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.answer)
    return 0 if answer.found else 1


def _jsonl_line(line: str) -> tuple[str, tuple[str, ...], str]:
    """One line of `ask --jsonl`: a plain question, or a JSON object {"question": …, "history": [earlier
    questions, oldest first]}. Returns the question, its history and what is wrong with the line ('' if nothing)."""
    import json

    if not line.lstrip().startswith("{"):
        return line, (), ""
    try:
        obj = json.loads(line)
    except ValueError:
        return line, (), ""  # a question that happens to start with a brace
    if not isinstance(obj, dict):
        return line, (), ""
    question, history = obj.get("question"), obj.get("history") or []
    if not isinstance(question, str) or not isinstance(history, list) or not all(
            isinstance(h, str) for h in history):
        return str(question or ""), (), "a JSON line needs a text 'question' and a list of texts 'history'"
    return question, tuple(history), ""


def _eval(settings: Settings, args: argparse.Namespace) -> int:
    from evals.run import full_report, write_report

    if args.from_feedback:
        from pathlib import Path

        from evals.dataset import load
        from evals.feedback import candidates, write

        skipped: list[tuple[int, str]] = []
        items = candidates(Path(args.from_feedback), {i.question for i in load()}, skipped)
        for number, reason in skipped:
            print(f"parkstad: skipped line {number} of {args.from_feedback}: {reason}", file=sys.stderr)
        out = write(items, Path(args.out))
        print(f"{len(items)} candidate eval items from feedback in {out}; add labels, evidence and facts, then "
              "copy them into evals/questions.jsonl")
        return 0

    if args.first_run:
        import json
        import subprocess

        from evals.run import first_run

        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        try:
            print(json.dumps(first_run(_assistant(settings), args.first_run, commit), ensure_ascii=False))
        except ValueError as exc:
            print(f"parkstad: {exc}", file=sys.stderr)
            return 2
        return 0
    report = full_report(_assistant(settings), baselines=not args.quick, naive=not args.quick,
                         frozen=args.frozen)
    path = write_report(report)
    for name, block in report["sets"].items():
        o = block["overall"]
        print(f"{name} ({o['n']}): accuracy {o['accuracy']}, supporting clause cited {o['supporting_cited']}, "
              f"facts {o['key_facts']}, negatives refused {o['negatives_refused']}, false refusals "
              f"{o['false_refusals']}, p50 {o['p50_ms']} ms, p95 {o['p95_ms']} ms")
    print(f"report: {path}")
    return 0


def _register(settings: Settings):  # noqa: ANN202
    from assistant.register import RegisterBuilder
    from ingest.index import open_index
    from parkstad.errors import IndexMissingError

    try:
        info = (index := open_index(settings, create=False)).info()
    except IndexMissingError:
        info = None
    if info is not None:
        chunks = [c for c in index.chunks(info) if c.location.part != "Document"]
    else:
        chunks = _covenant_chunks(settings)
    return RegisterBuilder().build(chunks)


def _table(rows: list[dict], columns: list[str]) -> str:
    widths = {c: min(60, max(len(c), *(len(str(r.get(c, ""))) for r in rows))) for c in columns}
    out = ["  ".join(c.ljust(widths[c]) for c in columns), "  ".join("-" * widths[c] for c in columns)]
    for r in rows:
        out.append("  ".join(str(r.get(c, ""))[: widths[c]].ljust(widths[c]) for c in columns))
    return "\n".join(out)


def _emit(rows: list[dict], columns: list[str], fmt: str) -> None:
    import csv
    import json

    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        from ui.register_view import spreadsheet_cell

        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: spreadsheet_cell("; ".join(map(str, v)) if isinstance(v, list) else v)
                             for k, v in r.items()})
    else:
        flat = [{k: ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in r.items()} for r in rows]
        print(_table(flat, columns))


def _commitments(settings: Settings, args: argparse.Namespace) -> int:
    from ingest.actors import find_actor

    if args.party and find_actor(args.party) is None:
        print(f"parkstad: unknown party {args.party!r}", file=sys.stderr)
        return 2
    register = _register(settings)
    rows = [c.to_dict() for c in register.filter(args.party, args.theme, args.programmalijn, args.kind)]
    _emit(rows, ["label", "actors", "co_actors", "kind", "years", "text"] if args.format != "table"
          else ["label", "actors", "kind", "text"], args.format)
    if args.format == "table":
        print(f"\n{len(rows)} commitments" + (f"; {len(register.review)} clauses need review" if not any(
            (args.party, args.theme, args.programmalijn, args.kind)) else ""))
    return 0


def _deadlines(settings: Settings, args: argparse.Namespace) -> int:
    register = _register(settings)
    rows = [d.to_dict() for d in register.due(args.year)]
    _emit(rows, ["when", "kind", "actors", "label", "what"], args.format)
    return 0


def _export(settings: Settings, args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    register = _register(settings)
    data = {"commitments": [c.to_dict() for c in register.commitments],
            "needs_review": [r.__dict__ for r in register.review],
            "deadlines": [d.to_dict() for d in register.deadlines]}
    Path(args.output).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {len(register.commitments)} commitments, {len(register.deadlines)} deadlines to {args.output}")
    return 0


def _covenant_chunks(settings: Settings) -> list:
    from ingest.load import Loader, discover
    from ingest.pipeline import choose_covenant, parse_document
    from parkstad.errors import IndexMissingError

    docs = []
    for path in discover(settings.sources_dir):
        if "references" not in path.parts:
            try:
                docs.append((str(path.relative_to(settings.sources_dir)), Loader().load(path)))
            except ParkstadError:
                continue
    covenant = choose_covenant(docs, settings.covenant)
    if covenant is None:
        raise IndexMissingError(f"no covenant found in {settings.sources_dir}")
    return parse_document(dict(docs)[covenant], covenant=True)


def _references(settings: Settings, args: argparse.Namespace) -> int:
    import json

    from assistant.references import references

    refs = references(_covenant_chunks(settings))
    if args.format == "json":
        print(json.dumps([r.to_dict() for r in refs], ensure_ascii=False, indent=2))
        return 0
    for r in refs:
        print(f"[{r.number}] (p. {r.page}) {r.text}")
        for url in r.links:
            print(f"     {url}")
        if r.cited_by:
            print(f"     genoemd in: {'; '.join(r.cited_by)}")
    return 0


def _fetch(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.references import references, web_links
    from ingest.fetch import ReferenceFetcher

    links = web_links(references(_covenant_chunks(settings)))
    fetcher = ReferenceFetcher(settings.sources_dir / "references", timeout=args.timeout, max_bytes=args.max_bytes,
                               retries=args.retries)
    entries = fetcher.run(links)
    for e in entries:
        print(f"[{e.footnote:>2}] {e.status:<9} {e.url}" + (f"  ({e.reason})" if e.reason else ""))
    counts = {s: sum(e.status == s for e in entries) for s in ("fetched", "unchanged", "failed", "skipped")}
    print(", ".join(f"{k} {v}" for k, v in counts.items()) + f"; manifest: {fetcher.manifest_path}")
    print("Run `parkstad ingest` to add the fetched documents to the index.")
    return 0


def _doctor(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.doctor import run_checks

    checks = run_checks(settings, fix=args.fix)
    for c in checks:
        status = "FIX" if not c.ok else "warn" if c.warn else "ok "
        print(f"{status:<4} {c.name:<10} {c.detail}" + (f"\n     -> {c.fix}" if c.fix else ""))
    return 0 if all(c.ok for c in checks) else 1


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from app import serve

    return serve(settings)


def _deploy(settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from deploy.cluster import run

    return run(settings, args.processes, Path(args.run_dir), Path(args.chroma_path))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parkstad", description="Parkstad Deal Assistant")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="build the index from the documents in data/sources/")
    p.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    p.set_defaults(func=_ingest)
    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question", nargs="*", help="the question (Dutch, English or German)")
    p.add_argument("--json", action="store_true", help="print the answer object as JSON")
    p.add_argument("--jsonl", action="store_true", help="read one question per line on stdin (or a JSON object "
                   '{"question": …, "history": [earlier questions]}), write JSON lines')
    p.add_argument("--history", action="append", metavar="EARLIER",
                   help="an earlier question of the conversation, oldest first (repeatable)")
    p.add_argument("--why", action="store_true", help="print the answerability decision: score, band, signals, "
                   "then the answer")
    p.set_defaults(func=_ask)
    p = sub.add_parser("eval", help="score the assistant and its baselines on evals/questions.jsonl")
    p.add_argument("--frozen", action="store_true",
                   help="also score the frozen test set (first-run figures only, at most once per session)")
    p.add_argument("--quick", action="store_true", help="skip the baselines")
    p.add_argument("--first-run", metavar="BATCH",
                   help="score a fresh batch of evals/batches/ once and record its first-run figures")
    p.add_argument("--from-feedback", metavar="JSONL", help="turn the app's feedback file into candidate eval items")
    p.add_argument("--out", default="evals/feedback-candidates.jsonl")
    p.set_defaults(func=_eval)
    p = sub.add_parser("commitments", help="the register: who committed to what")
    p.add_argument("--party", help="a party by name, abbreviation or alias (nl/en/de): OCW, 'education ministry'")
    p.add_argument("--theme", help="a theme name or number: Veiligheid, 'Talentrijke Regio'")
    p.add_argument("--programmalijn", help="1, 2 or 3")
    p.add_argument("--kind", choices=["effort", "result"])
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=_commitments)
    p = sub.add_parser("deadlines", help="every date, year and period in the deal, and who owes it")
    p.add_argument("--year", type=int)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=_deadlines)
    p = sub.add_parser("references", help="the covenant's footnotes with their links and citing clauses")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_references)
    p = sub.add_parser("fetch-references", help="download the linked PDFs and HTML pages into data/sources/references")
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--max-bytes", type=int, default=25_000_000)
    p.add_argument("--retries", type=int, default=3)
    p.set_defaults(func=_fetch)
    p = sub.add_parser("doctor", help="check the set-up and say what to fix")
    p.add_argument("--fix", action="store_true",
                   help="remove what killed ingests left behind: half-built collections, unused folders")
    p.set_defaults(func=_doctor)
    p = sub.add_parser("serve", help="start the web app on PARKSTAD_HOST:PARKSTAD_PORT (ingests first if needed)")
    p.set_defaults(func=_serve)
    p = sub.add_parser("deploy", help="N app processes behind nginx (sticky sessions) on PARKSTAD_HOST:PARKSTAD_PORT, "
                       "sharing Chroma's own server; ingests first if needed; Ctrl-C stops everything")
    p.add_argument("--processes", type=int, default=2, help="app processes (default 2)")
    p.add_argument("--run-dir", default=".run/deploy", help="nginx.conf, logs, pid files and cluster.json")
    p.add_argument("--chroma-path", default=".chroma-server",
                   help="the Chroma server's data folder (unless PARKSTAD_CHROMA_HOST names a running server)")
    p.set_defaults(func=_deploy)
    p = sub.add_parser("register", help="export the register and deadlines as JSON")
    p.add_argument("--output", default="register.json")
    p.set_defaults(func=_export)
    return parser


def valid_text(text: str) -> str:
    """Text that encodes as UTF-8: bytes that were not UTF-8 (surrogate escapes of argv and stdin) and lone
    surrogates become U+FFFD."""
    text = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF and not 0xDC80 <= ord(c) <= 0xDCFF else c for c in text)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        return int(args.func(settings, args))
    except ParkstadError as exc:
        print(f"parkstad: {_message(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("parkstad: interrupted", file=sys.stderr)
        return 130


def _message(exc: ParkstadError) -> str:
    from parkstad.errors import IndexMissingError, IndexUnavailableError

    if isinstance(exc, IndexMissingError):
        return str(exc) if "parkstad ingest" in str(exc) else f"{exc} (index not found; run `parkstad ingest`)"
    if isinstance(exc, IndexUnavailableError):
        return f"index unavailable: {exc}"
    return str(exc)


if __name__ == "__main__":
    sys.exit(main())
