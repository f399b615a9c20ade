"""``process-designer eval``: run an eval suite (or WorFBench data), print the summary, write reports, gate regressions."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from process_designer.config import Settings, load_settings
from process_designer.errors import ConfigError, InputError

if TYPE_CHECKING:
    from process_designer.evals.matching import TextEmbedder
    from process_designer.evals.runner import DesignerLike

__all__ = ["execute", "register"]

DesignerFactory = Callable[[Settings], Any]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``eval`` sub-command."""
    parser = subparsers.add_parser(
        "eval",
        help="measure the quality of generated processes on an eval suite",
        description="Design every case of a suite, score the documents and report against the targets.",
    )
    parser.add_argument(
        "--suite",
        default="full",
        help="suite name in evals/suites, or a .jsonl path (default: full)",
    )
    parser.add_argument(
        "--report", type=Path, metavar="DIR", help="write report.json and report.html here"
    )
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="BASELINE",
        help="a report.json to compare with; exit 1 on a regression",
    )
    parser.add_argument(
        "--tolerance",
        type=float,
        default=0.02,
        help="allowed drop per metric against the baseline (default 0.02)",
    )
    parser.add_argument("--cases", metavar="ID,ID", help="run only these case ids")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.6,
        help="cosine above which two steps match (default 0.6)",
    )
    parser.add_argument("--suites-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--worfbench",
        type=Path,
        metavar="FILE",
        help="score WorFBench-format data instead of a suite",
    )
    parser.set_defaults(handler=_handle)


def _default_designer(settings: Settings) -> Any:
    try:
        from process_designer.designer import Designer
    except ImportError as exc:
        raise ConfigError(
            f"the designer cannot be loaded ({exc}); reinstall with `pip install -e .`"
        ) from exc
    return Designer(settings)


def _default_embedder() -> TextEmbedder:
    from process_designer.knowledge.embedding import get_embedder

    return get_embedder()


@contextmanager
def _designer(factory: DesignerFactory) -> Iterator[DesignerLike]:
    """A designer on a throw-away data directory, so evals never touch the user's threads."""
    with tempfile.TemporaryDirectory(prefix="pd-eval-") as data_dir:
        designer = factory(load_settings().with_overrides(data_dir=Path(data_dir)))
        try:
            yield designer
        finally:
            close = getattr(designer, "close", None)
            if callable(close):
                close()


def _progress(err: TextIO) -> Callable[[int, int, str], None]:
    def show(done: int, total: int, case_id: str) -> None:
        filled = round(20 * done / total) if total else 20
        bar = "#" * filled + "-" * (20 - filled)
        label = f" {case_id}" if case_id else " done"
        print(
            f"\r[{bar}] {done}/{total}{label}".ljust(70),
            end="" if case_id else "\n",
            file=err,
            flush=True,
        )

    return show


def _check_args(args: argparse.Namespace) -> None:
    if not 0.0 <= args.tolerance <= 1.0:
        raise InputError(f"--tolerance {args.tolerance} is out of range; give a number from 0 to 1")
    if not 0.0 < args.threshold < 1.0:
        raise InputError(
            f"--threshold {args.threshold} is out of range; give a number between 0 and 1"
        )


