"""SPy source for a planned step, its test suite, the process runner and the integration defines."""

from __future__ import annotations

from collections.abc import Sequence

from process_designer.agents.coder.plan import DecisionPlan, StepPlan, sample_values
from process_designer.agents.coder.spy_source import SpyWriter, literal, string
from process_designer.domain.models import IntegrationSpec

__all__ = ["MAX_ATTEMPTS", "auth_define", "error_recovery_define", "mapper_define", "runner_define",
           "runner_tests", "step_define", "step_tests"]

MAX_ATTEMPTS = 3
_OPS = {">": ">", ">=": ">=", "<": "<", "<=": "<=", "==": "==", "!=": "!=", "is": "==", "is_not": "!="}


def _condition(plan: DecisionPlan) -> str:
    return f"input_data.{plan.field} {_OPS[plan.decision.operator]} {literal(plan.decision.value)}"


def step_define(plan: StepPlan) -> str:
    """``define StepNHandler`` with validation, decisions, and retried integration calls."""
    step = plan.step
    w = SpyWriter()
    w.line(f"# Step {step.number}: {step.name}")
    w.open(f"define {plan.handler}")
    w.line(f"REQUIRED = {literal(plan.required)}")
    if plan.calls:
        w.line(f"MAX_ATTEMPTS = {MAX_ATTEMPTS}")
    w.line()
    w.open("execute(input_data)")
    w.line("check_input(input_data)")
    w.line(f"result = {{step: {step.number}, name: {string(step.name)}, case_id: input_data.case_id, "
           f"status: \"completed\"}}")
    for decision in plan.decisions:
        rule = f"{decision.field} {decision.decision.operator} {decision.decision.value}"
        w.open(f"if {_condition(decision)}")
        if decision.terminal:
            w.line(f"log({string(f'Step {step.number}: {rule}: {decision.decision.if_true}')})")
            w.line(f"result.status = {string(decision.outcome)}")
            w.line(f"result.reason = {string(decision.decision.if_true)}")
            w.line("return result")
        else:
            w.line(f"result.{decision.field}_route = {string(decision.decision.if_true)}")
            w.reopen("else")
            w.line(f"result.{decision.field}_route = {string(decision.decision.if_false)}")
        w.close()
    for call in plan.calls:
        w.line(f"result.{call.system} = call_{call.system}(input_data)")
    w.line("return result")
    w.close()
    w.line()
    w.open("check_input(input_data)")
    w.open("if input_data == null")
    w.line(f"raise error(\"validation\", {string(f'Step {step.number} ({step.name}) needs input data')})")
    w.close()
    w.open("for field in REQUIRED")
    w.open("if not (field in input_data)")
    w.line(f"raise error(\"validation\", {string(f'Step {step.number} ({step.name}) is missing ')} + field)")
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


def _input(values: dict[str, object]) -> str:
    return literal({"case_id": "CASE-1001", **values})


