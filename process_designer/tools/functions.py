"""The toolbox: the functions both engines use to check their work, each traced as ``execute_tool``.

The offline coder validates programs with :func:`spy_check` and :func:`spy_test`; the LLM agents
reach the same functions as LangChain tools (:mod:`process_designer.tools.agent_tools`).
"""

from __future__ import annotations

import contextvars
import difflib
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from opentelemetry import trace

from process_designer import spy
from process_designer.domain.flow import ProcessFlow
from process_designer.domain.markdown import render_markdown
from process_designer.domain.models import ProcessDocument
from process_designer.knowledge.template_model import ProcessTemplate
from process_designer.spy.checker import check_program
from process_designer.telemetry.spans import tool_span

if TYPE_CHECKING:
    from process_designer.maps.gap import Embeds

__all__ = ["CALL_ID", "DESCRIPTIONS", "SpyCheck", "TemplateSearch", "failures", "gap_analysis", "graph_check", "process_diff",
           "spy_check", "spy_test", "template_search"]

P = ParamSpec("P")
R = TypeVar("R")
TemplateSearch = Callable[[str, int], Sequence[ProcessTemplate]]
"""``(query, top)`` → the best templates, best first (the designer's library search)."""

DESCRIPTIONS = {
    "spy_check": "Parse and check a SPy program",
    "spy_test": "Run SPy tests on the simulated runtime",
    "graph_check": "Check a process graph for structural defects",
    "process_diff": "A unified diff of two process documents",
    "gap_analysis": "The gaps of a current process against a desired one",
    "template_search": "Search the process template library",
}


CALL_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("tool_call_id", default=None)
"""The id of the model's tool call being run (``gen_ai.tool.call.id``); None when an engine calls directly."""


def _traced(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with tool_span(name, description=DESCRIPTIONS[name]) as span:
                if (call_id := CALL_ID.get()) is not None:
                    span.set_attribute("gen_ai.tool.call.id", call_id)
                return function(*args, **kwargs)
        return wrapper
    return decorate


@dataclass(frozen=True)
class SpyCheck:
    """A checked program: the parse (None when it does not parse) and the diagnostics, formatted."""

    program: spy.Program | None
    diagnostics: list[str]

    @property
    def errors(self) -> list[str]:
        return [line for line in self.diagnostics if ": E" in line]


def _parse_and_check(source: str, bindings: Iterable[str], filename: str) -> SpyCheck:
    try:
        parsed = spy.parse(source, filename)
        found = check_program(parsed, list(bindings))
    except spy.SpySyntaxError as exc:
        return SpyCheck(None, [exc.diagnostic.format(filename)])
    except RecursionError:
        too_deep = spy.Diagnostic("E001", "nesting too deep to check; simplify the expression", 1, 1)
        return SpyCheck(None, [too_deep.format(filename)])
    return SpyCheck(parsed, [d.format(filename) for d in found])


@_traced("spy_check")
def spy_check(source: str, bindings: Iterable[str], filename: str = "process.spy") -> SpyCheck:
    """Parse and check ``source`` with ``bindings`` as its connectors."""
    checked = _parse_and_check(source, bindings, filename)
    trace.get_current_span().set_attribute("pd.spy.diagnostics", len(checked.diagnostics))
    return checked


@_traced("spy_test")
def spy_test(program: spy.Program | str, bindings: Iterable[str], filename: str = "process.spy") -> spy.TestReport:
    """Run the ``*Test`` defines of ``program`` on the simulated runtime."""
    report = spy.run_tests(program, filename, bindings=list(bindings))
    trace.get_current_span().set_attributes({"pd.spy.tests_passed": report.passed, "pd.spy.tests_failed": report.failed})
    return report


def failures(report: spy.TestReport) -> list[str]:
    """One line per failed case."""
    return [f"test {c.suite}.{c.name} failed: {c.message}" for c in report.cases if not c.passed]


@_traced("graph_check")
def graph_check(flow: ProcessFlow, steps: Iterable[int] | None = None) -> list[str]:
    """The structural defects of ``flow``, and, given the document's ``steps``, steps it misses or invents."""
    problems = [problem.text for problem in flow.problems()]
    if steps is not None:
        wanted = set(steps)
        tasks = {node.step for node in flow.nodes if node.kind == "task" and node.step is not None}
        problems += [f"step {n} has no task node in the graph" for n in sorted(wanted - tasks)]
        problems += [f"the graph has a task for step {n}, which the document does not have"
                     for n in sorted(tasks - wanted)]
    return problems


@_traced("process_diff")
def process_diff(old: ProcessDocument, new: ProcessDocument, old_label: str = "before",
                 new_label: str = "after") -> str:
    """A unified diff of the two documents' markdown."""
    return "".join(difflib.unified_diff(render_markdown(old).splitlines(keepends=True),
                                        render_markdown(new).splitlines(keepends=True),
                                        fromfile=old_label, tofile=new_label))


@_traced("gap_analysis")
def gap_analysis(current: ProcessDocument, desired: ProcessDocument, embedder: Embeds | None = None) -> str:
    """The gaps of ``current`` against ``desired``, as text; with ``embedder``, steps match by meaning."""
    # the maps load with the tools that draw them, not with every design
    from process_designer.maps.gap import compare, render

    return render(compare(current, desired, embedder))


@_traced("template_search")
def template_search(search: TemplateSearch, query: str, top: int = 3) -> list[ProcessTemplate]:
    """The ``top`` templates ``search`` finds for ``query``."""
    return list(search(query, top))[:top]
