"""The smoke suite through the real designer (offline engine): SPy is clean and every metric is in range."""

from __future__ import annotations

from pathlib import Path

import pytest

from process_designer.config import load_settings
from process_designer.designer import Designer
from process_designer.evals.cases import load_suite
from process_designer.evals.runner import run_cases
from process_designer.evals.summary import aggregate
from process_designer.knowledge.embedding import get_embedder

_UNIT_FIELDS = [
    "step_precision",
    "step_recall",
    "step_f1",
    "order_precision",
    "order_recall",
    "order_f1",
    "decision_coverage",
    "constraint_coverage",
    "integration_coverage",
    "error_case_coverage",
    "final_coverage",
    "completeness",
    "clarity",
    "reviewer_score",
    "spy_test_pass_rate",
    "performer_accuracy",
    "fragment_share",
    "gateway_precision",
    "gateway_recall",
    "path_coverage",
]


@pytest.mark.slow
def test_smoke_suite_end_to_end(tmp_path: Path) -> None:
    cases = load_suite("smoke")
    designer = Designer(load_settings(dotenv=None).with_overrides(data_dir=tmp_path))
    try:
        run = run_cases(cases, designer, get_embedder(), suite="smoke")
    finally:
        designer.close()
    assert [r.id for r in run.results] == [c.id for c in cases]
    assert [r.error for r in run.results] == [None] * len(cases)
    overall = aggregate(run.results)
    assert overall["spy_check_clean"] == 1.0
    assert overall["spy_test_pass_rate"] == 1.0
    for result in run.results:
        for name in _UNIT_FIELDS:
            value = getattr(result, name)
            assert value is None or 0.0 <= value <= 1.0, (result.id, name, value)
        assert result.latency_s > 0.0
        assert result.revisions >= 0
        assert result.spy_check_clean is True
        assert result.predicted_steps, result.id
        assert result.steps_predicted == len(result.predicted_steps)
        assert result.paths_total >= 1, result.id  # every design has at least one way through
        assert result.performers_scored <= len(result.matches)
    assert sum(r.multi_turn for r in run.results) == 2
