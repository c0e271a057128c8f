"""The covenant's parse, checked against the text: articles, leden, themes, clauses, table, footnotes."""

from __future__ import annotations

import re

import pytest

from ingest.model import Chunk, ChunkKind

TITLES = {
    "1": "Doelen", "2": "Afspraken", "3": "Uitgangspunten", "4": "Regiokassier", "5": "Rijk–Regio-overleg",
    "6": "Evaluatie en voortgang", "7": "Communicatie", "8": "Uitvoering in overeenstemming met Unierecht",
    "9": "Gegevensuitwisseling", "10": "Wijzigingen", "11": "Opzegging", "12": "Toetreding nieuwe partijen",
    "13": "Ongeldigheid", "14": "Publiekrechtelijke medewerking en toepasselijk recht", "15": "Nakoming",
    "16": "Ondertekening in verschillende exemplaren", "17": "Citeertitel",
    "18": "Inwerkingtreding en looptijd", "19": "Publicatie",
}


def body(chunks: list[Chunk]) -> list[Chunk]:
    return [c for c in chunks if c.kind != ChunkKind.FOOTNOTE]


def test_every_article_is_present_with_its_title(covenant_chunks):
    titles = {c.location.article: c.location.article_title for c in covenant_chunks if c.location.article}
    assert titles == TITLES


def test_article_2_leden_carry_programmalijn_and_thema(covenant_chunks):
    leden = {}
    for c in covenant_chunks:
        loc = c.location
        if loc.article == "2" and loc.lid and not loc.letter and not loc.bullet and c.kind != ChunkKind.INTRO:
            leden[int(loc.lid)] = (loc.programmalijn, loc.thema, loc.thema_name)
    assert sorted(leden) == list(range(1, 14))
    assert leden[1] == ("1", None, None)
    assert leden[4] == ("1", None, None)
    assert leden[5] == ("1", "1", "Talentrijke Regio")
    assert leden[6] == ("1", "2", "Ruim baan voor ondernemerschap - aanpak MKB")
    assert leden[7] == ("1", "3", "Aantrekkelijk Vestigingsklimaat - Bedrijventerreinen")
    assert leden[8] == ("1", "4", "Circulaire economie")  # unnumbered in the text, fourth by position
    assert leden[9] == ("1", "5", "Medlands Parkstad")
    assert leden[10] == ("1", "6", "Oostflank Brunssum")
    assert leden[11] == ("1", "7", "Grensoverstijgende samenwerking")
    assert leden[12] == ("2", None, None)
    assert leden[13] == ("3", None, None)


def letters(chunks: list[Chunk], **where: str) -> dict[str, str]:
    out = {}
    for c in chunks:
        if c.location.letter and not c.location.bullet and all(
            getattr(c.location, k) == v for k, v in where.items()
        ):
            out[c.location.letter] = c.text
    return out


def test_lettered_clauses_of_programmalijn_3_themes(covenant_chunks):
    t1 = letters(covenant_chunks, programmalijn="3", thema="1")
    assert sorted(t1) == list("abcdefghi")
    assert t1["a"].startswith("Stadsregio Parkstad zet de aanpak Kansrijke Start voort in 2027 en 2028.")
    assert t1["i"].startswith("Stadsregio Parkstad zal onderzoeken hoe zorg, ondersteuning en preventie")
    t2 = letters(covenant_chunks, programmalijn="3", thema="2")
    assert sorted(t2) == list("abcde")
    assert t2["c"].startswith("JenV deelt kennis en netwerk om de Aanpak Sociaal Veilig te ondersteunen.")
    assert t2["d"].startswith("Stadsregio Parkstad continueert Het ACT! Interventieteam")
    t3 = letters(covenant_chunks, programmalijn="3", thema="3")
    assert sorted(t3) == list("ab")
    assert "VoorzieningenWijzer tot en met 2028" in t3["a"]
    t4 = letters(covenant_chunks, programmalijn="3", thema="4")
    assert sorted(t4) == list("ab")
    assert t4["b"].startswith("EZ draagt actief bij aan kennisuitwisseling")
    names = {c.location.thema: c.location.thema_name for c in covenant_chunks if c.location.programmalijn == "3"}
    assert names == {None: None, "1": "Sociaaleconomische structuurversterking", "2": "Veiligheid",
                     "3": "Wonen", "4": "Winkelgebieden"}


