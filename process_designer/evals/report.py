"""The JSON eval report of one or more suites, writing it with the HTML report, and reading baselines back."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from process_designer.errors import InputError
from process_designer.evals.html_report import render_html
from process_designer.evals.runner import EvalRun
from process_designer.evals.summary import check_targets

__all__ = [
    "REPORT_VERSION",
    "load_baseline",
    "load_baselines",
    "report_data",
    "save_baselines",
    "suite_data",
    "write_reports",
]

REPORT_VERSION = 2

Figures = dict[str, float | None]


def suite_data(run: EvalRun, *, with_cases: bool = True) -> dict[str, Any]:
    """One suite's report: overall, per domain and style, its targets and (optionally) every case."""
    overall = run.overall
    data: dict[str, Any] = {
        "suite": run.suite,
        "overall": overall,
        "domains": run.domains,
        "styles": run.styles,
        "targets": [
            {
                "metric": check.target.metric,
                "target": check.target.text,
                "minimum": check.target.minimum,
                "value": check.value,
                "passed": check.passed,
            }
            for check in check_targets(overall, run.suite)
        ],
    }
    if with_cases:
        data["cases"] = [result.model_dump(mode="json") for result in run.results]
    return data


def report_data(runs: Sequence[EvalRun]) -> dict[str, Any]:
    """The report of a run of ``runs`` (one per suite) as JSON-ready data."""
    return {
        "report_version": REPORT_VERSION,
        "started": runs[0].started if runs else "",
        "threshold": runs[0].threshold if runs else None,
        "suites": {run.suite: suite_data(run) for run in runs},
    }


def _mkdir(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create report directory {directory}: {exc.strerror}") from exc


def write_reports(runs: Sequence[EvalRun], directory: Path) -> tuple[Path, Path]:
    """Write ``report.json`` and ``report.html`` into ``directory`` (created if missing)."""
    _mkdir(directory)
    data = report_data(runs)
    json_path, html_path = directory / "report.json", directory / "report.html"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    html_path.write_text(render_html(data), encoding="utf-8")
    return json_path, html_path


def save_baselines(runs: Sequence[EvalRun], directory: Path) -> list[Path]:
    """Write ``<suite>.json`` (figures and targets, no cases) per run: the stored baselines."""
    _mkdir(directory)
    paths = []
    for run in runs:
        path = directory / f"{run.suite}.json"
        data = {"report_version": REPORT_VERSION, "started": run.started, "threshold": run.threshold,
                **suite_data(run, with_cases=False)}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _figures(path: Path, overall: object, where: str) -> Figures:
    if not isinstance(overall, dict):
        raise InputError(
            f"baseline {path} has no '{where}' object; pass a report.json written by `eval --report`"
        )
    figures: Figures = {}
    for key, value in overall.items():
        if value is not None and not isinstance(value, int | float):
            raise InputError(f"baseline {path}: {where}.{key} is {value!r}, expected a number or null")
        figures[str(key)] = None if value is None else float(value)
    return figures


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read baseline {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            f"baseline {path} is not JSON (line {exc.lineno}); pass a report.json written by `eval --report`"
        ) from exc


def _suites_in(path: Path, data: Any) -> dict[str, Figures]:
    """Every suite's overall figures in a report or baseline file, by suite name."""
    if isinstance(data, dict) and isinstance(data.get("suites"), dict):
        return {
            str(name): _figures(path, suite.get("overall") if isinstance(suite, dict) else None,
                                f"suites.{name}.overall")
            for name, suite in data["suites"].items()
        }
    overall = data.get("overall") if isinstance(data, dict) else None
    name = data.get("suite") if isinstance(data, dict) else None
    return {str(name or ""): _figures(path, overall, "overall")}


def load_baseline(path: Path) -> Figures:
    """The ``overall`` figures of a one-suite report or baseline file."""
    found = _suites_in(path, _read(path))
    if len(found) != 1:
        raise InputError(
            f"baseline {path} holds {len(found)} suites; name the suite, or pass a directory of baselines"
        )
    return next(iter(found.values()))


def load_baselines(path: Path, suites: Sequence[str]) -> dict[str, Figures]:
    """The baseline figures of each of ``suites`` found at ``path``.

    ``path`` is a directory of ``<suite>.json`` files (a suite without one is not compared), a
    report of several suites, or the report of one suite — compared with the one suite run, or
    with the suite it names.
    """
    if path.is_dir():
        return {
            suite: load_baseline(path / f"{suite}.json")
            for suite in suites
            if (path / f"{suite}.json").is_file()
        }
    found = _suites_in(path, _read(path))
    if len(found) == 1 and len(suites) == 1 and next(iter(found)) not in suites:
        return {suites[0]: next(iter(found.values()))}
    return {suite: figures for suite, figures in found.items() if suite in suites}
