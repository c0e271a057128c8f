"""Answers across the covenant and the documents it references; updates per document."""

from __future__ import annotations

import shutil

import pytest

from ingest.index import ChromaIndex, open_client
from ingest.load import Loader
from ingest.pipeline import Ingestor
from parkstad.errors import LoadError
from tests.helpers import COVENANT, HashEmbeddings, write_pdf


def test_other_documents_keep_pages_and_headings(ui_assistant, ui_settings):
    info, corpus, _, _ = ui_assistant.state()
    names = {d.name: d for d in info.documents}
    assert set(names) == {"Regio Deal Parkstad Limburg III", "Agenda Zuid-Limburg", "Bijlage veiligheid"}
    assert names["Agenda Zuid-Limburg"].pages == 3
    labels = {c.label for c in corpus.chunks if c.location.document == "Agenda Zuid-Limburg"}
    assert labels == {'Agenda Zuid-Limburg, p. 1, "Agenda Zuid-Limburg"',  # the title line, kept as text
                      'Agenda Zuid-Limburg, p. 1, "Arbeidsmarkt"', 'Agenda Zuid-Limburg, p. 2, "Wonen"',
                      'Agenda Zuid-Limburg, p. 3, "Grensoverschrijdende mobiliteit"'}
    with pytest.raises(LoadError, match="no extractable text"):
        Loader().load(ui_settings.sources_dir / "scan.pdf")


def test_a_question_about_a_referenced_document_is_answered_from_it(ui_assistant):
    a = ui_assistant.ask("Wat zegt de Agenda Zuid-Limburg over de arbeidsmarkt?")
    assert a.found and a.citations[0].label == 'Agenda Zuid-Limburg, p. 1, "Arbeidsmarkt"'
    assert a.citations[0].location.page == 1
    assert a.answer.startswith("Volgens het document ‘Agenda Zuid-Limburg’ (p. 1)")
    assert "20.000 extra technici" in a.answer
    wonen = ui_assistant.ask("Hoeveel woningen komen er per jaar bij volgens de agenda?")
    assert wonen.citations[0].label == 'Agenda Zuid-Limburg, p. 2, "Wonen"' and "2.500" in wonen.answer


def test_commitments_are_answered_from_the_covenant(ui_assistant):
    a = ui_assistant.ask("Wat continueert Stadsregio Parkstad?")
    assert a.citations[0].location.document == "Regio Deal Parkstad Limburg III"
    assert a.citations[0].label.startswith("Artikel 2 lid 13")
    who = ui_assistant.ask("Wie is verantwoordelijk voor thema Veiligheid?")
    assert all(c.location.document == "Regio Deal Parkstad Limburg III" for c in who.citations)


def test_where_can_i_find_a_referenced_document(ui_assistant):
    a = ui_assistant.ask("Waar kan ik de Educatieve Agenda Parkstad vinden?")
    assert any(c.label in ("Voetnoot 19", "Voetnoot 26") for c in a.citations[:2])
    assert "266-educatieve-agenda-parkstad-def-opmaak.pdf" in a.answer


def test_changing_one_document_re_embeds_only_that_document(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(COVENANT, sources / COVENANT.name)
    write_pdf(sources / "agenda.pdf", [["Arbeidsmarkt", "De arbeidsmarkt is krap."]], title="Agenda")
    note = sources / "notitie.md"
    note.write_text("# Notitie\n\nEerste versie van de notitie over wonen.\n", encoding="utf-8")
    index = ChromaIndex(open_client(tmp_path / "idx"))
    emb = HashEmbeddings()
    first = Ingestor(sources, index, emb).run(progress=False)
    total = first.embedded
    note.write_text("# Notitie\n\nTweede versie van de notitie over wonen en werken.\n", encoding="utf-8")
    second = Ingestor(sources, index, emb).run(progress=False)
    assert second.embedded == 1 and second.reused == total - 1
    texts = [c.text for c in index.chunks(index.info())]
    assert any("Tweede versie" in t for t in texts) and not any("Eerste versie" in t for t in texts)
    (sources / "agenda.pdf").unlink()
    third = Ingestor(sources, index, emb).run(progress=False)
    assert third.embedded == 0
    assert {d.name for d in index.info().documents} == {"Regio Deal Parkstad Limburg III", "Notitie"}
    assert len(index.chunks(index.info())) == total - 1


ANNEX = """Bijlage bij de samenwerking

Artikel 1 – Doel
OCW zet zich in voor een nieuw leerlab in Kerkrade.

Artikel 2 – Uitvoering
OCW realiseert in 2027 een tweede leerlab in Brunssum.

Artikel 3 – Looptijd
Deze bijlage loopt tot 2028.
"""


@pytest.mark.parametrize("configured", [None, "regio-deal-parkstad-limburg-iii.txt"])
def test_exactly_one_covenant_and_every_other_document_under_its_own_name(tmp_path, configured):
    from assistant.service import Assistant

    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a-annex.md").write_text(ANNEX, encoding="utf-8")  # shaped like a covenant, and first in order
    shutil.copy(COVENANT, sources / COVENANT.name)
    embedder = HashEmbeddings()
    index = ChromaIndex(open_client(tmp_path / "index"))
    Ingestor(sources, index, embedder, **({"covenant": configured} if configured else {})).run(progress=False)
    _, corpus, _, answerer = Assistant(index, embedder).state()
    annex = [c for c in corpus.chunks if "leerlab" in c.text]
    assert annex and all(c.location.document == "A annex" and c.location.part == "Document" for c in annex)
    assert not [c for c in corpus.covenant() if "leerlab" in c.text]
    assert not [r for r in answerer.register.commitments if "leerlab" in r.text]
    assert {c.location.document for c in corpus.covenant()} == {"Regio Deal Parkstad Limburg III"}
