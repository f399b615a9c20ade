"""Static checks of a parsed program: names, arity, duplicates, loops, fields and local data flow."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from process_designer.spy import ast
from process_designer.spy.errors import Diagnostic
from process_designer.spy.names import PLATFORM_FUNCTIONS, STDLIB_ARITY

__all__ = ["check_program"]


def _plural(n: int) -> str:
    return f"{n} argument" if n == 1 else f"{n} arguments"


def _arity_text(lo: int, hi: int) -> str:
    return _plural(lo) if lo == hi else f"{lo} to {hi} arguments"


class _MethodScope:
    """State of the walk over one method: its locals, what was read, what was reported."""

    def __init__(self, define: ast.Define, locals_: set[str]) -> None:
        self.define = define
        self.locals = locals_
        self.used: set[str] = set()
        self.warned_unassigned: set[str] = set()


class _Checker:
    def __init__(self, program: ast.Program, bindings: Iterable[str]) -> None:
        self.program = program
        self.bindings = set(bindings)
        self.out: list[Diagnostic] = []
        self.defines: dict[str, ast.Define] = {}
        self.members: dict[str, dict[str, ast.Member]] = {}

    def error(self, code: str, message: str, node: ast.Node) -> None:
        self.out.append(Diagnostic(code, message, node.line, node.column, "error"))

    def warn(self, code: str, message: str, node: ast.Node) -> None:
        self.out.append(Diagnostic(code, message, node.line, node.column, "warning"))

    # ---------------------------------------------------------------- program
    def run(self) -> list[Diagnostic]:
        for define in self.program.defines:
            if define.name in self.defines:
                first = self.defines[define.name]
                self.error("E103", f"duplicate define '{define.name}' (first defined on line "
                           f"{first.line}); rename one of them", define)
                continue
            self.defines[define.name] = define
            members: dict[str, ast.Member] = {}
            for member in define.members:
                if member.name in members:
                    self.error("E103", f"duplicate member '{member.name}' in define {define.name} "
                               f"(first on line {members[member.name].line}); rename or merge them",
                               member)
                    continue
                members[member.name] = member
            self.members[define.name] = members
        for define in self.program.defines:
            if self.defines.get(define.name) is not define:
                continue
            for member in define.members:
                if isinstance(member, ast.Field):
                    self.expr(member.value, _MethodScope(define, set()), set())
                elif self.members[define.name].get(member.name) is member:
                    self.method(define, member)
        return self.out

    def method(self, define: ast.Define, method: ast.Method) -> None:
        members = self.members[define.name]
        locals_ = set(method.params)
        assigned_at: dict[str, ast.Node] = {}
        for node in _assignments(method.body):
            if isinstance(node, ast.Assign):
                target = node.target
                if isinstance(target, ast.Name) and target.id not in members:
                    locals_.add(target.id)
                    assigned_at.setdefault(target.id, target)
            elif isinstance(node, ast.For | ast.Try):
                locals_.add(node.var)
        scope = _MethodScope(define, locals_)
        self.block(method.body, scope, set(method.params), 0)
        for name, where in assigned_at.items():
            if name not in scope.used and not name.startswith("_") and name not in method.params:
                self.warn("W203", f"local '{name}' is assigned but never used; remove it or use it",
                          where)

    # ------------------------------------------------------------- statements
    def block(self, block: ast.Block, scope: _MethodScope, assigned: set[str],
              loops: int) -> tuple[set[str], bool]:
        """Walk ``block``; return the names assigned on every path out and whether it never falls through."""
        terminated: str | None = None
        reported = False
        for stmt in block.body:
            if terminated and not reported:
                self.warn("W202", f"unreachable statement after '{terminated}'; remove it", stmt)
                reported = True
            assigned, ends = self.stmt(stmt, scope, assigned, loops)
            if ends and not terminated:
                terminated = _ENDING.get(type(stmt), "if")
        return assigned, terminated is not None

    def stmt(self, stmt: ast.Stmt, scope: _MethodScope, assigned: set[str],
             loops: int) -> tuple[set[str], bool]:
        if isinstance(stmt, ast.Assign):
            self.expr(stmt.value, scope, assigned)
            return self.assign_target(stmt.target, scope, assigned), False
        if isinstance(stmt, ast.ExprStmt):
            self.expr(stmt.expr, scope, assigned)
            return assigned, False
        if isinstance(stmt, ast.If):
            outs: list[set[str]] = []
            for branch in stmt.branches:
                self.expr(branch.cond, scope, assigned)
                out, ends = self.block(branch.body, scope, set(assigned), loops)
                if not ends:
                    outs.append(out)
            if stmt.orelse is not None:
                out, ends = self.block(stmt.orelse, scope, set(assigned), loops)
                if not ends:
                    outs.append(out)
            else:
                outs.append(assigned)
            if not outs:
                return assigned, True
            return set.intersection(*outs), False
        if isinstance(stmt, ast.While):
            self.expr(stmt.cond, scope, assigned)
            self.block(stmt.body, scope, set(assigned), loops + 1)
            return assigned, False
        if isinstance(stmt, ast.For):
            self.expr(stmt.iterable, scope, assigned)
            self.block(stmt.body, scope, assigned | {stmt.var}, loops + 1)
            return assigned, False
        if isinstance(stmt, ast.Try):
            outs = []
            out, ends = self.block(stmt.body, scope, set(assigned), loops)
            if not ends:
                outs.append(out)
            out, ends = self.block(stmt.handler, scope, assigned | {stmt.var}, loops)
            if not ends:
                outs.append(out)
            if not outs:
                return assigned, True
            return set.intersection(*outs), False
        if isinstance(stmt, ast.Return | ast.Raise):
            if stmt.value is not None:
                self.expr(stmt.value, scope, assigned)
            return assigned, True
        if isinstance(stmt, ast.Break | ast.Continue):
            if loops == 0:
                word = "break" if isinstance(stmt, ast.Break) else "continue"
                self.error("E104", f"'{word}' outside a loop; use it only inside 'for' or 'while'",
                           stmt)
            return assigned, True
        if isinstance(stmt, ast.Assert):
            self.expr(stmt.cond, scope, assigned)
            if stmt.message is not None:
                self.expr(stmt.message, scope, assigned)
            return assigned, False
        raise TypeError(f"unknown statement {stmt!r}")  # pragma: no cover - the AST is closed

    def assign_target(self, target: ast.Expr, scope: _MethodScope, assigned: set[str]) -> set[str]:
        define = scope.define
        if isinstance(target, ast.Name):
            if target.id in self.members[define.name]:
                self.error("E105", f"cannot assign to '{target.id}': members of define "
                           f"{define.name} are constants; assign to a local with another name",
                           target)
                return assigned
            return assigned | {target.id}
        if isinstance(target, ast.Attribute):
            base = target.obj
            if isinstance(base, ast.Name) and base.id not in scope.locals and base.id in self.defines:
                self.error("E105", f"cannot assign to {base.id}.{target.name}: fields of a define "
                           "are constants; copy the value into a local first", target)
                return assigned
            self.expr(base, scope, assigned)
        elif isinstance(target, ast.Index):
            self.expr(target.obj, scope, assigned)
            self.expr(target.index, scope, assigned)
        return assigned

    # ------------------------------------------------------------ expressions
    def expr(self, node: ast.Expr, scope: _MethodScope, assigned: set[str]) -> None:
        if isinstance(node, ast.Name):
            self.name(node, scope, assigned)
        elif isinstance(node, ast.Literal):
            return
        elif isinstance(node, ast.Binary):
            self.expr(node.left, scope, assigned)
            self.expr(node.right, scope, assigned)
        elif isinstance(node, ast.Unary):
            self.expr(node.operand, scope, assigned)
        elif isinstance(node, ast.Call):
            self.expr(node.func, scope, assigned)
            self.arity(node, scope)
            for arg in node.args:
                self.expr(arg, scope, assigned)
        elif isinstance(node, ast.Attribute):
            self.expr(node.obj, scope, assigned)
            base = node.obj
            if isinstance(base, ast.Name) and base.id not in scope.locals and \
                    base.id in self.defines and node.name not in self.members[base.id]:
                self.error("E101", f"define {base.id} has no member '{node.name}'"
                           + _suggest(node.name, self.members[base.id]), node)
        elif isinstance(node, ast.Index):
            self.expr(node.obj, scope, assigned)
            self.expr(node.index, scope, assigned)
        elif isinstance(node, ast.ListLit):
            for item in node.items:
                self.expr(item, scope, assigned)
        elif isinstance(node, ast.MapLit):
            for entry in node.entries:
                self.expr(entry.value, scope, assigned)

    def name(self, node: ast.Name, scope: _MethodScope, assigned: set[str]) -> None:
        name = node.id
        if name in scope.locals:
            scope.used.add(name)
            if name not in assigned and name not in scope.warned_unassigned:
                scope.warned_unassigned.add(name)
                self.warn("W201", f"local '{name}' may be used before it is assigned; "
                          "assign it on every path first", node)
            return
        if (name in self.members[scope.define.name] or name in self.defines
                or name in STDLIB_ARITY or name in PLATFORM_FUNCTIONS or name in self.bindings):
            return
        known = [*scope.locals, *self.members[scope.define.name], *self.defines, *STDLIB_ARITY,
                 *PLATFORM_FUNCTIONS, *self.bindings]
        hint = _suggest(name, known) or (
            "; define it, assign it first, or declare the integration with --bindings")
        self.error("E101", f"unknown name '{name}'{hint}", node)

    def arity(self, node: ast.Call, scope: _MethodScope) -> None:
        func, given = node.func, len(node.args)
        if isinstance(func, ast.Name):
            if func.id in scope.locals:
                return
            target = self.members[scope.define.name].get(func.id)
            if isinstance(target, ast.Method):
                self.method_arity(node, f"{func.id}()", target)
                return
            if target is not None or func.id in self.defines:
                return
            bounds = STDLIB_ARITY.get(func.id) or PLATFORM_FUNCTIONS.get(func.id)
            if bounds is not None and func.id not in self.bindings and not bounds[0] <= given <= bounds[1]:
                self.error("E102", f"{func.id}() takes {_arity_text(*bounds)}, got {given}", node)
        elif isinstance(func, ast.Attribute) and isinstance(func.obj, ast.Name):
            base = func.obj.id
            if base in scope.locals or base not in self.defines:
                return
            target = self.members[base].get(func.name)
            if isinstance(target, ast.Method):
                self.method_arity(node, f"{base}.{func.name}()", target)

    def method_arity(self, node: ast.Call, label: str, method: ast.Method) -> None:
        if len(node.args) != len(method.params):
            self.error("E102", f"{label} takes {_plural(len(method.params))}, got {len(node.args)}"
                       f" (parameters: {', '.join(method.params) or 'none'})", node)


_ENDING: dict[type, str] = {ast.Return: "return", ast.Raise: "raise", ast.Break: "break",
                            ast.Continue: "continue"}


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(dict.fromkeys(known)), n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


def _assignments(block: ast.Block) -> Iterable[ast.Stmt]:
    """Every statement of ``block`` and its nested blocks, in source order."""
    for stmt in block.body:
        yield stmt
        if isinstance(stmt, ast.If):
            for branch in stmt.branches:
                yield from _assignments(branch.body)
            if stmt.orelse is not None:
                yield from _assignments(stmt.orelse)
        elif isinstance(stmt, ast.While | ast.For):
            yield from _assignments(stmt.body)
        elif isinstance(stmt, ast.Try):
            yield from _assignments(stmt.body)
            yield from _assignments(stmt.handler)


def check_program(program: ast.Program, bindings: Iterable[str] = ()) -> list[Diagnostic]:
    """All E1xx and W2xx findings of ``program``, sorted by position."""
    found = _Checker(program, bindings).run()
    return sorted(found, key=lambda d: (d.line, d.column, d.code))
