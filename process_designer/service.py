"""One service behind every transport: everything a client does, whichever way it reaches the designer.

Chat turns, sessions and their first turn, history, the current process and its exports, versions and
diffs, ratings, templates and analytics. gRPC, HTTP (REST and WebSocket) and the CLI translate their
requests into these calls and the answers back; none of them holds session logic or calls the designer,
the stores or the template library on its own. Every read and write acts for the current
:class:`~process_designer.principal.Principal`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, Iterator, Mapping
from contextlib import aclosing
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from process_designer.config import Settings
from process_designer.domain.context import validate_context
from process_designer.domain.models import DesignContext, ProcessDocument
from process_designer.domain.slugs import slug
from process_designer.errors import NotFoundError, TemplateError
from process_designer.principal import current_principal
from process_designer.server.messages import (
    IncomingMessage,
    InvalidMessageError,
    OutgoingMessage,
    validate_message,
)
from process_designer.server.sessions import Session, SessionStore

if TYPE_CHECKING:
    from process_designer.agents.reviewer import Admission
    from process_designer.designer import ChatRecord, Designer, DocumentVersion, TurnEvent
    from process_designer.graphs.context import TemplateSource
    from process_designer.knowledge.library import TemplateHit
    from process_designer.knowledge.template_model import ProcessTemplate
    from process_designer.maps.documents import ExportFormat
    from process_designer.server.access import AccessControl
    from process_designer.server.chat_service import ChatService

__all__ = ["ChatTurns", "CurrentProcess", "DesignService", "Export"]

# The first turns of a session have fixed ids, so a chat can follow them (ChatService dedupes).
_CONTEXT_MSG_ID = "session-context"
_REQUIREMENTS_MSG_ID = "session-requirements"
_SUFFIXES: dict[str, str] = {"mermaid": "mmd", "bpmn": "bpmn", "svg": "svg", "md": "md", "json": "json", "spy": "spy"}


class ChatTurns(Protocol):
    """The chat part of the service, all a streaming transport needs (a :class:`ChatService` is one too)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def access(self) -> AccessControl: ...

    def handle(self, message: IncomingMessage) -> AsyncGenerator[OutgoingMessage, None]: ...

    def stop_accepting(self) -> None: ...


@dataclass(frozen=True)
class CurrentProcess:
    """A session's process as it stands: the document and the number of its latest version."""

    session: Session
    document: ProcessDocument
    version: int | None


@dataclass(frozen=True)
class Export:
    """A process as a file: its text, media type and file name."""

    content: str
    media_type: str
    filename: str


