"""The process model as a graph: structure checks, predecessors, runs, paths and the data that drives them."""

from __future__ import annotations

import pytest

from process_designer.domain.flow import (
    FlowBuilder,
    FlowRunError,
    ProcessFlow,
    Rule,
    insert_after,
    renumber,
    sequential,
    without_node,
)
from process_designer.domain.flow import FlowNode as Node


def approval_flow() -> ProcessFlow:
    """1 submit → amount > 10000 ? 2 CFO : 3 team lead → split(4 order, 5 reserve) → join → 6 close."""
    b = FlowBuilder()
    b.connect("start", b.task(1, "Submit request", "Employee"))
    gate = b.exclusive("Amount over 10,000?")
    b.connect("step_1", gate)
    b.connect(gate, b.task(2, "Approve request", "CFO"), condition="amount over 10,000",
              rules=[Rule(subject="amount", operator=">", value=10000)])
    b.connect(gate, b.task(3, "Approve request", "Team Lead"), default=True)
    split, join = b.parallel(), b.parallel()
    b.connect("step_2", split)
    b.connect("step_3", split)
    b.connect(split, b.task(4, "Order from vendor", "Procurement"))
    b.connect(split, b.task(5, "Reserve budget", "Finance"))
    b.connect("step_4", join)
    b.connect("step_5", join)
    b.connect(join, b.task(6, "Close request", "Procurement"))
    b.connect("step_6", b.end())
    return b.build()


def loop_flow() -> ProcessFlow:
    """1 recommend → 2 check → status == "Not OK" ? back to 1 : 3 pay."""
    b = FlowBuilder()
    b.connect("start", b.task(1, "Recommend settlement", "Claims Officer"))
    b.connect("step_1", b.task(2, "Check recommendation", "Senior Claims Officer"))
    gate = b.exclusive("Recommendation OK?")
    b.connect("step_2", gate)
    b.connect(gate, "step_1", condition="marked Not OK", rules=[Rule(subject="status", value="Not OK")])
    b.connect(gate, b.task(3, "Pay claim", "Finance"), default=True)
    b.connect("step_3", b.end())
    return b.build()


def test_well_formed_flows_have_no_problems() -> None:
    assert approval_flow().problems() == []
    assert loop_flow().problems() == []


def test_json_uses_from_and_to() -> None:
    data = approval_flow().model_dump(mode="json")
    assert data["edges"][0] == {"from": "start", "to": "step_1", "condition": None, "default": False, "rules": []}
    assert ProcessFlow.model_validate(data) == approval_flow()


def test_step_predecessors_look_through_gateways() -> None:
    preds = approval_flow().step_predecessors()
    assert preds == {1: [], 2: [1], 3: [1], 4: [2, 3], 5: [2, 3], 6: [4, 5]}


def test_loops_are_back_edges_and_ignored_by_predecessors() -> None:
    flow = loop_flow()
    assert flow.back_edges() == {("decision_1", "step_1")}
    assert flow.step_predecessors() == {1: [], 2: [1], 3: [2]}
    assert flow.step_order() == [1, 2, 3]


def test_simulate_routes_on_the_case() -> None:
    flow = approval_flow()
    assert flow.simulate({"amount": 1200}).visited == [1, 3, 4, 5, 6]
    assert flow.simulate({"amount": 12000}).visited == [1, 2, 4, 5, 6]
    assert flow.simulate({"amount": 10000}).visited == [1, 3, 4, 5, 6]  # the boundary is not "over"


def test_simulate_needs_the_field_a_decision_reads() -> None:
    with pytest.raises(FlowRunError, match="needs the case field 'amount'"):
        approval_flow().simulate({})


def test_a_field_may_hold_one_value_per_pass_of_a_loop() -> None:
    run = loop_flow().simulate({"status": ["Not OK", "OK"]})
    assert run.visited == [1, 2, 1, 2, 3]
    assert run.loops == 1


def test_a_loop_that_never_exits_is_stopped() -> None:
    with pytest.raises(FlowRunError, match="reached 6 times"):
        loop_flow().simulate({"status": "Not OK"})


def test_paths_cover_every_branch_and_each_loop_once_or_not_at_all() -> None:
    visited = [run.visited for run in approval_flow().paths()]
    assert visited == [[1, 2, 4, 5, 6], [1, 3, 4, 5, 6]]
    loop_paths = [run.visited for run in loop_flow().paths()]
    assert loop_paths == [[1, 2, 1, 2, 3], [1, 2, 3]]


