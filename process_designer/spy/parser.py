"""Parse SPy source into the dataclass AST (``parse``), turning every syntax problem into E001."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from process_designer.spy import ast
from process_designer.spy.builder import AstBuilder
from process_designer.spy.errors import Diagnostic, SpySyntaxError

__all__ = ["MAX_NESTING", "MAX_SOURCE_CHARS", "parse", "syntax_error"]

MAX_SOURCE_CHARS = 1_000_000
MAX_NESTING = 100
# Deep-but-legal expression chains (``a + a + … + a``) recurse in the tree walkers.
RECURSION_FLOOR = 12_000

_OPENERS = {"LPAR": "(", "LSQB": "[", "LMAP": "map", "LBRACE": "block"}
_CLOSERS = frozenset({"RPAR", "RSQB", "RBRACE"})
# After one of these a "{" closes an expression's head and opens a block (SPEC §2).
_BLOCK_AFTER = frozenset(
    {"NAME", "NUMBER", "STRING", "TRUE", "FALSE", "NULL", "RPAR", "RSQB", "RBRACE", "ELSE", "TRY"}
)
_EXPRESSION_START = frozenset(
    {"NAME", "NUMBER", "STRING", "TRUE", "FALSE", "NULL", "LSQB", "LMAP", "LPAR", "MINUS", "NOT"}
)
_OPERATORS = frozenset(
    {"OR", "AND", "EQ", "NE", "LT", "LE", "GT", "GE", "IN", "NOT", "PLUS", "MINUS", "STAR", "SLASH",
     "PERCENT", "LPAR", "LSQB", "DOT"}
)
_NAMED = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": "a string",
    "_NL": "a new line",
    "LMAP": "'{'",
    "$END": "end of file",
}


class _PostLexer:
    """Drops newlines inside brackets and maps, collapses blank lines, tells maps from blocks."""

    always_accept = ("_NL",)

    def __init__(self) -> None:
        self.filename = "<string>"
        self.source = ""

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        stack: list[str] = []
        prev = "_NL"
        for tok in stream:
            kind = tok.type
            if kind == "_NL":
                if (stack and stack[-1] != "block") or prev == "_NL":
                    continue
            elif kind == "LBRACE" and prev not in _BLOCK_AFTER:
                tok = Token.new_borrow_pos("LMAP", tok.value, tok)
                kind = "LMAP"
            if kind in _OPENERS:
                stack.append(_OPENERS[kind])
                if len(stack) > MAX_NESTING:
                    raise syntax_error(
                        f"nesting too deep (more than {MAX_NESTING} levels of brackets and blocks); "
                        "split the expression or move code into a method",
                        tok.line or 1, tok.column or 1, self.source, self.filename)
            elif kind in _CLOSERS and stack:
                stack.pop()
            prev = kind
            yield tok


@lru_cache(maxsize=1)
def _parser() -> tuple[Lark, _PostLexer]:
    postlex = _PostLexer()
    lark = Lark.open(
        str(Path(__file__).with_name("grammar.lark")),
        parser="lalr",
        lexer="basic",
        propagate_positions=True,
        postlex=postlex,
        transformer=AstBuilder(),
        maybe_placeholders=False,
        # The LALR tables are built once and kept in the temporary directory, keyed by the grammar's
        # and lark's version: a `spy` command then starts in a fraction of the time.
        cache=True,
    )
    return lark, postlex


def _describe(terminal: str, lark: Lark) -> str:
    if terminal in _NAMED:
        return _NAMED[terminal]
    try:
        pattern = lark.get_terminal(terminal).pattern
    except KeyError:
        return terminal
    return f"'{pattern.value}'" if pattern.type == "str" else terminal.lower()


def _expected(names: set[str], lark: Lark) -> str:
    names = set(names)
    parts: list[str] = []
    if {"NAME", "NUMBER", "STRING"} <= names:
        names -= _EXPRESSION_START
        parts.append("an expression")
    if {"PLUS", "STAR", "EQ"} <= names:
        names -= _OPERATORS
        parts.append("an operator")
    parts.extend(sorted(_describe(n, lark) for n in names))
    if not parts:
        return ""
    if len(parts) == 1:
        return f"; expected {parts[0]}"
    return f"; expected one of {', '.join(parts[:-1])} or {parts[-1]}"


def syntax_error(message: str, line: int, column: int, source: str, filename: str) -> SpySyntaxError:
    """Build the E001 error for ``line:column`` with the source line and a caret under it."""
    lines = source.splitlines()
    excerpt = ""
    if 1 <= line <= len(lines):
        text = lines[line - 1]
        if len(text) <= 200:
            caret = "".join("\t" if ch == "\t" else " " for ch in text[: column - 1])
            excerpt = f"  {text}\n  {caret}^"
    return SpySyntaxError(Diagnostic("E001", message, line, column), filename, excerpt)


def _end_position(source: str) -> tuple[int, int]:
    lines = source.split("\n")
    return len(lines), len(lines[-1]) + 1


def _convert(exc: UnexpectedInput, source: str, filename: str, lark: Lark) -> SpySyntaxError:
    if isinstance(exc, UnexpectedCharacters):
        at = exc.pos_in_stream or 0
        char = source[at] if at < len(source) else ""
        if char in "\"'":
            message = f"unterminated string: close it with {char} on the same line"
        elif char.isprintable() and not char.isspace():
            message = f"unexpected character '{char}'"
        else:
            message = f"unexpected character U+{ord(char):04X}" if char else "unexpected end of file"
        return syntax_error(message, exc.line, exc.column, source, filename)
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        expected = _expected(set(exc.accepts or exc.expected), lark)
        if tok.type == "$END":
            line, column = _end_position(source)
            return syntax_error("unexpected end of file" + expected, line, column, source, filename)
        if tok.type == "_NL":
            what = "end of line"
        else:
            what = f"'{tok.value}'" if tok.type not in _WORDS else f"{_WORDS[tok.type]} {tok.value}"
        if tok.type in _KEYWORDS and "NAME" in (exc.accepts or exc.expected):
            expected += f" ('{tok.value}' is a keyword and cannot be a name)"
        return syntax_error(f"unexpected {what}{expected}", tok.line, tok.column, source, filename)
    line = getattr(exc, "line", 1) or 1
    column = getattr(exc, "column", 1) or 1
    return syntax_error(f"invalid syntax: {exc}", line, column, source, filename)


_WORDS = {"NAME": "name", "NUMBER": "number", "STRING": "string"}
_KEYWORDS = frozenset(
    {"DEFINE", "IF", "ELSE", "FOR", "IN", "WHILE", "BREAK", "CONTINUE", "RETURN", "RAISE", "TRY",
     "CATCH", "ASSERT", "AND", "OR", "NOT", "TRUE", "FALSE", "NULL"}
)


def ensure_recursion_floor() -> None:
    """Tree walkers recurse once per nesting level; keep Python's limit comfortably above that."""
    if sys.getrecursionlimit() < RECURSION_FLOOR:
        sys.setrecursionlimit(RECURSION_FLOOR)


