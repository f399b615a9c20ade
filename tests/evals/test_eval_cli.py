"""``process-designer eval``: summary, reports, targets, --strict, --compare and input errors."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path
from typing import Any

import pytest

from process_designer.cli.eval import execute, register
from process_designer.config import Settings
from process_designer.errors import InputError, NotFoundError

SAMPLE = Path(__file__).parent / "data" / "worfbench_sample.json"


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="process-designer")
    register(parser.add_subparsers())
    return parser.parse_args(["eval", *argv])


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    path = tmp_path / "mini.jsonl"
    cases = [
        {
            "id": "a",
            "domain": "hr",
            "style": "short",
            "requirements": "req a",
            "gold_steps": [{"name": "One"}, {"name": "Two"}],
            "decisions": [["$500", "manager"]],
        },
        {
            "id": "b",
            "domain": "it_ops",
            "style": "messy",
            "requirements": "req b",
            "gold_steps": [{"name": "Three"}],
        },
    ]
    path.write_text("".join(json.dumps(c) + "\n" for c in cases))
    return path


class _Harness:
    def __init__(self, designer_class: type, document_factory: Any, embedder_class: type) -> None:
        self.designer = designer_class(
            {
                "req a": document_factory(
                    ["One", "Two"], actions={2: ["Over $500 the manager signs"]}
                ),
                "req b": document_factory(["Three"], score=0.5),
            }
        )
        self.settings: list[Settings] = []
        self.embedder = embedder_class()
        self.out, self.err = io.StringIO(), io.StringIO()

    def factory(self, settings: Settings) -> Any:
        self.settings.append(settings)
        return self.designer

    def run(self, *argv: str) -> int:
        return execute(
            _args(*argv),
            designer_factory=self.factory,
            embedder=self.embedder,
            out=self.out,
            err=self.err,
        )


@pytest.fixture
def harness(designer_class: type, document_factory: Any, embedder_class: type) -> _Harness:
    return _Harness(designer_class, document_factory, embedder_class)


def test_eval_prints_summary_targets_and_writes_reports(
    harness: _Harness, suite: Path, tmp_path: Path
) -> None:
    assert harness.run("--suite", str(suite), "--report", str(tmp_path / "r")) == 0
    out = harness.out.getvalue()
    assert "overall" in out and "hr" in out and "it_ops" in out
    # The reading targets are set on full and holdout only; the others hold for every suite.
    assert "step F1 ≥ 0.80" not in out
    assert "targets (mini):" in out
    assert "[MISS] reviewer score ≥ 0.85 on every case" in out
    assert "[n/a ] constraint coverage ≥ 0.9" in out
    assert "mini [####################] 2/2 done" in harness.err.getvalue()
    assert list(json.loads((tmp_path / "r" / "report.json").read_text())["suites"]) == ["mini"]
    assert (tmp_path / "r" / "report.html").is_file()
    assert harness.designer.closed
    # Evals run on a throw-away data directory, never the user's.
    assert harness.settings[0].data_dir.name.startswith("pd-eval-")
    assert not harness.settings[0].data_dir.exists()


def test_strict_fails_on_a_missed_target(harness: _Harness, suite: Path) -> None:
    assert harness.run("--suite", str(suite), "--strict") == 1
    assert "targets missed: mini: reviewer score ≥ 0.85 on every case" in harness.err.getvalue()


def test_cases_option_runs_only_those(harness: _Harness, suite: Path, tmp_path: Path) -> None:
    assert harness.run("--suite", str(suite), "--cases", "b", "--report", str(tmp_path)) == 0
    data = json.loads((tmp_path / "report.json").read_text())
    assert [case["id"] for case in data["suites"]["mini"]["cases"]] == ["b"]


def test_compare_exits_1_naming_the_regressed_metric(
    harness: _Harness, suite: Path, tmp_path: Path
) -> None:
    assert harness.run("--suite", str(suite), "--report", str(tmp_path)) == 0
    baseline = json.loads((tmp_path / "report.json").read_text())
    assert harness.run("--suite", str(suite), "--compare", str(tmp_path / "report.json")) == 0
    assert "mini: no regression against the baseline (tolerance 0.02)" in harness.out.getvalue()
    overall = baseline["suites"]["mini"]["overall"]
    overall["decision_coverage"] = 1.0  # measured: 1 case of 1 → inject a better past
    overall["clarity"] = 0.9  # measured: 0.7
    (tmp_path / "base.json").write_text(json.dumps(baseline))
    assert harness.run("--suite", str(suite), "--compare", str(tmp_path / "base.json")) == 1
    assert harness.err.getvalue().endswith(
        "error: regression beyond tolerance in mini clarity\n"
    )
    assert "clarity fell from 0.900 to 0.700" in harness.out.getvalue()


def test_compare_reads_a_directory_of_suite_baselines(
    harness: _Harness, suite: Path, tmp_path: Path
) -> None:
    assert harness.run("--suite", str(suite), "--save-baselines", str(tmp_path / "b")) == 0
    stored = json.loads((tmp_path / "b" / "mini.json").read_text())
    assert "cases" not in stored and stored["suite"] == "mini"
    assert harness.run("--suite", str(suite), "--compare", str(tmp_path / "b")) == 0
    assert "mini: no regression" in harness.out.getvalue()
    # "One", "Two", "Three" are no actions: every name is a fragment. Lower is better, so a
    # stored 0.5 makes today's 1.0 a regression.
    assert stored["overall"]["fragment_share"] == 1.0
    stored["overall"]["fragment_share"] = 0.5
    (tmp_path / "b" / "mini.json").write_text(json.dumps(stored))
    assert harness.run("--suite", str(suite), "--compare", str(tmp_path / "b")) == 1
    assert "fragment_share rose from 0.500 to 1.000" in harness.out.getvalue()
    (tmp_path / "b" / "mini.json").unlink()
    assert harness.run("--suite", str(suite), "--compare", str(tmp_path / "b")) == 0
    assert "no baseline for suite mini" in harness.out.getvalue()


def test_unknown_suite_is_a_one_line_error(harness: _Harness) -> None:
    with pytest.raises(
        NotFoundError,
        match=r"unknown eval suite 'nope'; choose one of: agents, blind, blind2, blind3, blind4, chat, full, holdout, integrations, narrative, short, smoke",
    ):
        harness.run("--suite", "nope")


def test_bad_options_are_input_errors(harness: _Harness, suite: Path) -> None:
    with pytest.raises(InputError, match=r"--tolerance 5\.0 is out of range"):
        harness.run("--suite", str(suite), "--tolerance", "5")
    with pytest.raises(NotFoundError, match="no eval case with id zz"):
        harness.run("--suite", str(suite), "--cases", "zz")
    with pytest.raises(InputError, match="cannot read baseline"):
        harness.run("--suite", str(suite), "--compare", "/nonexistent/base.json")
    assert harness.settings == []  # nothing was designed


def test_worfbench_file_is_scored(harness: _Harness, tmp_path: Path) -> None:
    from process_designer.knowledge.embedding import get_embedder

    harness.embedder = get_embedder()
    assert harness.run("--worfbench", str(SAMPLE), "--report", str(tmp_path)) == 0
    assert "mean f1_chain 0.933" in harness.out.getvalue()
    data = json.loads((tmp_path / "worfbench.json").read_text())
    assert [item["id"] for item in data["items"]] == ["chain_exact", "parallel_gold", "extra_step"]
    assert harness.settings == []  # every item carried its prediction: no designer needed


def test_main_turns_an_unknown_suite_into_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from process_designer.cli.main import main

    assert main(["eval", "--suite", "nope"]) == 1
    assert capsys.readouterr().err == (
        "process-designer: error: unknown eval suite 'nope'; choose one of: agents, blind, blind2, blind3, blind4, chat, full, holdout, integrations, narrative, short, smoke\n"
    )


def test_a_case_that_fails_to_design_fails_the_run_after_the_reports(
    designer_class: type, embedder_class: type, suite: Path, tmp_path: Path
) -> None:
    designer = designer_class({}, fail_on=["req a", "req b"])
    err = io.StringIO()
    code = execute(
        _args("--suite", str(suite), "--report", str(tmp_path)),
        designer_factory=lambda settings: designer,
        embedder=embedder_class(),
        out=io.StringIO(),
        err=err,
    )
    assert code == 1
    assert err.getvalue().endswith(
        "process-designer: error: 2 case(s) failed to design; first, mini/a: RuntimeError: engine exploded\n"
    )
    data = json.loads((tmp_path / "report.json").read_text())
    cases = data["suites"]["mini"]["cases"]
    assert [case["error"] for case in cases] == ["RuntimeError: engine exploded"] * 2
