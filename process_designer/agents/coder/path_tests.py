"""``define ProcessRunnerTest``: the process-compliance tests of a design, one per path through its graph.

- ``test_path_<k>_<branches>``: one case per path of :meth:`ProcessFlow.paths` (``k`` its 1-based
  position in that order), run on the data :meth:`ProcessFlow.case_for` gives it, asserting the
  steps that run, in order, that every step off the path does not, and the end it reaches;
- ``test_boundary_<field>_at_<value>``: each numeric threshold exactly at its value;
- ``test_loop_<n>_stops_at_the_limit``: data that never leaves a loop hits ``loop_limit``;
- ``test_missing_<field>_is_refused``: a case without the data a decision reads is a ``validation`` error.

Every expected result is computed with :meth:`ProcessFlow.simulate` on the same graph the runner
was written from, so a test states what the model says must happen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from process_designer.agents.coder.case_data import case_literal
from process_designer.agents.coder.spy_source import SpyWriter, identifier, literal, string
from process_designer.domain.flow import FlowEdge, FlowRunError, PathRun, ProcessFlow
from process_designer.domain.models import Step

__all__ = ["MAX_PATH_TESTS", "RunnerTests", "runner_tests"]

MAX_PATH_TESTS = 32
"""Paths get a test each up to this many, in :meth:`ProcessFlow.paths` order; a note says when more were left.

Each path test runs the whole program, and parsing and running the tests is most of a design
turn: 32 paths (five decisions one after another) keep the largest designs within a few hundred
milliseconds of SPy, where typical ones have 2–8 paths."""
_NAME_LENGTH = 60


@dataclass
class RunnerTests:
    """The test define's source and what could not be tested, with the reason."""

    source: str
    notes: list[str] = field(default_factory=list)


def _words(edge: FlowEdge) -> str:
    return " ".join((edge.condition or " and ".join(r.text() for r in edge.rules)).split())


def _number_name(value: float) -> str:
    """``10000`` → ``10000``, ``2.5`` → ``2_5``, ``-5`` → ``minus_5``: a threshold in a test's name."""
    return literal(value).replace("-", "minus_").replace(".", "_")


def _short(text: str) -> str:
    name = identifier(text)
    if len(name) <= _NAME_LENGTH:
        return name
    return name[:_NAME_LENGTH].rsplit("_", 1)[0]


