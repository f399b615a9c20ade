"""Aggregates of case results (overall and per domain), the issue's quality targets, and baseline comparison."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from process_designer.evals.metrics import CaseResult

__all__ = [
    "METRICS",
    "TARGETS",
    "Metric",
    "Regression",
    "Target",
    "TargetCheck",
    "aggregate",
    "check_targets",
    "find_regressions",
    "per_domain",
]


@dataclass(frozen=True)
class Metric:
    """An aggregate figure: ``field`` of :class:`CaseResult` reduced by ``reduce`` (mean, min, p95)."""

    key: str
    label: str
    field: str
    reduce: str = "mean"
    gated: bool = True  # compared against a baseline; higher is better


METRICS: tuple[Metric, ...] = (
    Metric("step_precision", "step precision", "step_precision"),
    Metric("step_recall", "step recall", "step_recall"),
    Metric("step_f1", "step F1", "step_f1"),
    Metric("order_f1", "order (f1_chain)", "order_f1"),
    Metric("decision_coverage", "decision coverage", "decision_coverage"),
    Metric("constraint_coverage", "constraint coverage", "constraint_coverage"),
    Metric("integration_coverage", "integration coverage", "integration_coverage"),
    Metric("error_case_coverage", "error-case coverage", "error_case_coverage"),
    Metric("final_coverage", "multi-turn expectations", "final_coverage"),
    Metric("completeness", "completeness", "completeness"),
    Metric("clarity", "clarity", "clarity"),
    Metric("spy_check_clean", "SPy check-clean", "spy_check_clean"),
    Metric("spy_test_pass_rate", "SPy tests passed", "spy_test_pass_rate"),
    Metric("reviewer_score", "reviewer score (mean)", "reviewer_score"),
    Metric("reviewer_score_min", "reviewer score (min)", "reviewer_score", "min"),
    Metric("revisions", "revision rounds (mean)", "revisions", gated=False),
    Metric("latency_s", "latency s (mean)", "latency_s", gated=False),
    Metric("latency_p95_s", "latency s (p95)", "latency_s", "p95", gated=False),
)


@dataclass(frozen=True)
class Target:
    """A bar the engine must reach: aggregate ``metric`` at least ``minimum``."""

    metric: str
    minimum: float
    text: str


TARGETS: tuple[Target, ...] = (
    Target("step_f1", 0.75, "step F1 ≥ 0.75"),
    Target("order_f1", 0.8, "order ≥ 0.8"),
    Target("decision_coverage", 0.9, "decision coverage ≥ 0.9"),
    Target("constraint_coverage", 0.9, "constraint coverage ≥ 0.9"),
    Target("spy_check_clean", 1.0, "SPy check-clean 100%"),
    Target("spy_test_pass_rate", 1.0, "SPy tests pass 100%"),
    Target("reviewer_score_min", 0.85, "reviewer score ≥ 0.85 on every case"),
)


@dataclass(frozen=True)
class TargetCheck:
    """A target with its measured value; ``passed`` is ``None`` when no case measured it."""

    target: Target
    value: float | None
    passed: bool | None


@dataclass(frozen=True)
class Regression:
    """A gated metric that fell further below the baseline than the tolerance allows."""

    metric: str
    baseline: float
    current: float

    def describe(self) -> str:
        return f"{self.metric} fell from {self.baseline:.3f} to {self.current:.3f}"


def _reduce(values: Sequence[float], how: str) -> float | None:
    if not values:
        return None
    if how == "min":
        return min(values)
    if how == "p95":
        ordered = sorted(values)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return sum(values) / len(values)


def aggregate(results: Iterable[CaseResult]) -> dict[str, float | None]:
    """Every metric of :data:`METRICS` over ``results``; ``None`` where no case measured it."""
    rows = list(results)
    summary: dict[str, float | None] = {"cases": float(len(rows))}
    for metric in METRICS:
        values = [float(v) for r in rows if (v := getattr(r, metric.field)) is not None]
        summary[metric.key] = _reduce(values, metric.reduce)
    return summary


def per_domain(results: Iterable[CaseResult]) -> dict[str, dict[str, float | None]]:
    """:func:`aggregate` per domain, domains in alphabetical order."""
    groups: dict[str, list[CaseResult]] = {}
    for result in results:
        groups.setdefault(result.domain, []).append(result)
    return {domain: aggregate(groups[domain]) for domain in sorted(groups)}


def check_targets(overall: dict[str, float | None]) -> list[TargetCheck]:
    """Each target with the measured value and whether it is met (``None``: nothing measured it)."""
    checks = []
    for target in TARGETS:
        value = overall.get(target.metric)
        # A tiny epsilon keeps 0.8999999 from a float mean from missing a 0.9 bar it met.
        passed = None if value is None else value >= target.minimum - 1e-9
        checks.append(TargetCheck(target, value, passed))
    return checks


def find_regressions(
    current: dict[str, float | None], baseline: dict[str, float | None], tolerance: float
) -> list[Regression]:
    """Gated metrics that dropped by more than ``tolerance`` from ``baseline`` (absolute)."""
    found = []
    for metric in METRICS:
        before, now = baseline.get(metric.key), current.get(metric.key)
        if not metric.gated or before is None:
            continue
        now_value = 0.0 if now is None else now
        if before - now_value > tolerance + 1e-12:
            found.append(Regression(metric.key, float(before), float(now_value)))
    return found
