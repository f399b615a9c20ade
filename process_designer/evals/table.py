"""Plain-text summary of an eval run for the terminal: one row per suite, per domain, and the targets."""

from __future__ import annotations

from collections.abc import Mapping

from process_designer.evals.summary import METRICS, Regression, TargetCheck

__all__ = ["format_regressions", "format_suites", "format_summary", "format_targets"]

# One row per suite: what the reading and the graph are measured by.
_SUITE_COLUMNS = (
    ("step_f1", "stepF1"),
    ("order_f1", "order"),
    ("performer_accuracy", "perf"),
    ("fragment_share", "frag"),
    ("gateway_precision", "gwP"),
    ("gateway_recall", "gwR"),
    ("path_coverage", "paths"),
    ("reviewer_score", "review"),
    ("reviewer_score_min", "revMin"),
    ("reviewer_f1_spearman", "rho"),
)

# The columns that fit a terminal; the JSON and HTML reports carry every metric.
_COLUMNS = (
    ("step_f1", "stepF1"),
    ("order_f1", "order"),
    ("decision_coverage", "decis"),
    ("constraint_coverage", "constr"),
    ("integration_coverage", "integr"),
    ("error_case_coverage", "errors"),
    ("spy_check_clean", "check"),
    ("spy_test_pass_rate", "tests"),
    ("reviewer_score", "review"),
    ("latency_s", "sec"),
)


def _cell(value: float | None) -> str:
    return "    –" if value is None else f"{value:5.2f}"



def format_summary(
    overall: dict[str, float | None], domains: dict[str, dict[str, float | None]]
) -> str:
    """A table with one row per domain plus an ``overall`` row, and the overall figures below it."""
    name_width = max([len("overall"), *(len(d) for d in domains)]) + 1
    header = (
        "domain".ljust(name_width) + " cases " + " ".join(f"{label:>6}" for _, label in _COLUMNS)
    )
    lines = [header, "-" * len(header)]
    for name, figures in [*domains.items(), ("overall", overall)]:
        if name == "overall":
            lines.append("-" * len(header))
        cells = " ".join(f"{_cell(figures.get(key)):>6}" for key, _ in _COLUMNS)
        lines.append(f"{name.ljust(name_width)} {int(figures.get('cases') or 0):5d} {cells}")
    lines.append("")
    for metric in METRICS:
        lines.append(f"  {metric.label:<28} {_cell(overall.get(metric.key))}")
    return "\n".join(lines)


def format_suites(figures: Mapping[str, Mapping[str, float | None]]) -> str:
    """One row per suite (``{suite: overall figures}``); ``rho`` is the reviewer score's Spearman
    correlation with step F1 across the suite's cases."""
    width = max([len("suite"), *(len(name) for name in figures)]) + 1
    header = "suite".ljust(width) + " cases " + " ".join(f"{label:>6}" for _, label in _SUITE_COLUMNS)
    lines = [header, "-" * len(header)]
    for name, overall in figures.items():
        cells = " ".join(f"{_cell(overall.get(key)):>6}" for key, _ in _SUITE_COLUMNS)
        lines.append(f"{name.ljust(width)} {int(overall.get('cases') or 0):5d} {cells}")
    return "\n".join(lines)


def format_targets(checks: list[TargetCheck], suite: str = "") -> str:
    """One line per target: ``[pass]``, ``[MISS]`` or ``[n/a ]`` (not measured), the bar and the value."""
    lines = [f"targets ({suite}):" if suite else "targets:"]
    for check in checks:
        mark = {True: "[pass]", False: "[MISS]", None: "[n/a ]"}[check.passed]
        value = "–" if check.value is None else f"{check.value:.3f}"
        lines.append(f"  {mark} {check.target.text:<40} measured {value}")
    return "\n".join(lines)


def format_regressions(regressions: list[Regression], tolerance: float) -> str:
    """The regressions found against a baseline, or a line saying there are none."""
    if not regressions:
        return f"no regression against the baseline (tolerance {tolerance})"
    lines = [f"regression against the baseline (tolerance {tolerance}):"]
    lines += [f"  {regression.describe()}" for regression in regressions]
    return "\n".join(lines)