def test_lettered_clauses_of_programmalijn_1_and_2(covenant_chunks):
    expected = {"1": "abcdefgh", "2": "abcd", "3": "abc", "4": "abcdefg", "5": "ab", "6": "a", "7": "abcd"}
    for thema, letters_expected in expected.items():
        assert "".join(sorted(letters(covenant_chunks, programmalijn="1", thema=thema))) == letters_expected
    pl2 = letters(covenant_chunks, programmalijn="2")
    assert sorted(pl2) == list("abcde")
    assert pl2["e"].startswith("LVVN spant zich in om de beoogde gebiedsgerichte aanpak te versterken")
    bullets = [c for c in covenant_chunks if c.location.programmalijn == "2" and c.location.bullet]
    assert [c.text.split()[0] for c in bullets] == ["De", "Verbetering", "Organiseren"]


def test_labels_are_exact(by_label):
    clause = by_label["Artikel 2 lid 13, Programmalijn 3, Thema 2 Veiligheid, onder d"]
    assert clause.location.page == 11
    assert clause.text.startswith("Stadsregio Parkstad continueert Het ACT! Interventieteam: het versterken van de "
                                  "aanpak van ondermijning.")
    assert "Artikel 2 lid 5, Programmalijn 1, Thema 1 Talentrijke Regio, onder e" in by_label
    assert "Artikel 2 lid 12, Programmalijn 2, onder e" in by_label
    assert "Artikel 2 lid 8, Programmalijn 1, Thema 4 Circulaire economie, onder a" in by_label
    assert "Artikel 2 lid 13, Programmalijn 3, Thema 3 Wonen, onder b, punt 2" in by_label
    assert "Artikel 5 lid 3, onder a" in by_label
    assert "Artikel 18 lid 1" in by_label
    assert "Artikel 4" in by_label
    assert "Begripsbepaling, Regiokassier" in by_label
    assert "Overwegingen, overweging 7" in by_label
    assert "Partijen, partij 9 (OCW)" in by_label
    assert "Voetnoot 33" in by_label


def test_parts_before_artikel_1(covenant_chunks, by_label):
    parties = [c for c in covenant_chunks if c.kind == ChunkKind.PARTY]
    assert [c.location.item for c in parties] == [
        "partij 1 (VRO)", "partij 2 (BZK)", "partij 3 (EZ)", "partij 4 (JenV)", "partij 5 (IenW)",
        "partij 6 (LVVN)", "partij 7 (SZW)", "partij 8 (VWS)", "partij 9 (OCW)", "partij 10 (de Regio)"]
    assert parties[5].text == ("De Minister van Landbouw, Visserij, Voedselzekerheid en Natuur, mevrouw Femke "
                               "Marije Wiersma, hierna te noemen: LVVN;")
    assert "Stadsregio Parkstad Limburg" in parties[9].text
    partners = [c.location.item for c in covenant_chunks if c.kind == ChunkKind.PARTNER]
    assert partners == ["Stichting Samenwerking Zuid-Limburg", "Brede Maatschappelijke Coalitie Parkstad Limburg",
                        "Economische Samenwerking Zuid-Limburg (ESZL)", "Economic Board Zuid-Limburg"]
    considerations = [c for c in covenant_chunks if c.kind == ChunkKind.CONSIDERATION]
    assert len(considerations) == 12
    assert "telt ca. 260.000 inwoners" in by_label["Overwegingen, overweging 7"].text
    opgaven = [c for c in covenant_chunks if c.kind == ChunkKind.OPGAVE]
    assert [c.text[:30] for c in opgaven] == ["Versnellen van de transitie na", "Versterking van het unieke lan",
                                             "Het ombuigen van sociaaleconom"]
    assert "• Het MKB in Parkstad staat voor uitdagingen" in opgaven[0].text
    assert "Regio Deal Parkstad Limburg I en Regio Deal Parkstad Limburg II" in \
        by_label["Relatie tot eerdere Regio Deals en andere Regio Deals"].text


