"""The Gradio app: chat with sources, the commitments register, the deal at a glance, the documents, in Dutch,
English and German. `python app.py` (or `parkstad serve`) ingests first when no index exists, then serves on
PARKSTAD_HOST:PORT."""

from __future__ import annotations

import datetime
import logging
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator

from assistant.service import Assistant
from parkstad.errors import ParkstadError, QuestionError, SettingsError
from parkstad.logs import configure_logging
from parkstad.settings import Settings
from ui import register_view, sessions
from ui.handlers import Handlers
from ui.overview import overview_html
from ui.text import DEFAULT, UiText, languages, text

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
UI = Path(__file__).resolve().parent / "ui"
CSS = (UI / "style.css").read_text(encoding="utf-8")
CITE_JS = (UI / "cite.js").read_text(encoding="utf-8")
PERSONAS = ("staff", "newcomer", "partner")


class AskRequest(BaseModel):
    """The JSON body of POST /api/ask. Lone surrogates (`"\\ud800"` in the JSON) become U+FFFD; a blank history
    entry is an error."""

    question: str = Field(max_length=20_000)
    history: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("question", "history", mode="before")
    @classmethod
    def _valid_text(cls, value: Any) -> Any:
        def clean(v: Any) -> Any:
            return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in v) if isinstance(v, str) else v

        return [clean(v) for v in value] if isinstance(value, list) else clean(value)

    @field_validator("history")
    @classmethod
    def _no_blank_entry(cls, history: list[str]) -> list[str]:
        import unicodedata

        for i, entry in enumerate(history):
            if all(c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") for c in entry):
                raise ValueError(f"history[{i - len(history)}] is empty")
        return history


def header(t: UiText) -> str:
    return f"## {t('title')}\n{t('subtitle')}"


def launch_options(settings: Settings) -> dict[str, Any]:
    """What both `demo.launch` and the mounted app need: the style, and the source PDFs as servable files."""
    return {"css": CSS, "allowed_paths": [str(Path(settings.sources_dir).resolve())]}


def build_app(assistant: Assistant, settings: Settings, handlers: Handlers | None = None):  # noqa: ANN201
    """The Blocks: a header with the language switch, and four tabs. Every event calls a Handlers method."""
    h = handlers or Handlers(assistant, settings)
    t = text(DEFAULT)
    _, corpus, _, answerer = assistant.state()
    register = answerer.register
    overviews: dict[str, str] = {}

    def overview_for(lang: str) -> str:
        if lang not in overviews:
            overviews[lang] = overview_html(corpus.covenant(), register, text(lang))
        return overviews[lang]

    choices = register_view.choices(register, t)
    first_table, first_csv, first_xlsx = h.register_view(DEFAULT, "", "", "", "", "")
    with gr.Blocks(title=t("title")) as demo:
        with gr.Row(elem_id="header", equal_height=True):
            title = gr.Markdown(header(t), elem_id="title")
            lang = gr.Radio([(code.upper(), code) for code in languages()], value=DEFAULT, show_label=False,
                            container=False, elem_id="ui-lang", scale=0, min_width=170)
        asked = gr.State([])
        with gr.Tabs(overflow_behavior="wrap", elem_id="tabs") as tabs:  # every tab one tap away, also on a phone
            with gr.Tab(t("tabs.chat"), id="tab-chat", elem_id="tab-chat") as tab_chat:
                with gr.Row():
                    with gr.Column(scale=3, min_width=320):
                        chat = gr.Chatbot(label=t("chat.conversation"), height=480, elem_id="chat",
                                          sanitize_html=True, latex_delimiters=[], feedback_options=("Like", "Dislike"))
                        question = gr.Textbox(label=t("chat.question"), placeholder=t("chat.placeholder"),
                                              elem_id="question", max_lines=4)
                        send = gr.Button(t("chat.send"), variant="primary", elem_id="send")
                    with gr.Column(scale=2, min_width=300):
                        sources_head = gr.Markdown(f"### {t('sources.heading')}", elem_id="sources-heading")
                        sources = gr.HTML(h.panel([], DEFAULT), elem_id="sources", js_on_load=CITE_JS)
                        back = gr.Button(t("chat.back_to_answer"), elem_id="back-to-answer", size="sm")
                        feedback_head = gr.Markdown(f"**{t('feedback.heading')}** {t('feedback.hint')}",
                                                    elem_id="feedback-heading")
                        comment = gr.Textbox(label=t("feedback.comment"), elem_id="comment", lines=2)
                        feedback_status = gr.Markdown(elem_id="feedback-status")
                headings, examples = [], []
                with gr.Row(elem_id="examples"):
                    for persona in PERSONAS:
                        with gr.Column(min_width=260):
                            headings.append(gr.Markdown(f"**{t('chat.examples', who=t(f'chat.{persona}'))}**"))
                            examples += [gr.Button(q, size="sm", elem_classes=["example"])
                                         for q in t.list(f"chat.examples_{persona}")]
            with gr.Tab(t("tabs.register"), id="tab-register", elem_id="tab-register") as tab_register:
                with gr.Row():
                    party = gr.Dropdown(choices["party"], value="", label=t("register.party"), elem_id="f-party")
                    theme = gr.Dropdown(choices["theme"], value="", label=t("register.theme"), elem_id="f-theme")
                    line = gr.Dropdown(choices["programmalijn"], value="", label=t("register.programmalijn"),
                                       elem_id="f-pl")
                    kind = gr.Dropdown(choices["kind"], value="", label=t("register.kind"), elem_id="f-kind")
                    search = gr.Textbox(label=t("register.search"), elem_id="f-search")
                with gr.Row(equal_height=True):
                    kind_help = gr.Markdown(t("register.kind_help"), elem_id="kind-help")
                    download = gr.DownloadButton(t("register.csv"), value=first_csv, elem_id="csv", size="sm",
                                                 scale=0, min_width=150, elem_classes=["download"])
                    download_xlsx = gr.DownloadButton(t("register.xlsx"), value=first_xlsx, elem_id="xlsx", size="sm",
                                                      scale=0, min_width=150, elem_classes=["download"])
                table = gr.HTML(first_table, elem_id="register")
            with gr.Tab(t("tabs.overview"), id="tab-overview", elem_id="tab-overview") as tab_overview:
                overview = gr.HTML(overview_for(DEFAULT), elem_id="overview")
            with gr.Tab(t("tabs.documents"), id="tab-docs", elem_id="tab-docs") as tab_docs:
                documents = gr.HTML(h.documents_html(DEFAULT), elem_id="documents")

        def ask(question_: str, history: list, asked_: list, lang_: str, request: gr.Request):  # noqa: ANN202
            yield from h.ask(question_, history, asked_, lang_, client_host(request))

        def open_citation(asked_: list, lang_: str, event: gr.EventData) -> str:
            return h.open_citation(str((event._data or {}).get("ref", "")), asked_, lang_)

        def open_register(event: gr.EventData) -> tuple[Any, Any]:
            party_ = str((event._data or {}).get("party", ""))
            if party_ not in {value for _, value in choices["party"]}:
                return gr.update(), gr.update()
            return gr.Tabs(selected="tab-register"), gr.update(value=party_)

        def rate(comment_: str, asked_: list, lang_: str, data: gr.LikeData) -> tuple[str, str]:
            index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
            return h.rate(int(index), data.liked is True or data.liked == "Like", comment_, asked_, lang_), ""

        def detect(request: gr.Request) -> str:
            return h.language(request.headers.get("accept-language") if request else None)

        filters = [party, theme, line, kind, search]

        def switch(lang_: str, asked_: list, *values: str) -> list[Any]:
            tt = text(lang_)
            ch = register_view.choices(register, tt)
            table_html, csv_path, xlsx_path = h.register_view(lang_, *values)
            return [header(tt), *(gr.update(label=tt(f"tabs.{k}")) for k in ("chat", "register", "overview",
                                                                          "documents")),
                    gr.update(label=tt("chat.conversation")),
                    gr.update(label=tt("chat.question"), placeholder=tt("chat.placeholder")),
                    gr.update(value=tt("chat.send")), f"### {tt('sources.heading')}", h.panel(asked_, lang_),
                    gr.update(value=tt("chat.back_to_answer")),
                    f"**{tt('feedback.heading')}** {tt('feedback.hint')}", gr.update(label=tt("feedback.comment")),
                    *(f"**{tt('chat.examples', who=tt(f'chat.{p}'))}**" for p in PERSONAS),
                    *(gr.update(value=q) for p in PERSONAS for q in tt.list(f"chat.examples_{p}")),
                    *(gr.update(label=tt(f"register.{k}"), choices=ch[k]) for k in ("party", "theme",
                                                                                   "programmalijn", "kind")),
                    gr.update(label=tt("register.search")), tt("register.kind_help"), table_html,
                    gr.update(label=tt("register.csv"), value=csv_path),
                    gr.update(label=tt("register.xlsx"), value=xlsx_path), overview_for(lang_), h.documents_html(lang_)]

        events = dict(fn=ask, inputs=[question, chat, asked, lang], outputs=[chat, sources, asked],
                      concurrency_limit=8)
        send.click(**events, api_name="ask").then(lambda: "", outputs=question, api_name=False)
        question.submit(**events, api_name=False).then(lambda: "", outputs=question, api_name=False)
        for button in examples:
            button.click(lambda q: q, inputs=button, outputs=question, api_name=False).then(
                **events, api_name=False).then(lambda: "", outputs=question, api_name=False)
        sources.click(open_citation, inputs=[asked, lang], outputs=sources, api_name=False)
        sources.submit(open_register, outputs=[tabs, party], api_name=False)
        chat.clear(lambda lang_: (h.panel([], lang_), []), inputs=lang, outputs=[sources, asked], api_name=False)
        chat.like(rate, inputs=[comment, asked, lang], outputs=[feedback_status, comment], api_name=False)
        for f in filters:
            f.change(h.register_view, inputs=[lang, *filters], outputs=[table, download, download_xlsx],
                     api_name=False)
        lang.change(switch, inputs=[lang, asked, *filters], api_name=False, outputs=[
            title, tab_chat, tab_register, tab_overview, tab_docs, chat, question, send, sources_head, sources, back,
            feedback_head, comment, *headings, *examples, party, theme, line, kind, search, kind_help, table,
            download, download_xlsx, overview, documents])
        demo.load(detect, outputs=lang, api_name=False)
    demo.queue(default_concurrency_limit=8, max_size=256)
    return demo


def client_host(request: Any) -> str:
    return getattr(getattr(request, "client", None), "host", None) or "local"


def build_server(assistant: Assistant, settings: Settings):  # noqa: ANN201 - a FastAPI app
    """One process, one port: a small JSON API (`POST /api/ask`, `GET /api/health`) for programs, and the Gradio
    UI at `/`. Both use the same Assistant, the same per-client rate limit and the same login. ui.guard sits in
    front of both: the API's login before any body is read, body limits, throttled failed logins. API errors are
    `{"error": …}` and never repeat the input."""
    import gradio as gr
    from fastapi import FastAPI
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException
    from starlette.routing import Mount

    from ui.guard import Guard, LoginThrottle, describe_invalid

    log = logging.getLogger("parkstad.api")
    auth = check_binding(settings)
    handlers = Handlers(assistant, settings)
    api = FastAPI(title="Parkstad Deal Assistant", docs_url="/api/docs", openapi_url="/api/openapi.json",
                  redoc_url=None, swagger_ui_oauth2_redirect_url=None)
    api.state.limiter = handlers.limiter
    index_down = {"last ask": False}

    def error(status: int, message: str, **headers: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status, headers=headers or None)

    @api.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error(400, describe_invalid(exc.errors()))

    @api.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        message = "invalid JSON" if exc.status_code == 400 else str(exc.detail)
        return error(exc.status_code, message, **(exc.headers or {}))

    @api.get("/api/health")
    async def health() -> JSONResponse:
        """Open without login. Cheap, never touching Chroma: an index was loaded, the last question through the
        API did not find it unavailable, and a worker thread takes a job within HEALTH_WORKER_S."""
        if not assistant.loaded or index_down["last ask"]:
            return error(503, "index unavailable")
        if not await worker_free(HEALTH_WORKER_S):
            return error(503, "all workers busy")
        return JSONResponse({"ok": True})

    @api.post("/api/ask")
    def ask(payload: AskRequest, request: Request) -> JSONResponse:
        wait = handlers.limiter.allow(request.client.host if request.client else "local",
                                      assistant.cost(payload.question))
        if wait:
            return error(429, f"too many questions; retry in {wait:.0f} s", **{"Retry-After": f"{wait:.0f}"})
        try:
            response = JSONResponse(assistant.ask(payload.question, history=payload.history[-3:]).to_dict())
        except QuestionError as exc:
            return error(400, str(exc))
        except ParkstadError as exc:
            log.warning("ask: index unavailable (%s)", type(exc).__name__)
            index_down["last ask"] = True
            return error(503, "index unavailable")
        except Exception as exc:
            if settings.log_questions:
                log.exception("ask failed")
            else:  # the message and the frames' lines may hold the question: only where it failed
                where = traceback.extract_tb(exc.__traceback__)[-1]
                log.error("ask failed: %s at %s:%s", type(exc).__name__, where.filename, where.lineno)
            return error(500, "internal error")
        index_down["last ask"] = False
        return response

    quiet_gradio_tracebacks()
    demo = build_app(assistant, settings, handlers)
    demo.state_session_capacity = settings.max_sessions  # the oldest session goes beyond it
    api = gr.mount_gradio_app(api, demo, path="/", auth=auth, show_error=False, footer_links=["api"],
                              **launch_options(settings))
    ui = next(r.app for r in api.routes if isinstance(r, Mount))
    expire_idle_sessions(sessions.install(ui), settings.session_idle_s)  # a session from its first question on

    def logged_in(scope: Any) -> bool:
        cookies = Request(scope).cookies
        token = cookies.get(f"access-token-{ui.cookie_id}") or cookies.get(f"access-token-unsecure-{ui.cookie_id}")
        return token is not None and token in ui.tokens

    api.add_middleware(Guard, auth=auth, max_body=settings.max_body_bytes, max_ui_body=16 * settings.max_body_bytes,
                       throttle=LoginThrottle(), logged_in=logged_in, known_event=lambda i: i in demo.fns,
                       sources=Path(settings.sources_dir), max_streams=settings.max_streams)
    return api


HEALTH_WORKER_S = 3.0


class _OneLineTracebacks:
    """Stands in for the `traceback` module inside Gradio, which prints whole tracebacks to stderr with the
    event's inputs (a whole chat, earlier questions) in them: one log line per failure instead, naming only the
    exception's type and where it was raised."""

    def __getattr__(self, name: str) -> Any:
        return getattr(traceback, name)

    @staticmethod
    def print_exc(*_args: Any, **_kwargs: Any) -> None:
        kind, _, tb = sys.exc_info()
        where = traceback.extract_tb(tb)[-1] if tb else None
        logging.getLogger("parkstad.gradio").error(
            "event failed: %s%s", kind.__name__ if kind else "error",
            f" at {Path(where.filename).name}:{where.lineno}" if where else "")


def quiet_gradio_tracebacks() -> None:
    """Gradio's modules print one log line per failed event, never its inputs (see _OneLineTracebacks)."""
    import gradio.queueing
    import gradio.route_utils
    import gradio.routes
    import gradio.utils

    for module in (gradio.queueing, gradio.route_utils, gradio.routes, gradio.utils):
        module.traceback = _OneLineTracebacks()  # type: ignore[assignment]


def expire_idle_sessions(holder: Any, idle_s: float) -> threading.Thread:
    """A daemon thread that drops Gradio's session state unused for `idle_s` seconds (Gradio keeps a session whose
    page never opened a heartbeat for ever), checking every min(60, idle_s / 2) seconds."""

    def sweep() -> None:
        while True:
            time.sleep(min(60.0, idle_s / 2))
            cutoff = datetime.datetime.now() - datetime.timedelta(seconds=idle_s)
            with holder.lock:
                for session, used in list(holder.time_last_used.items()):
                    if used < cutoff:
                        holder.session_data.pop(session, None)
                        holder.time_last_used.pop(session, None)

    thread = threading.Thread(target=sweep, name="session-expiry", daemon=True)
    thread.start()
    return thread


async def worker_free(within_s: float) -> bool:
    """Whether the thread pool that runs the questions takes a trivial job within `within_s` seconds."""
    import anyio

    with anyio.move_on_after(within_s):
        await anyio.to_thread.run_sync(lambda: None)
        return True
    return False


def check_binding(settings: Settings) -> tuple[str, str] | None:
    """Auth for the launch; refuse to listen beyond loopback without it unless explicitly allowed."""
    auth = tuple(settings.auth.split(":", 1)) if settings.auth else None
    if settings.host not in LOOPBACK and auth is None and not settings.allow_public:
        raise SettingsError("PARKSTAD_HOST", f"{settings.host} is not loopback: set PARKSTAD_AUTH=user:password "
                            "(or PARKSTAD_ALLOW_PUBLIC=true to serve without a login)")
    return auth  # type: ignore[return-value]


def ensure_index(settings: Settings) -> None:
    """Ingest on first start when no index exists, and again when the index was built by an older version of the
    code (its layout changed; the sources are local), with progress in the terminal. An index built with another
    embedder is left alone: that is the configuration's error, reported when the assistant opens it."""
    from ingest.embed import make_embedder
    from ingest.index import SCHEMA, open_index
    from ingest.pipeline import Ingestor

    index = open_index(settings)
    info = index.info()
    if info is None or info.schema != SCHEMA:
        print("No index yet: ingesting data/sources/ first …" if info is None else
              f"The index was built by an older version (layout {info.schema or '?'}, now {SCHEMA}): "
              "ingesting data/sources/ again …", flush=True)
        report = Ingestor(settings.sources_dir, index, make_embedder(settings.embeddings),
                          covenant=settings.covenant).run(force=info is not None)
        print(f"Ingested {len(report.documents)} documents, {report.embedded} chunks in {report.seconds:.1f} s",
              flush=True)


def serve(settings: Settings) -> int:
    configure_logging(settings)
    auth = check_binding(settings)
    ensure_index(settings)
    import uvicorn

    assistant = Assistant.from_settings(settings)
    server = build_server(assistant, settings)
    from assistant.language import warm_up

    threading.Thread(target=warm_up, name="language-models", daemon=True).start()  # before the first question
    where = f"http://{settings.host}:{settings.port}"
    print(f"Parkstad Deal Assistant on {where} (JSON API at {where}/api/ask)"
          + (" (login required)" if auth else " (no login)"), flush=True)
    from ui.guard import uvicorn_options

    uvicorn.run(server, **uvicorn_options(settings))  # X-Forwarded-For only from PARKSTAD_TRUSTED_PROXIES
    return 0


def main() -> int:
    try:
        return serve(Settings.from_env())
    except ParkstadError as exc:
        print(f"parkstad: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
