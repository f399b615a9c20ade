"""The SPy toolchain: parse, check, format, run and test SPy programs (see README.md in this folder)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from process_designer.spy.ast import Program
from process_designer.spy.checker import check_program
from process_designer.spy.errors import (
    Diagnostic,
    LimitExceeded,
    SpyError,
    SpyRuntimeError,
    SpySyntaxError,
)
from process_designer.spy.formatter import format_program
from process_designer.spy.interpreter import Interpreter, Limits
from process_designer.spy.parser import parse
from process_designer.spy.runtime import SimulatedRuntime
from process_designer.spy.testing import CaseResult, TestReport, run_program_tests
from process_designer.spy.values import from_python, to_python

__all__ = [
    "CaseResult",
    "Diagnostic",
    "LimitExceeded",
    "Limits",
    "Program",
    "SimulatedRuntime",
    "SpyError",
    "SpyRuntimeError",
    "SpySyntaxError",
    "TestReport",
    "call",
    "check",
    "format_source",
    "parse",
    "run_tests",
]


def check(source: str, filename: str = "<string>", bindings: Iterable[str] = ()) -> list[Diagnostic]:
    """Every diagnostic of ``source`` sorted by (line, column); a syntax error comes back as E001."""
    try:
        program = parse(source, filename)
    except SpySyntaxError as exc:
        return [exc.diagnostic]
    try:
        return check_program(program, bindings)
    except RecursionError:
        return [Diagnostic("E001", "nesting too deep to check; simplify the expression", 1, 1)]


def format_source(source: str) -> str:
    """The canonical formatting of ``source`` (SPEC §1), keeping comments; raises ``SpySyntaxError``."""
    program = parse(source)
    try:
        return format_program(program, source)
    except RecursionError:
        raise SpyError("nesting too deep to format; simplify the expression") from None


def _program(source: str | Program, filename: str) -> Program:
    return source if isinstance(source, Program) else parse(source, filename)


def call(source: str | Program, target: str, args: Sequence[Any] = (), *,
         runtime: SimulatedRuntime | None = None, filename: str = "<string>",
         limits: Limits | None = None) -> Any:
    """Run ``target`` (``"Define.method"``) with JSON-like ``args`` and return plain Python.

    Raises ``SpySyntaxError``, ``SpyRuntimeError`` (an uncaught SPy error, ``.error`` is its map),
    ``LimitExceeded``, or ``SpyError`` for a target that does not exist or takes other arguments.
    """
    program = _program(source, filename)
    try:
        values = [from_python(a, "argument") for a in args]
    except RecursionError:
        raise LimitExceeded("the arguments are nested too deep; flatten them") from None
    result = Interpreter(program, runtime or SimulatedRuntime(), limits).run(target, values)
    try:
        return to_python(result)
    except RecursionError:
        raise LimitExceeded(f"the result of {target} is nested too deep to return; flatten it") from None


def run_tests(source: str | Program, filename: str = "<string>", *,
              bindings: Iterable[str] | None = None, limits: Limits | None = None) -> TestReport:
    """Run the ``test_*`` methods of every ``*Test`` define, each in a fresh simulated runtime."""
    return run_program_tests(_program(source, filename), bindings, limits)
