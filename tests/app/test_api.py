"""The JSON API beside the UI (one process, one port): answers, errors, login and the rate limit."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from tests.helpers import free_port, serve_asgi


def serve(assistant, settings):
    from app import build_server  # gradio is imported where a test serves the app, not by collecting this file

    return serve_asgi(build_server(assistant, settings), port=settings.port)


@pytest.fixture(scope="module")
def api(ui_assistant, ui_settings):
    server, base = serve(ui_assistant, replace(ui_settings, port=free_port(), rate_limit_per_minute=600))
    yield base
    server.should_exit = True


def test_ask_returns_the_answer_object(api):
    r = httpx.post(f"{api}/api/ask", json={"question": "Wanneer loopt de deal af?"}, timeout=30)
    assert r.status_code == 200
    body = r.json()
    assert body["found"] is True and body["mode"] == "extractive"
    assert body["citations"][0]["label"] == "Artikel 18 lid 1" and "31 december 2030" in body["answer"]
    assert set(body["timings_ms"]) == {"retrieve", "answer", "total"}
    follow = httpx.post(f"{api}/api/ask", json={"question": "En wat doet OCW daar?",
                                                "history": ["Wat staat er in thema Talentrijke Regio?"]}, timeout=30)
    assert follow.json()["citations"][0]["label"].startswith("Artikel 2 lid 5, Programmalijn 1, Thema 1")


def test_bad_questions_are_clear_errors(api):
    r = httpx.post(f"{api}/api/ask", json={"question": "   "}, timeout=30)
    assert r.status_code == 400 and "empty question" in r.json()["error"]
    r = httpx.post(f"{api}/api/ask", json={"question": "x" * 30_000}, timeout=30)
    assert r.status_code == 400 and r.json() == {"error": "question must be at most 20,000 characters"}
    r = httpx.post(f"{api}/api/ask", content=b"not json", timeout=30)
    assert r.status_code == 400 and r.json() == {"error": "invalid JSON"}
    assert httpx.get(f"{api}/api/health", timeout=30).json() == {"ok": True}
    assert httpx.get(f"{api}/", timeout=30).status_code == 200  # the UI on the same port


def test_login_and_rate_limit(ui_assistant, ui_settings):
    settings = replace(ui_settings, port=free_port(), auth="staf:geheim", rate_limit_per_minute=10)
    server, base = serve(ui_assistant, settings)
    try:
        q = {"question": "Wat is een regiokassier?"}
        assert httpx.post(f"{base}/api/ask", json=q, timeout=30).status_code == 401
        assert httpx.post(f"{base}/api/ask", json=q, auth=("staf", "fout"), timeout=30).status_code == 401
        codes = [httpx.post(f"{base}/api/ask", json=q, auth=("staf", "geheim"), timeout=30).status_code
                 for _ in range(7)]
        assert codes[:5] == [200] * 5 and codes[-1] == 429  # bursts of 5, then one per 6 s
    finally:
        server.should_exit = True
