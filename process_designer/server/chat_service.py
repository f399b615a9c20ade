"""ChatService: validate, dedupe by ``client_msg_id``, serialise turns per thread, stream stages."""

from __future__ import annotations

import asyncio
import uuid
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from typing import TYPE_CHECKING, Any, Literal, Protocol

from process_designer.config import Settings
from process_designer.server.access import AccessControl
from process_designer.server.messages import (
    IncomingMessage,
    MessageConflictError,
    OutgoingMessage,
    ServiceUnavailableError,
    TurnAbortedError,
    fingerprint,
    validate_id,
    validate_message,
)
from process_designer.server.turn_records import TurnRecords
from process_designer.storage.checkpoints import LATEST, Base
from process_designer.storage.tenancy import client_thread_id

if TYPE_CHECKING:
    from process_designer.domain.models import ProcessDocument

__all__ = ["ChatService", "TurnDesigner", "TurnEventLike"]


class TurnEventLike(Protocol):
    """What ChatService reads from the designer's ``TurnEvent``."""

    @property
    def agent(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def final(self) -> bool: ...
    @property
    def version(self) -> int | None: ...
    @property
    def partial(self) -> bool: ...
    @property
    def restart(self) -> bool: ...


class TurnDesigner(Protocol):
    """The part of ``process_designer.designer.Designer`` that ChatService drives."""

    def astream_turn(
        self, thread_id: str, content: str, *, role: Literal["USER", "SYSTEM"] = "USER", title: str | None = None,
        on_start: Callable[[int, str | None], None] | None = None,
        base: Base = LATEST,
    ) -> AsyncIterator[Any]: ...
    def head(self, thread_id: str) -> str | None: ...
    def document(self, thread_id: str) -> ProcessDocument | None: ...
    def history(self, thread_id: str) -> list[Any]: ...
    def close(self) -> None: ...


async def _closing(events: AsyncIterator[Any]) -> AsyncGenerator[Any, None]:
    """Iterate ``events`` and close it when this generator is closed, if it can be closed."""
    try:
        async for event in events:
            yield event
    finally:
        close = getattr(events, "aclose", None)
        if close is not None:
            await close()


class _RunningTurn:
    """A turn in progress that duplicates of its ``client_msg_id`` can follow from the start."""

    def __init__(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.messages: list[OutgoingMessage] = []
        self.finished = False
        self.answered = False
        self._changed = asyncio.Event()

    def publish(self, message: OutgoingMessage) -> None:
        self.messages.append(message)
        self.answered = self.answered or message.final
        self._wake()

    def finish(self) -> None:
        self.finished = True
        self._wake()

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def follow(self) -> AsyncGenerator[OutgoingMessage, None]:
        index = 0
        while True:
            while index < len(self.messages):
                yield self.messages[index].model_copy(update={"replayed": True})
                index += 1
            if self.finished:
                if not self.answered:
                    raise TurnAbortedError(
                        "the first message with this client_msg_id ended before its answer "
                        "(cancelled or failed); send it again to run the turn"
                    )
                return
            await self._changed.wait()


class ChatService:
    """The one chat entry point of every transport (gRPC, HTTP, WebSocket, the terminal).

    ``handle`` yields an ASSISTANT message per agent stage, then the final answer. A resent
    ``client_msg_id`` is answered from the record (or follows the run still in progress) and
    never runs twice; the same id with other content raises :class:`MessageConflictError`.
    """

    def __init__(
        self,
        designer: TurnDesigner,
        settings: Settings,
        *,
        records: TurnRecords | None = None,
        new_id: Callable[[], str] | None = None,
        access: AccessControl | None = None,
    ) -> None:
        self._designer = designer
        self._settings = settings
        self._records = records if records is not None else TurnRecords.open(settings)
        self._new_id = new_id or (lambda: uuid.uuid4().hex)
        self.access = access if access is not None else AccessControl.open(settings)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._running: dict[tuple[str, str], _RunningTurn] = {}
        self._accepting = True
        self._closed = False

    @property
    def settings(self) -> Settings:
        return self._settings

    async def handle(self, message: IncomingMessage) -> AsyncGenerator[OutgoingMessage, None]:
        """Answer one client message; raise an ``InputError`` subclass if it cannot be accepted.

        Close the iterator (``contextlib.aclosing``) or cancel its task to stop the turn;
        the designer stops at the next stage boundary.
        """
        self._check_accepting()
        role = validate_message(message, self._settings.max_message_bytes)
        key = self.access.thread_key(message.thread_id, claim=True)
        self.access.record("message.accepted", f"thread:{message.thread_id}",
                           f"client_msg_id:{message.client_msg_id}" if message.client_msg_id else "ok")
        if key == message.thread_id:
            async with aclosing(self._handle(message, role)) as answers:
                async for out in answers:
                    yield out
            return
        # Another tenant holds this id: the turn runs on this tenant's own thread, answered under the client's id.
        async with aclosing(self._handle(message.model_copy(update={"thread_id": key}), role)) as answers:
            async for out in answers:
                yield out.model_copy(update={"thread_id": message.thread_id})

    async def _handle(self, message: IncomingMessage,
                      role: Literal["USER", "SYSTEM"]) -> AsyncGenerator[OutgoingMessage, None]:
        """:meth:`handle` for a checked message whose ``thread_id`` is the thread's storage key."""
        if not message.client_msg_id:
            async with aclosing(self._run(message, role, None)) as answers:
                async for out in answers:
                    yield out
            return

        key = (message.thread_id, message.client_msg_id)
        digest = fingerprint(message)
        running = self._running.get(key)
        if running is not None:
            self._check_same(running.fingerprint, digest, message)
            async with aclosing(running.follow()) as answers:
                async for out in answers:
                    yield out
            return
        record = self._records.get(*key)
        if record is not None:
            self._check_same(record.fingerprint, digest, message)
            for out in record.messages:
                yield out.model_copy(update={"replayed": True})
            return

        turn = self._running[key] = _RunningTurn(digest)
        try:
            async with aclosing(self._run(message, role, turn)) as answers:
                async for out in answers:
                    yield out
        finally:
            turn.finish()
            del self._running[key]

    def storage_key(self, thread_id: str) -> str:
        """Where the caller's thread ``thread_id`` is stored (see :meth:`AccessControl.thread_key`)."""
        return self.access.thread_key(validate_id(thread_id, "thread_id"), claim=False)

    def document(self, thread_id: str) -> ProcessDocument | None:
        """The caller's thread's current process document, or ``None`` before the first design."""
        return self._designer.document(self.storage_key(thread_id))

    def history(self, thread_id: str) -> list[Any]:
        """The caller's thread's messages, oldest first (the designer's ``ChatRecord`` objects)."""
        return self._designer.history(self.storage_key(thread_id))

    def stop_accepting(self) -> None:
        """Refuse new messages with :class:`ServiceUnavailableError`; running turns go on."""
        self._accepting = False

    def close(self) -> None:
        """Stop accepting and release the designer and the records; call after the adapters stop."""
        if self._closed:
            return
        self._accepting = False
        self._closed = True
        try:
            self._designer.close()
        finally:
            self._records.close()
            self.access.close()

    async def _run(
        self, message: IncomingMessage, role: Literal["USER", "SYSTEM"], turn: _RunningTurn | None
    ) -> AsyncGenerator[OutgoingMessage, None]:
        lock = self._locks.setdefault(message.thread_id, asyncio.Lock())
        # The database lock keeps turns of one thread apart across instances sharing a database.
        async with lock, self._records.turn_lock(message.thread_id):
            self._check_accepting()
            if turn is not None and (record := self._records.get(message.thread_id, message.client_msg_id)):
                # Another instance answered this client_msg_id while this one waited for the thread.
                self._check_same(record.fingerprint, turn.fingerprint, message)
                for out in record.messages:
                    replayed = out.model_copy(update={"replayed": True})
                    turn.publish(replayed)
                    yield replayed
                return
            if turn is not None and (answer := self._answer_after_crash(message)) is not None:
                # A previous process ran this turn to the end but died before recording it.
                self._records.put(message.thread_id, message.client_msg_id, turn.fingerprint, [answer])
                turn.publish(answer)
                yield answer
                return
            base: Base = LATEST
            if turn is not None:
                base = self._base_after_crash(message)
            produced: list[OutgoingMessage] = []
            # Closing the designer's stream at once (not when collected) stops the turn and frees the lock.
            events = self._designer.astream_turn(message.thread_id, message.content, role=role,
                                                 title=message.title or None, base=base,
                                                 on_start=self._noting_start(message) if turn is not None else None)
            async for event in _closing(events):
                out = self._outgoing(message, event)
                produced.append(out)
                if out.final and turn is not None:
                    # Recorded before it is sent: a client that saw the answer can resend safely.
                    self._records.put(message.thread_id, message.client_msg_id, turn.fingerprint, produced)
                if turn is not None:
                    turn.publish(out)
                yield out

    def _noting_start(self, message: IncomingMessage) -> Callable[[int, str | None], None]:
        """Notes, before the graph runs, how many messages the thread holds and the checkpoint the turn
        starts from: a resend after a crash finds the turn's answer, or its starting state, from there (the
        designer reads the thread's state once and reports it)."""

        def note(history_len: int, checkpoint_id: str | None) -> None:
            self._records.start(message.thread_id, message.client_msg_id, history_len, checkpoint_id)

        return note

    def _base_after_crash(self, message: IncomingMessage) -> Base:
        """Where a resent turn starts: the thread's state before its first, interrupted run when all
        the thread gained since is that run's part (so nothing is applied twice), else its latest."""
        started = self._records.started(message.thread_id, message.client_msg_id)
        if started is None:
            return LATEST
        after = self._designer.history(message.thread_id)[started.history_len:]
        if all(entry.role != "ASSISTANT" and entry.content == message.content for entry in after):
            return started.checkpoint_id
        return LATEST

    def _answer_after_crash(self, message: IncomingMessage) -> OutgoingMessage | None:
        """The answer the thread holds for a started, unrecorded turn of this message, if it finished."""
        started = self._records.started(message.thread_id, message.client_msg_id)
        if started is None:
            return None
        after = self._designer.history(message.thread_id)[started.history_len:]
        if len(after) < 2 or after[0].role not in ("USER", "SYSTEM") or after[0].content != message.content:
            return None
        answers = [entry for entry in after[1:] if entry.role == "ASSISTANT"]
        if not answers:
            return None
        return OutgoingMessage(
            thread_id=message.thread_id, content=answers[0].content, client_msg_id=message.client_msg_id,
            agent=answers[0].agent or "respond", final=True, message_id=self._new_id(), replayed=True,
        )

    def _outgoing(self, message: IncomingMessage, event: TurnEventLike) -> OutgoingMessage:
        return OutgoingMessage(
            thread_id=message.thread_id,
            content=event.content,
            client_msg_id=message.client_msg_id,
            agent=event.agent,
            final=event.final,
            message_id=self._new_id(),
            version=event.version,
            partial=event.partial,
            restart=event.restart,
        )

    def _check_accepting(self) -> None:
        if not self._accepting:
            raise ServiceUnavailableError(
                "the chat service is shutting down; reconnect and send the message again "
                "(resending the same client_msg_id is safe)"
            )

    @staticmethod
    def _check_same(recorded: str, digest: str, message: IncomingMessage) -> None:
        if recorded != digest:
            raise MessageConflictError(
                f"client_msg_id {message.client_msg_id!r} was already used on thread "
                f"{client_thread_id(message.thread_id)!r} for a different message; use a new client_msg_id"
            )
