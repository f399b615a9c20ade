"""Performer accuracy, fragment share, gateway precision/recall, path-test coverage and the reviewer's
correlation with step F1, each on small hand-built documents with exact expected figures."""

from __future__ import annotations

from typing import Any

import pytest

from process_designer.domain.flow import FlowBuilder, ProcessFlow, Rule
from process_designer.domain.models import ProcessDocument, SpyArtifacts
from process_designer.evals.cases import EvalCase
from process_designer.evals.gateways import predicted_gateways, score_gateways
from process_designer.evals.metrics import CaseResult, score_case
from process_designer.evals.paths import path_coverage
from process_designer.evals.performers import normalise_role, performer_correct
from process_designer.evals.summary import aggregate
from process_designer.wording.fragments import check_names, fragment_reason


def _case(steps: list[dict[str, Any]], gateways: list[dict[str, Any]] | None = None) -> EvalCase:
    return EvalCase.model_validate(
        {
            "id": "c",
            "domain": "insurance",
            "style": "passive",
            "requirements": "x",
            "gold_steps": steps,
            "gateways": gateways or [],
        }
    )


def _with(document: ProcessDocument, **updates: Any) -> ProcessDocument:
    return document.model_copy(update=updates)


# ---------------------------------------------------------------- performers


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("The Claims Officers", "claim officer"),
        ("claims officer (assumed)", "claim officer"),
        ("Finance Team", "finance"),
        ("Owner's Representative", "owner representative"),
        ("Tier-1 Agent", "tier 1 agent"),
        ("Legal & Compliance", "legal and compliance"),
        ("Team", "team"),
    ],
)
def test_roles_are_normalised(name: str, normal: str) -> None:
    assert normalise_role(name) == normal


def test_a_performer_is_right_only_when_named_and_not_assumed() -> None:
    gold = ["Claims Officer", "CO"]
    assert performer_correct("Claims officers", "stated", gold)
    assert performer_correct("CO", "template", gold)
    assert not performer_correct("Senior Claims Officer", "stated", gold)
    assert not performer_correct("Claims Officer", "assumed", gold)
    assert not performer_correct("Claims Officer (assumed)", "stated", gold)
    assert not performer_correct("", "stated", gold)


def test_performer_accuracy_counts_matched_steps_whose_gold_names_someone(
    embedder_class: type, document_factory: Any
) -> None:
    case = _case(
        [
            {"name": "Register claim", "performer": "Intake Team"},
            {"name": "Examine claim", "performer": ["Claims Officer", "CO"]},
            {"name": "Check recommendation", "performer": "Senior Claims Officer"},
            {"name": "Pay claim"},  # the text names nobody: not scored
        ]
    )
    document = document_factory(["Register claim", "Examine claim", "Check recommendation", "Pay claim"])
    steps = document.steps
    steps[0] = steps[0].model_copy(update={"responsible": "Intake"})
    steps[1] = steps[1].model_copy(update={"responsible": "CO"})
    steps[2] = steps[2].model_copy(
        update={"responsible": "Senior Claims Officer", "performer_source": "assumed"}
    )
    result = score_case(case, _with(document, steps=steps), embedder_class())
    assert (result.performers_scored, result.performers_right) == (3, 2)
    assert result.performer_accuracy == pytest.approx(2 / 3)
    assert result.missed["performers"] == [
        "Check recommendation: Senior Claims Officer (assumed) ≠ Senior Claims Officer"
    ]
    # An unmatched gold step is not scored: only what step matching pairs is judged.
    short = score_case(case, document_factory(["Register claim"]), embedder_class())
    assert (short.performers_scored, short.performers_right) == (1, 0)


# ---------------------------------------------------------------- fragments


@pytest.mark.parametrize(
    "name",
    [
        "Examine claim",
        "Order laptop",
        "Issue refund",
        "Screen resumes",
        "Set up webinar",
        "Hand over to carrier",
        "Sign off PIR",
        "Re-triage waiting patients",
        "Sync new customers",
        "Escalate to secondary",
        "Page on-call engineer",
    ],
)
def test_actions_on_objects_are_not_fragments(name: str) -> None:
    assert fragment_reason(name, "On-call Engineer") is None


