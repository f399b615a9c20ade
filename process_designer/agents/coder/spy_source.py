"""Small helpers for writing SPy source text: literals, identifiers, and an indenting writer."""

from __future__ import annotations

import re

__all__ = ["SpyWriter", "camel", "identifier", "key", "literal", "string"]

_KEYWORDS = {"define", "if", "else", "for", "in", "while", "break", "continue", "return", "raise", "try",
             "catch", "assert", "and", "or", "not", "true", "false", "null"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def string(text: str) -> str:
    """A double-quoted SPy string literal."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


def literal(value: object) -> str:
    """A SPy literal for a plain Python value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{identifier(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no SPy literal for {type(value).__name__}")


def key(text: str) -> str:
    """A map key: a plain name as it is (``amount``), anything else quoted (``"order.total"``)."""
    return text if _NAME.fullmatch(text) and text not in _KEYWORDS else string(text)


def identifier(text: str) -> str:
    """A valid, non-reserved SPy identifier made from ``text``."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", text.strip()).strip("_").lower() or "value"
    if name[0].isdigit():
        name = f"f_{name}"
    return f"{name}_value" if name in _KEYWORDS else name


def camel(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", text)) or "Process"


class SpyWriter:
    """Collects lines with two-space indentation (the canonical ``spy fmt`` style)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._depth = 0

    def line(self, text: str = "") -> None:
        self.lines.append(("  " * self._depth + text) if text else "")

    def comment(self, text: str) -> None:
        """``# text`` on one line: user text never ends the comment and starts code."""
        self.line("# " + " ".join(text.split()))

    def open(self, text: str) -> None:
        self.line(f"{text} {{")
        self._depth += 1

    def close(self, suffix: str = "") -> None:
        self._depth -= 1
        self.line("}" + suffix)

    def reopen(self, text: str) -> None:
        """``} else {`` style continuation."""
        self._depth -= 1
        self.line(f"}} {text} {{")
        self._depth += 1

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
