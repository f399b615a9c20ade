"""``process-designer stats``: session, quality and usage analytics of the data directory."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from process_designer.config import load_settings

if TYPE_CHECKING:
    from process_designer.telemetry.analytics import AnalyticsReport

__all__ = ["register", "render_table"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``stats`` sub-command."""
    parser = subparsers.add_parser(
        "stats",
        help="show session, quality and usage analytics",
        description="Sessions, success rate, mean quality, popular templates, process categories and "
        "the routes turns took, from the analytics kept under PD_DATA_DIR: of every tenant, or of --tenant.",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--tenant", help="only this tenant's sessions (default: every tenant)")
    parser.set_defaults(handler=run)


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _counts(title: str, counts: Mapping[str, int]) -> list[str]:
    lines = [title]
    if not counts:
        return [*lines, "  (none)"]
    width = max(len(name) for name in counts)
    return [*lines, *(f"  {name:<{width}}  {count}" for name, count in counts.items())]


def render_table(report: AnalyticsReport) -> str:
    """The report as aligned text sections."""
    rows = [
        ("Sessions", str(report.sessions)),
        ("Turns", str(report.turns)),
        ("Successful sessions", f"{report.successful_sessions} ({report.success_rate * 100:.1f}%)"),
        ("Mean turns per session", _number(report.mean_turns)),
        ("Mean session duration", f"{report.mean_duration_seconds:.1f} s"),
        ("Mean quality score", _number(report.mean_score)),
        ("Mean completeness", _number(report.mean_completeness)),
        ("Mean clarity", _number(report.mean_clarity)),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value}" for label, value in rows]
    popular = {t.template: t.sessions for t in report.popular_templates}
    for title, counts in (("Popular templates (sessions)", popular), ("Process categories (sessions)",
                                                                      report.categories),
                          ("Routes (turns)", report.routes), ("Agent paths (turns)", report.paths),
                          ("Errors (turns)", report.errors)):
        lines += ["", *_counts(title, counts)]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    from process_designer.telemetry.analytics import AnalyticsStore

    store = AnalyticsStore(settings.data_dir / "analytics.sqlite")
    try:
        if args.format == "json":
            print(json.dumps({"tenant": args.tenant, **store.to_json(args.tenant)}, indent=2))
        else:
            print(render_table(store.summary(args.tenant)[1]))
    finally:
        store.close()
    return 0