def test_case_for_reproduces_each_path() -> None:
    for flow in (approval_flow(), loop_flow()):
        for run in flow.paths():
            case = flow.case_for(run)
            assert case is not None
            assert flow.simulate(case).visited == run.visited


def test_case_for_loop_gives_one_value_per_pass() -> None:
    flow = loop_flow()
    looped = flow.paths()[0]
    assert flow.case_for(looped) == {"status": ["Not OK", "not Not OK"]}


def test_tiers_are_exhaustive_without_a_default() -> None:
    b = FlowBuilder()
    b.connect("start", b.task(1, "Submit requisition", "Requester"))
    gate = b.exclusive("Amount tier")
    b.connect("step_1", gate)
    tiers = [
        [Rule(subject="amount", operator="<=", value=2500)],
        [Rule(subject="amount", operator=">", value=2500), Rule(subject="amount", operator="<=", value=25000)],
        [Rule(subject="amount", operator=">", value=25000)],
    ]
    end = b.end()
    for number, rules in enumerate(tiers, start=2):
        b.connect(gate, b.task(number, f"Approve tier {number}", None), condition=f"tier {number}", rules=rules)
        b.connect(f"step_{number}", end)
    flow = b.build()
    assert flow.problems() == []
    assert [flow.simulate({"amount": a}).visited for a in (2500, 2501, 25000, 25001)] == [
        [1, 2], [1, 3], [1, 3], [1, 4]]


def test_problems_name_missing_branches_dead_ends_and_endless_loops() -> None:
    b = FlowBuilder()
    b.connect("start", b.task(1, "Check claim", None))
    gate = b.exclusive("Claim valid?")
    b.connect("step_1", gate)
    b.connect(gate, b.task(2, "Pay claim", None), condition="valid", rules=[Rule(subject="valid", value=True)])
    b.connect(gate, b.task(3, "Investigate", None), condition="suspicious",
              rules=[Rule(subject="suspicious", value=True)])
    b.connect("step_2", b.end())
    b.task(4, "Archive", None)
    b.connect("step_3", "step_3_loop") if False else b.connect("step_3", "step_1")
    codes = {(p.code, p.node) for p in b.build().problems()}
    assert ("gateway_default", "decision_1") in codes
    assert ("unreachable", "step_4") in codes

    endless = sequential([(1, "Ask", None), (2, "Answer", None)])
    endless = ProcessFlow(nodes=endless.nodes,
                          edges=[e for e in endless.edges if e.target != "end"]
                          + [endless.edges[0].model_copy(update={"source": "step_2", "target": "step_1"})])
    codes = {p.code for p in endless.problems()}
    assert "loop_without_exit" in codes
    with pytest.raises(FlowRunError, match="does not end"):
        endless.simulate({})


def test_a_task_with_two_exits_needs_a_gateway() -> None:
    flow = sequential([(1, "A", None), (2, "B", None)])
    flow.edges.append(flow.edges[1].model_copy(update={"target": "end"}))
    assert [p.code for p in flow.problems()] == ["task_fan_out"]


def test_edits_keep_the_graph_whole() -> None:
    flow = approval_flow()
    removed = without_node(flow, "step_6")
    assert removed.problems() == []
    assert removed.step_predecessors()[5] == [2, 3]
    added = insert_after(flow, "step_1", Node(id="step_7", kind="task", label="Fraud check", step=7))
    assert added.problems() == []
    assert added.step_predecessors()[2] == [7]
    moved = renumber(added, {7: 2, 2: 3, 3: 4, 4: 5, 5: 6, 6: 7})
    assert moved.problems() == []
    assert moved.step_order() == [1, 2, 3, 4, 5, 6, 7]


def test_from_dependencies_adds_splits_and_joins() -> None:
    from process_designer.domain.flow import from_dependencies

    flow = from_dependencies([(1, "Record resignation", "Manager", []), (2, "Revoke access", "IT", [1]),
                              (3, "Collect equipment", "Facilities", [1]), (4, "Archive file", "HR", [2, 3])])
    assert flow.problems() == []
    assert flow.step_predecessors() == {1: [], 2: [1], 3: [1], 4: [2, 3]}
    assert [n.kind for n in flow.nodes].count("parallel") == 2
    assert flow.simulate({}).visited == [1, 2, 3, 4]
    assert from_dependencies([(1, "A", None, []), (2, "B", None, [])]).step_predecessors() == {1: [], 2: [1]}
