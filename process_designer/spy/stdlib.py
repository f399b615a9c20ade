"""The SPy standard library (SPEC §6): pure functions plus ``now`` and ``log`` from the runtime."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from process_designer.spy.errors import SpyRuntimeError
from process_designer.spy.values import (
    built,
    charge,
    check_size,
    display,
    kind,
    spy_contains,
    spy_less,
    type_error,
)

__all__ = ["make_stdlib"]

_NUM = (int, float)


def _is_num(x: Any) -> bool:
    return type(x) is int or type(x) is float


def _want_str(fn: str, x: Any) -> str:
    if type(x) is not str:
        raise type_error(f"{fn}() needs a string, got {kind(x)}")
    return x


def _text(fn: str, x: Any) -> str:
    """The string ``x`` about to be copied into a new string (charged to the run)."""
    charge(len(_want_str(fn, x)))
    return x


def _want_num(fn: str, x: Any) -> int | float:
    if not _is_num(x):
        raise type_error(f"{fn}() needs a number, got {kind(x)}")
    return x


def _len(x: Any) -> int:
    if type(x) in (str, list, dict):
        return len(x)
    raise type_error(f"len() needs a string, list or map, got {kind(x)}")


def _str(x: Any) -> str:
    return display(x)


def _int(x: Any) -> int:
    t = type(x)
    if t is int or t is bool:
        return int(x)
    if t is float:
        if x != x or x in (float("inf"), float("-inf")):
            raise SpyRuntimeError("ValueError", f"cannot convert {x} to an integer")
        return int(x)
    if t is str:
        try:
            return int(x.strip())
        except ValueError:
            try:
                return int(float(x.strip()))
            except (ValueError, OverflowError):
                raise SpyRuntimeError("ValueError", f"int() cannot read {x!r} as a number") from None
    raise type_error(f"int() needs a number, bool or string, got {kind(x)}")


def _float(x: Any) -> float:
    t = type(x)
    if t in (int, float, bool):
        try:
            return float(x)
        except OverflowError:
            raise SpyRuntimeError("ValueError", "float() of a number too large for a decimal number") from None
    if t is str:
        try:
            return float(x.strip())
        except ValueError:
            raise SpyRuntimeError("ValueError", f"float() cannot read {x!r} as a number") from None
    raise type_error(f"float() needs a number, bool or string, got {kind(x)}")


def _split(s: Any, sep: Any) -> list[str]:
    _want_str("split", s)
    if _want_str("split", sep) == "":
        raise SpyRuntimeError("ValueError", "split() separator must not be empty")
    charge(len(s))
    return s.split(sep)


def _join(items: Any, sep: Any) -> str:
    if type(items) is not list:
        raise type_error(f"join() needs a list, got {kind(items)}")
    _want_str("join", sep)
    for item in items:
        if type(item) is not str:
            raise type_error(f"join() needs a list of strings, found a {kind(item)}; convert it with str()")
    built(sum(len(item) for item in items) + len(sep) * max(len(items) - 1, 0), "string")
    out: str = sep.join(items)
    return out


def _starts_with(s: Any, prefix: Any) -> bool:
    return _want_str("starts_with", s).startswith(_want_str("starts_with", prefix))


def _map(fn: str, m: Any) -> dict[str, Any]:
    if type(m) is not dict:
        raise type_error(f"{fn}() needs a map, got {kind(m)}")
    return m


def _contents(fn: str, m: Any) -> dict[str, Any]:
    """The map ``m`` whose keys or values are about to be copied into a list (charged to the run)."""
    charge(len(_map(fn, m)))
    return m


def _get(m: Any, key: Any, default: Any = None) -> Any:
    if type(m) is list and type(key) is int:
        return m[key] if -len(m) <= key < len(m) else default
    return _map("get", m).get(key, default) if type(key) is str else default


def _append(items: Any, x: Any) -> None:
    if type(items) is not list:
        raise type_error(f"append() needs a list, got {kind(items)}")
    check_size(len(items) + 1, "list")
    items.append(x)


def _range(a: Any, b: Any = None) -> list[int]:
    start, stop = (0, a) if b is None else (a, b)
    if type(start) is not int or type(stop) is not int:
        raise type_error("range() needs whole numbers")
    built(stop - start, "list")
    return list(range(start, stop))


def _pick(fn: str, a: Any, b: Any) -> Any:
    smaller = spy_less(a, b, "<")
    return (a if smaller else b) if fn == "min" else (b if smaller else a)


def _abs(x: Any) -> int | float:
    return abs(_want_num("abs", x))


def _round(x: Any, digits: Any = None) -> int | float:
    _want_num("round", x)
    if digits is not None and type(digits) is not int:
        raise type_error("round() digits must be a whole number")
    if type(x) is float and not math.isfinite(x):
        raise SpyRuntimeError("ValueError", f"cannot round {x}")
    return round(x) if digits is None else round(x, max(min(digits, 400), -400))


def _error(type_: Any, message: Any) -> dict[str, Any]:
    return {"type": _want_str("error", type_), "message": display(message)}


def make_stdlib(now: Callable[[], str], log: Callable[[Any], None]) -> dict[str, Callable[..., Any]]:
    """The standard library bound to a runtime's clock and log."""

    def _log(message: Any) -> None:
        log(display(message))

    return {
        "len": _len, "str": _str, "int": _int, "float": _float, "bool": bool,
        "lower": lambda s: _text("lower", s).lower(),
        "upper": lambda s: _text("upper", s).upper(),
        "trim": lambda s: _text("trim", s).strip(),
        "split": _split, "join": _join,
        "contains": lambda c, x: spy_contains(c, x),
        "starts_with": _starts_with,
        "keys": lambda m: list(_contents("keys", m)),
        "values": lambda m: list(_contents("values", m).values()),
        "get": _get, "append": _append, "range": _range,
        "min": lambda a, b: _pick("min", a, b), "max": lambda a, b: _pick("max", a, b),
        "abs": _abs, "round": _round, "now": now, "log": _log, "error": _error,
    }
