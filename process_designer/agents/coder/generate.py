"""SPy source for a planned step and its test suite (the integration defines are in ``integration_code``)."""

from __future__ import annotations

from process_designer.agents.coder.case_data import case_literal
from process_designer.agents.coder.plan import StepPlan
from process_designer.agents.coder.spy_source import SpyWriter, identifier, literal, string

__all__ = ["MAX_ATTEMPTS", "step_define", "step_tests"]

MAX_ATTEMPTS = 3


def step_define(plan: StepPlan) -> str:
    """``define StepNHandler``: checks its input, calls its systems with retries, records what it did."""
    step = plan.step
    performer = step.responsible.strip() or "Unassigned"
    w = SpyWriter()
    w.line(f"# Step {step.number}: {' '.join(step.name.split())} ({' '.join(performer.split())})")
    w.open(f"define {plan.handler}")
    w.line(f"REQUIRED = {literal(plan.required)}")
    if plan.calls:
        w.line(f"MAX_ATTEMPTS = {MAX_ATTEMPTS}")
    w.line()
    w.open("execute(input_data)")
    w.line("check_input(input_data)")
    w.line(f"result = {{step: {step.number}, name: {string(step.name)}, case_id: input_data.case_id, "
           f"status: \"completed\"}}")
    for call in plan.calls:
        w.line(f"result.{call.system} = call_{call.system}(input_data)")
    w.line(f"result.{plan.record} = true")
    w.line(f"result.performed_by = {string(performer)}")
    w.line("result.completed_at = now()")
    w.line(f"log({string(f'Step {step.number}: {plan.record} by {performer} for ')} + str(input_data.case_id))")
    w.line("return result")
    w.close()
    w.line()
    w.open("check_input(input_data)")
    w.open("if input_data == null")
    w.line(f"raise error(\"validation\", {string(f'Step {step.number} ({step.name}) needs input data')})")
    w.close()
    w.open("for field in REQUIRED")
    w.open("if not (field in input_data)")
    w.line(f"raise error(\"validation\", {string(f'Step {step.number} ({step.name}) needs the case field ')} + "
           "field)")
    w.close()
    w.close()
    w.close()
    for call in plan.calls:
        w.line()
        w.open(f"call_{call.system}(input_data)")
        w.line("attempt = 0")
        w.open("while attempt < MAX_ATTEMPTS")
        w.line("attempt = attempt + 1")
        w.open("try")
        if call.system == "email":
            w.line(f"return email.send(get(input_data, \"contact_email\", \"requester\"), "
                   f"{string(f'step_{step.number}_notice')}, input_data)")
        else:
            w.line(f"return {call.qualified}(input_data)")
        w.reopen("catch failure")
        w.line(f"log({string(call.qualified + ' failed: ')} + failure.message)")
        w.open("if attempt < MAX_ATTEMPTS")
        w.line("sleep(2 * attempt)")
        w.close()
        w.close()
        w.close()
        w.line(f"raise error(\"integration\", {string(f'{call.qualified} failed after {MAX_ATTEMPTS} attempts')})")
        w.close()
    w.close()
    return w.text()


def _input(plan: StepPlan, leave_out: str = "") -> str:
    return case_literal({k: v for k, v in plan.samples.items() if k != leave_out})


def step_tests(plan: StepPlan) -> str:
    """``define StepNHandlerTest``: it completes and records its work, refuses missing data, retries its calls."""
    step, handler = plan.step, plan.handler
    w = SpyWriter()
    w.open(f"define {handler}Test")
    w.open("test_happy_path_completes()")
    w.line(f"result = {handler}.execute({_input(plan)})")
    w.line("assert result.status == \"completed\", \"expected completed, got \" + result.status")
    w.line(f"assert result.step == {step.number}, \"wrong step number\"")
    for call in plan.calls:
        w.line(f"assert len(recorded_calls({string(call.qualified)})) == 1, "
               f"{string(f'{call.qualified} must be called once')}")
    w.line(f"assert result.{plan.record} == true, {string(f'the step must record {plan.record}')}")
    w.line(f"assert result.performed_by == {string(step.responsible.strip() or 'Unassigned')}, "
           "\"performed by \" + str(result.performed_by)")
    w.close()
    for name in plan.required:
        w.line()
        w.open(f"test_rejects_missing_{identifier(name)}()" if name != "case_id" else "test_rejects_missing_input()")
        w.open("try")
        w.line(f"{handler}.execute({_input(plan, leave_out=name) if name != 'case_id' else '{}'})")
        w.line("assert false, \"expected a validation error\"")
        w.reopen("catch e")
        w.line("assert e.type == \"validation\", e.message")
        w.line(f"assert contains(e.message, {string(name)}), e.message")
        w.close()
        w.close()
    for call in plan.calls:
        w.line()
        w.open(f"test_retries_{call.system}_errors()")
        w.line(f"simulate_error({string(call.qualified)}, \"unavailable\", \"service down\", 1)")
        w.line(f"result = {handler}.execute({_input(plan)})")
        w.line("assert result.status == \"completed\", result.status")
        w.line(f"assert len(recorded_calls({string(call.qualified)})) == 2, \"one retry expected\"")
        w.close()
        w.line()
        w.open(f"test_gives_up_on_{call.system}_after_{MAX_ATTEMPTS}_attempts()")
        w.line(f"simulate_error({string(call.qualified)}, \"unavailable\", \"service down\", {MAX_ATTEMPTS})")
        w.open("try")
        w.line(f"{handler}.execute({_input(plan)})")
        w.line("assert false, \"expected an integration error\"")
        w.reopen("catch e")
        w.line("assert e.type == \"integration\", e.message")
        w.close()
        w.close()
    w.close()
    return w.text()
