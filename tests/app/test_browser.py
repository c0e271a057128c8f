"""The app in a real headless Chromium (Debian's package, driven by Playwright with executable_path)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def page(running_app):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.dialogs = dialogs  # type: ignore[attr-defined]
        page.goto(running_app, wait_until="load")
        page.wait_for_selector("#question textarea", timeout=30_000)
        yield page
        browser.close()


def ask(page, question: str) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()


def test_ask_see_streamed_answer_sources_and_open_one(page, ui_settings):
    ask(page, "Wie is verantwoordelijk voor thema Veiligheid?")
    page.wait_for_selector("#sources .bron", timeout=30_000)
    chat = page.locator("#chat")
    assert "JenV" in chat.inner_text() and "Stadsregio Parkstad" in chat.inner_text()
    assert page.locator("#sources .bron").count() >= 5
    assert "Thema 2 Veiligheid, onder c" in page.locator("#sources").inner_text()
    link = chat.locator("a[href='#bron-1']").first
    assert link.count() == 1  # the [1] marker links to the sources panel
    page.locator("#picker input").click()
    page.get_by_role("option", name="Artikel 2 lid 13, Programmalijn 3, Thema 2 Veiligheid, onder c").click()
    page.wait_for_selector("#article .highlight", timeout=15_000)
    assert "JenV deelt kennis en netwerk" in page.locator("#article .highlight").inner_text()
    assert page.locator("#article .bron").count() > 10  # the whole Artikel 2 is shown around it
    page.screenshot(path=str(ARTIFACTS / "tab-vragen.png"), full_page=True)


def test_not_found_answers_look_different(page):
    ask(page, "Wie is de burgemeester van Heerlen?")
    page.wait_for_selector("#sources .notfound", timeout=30_000)
    assert "Dat staat niet in de Regio Deal." in page.locator("#chat").inner_text()


def test_feedback_lands_in_the_jsonl_file(page, ui_settings):
    page.locator("#rating label", has_text="niet goed").click()
    page.locator("#comment textarea").fill("graag met bedrag")
    page.locator("#send-feedback").click()
    page.wait_for_function("document.querySelector('#feedback-status').innerText.includes('Bedankt')",
                           timeout=15_000)
    entry = json.loads(Path(ui_settings.feedback_file).read_text(encoding="utf-8").splitlines()[-1])
    assert entry["rating"] == "niet goed" and entry["comment"] == "graag met bedrag"
    assert entry["question"] == "Wie is de burgemeester van Heerlen?" and entry["found"] is False


def test_document_with_a_script_renders_as_text(page):
    ask(page, "Wat staat er in de bijlage over Veilig Ontwerp en Beheer met script en img?")
    page.wait_for_selector("#sources .bron", timeout=30_000)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned === undefined")
    assert page.dialogs == []  # type: ignore[attr-defined]
    text = page.locator("#sources").inner_text() + page.locator("#chat").inner_text()
    assert "<script>" in text or "<img" in text  # shown as text, not executed


def test_register_tab_filters(page):
    page.get_by_role("tab", name="Wie doet wat").click()
    page.wait_for_selector("#register", timeout=15_000)
    page.locator("#f-search textarea, #f-search input").first.fill("ACT!")
    page.locator("#f-search textarea, #f-search input").first.press("Enter")
    page.wait_for_function("document.querySelector('#register').innerText.includes('ACT!')", timeout=15_000)
    page.wait_for_timeout(800)
    assert "onder d" in page.locator("#register").inner_text()
    page.screenshot(path=str(ARTIFACTS / "tab-wie-doet-wat.png"), full_page=True)


def test_overview_and_documents_tabs(page):
    page.get_by_role("tab", name="De deal in het kort").click()
    page.wait_for_timeout(1500)
    body = page.locator("body").inner_text()
    assert "Partijen" in body and "31 december 2030" in body and "Heerlen Noord" in body
    page.screenshot(path=str(ARTIFACTS / "tab-deal-in-het-kort.png"), full_page=True)
    page.get_by_role("tab", name="Documenten").click()
    page.wait_for_selector("#documents .refs", timeout=15_000)
    assert "Voetnoot 33" in page.locator("#documents").inner_text()
    page.screenshot(path=str(ARTIFACTS / "tab-documenten.png"), full_page=True)


def test_english_switch(page):
    page.locator("#ui-lang label", has_text="en").click()
    page.wait_for_function("document.body.innerText.includes('Who does what')", timeout=15_000)
    names = [t.inner_text().strip() for t in page.get_by_role("tab").all()]
    assert "The deal at a glance" in names, names
    assert "every answer with its article" in page.locator("body").inner_text()
    page.locator("#ui-lang label", has_text="nl").click()
    page.wait_for_function("document.body.innerText.includes('Wie doet wat')", timeout=15_000)