def parse(source: str, filename: str = "<string>") -> ast.Program:
    """Parse SPy ``source`` into a :class:`~process_designer.spy.ast.Program`.

    Raises :class:`SpySyntaxError` (code E001, with the source line and a caret) when it does not parse.
    """
    if len(source) > MAX_SOURCE_CHARS:
        raise syntax_error(
            f"source too large: {len(source):,} characters; the limit is {MAX_SOURCE_CHARS:,} "
            "(split the program into smaller files)", 1, 1, source, filename)
    if source.startswith("\ufeff"):
        source = source[1:]
    with _LOCK:
        return _parse_locked(source, filename)


_LOCK = threading.Lock()


def _parse_locked(source: str, filename: str) -> ast.Program:
    lark, postlex = _parser()
    postlex.filename, postlex.source = filename, source
    builder = lark.options.transformer
    assert isinstance(builder, AstBuilder)
    builder.filename, builder.source = filename, source
    ensure_recursion_floor()
    try:
        tree = lark.parse(source)
    except UnexpectedInput as exc:
        raise _convert(exc, source, filename, lark) from None
    except RecursionError:
        raise syntax_error("nesting too deep", 1, 1, source, filename) from None
    if not isinstance(tree, ast.Program):  # pragma: no cover - the grammar's start rule builds one
        raise syntax_error("empty program", 1, 1, source, filename)
    return tree
