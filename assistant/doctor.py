"""`parkstad doctor`: checks the set-up and says what to fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parkstad.errors import ParkstadError
from parkstad.settings import Settings


@dataclass(frozen=True)
class Check:
    """One check: its name, whether it passed, what was found and what to do."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(settings: Settings) -> list[Check]:
    from ingest.embed import embedder_id, make_embedder
    from ingest.index import ChromaIndex, open_client
    from ingest.load import discover

    checks: list[Check] = []
    where = f"Chroma server {settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else \
        f"index folder {settings.index_dir}"
    try:
        index = ChromaIndex(open_client(settings.index_dir, settings.chroma_host, settings.chroma_port),
                            settings.collection)
        info = index.info()
        checks.append(Check("chroma", True, f"{where} reachable"))
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
            source = str(path.resolve().relative_to(root))
            if source not in indexed or path.stat().st_mtime > info.built_at:
                changed.append(source)
        gone = [s for s in indexed if not (root / s).exists()]
        fresh = not changed and not gone
        detail = "documents match the index" if fresh else (
            f"new or changed since the index: {', '.join(changed) or '-'}; removed: {', '.join(gone) or '-'}")
        checks.append(Check("documents", fresh, detail, "" if fresh else "run `parkstad ingest`"))
    return checks + _answerability(settings) + _llm(settings)


def _answerability(settings: Settings) -> list[Check]:
    from assistant.answerability import MODEL_FILE, Model

    path = settings.answerability_model or MODEL_FILE
    try:
        model = Model.load(settings.answerability_model)
    except ParkstadError as exc:
        return [Check("decision", False, str(exc), "run `python -m evals.fit_answerability` or unset "
                      "PARKSTAD_ANSWERABILITY_MODEL")]
    return [Check("decision", True, f"answerability model {path.name}: refuse below {model.refuse_below:.2f}, "
                  f"answer from {model.answer_from:.2f}")]


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
