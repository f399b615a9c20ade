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

from process_designer.cli.inputs import require_utf8
from process_designer.config import Settings, load_settings
from process_designer.errors import ConfigError, InputError

if TYPE_CHECKING:
    from process_designer.evals.cases import EvalCase
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
        default="all",
        help="suite names in evals/suites (comma-separated), a .jsonl path, or 'all' (default)",
    )
    parser.add_argument(
        "--report", type=Path, metavar="DIR", help="write report.json and report.html here"
    )
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="BASELINE",
        help="a directory of <suite>.json baselines (evals/baselines) or a report.json; "
        "exit 1 on a regression",
    )
    parser.add_argument(
        "--save-baselines",
        type=Path,
        metavar="DIR",
        help="write each suite's figures to DIR/<suite>.json (to refresh evals/baselines)",
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


def _progress(err: TextIO, suite: str = "") -> Callable[[int, int, str], None]:
    prefix = f"{suite} " if suite else ""

    def show(done: int, total: int, case_id: str) -> None:
        filled = round(20 * done / total) if total else 20
        bar = "#" * filled + "-" * (20 - filled)
        label = f" {case_id}" if case_id else " done"
        print(
            f"\r{prefix}[{bar}] {done}/{total}{label}".ljust(70),
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

    require_utf8(args.worfbench)
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


def _load_suites(args: argparse.Namespace) -> dict[str, list[EvalCase]]:
    """The suites ``--suite`` names (every suite for ``all``), narrowed to ``--cases``."""
    from process_designer.evals.cases import list_suites, load_suite, select_cases

    names = [name.strip() for name in str(args.suite).split(",") if name.strip()]
    if names == ["all"]:
        names = list_suites(args.suites_dir)
    for name in names:
        require_utf8(name)  # a .jsonl path; a suite name is no file here and is looked up by load_suite
    suites = {Path(name).stem: load_suite(name, args.suites_dir) for name in names}
    if not args.cases:
        return suites
    wanted = [i.strip() for i in args.cases.split(",") if i.strip()]
    everywhere = [case for cases in suites.values() for case in cases]
    select_cases(everywhere, wanted)  # an id no suite holds is an error
    picked = {name: [c for c in cases if c.id in wanted] for name, cases in suites.items()}
    return {name: cases for name, cases in picked.items() if cases}


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
    from process_designer.evals.report import load_baselines, save_baselines, write_reports
    from process_designer.evals.runner import run_suites
    from process_designer.evals.summary import check_targets, find_regressions
    from process_designer.evals.table import (
        format_regressions,
        format_suites,
        format_summary,
        format_targets,
    )

    out, err = out or sys.stdout, err or sys.stderr
    _check_args(args)
    if args.worfbench:
        return _run_worfbench(args, designer_factory, embedder or _default_embedder(), out)
    suites = _load_suites(args)
    # Fail on a bad baseline before a long run.
    require_utf8(args.compare)
    baselines = load_baselines(args.compare, list(suites)) if args.compare else None
    with _designer(designer_factory) as designer:
        runs = run_suites(
            suites,
            designer,
            embedder or _default_embedder(),
            threshold=args.threshold,
            progress=lambda name: _progress(err, name),
        )
    if len(runs) == 1:
        print(format_summary(runs[0].overall, runs[0].domains), file=out)
    else:
        print(format_suites({run.suite: run.overall for run in runs}), file=out)
    failed = [(run.suite, r) for run in runs for r in run.results if r.error]
    if failed:
        print(
            f"\n{len(failed)} case(s) failed to design: "
            f"{', '.join(f'{suite}/{r.id}' for suite, r in failed)}",
            file=out,
        )
    missed: list[str] = []
    for run in runs:
        checks = check_targets(run.overall, run.suite)
        if checks:
            print("\n" + format_targets(checks, run.suite), file=out)
        missed += [f"{run.suite}: {c.target.text}" for c in checks if c.passed is False]
    if args.report:
        json_path, html_path = write_reports(runs, args.report)
        print(f"\nreports: {json_path} {html_path}", file=out)
    if args.save_baselines:
        written = save_baselines(runs, args.save_baselines)
        print(f"baselines: {' '.join(str(path) for path in written)}", file=out)
    # A design that raises is a broken engine, not a quality miss: always a failure.
    code = 0
    if failed:
        suite, first = failed[0]
        print(
            f"process-designer: error: {len(failed)} case(s) failed to design; "
            f"first, {suite}/{first.id}: {first.error}",
            file=err,
        )
        code = 1
    if baselines is not None:
        regressed: list[str] = []
        for run in runs:
            if run.suite not in baselines:
                print(f"\nno baseline for suite {run.suite}", file=out)
                continue
            regressions = find_regressions(run.overall, baselines[run.suite], args.tolerance)
            print(f"\n{run.suite}: " + format_regressions(regressions, args.tolerance), file=out)
            regressed += [f"{run.suite} {r.metric}" for r in regressions]
        if regressed:
            print(
                f"process-designer: error: regression beyond tolerance in {', '.join(regressed)}",
                file=err,
            )
            code = 1
    if missed and args.strict:
        print(f"process-designer: error: targets missed: {'; '.join(missed)}", file=err)
        code = 1
    return code


def _handle(args: argparse.Namespace) -> int:
    return execute(args)
