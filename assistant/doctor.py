"""`parkstad doctor`: checks the set-up and says what to fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from parkstad.errors import ParkstadError
from parkstad.settings import Settings

if TYPE_CHECKING:
    from ingest.index import ChromaIndex


@dataclass(frozen=True)
class Check:
    """One check: its name, whether it passed, what was found and what to do."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    warn: bool = False  # passes, but something optional is missing or weaker than it could be


def run_checks(settings: Settings, fix: bool = False) -> list[Check]:
    """Every check, in order; with `fix`, also remove what killed ingests left behind."""
    from ingest.embed import embedder_id, make_embedder
    from ingest.index import open_index
    from ingest.load import discover
    from parkstad.errors import IndexMissingError

    checks: list[Check] = []
    where = f"Chroma server {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else \
        f"index folder {settings.index_dir}"
    try:
        index = open_index(settings, create=False)
        info = index.info()
        checks.append(Check("chroma", True, f"{where} reachable"))
        checks.append(_leftovers(index, fix))
    except IndexMissingError:
        checks.append(Check("chroma", True, f"{where} does not exist yet"))
        info = None
    except ParkstadError as exc:
        checks.append(Check("chroma", False, str(exc), "start `chroma run --path DIR --port N` or check "
                            "PARKSTAD_CHROMA_HOST/PORT" if settings.chroma_host else
                            "remove the damaged folder and run `parkstad ingest`"))
        return checks + _llm(settings)
    if info is None:
        checks.append(Check("index", False, f"no index in the {where}", "run `parkstad ingest`"))
    else:
        checks.append(Check("index", True, f"collection {info.collection}, {len(info.documents)} documents, "
                            f"{sum(d.chunks for d in info.documents)} chunks"))
        try:
            wanted = embedder_id(make_embedder(settings.embeddings))
        except ParkstadError as exc:
            wanted = ""
            checks.append(Check("embedder", False, str(exc), "install the embedder or set PARKSTAD_EMBEDDINGS"))
        if wanted:
            same = wanted == info.embedder
            checks.append(Check("embedder", same, f"index built with {info.embedder}; configured {wanted}",
                                "" if same else "run `parkstad ingest --force` or set PARKSTAD_EMBEDDINGS back"))
        indexed = {d.source: d for d in info.documents}
        changed = []
        root = Path(settings.sources_dir).resolve()
        for path in discover(settings.sources_dir):
            if not path.resolve().is_relative_to(root):
                continue  # a link out of the folder, which ingest skips
            source = str(path.resolve().relative_to(root))
            if source not in indexed or path.stat().st_mtime > info.built_at:
                changed.append(source)
        gone = [s for s in indexed if not (root / s).exists()]
        fresh = not changed and not gone
        detail = "documents match the index" if fresh else (
            f"new or changed since the index: {', '.join(changed) or '-'}; removed: {', '.join(gone) or '-'}")
        checks.append(Check("documents", fresh, detail, "" if fresh else "run `parkstad ingest`"))
    return checks + _answerability(settings) + _llm(settings)


def _leftovers(index: ChromaIndex, fix: bool) -> Check:
    """Collections and folders of killed or superseded ingests; removed with `fix`."""
    if not fix:
        left = index.tidy(dry_run=True)
        return Check("leftovers", not left, f"left by killed or superseded ingests: {', '.join(left)}" if left else
                     "no leftovers of earlier ingests", "run `parkstad doctor --fix`" if left else "")
    try:
        with index.lock():
            removed = index.tidy()
    except ParkstadError as exc:
        return Check("leftovers", False, str(exc), "run `parkstad doctor --fix` when it has finished")
    return Check("leftovers", True, f"removed {', '.join(removed)}" if removed else "no leftovers of earlier ingests")


def _answerability(settings: Settings) -> list[Check]:
    import json

    from assistant.answerability import MODEL_FILE, Model
    from ingest.embed import embedder_id, make_embedder

    path = settings.answerability_model or MODEL_FILE
    try:
        fitted_for = json.loads(path.read_text(encoding="utf-8"))["embedder"]
        configured = embedder_id(make_embedder(settings.embeddings))
        model = Model.load(settings.answerability_model, configured)
    except (ParkstadError, OSError, ValueError, KeyError) as exc:
        return [Check("decision", False, str(exc), "run `python -m evals.fit_answerability` or unset "
                      "PARKSTAD_ANSWERABILITY_MODEL")]
    detail = f"answerability model {path.name}: refuse below {model.refuse_below:.2f}, " \
             f"answer from {model.answer_from:.2f}"
    if model.head:
        return [Check("decision", True, detail)]
    return [Check("decision", True, f"{detail}; fitted for {fitted_for}, so with {configured} it decides on the "
                  "scalar signals alone and refuses less reliably", "refit it for this embedder: "
                  "`python -m evals.fit_answerability --output FILE` and set PARKSTAD_ANSWERABILITY_MODEL", warn=True)]


def _llm(settings: Settings) -> list[Check]:
    if not settings.llm_base_url:
        return [Check("llm", True, "no LLM configured (extractive answers)")]
    import httpx

    url = settings.llm_base_url.rstrip("/") + "/models"
    headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
    try:
        response = httpx.get(url, headers=headers, timeout=min(settings.llm_timeout, 5.0))
        ok = response.status_code < 500
        return [Check("llm", ok, f"{settings.llm_base_url} answered HTTP {response.status_code}",
                      "" if ok else "check the LLM server")]
    except httpx.HTTPError as exc:
        return [Check("llm", False, f"{settings.llm_base_url} unreachable ({type(exc).__name__})",
                      "start the LLM server or unset PARKSTAD_LLM_BASE_URL")]
