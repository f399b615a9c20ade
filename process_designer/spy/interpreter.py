"""A tree-walking interpreter: the AST is compiled once into Python closures, then run."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from process_designer.spy import ast
from process_designer.spy.errors import LimitExceeded, SpyError, SpyRuntimeError
from process_designer.spy.expressions import ExpressionCompiler
from process_designer.spy.parser import ensure_recursion_floor
from process_designer.spy.stdlib import make_stdlib
from process_designer.spy.values import DefineValue, display, metered, type_error

__all__ = ["Function", "Interpreter", "Limits", "Runtime"]

Code = Callable[[list[Any]], Any]

UNSET: Any = type("Unset", (), {"__repr__": lambda self: "<unset>"})()
BREAK: Any = type("Break", (), {})()
CONTINUE: Any = type("Continue", (), {})()
RETURN: Any = type("Return", (), {})()


class Runtime(Protocol):
    """What the interpreter needs from a host runtime."""

    def lookup(self, name: str) -> Any: ...
    def now(self) -> str: ...
    def log(self, message: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-run limits (SPEC §8); exceeding one raises the uncatchable ``LimitExceeded``.

    ``max_elements`` bounds the memory and time of a run beyond its steps: every string, list or
    map built, copied, compared or printed charges its length (a 4096-bit number charges 64).
    """

    max_steps: int = 1_000_000
    max_depth: int = 200
    max_seconds: float = 10.0
    max_elements: int = 10_000_000


# Steps are counted down in chunks; the clock is read between chunks, not on every step.
_CHUNK = 1024


class Function:
    """A compiled SPy method."""

    __slots__ = ("body", "define", "name", "nlocals", "nparams")

    def __init__(self, define: str, name: str, nparams: int) -> None:
        self.define, self.name, self.nparams = define, name, nparams
        self.nlocals = 0
        self.body: Code = _no_body

    def __repr__(self) -> str:
        return f"<method {self.define}.{self.name}>"


def _no_body(loc: list[Any]) -> None:
    return None


class _Host:
    """The runtime compiled code talks to: a fixed object whose target :meth:`Interpreter.reset` swaps."""

    __slots__ = ("target",)

    def __init__(self, target: Runtime) -> None:
        self.target = target

    def lookup(self, name: str) -> Any:
        return self.target.lookup(name)

    def now(self) -> str:
        return self.target.now()

    def log(self, message: str) -> None:
        self.target.log(message)


