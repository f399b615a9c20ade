"""Compile SPy expressions into closures ``code(locals) -> value`` resolved once by the scope rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from process_designer.spy import ast
from process_designer.spy.errors import LimitExceeded, SpyRuntimeError
from process_designer.spy.names import STDLIB_ARITY
from process_designer.spy.runtime import HostFunction
from process_designer.spy.values import (
    NEW_CONTAINER,
    DefineValue,
    built,
    charge,
    kind,
    spy_contains,
    spy_eq,
    spy_less,
    type_error,
)

if TYPE_CHECKING:
    from process_designer.spy.interpreter import Interpreter

__all__ = ["ExpressionCompiler", "get_attribute"]

Code = Callable[[list[Any]], Any]
_BIG_INT_BITS = 4096
_BIG_INT = 1 << _BIG_INT_BITS
_SMALL_INT = (1 << 63) - 1  # results within a machine word are never charged


def _err(type_: str, message: str, node: ast.Node) -> SpyRuntimeError:
    return SpyRuntimeError(type_, message, node.line, node.column)


def _num(x: Any) -> bool:
    t = type(x)
    return t is int or t is float


def number(value: int | float) -> int | float:
    """An arithmetic result: whole numbers stay within 2**4096, and large ones are charged to the run."""
    if type(value) is int and not -_SMALL_INT <= value <= _SMALL_INT:
        if not -_BIG_INT < value < _BIG_INT:
            raise LimitExceeded(f"number larger than 2**{_BIG_INT_BITS}")
        charge(value.bit_length() // 64)
    return value


def _too_large(op: str) -> SpyRuntimeError:
    return SpyRuntimeError("OverflowError", f"the result of '{op}' is too large for a decimal number")


def add(a: Any, b: Any) -> Any:
    """``a + b`` on two numbers, two strings or two lists."""
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        try:
            return number(a + b)
        except OverflowError:
            raise _too_large("+") from None
    if (ta is str and tb is str) or (ta is list and tb is list):
        built(len(a) + len(b), "string" if ta is str else "list")
        return a + b
    raise type_error(f"cannot add {kind(a)} and {kind(b)}; '+' joins two numbers, two strings "
                     "or two lists (convert with str())")


def _arith(op: str) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        if not (_num(a) and _num(b)):
            raise type_error(f"'{op}' needs two numbers, got {kind(a)} and {kind(b)}")
        if b == 0 and op in ("/", "%"):
            raise SpyRuntimeError("ZeroDivisionError", f"'{op}' by zero")
        if op == "*" and type(a) is int and type(b) is int and a.bit_length() + b.bit_length() > _BIG_INT_BITS + 1:
            raise LimitExceeded(f"number larger than 2**{_BIG_INT_BITS}")  # before Python multiplies
        try:
            return number(a - b if op == "-" else a * b if op == "*" else a / b if op == "/" else a % b)
        except OverflowError:
            raise _too_large(op) from None

    return apply


def get_attribute(it: Interpreter, obj: Any, name: str) -> Any:
    """``obj.name`` for a map, a define or a host value."""
    t = type(obj)
    if t is dict:
        if name in obj:
            return obj[name]
        raise SpyRuntimeError("KeyError", f"map has no key '{name}'; use get(map, \"{name}\", default)")
    if t is DefineValue:
        fn = obj.methods.get(name)
        if fn is not None:
            return fn
        if it.has_field(obj.name, name):
            return it.field(obj.name, name)
        raise SpyRuntimeError("NameError", f"define {obj.name} has no member '{name}'")
    attr = getattr(obj, "spy_attr", None)
    if attr is not None and t not in (list, str):
        return attr(name)
    raise type_error(f"a {kind(obj)} has no attribute '{name}'")


def get_index(obj: Any, index: Any) -> Any:
    """``obj[index]`` for a list or string (whole-number index, negative from the end) or a map."""
    t = type(obj)
    if t is list or t is str:
        if type(index) is not int:
            raise type_error(f"{kind(obj)} index must be a whole number, not {kind(index)}")
        if -len(obj) <= index < len(obj):
            return obj[index]
        raise SpyRuntimeError("IndexError", f"index {index} out of range for a {kind(obj)} of length {len(obj)}")
    if t is dict:
        if type(index) is not str:
            raise type_error(f"map keys are strings, not {kind(index)}")
        if index in obj:
            return obj[index]
        raise SpyRuntimeError("KeyError", f"map has no key '{index}'; use get(map, key, default)")
    raise type_error(f"cannot index a {kind(obj)}")


class ExpressionCompiler:
    """Compiles the expressions of one method (or field) of ``define``; ``slots`` maps locals."""

    def __init__(self, it: Interpreter, define: str, slots: dict[str, int],
                 params: frozenset[str] = frozenset()) -> None:
        self.it = it
        self.define = define
        self.slots = slots
        self.params = params
        self.stdlib = {name: HostFunction(name, fn, *STDLIB_ARITY[name])
                       for name, fn in it.stdlib.items()}
        self._dispatch: dict[type, Callable[[Any], Code]] = {
            ast.Name: self.name, ast.Literal: self.literal, ast.ListLit: self.list_lit,
            ast.MapLit: self.map_lit, ast.Unary: self.unary, ast.Binary: self.binary,
            ast.Call: self.call, ast.Attribute: self.attribute, ast.Index: self.index,
        }

    def expr(self, node: ast.Expr) -> Code:
        """The closure evaluating ``node``."""
        return self._dispatch[type(node)](node)

    # ----------------------------------------------------------- names
    def static(self, name: str) -> tuple[bool, Any]:
        """Resolve a non-local name at compile time when the scope rules allow it."""
        it = self.it
        own = it.defines[self.define]
        if name in own.methods:
            return True, own.methods[name]
        if name in it.defines:
            return True, it.defines[name]
        if name in self.stdlib:
            return True, self.stdlib[name]
        return False, None

    def name(self, node: ast.Name) -> Code:
        name = node.id
        if name in self.slots:
            i = self.slots[name]
            if name in self.params:
                return lambda loc: loc[i]
            from process_designer.spy.interpreter import UNSET

            def local(loc: list[Any]) -> Any:
                v = loc[i]
                if v is UNSET:
                    raise _err("NameError", f"local '{name}' is used before it is assigned", node)
                return v

            return local
        it, define = self.it, self.define
        if it.has_field(define, name) and name not in it.defines[define].methods:
            return lambda loc: it.field(define, name)
        found, value = self.static(name)
        if found:
            return lambda loc: value
        lookup = it.host.lookup
        return lambda loc: lookup(name)

    # -------------------------------------------------------- literals
    def literal(self, node: ast.Literal) -> Code:
        value = node.value
        return lambda loc: value

    def list_lit(self, node: ast.ListLit) -> Code:
        items = [self.expr(i) for i in node.items]
        cost, it = len(items) + NEW_CONTAINER, self.it

        def new_list(loc: list[Any]) -> list[Any]:
            it.elements -= cost
            if it.elements < 0:
                it.charge_elements(0)
            return [i(loc) for i in items]

        return new_list

    def map_lit(self, node: ast.MapLit) -> Code:
        entries = [(e.key, self.expr(e.value)) for e in node.entries]
        cost, it = len(entries) + NEW_CONTAINER, self.it

        def new_map(loc: list[Any]) -> dict[str, Any]:
            it.elements -= cost
            if it.elements < 0:
                it.charge_elements(0)
            return {k: v(loc) for k, v in entries}

        return new_map

    # ------------------------------------------------------- operators
    def unary(self, node: ast.Unary) -> Code:
        operand = self.expr(node.operand)
        if node.op == "not":
            return lambda loc: not operand(loc)

        def negate(loc: list[Any]) -> Any:
            v = operand(loc)
            if _num(v):
                return -v
            raise _err("TypeError", f"cannot negate a {kind(v)}", node)

        return negate

    def binary(self, node: ast.Binary) -> Code:
        left, right, op = self.expr(node.left), self.expr(node.right), node.op
        if op == "and":
            return lambda loc: left(loc) and right(loc)
        if op == "or":
            return lambda loc: left(loc) or right(loc)
        if op == "==":
            return lambda loc: spy_eq(left(loc), right(loc))
        if op == "!=":
            return lambda loc: not spy_eq(left(loc), right(loc))
        if op == "in":
            return lambda loc: spy_contains(right(loc), left(loc))
        if op == "not in":
            return lambda loc: not spy_contains(right(loc), left(loc))
        if op == "+":
            def plus(loc: list[Any]) -> Any:
                a, b = left(loc), right(loc)
                if type(a) is int and type(b) is int:
                    r = a + b
                    return r if -_SMALL_INT <= r <= _SMALL_INT else number(r)
                return add(a, b)

            return plus
        if op == "<":
            def less(loc: list[Any]) -> Any:
                a, b = left(loc), right(loc)
                if type(a) is int and type(b) is int:
                    return a < b
                return spy_less(a, b, "<")

            return less
        if op in ("<=", ">", ">="):
            return lambda loc: spy_less(left(loc), right(loc), op)
        apply = _arith(op)

        def arith(loc: list[Any]) -> Any:
            a, b = left(loc), right(loc)
            if op == "-" and type(a) is int and type(b) is int:
                r = a - b
                return r if -_SMALL_INT <= r <= _SMALL_INT else number(r)
            return apply(a, b)

        return arith

    # ---------------------------------------------------------- access
    def attribute(self, node: ast.Attribute) -> Code:
        obj, name, it = self.expr(node.obj), node.name, self.it

        def attr(loc: list[Any]) -> Any:
            value = obj(loc)
            if type(value) is dict and name in value:
                return value[name]
            return get_attribute(it, value, name)

        return attr

    def index(self, node: ast.Index) -> Code:
        obj, index = self.expr(node.obj), self.expr(node.index)
        return lambda loc: get_index(obj(loc), index(loc))

    def call(self, node: ast.Call) -> Code:
        it = self.it
        args = [self.expr(a) for a in node.args]
        target: Any = None
        func = node.func
        if isinstance(func, ast.Name) and func.id not in self.slots:
            found, target = self.static(func.id)
            if not found or (it.has_field(self.define, func.id)
                             and func.id not in it.defines[self.define].methods):
                target = None
        elif (isinstance(func, ast.Attribute) and isinstance(func.obj, ast.Name)
              and func.obj.id not in self.slots and func.obj.id in it.defines
              and not it.has_field(self.define, func.obj.id)
              and func.obj.id not in it.defines[self.define].methods):
            target = it.defines[func.obj.id].methods.get(func.name)
        from process_designer.spy.interpreter import Function

        if type(target) is Function:
            fn, invoke = target, it.invoke
            if not args:
                return lambda loc: invoke(fn, [])
            if len(args) == 1:
                a0 = args[0]
                return lambda loc: invoke(fn, [a0(loc)])
            return lambda loc: invoke(fn, [a(loc) for a in args])
        if type(target) is HostFunction and target.lo <= len(args) <= target.hi:
            raw = target.fn
            if len(args) == 1:
                a0 = args[0]
                return lambda loc: raw(a0(loc))
            return lambda loc: raw(*[a(loc) for a in args])
        callee, call_value = self.expr(func), it.call_value
        return lambda loc: call_value(callee(loc), [a(loc) for a in args])


