"""The SPy test runner (SPEC §9): ``*Test`` defines, ``test_*`` methods, a fresh runtime per case."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from process_designer.spy import ast
from process_designer.spy.errors import LimitExceeded, SpyRuntimeError
from process_designer.spy.interpreter import Interpreter, Limits
from process_designer.spy.runtime import SimulatedRuntime

__all__ = ["CaseResult", "TestReport", "run_program_tests"]


@dataclass(frozen=True, slots=True)
class CaseResult:
    """The outcome of one test case; ``message`` and ``line`` describe the failure, if any."""

    suite: str
    name: str
    passed: bool
    message: str = ""
    line: int | None = None

    def format(self, filename: str) -> str:
        """One report line: ``PASS Suite.test_x`` or ``FAIL Suite.test_x FILE:LINE: message``."""
        if self.passed:
            return f"PASS {self.suite}.{self.name}"
        where = f"{filename}:{self.line}" if self.line is not None else filename
        return f"FAIL {self.suite}.{self.name} {where}: {self.message}"


@dataclass(slots=True)
class TestReport:
    """All cases of one run, in source order."""

    __test__ = False  # not a pytest class
    cases: list[CaseResult] = field(default_factory=list)

    @property
    def passed(self) -> int:
        """How many cases passed."""
        return sum(1 for c in self.cases if c.passed)

    @property
    def failed(self) -> int:
        """How many cases failed."""
        return sum(1 for c in self.cases if not c.passed)

    def summary(self) -> str:
        """The last line of ``spy test``: ``N passed, N failed``."""
        return f"{self.passed} passed, {self.failed} failed"


def run_program_tests(program: ast.Program, bindings: Iterable[str] | None = None,
                      limits: Limits | None = None) -> TestReport:
    """Run every ``test_*`` method of every define whose name ends in ``Test``."""
    names = None if bindings is None else tuple(bindings)
    report = TestReport()
    interpreter: Interpreter | None = None  # compiled once, reset to a fresh runtime per case
    for define in program.defines:
        if not define.name.endswith("Test"):
            continue
        for member in define.members:
            if not (isinstance(member, ast.Method) and member.name.startswith("test_")):
                continue
            if member.params:
                report.cases.append(CaseResult(
                    define.name, member.name, False,
                    f"test methods take no parameters; remove {', '.join(member.params)}", member.line))
                continue
            runtime = SimulatedRuntime(names)
            if interpreter is None:
                interpreter = Interpreter(program, runtime, limits)
            else:
                interpreter.reset(runtime)
            try:
                interpreter.run(f"{define.name}.{member.name}")
            except SpyRuntimeError as exc:
                error = exc.error
                report.cases.append(CaseResult(define.name, member.name, False,
                                               f"{error.get('type')}: {error.get('message')}", exc.line))
            except LimitExceeded as exc:
                report.cases.append(CaseResult(define.name, member.name, False,
                                               f"LimitExceeded: {exc}", exc.line))
            else:
                report.cases.append(CaseResult(define.name, member.name, True))
    return report
