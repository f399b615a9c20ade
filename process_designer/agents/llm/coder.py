"""The SPy coder on a chat model: per step, it checks and tests its code with the tools, then the
validators check and test it again; repaired, else the offline code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from process_designer.agents.coder import compile_document
from process_designer.agents.coder.generate import step_define, step_tests
from process_designer.agents.coder.plan import StepPlan, plan_step
from process_designer.agents.coder.routing import executable_flow
from process_designer.agents.llm.prompts import coder as prompts
from process_designer.agents.llm.runtime import LLMRuntime
from process_designer.agents.llm.structured import message_text
from process_designer.domain.flow import ProcessFlow
from process_designer.domain.models import ProcessDocument, Step
from process_designer.tools.agent_tools import StepTester, coder_tools

__all__ = ["LLMCoder", "StepCode", "extract_spy", "step_problems"]

_FENCE = re.compile(r"```[a-zA-Z]*\s*\n(.*?)```", re.DOTALL)
_DEFINE = re.compile(r"^\s*define\s+([A-Za-z_]\w*)", re.MULTILINE)


@dataclass(frozen=True)
class StepCode:
    """The code chosen for a step and, when the model's code was not usable, why."""

    code: str
    note: str | None = None


def extract_spy(answer: str) -> str:
    """The SPy source in an answer: the first fenced block, or the whole text."""
    fenced = _FENCE.search(answer)
    return (fenced.group(1) if fenced else answer).strip() + "\n"


def step_problems(code: str, plan: StepPlan, tester: StepTester) -> list[str]:
    """Why ``code`` cannot implement the step: wrong defines, ``spy check`` errors, failing tests."""
    defines = _DEFINE.findall(code)
    if defines != [plan.handler]:
        return [f"the answer must contain exactly one define, `define {plan.handler}`; it has: "
                f"{', '.join(defines) or 'none'}"]
    return tester.problems(code)


class LLMCoder:
    """Asks the model for each step's define; everything is validated exactly as offline code is."""

    def __init__(self, runtime: LLMRuntime) -> None:
        self.runtime = runtime

    def compile(self, document: ProcessDocument, only_steps: set[int] | None) -> ProcessDocument:
        notes: list[str] = []
        steps: list[Step] = []
        flow = executable_flow(document.effective_flow())
        for step in document.steps:
            if only_steps is not None and step.number not in only_steps and step.code.strip():
                steps.append(step)
                continue
            chosen = self.runtime.or_offline("coder", lambda step=step: self.step_code(step, flow),  # type: ignore[misc]
                                             lambda step=step: self._offline(step, flow))  # type: ignore[misc]
            steps.append(step.model_copy(update={"code": chosen.code}))
            if chosen.note:
                notes.append(chosen.note)
        # The offline coder assembles the program, the tests and the runner around the chosen step code,
        # and validates the whole, so LLM code is scored exactly like offline code.
        compiled = compile_document(document.model_copy(update={"steps": steps}), only_steps=set())
        if notes:
            compiled = compiled.model_copy(update={"spy": compiled.spy.model_copy(
                update={"diagnostics": [*compiled.spy.diagnostics, *notes]})})
        return compiled

    @staticmethod
    def _offline(step: Step, flow: ProcessFlow | None = None) -> StepCode:
        return StepCode(step_define(plan_step(step, flow)).rstrip() + "\n")

    def step_code(self, step: Step, flow: ProcessFlow | None = None) -> StepCode:
        """The model's define for ``step`` once it passes, else the offline coder's with a note saying so.

        ``flow`` is the process graph: the step's code must check the data the decision after it reads.
        """
        plan = plan_step(step, flow)
        tests = step_tests(plan)
        connectors = sorted({call.system for call in plan.calls})  # the bindings the whole program is checked with
        messages: list[BaseMessage] = [SystemMessage(content=prompts.SYSTEM),
                                       HumanMessage(content=prompts.step_message(step, plan.handler, connectors,
                                                                                 tests))]
        attempts = self.runtime.settings.llm_repairs + 1
        problems: list[str] = []
        tester = StepTester(tests, connectors)  # the tools and the validators share its results
        tools = coder_tools(tester)
        for _ in range(attempts):
            # The model checks and tests its own code with the tools; the validators below decide.
            answer = self.runtime.exchange("coder", messages, tools=tools)
            code = extract_spy(message_text(answer))
            problems = step_problems(code, plan, tester)
            if not problems:
                return StepCode(code)
            messages += [AIMessage(content=message_text(answer)),
                         HumanMessage(content=prompts.repair_message(problems))]
        note = (f"note: Step {step.number} ({step.name}): the model's SPy still failed after {attempts} "
                f"attempt(s) ({problems[0]}); the offline coder's code is used for this step")
        return StepCode(self._offline(step, flow).code, note)
