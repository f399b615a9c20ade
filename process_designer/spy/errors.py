"""Diagnostics and the exceptions of the SPy toolchain.

SpyError (process_designer.errors)
├── SpySyntaxError    the source does not parse; carries an E001 ``Diagnostic``
├── SpyRuntimeError   an uncaught SPy error; ``error`` is the SPy error map
└── LimitExceeded     a run went past a step, depth or size limit; never catchable in SPy
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from process_designer.errors import SpyError

__all__ = ["Diagnostic", "LimitExceeded", "SpyError", "SpyRuntimeError", "SpySyntaxError"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding of the parser or the checker; ``line`` and ``column`` are 1-based."""

    code: str
    message: str
    line: int
    column: int
    severity: Literal["error", "warning"] = "error"

    def format(self, filename: str) -> str:
        """Render as ``FILE:LINE:COL: CODE message`` (the message's first line only)."""
        return f"{filename}:{self.line}:{self.column}: {self.code} {self.message}"


class SpySyntaxError(SpyError):
    """The source is not valid SPy; ``diagnostic`` is the E001 finding, ``excerpt`` the line and caret."""

    def __init__(self, diagnostic: Diagnostic, filename: str = "<string>", excerpt: str = "") -> None:
        self.diagnostic = diagnostic
        self.filename = filename
        self.excerpt = excerpt
        super().__init__(diagnostic.format(filename))

    def report(self) -> str:
        """The diagnostic line followed by the source line and a caret under the column."""
        return self.diagnostic.format(self.filename) + ("\n" + self.excerpt if self.excerpt else "")


class SpyRuntimeError(SpyError):
    """An error raised while running SPy and not caught; ``error`` is the map ``{type, message, line}``."""

    def __init__(self, type_: str, message: str, line: int | None = None, column: int | None = None,
                 *, error: dict[str, Any] | None = None) -> None:
        if error is None:
            error = {"type": type_, "message": message}
        self.error: dict[str, Any] = error
        self.column = column
        if line is not None and "line" not in error:
            error["line"] = line
        super().__init__(type_, message)

    @property
    def line(self) -> int | None:
        """The source line where the error was raised, when known."""
        line = self.error.get("line")
        return line if isinstance(line, int) and not isinstance(line, bool) else None

    def locate(self, line: int, column: int) -> None:
        """Attach a position if the error has none yet (errors from bindings and the stdlib)."""
        if "line" not in self.error:
            self.error["line"] = line
            self.column = column

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line is not None else ""
        return f"{self.error.get('type')}: {self.error.get('message')}{where}"


class LimitExceeded(SpyError):
    """A run exceeded its step, call-depth or size limit; SPy ``try``/``catch`` never catches it."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(message + (f" (line {line})" if line is not None else ""))