DEFINITIONS = [
    "Regio Deal", "Regio Envelop", "Regiokassier", "Regionale private financiering",
    "Regionale publieke financiering", "Specifieke uitkering ten behoeve van de uitvoeringsactiviteiten Regio Deals",
    "Partner", "Agenda Zuid-Limburg", "Programmalijn", "Focusgebieden", "Grensoverstijgende kenniseconomie",
    "Euregio", "RWTH Aachen University", "Daily urban system (Parkstad-Aken)", "Natuurinclusieve landbouw",
    "Circulariteit/ circulair", "Circulaire modulaire woningen", "Evidence based", "Best practices",
    "Human Capital Agenda", "Regionaal grondstoffendepot",
]


def test_every_definition_is_its_own_chunk(covenant_chunks, by_label):
    terms = [c.location.item for c in covenant_chunks if c.kind == ChunkKind.DEFINITION]
    assert terms == DEFINITIONS
    kassier = by_label["Begripsbepaling, Regiokassier"].text
    # the definition runs across the page break, past the footnote and link list of page 1
    assert kassier.endswith("die ten behoeve van de uitvoering van de Regio Deal de taak van kassier vervult of zal "
                            "vervullen;")
    assert "http" not in kassier and "284_steunverklaringen" not in kassier
    assert by_label["Begripsbepaling, Focusgebieden"].text.startswith("Focusgebieden: acht gebieden")


def test_financing_table(by_label):
    table = by_label["Artikel 3 lid 3, tabel"]
    assert table.kind == ChunkKind.TABLE
    assert table.table[0] == ("Uitvoeringsactiviteiten", "Maximale rijksbijdrage1)", "Regionale financiering",
                              "Totaal bedrag")
    assert table.table[1:] == (
        ("1. Economie", "€ 5.000.000", "€ 5.000.000", "€ 10.000.000"),
        ("2. Landelijk gebied", "€ 1.000.000", "€ 1.000.000", "€ 2.000.000"),
        ("3. Achterstanden", "€ 9.000.000", "€ 9.000.000", "€ 18.000.000"),
        ("Bijdragen totaal maximaal", "€ 15.000.000", "€ 15.000.000", "€ 30.000.000"),
    )
    assert "1) Dit bedrag is inclusief eventueel verschuldigde BTW." in table.text
    assert "Economie — Maximale rijksbijdrage1): € 5.000.000" in table.embed_text
    assert by_label["Artikel 3 lid 4"].text.startswith("De verdeling opgenomen in de tabel in het derde lid")


def test_footnotes_are_their_own_chunks_and_out_of_the_body(covenant_chunks, by_label):
    notes = [c for c in covenant_chunks if c.kind == ChunkKind.FOOTNOTE]
    assert [int(c.location.item) for c in notes] == list(range(1, 34))
    assert by_label["Voetnoot 33"].location.page == 15
    assert by_label["Voetnoot 33"].text.startswith("Met de Actieagenda Goed Bestuur (2025, zie overheid.nl)")
    assert by_label["Voetnoot 12"].text.endswith("landelijk_gebied.pdf?cb=zBzjBnQd")
    assert by_label["Voetnoot 32"].links == ("https://www.parkstad-limburg.nl/regionale-woonvisies",)
    for note in notes:
        for chunk in body(covenant_chunks):
            assert note.text not in chunk.text, (note.label, chunk.label)
    referenced = sorted(n for c in body(covenant_chunks) for n in c.footnotes)
    assert referenced == list(range(1, 34))
    assert by_label["Artikel 6 lid 6"].footnotes == (33,)
    assert by_label["Artikel 6 lid 6"].text.endswith("Actieagenda Goed Bestuur.")  # the mark "33" is removed
    assert by_label["Artikel 2 lid 13, Programmalijn 3, Thema 1 Sociaaleconomische structuurversterking, onder h"
                    ].footnotes == (29, 30, 31)


