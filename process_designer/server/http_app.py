"""The REST and WebSocket gateway under ``/api/v1/process-designer`` and the web page at ``/``."""

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
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from process_designer.designer import Designer
from process_designer.domain.markdown import render_markdown
from process_designer.domain.models import DesignContext, ProcessDocument
from process_designer.errors import InputError, NotFoundError, ProcessDesignerError
from process_designer.knowledge.library import TemplateLibrary
from process_designer.knowledge.template_model import ProcessTemplate
from process_designer.limits import load_json
from process_designer.maps.documents import MEDIA_TYPES, export_document
from process_designer.maps.svg import to_svg
from process_designer.server.auth import Authenticator, current_principal
from process_designer.server.chat_service import ChatService
from process_designer.server.http_auth import AuthMiddleware
from process_designer.server.http_errors import error_body, install_error_handlers, status_of
from process_designer.server.messages import IncomingMessage, OutgoingMessage, validate_message
from process_designer.server.sessions import Session, SessionStore
from process_designer.telemetry import PROMETHEUS_CONTENT_TYPE, current
from process_designer.telemetry.asgi import TracingMiddleware

__all__ = ["API_PREFIX", "create_app"]

API_PREFIX = "/api/v1/process-designer"
WEB_DIR = Path(__file__).parent / "web"
# The first turn of a session has fixed ids, so a WebSocket can follow it (ChatService dedupes).
_CONTEXT_MSG_ID = "session-context"
_REQUIREMENTS_MSG_ID = "session-requirements"


class CreateSession(BaseModel):
    """The seed's ``POST /sessions`` body."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field("", max_length=200)
    requirements: str = ""
    context: dict[str, Any] | None = None


class SendMessage(BaseModel):
    """A chat message for clients that cannot hold a WebSocket; the thread is the session's."""

    model_config = ConfigDict(extra="forbid")

    role: str = "USER"
    content: str
    client_msg_id: str = ""


class RateProcess(BaseModel):
    """A thumbs up or down on the session's process (the latest version unless ``version`` names one)."""

    model_config = ConfigDict(extra="forbid")

    rating: Literal["up", "down"]
    comment: str = Field("", max_length=2000)
    version: int | None = Field(None, ge=1)


