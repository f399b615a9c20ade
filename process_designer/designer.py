"""The in-process designer: the graph with its checkpointer, as the CLI, servers and evals use it."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command

from process_designer.agents.engines import AgentEngines, engines_for
from process_designer.config import Settings
from process_designer.domain.context import validate_context
from process_designer.domain.models import DesignContext, ProcessDocument
from process_designer.errors import ConfigError, EngineError, InputError, NotFoundError
from process_designer.feedback import FeedbackStore
from process_designer.feedback.learning import rate_document
from process_designer.graphs.context import DesignerDeps, TemplateSource, open_library
from process_designer.graphs.wiring import build_graph
from process_designer.knowledge.tenant_library import TenantLibrary, TenantTemplates
from process_designer.limits import message_too_long
from process_designer.principal import current_principal
from process_designer.storage.checkpoints import (
    LATEST,
    Base,
    check_key,
    keep_latest,
    open_checkpoints,
    thread_bytes,
)
from process_designer.storage.crypto import checkpoint_serializer
from process_designer.storage.failures import storage_failure
from process_designer.telemetry.analytics import AnalyticsStore
from process_designer.telemetry.turns import observe_turn
from process_designer.tools import process_diff

__all__ = ["ChatRecord", "Designer", "DocumentVersion", "TurnEvent"]

Role = Literal["USER", "SYSTEM"]


@dataclass(frozen=True)
class TurnEvent:
    """One message of a turn: a stage that finished, or (``final``) the answer."""

    thread_id: str
    agent: str
    content: str
    final: bool
    document: ProcessDocument | None = None
    version: int | None = None
    partial: bool = False  # a piece of prose while an agent is still writing (LLM engine)
    restart: bool = False  # with partial: the agent's answer starts again; drop its prose so far
    usage: dict[str, Any] | None = None  # LLM calls and tokens of the turn and the thread, when an LLM ran


@dataclass(frozen=True)
class ChatRecord:
    role: str
    content: str
    agent: str
    created_at: str


@dataclass(frozen=True)
class DocumentVersion:
    number: int
    created_at: str
    summary: str
    document: ProcessDocument


class Designer:
    """Runs chat turns through the designer graph; thread state lives in SQLite under ``data_dir`` or Postgres."""

    def __init__(self, settings: Settings, *, library: TemplateSource | None = None,
                 engines: AgentEngines | None = None) -> None:
        self.settings = settings
        self.feedback = FeedbackStore.open(settings)
        tenant = self._tenant
        shared = TenantLibrary(lambda: library if library is not None else open_library(settings),
                               TenantTemplates.open(settings), tenant)
        self.deps = DesignerDeps(settings=settings, library=shared, engines=engines or engines_for(settings),
                                 feedback=self.feedback, tenant=tenant)
        # The LLM analyst's search_templates tool searches this library.
        if callable(use_search := getattr(self.deps.engines, "use_template_search", None)):
            use_search(self.deps.templates_for)
        # SQLite under data_dir, or Postgres (pooled) when PD_DATABASE_URL is a postgresql:// URL.
        self._checkpoints = open_checkpoints(settings, checkpoint_serializer(settings.encryption_key))
        try:
            check_key(self._checkpoints)
        except ConfigError:
            self._checkpoints.close()
            self.feedback.close()
            self.deps.close()
            raise
        self._saver = self._checkpoints.saver
        self.graph = build_graph(self._saver, deps=self.deps)
        self._oneshot = build_graph(deps=self.deps)
        self._lock = threading.Lock()
        # Turns run here, not in the loop's default executor: its size follows the engine (see
        # Settings.turn_concurrency), and blocking helpers elsewhere never queue behind turns.
        self._turns = ThreadPoolExecutor(settings.turn_concurrency, thread_name_prefix="pd-turn")
        self.analytics = AnalyticsStore(settings.data_dir / "analytics.sqlite")

    @staticmethod
    def _tenant() -> str:
        return current_principal().tenant

    # -- turns -----------------------------------------------------------------------------------

    def _input(self, content: str, role: Role, context: DesignContext | dict[str, Any] | None,
               title: str | None) -> dict[str, Any]:
        if role not in ("USER", "SYSTEM"):
            raise InputError(f"role {role!r} cannot send messages; use USER or SYSTEM")
        if (too_long := message_too_long(content)) is not None:
            raise InputError(too_long)
        payload: dict[str, Any] = {"input": content, "role": role}
        if context is not None:
            checked = context if isinstance(context, DesignContext) else validate_context(context)
            payload["context"] = checked.model_dump(mode="json")
        if title:
            payload["title"] = title
        return payload

    def stream_turn(self, thread_id: str, content: str, *, role: Role = "USER",
                    context: DesignContext | dict[str, Any] | None = None, title: str | None = None,
                    on_start: Callable[[int, str | None], None] | None = None, base: Base = LATEST) -> Iterator[TurnEvent]:
        """Run one turn, yielding each stage as it finishes and then the final answer.

        The thread's state is read once, before the turn; ``on_start`` is then told how many messages the
        thread holds (where this turn's messages will begin) and the checkpoint the turn starts from. The
        final state comes from the run itself. ``base`` is the checkpoint the turn starts from (see
        :meth:`head`): by default the thread's latest; given an earlier one, whatever the thread holds after
        it (an interrupted run of the same turn) is left behind on a dead branch, so the turn runs exactly
        once on the state it first saw.
        """
        if not thread_id.strip():
            raise InputError("thread_id is empty; pass the id of the conversation")
        start = self._start_config(thread_id, base)
        payload: Any = self._input(content, role, context, title)
        before = self.graph.get_state(start)
        if role == "USER" and before.interrupts:
            payload = Command(resume=content)  # the answer to the question the graph is waiting on
        state: dict[str, Any] = dict(before.values)
        if on_start is not None:
            checkpoint = (before.config or {}).get("configurable", {}).get("checkpoint_id")
            on_start(len(state.get("messages", [])), str(checkpoint) if checkpoint else None)
        question = ""
        with observe_turn(thread_id, role, content, settings=self.settings, analytics=self.analytics,
                          templates=self.deps) as turn:
            # The state is stored once, when the turn ends: a checkpoint after every stage serialised the
            # whole thread (every message and document version) several times a turn, so a turn's CPU
            # grew with the thread's length (bench/bench_thread.py). A turn cut short resumes from the
            # state before it either way.
            stream = self.graph.stream(payload, start, stream_mode=["updates", "custom", "values"],
                                       durability="exit")
            try:
                for mode, data in turn.steps(stream):
                    if mode == "values":
                        state = data if isinstance(data, dict) else state
                        continue
                    if mode == "custom":
                        if isinstance(data, dict) and (data.get("partial") or data.get("restart")):
                            yield TurnEvent(thread_id, str(data.get("agent", "")), str(data["partial"]), final=False,
                                            partial=True, restart=bool(data.get("restart")))
                        continue
                    updates: dict[str, Any] = data if isinstance(data, dict) else {}
                    for node, values in updates.items():
                        if node == "__interrupt__" and values:
                            question = str(getattr(values[0], "value", {}).get("question", ""))
                            continue
                        if not isinstance(values, dict) or node == "respond":
                            continue
                        stage = values.get("stage")
                        if stage:
                            turn.stage(stage["agent"])
                            yield TurnEvent(thread_id, stage["agent"], stage["content"], final=False)
            except self._checkpoints.errors as exc:
                # The thread stays at its last stored checkpoint; say why it could not move on.
                raise storage_failure(exc, self._checkpoints.where) from exc
            except EngineError as exc:
                # The model kept failing: the document is untouched and the same message can be sent again.
                yield TurnEvent(thread_id, "respond", f"The model could not finish this turn: {exc}. Nothing was "
                                "changed; send the message again to retry.", final=True,
                                document=_document_of(state), usage=self._usage(thread_id))
                return
            document = _document_of(state)
            if question:  # the graph waits for a person's decision; the next USER message answers it
                yield TurnEvent(thread_id, "save_as_template", question, final=True, document=document)
                return
            versions = state.get("versions", [])
            version = versions[-1]["number"] if versions else None
            keep_latest(self._checkpoints, thread_id)
            turn.finish(state, version)
            yield TurnEvent(thread_id, "respond", state.get("reply", ""), final=True, document=document,
                            version=version, usage=self._usage(thread_id))

    def stored_bytes(self, thread_id: str) -> int:
        """The bytes the thread's checkpoints take in the database."""
        return thread_bytes(self._checkpoints, thread_id)

    def head(self, thread_id: str) -> str | None:
        """The id of the thread's latest checkpoint; ``None`` for a thread that has none yet."""
        config: RunnableConfig = {"configurable": {"thread_id": thread_id}}
        checkpoint = self._saver.get_tuple(config)
        return None if checkpoint is None else str(checkpoint.config["configurable"]["checkpoint_id"])

    def _start_config(self, thread_id: str, base: Base) -> RunnableConfig:
        if base is LATEST:
            return {"configurable": {"thread_id": thread_id}}
        if base is None:  # the thread was new: nothing before the turn is kept
            self._saver.delete_thread(thread_id)
            return {"configurable": {"thread_id": thread_id}}
        return {"configurable": {"thread_id": thread_id, "checkpoint_id": base}}

    def _usage(self, thread_id: str) -> dict[str, Any] | None:
        snapshot = getattr(self.deps.engines, "usage_snapshot", None)
        return snapshot(thread_id) if callable(snapshot) else None

    def run_turn(self, thread_id: str, content: str, *, role: Role = "USER",
                 context: DesignContext | dict[str, Any] | None = None, title: str | None = None,
                 base: Base = LATEST) -> list[TurnEvent]:
        return list(self.stream_turn(thread_id, content, role=role, context=context, title=title, base=base))

    async def astream_turn(self, thread_id: str, content: str, *, role: Role = "USER",
                           context: DesignContext | dict[str, Any] | None = None, title: str | None = None,
                           on_start: Callable[[int, str | None], None] | None = None, base: Base = LATEST) -> AsyncIterator[TurnEvent]:
        """The async form of :meth:`stream_turn`; the graph runs in a worker thread.

        Cancelling the consumer stops the run at the next stage boundary.
        """
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[TurnEvent | BaseException | None] = asyncio.Queue()
        cancelled = threading.Event()

        def work() -> None:
            try:
                for event in self.stream_turn(thread_id, content, role=role, context=context, title=title,
                                              on_start=on_start, base=base):
                    if cancelled.is_set():
                        break
                    loop.call_soon_threadsafe(queue.put_nowait, event)
            except BaseException as exc:  # handed to the consumer, re-raised there
                loop.call_soon_threadsafe(queue.put_nowait, exc)
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, None)

        # The worker runs in the caller's context so the turn's spans nest under the request's span.
        worker = loop.run_in_executor(self._turns, contextvars.copy_context().run, work)
        try:
            while (item := await queue.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            cancelled.set()
            await asyncio.shield(worker)

    def stream_design(self, requirements: str, *, title: str | None = None,
                      context: DesignContext | dict[str, Any] | None = None) -> Iterator[TurnEvent]:
        """One design turn with no thread kept: the stages as they finish, then the answer."""
        payload = self._input(requirements, "USER", context, title)
        thread_id = f"oneshot-{uuid.uuid4()}"
        state: dict[str, Any] = {}
        with observe_turn(thread_id, "USER", requirements, settings=self.settings, templates=self.deps) as turn:
            for update in turn.steps(self._oneshot.stream(payload, {"configurable": {"thread_id": thread_id}},
                                                          stream_mode=["updates", "values"])):
                mode, data = update
                chunk: dict[str, Any] = data  # type: ignore[assignment]
                if mode == "values":
                    state = chunk
                    continue
                for node, values in chunk.items():
                    if isinstance(values, dict) and node != "respond" and values.get("stage"):
                        turn.stage(values["stage"]["agent"])
                        yield TurnEvent(thread_id, values["stage"]["agent"], values["stage"]["content"], final=False)
            turn.finish(state)
            yield TurnEvent(thread_id, "respond", state.get("reply", ""), final=True, document=_document_of(state))

    def design(self, requirements: str, *, title: str | None = None,
               context: DesignContext | dict[str, Any] | None = None) -> ProcessDocument:
        """One design turn with no thread kept; raises :class:`InputError` when a question comes back."""
        final = list(self.stream_design(requirements, title=title, context=context))[-1]
        if final.document is None:
            raise InputError(final.content or "no process could be designed from that text")
        return final.document

    # -- thread reads ----------------------------------------------------------------------------

    def _state(self, thread_id: str) -> dict[str, Any]:
        config: RunnableConfig = {"configurable": {"thread_id": thread_id}}
        return dict(self.graph.get_state(config).values)

    def exists(self, thread_id: str) -> bool:
        return bool(self._state(thread_id))

    def document(self, thread_id: str) -> ProcessDocument | None:
        return _document_of(self._state(thread_id))

    def context(self, thread_id: str) -> DesignContext:
        return DesignContext.model_validate(self._state(thread_id).get("context") or {})

    def history(self, thread_id: str) -> list[ChatRecord]:
        return [ChatRecord(m["role"], m["content"], m.get("agent", ""), m.get("at", ""))
                for m in self._state(thread_id).get("messages", [])]

    def versions(self, thread_id: str) -> list[DocumentVersion]:
        return [DocumentVersion(v["number"], v["at"], v["summary"], ProcessDocument.model_validate(v["document"]))
                for v in self._state(thread_id).get("versions", [])]

    def version(self, thread_id: str, number: int) -> DocumentVersion:
        versions = self.versions(thread_id)
        if not 1 <= number <= len(versions):
            raise NotFoundError(f"thread {thread_id} has no version {number}; it has versions 1 to {len(versions)}")
        return versions[number - 1]

    def diff(self, thread_id: str, old: int, new: int) -> str:
        """A unified diff of the markdown of two versions."""
        a, b = self.version(thread_id, old), self.version(thread_id, new)
        return process_diff(a.document, b.document, f"version {old}", f"version {new}")

    def rate(self, thread_id: str, rating: str, comment: str = "", version: int | None = None) -> DocumentVersion:
        """Rate a version (the latest by default) of the thread's document for the current tenant; the version rated."""
        versions = self.versions(thread_id)
        if not versions:
            raise NotFoundError(f"thread {thread_id} has no process to rate yet; design one first")
        rated = self.version(thread_id, version) if version is not None else versions[-1]
        rate_document(self.feedback, self.deps.tenant(), thread_id, rated.number, rated.document, rating, comment)
        return rated

    def close(self) -> None:
        with self._lock:
            self._turns.shutdown(wait=True, cancel_futures=True)
            self._checkpoints.close()
            self.analytics.close()
            self.feedback.close()
            self.deps.close()

    def __enter__(self) -> Designer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _document_of(state: Mapping[str, Any]) -> ProcessDocument | None:
    raw = state.get("document")
    return ProcessDocument.model_validate(raw) if raw else None
