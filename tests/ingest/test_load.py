"""Loading: real PDFs through pypdf, text files, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.load import Loader
from ingest.pipeline import parse_document
from parkstad.errors import LoadError
from tests.helpers import COVENANT, covenant_pdf, write_pdf


def test_covenant_pdf_parses_to_the_same_units_as_the_text(tmp_path, covenant_chunks):
    pdf = covenant_pdf(tmp_path / "regio-deal.pdf")
    doc = Loader().load(pdf)
    assert doc.media == "pdf" and len(doc.pages) == 17
    from_pdf = parse_document(doc)
    assert [c.label for c in from_pdf] == [c.label for c in covenant_chunks]
    assert [c.text for c in from_pdf] == [c.text for c in covenant_chunks]
    assert [c.location.page for c in from_pdf] == [c.location.page for c in covenant_chunks]


def test_text_file_pages_follow_the_single_space_convention():
    doc = Loader().load(COVENANT)
    assert len(doc.pages) == 17
    assert doc.pages[1].text.startswith(" openbare lichamen Bonaire")


def test_form_feeds_split_pages(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Eerste pagina\fTweede pagina", encoding="utf-8")
    assert [p.text for p in Loader().load(path).pages] == ["Eerste pagina", "Tweede pagina"]


def _expect(path: Path, reason: str) -> None:
    with pytest.raises(LoadError) as info:
        Loader().load(path)
    assert info.value.path == str(path)
    assert reason in info.value.reason


def test_empty_file(tmp_path):
    (tmp_path / "leeg.txt").write_bytes(b"")
    _expect(tmp_path / "leeg.txt", "empty")


def test_corrupt_pdf(tmp_path):
    good = write_pdf(tmp_path / "good.pdf", [["Hallo wereld"] * 5])
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(good.read_bytes()[:200])
    with pytest.raises(LoadError) as info:
        Loader().load(broken)
    assert info.value.path == str(broken)


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp_path / "plain.pdf", [["Geheime tekst"]])
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="geheim", owner_password="eigenaar", algorithm="RC4-128")
    with open(tmp_path / "locked.pdf", "wb") as fh:
        writer.write(fh)
    _expect(tmp_path / "locked.pdf", "encrypted")


def test_not_what_the_extension_says(tmp_path):
    (tmp_path / "fake.pdf").write_text("Dit is gewone tekst", encoding="utf-8")
    _expect(tmp_path / "fake.pdf", "not a PDF")
    write_pdf(tmp_path / "real.pdf", [["tekst"]])
    (tmp_path / "real.txt").write_bytes((tmp_path / "real.pdf").read_bytes())
    _expect(tmp_path / "real.txt", "this is a PDF")


def test_non_utf8_text(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Beëindiging".encode("latin-1"))
    _expect(tmp_path / "latin1.txt", "not UTF-8")


def test_pdf_without_text_layer(tmp_path):
    write_pdf(tmp_path / "scan.pdf", [[], []])
    _expect(tmp_path / "scan.pdf", "no extractable text")


def test_unsupported_type(tmp_path):
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04")
    _expect(tmp_path / "x.docx", "unsupported")
