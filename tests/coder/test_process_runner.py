"""The generated SPy program follows the process graph: real SPy runs of ``ProcessRunner.run`` and its tests."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from process_designer import spy
from process_designer.agents.coder import compile_document
from process_designer.agents.coder.offline import validate_spy
from process_designer.domain.flow import FlowBuilder, FlowRunError, Rule
from process_designer.domain.models import Decision, Overview, ProcessDocument, Step
from tests.graph_documents import claim, purchase


def run(document: ProcessDocument, case: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = spy.call(document.spy.program, "ProcessRunner.run", [case])
    return result


def runner_error(document: ProcessDocument, case: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(spy.SpyRuntimeError) as raised:
        run(document, case)
    return raised.value.error


def test_the_program_checks_clean_and_every_generated_test_passes() -> None:
    for document in (purchase(), claim()):
        compiled = compile_document(document)
        assert compiled.spy.diagnostics == []
        assert compiled.spy.tests_failed == 0 and compiled.spy.tests_passed > 0


def test_one_test_per_path_in_paths_order_plus_boundary_and_missing_data() -> None:
    compiled = compile_document(purchase())
    runner_tests = compiled.spy.tests[compiled.spy.tests.index("define ProcessRunnerTest"):]
    assert re.findall(r"^  (test_\w+)\(\)", runner_tests, re.MULTILINE) == [
        "test_path_1_amount_over_10_000_then_approved",
        "test_path_2_not_amount_over_10_000_then_approved",
        "test_path_3_amount_over_10_000_then_not_approved",
        "test_path_4_not_amount_over_10_000_then_not_approved",
        "test_boundary_amount_at_10000",
        "test_missing_amount_is_refused",
        "test_missing_approved_is_refused",
        "test_stops_on_invalid_input",
    ]
    assert [run.visited for run in compiled.flow.paths()] == [[1, 2, 5, 6, 7], [1, 3, 5, 6, 7], [1, 2, 4], [1, 3, 4]]
    # Each path test states the steps that run, those that must not (an amount of 10,000 never reaches the CFO,
    # a rejected request is never ordered) and the end, in the process's words.
    assert ("  test_path_2_not_amount_over_10_000_then_approved() {\n"
            '    outcome = ProcessRunner.run({case_id: "CASE-1001", amount: 10000, approved: true})\n'
            '    assert_path(outcome, [1, 3, 5, 6, 7], [2, 4], "End", "not amount over 10,000 and approved")\n'
            "  }\n") in runner_tests
    assert ('assert_path(outcome, [1, 2, 4], [3, 5, 6, 7], "Request rejected", "amount over 10,000 and not '
            'approved")') in runner_tests
    assert '"2": "step 2 (Approve as CFO, CFO)"' in runner_tests
    assert 'assert not (step in outcome.visited), STEPS[str(step)] + " must not run when " + why' in runner_tests


def test_every_path_is_proved_by_a_passing_test() -> None:
    for document in (purchase(), claim()):
        compiled = compile_document(document)
        report = spy.run_tests(compiled.spy.program + "\n" + compiled.spy.tests)
        proved = {int(m.group(1)) for case in report.cases
                  if case.passed and case.suite == "ProcessRunnerTest" and (m := re.match(r"test_path_(\d+)_", case.name))}
        assert proved == set(range(1, len(document.flow.paths()) + 1))


def test_the_runner_routes_each_case_on_its_data() -> None:
    compiled = compile_document(purchase())
    small = run(compiled, {"case_id": "C-1", "amount": 1200, "approved": True})
    assert small["visited"] == [1, 3, 5, 6, 7]  # an amount of 1,200 never reaches the CFO
    assert (small["status"], small["end"]) == ("completed", "End")
    assert [r["step"] for r in small["results"]] == [1, 3, 5, 6, 7]
    assert small["results"][1]["performed_by"] == "Team Lead"
    refused = run(compiled, {"case_id": "C-2", "amount": 12000, "approved": False})
    assert refused["visited"] == [1, 2, 4]  # a rejected request is never ordered
    assert refused["end"] == "Request rejected"
    assert run(compiled, {"case_id": "C-3", "amount": 10000, "approved": True})["visited"] == [1, 3, 5, 6, 7]


def test_missing_decision_data_is_a_validation_error_naming_the_field() -> None:
    compiled = compile_document(purchase())
    error = runner_error(compiled, {"case_id": "C-1", "approved": True})
    assert error["type"] == "validation"
    assert error["message"] == "Step 1 (Submit purchase request) needs the case field amount"
    error = runner_error(compiled, {"case_id": "C-1", "amount": 500})
    assert (error["type"], error["message"]) == ("validation", "Step 3 (Approve as team lead) needs the case field approved")


def test_a_loop_reads_one_value_per_pass_and_is_bounded() -> None:
    compiled = compile_document(claim())
    again = run(compiled, {"case_id": "C-1", "claim_status": ["Not OK", "Not OK", "OK"]})
    assert again["visited"] == [1, 2, 3, 2, 3, 2, 3, 4]
    error = runner_error(compiled, {"case_id": "C-1", "claim_status": "Not OK"})
    assert error == {"type": "loop_limit", "message": "the decision 'Recommendation OK?' was reached 6 times; the "
                                                      "loop does not end", "line": error["line"]}
    names = re.findall(r"^  (test_\w+)\(\)", compiled.spy.tests, re.MULTILINE)
    assert [n for n in names if n.startswith(("test_path", "test_loop"))] == [
        "test_path_1_marked_not_ok_then_not_marked_not_ok", "test_path_2_not_marked_not_ok",
        "test_loop_1_stops_at_the_limit"]


def test_path_tests_catch_a_runner_that_routes_wrongly() -> None:
    compiled = compile_document(purchase())
    at_threshold = compiled.spy.program.replace("amount > 10000", "amount >= 10000")
    assert at_threshold != compiled.spy.program
    report = validate_spy(at_threshold, compiled.spy.tests, ["email", "erp"])
    assert sorted(line.split(" failed:")[0] for line in report.diagnostics) == [
        "test ProcessRunnerTest.test_boundary_amount_at_10000",
        "test ProcessRunnerTest.test_path_2_not_amount_over_10_000_then_approved",
        "test ProcessRunnerTest.test_path_4_not_amount_over_10_000_then_not_approved"]
    no_wait = compiled.spy.program.replace('joined(state, "parallel_2", 2)', 'joined(state, "parallel_2", 1)')
    assert no_wait != compiled.spy.program
    report = validate_spy(no_wait, compiled.spy.tests, ["email", "erp"])
    assert sorted(line.split(" failed:")[0] for line in report.diagnostics) == [
        "test ProcessRunnerTest.test_boundary_amount_at_10000",
        "test ProcessRunnerTest.test_path_1_amount_over_10_000_then_approved",
        "test ProcessRunnerTest.test_path_2_not_amount_over_10_000_then_approved"]


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-5, 20_005), st.sampled_from([10_000, 10_000.0, 10_001]),
                    st.floats(9_999, 10_001, allow_nan=False), st.sampled_from(["yes", "10001", "Not OK", "OK"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amount=st.one_of(_VALUES, st.lists(_VALUES, max_size=3)), approved=st.one_of(_VALUES, st.lists(_VALUES, max_size=3)),
       leave_out=st.sampled_from([None, "amount", "approved"]))
def test_the_runner_behaves_exactly_like_the_model(amount: Any, approved: Any, leave_out: str | None) -> None:
    document = _PURCHASE
    case = {k: v for k, v in {"case_id": "C-1", "amount": amount, "approved": approved}.items() if k != leave_out}
    try:
        expected: tuple[Any, ...] = ("ran", document.flow.simulate(case).visited)
    except FlowRunError as exc:
        expected = ("error", exc.kind)
    try:
        outcome = run(document, case)
        actual: tuple[Any, ...] = ("ran", outcome["visited"])
    except spy.SpyRuntimeError as exc:
        actual = ("error", exc.error["type"])
    assert actual == expected


_PURCHASE = compile_document(purchase())


def test_handlers_check_their_data_call_their_systems_and_record_what_they_did() -> None:
    compiled = compile_document(claim())
    check = compiled.steps[2]
    assert check.code.startswith("# Step 3: Check recommendation (Senior Claims Officer)\ndefine Step3Handler {\n"
                                 '  REQUIRED = ["case_id", "claim_status"]\n')
    assert "claim_status ==" not in check.code  # the decision is the runner's, not the step's
    result = spy.call(compiled.spy.program, "Step3Handler.execute", [{"case_id": "C-9", "claim_status": "OK"}])
    assert {k: result[k] for k in ("step", "status", "recommendation_checked", "performed_by")} == {
        "step": 3, "status": "completed", "recommendation_checked": True, "performed_by": "Senior Claims Officer"}
    records = [re.search(r"result\.(\w+) = true", s.code).group(1) for s in compiled.steps]  # type: ignore[union-attr]
    assert records == ["claim_registered", "settlement_recommended", "recommendation_checked", "claim_paid"]
    with pytest.raises(spy.SpyRuntimeError, match="Step 3 \\(Check recommendation\\) needs the case field claim_status"):
        spy.call(compiled.spy.program, "Step3Handler.execute", [{"case_id": "C-9"}])
    pay = spy.call(compiled.spy.program, "Step4Handler.execute", [{"case_id": "C-9"}])
    assert pay["erp"]["ok"] is True and pay["claim_paid"] is True


def _overview() -> Overview:
    return Overview(purpose="p", scope="s", owner="o", last_updated="2026-03-02")


def _step(number: int, name: str, role: str, depends_on: list[int] | None = None, **extra: Any) -> Step:
    return Step(number=number, name=name, objective=name, responsible=role, duration="10 minutes",
                depends_on=depends_on if depends_on is not None else ([number - 1] if number > 1 else []), **extra)


def test_conditions_without_rules_route_on_a_yes_no_field_named_after_them() -> None:
    b = FlowBuilder()
    b.connect("start", b.task(1, "Take order", "Sales"))
    stock = b.exclusive("In stock?")
    b.connect("step_1", stock)
    b.connect(stock, b.task(2, "Ship goods", "Warehouse"), condition="yes")
    b.connect(stock, b.task(3, "Back-order goods", "Warehouse"), condition="no")
    vip = b.exclusive("Priority")
    b.connect("step_2", vip)
    b.connect(vip, b.task(4, "Call customer", "Sales"), condition="the customer is a VIP")
    b.connect(vip, b.end(), default=True)
    b.connect("step_3", "end")
    b.connect("step_4", "end")
    document = ProcessDocument(title="Orders", overview=_overview(), flow=b.build(), steps=[
        _step(1, "Take order", "Sales"), _step(2, "Ship goods", "Warehouse"), _step(3, "Back-order goods", "Warehouse"),
        _step(4, "Call customer", "Sales")])
    compiled = compile_document(document)
    assert compiled.spy.diagnostics == [] and compiled.spy.tests_failed == 0
    assert "    if in_stock == true {" in compiled.spy.program
    assert "    if customer_is_a_vip == true {" in compiled.spy.program
    assert run(compiled, {"case_id": "C", "in_stock": False})["visited"] == [1, 3]
    assert run(compiled, {"case_id": "C", "in_stock": True, "customer_is_a_vip": True})["visited"] == [1, 2, 4]


def test_a_document_without_a_flow_runs_its_steps_by_depends_on() -> None:
    amount = Decision(text="If the amount is over 500", subject="amount", operator=">", value=500,
                      if_true="route to a manager", if_false="continue")
    document = ProcessDocument(title="Old", overview=_overview(), steps=[
        _step(1, "Record resignation", "Manager"), _step(2, "Revoke access", "IT", [1], decisions=[amount]),
        _step(3, "Collect equipment", "Facilities", [1]), _step(4, "Archive file", "HR", [2, 3])])
    compiled = compile_document(document)
    assert compiled.spy.diagnostics == [] and compiled.spy.tests_failed == 0
    outcome = run(compiled, {"case_id": "C"})
    assert outcome["visited"] == [1, 2, 3, 4] and outcome["end"] == "End"
    assert "amount" not in compiled.spy.program  # step decisions of a flowless document are not routed on


def test_code_kept_from_an_earlier_turn_is_regenerated_when_a_decision_now_follows_it() -> None:
    document = purchase()
    old = document.steps[0].model_copy(update={"code": "define Step1Handler {\n  execute(input_data) {\n"
                                                       "    return {step: 1, status: \"completed\"}\n  }\n}\n"})
    kept = document.steps[6].model_copy(update={"code": compile_document(document).steps[6].code + "# kept\n"})
    steps = [old, *document.steps[1:6], kept]
    compiled = compile_document(document.model_copy(update={"steps": steps}), only_steps=set())
    assert '"amount"' in compiled.steps[0].code  # it must now check what the amount decision reads
    assert compiled.steps[6].code.endswith("# kept\n")
    assert compiled.spy.tests_failed == 0


def test_rules_compare_like_spy_true_is_not_one() -> None:
    assert not Rule(subject="x", value=1).holds(True)
    assert Rule(subject="x", value=1).holds(1.0)
    assert Rule(subject="x", operator="!=", value=True).holds(1)


def test_path_tests_stop_at_the_cap_and_say_so() -> None:
    b = FlowBuilder()
    end = b.end()
    steps: list[Step] = []
    for i in range(6):  # six decisions one after another: 64 paths
        check, escalate = b.task(2 * i + 1, f"Check item {i}", "Clerk"), b.task(2 * i + 2, f"Escalate item {i}", "Lead")
        following = f"step_{2 * i + 3}" if i < 5 else end
        gate = b.exclusive(f"Item {i} high?")
        b.connect(check, gate)
        b.connect(gate, escalate, condition=f"item {i} high", rules=[Rule(subject=f"item_{i}", operator=">", value=9)])
        b.connect(gate, following, default=True)
        b.connect(escalate, following)
        steps += [_step(2 * i + 1, f"Check item {i}", "Clerk"), _step(2 * i + 2, f"Escalate item {i}", "Lead")]
    b.connect("start", "step_1")
    document = ProcessDocument(title="Items", overview=_overview(), flow=b.build(), steps=steps)
    assert document.flow.problems() == [] and len(document.flow.paths(limit=100)) == 64
    compiled = compile_document(document)
    assert compiled.spy.tests_failed == 0
    assert compiled.spy.diagnostics == ["note: the process has more than 32 paths from start to end; the first 32 "
                                        "are tested"]
    assert len(re.findall(r"^  test_path_\d+_", compiled.spy.tests, re.MULTILINE)) == 32
