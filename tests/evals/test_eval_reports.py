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
    checks = {c.target.metric: c.passed for c in check_targets(overall)}
    assert checks == {
        "step_f1": True,
        "order_f1": True,
        "decision_coverage": False,
        "constraint_coverage": True,
        "spy_check_clean": True,
        "spy_test_pass_rate": False,
        "reviewer_score_min": False,
    }


def test_reports_are_written_and_self_contained(
    designer: Any, embedder_class: type, tmp_path: Path
) -> None:
    run = run_cases(_cases(), designer, embedder_class(), suite="t")
    json_path, html_path = write_reports(run, tmp_path / "out")
    data = json.loads(json_path.read_text())
    assert [case["id"] for case in data["cases"]] == ["hr-1", "fin-1", "fin-2"]
    assert data["overall"]["cases"] == 3
    assert set(data["domains"]) == {"finance", "hr"}
    assert len(data["targets"]) == 7
    html = html_path.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<svg") == 8  # six distributions, two per-domain bar charts
    assert all(f'id="case-{case}"' in html for case in ("hr-1", "fin-1", "fin-2"))
    assert "<script" not in html and "http" not in html and "<link" not in html


def test_baseline_round_trip_and_regressions(
    designer: Any, embedder_class: type, tmp_path: Path
) -> None:
    run = run_cases(_cases(), designer, embedder_class())
    json_path, _ = write_reports(run, tmp_path)
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
