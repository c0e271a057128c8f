"""The Gradio app: chat with sources, the commitments register, the deal at a glance, the documents.
`python app.py` (or `parkstad serve`) ingests first when no index exists, then serves on PARKSTAD_HOST:PORT."""

from __future__ import annotations

import csv
import html
import json
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assistant.model import Answer
from assistant.register import Register
from assistant.service import Assistant
from ingest.actors import ACTORS, BY_KEY, SIGNING_PARTIES
from ingest.model import Chunk
from parkstad.errors import ParkstadError, QuestionError, SettingsError
from parkstad.settings import Settings

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
try:  # gradio fills in a parameter annotated with gr.Request
    from gradio import Request as gr_Request
except ImportError:  # pragma: no cover
    gr_Request = Any  # type: ignore[misc,assignment]
EXAMPLES = {
    "Medewerker": ["Wie is verantwoordelijk voor thema Veiligheid?", "Wat doet OCW?",
                   "Wanneer moet de voortgangsrapportage bij de minister liggen?"],
    "Nieuwkomer": ["Wat is een regiokassier?", "Hoeveel geld zit er in de deal?", "Wanneer loopt de deal af?"],
    "Partner": ["What does the education ministry commit to?", "Welche Rolle spielt die RWTH Aachen?",
                "Which themes fall under programme line 1?"],
}
TEXT = {
    "nl": {"title": "## Parkstad Deal Assistant\nVragen over de **Regio Deal Parkstad Limburg III** — elk antwoord "
                    "met artikel, pagina en de letterlijke tekst.",
           "ask": "Vraag", "send": "Vraag stellen", "sources": "Bronnen", "open": "Open bron (heel artikel)",
           "comment": "Opmerking bij je beoordeling (optioneel)", "send_feedback": "Feedback versturen",
           "placeholder": "Stel een vraag in het Nederlands, Engels of Duits…"},
    "en": {"title": "## Parkstad Deal Assistant\nQuestions about the **Regio Deal Parkstad Limburg III** — every "
                    "answer with its article, page and exact words.",
           "ask": "Question", "send": "Ask", "sources": "Sources", "open": "Open source (whole article)",
           "comment": "Comment on your rating (optional)", "send_feedback": "Send feedback",
           "placeholder": "Ask in Dutch, English or German…"},
}
TABS = {"nl": ["Vragen", "Wie doet wat", "De deal in het kort", "Documenten"],
        "en": ["Questions", "Who does what", "The deal at a glance", "Documents"]}
CSS = """
.bron { border-left: 3px solid #2b6cb0; padding: 4px 10px; margin: 8px 0; background: #f7fafc; }
.bron.notfound, .notfound { border-left-color: #c05621; background: #fffaf0; }
.bron.closest, .closest { border-left-color: #b7791f; background: #fffff0; }
.bron .label { font-weight: 600; }
.highlight { background: #fefcbf; outline: 2px solid #d69e2e; }
.timeline td, .timeline th { padding: 4px 8px; vertical-align: top; border-bottom: 1px solid #e2e8f0; }
"""


def esc(text: str) -> str:
    return html.escape(text, quote=True)


class RateLimiter:
    """A token bucket per client: `capacity` questions at once, refilled at one per `refill_s` seconds."""

    def __init__(self, capacity: int = 10, refill_s: float = 3.0) -> None:
        self.capacity = capacity
        self.refill_s = refill_s
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> float:
        """0 when the client may ask now, else the seconds to wait."""
        if not self.refill_s:
            return 0.0  # switched off (PARKSTAD_RATE_LIMIT=0)
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.capacity), now))
            tokens = min(self.capacity, tokens + (now - last) / self.refill_s)
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                return (1 - tokens) * self.refill_s
            self._buckets[client] = (tokens - 1, now)
            if len(self._buckets) > 10_000:
                self._buckets.clear()
            return 0.0


