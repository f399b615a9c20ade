"""Runs eval cases through a designer, times them and scores the documents it returns."""

from __future__ import annotations

import contextvars
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from process_designer.domain.models import DesignContext, ProcessDocument
from process_designer.evals.cases import EvalCase
from process_designer.evals.matching import DEFAULT_THRESHOLD, TextEmbedder
from process_designer.evals.metrics import CaseResult, failed_case, score_case
from process_designer.evals.summary import aggregate, per_domain, per_style
from process_designer.principal import Principal, acting_as

__all__ = ["CASE_RUNNERS", "CaseRun", "DesignCache", "DesignerLike", "EvalRun", "Progress", "run_cases", "run_suites"]

DesignCache = dict[str, tuple[ProcessDocument, float]]
"""Documents already designed in this run, keyed by what was asked (see :func:`_request_key`)."""

Progress = Callable[[int, int, str], None]
T = TypeVar("T")


class DesignerLike(Protocol):
    """The part of ``process_designer.designer.Designer`` an eval needs."""

    def design(
        self,
        requirements: str,
        *,
        title: str | None = None,
        context: DesignContext | dict[str, Any] | None = None,
    ) -> ProcessDocument: ...

    def run_turn(self, thread_id: str, content: str) -> Sequence[object]: ...

    def document(self, thread_id: str) -> ProcessDocument | None: ...


@dataclass(frozen=True)
class CaseRun:
    """What a case kind's own runner produced: the document to score, its figures, and what it missed."""

    document: ProcessDocument
    figures: dict[str, float | None]
    missed: dict[str, list[str]]


CaseRunner = Callable[[DesignerLike, EvalCase, str], CaseRun]
CASE_RUNNERS: dict[str, CaseRunner] = {}
"""Runners of case kinds that need more than a design (``chat`` plays a script and judges each turn)."""


@dataclass
class EvalRun:
    """The results of one eval run, with overall and per-domain aggregates."""

    suite: str
    threshold: float
    results: list[CaseResult]
    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def overall(self) -> dict[str, float | None]:
        return aggregate(self.results)

    @property
    def domains(self) -> dict[str, dict[str, float | None]]:
        return per_domain(self.results)

    @property
    def styles(self) -> dict[str, dict[str, float | None]]:
        return per_style(self.results)


def _request_key(case: EvalCase) -> str:
    """What the designer is asked for a case: its messages and context (not its id or expectations)."""
    context = case.context.model_dump(mode="json") if case.context is not None else None
    return json.dumps([case.messages, context], sort_keys=True, ensure_ascii=False)


def _on_its_own(work: Callable[[DesignerLike, EvalCase, str], T], designer: DesignerLike, case: EvalCase,
                suite: str) -> T:
    """``work(designer, case, suite)`` as a tenant of its own, so that nothing an earlier case's edits or
    ratings taught (owners, role names, durations, template votes) reaches the case, and nothing it
    teaches reaches the next: a case's figures are the same alone and in any order."""
    def run() -> T:
        acting_as(Principal(subject="eval", tenant=f"eval-{suite}-{case.id}"))
        return work(designer, case, suite)

    return contextvars.copy_context().run(run)


def _produce(designer: DesignerLike, case: EvalCase, suite: str) -> ProcessDocument:
    if not case.multi_turn:
        return designer.design(case.requirements, context=case.context)
    # Suites may share case ids (smoke repeats full): a thread must never continue another's.
    thread_id = f"eval-{suite}-{case.id}"
    for message in case.messages:
        designer.run_turn(thread_id, message)
    document = designer.document(thread_id)
    if document is None:
        raise LookupError(f"thread {thread_id} has no document after {len(case.messages)} turns")
    return document


def run_cases(
    cases: Sequence[EvalCase],
    designer: DesignerLike,
    embedder: TextEmbedder,
    *,
    suite: str = "custom",
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.perf_counter,
    cache: DesignCache | None = None,
) -> EvalRun:
    """Design every case, score it, and report progress as ``progress(done, total, case_id)``.

    A case whose design raises is recorded as failed (all scores 0, the error kept), so one
    broken case shows up in the report instead of hiding the others. Each case runs as a tenant
    of its own (see :func:`_on_its_own`). With a ``cache``, a case
    asking exactly what an earlier one asked reuses its document and latency (the designer is
    deterministic), so a suite that repeats another's cases costs nothing.
    """
    results: list[CaseResult] = []
    for index, case in enumerate(cases, start=1):
        if progress is not None:
            progress(index - 1, len(cases), case.id)
        key = _request_key(case)
        if (own := CASE_RUNNERS.get(case.kind)) is not None:
            results.append(_run_own(own, designer, case, suite, embedder, threshold, clock))
            continue
        if cache is not None and key in cache:
            document, latency = cache[key]
        else:
            started = clock()
            try:
                document = _on_its_own(_produce, designer, case, suite)
            except Exception as exc:  # recorded in the report, never swallowed
                results.append(failed_case(case, f"{type(exc).__name__}: {exc}", clock() - started))
                continue
            latency = clock() - started
            if cache is not None:
                cache[key] = (document, latency)
        results.append(score_case(case, document, embedder, threshold=threshold, latency_s=latency))
    if progress is not None and cases:
        progress(len(cases), len(cases), "")
    return EvalRun(suite=suite, threshold=threshold, results=results)


def _run_own(own: CaseRunner, designer: DesignerLike, case: EvalCase, suite: str, embedder: TextEmbedder,
             threshold: float, clock: Callable[[], float]) -> CaseResult:
    started = clock()
    try:
        run = _on_its_own(own, designer, case, suite)
    except Exception as exc:  # recorded in the report, never swallowed
        return failed_case(case, f"{type(exc).__name__}: {exc}", clock() - started)
    result = score_case(case, run.document, embedder, threshold=threshold, latency_s=clock() - started)
    return result.model_copy(update={"figures": {**result.figures, **run.figures},
                                     "missed": {**result.missed, **run.missed}})


def run_suites(
    suites: Mapping[str, Sequence[EvalCase]],
    designer: DesignerLike,
    embedder: TextEmbedder,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Callable[[str], Progress | None] | None = None,
) -> list[EvalRun]:
    """:func:`run_cases` for each suite in turn with one designer, one embedder and one design cache."""
    cache: DesignCache = {}
    return [
        run_cases(
            cases,
            designer,
            embedder,
            suite=name,
            threshold=threshold,
            progress=progress(name) if progress is not None else None,
            cache=cache,
        )
        for name, cases in suites.items()
    ]