class Interpreter:
    """Runs one program against one runtime; ``steps`` and ``depth`` are counted per interpreter.

    Compiling is most of the cost of a short run, so :meth:`reset` lets one compiled program run
    again against a fresh runtime (a test runner's fresh runtime per case) without compiling anew.
    """

    depth: int
    budget: int  # steps left in the current chunk
    elements: int  # elements left in the current chunk
    _steps_left: int
    _elements_left: int
    _chunk: int
    _element_chunk: int
    _deadline: float

    def __init__(self, program: ast.Program, runtime: Runtime, limits: Limits | None = None) -> None:
        self.program = program
        self.runtime = runtime
        self.host = _Host(runtime)
        self.limits = limits or Limits()
        self._start_run()
        self.stdlib = make_stdlib(self.host.now, self.host.log)
        self.defines: dict[str, DefineValue] = {}
        self.positions: dict[Code, tuple[int, int]] = {}
        for define in program.defines:
            value = self.defines.setdefault(define.name, DefineValue(define.name))
            for member in define.members:
                if isinstance(member, ast.Method) and member.name not in value.methods:
                    value.methods[member.name] = Function(define.name, member.name, len(member.params))
        self._field_code: dict[tuple[str, str], Code] = {}
        self._resolving: set[tuple[str, str]] = set()
        for define in program.defines:
            self._compile_define(define)

    def reset(self, runtime: Runtime) -> None:
        """Run against ``runtime`` from now on, as a new interpreter would: full step budget, and
        fields evaluated again (a field may call the host)."""
        self.runtime = runtime
        self.host.target = runtime
        self._start_run()
        self._resolving.clear()
        for value in self.defines.values():
            value.fields.clear()

    # ------------------------------------------------------------ compile
    def _compile_define(self, define: ast.Define) -> None:
        value = self.defines[define.name]
        for member in define.members:
            if isinstance(member, ast.Field):
                if (define.name, member.name) not in self._field_code:
                    comp = ExpressionCompiler(self, define.name, {})
                    self._field_code[(define.name, member.name)] = comp.expr(member.value)
            else:
                fn = value.methods[member.name]
                if fn.body is _no_body:
                    self._compile_method(define.name, member, fn)

    def _compile_method(self, define: str, method: ast.Method, fn: Function) -> None:
        slots: dict[str, int] = {}
        for i, p in enumerate(method.params, start=1):
            slots[p] = i
        comp = ExpressionCompiler(self, define, slots, params=frozenset(method.params))
        from process_designer.spy.statements import StatementCompiler

        fn.body = StatementCompiler(self, comp).block(method.body)
        fn.nlocals = len(slots) + 1

    def field(self, define: str, name: str) -> Any:
        """The value of a field, evaluated on first use (fields may refer to other fields)."""
        value = self.defines[define]
        if name in value.fields:
            return value.fields[name]
        key = (define, name)
        if key in self._resolving:
            raise SpyRuntimeError("NameError", f"field {define}.{name} refers to itself")
        self._resolving.add(key)
        try:
            result = self._field_code[key]([None])
        finally:
            self._resolving.discard(key)
        value.fields[name] = result
        return result

    def has_field(self, define: str, name: str) -> bool:
        """Whether ``define`` has a field called ``name``."""
        return (define, name) in self._field_code

    # ---------------------------------------------------------------- run
    def invoke(self, fn: Function, args: list[Any]) -> Any:
        """Call a compiled method with already evaluated arguments."""
        if len(args) != fn.nparams:
            raise type_error(f"{fn.define}.{fn.name}() takes {fn.nparams} argument"
                             f"{'' if fn.nparams == 1 else 's'}, got {len(args)}")
        self.depth += 1
        if self.depth > self.limits.max_depth:
            self.depth = 0
            raise LimitExceeded(f"call depth exceeded {self.limits.max_depth} "
                                f"(in {fn.define}.{fn.name}); is a recursion missing its base case?")
        loc = [None, *args]
        loc.extend([UNSET] * (fn.nlocals - len(loc)))
        try:
            fn.body(loc)
        finally:
            self.depth -= 1
        return loc[0]

    def _start_run(self) -> None:
        self.depth = 0
        self._steps_left = self.limits.max_steps  # beyond the current chunk (``budget``)
        self._elements_left = self.limits.max_elements  # beyond the current chunk (``elements``)
        self.elements = self._element_chunk = 0
        self._deadline = time.monotonic() + self.limits.max_seconds
        self.budget = self._chunk = 0

    def spend(self, steps: int) -> None:
        """Charge ``steps`` evaluation steps; raise ``LimitExceeded`` past the budget or the time limit.

        ``budget`` counts down the current chunk of steps (compiled code decrements it inline and
        calls ``spend(0)`` once it is negative); each new chunk reads the clock.
        """
        self.budget -= steps
        if self.budget >= 0:
            return
        self._steps_left -= self._chunk - self.budget
        if self._steps_left < 0:
            raise LimitExceeded(f"more than {self.limits.max_steps:,} evaluation steps; "
                                "is a loop missing its exit?")
        self._check_clock()
        self._chunk = self.budget = min(_CHUNK, self._steps_left)

    def charge_elements(self, n: int) -> None:
        """Charge ``n`` elements built, copied or compared; raise ``LimitExceeded`` past the allowance.

        Like steps, elements are counted down in chunks (``elements``); each new chunk reads the clock.
        """
        self.elements -= n
        if self.elements >= 0:
            return
        self._elements_left -= self._element_chunk - self.elements
        if self._elements_left < 0:
            raise LimitExceeded(f"more than {self.limits.max_elements:,} elements of strings, lists and maps "
                                "built, copied or compared; work on smaller values")
        self._check_clock()
        self._element_chunk = self.elements = min(_CHUNK * 64, self._elements_left)

    def _check_clock(self) -> None:
        if time.monotonic() > self._deadline:
            raise LimitExceeded(f"ran longer than {self.limits.max_seconds:g} seconds; "
                                "is a loop missing its exit?")

    def call_value(self, value: Any, args: list[Any]) -> Any:
        """Call any SPy value: a method, a stdlib function or a host binding."""
        if type(value) is Function:
            return self.invoke(value, args)
        if callable(value) and type(value) is not DefineValue:
            return value(*args)
        raise type_error(f"{display(value, True)} is not callable")

    def run(self, target: str, args: Sequence[Any] = ()) -> Any:
        """Run ``Define.method`` with ``args``; uncaught errors raise ``SpyRuntimeError``."""
        define_name, _, method_name = target.partition(".")
        define = self.defines.get(define_name)
        if define is None or not method_name:
            names = ", ".join(self.defines) or "none"
            raise SpyError(f"no define {define_name!r} to call; give the target as Define.method "
                           f"(defines: {names})")
        fn = define.methods.get(method_name)
        if fn is None:
            names = ", ".join(define.methods) or "none"
            raise SpyError(f"define {define_name} has no method {method_name!r} (methods: {names})")
        if len(args) != fn.nparams:
            raise SpyError(f"{target}() takes {fn.nparams} argument(s), got {len(args)}")
        ensure_recursion_floor()
        self._deadline = time.monotonic() + self.limits.max_seconds
        try:
            with metered(self.charge_elements):
                return self.invoke(fn, list(args))
        except RecursionError:
            self.depth = 0
            raise LimitExceeded("nesting too deep while running; simplify the expression or the "
                                "recursion") from None
        except MemoryError:
            self.depth = 0
            raise LimitExceeded("out of memory while running; work on smaller values") from None
