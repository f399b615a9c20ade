"""SPy values on the Python side: kinds, deep equality, ordering, display and the size limit."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from process_designer.spy.errors import LimitExceeded, SpyRuntimeError

__all__ = [
    "MAX_ELEMENTS",
    "NEW_CONTAINER",
    "DefineValue",
    "built",
    "charge",
    "check_size",
    "copy_value",
    "display",
    "from_python",
    "kind",
    "metered",
    "spy_contains",
    "spy_eq",
    "spy_less",
    "to_python",
    "type_error",
]

MAX_ELEMENTS = 1_000_000

# The meter of the run on this thread: the interpreter charges the elements every operation builds,
# copies or compares, so a run's memory and time stay bounded however large its values grow.
_RUN = threading.local()


@contextmanager
def metered(meter: Callable[[int], None]) -> Iterator[None]:
    """Charge the work of values on this thread to ``meter`` until the block ends."""
    previous = getattr(_RUN, "meter", None)
    _RUN.meter = meter
    try:
        yield
    finally:
        _RUN.meter = previous


NEW_CONTAINER = 8  # what a new list or map costs beyond its elements (its header is ~8 slots)


def charge(n: int) -> None:
    """Charge ``n`` elements built, copied or compared to the running interpreter (if any)."""
    meter = getattr(_RUN, "meter", None)
    if meter is not None:
        meter(n)


class DefineValue:
    """A ``define`` used as a value: ``Name.method(…)`` and ``Name.FIELD`` go through it."""

    __slots__ = ("fields", "methods", "name", "resolve_field")

    def __init__(self, name: str) -> None:
        self.name = name
        self.methods: dict[str, Any] = {}
        self.fields: dict[str, Any] = {}
        self.resolve_field: Any = None

    def __repr__(self) -> str:
        return f"<define {self.name}>"


def kind(value: Any) -> str:
    """The SPy kind of ``value``: null, bool, number, string, list, map, define or host."""
    t = type(value)
    if value is None:
        return "null"
    if t is bool:
        return "bool"
    if t is int or t is float:
        return "number"
    if t is str:
        return "string"
    if t is list:
        return "list"
    if t is dict:
        return "map"
    if t is DefineValue:
        return "define"
    return "host"


def type_error(message: str) -> SpyRuntimeError:
    """A ``TypeError`` SPy error (a position is attached by the statement that raised it)."""
    return SpyRuntimeError("TypeError", message)


def check_size(n: int, what: str) -> None:
    """Raise ``LimitExceeded`` when a string or list would exceed the element limit."""
    if n > MAX_ELEMENTS:
        raise LimitExceeded(f"{what} of {n:,} elements exceeds the limit of {MAX_ELEMENTS:,}")


def built(n: int, what: str) -> None:
    """A new string or list of ``n`` elements: within the size limit, and charged to the run."""
    check_size(n, what)
    charge(n)


def spy_eq(a: Any, b: Any) -> bool:
    """``==``: by value, lists and maps deeply; values of different kinds are never equal."""
    ta, tb = type(a), type(b)
    if ta is tb:
        if ta is list:
            charge(len(a))
            return len(a) == len(b) and all(spy_eq(x, y) for x, y in zip(a, b, strict=True))
        if ta is dict:
            charge(len(a))
            return a.keys() == b.keys() and all(spy_eq(v, b[k]) for k, v in a.items())
        return bool(a == b) if ta in _PLAIN else a is b
    if (ta is int or ta is float) and (tb is int or tb is float):
        return bool(a == b)
    return False


_PLAIN = frozenset({int, float, str, bool, type(None)})


def spy_less(a: Any, b: Any, op: str) -> bool:
    """``<``, ``<=``, ``>``, ``>=`` between two numbers or two strings; anything else is a TypeError."""
    ta, tb = type(a), type(b)
    if not ((ta is int or ta is float) and (tb is int or tb is float)) and not (ta is str and tb is str):
        raise type_error(f"cannot compare {kind(a)} with {kind(b)} using '{op}'")
    if op == "<":
        return bool(a < b)
    if op == "<=":
        return bool(a <= b)
    if op == ">":
        return bool(a > b)
    return bool(a >= b)


def spy_contains(container: Any, item: Any) -> bool:
    """``item in container`` for a list (by value), a map (its keys) or a string (a substring)."""
    t = type(container)
    if t is list or t is str:
        charge(len(container))
    if t is list:
        return any(spy_eq(item, x) for x in container)
    if t is dict:
        if type(item) is not str:
            raise type_error(f"map keys are strings; cannot look up a {kind(item)} with 'in'")
        return item in container
    if t is str:
        if type(item) is not str:
            raise type_error(f"'in' on a string needs a string on the left, not a {kind(item)}")
        return item in container
    raise type_error(f"'in' needs a list, map or string on the right, not a {kind(container)}")


def _number(value: int | float) -> str:
    if type(value) is float:
        if math.isnan(value) or math.isinf(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e16:
            return f"{value:.1f}"
        return repr(value)
    return str(value)


def display(value: Any, nested: bool = False) -> str:
    """``str(value)``: strings as they are (quoted inside collections), others as SPy literals."""
    if value is None:
        return "null"
    t = type(value)
    if t is bool:
        return "true" if value else "false"
    if t is int or t is float:
        return _number(value)
    if t is str:
        return json.dumps(value, ensure_ascii=False) if nested else value
    if t is list:
        charge(len(value))
        return "[" + ", ".join(display(v, True) for v in value) + "]"
    if t is dict:
        charge(len(value))
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {display(v, True)}"
                               for k, v in value.items()) + "}"
    return repr(value)


def to_python(value: Any) -> Any:
    """A plain-Python copy (None/bool/int/float/str/list/dict); defines and host values become strings."""
    t = type(value)
    if value is None or t in (bool, int, float, str):
        return value
    if t is list:
        charge(len(value) + NEW_CONTAINER)
        return [to_python(v) for v in value]
    if t is dict:
        charge(len(value) + NEW_CONTAINER)
        return {k: to_python(v) for k, v in value.items()}
    return repr(value)


def copy_value(value: Any) -> Any:
    """A deep copy of the lists and maps in ``value``; other values are shared (they never change)."""
    t = type(value)
    if t is list:
        charge(len(value) + NEW_CONTAINER)
        return [copy_value(v) for v in value]
    if t is dict:
        charge(len(value) + NEW_CONTAINER)
        return {k: copy_value(v) for k, v in value.items()}
    return value


def from_python(value: Any, where: str = "argument") -> Any:
    """A SPy copy of JSON-like Python data; raises ``SpyRuntimeError`` for anything else."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        charge(len(value) + NEW_CONTAINER)
        return [from_python(v, where) for v in value]
    if isinstance(value, dict):
        charge(len(value) + NEW_CONTAINER)
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise type_error(f"{where}: map keys must be strings, got {k!r}")
            out[k] = from_python(v, where)
        return out
    raise type_error(f"{where}: {type(value).__name__} is not a SPy value (use JSON-like data)")