@pytest.mark.parametrize(("label", "printed"), [
    ("Artikel 11 lid 1", "1. Elke Partij kan de Regio Deal"),
    ("Artikel 2 lid 2, Programmalijn 1, onder g", "g. Parkstad-accent: Grensoverstijgende samenwerking"),
    ("Artikel 2 lid 5, Programmalijn 1, Thema 1 Talentrijke Regio", "5. Thema 1 Talentrijke Regio."),
    ("Artikel 2 lid 13, Programmalijn 3, Thema 1 Sociaaleconomische structuurversterking",
     "Thema 1 Sociaaleconomische structuurversterking Sociaaleconomische structuurversterking is"),
    ("Artikel 2 lid 12, Programmalijn 2, onder b, punt 1", "• De transitie naar natuur-inclusieve landbouw;"),
    ("Partijen, partij 5 (IenW)", "5. De Staatssecretaris van Infrastructuur en Waterstaat"),
    ("Overwegingen, overweging 7", "7. De regio Parkstad Limburg is een regio bestaande uit zeven gemeenten"),
    ("Begripsbepaling, Regiokassier", "• Regiokassier: publieke regiopartner"),
    ("Voetnoot 10", "10 Bron: Etil (2024). Parkstad aan het Werk."),
    ("Artikel 13", "Indien een bepaling"),
])
def test_a_chunk_is_printed_with_what_the_document_prints_before_it(by_label, label, printed):
    chunk = by_label[label]
    assert chunk.printed.startswith(printed) and chunk.printed.endswith(chunk.text)


def test_only_the_first_piece_of_a_lettered_clause_is_printed_with_its_letter(covenant_chunks):
    pieces = [c for c in covenant_chunks if c.label == "Artikel 2 lid 13, Programmalijn 3, Thema 3 Wonen, onder b"]
    assert [c.marker for c in pieces] == ["b.", ""]


def test_no_body_chunk_holds_a_link_list(covenant_chunks):
    for chunk in body(covenant_chunks):
        assert not re.search(r"https?://|file://", chunk.text), chunk.label


def test_line_end_hyphenation_follows_the_text(by_label):
    lid11 = by_label["Artikel 2 lid 11, Programmalijn 1, Thema 7 Grensoverstijgende samenwerking"]
    assert "in de grensoverstijgende samenwerking" in lid11.text  # "grens-\noverstijgende", spelled joined elsewhere
    assert "Zuid-Limburg" in by_label["Artikel 1"].text  # "Zuid-\nLimburg" keeps its hyphen


def test_chunks_name_their_parties(by_label):
    assert by_label["Artikel 2 lid 13, Programmalijn 3, Thema 2 Veiligheid, onder c"].parties[0] == "JenV"
    assert "Regio" in by_label["Artikel 2 lid 13, Programmalijn 3, Thema 2 Veiligheid, onder d"].parties
    assert "OCW" in by_label["Artikel 2 lid 5, Programmalijn 1, Thema 1 Talentrijke Regio, onder e"].parties
    assert "programmateam Zuid-Limburg" in by_label[
        "Artikel 2 lid 5, Programmalijn 1, Thema 1 Talentrijke Regio, onder a"].parties
    assert "Regio" not in by_label["Overwegingen, overweging 5"].parties  # "De Regio Deals" is not the party


def test_embed_text_carries_the_breadcrumb(by_label):
    clause = by_label["Artikel 2 lid 13, Programmalijn 3, Thema 2 Veiligheid, onder c"]
    assert clause.embed_text.startswith("Artikel 2 Afspraken > Programmalijn 3 ")
    assert "Thema 2 Veiligheid" in clause.embed_text.split("\n")[0]
    assert clause.text in clause.embed_text


def test_ids_are_stable_and_unique(covenant_chunks):
    from ingest.load import Loader
    from ingest.pipeline import parse_document
    from tests.helpers import COVENANT

    again = parse_document(Loader().load(COVENANT))
    assert [c.id for c in again] == [c.id for c in covenant_chunks]
    assert len({c.id for c in covenant_chunks}) == len(covenant_chunks)


@pytest.mark.parametrize("label,page", [
    ("Titel", 1), ("Begripsbepaling, Regionale private financiering", 2), ("Artikel 1", 5),
    ("Artikel 3 lid 3, tabel", 13), ("Artikel 19 lid 2", 17),
])
def test_pages(by_label, label, page):
    assert by_label[label].location.page == page
