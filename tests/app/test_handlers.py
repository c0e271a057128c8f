"""The app's handlers without a server, and the app's API through gradio_client."""

from __future__ import annotations

import json

import pytest

from app import Handlers, chat_markdown, check_binding, sources_html
from assistant.model import Answer, Citation
from ingest.model import Location
from parkstad.errors import SettingsError
from parkstad.settings import Settings


@pytest.fixture
def handlers(ui_assistant, ui_settings, tmp_path):
    settings = Settings(feedback_file=tmp_path / "fb.jsonl", index_dir=ui_settings.index_dir)
    return Handlers(ui_assistant, settings)


def final(gen):
    return list(gen)[-1]


def test_ask_streams_an_answer_with_sources(handlers):
    steps = list(handlers.ask("Wie is verantwoordelijk voor thema Veiligheid?", []))
    assert len(steps) > 3  # streamed in pieces
    history, sources, picker, last = steps[-1]
    assert history[0] == {"role": "user", "content": "Wie is verantwoordelijk voor thema Veiligheid?"}
    assert "JenV" in history[-1]["content"] and "(#bron-1)" in history[-1]["content"]
    assert 'id="bron-1"' in sources and "Thema 2 Veiligheid, onder a" in sources
    assert "Artikel 2 lid 13, Programmalijn 3, Thema 2 Veiligheid, onder c" in picker["choices"]
    assert json.loads(last)["found"] is True


def test_follow_up_in_the_chat_uses_the_conversation(handlers):
    history, *_ = final(handlers.ask("Wat staat er in thema Talentrijke Regio?", []))
    history, _, picker, _ = final(handlers.ask("En wat doet OCW daar?", history))
    assert picker["choices"][0].startswith("Artikel 2 lid 5, Programmalijn 1, Thema 1 Talentrijke Regio, onder")


def test_bad_question_gives_a_message_not_a_trace(handlers):
    history, sources, _, last = final(handlers.ask("   ", []))
    assert history[-1]["content"].startswith("⚠️") and "Traceback" not in history[-1]["content"]
    assert sources == "" and last == ""


def test_open_source_shows_the_whole_article_with_the_clause_highlighted(handlers):
    out = handlers.open_source("Artikel 6 lid 3")
    assert "Artikel 6 – Evaluatie en voortgang" in out
    assert out.count('class="bron highlight"') == 1 and "15 juli" in out and "Artikel 6 lid 1" in out


def test_feedback_is_appended_to_the_jsonl_file(handlers):
    *_, last = final(handlers.ask("Wat is een regiokassier?", []))
    assert handlers.feedback(last, "niet goed", "te lang") == "Bedankt voor je feedback."
    entry = json.loads(handlers.settings.feedback_file.read_text(encoding="utf-8").splitlines()[-1])
    assert entry["rating"] == "niet goed" and entry["comment"] == "te lang"
    assert entry["question"] == "Wat is een regiokassier?" and entry["citations"][0] == "Begripsbepaling, Regiokassier"


def test_register_filters_and_csv(handlers):
    rows = handlers.commitments("the justice ministry", None, None, None)
    assert rows and all(r[0] == "JenV" for r in rows)
    assert handlers.commitments(None, "Veiligheid", "3", "result", "ACT!")[0][3].endswith("onder d")
    path = handlers.commitments_csv(None, "Wonen", None, None)
    lines = open(path, encoding="utf-8").read().splitlines()
    assert lines[0] == "wie,met,soort,artikel,pagina,afspraak" and len(lines) > 5


def test_overview_and_documents(handlers):
    ov = handlers.overview()
    assert set(ov["budget"]["programmalijn"]) == {"1. Economie", "2. Landelijk gebied", "3. Achterstanden"}
    assert ov["budget"]["bedrag (mln €)"].sum() == 30
    assert "Heerlen Noord" in set(ov["areas"]["focusgebied"]) and ov["areas"]["inwoners"].sum() > 100_000
    assert "1 januari 2026" in ov["deadlines_html"] and "31 december 2030" in ov["deadlines_html"]
    assert any(t.startswith("Artikel 19") for t, _ in ov["outline"])
    docs = handlers.documents_html()
    assert "Regio Deal Parkstad Limburg III" in docs and "Voetnoot 33" in docs
    assert "&lt;script&gt;" not in docs or "<script>" not in docs


def test_document_html_is_escaped():
    loc = Location(document="Bijlage", part="Document", page=1)
    answer = Answer("q", "Zie <script>alert(1)</script> [1]", True, "extractive",
                    (Citation("Bijlage, p. 1", loc, "<img src=x onerror=alert(1)>", "id", "section"),))
    assert "<script>" not in chat_markdown(answer) and "&lt;script&gt;" in chat_markdown(answer)
    assert "<img" not in sources_html(answer) and "&lt;img src=x" in sources_html(answer)


def test_binding_beyond_loopback_needs_auth():
    with pytest.raises(SettingsError, match="PARKSTAD_AUTH"):
        check_binding(Settings(host="0.0.0.0"))
    assert check_binding(Settings(host="0.0.0.0", auth="staf:geheim")) == ("staf", "geheim")
    assert check_binding(Settings(host="0.0.0.0", allow_public=True)) is None
    assert check_binding(Settings()) is None


def test_api_through_gradio_client(running_app):
    from gradio_client import Client

    client = Client(running_app, verbose=False)
    history, sources, picker = client.predict("Wanneer loopt de deal af?", [], api_name="/ask")
    assert "31 december 2030" in str(history[-1]["content"]) and "Artikel 18 lid 1" in sources
    rows = client.predict("JenV", "", "", "", "", api_name="/commitments")
    assert rows["data"] and all(r[0] == "JenV" for r in rows["data"])


def test_feedback_becomes_candidate_eval_items(handlers, tmp_path):
    import subprocess
    import sys

    from tests.helpers import ROOT

    *_, last = final(handlers.ask("Wie tekent namens de gemeente Heerlen?", []))
    handlers.feedback(last, "niet goed", "klopt niet")
    out = tmp_path / "candidates.jsonl"
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "eval", "--from-feedback",
                             str(handlers.settings.feedback_file), "--out", str(out)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    items = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    item = next(i for i in items if i["question"] == "Wie tekent namens de gemeente Heerlen?")
    assert item["lang"] == "nl" and item["review"]["rating"] == "niet goed"
    assert item["review"]["comment"] == "klopt niet"


def test_the_three_outcomes_look_different():
    from assistant.answerability import Decision

    loc = Location(document="Regio Deal Parkstad Limburg III", part="Artikel", article="4", page=13)
    cited = (Citation("Artikel 4", loc, "Stadsregio Parkstad vervult de rol van regiokassier.", "x", "clause"),)
    outcomes = {band: Answer("vraag", "Antwoord [1]\n\nLet op: de Regio Deal zegt dit mogelijk niet precies zo.\n\n"
                                      "Bronnen:\n[1] Artikel 4", band != "not_found", "extractive", cited,
                             answerability=Decision(0.5, band, (), band))
                for band in ("answered", "closest", "not_found")}
    chats = {band: chat_markdown(a) for band, a in outcomes.items()}
    panels = {band: sources_html(a) for band, a in outcomes.items()}
    assert len(set(chats.values())) == 3 and len(set(panels.values())) == 3
    assert chats["closest"].startswith("🔶") and "*Let op:" in chats["closest"]
    assert "Dichtstbijzijnde bepaling" in panels["closest"] and 'class="bron closest"' in panels["closest"]
    assert chats["not_found"].startswith("⚠️") and "Niet in de documenten" in panels["not_found"]
