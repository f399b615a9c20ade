"""The REST and WebSocket gateway under ``/api/v1/process-designer`` and the web page at ``/``.

Routes only translate HTTP to :class:`~process_designer.service.DesignService` calls and back.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import aclosing, asynccontextmanager
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from process_designer.api_paths import API_PREFIX
from process_designer.domain.markdown import render_markdown
from process_designer.errors import NotFoundError, ProcessDesignerError
from process_designer.knowledge.template_model import ProcessTemplate
from process_designer.limits import load_json
from process_designer.principal import current_principal
from process_designer.server.auth import Authenticator
from process_designer.server.http_auth import AuthMiddleware
from process_designer.server.http_errors import error_body, install_error_handlers, status_of
from process_designer.server.messages import IncomingMessage, InvalidMessageError, OutgoingMessage
from process_designer.server.sessions import Session
from process_designer.service import DesignService
from process_designer.telemetry import PROMETHEUS_CONTENT_TYPE, current
from process_designer.telemetry.asgi import TracingMiddleware

__all__ = ["API_PREFIX", "PIPELINED_MESSAGES", "create_app"]

PIPELINED_MESSAGES = 32
"""How many chat messages may wait on one WebSocket while a turn runs; more get a ``busy`` error frame."""
WEB_DIR = Path(__file__).parent / "web"


class CreateSession(BaseModel):
    """The seed's ``POST /sessions`` body."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field("", max_length=200)
    requirements: str = ""
    context: dict[str, Any] | None = None


class SendMessage(BaseModel):
    """The seed's ``ChatMessage`` for clients that cannot hold a WebSocket; the thread is the session's."""

    model_config = ConfigDict(extra="forbid")

    thread_id: str = ""  # when given, it must be the session's
    role: str = "USER"
    content: str
    client_msg_id: str = ""


class RateProcess(BaseModel):
    """A thumbs up or down on the session's process (the latest version unless ``version`` names one)."""

    model_config = ConfigDict(extra="forbid")

    rating: Literal["up", "down"]
    comment: str = Field("", max_length=2000)
    version: int | None = Field(None, ge=1)


def _websocket_url(request: Request, session_id: str) -> str:
    scheme = "wss" if request.url.scheme == "https" else "ws"
    return f"{scheme}://{request.url.netloc}{API_PREFIX}/sessions/{session_id}/chat"


def _message_json(message: OutgoingMessage) -> dict[str, Any]:
    return message.model_dump(mode="json")


def _session_json(service: DesignService, session: Session, request: Request) -> dict[str, Any]:
    return {
        "session_id": session.session_id,
        "thread_id": session.thread_id,
        "title": session.title,
        "requirements": session.requirements,
        "context": session.context,
        "created_at": session.created_at,
        "websocket_url": _websocket_url(request, session.session_id),
        "status": "active",
        "designing": service.designing(session),
        "version": service.latest_version(session),
    }