def step_tests(plan: StepPlan) -> str:
    """``define StepNHandlerTest``: happy path, missing input, each decision branch, retries."""
    step, handler = plan.step, plan.handler
    happy = sample_values(plan.decisions, False)
    w = SpyWriter()
    w.open(f"define {handler}Test")
    if happy is not None:
        w.open("test_happy_path_completes()")
        w.line(f"result = {handler}.execute({_input(happy)})")
        w.line("assert result.status == \"completed\", \"expected completed, got \" + result.status")
        w.line(f"assert result.step == {step.number}, \"wrong step number\"")
        for call in plan.calls:
            w.line(f"assert len(recorded_calls({string(call.qualified)})) == 1, "
                   f"{string(f'{call.qualified} must be called once')}")
        w.close()
        w.line()
    w.open("test_rejects_missing_input()")
    w.open("try")
    w.line(f"{handler}.execute({{}})")
    w.line("assert false, \"expected a validation error\"")
    w.reopen("catch e")
    w.line("assert e.type == \"validation\", e.message")
    w.line("assert contains(e.message, \"case_id\"), e.message")
    w.close()
    w.close()
    for index, decision in enumerate(plan.decisions, start=1):
        others = sample_values([d for d in plan.decisions if d is not decision], False) or {}
        for branch in (True, False):
            value = sample_values([decision], branch)
            if value is None:
                continue
            values = {**others, **value}
            label = "when" if branch else "unless"
            w.line()
            w.open(f"test_decision_{index}_{decision.field}_{label}()")
            w.line(f"result = {handler}.execute({_input(values)})")
            if decision.terminal and branch:
                w.line(f"assert result.status == {string(decision.outcome)}, \"expected \" + "
                       f"{string(decision.outcome)} + \", got \" + result.status")
                for call in plan.calls:
                    w.line(f"assert len(recorded_calls({string(call.qualified)})) == 0, "
                           f"{string(f'{call.qualified} must not be called')}")
            elif decision.terminal:
                w.line(f"assert result.status != {string(decision.outcome)}, \"the rule must not apply\"")
            else:
                outcome = decision.decision.if_true if branch else decision.decision.if_false
                w.line(f"assert result.{decision.field}_route == {string(outcome)}, result.{decision.field}_route")
            w.close()
    if happy is not None:
        for call in plan.calls:
            w.line()
            w.open(f"test_retries_{call.system}_errors()")
            w.line(f"simulate_error({string(call.qualified)}, \"unavailable\", \"service down\", {1})")
            w.line(f"result = {handler}.execute({_input(happy)})")
            w.line("assert result.status == \"completed\", result.status")
            w.line(f"assert len(recorded_calls({string(call.qualified)})) == 2, \"one retry expected\"")
            w.close()
            w.line()
            w.open(f"test_gives_up_on_{call.system}_after_{MAX_ATTEMPTS}_attempts()")
            w.line(f"simulate_error({string(call.qualified)}, \"unavailable\", \"service down\", {MAX_ATTEMPTS})")
            w.open("try")
            w.line(f"{handler}.execute({_input(happy)})")
            w.line("assert false, \"expected an integration error\"")
            w.reopen("catch e")
            w.line("assert e.type == \"integration\", e.message")
            w.close()
            w.close()
    w.close()
    return w.text()


def runner_define(plans: Sequence[StepPlan]) -> str:
    """``define ProcessRunner``: runs the steps in order, stopping at the first that does not complete."""
    w = SpyWriter()
    w.open("define ProcessRunner")
    w.open("run(input_data)")
    w.line("results = []")
    w.open(f"for handler in [{', '.join(p.handler for p in plans)}]")
    w.line("result = handler.execute(input_data)")
    w.line("append(results, result)")
    w.open("if result.status != \"completed\"")
    w.line("return {status: result.status, stopped_at: result.step, results: results}")
    w.close()
    w.close()
    w.line("return {status: \"completed\", stopped_at: null, results: results}")
    w.close()
    w.close()
    return w.text()


def runner_tests(plans: Sequence[StepPlan]) -> str:
    decisions = [d for p in plans for d in p.decisions]
    happy = sample_values(decisions, False)
    w = SpyWriter()
    w.open("define ProcessRunnerTest")
    if happy is not None:
        w.open("test_runs_every_step_in_order()")
        w.line(f"outcome = ProcessRunner.run({_input(happy)})")
        w.line("assert outcome.status == \"completed\", \"stopped at step \" + str(outcome.stopped_at)")
        w.line(f"assert len(outcome.results) == {len(plans)}, \"every step must run\"")
        w.line(f"assert outcome.results[0].step == {plans[0].step.number}, \"first step first\"")
        w.close()
        w.line()
    w.open("test_stops_on_invalid_input()")
    w.open("try")
    w.line("ProcessRunner.run({})")
    w.line("assert false, \"expected a validation error\"")
    w.reopen("catch e")
    w.line("assert e.type == \"validation\", e.message")
    w.close()
    w.close()
    for plan in plans:
        terminal = next((d for d in plan.decisions if d.terminal), None)
        if terminal is None:
            continue
        others = sample_values([d for d in decisions if d.field != terminal.field], False)
        value = sample_values([d for d in decisions if d.field == terminal.field], True)
        if others is None or value is None:
            continue
        w.line()
        w.open(f"test_stops_at_step_{plan.step.number}_when_{terminal.field}()")
        w.line(f"outcome = ProcessRunner.run({_input({**others, **value})})")
        w.line(f"assert outcome.status == {string(terminal.outcome)}, outcome.status")
        w.line(f"assert outcome.stopped_at == {plan.step.number}, \"stopped at \" + str(outcome.stopped_at)")
        w.close()
    w.close()
    return w.text()


