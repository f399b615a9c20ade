"""One chat turn observed: the ``invoke_workflow`` span, turn metrics and the analytics record."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from opentelemetry.trace import Span, Status, StatusCode

from process_designer.config import Settings
from process_designer.errors import ProcessDesignerError, StorageError
from process_designer.principal import current_principal
from process_designer.storage.tenancy import client_thread_id
from process_designer.telemetry.analytics import AnalyticsStore, TurnRecord
from process_designer.telemetry.setup import Telemetry, current
from process_designer.telemetry.spans import conversation, iterate_in_span

if TYPE_CHECKING:
    from process_designer.knowledge.template_model import ProcessTemplate

__all__ = ["TurnObserver", "observe_turn"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


class TemplateLookup(Protocol):
    """Where template categories come from: the designer's deps."""

    def template(self, template_id: str) -> ProcessTemplate | None: ...


def _category(source: TemplateLookup | None, template_ids: list[str], kind: str | None) -> str | None:
    if source is None:
        return kind
    for template_id in template_ids:
        try:
            template = source.template(template_id)
        except ProcessDesignerError:  # an unreadable library costs only the category
            continue
        if template is not None and template.category:
            return template.category
    return kind


class TurnObserver:
    """Created by :func:`observe_turn`; the designer reports stages and the final state to it."""

    def __init__(self, telemetry: Telemetry, workflow: Span, thread_id: str, role: str, *,
                 settings: Settings, analytics: AnalyticsStore | None, templates: TemplateLookup | None,
                 clock: Callable[[], float]) -> None:
        self._telemetry = telemetry
        self.span = workflow
        self.thread_id = thread_id
        self.role = role
        self._settings = settings
        self._analytics = analytics
        self._templates = templates
        self._clock = clock
        self._started_wall = clock()
        self._started = time.perf_counter()
        self._tenant = current_principal().tenant
        self._first_chunk: float | None = None
        self.path: list[str] = []
        self.finished = False

    def steps(self, updates: Iterable[T]) -> Iterator[T]:
        """The graph's updates, each produced under the ``invoke_workflow`` span."""
        with conversation(self.thread_id):
            yield from iterate_in_span(self.span, updates)

    def stage(self, agent: str) -> None:
        """A stage is about to be streamed to the client."""
        if self._first_chunk is None:
            self._first_chunk = time.perf_counter() - self._started
            self._telemetry.instruments.time_to_first_chunk.record(self._first_chunk, {"pd.role": self.role})
        if agent != "route_turn":
            self.path.append(agent)

    def finish(self, state: Mapping[str, Any], version: int | None = None) -> None:
        """The turn's answer is ready: record its metrics and analytics and end the span."""
        intent = str(state.get("intent") or "unknown")
        document: Mapping[str, Any] = state.get("document") or {}
        quality: Mapping[str, Any] = document.get("quality") or {}
        templates = [str(t) for t in document.get("templates_used") or []]
        reviewed = "quality_reviewer" in self.path
        instruments = self._telemetry.instruments
        route = {"pd.route": intent}
        duration = time.perf_counter() - self._started
        instruments.turns.add(1, {**route, "pd.role": self.role})
        instruments.turn_duration.record(duration, {**route, "pd.outcome": "ok"})
        if reviewed and document:
            for dimension in ("score", "completeness", "clarity"):
                instruments.quality.record(float(quality.get(dimension, 0.0)), {"pd.quality.dimension": dimension})
            instruments.revision_rounds.record(int(state.get("revisions") or 0), route)
        if "requirement_analyst" in self.path and document:
            for template in templates:
                instruments.template_hits.add(1, {"pd.template.id": template})
        self.span.set_attributes({"pd.route": intent, "pd.path": self.path, "pd.revisions": int(state.get("revisions")
                                                                                               or 0)})
        if document:
            self.span.set_attribute("pd.quality.score", float(quality.get("score", 0.0)))
        if version is not None:
            self.span.set_attribute("pd.document.version", version)
        if self._telemetry.capture_content:
            reply = str(state.get("reply", ""))
            self.span.set_attribute("gen_ai.output.messages",
                                    json.dumps([{"role": "assistant", "parts": [{"type": "text", "content": reply}]}]))
        self._record(TurnRecord(
            thread_id=self.thread_id, started_at=self._started_wall, ended_at=self._clock(), intent=intent,
            path=tuple(self.path), has_document=bool(document),
            passed=bool(document) and float(quality.get("score", 0.0)) >= self._settings.quality_threshold,
            score=quality.get("score") if document else None,
            completeness=quality.get("completeness") if document else None,
            clarity=quality.get("clarity") if document else None,
            revisions=int(state.get("revisions") or 0), templates=tuple(templates),
            category=_category(self._templates, templates, document.get("kind")) if document else None,
        ))
        self.finished = True
        self.span.end()

    def fail(self, error: BaseException) -> None:
        """The turn ended without an answer (an error, or the client went away)."""
        kind = "cancelled" if isinstance(error, GeneratorExit) else type(error).__qualname__
        instruments = self._telemetry.instruments
        instruments.errors.add(1, {"error.type": kind})
        instruments.turn_duration.record(time.perf_counter() - self._started,
                                         {"pd.route": "unknown", "pd.outcome": kind})
        self.span.set_attribute("error.type", kind)
        if isinstance(error, Exception):
            self.span.record_exception(error)
            self.span.set_status(Status(StatusCode.ERROR, f"{kind}: {error}"))
        self._record(TurnRecord(thread_id=self.thread_id, started_at=self._started_wall, ended_at=self._clock(),
                                intent="unknown", path=tuple(self.path), outcome=kind))
        self.finished = True
        self.span.end()

    def _record(self, record: TurnRecord) -> None:
        if self._analytics is None:
            return
        try:
            self._analytics.record(replace(record, thread_id=client_thread_id(record.thread_id), tenant=self._tenant))
        except StorageError as exc:
            # Analytics describe turns; losing one figure must not fail (or mask the error of) the turn.
            logger.warning("turn analytics not recorded: %s", exc)


@contextmanager
def observe_turn(thread_id: str, role: str, content: str, *, settings: Settings,
                 analytics: AnalyticsStore | None = None, templates: TemplateLookup | None = None,
                 clock: Callable[[], float] = time.time) -> Iterator[TurnObserver]:
    """An ``invoke_workflow`` span (child of the current request span) for one turn.

    The span is never left attached while the caller's generator is suspended: only
    :meth:`TurnObserver.steps` makes it current, one graph update at a time.
    """
    telemetry = current()
    attributes: dict[str, Any] = {"gen_ai.operation.name": "invoke_workflow", "gen_ai.conversation.id": thread_id,
                                  "pd.workflow.name": "process_designer", "pd.role": role}
    if telemetry.capture_content:
        attributes["gen_ai.input.messages"] = json.dumps(
            [{"role": role.lower(), "parts": [{"type": "text", "content": content}]}])
    workflow = telemetry.tracer.start_span("invoke_workflow", attributes=attributes)
    observer = TurnObserver(telemetry, workflow, thread_id, role, settings=settings, analytics=analytics,
                            templates=templates, clock=clock)
    try:
        yield observer
    except BaseException as exc:
        if not observer.finished:
            observer.fail(exc)
        raise
    finally:
        if not observer.finished:
            observer.fail(GeneratorExit())
