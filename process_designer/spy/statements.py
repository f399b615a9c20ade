"""Compile SPy statements into closures that return None, or BREAK/CONTINUE/RETURN to unwind."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from process_designer.spy import ast
from process_designer.spy.errors import SpyRuntimeError
from process_designer.spy.expressions import ExpressionCompiler
from process_designer.spy.interpreter import BREAK, CONTINUE, RETURN
from process_designer.spy.values import charge, check_size, display, kind, type_error

if TYPE_CHECKING:
    from process_designer.spy.interpreter import Interpreter

__all__ = ["StatementCompiler"]

Code = Callable[[list[Any]], Any]


def _locals(block: ast.Block, members: set[str], out: dict[str, int]) -> None:
    """Give every function-scoped local of ``block`` a slot (SPEC §4: no block scope)."""
    for stmt in block.body:
        names: list[str] = []
        if isinstance(stmt, ast.Assign) and isinstance(stmt.target, ast.Name):
            if stmt.target.id not in members:
                names.append(stmt.target.id)
        elif isinstance(stmt, ast.For | ast.Try):
            names.append(stmt.var)
        for name in names:
            out.setdefault(name, len(out) + 1)
        if isinstance(stmt, ast.If):
            for branch in stmt.branches:
                _locals(branch.body, members, out)
            if stmt.orelse is not None:
                _locals(stmt.orelse, members, out)
        elif isinstance(stmt, ast.While | ast.For):
            _locals(stmt.body, members, out)
        elif isinstance(stmt, ast.Try):
            _locals(stmt.body, members, out)
            _locals(stmt.handler, members, out)


def caught(error: SpyRuntimeError, line: int) -> dict[str, Any]:
    """The error map a ``catch`` variable receives: always ``type``, ``message`` and ``line``."""
    value = error.error
    value.setdefault("type", "error")
    value.setdefault("message", "")
    value.setdefault("line", line)
    return value


def set_item(obj: Any, index: Any, value: Any) -> None:
    """``obj[index] = value`` on a list or a map."""
    t = type(obj)
    if t is list:
        if type(index) is not int:
            raise type_error(f"list index must be a whole number, not {kind(index)}")
        if not -len(obj) <= index < len(obj):
            raise SpyRuntimeError("IndexError", f"index {index} out of range for a list of length {len(obj)}")
        obj[index] = value
    elif t is dict:
        if type(index) is not str:
            raise type_error(f"map keys are strings, not {kind(index)}")
        check_size(len(obj) + 1, "map")
        obj[index] = value
    else:
        raise type_error(f"cannot assign into a {kind(obj)}")


class StatementCompiler:
    """Compiles the body of one method."""

    def __init__(self, it: Interpreter, exprs: ExpressionCompiler, body: ast.Block | None = None) -> None:
        self.it = it
        self.exprs = exprs
        self.members = set(it.defines[exprs.define].methods) | {
            name for (d, name) in it._field_code if d == exprs.define}

    def block(self, block: ast.Block) -> Code:
        """Compile a method body: first give its locals slots, then compile the statements."""
        _locals(block, self.members, self.exprs.slots)
        return self.compile_block(block)

    def compile_block(self, block: ast.Block) -> Code:
        it = self.it
        stmts = [self.stmt(s) for s in block.body]
        pos = {code: (s.line, s.column) for code, s in zip(stmts, block.body, strict=True)}
        n = max(len(stmts), 1)

        def run(loc: list[Any]) -> Any:
            it.budget -= n
            if it.budget < 0:
                it.spend(0)
            s = None
            try:
                for s in stmts:
                    r = s(loc)
                    if r is not None:
                        return r
            except SpyRuntimeError as e:
                if "line" not in e.error and s is not None:
                    e.locate(*pos[s])
                raise
            return None

        return run

    def stmt(self, node: ast.Stmt) -> Code:
        return getattr(self, "s_" + type(node).__name__.lower())(node)

    # ----------------------------------------------------------------- simple
    def s_assign(self, node: ast.Assign) -> Code:
        value = self.exprs.expr(node.value)
        target = node.target
        if isinstance(target, ast.Name):
            if target.id not in self.exprs.slots:
                message = f"cannot assign to '{target.id}': members of a define are constants"

                def constant(loc: list[Any]) -> None:
                    raise SpyRuntimeError("TypeError", message, node.line, node.column)

                return constant
            i = self.exprs.slots[target.id]

            def assign(loc: list[Any]) -> None:
                loc[i] = value(loc)

            return assign
        if isinstance(target, ast.Attribute):
            obj, name = self.exprs.expr(target.obj), target.name

            def set_attr(loc: list[Any]) -> None:
                o = obj(loc)
                if type(o) is not dict:
                    raise SpyRuntimeError("TypeError", f"cannot set '{name}' on a {kind(o)}; only maps "
                                          "take new entries", node.line, node.column)
                set_item(o, name, value(loc))

            return set_attr
        obj, index = self.exprs.expr(target.obj), self.exprs.expr(target.index)
        return lambda loc: set_item(obj(loc), index(loc), value(loc))

    def s_exprstmt(self, node: ast.ExprStmt) -> Code:
        expr = self.exprs.expr(node.expr)

        def run(loc: list[Any]) -> None:
            expr(loc)

        return run

    def s_return(self, node: ast.Return) -> Code:
        if node.value is None:
            def bare(loc: list[Any]) -> Any:
                loc[0] = None
                return RETURN

            return bare
        value = self.exprs.expr(node.value)

        def ret(loc: list[Any]) -> Any:
            loc[0] = value(loc)
            return RETURN

        return ret

    def s_raise(self, node: ast.Raise) -> Code:
        value = self.exprs.expr(node.value)

        def raise_(loc: list[Any]) -> Any:
            v = value(loc)
            if type(v) is str:
                raise SpyRuntimeError("error", v, node.line, node.column)
            if type(v) is dict and type(v.get("type")) is str:
                error = dict(v)
                error.setdefault("message", "")
                raise SpyRuntimeError(error["type"], str(error["message"]), node.line, node.column,
                                      error=error)
            raise SpyRuntimeError("TypeError", f"raise needs a string or a map with a string 'type', "
                                  f"got {display(v, True)}", node.line, node.column)

        return raise_

    def s_break(self, node: ast.Break) -> Code:
        return lambda loc: BREAK

    def s_continue(self, node: ast.Continue) -> Code:
        return lambda loc: CONTINUE

    def s_assert(self, node: ast.Assert) -> Code:
        cond = self.exprs.expr(node.cond)
        message = self.exprs.expr(node.message) if node.message is not None else None

        def assert_(loc: list[Any]) -> None:
            if not cond(loc):
                text = display(message(loc)) if message is not None else "assertion failed"
                raise SpyRuntimeError("assertion", text, node.line, node.column)

        return assert_

    # -------------------------------------------------------------- compound
    def s_if(self, node: ast.If) -> Code:
        branches = [(self.exprs.expr(b.cond), self.compile_block(b.body)) for b in node.branches]
        orelse = self.compile_block(node.orelse) if node.orelse is not None else None
        if len(branches) == 1:
            cond, body = branches[0]
            if orelse is None:
                def if_(loc: list[Any]) -> Any:
                    if cond(loc):
                        return body(loc)
                    return None

                return if_

            def if_else(loc: list[Any]) -> Any:
                if cond(loc):
                    return body(loc)
                return orelse(loc)

            return if_else

        def chain(loc: list[Any]) -> Any:
            for cond, body in branches:
                if cond(loc):
                    return body(loc)
            return orelse(loc) if orelse is not None else None

        return chain

    def s_while(self, node: ast.While) -> Code:
        it, cond, body = self.it, self.exprs.expr(node.cond), self.compile_block(node.body)

        def while_(loc: list[Any]) -> Any:
            while True:
                it.budget -= 1
                if it.budget < 0:
                    it.spend(0)
                if not cond(loc):
                    return None
                r = body(loc)
                if r is not None:
                    if r is BREAK:
                        return None
                    if r is not CONTINUE:
                        return r

        return while_

    def s_for(self, node: ast.For) -> Code:
        it, iterable, body = self.it, self.exprs.expr(node.iterable), self.compile_block(node.body)
        slot = self.exprs.slots[node.var]

        def for_(loc: list[Any]) -> Any:
            seq = iterable(loc)
            t = type(seq)
            if t is not list and t is not dict and t is not str:
                raise SpyRuntimeError("TypeError", f"cannot loop over a {kind(seq)}; use a list, map "
                                      "or string", node.line, node.column)
            charge(len(seq))
            for item in list(seq):
                it.budget -= 1
                if it.budget < 0:
                    it.spend(0)
                loc[slot] = item
                r = body(loc)
                if r is not None:
                    if r is BREAK:
                        return None
                    if r is not CONTINUE:
                        return r
            return None

        return for_

    def s_try(self, node: ast.Try) -> Code:
        body, handler = self.compile_block(node.body), self.compile_block(node.handler)
        slot, line = self.exprs.slots[node.var], node.line

        def try_(loc: list[Any]) -> Any:
            try:
                return body(loc)
            except SpyRuntimeError as e:
                loc[slot] = caught(e, line)
            return handler(loc)

        return try_
