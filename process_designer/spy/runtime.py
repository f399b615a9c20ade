"""The simulated host runtime: recording connectors, secrets from a mapping and a fixed clock."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from process_designer.spy.errors import SpyError, SpyRuntimeError
from process_designer.spy.names import PLATFORM_FUNCTIONS
from process_designer.spy.values import copy_value, display, from_python, kind, type_error

__all__ = ["Connector", "HostFunction", "SimulatedRuntime"]


class HostFunction:
    """A callable host binding with a name and an argument range, checked on every call."""

    __slots__ = ("fn", "hi", "lo", "name")

    def __init__(self, name: str, fn: Callable[..., Any], lo: int = 0, hi: int = 255) -> None:
        self.name, self.fn, self.lo, self.hi = name, fn, lo, hi

    def __call__(self, *args: Any) -> Any:
        if not self.lo <= len(args) <= self.hi:
            want = str(self.lo) if self.lo == self.hi else f"{self.lo} to {self.hi}"
            raise type_error(f"{self.name}() takes {want} arguments, got {len(args)}")
        return self.fn(*args)

    def __repr__(self) -> str:
        return f"<host function {self.name}>"


class Connector:
    """A simulated integration: ``crm.create_contact(x)`` records ``("crm.create_contact", [x])``."""

    __slots__ = ("name", "runtime")

    def __init__(self, name: str, runtime: SimulatedRuntime) -> None:
        self.name, self.runtime = name, runtime

    def spy_attr(self, operation: str) -> HostFunction:
        """The operation ``operation`` of this integration, as a callable."""
        op = f"{self.name}.{operation}"
        return HostFunction(op, lambda *args: self.runtime.invoke(op, list(args)))

    def __call__(self, *args: Any) -> Any:
        return self.runtime.invoke(self.name, list(args))

    def __repr__(self) -> str:
        return f"<connector {self.name}>"


def _parse_clock(clock: str) -> datetime:
    try:
        value = datetime.fromisoformat(clock.replace("Z", "+00:00"))
    except ValueError:
        raise SpyError(f"clock {clock!r} is not an ISO-8601 time such as 2026-01-01T00:00:00Z") from None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


class SimulatedRuntime:
    """Host bindings for ``spy run``, ``spy test`` and the designer's validation.

    ``bindings`` names the integration connectors; ``None`` simulates every free name the program
    does not resolve itself (those names are collected in ``simulated``). Every host call is
    appended to ``calls`` as ``(operation, [arguments…])``. ``returns`` maps an operation such as
    ``"crm.get_order"`` to the value it returns; ``secrets`` feeds ``get_secret`` (default:
    ``"secret:<name>"``); ``now()`` reads a fixed clock that only ``sleep`` advances.
    """

    def __init__(self, bindings: Iterable[str] | None = None, *, secrets: Mapping[str, str] | None = None,
                 returns: Mapping[str, Any] | None = None, clock: str = "2026-01-01T00:00:00Z") -> None:
        self.bindings: frozenset[str] | None = None if bindings is None else frozenset(bindings)
        self.secrets = dict(secrets or {})
        self.returns: dict[str, Any] = {k: from_python(v, f"returns[{k!r}]") for k, v in (returns or {}).items()}
        self.calls: list[tuple[str, list[Any]]] = []
        self.logs: list[str] = []
        self.simulated: list[str] = []
        self._errors: dict[str, list[dict[str, Any]]] = {}
        self._clock = _parse_clock(clock)
        self._connectors: dict[str, Connector] = {}
        self._functions = self._platform()

    # ------------------------------------------------------------ lookups
    def lookup(self, name: str) -> Any:
        """The host value bound to ``name``; a ``NameError`` SPy error when there is none."""
        fn = self._functions.get(name)
        if fn is not None:
            return fn
        connector = self._connectors.get(name)
        if connector is not None:
            return connector
        if self.bindings is None or name in self.bindings:
            connector = self._connectors[name] = Connector(name, self)
            if self.bindings is None:
                self.simulated.append(name)
            return connector
        raise SpyRuntimeError("NameError", f"unknown name '{name}': not defined and not a host binding; declare "
                              "the integration with --bindings or a '# spy: bindings' header")

    def _platform(self) -> dict[str, HostFunction]:
        impl: dict[str, Callable[..., Any]] = {
            "get_secret": self._get_secret,
            "sleep": self._sleep,
            "emit_metric": lambda *a: self._record("emit_metric", list(a)),
            "refresh_oauth_token": lambda *a: self._record("refresh_oauth_token", list(a),
                                                           "simulated-oauth-token"),
            "implement_backoff_strategy": lambda *a: self._record("implement_backoff_strategy", list(a)),
            "refresh_authentication": lambda *a: self._record("refresh_authentication", list(a), True),
            "retry_operation": lambda *a: self._record("retry_operation", list(a), True),
            "AuthConfig": lambda a, b: self._record("AuthConfig", [a, b], {"api_key": a, "token": b}),
            "simulate_return": self.simulate_return,
            "simulate_error": self.simulate_error,
            "recorded_calls": self.recorded_calls,
        }
        return {name: HostFunction(name, fn, *PLATFORM_FUNCTIONS[name]) for name, fn in impl.items()}

    # ----------------------------------------------------------- behaviour
    def _record(self, name: str, args: list[Any], result: Any = None) -> Any:
        self.calls.append((name, copy_value(args)))
        return result

    def _get_secret(self, name: Any) -> str:
        if type(name) is not str:
            raise type_error(f"get_secret() needs a string name, got {kind(name)}")
        self._record("get_secret", [name])
        return self.secrets.get(name, f"secret:{name}")

    def _sleep(self, seconds: Any) -> None:
        if type(seconds) not in (int, float) or not 0 <= seconds < math.inf:
            raise type_error("sleep() needs a number of seconds >= 0")
        try:
            self._clock += timedelta(seconds=seconds)
        except OverflowError:
            raise SpyRuntimeError("ValueError", f"sleep({display(seconds)}) moves the simulated clock past the "
                                  "year 9999; sleep for less") from None
        self._record("sleep", [seconds])

    def now(self) -> str:
        """The simulated clock as ISO-8601 UTC, e.g. ``2026-01-01T00:00:00Z``."""
        text = self._clock.strftime("%Y-%m-%dT%H:%M:%S")
        if self._clock.microsecond:
            text += f".{self._clock.microsecond:06d}".rstrip("0")
        return text + "Z"

    def log(self, message: str) -> None:
        """Record a ``log(message)`` line."""
        self.logs.append(message)
        self._record("log", [message])

    def invoke(self, operation: str, args: list[Any]) -> Any:
        """Run one connector operation: record it, then raise a queued error or return its value."""
        self._record(operation, args)
        queued = self._errors.get(operation)
        if queued:
            raise SpyRuntimeError("", "", error=dict(queued.pop(0)))
        if operation in self.returns:
            return copy_value(self.returns[operation])
        if len(args) == 1 and type(args[0]) is dict:
            return {**copy_value(args[0]), "ok": True}
        return {"args": copy_value(args), "ok": True}

    # ---------------------------------------------------- test-only helpers
    def simulate_return(self, operation: Any, value: Any) -> None:
        """From now on, calls of ``operation`` (e.g. ``"crm.get_order"``) return ``value``."""
        if type(operation) is not str:
            raise type_error("simulate_return() needs an operation name such as \"crm.get_order\"")
        self.returns[operation] = copy_value(value)

    def simulate_error(self, operation: Any, type_: Any, message: Any, times: Any = 1) -> None:
        """The next ``times`` calls of ``operation`` raise the error map ``{type, message}``."""
        if type(operation) is not str or type(type_) is not str:
            raise type_error("simulate_error() needs an operation name and an error type (strings)")
        if type(times) is not int or times < 1:
            raise type_error("simulate_error() times must be a whole number >= 1")
        error = {"type": type_, "message": display(message)}
        self._errors.setdefault(operation, []).extend(dict(error) for _ in range(times))

    def recorded_calls(self, operation: Any) -> list[list[Any]]:
        """Argument lists of every call so far of ``operation``, or of every operation of a connector."""
        if type(operation) is not str:
            raise type_error("recorded_calls() needs an operation or connector name")
        prefix = operation + "."
        return [copy_value(args) for name, args in self.calls
                if name == operation or name.startswith(prefix)]
