"""The toolbox as LangChain tools, bound to what an agent is working on, and how their calls run.

Each factory closes over the agent's material (the step's tests, the document, the library search), so
the model passes only what it wrote. :func:`run_tool_calls` runs a model's calls: arguments that do not
fit the tool's schema, unknown tools and tool errors come back to the model as the call's result.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from langchain_core.messages import AIMessage, ToolCall, ToolMessage
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field, ValidationError

from process_designer import spy
from process_designer.domain.models import ProcessDocument
from process_designer.errors import InputError
from process_designer.telemetry.spans import tool_span
from process_designer.tools import functions

__all__ = ["StepTester", "ToolOutcome", "analyst_tools", "coder_tools", "reviewer_tools", "run_tool_calls"]


class _Code(BaseModel):
    code: str = Field(description="the whole SPy define you wrote for the step")


class _Query(BaseModel):
    query: str = Field(description="what the process is about, e.g. 'customer onboarding with CRM and billing'")


class _Nothing(BaseModel):
    pass


class StepTester:
    """Checks and runs a step's tests against a define, each distinct define once: the coder's tool calls
    and the validators after them share the results (SPy runs on a simulated clock, so they repeat)."""

    def __init__(self, tests: str, connectors: Sequence[str]) -> None:
        self.tests = tests
        self.bindings = list(connectors)
        self._seen: dict[str, tuple[functions.SpyCheck, spy.TestReport | None]] = {}

    def run(self, code: str) -> tuple[functions.SpyCheck, spy.TestReport | None]:
        """The check of ``code`` with the tests, and the test report when it checks without errors."""
        if code not in self._seen:
            checked = functions.spy_check(code + "\n" + self.tests, self.bindings, "step.spy")
            report = None
            if checked.program is not None and not checked.errors:
                report = functions.spy_test(checked.program, self.bindings, "step.spy")
            self._seen[code] = (checked, report)
        return self._seen[code]

    def problems(self, code: str) -> list[str]:
        """Check errors, else failed tests; empty when the define passes."""
        checked, report = self.run(code)
        if report is None:
            return checked.errors or checked.diagnostics
        return functions.failures(report)


def coder_tools(tester: StepTester) -> list[BaseTool]:
    """``spy_check`` and ``spy_test`` of a step's define against the step's tests and connectors."""

    def check(code: str) -> str:
        return "\n".join(tester.run(code)[0].diagnostics) or "no problems"

    def test(code: str) -> str:
        checked, report = tester.run(code)
        if report is None:
            return "the tests cannot run; spy_check reports:\n" + "\n".join(checked.errors or checked.diagnostics)
        return "\n".join([f"{report.passed} passed, {report.failed} failed", *functions.failures(report)])

    return [
        StructuredTool.from_function(check, name="spy_check", args_schema=_Code,
                                     description="Check your SPy define together with the step's tests: "
                                                 "returns the errors and warnings, or 'no problems'. Fix "
                                                 "your define until spy_check and spy_test pass, then answer."),
        StructuredTool.from_function(test, name="spy_test", args_schema=_Code,
                                     description="Run the step's SPy tests against your define: returns how "
                                                 "many pass and why the others fail."),
    ]


def analyst_tools(search: functions.TemplateSearch) -> list[BaseTool]:
    """``search_templates`` over the template library."""

    def find(query: str) -> str:
        found = functions.template_search(search, query, 3)
        return json.dumps([{"id": t.id, "title": t.title, "description": t.description,
                            "steps": [s.name for s in t.document.steps]} for t in found], ensure_ascii=False)

    return [StructuredTool.from_function(find, name="search_templates", args_schema=_Query,
                                         description="Search the process template library when the templates "
                                                     "given do not fit; returns the best matches with their "
                                                     "ids and steps. List the ids you rely on in 'templates'.")]


def reviewer_tools(document: ProcessDocument) -> list[BaseTool]:
    """``check_graph`` of the document's process graph."""

    def check() -> str:
        flow = document.effective_flow()
        problems = functions.graph_check(flow, [s.number for s in document.steps])
        return "\n".join(problems) or "the process graph is well formed"

    return [StructuredTool.from_function(check, name="check_graph", args_schema=_Nothing,
                                         description="Check the document's process graph: unreachable steps, "
                                                     "dead ends, decisions without an 'otherwise' branch. "
                                                     "Report each defect it finds as a finding.")]


@dataclass(frozen=True)
class ToolOutcome:
    """What one call did: the message for the model, and whether the call failed."""

    message: ToolMessage
    failed: bool


def _run(tool: BaseTool | None, call: ToolCall, known: Sequence[str]) -> tuple[str, bool]:
    token = functions.CALL_ID.set(call.get("id"))
    try:
        return _invoke(tool, call["name"], dict(call["args"]), known)
    finally:
        functions.CALL_ID.reset(token)


def _invoke(tool: BaseTool | None, name: str, args: dict[str, object], known: Sequence[str]) -> tuple[str, bool]:
    if tool is None:
        return f"error: there is no tool named {name!r}; the tools are: {', '.join(known)}", True
    try:
        return str(tool.invoke(args)), False
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(arguments)'}: {e['msg']}" for e in exc.errors()[:5])
        with tool_span(name, description=tool.description) as span:  # the call never reached the tool
            span.set_attributes({"error.type": "invalid_arguments",
                                 "gen_ai.tool.call.id": functions.CALL_ID.get() or ""})
        return f"error: the arguments do not fit {name}: {problems}", True
    except (InputError, ValueError) as exc:
        return f"error: {exc}", True


def run_tool_calls(answer: AIMessage, tools: Sequence[BaseTool],
                   skip: Callable[[ToolCall], bool] = lambda call: False) -> list[ToolOutcome]:
    """Run every call in ``answer`` (but those ``skip`` picks); one outcome per call run, in order."""
    by_name = {tool.name: tool for tool in tools}
    outcomes = []
    for call in answer.tool_calls:
        if skip(call):
            continue
        text, failed = _run(by_name.get(call["name"]), call, sorted(by_name))
        outcomes.append(ToolOutcome(ToolMessage(content=text, tool_call_id=call.get("id") or call["name"],
                                                name=call["name"], status="error" if failed else "success"),
                                    failed))
    return outcomes
