"""Callbacks that build the dataclass AST while lark parses (an inline LALR transformer)."""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from process_designer.spy import ast
from process_designer.spy.errors import SpySyntaxError

__all__ = ["AstBuilder", "unescape"]

_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t", "r": "\r"}
_HEX = frozenset("0123456789abcdefABCDEF")


def unescape(text: str) -> str | tuple[int, str]:
    """Decode a quoted string literal; on a bad escape return ``(offset, message)`` instead."""
    body = text[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt == "u" and len(body) >= i + 6 and all(c in _HEX for c in body[i + 2 : i + 6]):
            out.append(chr(int(body[i + 2 : i + 6], 16)))
            i += 6
        else:
            bad = body[i : i + 2] if nxt != "u" else body[i : i + 6]
            return i + 1, f"invalid escape '{bad}' in string; use \\\\ \\\" \\' \\n \\t \\r or \\uXXXX"
    return "".join(out)


def _pos(first: Any, last: Any) -> dict[str, int]:
    return {"line": first.line, "column": first.column, "end_line": last.end_line}


# Binding power of each binary operator; prefix ``not`` sits between ``and`` and comparisons.
_BP = {"or": 1, "and": 2, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "in": 4,
       "not in": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}
_NOT_BP = 3
_COMPARISON_BP = 4


class _Climber:
    """Precedence climbing over the flat ``[not…, operand, op, not…, operand, …]`` of an ``expr``."""

    def __init__(self, items: list[Any], builder: AstBuilder) -> None:
        self.items = items
        self.pos = 0
        self.builder = builder

    def operand(self, min_bp: int) -> ast.Expr:
        items = self.items
        nots: list[Token] = []
        while isinstance(items[self.pos], Token):
            tok = items[self.pos]
            if min_bp > _NOT_BP:
                raise self.builder._error(
                    "'not' cannot appear here; put the negated part in parentheses", tok.line, tok.column)
            nots.append(tok)
            self.pos += 1
        if nots:
            node = self.binary(_COMPARISON_BP)
            for tok in reversed(nots):
                node = ast.Unary("not", node, **_pos(tok, node))
            return node
        node = items[self.pos]
        self.pos += 1
        return node

    def binary(self, min_bp: int) -> ast.Expr:
        items = self.items
        left = self.operand(min_bp)
        compared = False
        while self.pos < len(items):
            tok: Token = items[self.pos]
            op, width = ("not in", 2) if tok.type == "NOT" else (str(tok.value), 1)
            bp = _BP[op]
            if bp < min_bp:
                break
            if bp == _COMPARISON_BP:
                if compared:
                    raise self.builder._error(
                        f"comparisons cannot be chained: combine them with 'and' before '{op}'",
                        tok.line or 1, tok.column or 1)
                compared = True
            self.pos += width
            right = self.binary(bp + 1)
            left = ast.Binary(op, left, right, **_pos(left, right))
        return left


class AstBuilder(Transformer[Token, ast.Program]):
    """One method per grammar rule or alias; ``children`` are tokens and already-built nodes."""

    def __init__(self) -> None:
        super().__init__()
        self.filename = "<string>"
        self.source = ""

    def _error(self, message: str, line: int, column: int) -> SpySyntaxError:
        from process_designer.spy.parser import syntax_error

        return syntax_error(message, line, column, self.source, self.filename)

    # ------------------------------------------------------------ top level
    def start(self, c: list[ast.Define]) -> ast.Program:
        end = c[-1].end_line if c else 1
        return ast.Program(list(c), line=1, column=1, end_line=end)

    def define(self, c: list[Any]) -> ast.Define:
        return ast.Define(str(c[1]), c[3:-1], **_pos(c[0], c[-1]))

    def field(self, c: list[Any]) -> ast.Field:
        return ast.Field(str(c[0]), c[1], **_pos(c[0], c[1]))

    def method(self, c: list[Any]) -> ast.Method:
        params: list[str] = c[1] if len(c) == 3 else []
        seen: set[str] = set()
        for p in params:
            if p in seen:
                raise self._error(f"parameter '{p}' appears twice; give each parameter its own name",
                                  c[0].line, c[0].column)
            seen.add(p)
        return ast.Method(str(c[0]), params, c[-1], **_pos(c[0], c[-1]))

    def params(self, c: list[Token]) -> list[str]:
        return [str(t) for t in c]

    def block(self, c: list[Any]) -> ast.Block:
        return ast.Block(c[1:-1], **_pos(c[0], c[-1]))

    # ----------------------------------------------------------- statements
    def if_stmt(self, c: list[Any]) -> ast.If:
        branches = [ast.IfBranch(c[1], c[2], **_pos(c[0], c[2]))]
        orelse: ast.Block | None = None
        rest = c[3:]
        for item in rest:
            if isinstance(item, ast.IfBranch):
                branches.append(item)
            elif isinstance(item, ast.Block):
                orelse = item
        return ast.If(branches, orelse, **_pos(c[0], c[-1]))

    def else_if(self, c: list[Any]) -> ast.IfBranch:
        return ast.IfBranch(c[2], c[3], **_pos(c[0], c[3]))

    def for_stmt(self, c: list[Any]) -> ast.For:
        return ast.For(str(c[1]), c[3], c[4], **_pos(c[0], c[4]))

    def while_stmt(self, c: list[Any]) -> ast.While:
        return ast.While(c[1], c[2], **_pos(c[0], c[2]))

    def try_stmt(self, c: list[Any]) -> ast.Try:
        return ast.Try(c[1], str(c[3]), c[4], **_pos(c[0], c[4]))

    def return_stmt(self, c: list[Any]) -> ast.Return:
        return ast.Return(c[1] if len(c) > 1 else None, **_pos(c[0], c[-1]))

    def raise_stmt(self, c: list[Any]) -> ast.Raise:
        return ast.Raise(c[1], **_pos(c[0], c[1]))

    def break_stmt(self, c: list[Any]) -> ast.Break:
        return ast.Break(**_pos(c[0], c[0]))

    def continue_stmt(self, c: list[Any]) -> ast.Continue:
        return ast.Continue(**_pos(c[0], c[0]))

    def assert_stmt(self, c: list[Any]) -> ast.Assert:
        return ast.Assert(c[1], c[2] if len(c) > 2 else None, **_pos(c[0], c[-1]))

    def assign(self, c: list[Any]) -> ast.Assign:
        target = c[0]
        if not isinstance(target, ast.Name | ast.Attribute | ast.Index):
            raise self._error("cannot assign to this expression; the left side of '=' must be a name, "
                              "obj.name or obj[index]", target.line, target.column)
        return ast.Assign(target, c[1], **_pos(target, c[1]))

    def expr_stmt(self, c: list[Any]) -> ast.ExprStmt:
        return ast.ExprStmt(c[0], **_pos(c[0], c[0]))

    # ---------------------------------------------------------- expressions
    def expr(self, c: list[Any]) -> ast.Expr:
        return _Climber(c, self).binary(1)

    def neg(self, c: list[Any]) -> ast.Unary:
        return ast.Unary("-", c[1], **_pos(c[0], c[1]))

    def call(self, c: list[Any]) -> ast.Call:
        args: list[ast.Expr] = c[1] if len(c) > 1 else []
        end = args[-1] if args else c[0]
        return ast.Call(c[0], args, line=c[0].line, column=c[0].column, end_line=end.end_line)

    def args(self, c: list[Any]) -> list[ast.Expr]:
        return list(c)

    def attribute(self, c: list[Any]) -> ast.Attribute:
        return ast.Attribute(c[0], str(c[1]), **_pos(c[0], c[1]))

    def index(self, c: list[Any]) -> ast.Index:
        return ast.Index(c[0], c[2], **_pos(c[0], c[2]))

    def name(self, c: list[Token]) -> ast.Name:
        return ast.Name(str(c[0]), **_pos(c[0], c[0]))

    def number(self, c: list[Token]) -> ast.Literal:
        text = str(c[0])
        digits = text.replace("_", "")
        value: int | float
        if any(ch in digits for ch in ".eE"):
            value = float(digits)
            if value in (float("inf"), float("-inf")):
                raise self._error(f"number {text} is too large", c[0].line or 1, c[0].column or 1)
        else:
            value = int(digits)
        return ast.Literal(value, text, **_pos(c[0], c[0]))

    def string(self, c: list[Token]) -> ast.Literal:
        tok = c[0]
        value = unescape(str(tok))
        if isinstance(value, tuple):
            raise self._error(value[1], tok.line or 1, (tok.column or 1) + value[0])
        return ast.Literal(value, **_pos(tok, tok))  # type: ignore[arg-type]

    def true(self, c: list[Token]) -> ast.Literal:
        return ast.Literal(True, **_pos(c[0], c[0]))  # type: ignore[arg-type]

    def false(self, c: list[Token]) -> ast.Literal:
        return ast.Literal(False, **_pos(c[0], c[0]))  # type: ignore[arg-type]

    def null(self, c: list[Token]) -> ast.Literal:
        return ast.Literal(None, **_pos(c[0], c[0]))  # type: ignore[arg-type]

    def list_lit(self, c: list[Any]) -> ast.ListLit:
        items = c[1:]
        return ast.ListLit(items, **_pos(c[0], items[-1] if items else c[0]))

    def map_lit(self, c: list[Any]) -> ast.MapLit:
        entries: list[ast.MapEntry] = c[1:-1]
        keys: set[str] = set()
        for e in entries:
            if e.key in keys:
                raise self._error(f"key '{e.key}' appears twice in this map", e.line, e.column)
            keys.add(e.key)
        return ast.MapLit(entries, **_pos(c[0], c[-1]))

    def entry(self, c: list[Any]) -> ast.MapEntry:
        tok: Token = c[0]
        key = str(tok) if tok.type == "NAME" else unescape(str(tok))
        if isinstance(key, tuple):
            raise self._error(key[1], tok.line or 1, (tok.column or 1) + key[0])
        return ast.MapEntry(key, c[1], **_pos(tok, c[1]))