def auth_define() -> str:
    """The seed's ``IntegrationAuth``: credentials from secrets and a refreshed OAuth token."""
    w = SpyWriter()
    w.open("define IntegrationAuth")
    w.open("setup_credentials()")
    w.line("api_key = get_secret(\"external_api_key\")")
    w.line("oauth_token = refresh_oauth_token()")
    w.line("return AuthConfig(api_key, oauth_token)")
    w.close()
    w.close()
    return w.text()


def error_recovery_define() -> str:
    """The seed's ``ErrorHandler``: back off on rate limits, re-authenticate on auth failures."""
    w = SpyWriter()
    w.open("define ErrorHandler")
    w.open("handle_integration_error(failure, context)")
    w.open("if failure.type == \"rate_limit\"")
    w.line("implement_backoff_strategy()")
    w.line("return {action: \"backoff\", context: context}")
    w.reopen("else if failure.type == \"auth_failure\"")
    w.line("refresh_authentication()")
    w.line("retry_operation()")
    w.line("return {action: \"reauthenticated\", context: context}")
    w.close()
    w.line("raise failure")
    w.close()
    w.close()
    return w.text()


_TRANSFORMS = {"lowercase": "lower({v})", "uppercase": "upper({v})", "trim": "trim({v})", "string": "str({v})",
               "integer": "int({v})", "number": "float({v})", "decimal": "float({v})", "boolean": "bool({v})"}


def mapper_define(spec: IntegrationSpec) -> str:
    """``define DataMapper``: the data-mapping table as code."""
    w = SpyWriter()
    w.open("define DataMapper")
    w.open("map_record(record)")
    w.line("mapped = {}")
    for mapping in spec.data_mapping:
        source, target = mapping.source, mapping.target
        expr = _TRANSFORMS.get(mapping.transformation.strip().lower(), "{v}").format(v=f"record.{source}")
        w.open(f"if {string(source)} in record")
        w.line(f"mapped.{target} = {expr}")
        w.close()
    w.line("return mapped")
    w.close()
    w.close()
    return w.text()


def mapper_tests(spec: IntegrationSpec) -> str:
    w = SpyWriter()
    w.open("define DataMapperTest")
    w.open("test_maps_every_field()")
    sample = {m.source: ("Ada.Lovelace@Example.com" if "mail" in m.source else "C-42") for m in spec.data_mapping}
    w.line(f"mapped = DataMapper.map_record({literal(sample)})")
    w.line(f"assert len(keys(mapped)) == {len({m.target for m in spec.data_mapping})}, \"every field mapped\"")
    for mapping in spec.data_mapping:
        if mapping.transformation.strip().lower() == "lowercase":
            w.line(f"assert mapped.{mapping.target} == lower(\"{sample[mapping.source]}\"), mapped.{mapping.target}")
    w.close()
    w.line()
    w.open("test_rate_limit_backs_off()")
    w.line("outcome = ErrorHandler.handle_integration_error({type: \"rate_limit\", message: \"429\"}, {})")
    w.line("assert outcome.action == \"backoff\", outcome.action")
    w.close()
    w.line()
    w.open("test_credentials_come_from_secrets()")
    w.line("config = IntegrationAuth.setup_credentials()")
    w.line("assert len(recorded_calls(\"get_secret\")) == 1, \"the API key is read from the secret store\"")
    w.line("assert config != null, \"credentials expected\"")
    w.close()
    w.close()
    return w.text()