class Handlers:
    """The app's behaviour without a server: every UI event is a method here, testable directly."""

    def __init__(self, assistant: Assistant, settings: Settings, limiter: RateLimiter | None = None) -> None:
        self.assistant = assistant
        self.settings = settings
        rate = settings.rate_limit_per_minute
        self.limiter = limiter or RateLimiter(capacity=max(5, rate // 2), refill_s=60 / rate if rate else 0)
        self._lock = threading.Lock()

    # --- chat -----------------------------------------------------------------------------------------------

    def ask(self, question: str, history: list[dict[str, Any]] | None,
            request: gr_Request = None) -> Iterator[tuple[list, str, Any, str]]:
        """Stream the answer into the chat; the sources panel and the source picker follow."""
        import gradio as gr

        history = list(history or [])
        client = getattr(getattr(request, "client", None), "host", None) or "local"
        wait = self.limiter.allow(client)
        if wait:
            history += [{"role": "user", "content": question},
                        {"role": "assistant", "content": f"⚠️ Te veel vragen achter elkaar; probeer het over "
                                                         f"{wait:.0f} s opnieuw. / Too many questions; retry in "
                                                         f"{wait:.0f} s."}]
            yield history, "", gr.update(), ""
            return
        previous = [m["content"] for m in history if m.get("role") == "user" and isinstance(m.get("content"), str)]
        history.append({"role": "user", "content": question})
        try:
            answer = self.assistant.ask(question, history=previous[-3:])
        except QuestionError as exc:
            history.append({"role": "assistant", "content": f"⚠️ {exc}"})
            yield history, "", gr.update(choices=[], value=None), ""
            return
        except ParkstadError as exc:
            history.append({"role": "assistant", "content": f"⚠️ Index niet beschikbaar / index unavailable: {exc}"})
            yield history, "", gr.update(choices=[], value=None), ""
            return
        text = chat_markdown(answer)
        history.append({"role": "assistant", "content": ""})
        words = text.split(" ")
        step = max(1, len(words) // 4 + 1)
        for i in range(step, len(words) + step, step):
            history[-1] = {"role": "assistant", "content": " ".join(words[:i])}
            yield history, "", gr.update(), ""
        labels = [c.label for c in answer.citations]
        yield history, sources_html(answer), gr.update(choices=labels, value=None), json.dumps(answer.to_dict())

    def open_source(self, label: str | None) -> str:
        """The whole article (or part) around a cited clause, with the clause highlighted."""
        if not label:
            return ""
        _, corpus, _, _ = self.assistant.state()
        target = next((c for c in corpus.chunks if c.label == label), None)
        if target is None:
            return "<p>Onbekende bron.</p>"
        loc = target.location
        same = [c for c in corpus.chunks if c.location.document == loc.document and c.kind != "footnote" and (
            (loc.article and c.location.article == loc.article) or (not loc.article and c.location.part == loc.part))]
        title = f"Artikel {loc.article} – {loc.article_title}" if loc.article else loc.part
        rows = []
        for c in same:
            cls = "bron highlight" if c.id == target.id else "bron"
            rows.append(f'<div class="{cls}"><span class="label">{esc(c.label)}</span>'
                        f'{f" (p. {c.location.page})" if c.location.page else ""}<br>{esc(c.text)}</div>')
        return f"<h4>{esc(title)}</h4>" + "".join(rows)

    def feedback(self, last_answer: str, rating: str, comment: str) -> str:
        """Append the rating, the comment, the question, the answer and its citations to the feedback file."""
        if not last_answer:
            return "Nog geen antwoord om te beoordelen."
        record = json.loads(last_answer)
        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "rating": rating, "comment": comment.strip()[:2000],
                 "question": record["question"], "answer": record["answer"], "found": record["found"],
                 "citations": [c["label"] for c in record["citations"]]}
        path = Path(self.settings.feedback_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return "Bedankt voor je feedback."

    # --- register -------------------------------------------------------------------------------------------

    def register(self) -> Register:
        return self.assistant.state()[3].register  # built once per collection by the answerer

    def commitments(self, party: str | None, theme: str | None, programmalijn: str | None, kind: str | None,
                    search: str = "") -> list[list[str]]:
        rows = []
        needle = search.strip().lower()
        for c in self.register().filter(party or None, theme or None, programmalijn or None, kind or None):
            if needle and needle not in c.text.lower() and needle not in c.label.lower():
                continue
            rows.append([", ".join(short_name(a) for a in c.actors), ", ".join(short_name(a) for a in c.co_actors),
                         KIND_NL[c.kind], c.label, str(c.location.page or ""), c.text])
        return rows

    def commitments_csv(self, party: str | None, theme: str | None, programmalijn: str | None, kind: str | None,
                        search: str = "") -> str:
        rows = self.commitments(party, theme, programmalijn, kind, search)
        path = Path(tempfile.mkdtemp(prefix="parkstad-")) / "wie-doet-wat.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(REGISTER_COLUMNS)
            writer.writerows(rows)
        return str(path)

    # --- overview and documents -----------------------------------------------------------------------------

    def overview(self) -> dict[str, Any]:
        _, corpus, _, _ = self.assistant.state()
        return overview(corpus.covenant(), self.register())

    def documents_html(self) -> str:
        info, corpus, _, _ = self.assistant.state()
        rows = "".join(f"<tr><td>{esc(d.name)}</td><td>{d.pages}</td><td>{d.chunks}</td><td>{esc(d.source)}</td></tr>"
                       for d in info.documents)
        notes = [c for c in corpus.chunks if c.kind == "footnote"]
        refs = "".join(
            f"<li><b>{esc(n.label)}</b> (p. {n.location.page}): {esc(n.text)}"
            + "".join(f'<br><a href="{esc(u)}" rel="noopener noreferrer" target="_blank">{esc(u)}</a>'
                      for u in n.links if u.startswith(("http://", "https://")))
            + "</li>" for n in notes)
        return (f"<h3>Documenten</h3><table><tr><th>document</th><th>pagina's</th><th>fragmenten</th><th>bestand</th>"
                f"</tr>{rows}</table><h3>Verwijzingen (voetnoten)</h3><ol class='refs'>{refs}</ol>")


class AskRequest(BaseModel):
    """The JSON body of POST /api/ask."""

    question: str = Field(max_length=20_000)
    history: list[str] = Field(default_factory=list, max_length=20)


REGISTER_COLUMNS = ["wie", "met", "soort", "artikel", "pagina", "afspraak"]
KIND_NL = {"result": "resultaat", "effort": "inspanning"}


def short_name(key: str) -> str:
    actor = BY_KEY.get(key)
    if actor is None:
        return key
    if key == "Regio":
        return "Stadsregio Parkstad Limburg"
    return key if actor.kind == "party" else actor.name


def chat_markdown(answer: Answer) -> str:
    """The answer for the chat: escaped text, [n] markers linked to the sources panel, refusals set apart."""
    body = answer.answer.split("\n\nBronnen:")[0].split("\n\nSources:")[0].split("\n\nQuellen:")[0]
    body = esc(body)
    body = re.sub(r"\[(\d{1,2})\]", r"[\[\1\]](#bron-\1)", body)
    if not answer.found:
        return "⚠️ **" + body.split("\n", 1)[0] + "**" + ("\n" + body.split("\n", 1)[1] if "\n" in body else "")
    if _closest(answer):  # the closest provision: the answer, then its note set apart
        lead, _, note = body.rpartition("\n\n")
        return f"🔶 {lead}\n\n*{note}*" if lead else f"🔶 {body}"
    if answer.notice:
        return "ℹ️ " + body
    return body


def _closest(answer: Answer) -> bool:
    return answer.answerability is not None and answer.answerability.band == "closest"


def sources_html(answer: Answer) -> str:
    cls = "bron closest" if _closest(answer) else "bron" if answer.found else "bron notfound"
    parts = []
    for i, c in enumerate(answer.citations, start=1):
        page = f", p. {c.location.page}" if c.location.page else ""
        parts.append(f'<div class="{cls}" id="bron-{i}"><span class="label">[{i}] {esc(c.label)}</span>{page}'
                     f"<br>“{esc(c.quote)}”</div>")
    head = "" if answer.found else "<p class='notfound'><b>Niet in de documenten</b> — dichtstbijzijnde bepalingen:</p>"
    if _closest(answer):
        head = "<p class='closest'><b>Dichtstbijzijnde bepaling</b> — de deal zegt dit mogelijk niet precies zo:</p>"
    return head + "".join(parts)


def overview(chunks: list[Chunk], register: Register) -> dict[str, Any]:
    """Parties and partners, the budget, the deadlines, the focus areas and the outline, from the parse."""
    import pandas as pd

    parties = [c for c in chunks if c.kind == "party"]
    partners = [c for c in chunks if c.kind == "partner"]
    table = next((c for c in chunks if c.kind == "table"), None)
    budget_rows, table_html = [], ""
    if table is not None and len(table.table) > 2:
        header = table.table[0]
        for row in table.table[1:-1]:
            for h, v in zip(header[1:3], row[1:3], strict=False):
                budget_rows.append({"programmalijn": row[0], "bron": re.sub(r"\d\)$", "", h).strip(),
                                    "bedrag (mln €)": int(re.sub(r"\D", "", v)) / 1_000_000})
        table_html = "<table>" + "".join("<tr>" + "".join(f"<td>{esc(x)}</td>" for x in r) + "</tr>"
                                         for r in table.table) + "</table>"
    focus = next((c for c in chunks if c.kind == "definition" and c.location.item == "Focusgebieden"), None)
    pattern = r"([A-Z][\w/ -]+?(?:-[A-Z][\w ]+)*)\s*\((?:ca\. )?([\d.]+) inwoners\)"
    areas = re.findall(pattern, focus.text) if focus else []
    deadlines = sorted({(d.years[0] if d.years else 0, d.when, d.what[:160], d.label,
                         ", ".join(short_name(a) for a in d.actors))
                        for d in register.deadlines if not d.years or min(d.years) >= 2025})
    outline: list[tuple[str, str]] = []
    seen: set[str] = set()
    for c in chunks:
        loc = c.location
        if loc.article and f"A{loc.article}" not in seen:
            seen.add(f"A{loc.article}")
            outline.append((f"Artikel {loc.article} – {loc.article_title}", c.label))
        if loc.programmalijn and f"P{loc.programmalijn}" not in seen:
            seen.add(f"P{loc.programmalijn}")
            outline.append((f"   Programmalijn {loc.programmalijn}: {loc.programmalijn_title}", c.label))
        if loc.thema_name and f"T{loc.programmalijn}.{loc.thema}" not in seen:
            seen.add(f"T{loc.programmalijn}.{loc.thema}")
            outline.append((f"      Thema {loc.thema} {loc.thema_name}", c.label))
    return {
        "parties": "\n".join(f"- **{c.location.item}**: {esc(c.text)}" for c in parties),
        "partners": "\n".join(f"- {esc(c.text)}" for c in partners),
        "budget": pd.DataFrame(budget_rows), "table_html": table_html,
        "deadlines_html": "<table class='timeline'><tr><th>jaar</th><th>wanneer</th><th>wat</th><th>wie</th>"
        "<th>bepaling</th></tr>" + "".join(
            f"<tr><td>{y or 'doorlopend'}</td><td>{esc(w)}</td><td>{esc(what)}</td><td>{esc(a)}</td>"
            f"<td>{esc(lab)}</td></tr>" for y, w, what, lab, a in deadlines) + "</table>",
        "areas": pd.DataFrame([{"focusgebied": n.strip(), "inwoners": int(v.replace(".", ""))} for n, v in areas]),
        "timeline": pd.DataFrame([{"jaar": str(year), "wie": who, "wanneer": w, "bepaling": lab}
                                  for d in register.deadlines for year in d.years if 2026 <= year <= 2030
                                  for w, lab, who in [(d.when, d.label, ", ".join(short_name(a) for a in d.actors))]]),
        "outline": outline,
    }


def build_app(assistant: Assistant, settings: Settings, handlers: Handlers | None = None):  # noqa: ANN201
    import gradio as gr

    h = handlers or Handlers(assistant, settings)
    ov = h.overview()
    party_choices = [""] + [a.key for a in (*SIGNING_PARTIES, *[x for x in ACTORS if x.kind != "party"])]
    theme_choices = [""] + sorted({c.location.thema_name for c in assistant.state()[1].chunks
                                  if c.location.thema_name})
    with gr.Blocks(title="Parkstad Deal Assistant") as demo:
        lang = gr.Radio(["nl", "en"], value="nl", label="Taal / Language", elem_id="ui-lang")
        title = gr.Markdown(TEXT["nl"]["title"])
        with gr.Tabs():
            with gr.Tab("Vragen", id="tab-chat") as tab_chat:
                with gr.Row():
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(label="Gesprek", height=460, elem_id="chat", sanitize_html=True)
                        question = gr.Textbox(label=TEXT["nl"]["ask"], placeholder=TEXT["nl"]["placeholder"],
                                              elem_id="question", max_lines=4)
                        send = gr.Button(TEXT["nl"]["send"], variant="primary", elem_id="send")
                        for who, items in EXAMPLES.items():
                            gr.Examples(items, inputs=question, label=f"Voorbeelden — {who}")
                    with gr.Column(scale=2):
                        sources = gr.HTML(label=TEXT["nl"]["sources"], elem_id="sources")
                        picker = gr.Dropdown(choices=[], label=TEXT["nl"]["open"], elem_id="picker")
                        article = gr.HTML(elem_id="article")
                        rating = gr.Radio(["goed", "niet goed"], label="Beoordeling (duim omhoog / omlaag)",
                                          elem_id="rating")
                        comment = gr.Textbox(label=TEXT["nl"]["comment"], elem_id="comment")
                        send_feedback = gr.Button(TEXT["nl"]["send_feedback"], elem_id="send-feedback")
                        feedback_status = gr.Markdown(elem_id="feedback-status")
                last = gr.State("")
                events = dict(fn=h.ask, inputs=[question, chat], outputs=[chat, sources, picker, last],
                              api_name="ask", concurrency_limit=8)
                send.click(**events).then(lambda: "", outputs=question, api_name=False)
                question.submit(**{**events, "api_name": False}).then(lambda: "", outputs=question, api_name=False)
                picker.change(h.open_source, inputs=picker, outputs=article, api_name="open_source")
                send_feedback.click(h.feedback, inputs=[last, rating, comment], outputs=feedback_status,
                                    api_name="feedback")
            with gr.Tab("Wie doet wat", id="tab-register") as tab_register:
                with gr.Row():
                    party = gr.Dropdown(party_choices, value="", label="Partij", elem_id="f-party",
                                        allow_custom_value=True)
                    theme = gr.Dropdown(theme_choices, value="", label="Thema", elem_id="f-theme")
                    pl = gr.Dropdown(["", "1", "2", "3"], value="", label="Programmalijn", elem_id="f-pl")
                    kind = gr.Dropdown([("", ""), ("resultaat", "result"), ("inspanning", "effort")], value="",
                                       label="Soort (resultaat/inspanning)", elem_id="f-kind")
                    search = gr.Textbox(label="Zoeken", elem_id="f-search")
                table = gr.Dataframe(value=h.commitments(None, None, None, None), headers=REGISTER_COLUMNS,
                                     wrap=True, elem_id="register", interactive=False,
                                     column_widths=["14%", "12%", "8%", "20%", "5%", "41%"])
                download = gr.DownloadButton("CSV downloaden", elem_id="csv")
                filters = [party, theme, pl, kind, search]
                for f in filters:
                    f.change(h.commitments, inputs=filters, outputs=table, api_name=False)
                search.submit(h.commitments, inputs=filters, outputs=table, api_name="commitments")
                download.click(h.commitments_csv, inputs=filters, outputs=download, api_name=False)
            with gr.Tab("De deal in het kort", id="tab-overview") as tab_overview:
                with gr.Row():
                    gr.Markdown("### Partijen\n" + ov["parties"])
                    gr.Markdown("### Partners\n" + ov["partners"])
                gr.BarPlot(ov["budget"], x="programmalijn", y="bedrag (mln €)", color="bron",
                           title="Artikel 3: rijksbijdrage en regionale financiering per programmalijn")
                gr.HTML(ov["table_html"])
                gr.Markdown("### Tijdlijn 2026–2030")
                gr.ScatterPlot(ov["timeline"], x="jaar", y="wie", color="wie", tooltip=["wanneer", "bepaling"],
                               title="Wat wanneer, en wie", elem_id="timeline")
                gr.HTML(ov["deadlines_html"])
                gr.Markdown("### Focusgebieden")
                gr.Dataframe(ov["areas"], interactive=False)
                gr.Markdown("### Opbouw van het convenant")
                outline = gr.Dropdown([(t, lab) for t, lab in ov["outline"]], label="Open een onderdeel",
                                      elem_id="outline")
                outline_text = gr.HTML()
                outline.change(h.open_source, inputs=outline, outputs=outline_text, api_name=False)
            with gr.Tab("Documenten", id="tab-docs") as tab_docs:
                gr.HTML(h.documents_html(), elem_id="documents")

        def switch(language: str) -> list[Any]:
            t = TEXT[language]
            tabs = TABS[language]
            return [t["title"], gr.update(label=t["ask"], placeholder=t["placeholder"]), gr.update(value=t["send"]),
                    gr.update(label=t["open"]), gr.update(label=t["comment"]), gr.update(value=t["send_feedback"]),
                    *(gr.update(label=label) for label in tabs)]

        lang.change(switch, inputs=lang, outputs=[title, question, send, picker, comment, send_feedback, tab_chat,
                                                  tab_register, tab_overview, tab_docs], api_name=False)
    demo.queue(default_concurrency_limit=8, max_size=256)
    return demo


def build_server(assistant: Assistant, settings: Settings):  # noqa: ANN201 - a FastAPI app
    """One process, one port: a small JSON API (`POST /api/ask`, `GET /api/health`) for programs, and the Gradio
    UI at `/`. Both use the same Assistant, the same per-client rate limit and the same login."""
    import base64
    import secrets

    import gradio as gr
    from fastapi import FastAPI

    from parkstad.errors import IndexMismatchError, IndexMissingError, IndexUnavailableError

    auth = check_binding(settings)
    handlers = Handlers(assistant, settings)
    api = FastAPI(title="Parkstad Deal Assistant", docs_url="/api/docs", openapi_url="/api/openapi.json")

    def authorised(request: Request) -> bool:
        if auth is None:
            return True
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return secrets.compare_digest(user, auth[0]) and secrets.compare_digest(password, auth[1])

    def error(status: int, message: str, **headers: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status, headers=headers or None)

    @api.get("/api/health")
    def health() -> JSONResponse:
        try:
            info, _, _, _ = assistant.state()
        except (IndexMissingError, IndexMismatchError, IndexUnavailableError) as exc:
            return error(503, f"index unavailable: {exc}")
        return JSONResponse({"ok": True, "collection": info.collection, "documents": len(info.documents)})

    @api.post("/api/ask")
    def ask(payload: AskRequest, request: Request) -> JSONResponse:
        if not authorised(request):
            return error(401, "login required", **{"WWW-Authenticate": "Basic"})
        wait = handlers.limiter.allow(request.client.host if request.client else "local")
        if wait:
            return error(429, f"too many questions; retry in {wait:.0f} s", **{"Retry-After": f"{wait:.0f}"})
        try:
            return JSONResponse(assistant.ask(payload.question, history=payload.history[-3:]).to_dict())
        except QuestionError as exc:
            return error(400, str(exc))
        except ParkstadError as exc:
            return error(503, f"index unavailable: {exc}")

    demo = build_app(assistant, settings, handlers)
    return gr.mount_gradio_app(api, demo, path="/", auth=auth, css=CSS, show_error=False, footer_links=["api"])


def check_binding(settings: Settings) -> tuple[str, str] | None:
    """Auth for the launch; refuse to listen beyond loopback without it unless explicitly allowed."""
    auth = tuple(settings.auth.split(":", 1)) if settings.auth else None
    if settings.host not in LOOPBACK and auth is None and not settings.allow_public:
        raise SettingsError("PARKSTAD_HOST", f"{settings.host} is not loopback: set PARKSTAD_AUTH=user:password "
                            "(or PARKSTAD_ALLOW_PUBLIC=true to serve without a login)")
    return auth  # type: ignore[return-value]


def ensure_index(settings: Settings) -> None:
    """Ingest on first start when no index exists, with progress in the terminal."""
    from ingest.embed import make_embedder
    from ingest.index import ChromaIndex, open_client
    from ingest.pipeline import Ingestor

    index = ChromaIndex(open_client(settings.index_dir, settings.chroma_host, settings.chroma_port),
                        settings.collection)
    if index.info() is None:
        print("No index yet: ingesting data/sources/ first …", flush=True)
        report = Ingestor(settings.sources_dir, index, make_embedder(settings.embeddings)).run()
        print(f"Ingested {len(report.documents)} documents, {report.embedded} chunks in {report.seconds:.1f} s",
              flush=True)


def serve(settings: Settings) -> int:
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("parkstad").setLevel(logging.INFO)
    auth = check_binding(settings)
    ensure_index(settings)
    import uvicorn

    assistant = Assistant.from_settings(settings)
    server = build_server(assistant, settings)
    where = f"http://{settings.host}:{settings.port}"
    print(f"Parkstad Deal Assistant on {where} (JSON API at {where}/api/ask)"
          + (" (login required)" if auth else " (no login)"), flush=True)
    uvicorn.run(server, host=settings.host, port=settings.port, log_level="warning")
    return 0


def main() -> int:
    try:
        return serve(Settings.from_env())
    except ParkstadError as exc:
        print(f"parkstad: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
