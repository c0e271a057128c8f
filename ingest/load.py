"""Load source files (PDF via pypdf, UTF-8 text and Markdown) into pages."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ingest.model import Page, SourceDocument
from parkstad.errors import LoadError

SUPPORTED = (".pdf", ".txt", ".md")
# In text extracted from the signed covenant PDF each page begins with a line that starts with one space.
_PAGE_START = re.compile(r"^ (?=\S)")


class Loader:
    """Reads one file into a SourceDocument, or raises LoadError naming the file and the reason."""

    def __init__(self, max_bytes: int = 50_000_000, max_pages: int = 2_000, max_page_chars: int = 200_000):
        self.max_bytes = max_bytes
        self.max_pages = max_pages
        self.max_page_chars = max_page_chars

    def load(self, path: Path) -> SourceDocument:
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED:
            raise LoadError(str(path), f"unsupported file type {suffix or '(none)'}; use .pdf, .txt or .md")
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise LoadError(str(path), f"cannot read the file ({exc.strerror})") from None
        if size == 0:
            raise LoadError(str(path), "the file is empty")
        if size > self.max_bytes:
            raise LoadError(str(path), f"the file is {size:,} bytes; the limit is {self.max_bytes:,}")
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if suffix == ".pdf":
            pages, title = self._pdf_pages(path, data)
            media = "pdf"
        else:
            pages = self._text_pages(path, data)
            media = "text"
            heading = re.search(r"^#\s+(\S.{0,100}?)\s*$", pages[0].text if pages else "", re.M)
            title = heading.group(1) if heading else ""
        if not any(p.text.strip() for p in pages):
            raise LoadError(str(path), "no extractable text (a scanned PDF without a text layer?)")
        return SourceDocument(name=path.stem, path=str(path), pages=tuple(pages), sha256=digest, media=media,
                              title=title)

    def _text_pages(self, path: Path, data: bytes) -> list[Page]:
        if data.startswith(b"%PDF-"):
            raise LoadError(str(path), "this is a PDF file, not text; rename it to .pdf")
        if b"\x00" in data[:8192]:
            raise LoadError(str(path), "binary data, not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LoadError(str(path), f"not UTF-8 text (invalid byte at position {exc.start})") from None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if "\f" in text:
            chunks = text.split("\f")
        else:
            chunks = _split_on_page_starts(text)
        return [Page(path.stem, i, chunk) for i, chunk in enumerate(chunks, start=1)]

    def _pdf_pages(self, path: Path, data: bytes) -> tuple[list[Page], str]:
        if not data.lstrip()[:5].startswith(b"%PDF-"):
            raise LoadError(str(path), "not a PDF (no %PDF header)")
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError, PyPdfError

        try:
            import io

            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except Exception:  # noqa: BLE001 - pypdf raises several types for unsupported crypto
                    opened = 0
                if not opened:
                    raise LoadError(str(path), "the PDF is encrypted with a password")
            meta_title = (reader.metadata.title if reader.metadata else None) or ""
            title = " ".join(str(meta_title).split())[:120]
            count = len(reader.pages)
            if count > self.max_pages:
                raise LoadError(str(path), f"the PDF has {count:,} pages; the limit is {self.max_pages:,}")
            pages = []
            for number, page in enumerate(reader.pages, start=1):
                text = page.extract_text() or ""
                if len(text) > self.max_page_chars:
                    raise LoadError(str(path), f"page {number} holds over {self.max_page_chars:,} characters")
                pages.append(Page(path.stem, number, text))
            return pages, title
        except LoadError:
            raise
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            raise LoadError(str(path), f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})") from None
        except RecursionError:
            raise LoadError(str(path), "corrupt PDF (object structure too deep)") from None


def _split_on_page_starts(text: str) -> list[str]:
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if _PAGE_START.match(line)]
    if len(starts) < 2:
        return [text]
    if starts[0] != 0 and any(line.strip() for line in lines[: starts[0]]):
        starts.insert(0, 0)
    bounds = starts + [len(lines)]
    return ["\n".join(lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def discover(folder: Path) -> list[Path]:
    """The source files under a folder, sorted, recursing into sub-folders."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