class _Writer:
    def __init__(self, flow: ProcessFlow, steps: Mapping[int, Step]) -> None:
        self.flow = flow
        self.steps = steps
        self.w = SpyWriter()
        self.notes: list[str] = []
        self.names: set[str] = set()
        # (path, case data, its run) for every path some data takes
        self.feasible: list[tuple[PathRun, dict[str, Any], PathRun]] = []

    # ------------------------------------------------------------ wording
    def branch(self, gateway: str, index: int) -> str:
        """The words of the branch taken: its condition, or for "otherwise" the negation of the others."""
        edges = self.flow.outgoing(gateway)
        edge = edges[index]
        if not edge.default:
            return _words(edge)
        others = [_words(e) for e in edges if not e.default]
        return "not " + " or ".join(others) if others else "otherwise"

    def why(self, run: PathRun) -> str:
        return " and ".join(dict.fromkeys(self.branch(g, i) for g, i in run.choices)) or "nothing is decided"

    def step_text(self, number: int) -> str:
        step = self.steps.get(number)
        if step is None:
            return f"step {number}"
        return f"step {number} ({step.name}, {step.responsible})"

    def end_label(self, run: PathRun) -> str | None:
        if not run.ends:
            return None
        return self.flow.node(run.ends[-1]).label or "End"

    def unique(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self.names:
            n += 1
            candidate = f"{name}_{n}"
        self.names.add(candidate)
        return candidate

    # -------------------------------------------------------------- cases
    def expect_run(self, case: Mapping[str, Any], run: PathRun, reason: str) -> None:
        skipped = [n for n in self.flow.step_order() if n not in run.visited]
        end = self.end_label(run)
        self.w.line(f"outcome = ProcessRunner.run({case_literal(case)})")
        self.w.line(f"assert_path(outcome, {literal(run.visited)}, {literal(skipped)}, "
                    f"{literal(end)}, {string(reason)})")

    def expect_error(self, case: Mapping[str, Any], kind: str, mentions: str, reason: str) -> None:
        self.w.line(f"assert_refused({case_literal(case)}, {string(kind)}, {string(mentions)}, {string(reason)})")

    def helpers(self) -> None:
        """What every test asserts, written once: the steps that ran, those that must not, the end; or the error."""
        w = self.w
        w.line()
        w.open("assert_path(outcome, ran, skipped, end, why)")
        w.line('assert outcome.status == "completed", "the run stopped: " + outcome.status')
        w.line('assert outcome.visited == ran, "expected steps " + str(ran) + " when " + why + ", ran " + '
               "str(outcome.visited)")
        w.open("for step in skipped")
        w.line('assert not (step in outcome.visited), STEPS[str(step)] + " must not run when " + why')
        w.close()
        w.line('assert outcome.end == end, "ended at " + str(outcome.end) + " when " + why')
        w.close()
        w.line()
        w.open("assert_refused(case, kind, mentions, why)")
        w.open("try")
        w.line("ProcessRunner.run(case)")
        w.reopen("catch e")
        w.line('assert e.type == kind, "expected a " + kind + " error, got " + e.type + ": " + e.message')
        w.line("assert contains(e.message, mentions), e.message")
        w.line("return")
        w.close()
        w.line('assert false, "expected a " + kind + " error: " + why')
        w.close()

    def test(self, name: str) -> None:
        if self.names:
            self.w.line()
        self.w.open(f"{self.unique(name)}()")

    # -------------------------------------------------------------- kinds
    def paths(self) -> None:
        runs = self.flow.paths(limit=MAX_PATH_TESTS + 1)
        if len(runs) > MAX_PATH_TESTS:
            runs = runs[:MAX_PATH_TESTS]
            self.notes.append(f"note: the process has more than {MAX_PATH_TESTS} paths from start to end; the "
                              f"first {MAX_PATH_TESTS} are tested")
        for k, path in enumerate(runs, start=1):
            why = self.why(path)
            case = self.flow.case_for(path)
            if case is None:
                self.notes.append(f"note: path {k} ({why}) is not tested: no case data can take it, its "
                                  "conditions contradict each other")
                continue
            try:
                run = self.flow.simulate(case)
            except FlowRunError as exc:
                self.notes.append(f"note: path {k} ({why}) is not tested: {exc}")
                continue
            if run.visited != path.visited:
                self.notes.append(f"note: path {k} ({why}) is not tested: its data runs steps {run.visited}")
                continue
            self.feasible.append((path, case, run))
            description = "_then_".join(dict.fromkeys(identifier(self.branch(g, i)) for g, i in path.choices))
            self.test(f"test_path_{k}_{_short(description or 'every_step')}")
            self.expect_run(case, run, why)
            self.w.close()

    def _through(self, gateway: str) -> tuple[dict[str, Any], PathRun] | None:
        return next(((case, run) for _, case, run in self.feasible if any(g == gateway for g, _ in run.choices)),
                    None)

    def boundaries(self) -> None:
        seen: set[tuple[str, float]] = set()
        for node in self.flow.gateways:
            if node.kind != "exclusive" or (found := self._through(node.id)) is None:
                continue
            for edge in self.flow.outgoing(node.id):
                for rule in edge.rules:
                    value = rule.value
                    if (rule.operator not in (">", ">=", "<", "<=") or isinstance(value, bool)
                            or not isinstance(value, int | float) or (rule.subject, value) in seen):
                        continue
                    seen.add((rule.subject, value))
                    case = {**found[0], rule.subject: value}
                    shown = literal(value)
                    self.test(f"test_boundary_{identifier(rule.subject)}_at_{_number_name(value)}")
                    at = f"{rule.subject} is exactly {shown}"
                    try:
                        run = self.flow.simulate(case)
                    except FlowRunError as exc:
                        self.expect_error(case, exc.kind, "", f"{at}: {exc}")
                    else:
                        taken = next((self.branch(g, i) for g, i in run.choices if g == node.id), "")
                        self.expect_run(case, run, f"{at} ({taken})")
                    self.w.close()

    def loops(self) -> None:
        seen: list[dict[str, Any]] = []
        count = 0
        for path, case, _ in self.feasible:
            if not path.loops:
                continue
            stuck = {k: (v[0] if isinstance(v, list) and v else v) for k, v in case.items()}
            if stuck in seen:
                continue
            seen.append(stuck)
            try:
                self.flow.simulate(stuck)
            except FlowRunError as exc:
                if exc.kind != "loop_limit":
                    continue
                count += 1
                self.test(f"test_loop_{count}_stops_at_the_limit")
                self.expect_error(stuck, "loop_limit", "times", f"the data never leaves the loop ({self.why(path)}, every time)")
                self.w.close()

    def missing_data(self) -> None:
        seen: set[str] = set()
        for node in self.flow.gateways:
            if node.kind != "exclusive" or (found := self._through(node.id)) is None:
                continue
            first = next((e for e in self.flow.outgoing(node.id) if e.rules and not e.default), None)
            if first is None or first.rules[0].subject in seen:
                continue
            subject = first.rules[0].subject
            seen.add(subject)
            case = {k: v for k, v in found[0].items() if k != subject}
            try:
                self.flow.simulate(case)
            except FlowRunError as exc:
                if exc.kind != "validation":
                    continue
                self.test(f"test_missing_{identifier(subject)}_is_refused")
                self.expect_error(case, "validation", subject, f"the decision '{node.label}' reads {subject}")
                self.w.close()

    def invalid_input(self) -> None:
        self.test("test_stops_on_invalid_input")
        self.w.line('assert_refused({}, "validation", "", "a case without any data")')
        self.w.close()

    def write(self) -> RunnerTests:
        self.w.open("define ProcessRunnerTest")
        names = {str(n): self.step_text(n) for n in sorted(self.flow.step_order())}
        self.w.line(f"STEPS = {{{', '.join(f'{string(k)}: {string(v)}' for k, v in names.items())}}}")
        self.w.line()
        self.paths()
        self.boundaries()
        self.loops()
        self.missing_data()
        self.invalid_input()
        self.helpers()
        self.w.close()
        return RunnerTests(self.w.text(), self.notes)


def runner_tests(flow: ProcessFlow, steps: Mapping[int, Step]) -> RunnerTests:
    """The process-compliance tests of ``flow`` (the graph the runner was written from)."""
    return _Writer(flow, steps).write()