def _slug(title: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-") or "process"


def _websocket_url(request: Request, session_id: str) -> str:
    scheme = "wss" if request.url.scheme == "https" else "ws"
    return f"{scheme}://{request.url.netloc}{API_PREFIX}/sessions/{session_id}/chat"


def _message_json(message: OutgoingMessage) -> dict[str, Any]:
    return message.model_dump(mode="json")


class _Gateway:
    """What the routes share: the service, the designer's reads, sessions and first turns."""

    def __init__(self, service: ChatService, designer: Designer, library: TemplateLibrary | None,
                 sessions: SessionStore) -> None:
        self.service = service
        self.designer = designer
        self._library = library
        self.sessions = sessions
        self.first_turns: dict[str, asyncio.Task[None]] = {}

    @property
    def library(self) -> TemplateLibrary:
        if self._library is None:
            self._library = TemplateLibrary(self.service.settings)
        return self._library

    def first_turn_message(self, session: Session) -> IncomingMessage:
        return IncomingMessage(thread_id=session.thread_id, role="USER", content=session.requirements,
                               client_msg_id=_REQUIREMENTS_MSG_ID, title=session.title)

    async def start(self, body: CreateSession) -> Session:
        """Create the session, apply its context, and start the first turn in the background."""
        context: dict[str, Any] = {}
        if body.context:
            try:
                context = DesignContext.model_validate(body.context).model_dump(mode="json", exclude_defaults=True)
            except ValidationError as exc:
                first = exc.errors()[0]
                raise InputError(f"context.{'.'.join(map(str, first['loc']))}: {first['msg']}; known keys are "
                                 "business_domain, complexity (low|medium|high), integrations, owner") from None
        if body.requirements:
            validate_message(IncomingMessage(thread_id="check", role="USER", content=body.requirements),
                             self.service.settings.max_message_bytes)
        session = self.sessions.create(body.title, body.requirements, context)
        if context:
            system = IncomingMessage(thread_id=session.thread_id, role="SYSTEM", content=json.dumps(context),
                                     client_msg_id=_CONTEXT_MSG_ID)
            async with aclosing(self.service.handle(system)) as stream:
                async for _ in stream:
                    pass
        if body.requirements:
            self.first_turns[session.session_id] = asyncio.create_task(self._drain(session))
        return session

    async def _drain(self, session: Session) -> None:
        try:
            async with aclosing(self.service.handle(self.first_turn_message(session))) as stream:
                async for _ in stream:
                    pass
        finally:
            self.first_turns.pop(session.session_id, None)

    def document(self, session: Session) -> ProcessDocument:
        document = self.designer.document(session.thread_id)
        if document is None:
            raise NotFoundError(f"session {session.session_id} has no process yet; send the requirements "
                                "over the chat or POST them to /messages")
        return document

    def session_json(self, session: Session, request: Request) -> dict[str, Any]:
        versions = self.designer.versions(session.thread_id)
        return {
            "session_id": session.session_id,
            "thread_id": session.thread_id,
            "title": session.title,
            "requirements": session.requirements,
            "context": session.context,
            "created_at": session.created_at,
            "websocket_url": _websocket_url(request, session.session_id),
            "status": "active",
            "designing": session.session_id in self.first_turns,
            "version": versions[-1].number if versions else None,
        }


def _routes(gateway: _Gateway) -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)

    @router.post("/sessions", status_code=201, summary="Start a process design session")
    async def create_session(body: CreateSession, request: Request) -> dict[str, str]:
        session = await gateway.start(body)
        return {"session_id": session.session_id, "thread_id": session.thread_id,
                "websocket_url": _websocket_url(request, session.session_id), "status": "active"}

    @router.get("/sessions/{session_id}", summary="Read a session")
    def read_session(session_id: str, request: Request) -> dict[str, Any]:
        return gateway.session_json(gateway.sessions.get(session_id), request)

    @router.get("/sessions/{session_id}/messages", summary="The session's chat history, oldest first")
    def list_messages(session_id: str) -> dict[str, Any]:
        session = gateway.sessions.get(session_id)
        return {"messages": [{"role": r.role, "content": r.content, "agent": r.agent, "created_at": r.created_at}
                             for r in gateway.service.history(session.thread_id)]}

    @router.post("/sessions/{session_id}/messages", summary="Send a message and get the turn's messages")
    async def send_message(session_id: str, body: SendMessage) -> dict[str, Any]:
        session = gateway.sessions.get(session_id)
        incoming = IncomingMessage(thread_id=session.thread_id, role=body.role, content=body.content,
                                   client_msg_id=body.client_msg_id)
        async with aclosing(gateway.service.handle(incoming)) as stream:
            return {"messages": [_message_json(out) async for out in stream]}

    @router.get("/sessions/{session_id}/process", summary="The current process (JSON, markdown or SPy)",
                response_model=None)
    def read_process(session_id: str, format: Literal["json", "md", "spy"] = "json") -> Response | dict[str, Any]:
        session = gateway.sessions.get(session_id)
        document = gateway.document(session)
        if format == "md":
            return PlainTextResponse(render_markdown(document), media_type="text/markdown; charset=utf-8")
        if format == "spy":
            return PlainTextResponse(document.spy.program, media_type="text/x-spy; charset=utf-8")
        versions = gateway.designer.versions(session.thread_id)
        return {"session_id": session.session_id, "thread_id": session.thread_id,
                "version": versions[-1].number if versions else None, "document": document.to_json(),
                "markdown": render_markdown(document)}

    @router.get("/sessions/{session_id}/process/export", summary="The current process as a file to download",
                response_class=PlainTextResponse)
    def export_process(session_id: str,
                       format: Literal["mermaid", "bpmn", "md", "json", "spy"] = "bpmn") -> Response:
        document = gateway.document(gateway.sessions.get(session_id))
        suffix = {"mermaid": "mmd", "bpmn": "bpmn", "md": "md", "json": "json", "spy": "spy"}[format]
        return Response(export_document(document, format), media_type=MEDIA_TYPES[format],
                        headers={"Content-Disposition": f'attachment; filename="{_slug(document.title)}.{suffix}"'})

    @router.get("/sessions/{session_id}/process.svg", summary="The current process as a diagram (SVG)",
                response_class=Response)
    def process_diagram(session_id: str) -> Response:
        document = gateway.document(gateway.sessions.get(session_id))
        return Response(to_svg(document), media_type=MEDIA_TYPES["svg"], headers={"Cache-Control": "no-store"})

    @router.get("/sessions/{session_id}/process/versions", summary="Every version of the process")
    def list_versions(session_id: str) -> dict[str, Any]:
        session = gateway.sessions.get(session_id)
        return {"versions": [{"number": v.number, "created_at": v.created_at, "summary": v.summary}
                             for v in gateway.designer.versions(session.thread_id)]}

    @router.get("/sessions/{session_id}/process/versions/{number}", summary="One version of the process")
    def read_version(session_id: str, number: int) -> dict[str, Any]:
        session = gateway.sessions.get(session_id)
        version = gateway.designer.version(session.thread_id, number)
        return {"number": version.number, "created_at": version.created_at, "summary": version.summary,
                "document": version.document.to_json(), "markdown": render_markdown(version.document)}

    @router.get("/sessions/{session_id}/process/versions/{old}/diff/{new}",
                summary="A unified diff of the markdown of two versions")
    def diff_versions(session_id: str, old: int, new: int) -> dict[str, Any]:
        session = gateway.sessions.get(session_id)
        return {"from": old, "to": new, "diff": gateway.designer.diff(session.thread_id, old, new)}

    @router.post("/sessions/{session_id}/feedback", status_code=201,
                 summary="Rate the session's process; the tenant's templates and defaults learn from it")
    def rate_process(session_id: str, body: RateProcess) -> dict[str, Any]:
        session = gateway.sessions.get(session_id)
        rated = gateway.designer.rate(session.thread_id, body.rating, body.comment, body.version)
        gateway.service.access.record("feedback.rated", f"thread:{session.thread_id}", body.rating)
        return {"session_id": session.session_id, "version": rated.number, "rating": body.rating,
                "templates": rated.document.templates_used}

    @router.get("/templates", summary="Search the template library")
    def search_templates(query: str = Query(min_length=1, max_length=2000),
                         top: int = Query(5, ge=1, le=50)) -> dict[str, Any]:
        hits = gateway.library.search(query, top=top)
        return {"templates": [{"template": h.template.model_dump(mode="json"), "score": h.score,
                               "reasons": h.reasons} for h in hits]}

    @router.post("/templates", status_code=201, summary="Add a user template to the library")
    def add_template(template: ProcessTemplate) -> dict[str, Any]:
        added = gateway.library.add(template)
        gateway.service.access.record("template.added", f"template:{added.id}")
        return added.model_dump(mode="json")

    @router.websocket("/sessions/{session_id}/chat")
    async def chat(websocket: WebSocket, session_id: str) -> None:
        await websocket.accept()
        try:
            session = gateway.sessions.get(session_id)
        except NotFoundError as exc:
            await websocket.send_json(error_body("not_found", str(exc)))
            await websocket.close(code=4404, reason="unknown session")
            return
        try:
            if session.session_id in gateway.first_turns:
                await _answer(websocket, gateway.first_turn_message(session), gateway.service)
            while True:
                frame = await websocket.receive()
                if frame["type"] == "websocket.disconnect":
                    return
                incoming = _parse(frame.get("text"), session)
                if isinstance(incoming, dict):
                    await websocket.send_json(incoming)
                else:
                    await _answer(websocket, incoming, gateway.service)
        except (WebSocketDisconnect, OSError):
            # The client went away (uvicorn raises an OSError on a send after the close); closing the
            # turn's stream has already stopped the designer at its next stage boundary.
            return

    return router