class DesignService:
    """What every transport offers, over one :class:`Designer` and one :class:`ChatService` driving it.

    ``chat`` defaults to a ChatService over ``designer``; the session store is opened on first use.
    Closing the service closes what it opened, and the chat service (which closes the designer).
    """

    def __init__(self, designer: Designer, *, chat: ChatService | None = None,
                 sessions: SessionStore | None = None) -> None:
        self.designer = designer
        self._chat = chat
        self._sessions = sessions
        self._owns_sessions = sessions is None
        self._first_turns: dict[str, asyncio.Task[None]] = {}

    @classmethod
    def open(cls, settings: Settings, *, library: TemplateSource | None = None) -> DesignService:
        """The service over a new :class:`Designer` of ``settings`` (with ``library``, or its own opened on use)."""
        from process_designer.designer import Designer

        return cls(Designer(settings, library=library))

    @property
    def settings(self) -> Settings:
        return self.designer.settings

    @cached_property
    def chat(self) -> ChatService:
        # The chat and the exports are imported when first used: a one-shot design needs neither.
        from process_designer.server.chat_service import ChatService

        return self._chat if self._chat is not None else ChatService(self.designer, self.settings)

    @property
    def access(self) -> AccessControl:
        return self.chat.access

    @property
    def sessions(self) -> SessionStore:
        if self._sessions is None:
            self._sessions = SessionStore.open(self.settings, access=self.access)
        return self._sessions

    # -- chat turns ------------------------------------------------------------------------------

    def handle(self, message: IncomingMessage) -> AsyncGenerator[OutgoingMessage, None]:
        """The answers to one chat message: a message per agent stage, then the final one (see ChatService)."""
        return self.chat.handle(message)

    def stop_accepting(self) -> None:
        """Refuse new chat messages; turns in progress go on."""
        self.chat.stop_accepting()

    def stream_design(self, requirements: str, *, title: str | None = None,
                      context: DesignContext | dict[str, Any] | None = None) -> Iterator[TurnEvent]:
        """One design turn kept in no thread: each stage as it finishes, then the answer with the document."""
        return self.designer.stream_design(requirements, title=title, context=context)

    # -- sessions --------------------------------------------------------------------------------

    async def create_session(self, title: str, requirements: str,
                             context: Mapping[str, Any] | None = None) -> Session:
        """Create a session, apply its context, and start designing from ``requirements`` in the background."""
        applied = validate_context(context).model_dump(mode="json", exclude_defaults=True) if context else {}
        if requirements:
            validate_message(IncomingMessage(thread_id="check", role="USER", content=requirements),
                             self.settings.max_message_bytes)
        session = self.sessions.create(title, requirements, applied)
        if applied:
            system = IncomingMessage(thread_id=session.thread_id, role="SYSTEM", content=json.dumps(applied),
                                     client_msg_id=_CONTEXT_MSG_ID)
            await _drain(self.handle(system))
        if requirements:
            self._first_turns[session.session_id] = asyncio.create_task(self._first_turn(session))
        return session

    async def _first_turn(self, session: Session) -> None:
        try:
            await _drain(self.handle(self._requirements_message(session)))
        finally:
            self._first_turns.pop(session.session_id, None)

    def _requirements_message(self, session: Session) -> IncomingMessage:
        return IncomingMessage(thread_id=session.thread_id, role="USER", content=session.requirements,
                               client_msg_id=_REQUIREMENTS_MSG_ID, title=session.title)

    def session(self, session_id: str) -> Session:
        """The caller's session ``session_id``; :class:`NotFoundError` for a missing or another tenant's one."""
        return self.sessions.get(session_id)

    def designing(self, session: Session) -> bool:
        """Whether the session's first turn (from its requirements) is still running."""
        return session.session_id in self._first_turns

    def first_turn(self, session: Session) -> IncomingMessage | None:
        """The message of the session's first turn while it runs; sending it again follows that turn."""
        return self._requirements_message(session) if self.designing(session) else None

    def session_message(self, session: Session, content: str, *, role: str = "USER", client_msg_id: str = "",
                        thread_id: str = "") -> IncomingMessage:
        """A chat message to ``session``; a ``thread_id`` that is not the session's is refused with the reason."""
        if thread_id and thread_id != session.thread_id:
            raise InvalidMessageError(f"thread_id {thread_id!r} is not this session's thread; use "
                                      f"{session.thread_id!r} or leave it out")
        return IncomingMessage(thread_id=session.thread_id, role=role, content=content, client_msg_id=client_msg_id)

    async def send(self, session_id: str, content: str, *, role: str = "USER", client_msg_id: str = "",
                   thread_id: str = "") -> list[OutgoingMessage]:
        """Run one chat turn on the session and return every message it answered with."""
        message = self.session_message(self.session(session_id), content, role=role, client_msg_id=client_msg_id,
                                       thread_id=thread_id)
        async with aclosing(self.handle(message)) as answers:
            return [answer async for answer in answers]

    def history(self, session_id: str) -> list[ChatRecord]:
        """The session's chat, oldest first."""
        return self.chat.history(self.session(session_id).thread_id)

    def cancel_first_turns(self) -> None:
        """Stop the first turns still running (on shutdown)."""
        for task in list(self._first_turns.values()):
            task.cancel()

    # -- the process, its versions and ratings ---------------------------------------------------

    def latest_version(self, session: Session) -> int | None:
        versions = self.designer.versions(session.thread_id)
        return versions[-1].number if versions else None

    def process(self, session_id: str) -> CurrentProcess:
        """The session's current process; :class:`NotFoundError` before the first design."""
        session = self.session(session_id)
        document = self.designer.document(session.thread_id)
        if document is None:
            raise NotFoundError(f"session {session.session_id} has no process yet; send the requirements "
                                "over the chat or POST them to /messages")
        return CurrentProcess(session, document, self.latest_version(session))

    def thread_document(self, thread_id: str) -> ProcessDocument | None:
        """The current process of a conversation known by its thread (the terminal chat's), if any."""
        return self.chat.document(thread_id)

    def export(self, session_id: str, format: ExportFormat) -> Export:
        """The session's current process as a file in ``format``, named after its title."""
        document = self.process(session_id).document
        from process_designer.maps.documents import MEDIA_TYPES, export_document

        return Export(export_document(document, format), MEDIA_TYPES[format],
                      f"{slug(document.title)}.{_SUFFIXES[format]}")

    def versions(self, session_id: str) -> list[DocumentVersion]:
        return self.designer.versions(self.session(session_id).thread_id)

    def version(self, session_id: str, number: int) -> DocumentVersion:
        return self.designer.version(self.session(session_id).thread_id, number)

    def diff(self, session_id: str, old: int, new: int) -> str:
        """A unified diff of the markdown of two versions."""
        return self.designer.diff(self.session(session_id).thread_id, old, new)

    def rate(self, session_id: str, rating: str, comment: str = "", version: int | None = None) -> DocumentVersion:
        """Rate a version (the latest by default) of the session's process; the tenant's defaults learn from it."""
        return self.rate_thread(self.session(session_id).thread_id, rating, comment, version)

    def rate_thread(self, thread_id: str, rating: str, comment: str = "",
                    version: int | None = None) -> DocumentVersion:
        """:meth:`rate` for a conversation known by its thread (the terminal chat's)."""
        rated = self.designer.rate(self.chat.storage_key(thread_id), rating, comment, version)
        self.access.record("feedback.rated", f"thread:{thread_id}", rating)
        return rated

    # -- templates and analytics -----------------------------------------------------------------

    def _library(self) -> TemplateSource:
        library = self.designer.deps.templates()
        if library is None:
            raise TemplateError("the template library is not available; the server log says why")
        return library

    def search_templates(self, query: str, top: int = 5) -> list[TemplateHit]:
        """The ``top`` templates closest to ``query``, best first."""
        return self._library().search(query, top=top)

    def template(self, template_id: str) -> ProcessTemplate:
        """The template ``template_id`` as the caller's tenant sees it (its own, else the shared library's)."""
        return self._library().get(template_id)

    def add_template(self, template: ProcessTemplate, *, override: bool = False) -> Admission:
        """Save ``template`` as a user template through the reviewer's gate, as ``templates add`` does:
        refused (:class:`TemplateError`, each finding by field) when a step name is a fragment or a performer
        was not stated, unless ``override``, or when the review scores it below the template minimum."""
        from process_designer.agents.reviewer import admit_template

        admitted = admit_template(self._library(), template, override=override)
        self.access.record("template.added", f"template:{admitted.template.id}")
        return admitted

    def analytics(self, tenant: str | None = None) -> dict[str, Any]:
        """Session, quality and usage analytics of the caller's tenant; an operator's cover every tenant
        unless ``tenant`` names one. Another tenant's figures read as missing to anyone else."""
        caller = current_principal()
        if not caller.operator:
            if tenant not in (None, caller.tenant):
                raise NotFoundError(f"no analytics for tenant {tenant!r}; leave out tenant for your own, or use "
                                    "a token with the operator role")
            tenant = caller.tenant
        return {"tenant": tenant, **self.designer.analytics.to_json(tenant)}

    def session_count(self) -> int:
        """How many sessions there are (and proof that their store answers)."""
        return self.sessions.count()

    def close(self) -> None:
        """Close the chat service (and with it the designer) and the session store this service opened."""
        try:
            if "chat" in self.__dict__ or self._chat is not None:
                self.chat.close()
            else:
                self.designer.close()
        finally:
            if self._owns_sessions and self._sessions is not None:
                self._sessions.close()


async def _drain(answers: AsyncGenerator[OutgoingMessage, None]) -> None:
    async with aclosing(answers) as stream:
        async for _ in stream:
            pass
