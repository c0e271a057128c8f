"""The app's handlers without a server, the renderers, the UI text files, and the app through gradio_client."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest

from assistant.answerability import Band
from assistant.model import Answer, Citation
from assistant.register import Commitment
from ingest.model import Chunk, ChunkKind, Location
from parkstad.errors import SettingsError
from parkstad.settings import Settings
from ui.handlers import Handlers
from ui.render import chat_markdown, sources_html
from ui.text import UiText, browser_language, languages, text

NL = text("nl")


@pytest.fixture
def handlers(ui_assistant, ui_settings, tmp_path):
    settings = Settings(feedback_file=tmp_path / "fb.jsonl", index_dir=ui_settings.index_dir,
                        sources_dir=ui_settings.sources_dir)
    return Handlers(ui_assistant, settings)


def final(gen):
    return list(gen)[-1]


def converse(handlers, *questions, lang="nl"):
    history, asked = [], []
    for q in questions:
        history, panel, asked = final(handlers.ask(q, history, asked, lang))
    return history, panel, asked


def test_ask_gives_an_answer_with_its_own_sources(handlers):
    steps = list(handlers.ask("Wie is verantwoordelijk voor thema Veiligheid?", [], [], "nl"))
    assert len(steps) == 1  # answer, sources and state in one update
    history, panel, asked = steps[-1]
    assert history[0] == {"role": "user", "content": "Wie is verantwoordelijk voor thema Veiligheid?"}
    assert "JenV" in history[-1]["content"] and "(#cite-1-1)" in history[-1]["content"]
    assert 'id="src-1-1"' in panel and "Thema 2 Veiligheid, onder a" in panel
    assert len(asked) == 1 and asked[0].answer.found and asked[0].message == 1


def test_every_listed_source_has_its_marker_in_the_answer(handlers):
    for question in ("Wie is verantwoordelijk voor het thema Veiligheid?", "Wat doet OCW?",
                     "Wie is de burgemeester van Heerlen?", "Hoeveel geld zit er in de deal?"):
        history, _, asked = converse(handlers, question)
        for k in range(1, len(asked[-1].answer.citations) + 1):
            assert f"(#cite-1-{k})" in history[-1]["content"], (question, k)


def test_follow_up_uses_the_conversation_and_a_new_party_is_its_subject(handlers):
    _, _, asked = converse(handlers, "Wie trekt thema Veiligheid?", "En wat doet JenV daar?")
    labels = [c.label for c in asked[-1].answer.citations]
    assert labels and all("Thema 2 Veiligheid" in x for x in labels)
    assert "JenV" in asked[-1].answer.citations[0].quote and "JenV" in asked[-1].answer.answer.split("\n")[0]


def test_a_citation_of_an_earlier_answer_opens_that_answers_source(handlers):
    _, _, asked = converse(handlers, "Wanneer loopt de deal af?", "Wat is een regiokassier?")
    first = asked[0].answer.citations[0]
    panel = handlers.open_citation("1-1", asked, "nl")
    assert "Bronnen bij antwoord 1" in panel and panel.count('class="bron open"') == 1
    assert panel.count("clause highlight") == 1 and first.quote[:40] in panel
    assert 'id="src-1-1"' in panel and 'id="src-2-1"' not in panel
    closed = handlers.open_citation("1-0", asked, "nl")
    assert "highlight" not in closed and 'id="src-1-1"' in closed
    assert handlers.open_citation("nonsense", asked, "nl") == handlers.panel(asked, "nl")


def test_a_pdf_source_links_to_its_page(handlers):
    _, panel, asked = converse(handlers, "Wat staat er in de Agenda Zuid-Limburg over de tramverbinding?")
    pdf = [c for c in asked[-1].answer.citations if c.location.document == "Agenda Zuid-Limburg"]
    assert pdf, [c.label for c in asked[-1].answer.citations]
    assert "agenda-zuid-limburg.pdf#page=" in panel and 'class="pdf"' in panel


def test_bad_questions_get_a_message_in_the_ui_language(handlers):
    for lang in languages():
        history, panel, asked = final(handlers.ask("   ", [], [], lang))
        assert history[-1]["content"] == "⚠️ " + text(lang)("errors.empty") and asked == []
    history, _, _ = final(handlers.ask("x" * 30_000, [], [], "de"))
    assert "Zeichen" in history[-1]["content"]


def test_a_lone_surrogate_gets_an_answer_and_shows_as_a_replacement_character(handlers):
    history, _, asked = final(handlers.ask("Wat is een regiokassier?\ud800", [], [], "nl"))
    assert asked and asked[0].answer.found
    json.dumps(history, ensure_ascii=False).encode("utf-8")  # the UI can send it to the browser
    assert "\ufffd" in history[0]["content"]


def test_markdown_in_the_question_is_shown_as_typed(handlers):
    history, _, _ = final(handlers.ask("Wat is **een** regiokassier en wat doet [OCW](http://x)?", [], [], "nl"))
    assert "**een**" not in history[0]["content"] and "\\*\\*een\\*\\*" in history[0]["content"]
    assert "](http" not in history[-1]["content"].replace("](#cite-", "")


def test_feedback_is_stored_with_the_rated_answer(handlers):
    _, _, asked = converse(handlers, "Wat is een regiokassier?", "Wanneer loopt de deal af?")
    message = handlers.rate(asked[0].message, False, "te lang", asked, "nl")
    assert message == NL("feedback.saved", n=1)
    entry = json.loads(handlers.settings.feedback_file.read_text(encoding="utf-8").splitlines()[-1])
    assert entry["rating"] == "bad" and entry["comment"] == "te lang"
    assert entry["question"] == "Wat is een regiokassier?" and entry["citations"][0] == "Begripsbepaling, Regiokassier"


def test_an_unwritable_feedback_file_keeps_the_rating_and_retries(handlers):
    _, _, asked = converse(handlers, "Wat is een regiokassier?")
    path = handlers.settings.feedback_file
    path.mkdir()  # a folder where the file should be: writing fails
    message = handlers.rate(asked[0].message, True, "", asked, "en")
    assert message.startswith("Your rating of answer 1 is kept") and handlers.pending == 1
    path.rmdir()
    handlers.rate(asked[0].message, False, "tweede", asked, "en")
    entries = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert [e["rating"] for e in entries] == ["good", "bad"] and handlers.pending == 0


def test_register_table_counts_and_csv_holds_exactly_the_filtered_rows(handlers):
    table, path, _ = handlers.register_view("nl", "JenV", "", "", "", "")
    rows = list(csv.reader(open(path, encoding="utf-8-sig"), delimiter=";"))
    assert rows[0] == ["Wie", "Met", "Soort", "Programmalijn / thema", "Bepaling", "Pagina",
                       "Afspraak (tekst van het convenant)"]
    assert len(rows) > 1 and all("JenV" in r[0] or "JenV" in r[1] for r in rows[1:])
    assert f"{len(rows) - 1} afspraken" in table
    table2, path2, _ = handlers.register_view("nl", "OCW", "", "", "", "")
    assert path2 != path and all("OCW" in r[0] or "OCW" in r[1]
                                 for r in list(csv.reader(open(path2, encoding="utf-8-sig"), delimiter=";"))[1:])
    assert handlers.register_view("nl", "JenV", "", "", "", "")[1] == path  # same rows, same file
    folder = Path(path).parent.parent
    assert Path(path2).parent.parent == folder and folder.parent == Path(tempfile.gettempdir())
    _, en, _ = handlers.register_view("en", "", "Veiligheid", "3", "result", "ACT!")
    assert list(csv.reader(open(en, encoding="utf-8-sig")))[1][2] == "result"
    assert "Geen afspraken" in handlers.register_view("nl", "", "", "", "", "geen-zulk-woord-xyz")[0]


@pytest.mark.parametrize("lang,delimiter,stem", [("nl", ";", "wie-doet-wat-OCW"), ("de", ";", "wer-macht-was-OCW"),
                                                 ("en", ",", "who-does-what-OCW")])
def test_register_files_use_the_locales_delimiter_and_say_what_they_hold(handlers, lang, delimiter, stem):
    import datetime

    from openpyxl import load_workbook

    _, path, xlsx = handlers.register_view(lang, "OCW", "", "", "", "")
    today = datetime.date.today().isoformat()
    assert Path(path).name == f"{stem}-{today}.csv" and Path(xlsx).name == f"{stem}-{today}.xlsx"
    first = open(path, encoding="utf-8-sig").readline()
    assert len(next(csv.reader([first], delimiter=delimiter))) == 7, first  # split by the locale's delimiter
    rows = list(csv.reader(open(path, encoding="utf-8-sig"), delimiter=delimiter))
    sheet = load_workbook(xlsx).active
    cells = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert cells == rows and len(rows) > 2
    _, theme, _ = handlers.register_view(lang, "", "Veiligheid", "3", "effort", "")
    name = Path(theme).name
    assert name.startswith(text(lang)("register.csv_name")) and "-3-" in name and today in name
    assert ("veiligheid" if lang == "nl" else "safety" if lang == "en" else "sicherheit") in name


def test_xlsx_keeps_a_formula_as_text():
    from openpyxl import load_workbook

    from ui.register_view import CsvFiles

    formula = '=HYPERLINK("https://evil.example/x","klik")'
    loc = Location(document="Regio Deal", part="Artikelen", article="2", lid="1", page=3)
    files = CsvFiles()  # its folder lives as long as it does
    path = files.write([Commitment(("OCW",), (), formula, "result", (), (), (), loc, "c1")], NL, kind="xlsx")
    cell = load_workbook(path).active.cell(row=2, column=7)
    assert cell.value == formula and cell.data_type == "s"


@pytest.mark.parametrize("lang,theme,line,kind", [
    ("en", "Safety", "3 – Disadvantage in vulnerable neighbourhoods and villages", "effort"),
    ("de", "Sicherheit", "3 – Rückstände in benachteiligten Vierteln und Orten", "Bemühen")])
def test_register_names_themes_lines_and_kinds_in_the_ui_language_and_keeps_the_clause_dutch(handlers, lang, theme,
                                                                                          line, kind):
    from ui import register_view

    table, path, _ = handlers.register_view(lang, "JenV", "Veiligheid", "", "", "")
    assert f">{theme}<" in table and f">{kind}<" in table and "Veiligheid<" not in table
    assert "lang='nl' data-label" in table and "JenV deelt kennis" in table  # the covenant's words, marked Dutch
    assert f"<small class='topic'>{theme}</small>" in table
    choices = register_view.choices(handlers.assistant.state()[3].register, text(lang))
    assert (theme, "Veiligheid") in choices["theme"] and (line, "3") in choices["programmalijn"]


def test_documents_tab_in_each_language(handlers):
    docs = handlers.documents_html("nl")
    assert "Regio Deal Parkstad Limburg III" in docs and "Voetnoot 33" in docs
    assert "Footnote 33" in handlers.documents_html("en") and "Fußnote 33" in handlers.documents_html("de")
    assert "(S. " in handlers.documents_html("de") and "(p. " not in handlers.documents_html("de")


def test_language_files_have_the_same_keys_and_translated_labels():
    keys = {lang: UiText(lang).keys() for lang in languages()}
    assert set(languages()) >= {"nl", "en", "de"}
    assert all(k == keys["nl"] for k in keys.values()), {lang: keys["nl"] ^ k for lang, k in keys.items()}
    same = {"title": {"en", "de"}, "sources.page": {"en"}, "chat.partner": {"en"}, "documents.document": {"en"},
            "register.all": {"de"}, "register.theme": {"de"}, "overview.h_partners": {"en"},
            "overview.season_winter": {"en"}, "overview.date": {"en"}, "overview.date_no_year": {"en"},
            "overview.amount": {"de"}, "why.percent": {"de"}}  # the same word, or only placeholders, in both languages
    for lang in ("en", "de"):
        t = text(lang)
        for key in {k for k in keys["nl"] if lang not in same.get(k, ())}:
            raw = NL._raw(key)
            if isinstance(raw, str) and len(raw) > 3:
                assert t._raw(key) != raw, (lang, key)


@pytest.mark.parametrize("header,expected", [
    ("de-DE,de;q=0.9,en;q=0.8", "de"), ("en-GB,en;q=0.9", "en"), ("fr-FR,fr;q=0.9", "nl"),
    ("fr;q=0.9, en;q=0.5, de;q=0.7", "de"), ("", "nl"), (None, "nl"), ("nl-BE", "nl"), ("x;q=abc,en", "en")])
def test_browser_language(header, expected):
    assert browser_language(header) == expected


def test_document_html_is_escaped():
    loc = Location(document="Bijlage", part="Document", page=1)
    answer = Answer("q", "Zie <script>alert(1)</script> [1]", True, "extractive",
                    (Citation("Bijlage, p. 1", loc, "<img src=x onerror=alert(1)>", "id", "section"),))
    assert "<script>" not in chat_markdown(answer, 1, NL) and "&lt;script&gt;" in chat_markdown(answer, 1, NL)
    panel = sources_html(answer, 1, NL, lambda c: None)
    assert "<img" not in panel and "&lt;img src=x" in panel


def test_binding_beyond_loopback_needs_auth():
    from app import check_binding

    with pytest.raises(SettingsError, match="PARKSTAD_AUTH"):
        check_binding(Settings(host="0.0.0.0"))
    assert check_binding(Settings(host="0.0.0.0", auth="staf:geheim")) == ("staf", "geheim")
    assert check_binding(Settings(host="0.0.0.0", allow_public=True)) is None
    assert check_binding(Settings()) is None


def test_api_through_gradio_client(running_app):
    from gradio_client import Client

    client = Client(running_app, verbose=False)
    history, sources = client.predict("Wanneer loopt de deal af?", [], "nl", api_name="/ask")
    assert "31 december 2030" in str(history[-1]["content"]) and "Artikel 18 lid 1" in sources


def test_feedback_becomes_candidate_eval_items(handlers, tmp_path):
    import subprocess
    import sys

    from tests.helpers import ROOT

    _, _, asked = converse(handlers, "Wie tekent namens de gemeente Heerlen?")
    handlers.rate(asked[0].message, False, "klopt niet", asked, "nl")
    out = tmp_path / "candidates.jsonl"
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "eval", "--from-feedback",
                             str(handlers.settings.feedback_file), "--out", str(out)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    items = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    item = next(i for i in items if i["question"] == "Wie tekent namens de gemeente Heerlen?")
    assert item["lang"] == "nl" and item["review"]["rating"] == "bad"
    assert item["review"]["comment"] == "klopt niet"


def test_the_three_outcomes_look_different():
    from assistant.answerability import Decision
    from assistant.draft import Statement, draft

    loc = Location(document="Regio Deal Parkstad Limburg III", part="Artikel", article="4", page=13)
    words = "Stadsregio Parkstad vervult de rol van regiokassier."
    chunk = Chunk(id="x", text=words, embed_text=words, location=loc, kind=ChunkKind.CLAUSE)
    cited = (Citation.of(chunk),)
    note = {"closest": ("Let op: de Regio Deal zegt dit mogelijk niet precies zo.",)}
    outcomes = {band: Answer("vraag", "Antwoord [1]", band != Band.NOT_FOUND, "extractive", cited,
                             answerability=Decision(0.5, band, (), band),
                             draft=draft("nl", [Statement("Antwoord", sources=(chunk,))], notes=note.get(band, ()),
                                         found=band != Band.NOT_FOUND))
                for band in Band}
    chats = {band: chat_markdown(a, 1, NL) for band, a in outcomes.items()}
    panels = {band: sources_html(a, 1, NL, lambda c: None) for band, a in outcomes.items()}
    assert len(set(chats.values())) == 3 and len(set(panels.values())) == 3
    assert chats["closest"].startswith("🔶") and "*Let op:" in chats["closest"]
    assert "Dichtstbijzijnde bepaling" in panels["closest"] and 'class="bron closest"' in panels["closest"]
    assert chats["not_found"].startswith("⚠️") and "Niet in de documenten" in panels["not_found"]


def test_a_long_conversation_keeps_a_bounded_number_of_answers(handlers, monkeypatch):
    import ui.handlers

    monkeypatch.setattr(ui.handlers, "KEEP_ANSWERS", 3)
    history, asked = [], []
    for q in ("Wat is een regiokassier?", "Wanneer loopt de deal af?", "Wat doet OCW?", "Wie trekt thema Wonen?"):
        history, _, asked = final(handlers.ask(q, history, asked, "nl"))
    assert [a.number for a in asked] == [2, 3, 4] and "(#cite-4-1)" in history[-1]["content"]
    assert "Bronnen bij antwoord 2" in handlers.open_citation("2-1", asked, "nl")
    assert "Bronnen bij antwoord 4" in handlers.open_citation("1-1", asked, "nl")  # forgotten: the latest


@pytest.mark.parametrize("lang,words", [("nl", "te lang"), ("en", "too long"), ("de", "zu lang")])
def test_a_question_over_the_token_limit_is_refused_in_the_ui_s_language(handlers, lang, words):
    history, _, asked = converse(handlers, "e\u0301" * 1000, lang=lang)  # 1,000 characters, 2,005 tokens
    assert not asked and words in history[-1]["content"] and "512" in history[-1]["content"]


@pytest.mark.parametrize("opening", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(opening, capsys):
    from dataclasses import replace

    from cli import _emit
    from ui.register_view import CsvFiles

    formula = f'{opening}HYPERLINK("https://evil.example/x","klik")'
    loc = Location(document="Regio Deal", part="Artikelen", article="2", lid="1", page=3)
    commitment = Commitment(("OCW",), (), formula, "result", (), (), (), loc, "c1")
    files = CsvFiles()
    path = files.write([commitment, replace(commitment, text="gewone tekst - met streepje")], text("nl"))
    rows = list(csv.reader(open(path, encoding="utf-8-sig", newline=""), delimiter=";"))
    assert rows[1][6] == "'" + formula and rows[2][6] == "gewone tekst - met streepje"
    _emit([{"text": formula, "actors": ["@OCW"]}], ["text", "actors"], "csv")
    out = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert out[1] == ["'" + formula, "'@OCW"]


def test_ratings_kept_in_memory_are_bounded(handlers):
    from ui.handlers import MAX_PENDING

    _, _, asked = converse(handlers, "Wat is een regiokassier?")
    handlers.settings.feedback_file.mkdir()
    for i in range(MAX_PENDING + 50):
        handlers.rate(asked[0].message, True, f"nummer {i}", asked, "nl")
    assert handlers.pending == MAX_PENDING
    handlers.settings.feedback_file.rmdir()
    handlers.rate(asked[0].message, True, "laatste", asked, "nl")
    comments = [json.loads(x)["comment"] for x in handlers.settings.feedback_file.read_text().splitlines()]
    assert comments[0] == "nummer 51" and comments[-1] == "laatste" and len(comments) == MAX_PENDING


def test_the_csv_folder_of_a_killed_app_is_removed_at_the_next_start():
    import signal
    import subprocess
    import sys

    from tests.helpers import ROOT
    from ui.register_view import CsvFiles

    child = subprocess.Popen([sys.executable, "-c", "import time; from ui.register_view import CsvFiles; "
                              "f = CsvFiles(); print(f.folder, flush=True); time.sleep(60)"],
                             cwd=ROOT, stdout=subprocess.PIPE, text=True)
    folder = Path(child.stdout.readline().strip())
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert folder.is_dir()
    files = CsvFiles()
    assert not folder.exists() and files.folder.is_dir()


def test_a_web_address_is_an_autolink_and_the_rest_stays_escaped():
    from ui.render import plain

    url = "https://open.overheid.nl/documenten/ronl-e8e739b2/pdf"
    assert plain(f"Zie: {url}”.") == f"Zie: <{url}>”."  # no escape inside the link, no quote in it
    assert plain("<https://x.nl/a_b> *c*") == "&lt;<https://x.nl/a_b>&gt; \\*c\\*"
    assert plain("2. Landelijk gebied") == "2\\. Landelijk gebied"  # no numbered list