@pytest.mark.parametrize(
    ("name", "performer", "reason"),
    [
        ("GO examines application", "", "verb"),
        ("Thus in addition", "", "verb"),
        ("Immediately", "", "verb"),
        ("Day otherwise", "", "verb"),
        ("Both CFO", "", "verb"),
        ("Bit of mess", "", "verb"),
        ("Manager approval", "", "verb"),
        ("Claims officer checks claim", "", "verb"),
        ("Approved", "", "verb"),
        ("Follow-up call", "", "verb"),
        ("Approve", "", "object"),
        ("Ensure that", "", "object"),
        ("Truck", "", "object"),
        ("Receive sometimes driver", "", "adverb"),
        ("Confirm the by senior claims officer against the policy", "", "dangling"),
        ("Claim officer", "Claims Officer", "actor"),
        ("Examine claim by senior claims officer", "Senior Claims Officer", "actor"),
    ],
)
def test_fragments_are_caught_with_their_reason(name: str, performer: str, reason: str) -> None:
    assert fragment_reason(name, performer) == reason


def test_fragment_share_is_pooled_over_the_names(embedder_class: type, document_factory: Any) -> None:
    checks = check_names(["Examine claim", "Immediately", "Both CFO"])
    assert [c.fragment for c in checks] == [False, True, True]
    results = [
        score_case(_case([{"name": "a"}]), document_factory(names), embedder_class())
        for names in (["Examine claim", "Immediately", "Both CFO"], ["Pay invoice"])
    ]
    assert [r.fragment_steps for r in results] == [2, 0]
    assert results[0].missed["fragments"] == ["Immediately (verb)", "Both CFO (verb)"]
    assert aggregate(results)["fragment_share"] == pytest.approx(2 / 4)  # not the mean 1/3


# ---------------------------------------------------------------- gateways


def _decision_flow(*, otherwise_to: str = "step_3", kind: str = "exclusive") -> ProcessFlow:
    """start → 1 → gateway → (2 | otherwise_to) → 3 → end, with step 2 joining at 3."""
    b = FlowBuilder()
    for number, label in enumerate(["Submit request", "CFO approval", "Order goods"], start=1):
        b.task(number, label)
    gate = b.exclusive("amount over 10000") if kind == "exclusive" else b.parallel()
    end = b.end()
    b.connect("start", "step_1")
    b.connect("step_1", gate)
    if kind == "exclusive":
        b.connect(gate, "step_2", condition="amount > 10000", rules=[Rule(subject="amount", operator=">", value=10000)])
        b.connect(gate, otherwise_to, default=True)
    else:
        b.connect(gate, "step_2")
        b.connect(gate, otherwise_to)
    b.connect("step_2", "step_3")
    b.connect("step_3", end)
    return b.build()


def _gateway_case(**gateway: Any) -> EvalCase:
    spec = {"kind": "exclusive", "after": 1, "branches": [2, 3], **gateway}
    return _case(
        [{"name": "Submit request"}, {"name": "CFO approval"}, {"name": "Order goods", "depends_on": [1]}],
        [spec],
    )


@pytest.fixture
def decision_document(document_factory: Any) -> ProcessDocument:
    document: ProcessDocument = document_factory(["Submit request", "CFO approval", "Order goods"])
    return _with(document, flow=_decision_flow())


def test_a_decision_with_the_gold_branches_matches(decision_document: ProcessDocument) -> None:
    identity = {0: 0, 1: 1, 2: 2}
    score = score_gateways(decision_document, _gateway_case().gateways, identity)
    assert (score.gold, score.predicted, score.matched) == (1, 1, 1)
    assert (score.precision, score.recall) == (1.0, 1.0)


@pytest.mark.parametrize(
    ("gateway", "matched"),
    [
        ({"kind": "parallel"}, 0),  # the kind must agree
        ({"after": 2, "branches": [3, "end"]}, 0),  # another place, other branches
        ({"branches": [2, "end"]}, 0),  # "otherwise" goes on to step 3, not to the end
        ({"after": 0}, 0),  # not at the start
        ({"branches": [2, 3]}, 1),
    ],
)
def test_gateway_matching_needs_kind_place_and_branches(
    decision_document: ProcessDocument, gateway: dict[str, Any], matched: int
) -> None:
    score = score_gateways(decision_document, _gateway_case(**gateway).gateways, {0: 0, 1: 1, 2: 2})
    assert score.matched == matched


