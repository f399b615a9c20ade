"""Per-case metrics on hand-built documents, with exact expected numbers."""

from __future__ import annotations

from typing import Any

import pytest

from process_designer.evals.cases import EvalCase
from process_designer.evals.metrics import score_case, spy_check_clean, spy_test_pass_rate

GOLD = ["Receive claim", "Check policy", "Assess damage", "Pay claim"]


def _case(**extra: Any) -> EvalCase:
    data: dict[str, Any] = {
        "id": "ins-1",
        "domain": "insurance",
        "style": "short",
        "requirements": "handle car insurance claims",
        "gold_steps": [{"name": n} for n in GOLD],
    }
    data.update(extra)
    return EvalCase.model_validate(data)


def test_perfect_document_scores_one(embedder_class: type, document_factory: Any) -> None:
    result = score_case(_case(), document_factory(GOLD), embedder_class())
    assert (result.step_precision, result.step_recall, result.step_f1) == (1.0, 1.0, 1.0)
    assert (result.order_precision, result.order_recall, result.order_f1) == (1.0, 1.0, 1.0)
    assert result.missing_steps == []
    assert [m.gold for m in result.matches] == GOLD


def test_a_missing_step_lowers_recall_by_one_over_n(
    embedder_class: type, document_factory: Any
) -> None:
    doc = document_factory(["Receive claim", "Check policy", "Pay claim"])
    result = score_case(_case(), doc, embedder_class())
    assert result.step_precision == 1.0
    assert result.step_recall == pytest.approx(1 - 1 / 4)
    assert result.step_f1 == pytest.approx(2 * 0.75 / 1.75)
    assert result.missing_steps == ["Assess damage"]


def test_semantic_matches_count_through_the_embedder(
    embedder_class: type, document_factory: Any
) -> None:
    embedder = embedder_class({"assess": ["Assess damage", "Inspect the vehicle damage"]})
    doc = document_factory(
        ["Receive claim", "Check policy", "Inspect the vehicle damage", "Pay claim"]
    )
    result = score_case(_case(), doc, embedder)
    assert result.step_f1 == 1.0
    assert result.matches[2].predicted == "Inspect the vehicle damage"


def test_swapped_steps_lower_the_order_score(embedder_class: type, document_factory: Any) -> None:
    doc = document_factory(["Receive claim", "Assess damage", "Check policy", "Pay claim"])
    result = score_case(_case(), doc, embedder_class())
    assert result.step_f1 == 1.0
    assert result.order_f1 == pytest.approx(0.75)


def test_gold_parallel_steps_may_come_in_either_order(
    embedder_class: type, document_factory: Any
) -> None:
    case = _case(
        gold_steps=[
            {"name": "Receive claim"},
            {"name": "Check policy", "depends_on": [1]},
            {"name": "Assess damage", "depends_on": [1]},
            {"name": "Pay claim", "depends_on": [2, 3]},
        ]
    )
    doc = document_factory(["Receive claim", "Assess damage", "Check policy", "Pay claim"])
    assert score_case(case, doc, embedder_class()).order_f1 == 1.0


def test_coverages_read_the_whole_document(embedder_class: type, document_factory: Any) -> None:
    case = _case(
        decisions=[["$1,000", "adjuster"], ["fraud"]],
        constraints=[["48 hours"]],
        integrations=["guidewire", "docusign"],
        error_cases=[["policy lapsed"]],
    )
    doc = document_factory(
        GOLD,
        actions={3: ["Claims over $1000 go to a senior adjuster", "Reply within 48 hours"]},
        error_handling=["Policy lapsed: reject the claim and notify the customer"],
        integrations=["guidewire"],
    )
    result = score_case(case, doc, embedder_class())
    assert result.decision_coverage == 0.5
    assert result.constraint_coverage == 1.0
    assert result.integration_coverage == 0.5
    assert result.error_case_coverage == 1.0
    assert result.missed == {"decisions": ["fraud"], "integrations": ["docusign"]}


def test_empty_expectations_are_not_measured(embedder_class: type, document_factory: Any) -> None:
    result = score_case(_case(), document_factory(GOLD), embedder_class())
    assert result.decision_coverage is None
    assert result.integration_coverage is None
    assert result.final_coverage is None


def test_quality_and_spy_figures_come_from_the_document(
    embedder_class: type, document_factory: Any
) -> None:
    doc = document_factory(GOLD, tests_passed=3, tests_failed=1, score=0.91, revisions=2)
    result = score_case(_case(), doc, embedder_class(), latency_s=1.25)
    assert (result.reviewer_score, result.completeness, result.clarity) == (0.91, 0.8, 0.7)
    assert (result.revisions, result.latency_s) == (2, 1.25)
    assert result.spy_test_pass_rate == 0.75
    assert result.spy_check_clean is True


def test_check_clean_ignores_warnings_but_not_errors(document_factory: Any) -> None:
    assert spy_check_clean(document_factory(GOLD, diagnostics=["p.spy:3:5: W203 unused local x"]))
    assert not spy_check_clean(
        document_factory(GOLD, diagnostics=["p.spy:1:1: E101 unknown name y"])
    )


def test_no_tests_run_is_not_a_pass(document_factory: Any) -> None:
    assert spy_test_pass_rate(document_factory(GOLD, tests_passed=0, tests_failed=0)) == 0.0
    assert spy_test_pass_rate(document_factory(GOLD, tests_passed=4, tests_failed=0)) == 1.0


def _conversation(**extra: Any) -> EvalCase:
    return _case(
        requirements="",
        turns=[
            "refund flow: receive request, approve up to $500, issue refund",
            "add a fraud check before the refund",
        ],
        gold_steps=[{"name": "Receive request"}, {"name": "Fraud check"}, {"name": "Issue refund"}],
        **extra,
    )


def test_multi_turn_order_expectation(embedder_class: type, document_factory: Any) -> None:
    case = _conversation(final_order=[["fraud check", "refund"]])
    good = document_factory(["Receive request", "Fraud check", "Issue refund"])
    bad = document_factory(["Receive request", "Issue refund", "Fraud check"])
    assert score_case(case, good, embedder_class()).final_coverage == 1.0
    result = score_case(case, bad, embedder_class())
    assert result.final_coverage == 0.0
    assert result.missed["final"] == ["fraud check before refund"]


def test_multi_turn_must_and_must_not_contain(embedder_class: type, document_factory: Any) -> None:
    case = _conversation(final_must_contain=[["$1000"]], final_must_not_contain=[["$500"]])
    updated = document_factory(["Receive request"], actions={1: ["Approve refunds up to $1,000"]})
    stale = document_factory(["Receive request"], actions={1: ["Approve refunds up to $500"]})
    assert score_case(case, updated, embedder_class()).final_coverage == 1.0
    result = score_case(case, stale, embedder_class())
    assert result.final_coverage == 0.0
    assert result.missed["final"] == ["$1000", "not $500"]
