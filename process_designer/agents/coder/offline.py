"""The offline SPy coder: compiles every step of a document to SPy, writes its tests and validates both."""

from __future__ import annotations

from process_designer.agents.coder.generate import step_define, step_tests
from process_designer.agents.coder.integration_code import (
    auth_define,
    error_recovery_define,
    mapper_define,
    mapper_tests,
)
from process_designer.agents.coder.path_tests import runner_tests
from process_designer.agents.coder.plan import StepPlan, plan_step
from process_designer.agents.coder.routing import executable_flow
from process_designer.agents.coder.runner import runner_define
from process_designer.agents.coder.spy_source import string
from process_designer.domain.models import ProcessDocument, SpyArtifacts
from process_designer.spy.header import bindings_header
from process_designer.tools.functions import failures, spy_check, spy_test

__all__ = ["compile_document", "validate_spy"]


def validate_spy(program: str, tests: str, bindings: list[str]) -> SpyArtifacts:
    """Check the program and run its tests on the simulated runtime (one parse serves both)."""
    checked = spy_check(program + "\n" + tests, bindings, "process.spy")
    if checked.program is None or checked.errors:
        return SpyArtifacts(program=program, tests=tests, diagnostics=checked.diagnostics, tests_passed=0,
                            tests_failed=0)
    report = spy_test(checked.program, bindings, "process.spy")
    return SpyArtifacts(program=program, tests=tests, diagnostics=checked.diagnostics + failures(report),
                        tests_passed=report.passed, tests_failed=report.failed)


def compile_document(document: ProcessDocument, only_steps: set[int] | None = None) -> ProcessDocument:
    """A copy of ``document`` with SPy code for every step, the runner of its graph, tests, and their results.

    ``only_steps`` limits regeneration to those step numbers; the others keep their code, unless the
    program then fails its checks: kept code (an earlier turn's, a model's) is never trusted over a
    clean program, so every step is written anew.
    """
    compiled = _compile(document, only_steps)
    errors = compiled.spy.check_errors
    if only_steps is None or not errors:
        return compiled
    rewritten = _compile(document, None)
    note = f"note: the kept step code failed its checks ({errors[0]}); every step's code was written anew"
    return rewritten.model_copy(update={"spy": rewritten.spy.model_copy(
        update={"diagnostics": [*rewritten.spy.diagnostics, note]})})


def _compile(document: ProcessDocument, only_steps: set[int] | None) -> ProcessDocument:
    flow = executable_flow(document.effective_flow())
    plans: list[StepPlan] = [plan_step(step, flow) for step in document.steps]
    steps = []
    for step, plan in zip(document.steps, plans, strict=True):
        # Code kept from an earlier turn must still check what the graph now says the step needs.
        regenerate = (only_steps is None or step.number in only_steps or not step.code.strip()
                      or any(string(field) not in step.code for field in plan.required))
        steps.append(step.model_copy(update={"code": step_define(plan).rstrip() + "\n"}) if regenerate else step)
    program_parts = [s.code.rstrip() for s in steps]
    test_parts = [step_tests(plan).rstrip() for plan in plans]
    integration = document.integration
    if integration is not None:
        integration = integration.model_copy(update={
            "authentication": auth_define(integration),
            "error_recovery": error_recovery_define(integration),
        })
        program_parts += [integration.authentication.rstrip(), integration.error_recovery.rstrip(),
                          mapper_define(integration).rstrip()]
        test_parts.append(mapper_tests(integration).rstrip())
    notes: list[str] = []
    if plans:
        program_parts.append(runner_define(flow, {plan.step.number: plan.handler for plan in plans}).rstrip())
        compliance = runner_tests(flow, {step.number: step for step in document.steps})
        test_parts.append(compliance.source.rstrip())
        notes = compliance.notes
    bindings = sorted({call.system for plan in plans for call in plan.calls})
    # The header lets `spy check` and `spy test` find the connectors without --bindings.
    program = bindings_header(bindings) + "\n\n".join(program_parts) + "\n"
    tests = "\n\n".join(test_parts) + "\n"
    artifacts = validate_spy(program, tests, bindings)
    if notes:
        artifacts = artifacts.model_copy(update={"diagnostics": [*artifacts.diagnostics, *notes]})
    return document.model_copy(update={"steps": steps, "integration": integration, "spy": artifacts})
