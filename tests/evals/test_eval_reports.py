"""Runner, JSON/HTML reports, targets and the baseline comparison, with a scripted designer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from process_designer.errors import InputError
from process_designer.evals.cases import EvalCase
from process_designer.evals.report import load_baseline, write_reports
from process_designer.evals.runner import run_cases
from process_designer.evals.summary import aggregate, check_targets, find_regressions, per_domain


def _cases() -> list[EvalCase]:
    return [
        EvalCase.model_validate(
            {
                "id": "hr-1",
                "domain": "hr",
                "style": "short",
                "requirements": "onboard people",
                "gold_steps": [{"name": "Create accounts"}, {"name": "Assign buddy"}],
                "constraints": [["first day"]],
            }
        ),
        EvalCase.model_validate(
            {
                "id": "fin-1",
                "domain": "finance",
                "style": "messy",
                "requirements": "pay invoices pls",
                "gold_steps": [
                    {"name": "Receive invoice"},
                    {"name": "Match invoice"},
                    {"name": "Pay"},
                ],
                "decisions": [["$500"]],
            }
        ),
        EvalCase.model_validate(
            {
                "id": "fin-2",
                "domain": "finance",
                "style": "short",
                "turns": ["budget flow", "add CFO sign-off"],
                "gold_steps": [{"name": "Request budget"}, {"name": "CFO sign-off"}],
                "final_must_contain": [["cfo"]],
            }
        ),
    ]


@pytest.fixture
def designer(designer_class: type, document_factory: Any) -> Any:
    return designer_class(
        {
            "onboard people": document_factory(
                ["Create accounts", "Assign buddy"], actions={1: ["Ready on the first day"]}
            ),
            "pay invoices pls": document_factory(
                ["Receive invoice", "Pay"], tests_passed=1, tests_failed=1, score=0.8
            ),
            "add CFO sign-off": document_factory(["Request budget", "CFO sign-off"]),
        }
    )


def test_run_scores_every_case_and_reports_progress(designer: Any, embedder_class: type) -> None:
    ticks: list[tuple[int, int, str]] = []
    clock = iter([0.0, 1.5, 10.0, 12.0, 20.0, 20.5]).__next__
    run = run_cases(
        _cases(),
        designer,
        embedder_class(),
        suite="t",
        progress=lambda *a: ticks.append(a),
        clock=clock,
    )
    assert ticks == [(0, 3, "hr-1"), (1, 3, "fin-1"), (2, 3, "fin-2"), (3, 3, "")]
    assert [r.latency_s for r in run.results] == [1.5, 2.0, 0.5]
    hr, fin, conversation = run.results
    assert (hr.step_f1, hr.constraint_coverage) == (1.0, 1.0)
    assert fin.step_recall == pytest.approx(2 / 3)
    assert fin.decision_coverage == 0.0
    assert (conversation.multi_turn, conversation.final_coverage) == (True, 1.0)


def test_a_failing_design_is_recorded_not_raised(
    designer_class: type, embedder_class: type
) -> None:
    designer = designer_class({}, fail_on=["onboard people"])
    run = run_cases(_cases()[:1], designer, embedder_class())
    (result,) = run.results
    assert result.error == "RuntimeError: engine exploded"
    assert (result.step_f1, result.constraint_coverage, result.missing_steps) == (
        0.0,
        0.0,
        ["Create accounts", "Assign buddy"],
    )


def test_aggregates_and_targets(designer: Any, embedder_class: type) -> None:
    results = run_cases(_cases(), designer, embedder_class()).results
    overall = aggregate(results)
    assert overall["cases"] == 3
    assert overall["step_recall"] == pytest.approx((1 + 2 / 3 + 1) / 3)
    assert overall["decision_coverage"] == 0.0  # only fin-1 expects a decision
    assert overall["spy_test_pass_rate"] == pytest.approx((1 + 0.5 + 1) / 3)
    assert overall["reviewer_score_min"] == 0.8
    assert list(per_domain(results)) == ["finance", "hr"]
    checks = {c.target.metric: c.passed for c in check_targets(overall, "full")}
    assert checks == {
        "step_f1": True,
        "order_f1": True,
        "performer_accuracy": None,  # no gold step names a performer
        "decision_coverage": False,
        "constraint_coverage": True,
        "spy_check_clean": True,
        "spy_test_pass_rate": False,
        "reviewer_score_min": False,
    }
    # The reading targets are set on full and holdout; another suite is held to the rest.
    assert {c.target.metric for c in check_targets(overall, "narrative")} == {
        "decision_coverage",
        "constraint_coverage",
        "spy_check_clean",
        "spy_test_pass_rate",
        "reviewer_score_min",
    }


def test_reports_are_written_and_self_contained(
    designer: Any, embedder_class: type, tmp_path: Path
) -> None:
    run = run_cases(_cases(), designer, embedder_class(), suite="full")
    other = run_cases(_cases()[:1], designer, embedder_class(), suite="t")
    json_path, html_path = write_reports([run, other], tmp_path / "out")
    data = json.loads(json_path.read_text())
    assert data["report_version"] == 2 and list(data["suites"]) == ["full", "t"]
    suite = data["suites"]["full"]
    assert [case["id"] for case in suite["cases"]] == ["hr-1", "fin-1", "fin-2"]
    assert suite["overall"]["cases"] == 3
    assert set(suite["domains"]) == {"finance", "hr"}
    assert set(suite["styles"]) == {"messy", "short"}
    assert len(suite["targets"]) == 8 and len(data["suites"]["t"]["targets"]) == 5
    html = html_path.read_text()
    assert html.startswith("<!DOCTYPE html>")
    # Per suite: eight distributions and two per-domain bar charts.
    assert html.count("<svg") == 20
    assert 'href="#suite-full"' in html and 'id="suite-t"' in html
    assert all(f'id="case-{case}"' in html for case in ("hr-1", "fin-1", "fin-2"))
    assert "<script" not in html and "http" not in html and "<link" not in html


def test_baseline_round_trip_and_regressions(
    designer: Any, embedder_class: type, tmp_path: Path
) -> None:
    run = run_cases(_cases(), designer, embedder_class())
    json_path, _ = write_reports([run], tmp_path)
    baseline = load_baseline(json_path)
    assert baseline == pytest.approx(run.overall)
    assert find_regressions(run.overall, baseline, 0.02) == []
    better = dict(baseline, step_f1=(baseline["step_f1"] or 0) + 0.05, latency_s=0.0)
    (regression,) = find_regressions(run.overall, better, 0.02)
    assert regression.metric == "step_f1"  # latency is not gated
    assert find_regressions(run.overall, better, 0.06) == []


def test_bad_baselines_say_what_is_expected(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text("[1, 2]")
    with pytest.raises(InputError, match="has no 'overall' object"):
        load_baseline(path)
    path.write_text("{oops")
    with pytest.raises(InputError, match="is not JSON"):
        load_baseline(path)
    with pytest.raises(InputError, match="cannot read baseline"):
        load_baseline(tmp_path / "missing.json")


def test_suites_share_one_designer_and_never_design_the_same_request_twice(
    designer: Any, embedder_class: type
) -> None:
    from process_designer.evals.runner import run_suites

    calls: list[str] = []
    design, run_turn = designer.design, designer.run_turn

    def counted_design(requirements: str, **kwargs: Any) -> Any:
        calls.append(requirements)
        return design(requirements, **kwargs)

    def counted_turn(thread_id: str, content: str) -> Any:
        calls.append(f"{thread_id}: {content}")
        return run_turn(thread_id, content)

    designer.design, designer.run_turn = counted_design, counted_turn
    cases = _cases()
    runs = run_suites({"full": cases, "smoke": cases[1:]}, designer, embedder_class())
    assert [run.suite for run in runs] == ["full", "smoke"]
    assert [r.id for r in runs[1].results] == ["fin-1", "fin-2"]
    assert runs[1].results[0].step_f1 == runs[0].results[1].step_f1
    # The repeated cases were answered from the first suite's designs; threads carry the suite.
    assert calls == [
        "onboard people",
        "pay invoices pls",
        "eval-full-fin-2: budget flow",
        "eval-full-fin-2: add CFO sign-off",
    ]


def test_extension_figures_are_aggregated_by_their_metric(designer: Any, embedder_class: type) -> None:
    from process_designer.evals import summary
    from process_designer.evals.metrics import CASE_SCORERS

    CASE_SCORERS["process"] = lambda case, document: {"steps_seen": float(len(document.steps))}
    metric = summary.Metric("steps_seen", "steps seen", "figures.steps_seen", gated=False)
    original = summary.METRICS
    summary.METRICS = (*original, metric)
    try:
        results = run_cases(_cases(), designer, embedder_class()).results
        assert [r.figures for r in results] == [{"steps_seen": 2.0}, {"steps_seen": 2.0}, {"steps_seen": 2.0}]
        assert aggregate(results)["steps_seen"] == 2.0
    finally:
        summary.METRICS = original
        CASE_SCORERS.pop("process")