def _parse(text: str | None, session: Session) -> IncomingMessage | dict[str, Any]:
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
    thread_id = raw.get("thread_id") or session.thread_id
    if thread_id != session.thread_id:
        return {**error_body("invalid", f"thread_id {thread_id!r} is not this session's thread; use "
                                        f"{session.thread_id!r} or leave it out"), "status": 400,
                "client_msg_id": str(raw.get("client_msg_id") or "")}
    return IncomingMessage(thread_id=thread_id, role=str(raw.get("role") or "USER"), content=raw["content"],
                           client_msg_id=str(raw.get("client_msg_id") or ""))


async def _answer(websocket: WebSocket, incoming: IncomingMessage, service: ChatService) -> None:
    try:
        async with aclosing(service.handle(incoming)) as stream:
            async for out in stream:
                await websocket.send_json(_message_json(out))
    except ProcessDesignerError as exc:
        status, code = status_of(exc)
        await websocket.send_json({**error_body(code, str(exc)), "status": status,
                                   "client_msg_id": incoming.client_msg_id})


def create_app(service: ChatService, designer: Designer, library: TemplateLibrary | None = None, *,
               sessions: SessionStore | None = None) -> FastAPI:
    """The ASGI app: the API under :data:`API_PREFIX`, health, OpenAPI at ``/docs``, the page at ``/``.

    ``designer`` must be the one ``service`` drives; ``library`` defaults to one opened on first use.
    """
    store = sessions or SessionStore.open(service.settings, access=service.access)
    gateway = _Gateway(service, designer, library, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            for task in list(gateway.first_turns.values()):
                task.cancel()
            if sessions is None:
                store.close()

    app = FastAPI(title="Process Designer", version="1", lifespan=lifespan,
                  description="Design processes by chat: documents, SPy code, tests and quality reports.")
    install_error_handlers(app, max(4 * service.settings.max_message_bytes, 1024 * 1024))
    if (authenticator := Authenticator.from_settings(service.settings)) is not None:
        app.add_middleware(AuthMiddleware, authenticator=authenticator, access=service.access, prefix=API_PREFIX)
    app.add_middleware(TracingMiddleware)
    app.include_router(_routes(gateway))

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(current().prometheus_text(), media_type=PROMETHEUS_CONTENT_TYPE)

    @app.get(f"{API_PREFIX}/whoami", summary="The caller, and whether the service asks for a token")
    def whoami() -> dict[str, Any]:
        # The page calls this first: a 401 or "authentication": true makes it ask for a key.
        principal = current_principal()
        return {"subject": principal.subject, "tenant": principal.tenant,
                "authentication": authenticator is not None}

    @app.get(f"{API_PREFIX}/analytics", summary="Session, quality and usage analytics")
    def analytics() -> dict[str, Any]:
        return designer.analytics.to_json()

    @app.get("/healthz", summary="The process is up")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="Sessions and threads can be read")
    def readyz() -> dict[str, str]:
        return {"status": "ready", "sessions": str(store.count())}

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html")

    app.mount("/web", StaticFiles(directory=WEB_DIR), name="web")
    return app