def _routes(service: DesignService) -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)

    @router.post("/sessions", status_code=201, summary="Start a process design session")
    async def create_session(body: CreateSession, request: Request) -> dict[str, str]:
        session = await service.create_session(body.title, body.requirements, body.context)
        return {"session_id": session.session_id, "thread_id": session.thread_id,
                "websocket_url": _websocket_url(request, session.session_id), "status": "active"}

    @router.get("/sessions/{session_id}", summary="Read a session")
    def read_session(session_id: str, request: Request) -> dict[str, Any]:
        return _session_json(service, service.session(session_id), request)

    @router.get("/sessions/{session_id}/messages", summary="The session's chat history, oldest first")
    def list_messages(session_id: str) -> dict[str, Any]:
        return {"messages": [{"role": r.role, "content": r.content, "agent": r.agent, "created_at": r.created_at}
                             for r in service.history(session_id)]}

    @router.post("/sessions/{session_id}/messages", summary="Send a message and get the turn's messages")
    async def send_message(session_id: str, body: SendMessage) -> dict[str, Any]:
        answers = await service.send(session_id, body.content, role=body.role, client_msg_id=body.client_msg_id,
                                     thread_id=body.thread_id)
        return {"messages": [_message_json(out) for out in answers]}

    @router.get("/sessions/{session_id}/process", summary="The current process (JSON, markdown or SPy)",
                response_model=None)
    def read_process(session_id: str, format: Literal["json", "md", "spy"] = "json") -> Response | dict[str, Any]:
        current = service.process(session_id)
        document = current.document
        if format == "md":
            return PlainTextResponse(render_markdown(document), media_type="text/markdown; charset=utf-8")
        if format == "spy":
            return PlainTextResponse(document.spy.program, media_type="text/x-spy; charset=utf-8")
        return {"session_id": current.session.session_id, "thread_id": current.session.thread_id,
                "version": current.version, "document": document.to_json(), "markdown": render_markdown(document)}

    @router.get("/sessions/{session_id}/process/export", summary="The current process as a file to download",
                response_class=PlainTextResponse)
    def export_process(session_id: str,
                       format: Literal["mermaid", "bpmn", "md", "json", "spy"] = "bpmn") -> Response:
        exported = service.export(session_id, format)
        return Response(exported.content, media_type=exported.media_type,
                        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'})

    @router.get("/sessions/{session_id}/process.svg", summary="The current process as a diagram (SVG)",
                response_class=Response)
    def process_diagram(session_id: str) -> Response:
        exported = service.export(session_id, "svg")
        return Response(exported.content, media_type=exported.media_type, headers={"Cache-Control": "no-store"})

    @router.get("/sessions/{session_id}/process/versions", summary="Every version of the process")
    def list_versions(session_id: str) -> dict[str, Any]:
        return {"versions": [{"number": v.number, "created_at": v.created_at, "summary": v.summary}
                             for v in service.versions(session_id)]}

    @router.get("/sessions/{session_id}/process/versions/{number}", summary="One version of the process")
    def read_version(session_id: str, number: int) -> dict[str, Any]:
        version = service.version(session_id, number)
        return {"number": version.number, "created_at": version.created_at, "summary": version.summary,
                "document": version.document.to_json(), "markdown": render_markdown(version.document)}

    @router.get("/sessions/{session_id}/process/versions/{old}/diff/{new}",
                summary="A unified diff of the markdown of two versions")
    def diff_versions(session_id: str, old: int, new: int) -> dict[str, Any]:
        return {"from": old, "to": new, "diff": service.diff(session_id, old, new)}

    @router.post("/sessions/{session_id}/feedback", status_code=201,
                 summary="Rate the session's process; the tenant's templates and defaults learn from it")
    def rate_process(session_id: str, body: RateProcess) -> dict[str, Any]:
        rated = service.rate(session_id, body.rating, body.comment, body.version)
        return {"session_id": session_id, "version": rated.number, "rating": body.rating,
                "templates": rated.document.templates_used}

    @router.get("/templates", summary="Search the template library")
    def search_templates(query: str = Query(min_length=1, max_length=2000),
                         top: int = Query(5, ge=1, le=50)) -> dict[str, Any]:
        return {"templates": [{"template": h.template.model_dump(mode="json"), "score": h.score,
                               "reasons": h.reasons} for h in service.search_templates(query, top)]}

    @router.get("/templates/{template_id}", summary="One template: the caller's tenant's own, else the shared library's")
    def read_template(template_id: str) -> dict[str, Any]:
        return service.template(template_id).model_dump(mode="json")

    @router.post("/templates", status_code=201,
                 summary="Add a user template to the library, reviewed as `templates add` reviews a file")
    def add_template(template: ProcessTemplate,
                     override: bool = Query(False, description="save it although a step name is a fragment or "
                                                               "a performer was not stated")) -> dict[str, Any]:
        admitted = service.add_template(template, override=override)
        return {**admitted.template.model_dump(mode="json"),
                "review": {"score": admitted.score, "findings": admitted.findings, "overridden": admitted.overridden}}

    @router.websocket("/sessions/{session_id}/chat")
    async def chat(websocket: WebSocket, session_id: str) -> None:
        await websocket.accept()
        try:
            session = service.session(session_id)
        except NotFoundError as exc:
            await websocket.send_json(error_body("not_found", str(exc)))
            await websocket.close(code=4404, reason="unknown session")
            return
        waiting: asyncio.Queue[IncomingMessage] = asyncio.Queue(PIPELINED_MESSAGES)
        # The reader keeps taking frames while a turn runs, so the socket's pings and pongs go on
        # however many messages a client sends ahead; the turns take the messages one at a time.
        reader = asyncio.create_task(_read_frames(websocket, service, session, waiting))
        answering = asyncio.create_task(_answer_in_turn(websocket, service, session, waiting))
        try:
            await asyncio.wait({reader, answering}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            # The client went away (the reader ended) or a send failed: closing the turn's stream
            # stops the designer at its next stage boundary.
            for task in (reader, answering):
                task.cancel()
            await asyncio.gather(reader, answering, return_exceptions=True)

    return router


async def _read_frames(websocket: WebSocket, service: DesignService, session: Session,
                       waiting: asyncio.Queue[IncomingMessage]) -> None:
    """Take every frame as it comes: a message joins ``waiting``, or is answered with an error frame at once."""
    try:
        while True:
            frame = await websocket.receive()
            if frame["type"] == "websocket.disconnect":
                return
            incoming = _parse(frame.get("text"), service, session)
            if isinstance(incoming, dict):
                await websocket.send_json(incoming)
            elif waiting.full():
                await websocket.send_json({**error_body("busy", f"{PIPELINED_MESSAGES} messages are already "
                                                                "waiting for their turn; send this one again "
                                                                "after an answer"),
                                           "status": 429, "client_msg_id": incoming.client_msg_id})
            else:
                waiting.put_nowait(incoming)
    except (WebSocketDisconnect, OSError, RuntimeError):
        # Starlette raises RuntimeError for a receive after the disconnect message.
        return


async def _answer_in_turn(websocket: WebSocket, service: DesignService, session: Session,
                          waiting: asyncio.Queue[IncomingMessage]) -> None:
    """Run the session's first turn while it is running, then each waiting message in the order sent."""
    try:
        if (first := service.first_turn(session)) is not None:
            await _answer(websocket, first, service)
        while True:
            await _answer(websocket, await waiting.get(), service)
    except (WebSocketDisconnect, OSError):
        # uvicorn raises an OSError on a send after the close.
        return


def _parse(text: str | None, service: DesignService, session: Session) -> IncomingMessage | dict[str, Any]:
    """The client's message, or the error frame to send back for it."""
    if text is None:
        return {**error_body("invalid", "binary frames are not read; send the ChatMessage as a JSON text frame"),
                "status": 400}
    try:
        raw = load_json(text)
    except json.JSONDecodeError as exc:
        return {**error_body("invalid", f"the frame is not JSON ({exc.msg}); send the seed's ChatMessage "
                                        "object"), "status": 400}
    except ValueError as exc:
        return {**error_body("invalid", f"the frame's JSON has {exc}; send the seed's ChatMessage object"),
                "status": 400}
    if not isinstance(raw, dict) or not isinstance(raw.get("content"), str):
        return {**error_body("invalid", "send a JSON object with a string 'content' (and thread_id, role, "
                                        "client_msg_id)"), "status": 400}
    client_msg_id = str(raw.get("client_msg_id") or "")
    try:
        return service.session_message(session, raw["content"], role=str(raw.get("role") or "USER"),
                                       client_msg_id=client_msg_id, thread_id=str(raw.get("thread_id") or ""))
    except InvalidMessageError as exc:
        return {**error_body("invalid", str(exc)), "status": 400, "client_msg_id": client_msg_id}


async def _answer(websocket: WebSocket, incoming: IncomingMessage, service: DesignService) -> None:
    try:
        async with aclosing(service.handle(incoming)) as stream:
            async for out in stream:
                await websocket.send_json(_message_json(out))
    except ProcessDesignerError as exc:
        status, code = status_of(exc)
        await websocket.send_json({**error_body(code, str(exc)), "status": status,
                                   "client_msg_id": incoming.client_msg_id})


def create_app(service: DesignService) -> FastAPI:
    """The ASGI app over ``service``: the API under :data:`API_PREFIX`, health, OpenAPI at ``/docs``, the page at ``/``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            service.cancel_first_turns()

    settings = service.settings
    app = FastAPI(title="Process Designer", version="1", lifespan=lifespan,
                  description="Design processes by chat: documents, SPy code, tests and quality reports.")
    install_error_handlers(app, max(4 * settings.max_message_bytes, 1024 * 1024))
    if (authenticator := Authenticator.from_settings(settings)) is not None:
        app.add_middleware(AuthMiddleware, authenticator=authenticator, access=service.access, prefix=API_PREFIX)
    app.add_middleware(TracingMiddleware)
    app.include_router(_routes(service))

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(current().prometheus_text(), media_type=PROMETHEUS_CONTENT_TYPE)

    @app.get(f"{API_PREFIX}/whoami", summary="The caller, and whether the service asks for a token")
    def whoami() -> dict[str, Any]:
        # The page calls this first: a 401 or "authentication": true makes it ask for a key.
        principal = current_principal()
        return {"subject": principal.subject, "tenant": principal.tenant,
                "authentication": authenticator is not None}

    @app.get(f"{API_PREFIX}/analytics", summary="Session, quality and usage analytics of your tenant "
                                                "(an operator's: of every tenant, or of ?tenant=)")
    def analytics(tenant: str | None = Query(None, min_length=1, max_length=200)) -> dict[str, Any]:
        return service.analytics(tenant)

    @app.get("/healthz", summary="The process is up")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="Sessions and threads can be read")
    def readyz() -> dict[str, str]:
        return {"status": "ready", "sessions": str(service.session_count())}

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html")

    app.mount("/web", StaticFiles(directory=WEB_DIR), name="web")
    return app