def test_branches_are_read_through_the_step_matching(document_factory: Any) -> None:
    # The predicted "otherwise" goes through an unmatched step (3) before the matched one (4).
    b = FlowBuilder()
    for number, label in enumerate(["Submit", "CFO approval", "Auto-approve", "Order"], start=1):
        b.task(number, label)
    gate, end = b.exclusive("amount"), b.end()
    b.connect("start", "step_1")
    b.connect("step_1", gate)
    b.connect(gate, "step_2", condition="big")
    b.connect(gate, "step_3", default=True)
    b.connect("step_2", "step_4")
    b.connect("step_3", "step_4")
    b.connect("step_4", end)
    document = _with(document_factory(["Submit", "CFO approval", "Auto-approve", "Order"]), flow=b.build())
    (gateway,) = predicted_gateways(document.flow, {1: 0, 2: 1, 4: 2})
    assert gateway.anchors == frozenset({0})
    assert gateway.branches == (frozenset({1}), frozenset({2}))
    # Unmatched, the gold anchor is waived (a missed step is not counted twice) …
    assert score_gateways(document, _gateway_case().gateways, {1: 1, 3: 2}).matched == 1
    # … but a missed branch step cannot be reached, so the gateway is not found.
    assert score_gateways(document, _gateway_case().gateways, {0: 0, 3: 2}).matched == 0


def test_an_end_branch_and_a_loop_back_are_recognised(document_factory: Any) -> None:
    b = FlowBuilder()
    for number, label in enumerate(["Write recommendation", "Check recommendation", "Pay"], start=1):
        b.task(number, label)
    ok, end = b.exclusive("marked OK"), b.end()
    b.connect("start", "step_1")
    b.connect("step_1", "step_2")
    b.connect("step_2", ok)
    b.connect(ok, "step_3", condition="OK")
    b.connect(ok, "step_1", default=True)  # sent back: the recommendation is repeated
    b.connect("step_3", end)
    document = _with(document_factory(["Write recommendation", "Check recommendation", "Pay"]), flow=b.build())
    case = _case(
        [{"name": "Write recommendation"}, {"name": "Check recommendation"}, {"name": "Pay"}],
        [{"kind": "exclusive", "after": 2, "branches": [1, 3], "loop": True}],
    )
    assert score_gateways(document, case.gateways, {0: 0, 1: 1, 2: 2}).matched == 1
    ended = _case(case.model_dump()["gold_steps"], [{"kind": "exclusive", "after": 2, "branches": [3, "end"]}])
    assert score_gateways(document, ended.gateways, {0: 0, 1: 1, 2: 2}).matched == 0


def test_an_invented_branch_spoils_the_match(document_factory: Any) -> None:
    b = FlowBuilder()
    for number, label in enumerate(["Submit", "CFO approval", "Order", "Approve automatically"], start=1):
        b.task(number, label)
    gate, end = b.exclusive("amount"), b.end()
    b.connect("start", "step_1")
    b.connect("step_1", gate)
    b.connect(gate, "step_2", condition="big")
    b.connect(gate, "step_3", condition="small")
    b.connect(gate, "step_4", default=True)  # goes to an end the text never mentions
    b.connect("step_2", "step_3")
    b.connect("step_3", end)
    b.connect("step_4", end)
    document = _with(document_factory(["Submit", "CFO approval", "Order", "Approve automatically"]), flow=b.build())
    score = score_gateways(document, _gateway_case().gateways, {0: 0, 1: 1, 2: 2})
    assert (score.predicted, score.matched) == (1, 0)


