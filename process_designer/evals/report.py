"""The JSON eval report: what it holds, writing it with the HTML report, and reading one back as a baseline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from process_designer.errors import InputError
from process_designer.evals.html_report import render_html
from process_designer.evals.runner import EvalRun
from process_designer.evals.summary import check_targets

__all__ = ["REPORT_VERSION", "load_baseline", "report_data", "write_reports"]

REPORT_VERSION = 1


def report_data(run: EvalRun) -> dict[str, Any]:
    """The report as JSON-ready data: overall, per-domain, targets and every case."""
    overall = run.overall
    return {
        "report_version": REPORT_VERSION,
        "suite": run.suite,
        "started": run.started,
        "threshold": run.threshold,
        "overall": overall,
        "domains": run.domains,
        "targets": [
            {
                "metric": check.target.metric,
                "target": check.target.text,
                "minimum": check.target.minimum,
                "value": check.value,
                "passed": check.passed,
            }
            for check in check_targets(overall)
        ],
        "cases": [result.model_dump(mode="json") for result in run.results],
    }


def write_reports(run: EvalRun, directory: Path) -> tuple[Path, Path]:
    """Write ``report.json`` and ``report.html`` into ``directory`` (created if missing)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create report directory {directory}: {exc.strerror}") from exc
    data = report_data(run)
    json_path, html_path = directory / "report.json", directory / "report.html"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    html_path.write_text(render_html(data), encoding="utf-8")
    return json_path, html_path


def load_baseline(path: Path) -> dict[str, float | None]:
    """The ``overall`` figures of a stored report; errors say what the file should be."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read baseline {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            f"baseline {path} is not JSON (line {exc.lineno}); pass a report.json written by `eval --report`"
        ) from exc
    overall = data.get("overall") if isinstance(data, dict) else None
    if not isinstance(overall, dict):
        raise InputError(
            f"baseline {path} has no 'overall' object; pass a report.json written by `eval --report`"
        )
    figures: dict[str, float | None] = {}
    for key, value in overall.items():
        if value is not None and not isinstance(value, int | float):
            raise InputError(
                f"baseline {path}: overall.{key} is {value!r}, expected a number or null"
            )
        figures[str(key)] = None if value is None else float(value)
    return figures