def _run_worfbench(
    args: argparse.Namespace, factory: DesignerFactory, embedder: TextEmbedder, out: TextIO
) -> int:
    from process_designer.evals.worfbench import document_workflow, load_worfbench, score_items

    items = load_worfbench(args.worfbench)
    with _designer_if_needed(factory, any(item.prediction is None for item in items)) as designer:
        predict = (
            None if designer is None else (lambda task: document_workflow(designer.design(task)))
        )
        scores = score_items(items, embedder, predict, args.threshold)
    print(
        f"{'item':<24} {'chainP':>7} {'chainR':>7} {'chainF1':>7} {'graphP':>7} {'graphR':>7} {'graphF1':>7}",
        file=out,
    )
    for s in scores:
        print(
            f"{s.id:<24} {s.chain.precision:7.3f} {s.chain.recall:7.3f} {s.chain.f1:7.3f} "
            f"{s.graph.precision:7.3f} {s.graph.recall:7.3f} {s.graph.f1:7.3f}",
            file=out,
        )
    mean_chain = sum(s.chain.f1 for s in scores) / len(scores)
    mean_graph = sum(s.graph.f1 for s in scores) / len(scores)
    print(
        f"mean f1_chain {mean_chain:.3f}  mean f1_graph {mean_graph:.3f}  ({len(scores)} items)",
        file=out,
    )
    if args.report:
        args.report.mkdir(parents=True, exist_ok=True)
        data = {
            "file": str(args.worfbench),
            "f1_chain": mean_chain,
            "f1_graph": mean_graph,
            "items": [
                {"id": s.id, "f1_chain": vars(s.chain), "f1_graph": vars(s.graph)} for s in scores
            ],
        }
        (args.report / "worfbench.json").write_text(
            json.dumps(data, indent=2) + "\n", encoding="utf-8"
        )
    return 0


@contextmanager
def _designer_if_needed(factory: DesignerFactory, needed: bool) -> Iterator[DesignerLike | None]:
    if not needed:
        yield None
        return
    with _designer(factory) as designer:
        yield designer


def execute(
    args: argparse.Namespace,
    *,
    designer_factory: DesignerFactory = _default_designer,
    embedder: TextEmbedder | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run ``eval`` with injectable parts (tests pass a scripted designer); returns the exit code."""
    # Imported here so that other sub-commands start without numpy and scipy.
    from process_designer.evals.cases import load_suite, select_cases
    from process_designer.evals.report import load_baseline, write_reports
    from process_designer.evals.runner import run_cases
    from process_designer.evals.summary import check_targets, find_regressions
    from process_designer.evals.table import format_regressions, format_summary, format_targets

    out, err = out or sys.stdout, err or sys.stderr
    _check_args(args)
    if args.worfbench:
        return _run_worfbench(args, designer_factory, embedder or _default_embedder(), out)
    cases = load_suite(args.suite, args.suites_dir)
    if args.cases:
        cases = select_cases(cases, args.cases.split(","))
    baseline = load_baseline(args.compare) if args.compare else None  # fail before a long run
    with _designer(designer_factory) as designer:
        run = run_cases(
            cases,
            designer,
            embedder or _default_embedder(),
            suite=Path(args.suite).stem,
            threshold=args.threshold,
            progress=_progress(err),
        )
    overall = run.overall
    print(format_summary(overall, run.domains), file=out)
    failed = [r for r in run.results if r.error]
    if failed:
        print(
            f"\n{len(failed)} case(s) failed to design: {', '.join(r.id for r in failed)}",
            file=out,
        )
    checks = check_targets(overall)
    print("\n" + format_targets(checks), file=out)
    if args.report:
        json_path, html_path = write_reports(run, args.report)
        print(f"\nreports: {json_path} {html_path}", file=out)
    # A design that raises is a broken engine, not a quality miss: always a failure.
    code = 0
    if failed:
        print(
            f"process-designer: error: {len(failed)} case(s) failed to design; "
            f"first, {failed[0].id}: {failed[0].error}",
            file=err,
        )
        code = 1
    if baseline is not None:
        regressions = find_regressions(overall, baseline, args.tolerance)
        print("\n" + format_regressions(regressions, args.tolerance), file=out)
        if regressions:
            names = ", ".join(r.metric for r in regressions)
            print(f"process-designer: error: regression beyond tolerance in {names}", file=err)
            code = 1
    missed = [c.target.text for c in checks if c.passed is False]
    if missed and args.strict:
        print(f"process-designer: error: targets missed: {'; '.join(missed)}", file=err)
        code = 1
    return code


def _handle(args: argparse.Namespace) -> int:
    return execute(args)