def test_a_document_without_a_flow_is_read_from_depends_on(
    embedder_class: type, document_factory: Any
) -> None:
    gold = [
        {"name": "Sign order"},
        {"name": "Prepare medication"},
        {"name": "Teach patient", "depends_on": [1]},
    ]
    case = _case(gold, [{"kind": "parallel", "after": 1, "branches": [2, 3]}])
    sequential = document_factory(["Sign order", "Prepare medication", "Teach patient"])
    parallel = document_factory(
        ["Sign order", "Prepare medication", "Teach patient"], depends_on={2: [1], 3: [1]}
    )
    first = score_case(case, sequential, embedder_class())
    second = score_case(case, parallel, embedder_class())
    assert (first.gateways_predicted, first.gateways_matched, first.gateway_recall) == (0, 0, 0.0)
    assert first.gateway_precision is None
    assert first.missed["gateways"] == ["parallel after 1 → 2, 3"]
    # A split and a join are drawn from depends_on; only the split is a gateway.
    assert (second.gateways_predicted, second.gateways_matched) == (1, 1)
    assert aggregate([first, second])["gateway_recall"] == pytest.approx(1 / 2)
    assert aggregate([first, second])["gateway_precision"] == pytest.approx(1 / 1)


# ---------------------------------------------------------------- path tests

_PROGRAM = """
define ProcessRunner {
  run(case) {
    return {status: "completed", visited: [1]}
  }
}
"""

_TESTS = """
define ProcessRunnerTest {
  test_path_1_big_amount() {
    assert ProcessRunner.run({}).status == "completed", "runs"
  }

  test_path_2_small_amount() {
    assert ProcessRunner.run({}).visited == [1, 3], "skips the CFO"
  }

  test_path_9_not_a_path() {
    assert true, "numbered past the paths"
  }

  test_path_1_again() {
    assert true, "the same path twice counts once"
  }
}

define OtherTest {
  test_path_2_elsewhere() {
    assert true, "not in ProcessRunnerTest"
  }
}
"""


def test_path_coverage_counts_passing_path_tests_of_the_runner(decision_document: ProcessDocument) -> None:
    assert len(decision_document.flow.paths()) == 2
    document = _with(decision_document, spy=SpyArtifacts(program=_PROGRAM, tests=_TESTS))
    coverage = path_coverage(document)
    assert (coverage.paths, coverage.tested, coverage.share) == (2, 1, 0.5)
    passing = _TESTS.replace('visited == [1, 3], "skips', 'visited == [1], "skips')
    assert path_coverage(_with(document, spy=SpyArtifacts(program=_PROGRAM, tests=passing))).share == 1.0


def test_code_that_does_not_parse_proves_no_path(decision_document: ProcessDocument) -> None:
    broken = _with(decision_document, spy=SpyArtifacts(program="define {", tests=_TESTS))
    assert path_coverage(broken).tested == 0
    untested = _with(decision_document, spy=SpyArtifacts(program=_PROGRAM, tests=""))
    assert (path_coverage(untested).paths, path_coverage(untested).share) == (2, 0.0)


# ---------------------------------------------------------------- correlation


def _result(score: float, f1: float) -> CaseResult:
    return CaseResult(id="x", domain="d", style="short", reviewer_score=score, step_f1=f1)


def test_reviewer_correlation_with_step_f1_is_spearman() -> None:
    agreeing = [_result(0.5, 0.1), _result(0.7, 0.4), _result(0.9, 0.8)]
    assert aggregate(agreeing)["reviewer_f1_spearman"] == pytest.approx(1.0)
    reversed_ = [_result(0.9, 0.1), _result(0.7, 0.4), _result(0.5, 0.8)]
    assert aggregate(reversed_)["reviewer_f1_spearman"] == pytest.approx(-1.0)
    # Ranks, not values: 0.1 → 0.95 and 0.4 → 0.96 are as ordered as any other increase.
    ranked = [_result(0.95, 0.1), _result(0.96, 0.4), _result(0.99, 0.8), _result(0.2, 0.0)]
    assert aggregate(ranked)["reviewer_f1_spearman"] == pytest.approx(1.0)
    # The same score on every case says nothing about F1: undefined, not 0.
    flat = [_result(0.99, 0.1), _result(0.99, 0.4), _result(0.99, 0.8)]
    assert aggregate(flat)["reviewer_f1_spearman"] is None
    assert aggregate(agreeing[:2])["reviewer_f1_spearman"] is None
