"""The canonical SPy layout (SPEC §1): two-space blocks, spaced operators, comments kept in place."""

from __future__ import annotations

import re

from process_designer.spy import ast

__all__ = ["format_expr", "format_program", "scan_comments"]

_KEYWORDS = frozenset(["define", "if", "else", "for", "in", "while", "break", "continue", "return", "raise", "try", "catch", "assert", "and", "or", "not", "true", "false", "null"])
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_PREC = {"or": 1, "and": 2, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "in": 4,
         "not in": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}
_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
INDENT = "  "


def scan_comments(source: str) -> list[tuple[int, str, bool]]:
    """Every comment as ``(line, text, own_line)``; strings are skipped (they are one line each)."""
    found: list[tuple[int, str, bool]] = []
    for number, text in enumerate(source.split("\n"), start=1):
        quote = ""
        i = 0
        while i < len(text):
            ch = text[i]
            if quote:
                if ch == "\\":
                    i += 1
                elif ch == quote:
                    quote = ""
            elif ch in "\"'":
                quote = ch
            elif ch == "#":
                found.append((number, text[i:].rstrip(), not text[:i].strip()))
                break
            i += 1
    return found


def _string(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ESC:
            out.append(_ESC[ch])
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _literal(node: ast.Literal) -> str:
    value = node.value
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
    return node.text or repr(value)


def format_expr(node: ast.Expr, min_prec: int = 0) -> str:
    """``node`` as canonical source, parenthesised only where precedence needs it."""
    text, prec = _expr(node)
    return f"({text})" if prec < min_prec else text


def _expr(node: ast.Expr) -> tuple[str, int]:
    if isinstance(node, ast.Name):
        return node.id, 9
    if isinstance(node, ast.Literal):
        return _literal(node), 9
    if isinstance(node, ast.ListLit):
        return "[" + ", ".join(format_expr(i) for i in node.items) + "]", 9
    if isinstance(node, ast.MapLit):
        entries = ", ".join(
            f"{e.key if _IDENT.match(e.key) and e.key not in _KEYWORDS else _string(e.key)}: "
            f"{format_expr(e.value)}" for e in node.entries)
        return "{" + entries + "}", 9
    if isinstance(node, ast.Call):
        return f"{format_expr(node.func, 8)}({', '.join(format_expr(a) for a in node.args)})", 8
    if isinstance(node, ast.Attribute):
        return f"{format_expr(node.obj, 8)}.{node.name}", 8
    if isinstance(node, ast.Index):
        return f"{format_expr(node.obj, 8)}[{format_expr(node.index)}]", 8
    if isinstance(node, ast.Unary):
        if node.op == "not":
            return f"not {format_expr(node.operand, 3)}", 3
        return f"-{format_expr(node.operand, 7)}", 7
    prec = _PREC[node.op]
    left = format_expr(node.left, prec + 1 if prec == 4 else prec)
    return f"{left} {node.op} {format_expr(node.right, prec + 1)}", prec


class _Printer:
    def __init__(self, source: str) -> None:
        self.lines: list[str] = []
        self.comments = scan_comments(source)
        self.next = 0
        self.last = 0

    def _gap(self, line: int, first: bool) -> None:
        if not first and line > self.last + 1 and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def leading(self, before: int, depth: int, first: bool) -> bool:
        """Emit comments above source line ``before``; return whether anything was emitted."""
        emitted = False
        while self.next < len(self.comments) and self.comments[self.next][0] < before:
            line, text, _ = self.comments[self.next]
            self._gap(line, first and not emitted)
            self.lines.append(INDENT * depth + text)
            self.last = line
            self.next += 1
            emitted = True
        return emitted

    def trailing(self, upto: int) -> None:
        """Append comments on source lines up to ``upto`` to the last printed line."""
        while self.next < len(self.comments) and self.comments[self.next][0] <= upto:
            _line, text, _ = self.comments[self.next]
            self.lines[-1] += "  " + text if self.lines[-1].strip() else text
            self.next += 1
        self.last = max(self.last, upto)

    def item(self, node: ast.Node, depth: int, first: bool, text: str) -> None:
        emitted = self.leading(node.line, depth, first)
        self._gap(node.line, first and not emitted)
        self.lines.append(INDENT * depth + text)

    # ---------------------------------------------------------------- tree
    def program(self, program: ast.Program) -> None:
        for i, define in enumerate(program.defines):
            if i:
                self.lines.append("")
                self.last = define.line
            self.item(define, 0, i == 0 and not self.lines, f"define {define.name} {{")
            self.trailing(define.line)
            for j, member in enumerate(define.members):
                if isinstance(member, ast.Field):
                    self.item(member, 1, j == 0, f"{member.name} = {format_expr(member.value)}")
                    self.trailing(member.end_line)
                else:
                    self.item(member, 1, j == 0, f"{member.name}({', '.join(member.params)}) {{")
                    self.block(member.body, 1)
                    self.close(member.end_line, 1, "}")
                    self.trailing(member.end_line)
            self.close(define.end_line, 0, "}")
        self.leading(10**9, 0, not self.lines)

    def block(self, block: ast.Block, depth: int) -> None:
        """Print the statements of ``block`` after its opening line; the caller closes it."""
        self.trailing(block.line)
        for i, stmt in enumerate(block.body):
            self.stmt(stmt, depth + 1, i == 0)

    def close(self, end_line: int, depth: int, text: str) -> None:
        self.leading(end_line, depth + 1, self.last < 0)
        self.lines.append(INDENT * depth + text)
        self.last = end_line

    def stmt(self, stmt: ast.Stmt, depth: int, first: bool) -> None:
        if isinstance(stmt, ast.If):
            head = stmt.branches[0]
            self.item(stmt, depth, first, f"if {format_expr(head.cond)} {{")
            self.block(head.body, depth)
            for branch in stmt.branches[1:]:
                self.close(branch.line - 1 if branch.line > head.body.end_line else branch.line,
                           depth, f"}} else if {format_expr(branch.cond)} {{")
                self.block(branch.body, depth)
            if stmt.orelse is not None:
                self.close(stmt.orelse.line, depth, "} else {")
                self.block(stmt.orelse, depth)
            self.close(stmt.end_line, depth, "}")
        elif isinstance(stmt, ast.While):
            self.item(stmt, depth, first, f"while {format_expr(stmt.cond)} {{")
            self.block(stmt.body, depth)
            self.close(stmt.end_line, depth, "}")
        elif isinstance(stmt, ast.For):
            self.item(stmt, depth, first, f"for {stmt.var} in {format_expr(stmt.iterable)} {{")
            self.block(stmt.body, depth)
            self.close(stmt.end_line, depth, "}")
        elif isinstance(stmt, ast.Try):
            self.item(stmt, depth, first, "try {")
            self.block(stmt.body, depth)
            self.close(stmt.handler.line, depth, f"}} catch {stmt.var} {{")
            self.block(stmt.handler, depth)
            self.close(stmt.end_line, depth, "}")
        else:
            self.item(stmt, depth, first, _simple(stmt))
            self.trailing(stmt.end_line)
            return
        self.trailing(stmt.end_line)


def _simple(stmt: ast.Stmt) -> str:
    if isinstance(stmt, ast.Assign):
        return f"{format_expr(stmt.target)} = {format_expr(stmt.value)}"
    if isinstance(stmt, ast.ExprStmt):
        return format_expr(stmt.expr)
    if isinstance(stmt, ast.Return):
        return "return" if stmt.value is None else f"return {format_expr(stmt.value)}"
    if isinstance(stmt, ast.Raise):
        return f"raise {format_expr(stmt.value)}"
    if isinstance(stmt, ast.Break):
        return "break"
    if isinstance(stmt, ast.Continue):
        return "continue"
    if isinstance(stmt, ast.Assert):
        tail = f", {format_expr(stmt.message)}" if stmt.message is not None else ""
        return f"assert {format_expr(stmt.cond)}{tail}"
    raise TypeError(f"not a simple statement: {stmt!r}")  # pragma: no cover


def format_program(program: ast.Program, source: str) -> str:
    """Print ``program`` canonically; ``source`` supplies the comments and blank lines to keep."""
    printer = _Printer(source)
    printer.program(program)
    text = "\n".join(line.rstrip() for line in printer.lines)
    return text + "\n" if text else ""
