"""SPy source for a planned step, its test suite, and the integration defines (auth, error recovery, mapping)."""

from __future__ import annotations

from process_designer.agents.coder.case_data import case_literal
from process_designer.agents.coder.plan import StepPlan
from process_designer.agents.coder.spy_source import SpyWriter, identifier, literal, string
from process_designer.domain.models import IntegrationSpec

__all__ = ["MAX_ATTEMPTS", "auth_define", "error_recovery_define", "mapper_define", "mapper_tests", "step_define",
           "step_tests"]

MAX_ATTEMPTS = 3


def step_define(plan: StepPlan) -> str:
    """``define StepNHandler``: checks its input, calls its systems with retries, records what it did."""
    step = plan.step
    performer = step.responsible.strip() or "Unassigned"
    w = SpyWriter()
    w.comment(f"Step {step.number}: {step.name} ({performer})")
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
        # Field names come from templates and drafts: they are indexed as strings, never written as code.
        source = string(mapping.source)
        expr = _TRANSFORMS.get(mapping.transformation.strip().lower(), "{v}").format(v=f"record[{source}]")
        w.open(f"if {source} in record")
        w.line(f"mapped[{string(mapping.target)}] = {expr}")
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
    w.line(f"mapped = DataMapper.map_record({case_literal(sample, case_id=False)})")
    w.line(f"assert len(keys(mapped)) == {len({m.target for m in spec.data_mapping})}, \"every field mapped\"")
    for mapping in spec.data_mapping:
        if mapping.transformation.strip().lower() == "lowercase":
            target = f"mapped[{string(mapping.target)}]"
            w.line(f"assert {target} == lower({string(sample[mapping.source])}), {target}")
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
