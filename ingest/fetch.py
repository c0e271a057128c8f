"""Fetch the documents the covenant's footnotes link to (PDF or HTML) into data/sources/references/,
with a manifest; timeouts, a size limit, a content-type check, retries with backoff, and skipping what is
already fetched and unchanged. HTML is reduced to its main text with trafilatura."""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

ACCEPTED = {"application/pdf": "pdf", "text/html": "html", "application/xhtml+xml": "html"}


@dataclass(frozen=True)
class ManifestEntry:
    """What happened to one link: where it ended, what came back, and where it was saved."""

    footnote: int
    url: str
    final_url: str = ""
    status: str = "failed"  # fetched | unchanged | failed | skipped
    reason: str = ""
    content_type: str = ""
    bytes: int = 0
    sha256: str = ""
    fetched_at: str = ""
    path: str = ""
    etag: str = ""
    last_modified: str = ""


class FetchFailed(Exception):
    """One link could not be fetched; the reason goes into the manifest."""


class ReferenceFetcher:
    """Downloads linked PDFs and HTML pages, one link at a time; a failed link never stops the run."""

    def __init__(self, target: Path, timeout: float = 20.0, max_bytes: int = 25_000_000, retries: int = 3,
                 backoff: float = 0.5, client: httpx.Client | None = None) -> None:
        self.target = Path(target)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff = backoff
        self.client = client or httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5,
                                             headers={"User-Agent": "parkstad-deal-assistant/0.1"})

    @property
    def manifest_path(self) -> Path:
        return self.target / "manifest.json"

    def load_manifest(self) -> dict[str, ManifestEntry]:
        if not self.manifest_path.exists():
            return {}
        rows = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        return {r["url"]: ManifestEntry(**r) for r in rows}

    def run(self, links: list[tuple[int, str]]) -> list[ManifestEntry]:
        self.target.mkdir(parents=True, exist_ok=True)
        previous = self.load_manifest()
        entries: list[ManifestEntry] = []
        seen: set[str] = set()
        for footnote, url in links:
            if url in seen:
                continue
            seen.add(url)
            entries.append(self.fetch_one(footnote, url, previous.get(url)))
        self.manifest_path.write_text(json.dumps([asdict(e) for e in entries], ensure_ascii=False, indent=2),
                                      encoding="utf-8")
        return entries

    def fetch_one(self, footnote: int, url: str, before: ManifestEntry | None = None) -> ManifestEntry:
        base = ManifestEntry(footnote=footnote, url=url, fetched_at=time.strftime("%Y-%m-%dT%H:%M:%S"))
        if not url.startswith(("http://", "https://")):
            return _replace(base, status="skipped", reason="not a web link")
        headers = {}
        if before and before.status in ("fetched", "unchanged") and Path(before.path).exists():
            if before.etag:
                headers["If-None-Match"] = before.etag
            if before.last_modified:
                headers["If-Modified-Since"] = before.last_modified
        try:
            response, body = self._get(url, headers)
        except FetchFailed as exc:
            return _replace(base, reason=str(exc))
        if response.status_code == 304 and before is not None:
            return _replace(before, status="unchanged", fetched_at=base.fetched_at, reason="")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        kind = ACCEPTED.get(content_type)
        common = dict(final_url=str(response.url), content_type=content_type, bytes=len(body),
                      etag=response.headers.get("etag", ""), last_modified=response.headers.get("last-modified", ""))
        if kind is None:
            return _replace(base, reason=f"content type {content_type or '(none)'} is not PDF or HTML", **common)
        if kind == "pdf" and not body.lstrip()[:5].startswith(b"%PDF-"):
            return _replace(base, reason="served as PDF but is not a PDF", **common)
        digest = hashlib.sha256(body).hexdigest()
        path = self.target / f"voetnoot-{footnote:02d}-{_slug(url)}.{'pdf' if kind == 'pdf' else 'md'}"
        if before and before.sha256 == digest and Path(before.path).exists():
            return _replace(before, status="unchanged", fetched_at=base.fetched_at, reason="", **common)
        if kind == "pdf":
            path.write_bytes(body)
        else:
            text = html_to_markdown(body, url)
            if not text:
                return _replace(base, reason="no main text found in the HTML page", **common)
            path.write_text(text, encoding="utf-8")
        return _replace(base, status="fetched", sha256=digest, path=str(path), **common)

    def _get(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        last = ""
        for attempt in range(self.retries):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                with self.client.stream("GET", url, headers=headers) as response:
                    if response.status_code >= 500:
                        last = f"HTTP {response.status_code}"
                        continue
                    if response.status_code >= 400:
                        raise FetchFailed(f"HTTP {response.status_code}")
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > self.max_bytes:
                        raise FetchFailed(f"too large: {declared:,} bytes (limit {self.max_bytes:,})")
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > self.max_bytes:
                            raise FetchFailed(f"too large: over {self.max_bytes:,} bytes")
                        chunks.append(chunk)
                    return response, b"".join(chunks)
            except httpx.TimeoutException:
                last = "timeout"
            except httpx.TooManyRedirects:
                raise FetchFailed("too many redirects") from None
            except httpx.TransportError as exc:
                last = f"connection error ({type(exc).__name__})"
        raise FetchFailed(f"{last} after {self.retries} tries")


def html_to_markdown(body: bytes, url: str) -> str:
    """The page's main text as Markdown, headings kept, boilerplate (menus, footers) dropped."""
    import trafilatura

    html = body.decode("utf-8", errors="replace")
    text = trafilatura.extract(html, output_format="markdown", include_links=False, favor_recall=True, url=url)
    if not text:
        return ""
    meta = trafilatura.extract_metadata(html)
    title = (meta.title if meta and meta.title else "").strip()
    if title and not text.lstrip().startswith("#"):
        text = f"# {title}\n\n{text}"
    return text.strip() + "\n"


def _slug(url: str) -> str:
    tail = re.sub(r"[?#].*$", "", url.rstrip("/")).rsplit("/", 1)[-1]
    tail = re.sub(r"\.(pdf|html?)$", "", tail, flags=re.I)
    return (re.sub(r"[^a-z0-9]+", "-", tail.lower()).strip("-") or "document")[:60]


def _replace(entry: ManifestEntry, **changes: object) -> ManifestEntry:
    return ManifestEntry(**{**asdict(entry), **changes})
