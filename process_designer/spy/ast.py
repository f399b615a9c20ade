"""The SPy syntax tree: dataclasses whose positions never take part in equality."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Assert",
    "Assign",
    "Attribute",
    "Binary",
    "Block",
    "Break",
    "Call",
    "Continue",
    "Define",
    "Expr",
    "ExprStmt",
    "Field",
    "For",
    "If",
    "IfBranch",
    "Index",
    "ListLit",
    "Literal",
    "MapEntry",
    "MapLit",
    "Member",
    "Method",
    "Name",
    "Node",
    "Program",
    "Raise",
    "Return",
    "Stmt",
    "Try",
    "Unary",
    "While",
]


@dataclass(slots=True)
class Node:
    """Base of every node: 1-based ``line``/``column`` of its first token and its last ``end_line``."""

    line: int = field(default=0, compare=False, kw_only=True, repr=False)
    column: int = field(default=0, compare=False, kw_only=True, repr=False)
    end_line: int = field(default=0, compare=False, kw_only=True, repr=False)


# ---------------------------------------------------------------- expressions


@dataclass(slots=True)
class Name(Node):
    """A bare name, resolved by the scope rules of SPEC §4."""

    id: str


@dataclass(slots=True)
class Literal(Node):
    """``null``, ``true``/``false``, a number or a string; ``text`` is the source spelling of a number."""

    value: bool | int | float | str | None
    text: str = field(default="", compare=False, repr=False)


@dataclass(slots=True)
class ListLit(Node):
    """``[a, b, …]``."""

    items: list[Expr]


@dataclass(slots=True)
class MapEntry(Node):
    """One ``key: value`` of a map literal (the key is always a string)."""

    key: str
    value: Expr


@dataclass(slots=True)
class MapLit(Node):
    """``{key: value, …}``."""

    entries: list[MapEntry]


@dataclass(slots=True)
class Unary(Node):
    """``-x`` or ``not x``."""

    op: str
    operand: Expr


@dataclass(slots=True)
class Binary(Node):
    """Arithmetic, comparison (including ``in`` and ``not in``) and ``and``/``or``."""

    op: str
    left: Expr
    right: Expr


@dataclass(slots=True)
class Call(Node):
    """``func(args…)``."""

    func: Expr
    args: list[Expr]


@dataclass(slots=True)
class Attribute(Node):
    """``obj.name``."""

    obj: Expr
    name: str


@dataclass(slots=True)
class Index(Node):
    """``obj[index]``."""

    obj: Expr
    index: Expr


Expr = Name | Literal | ListLit | MapLit | Unary | Binary | Call | Attribute | Index

# ----------------------------------------------------------------- statements


@dataclass(slots=True)
class Block(Node):
    """``{ statements }``; ``end_line`` is the line of the closing brace."""

    body: list[Stmt]


@dataclass(slots=True)
class Assign(Node):
    """``target = value`` where the target is a name, an attribute or an index."""

    target: Name | Attribute | Index
    value: Expr


@dataclass(slots=True)
class ExprStmt(Node):
    """An expression evaluated for its effect."""

    expr: Expr


@dataclass(slots=True)
class IfBranch(Node):
    """One ``if cond { … }`` or ``else if cond { … }``."""

    cond: Expr
    body: Block


@dataclass(slots=True)
class If(Node):
    """``if``, any ``else if`` branches and an optional ``else``."""

    branches: list[IfBranch]
    orelse: Block | None


@dataclass(slots=True)
class While(Node):
    """``while cond { … }``."""

    cond: Expr
    body: Block


@dataclass(slots=True)
class For(Node):
    """``for var in iterable { … }``."""

    var: str
    iterable: Expr
    body: Block


@dataclass(slots=True)
class Try(Node):
    """``try { … } catch var { … }``."""

    body: Block
    var: str
    handler: Block


@dataclass(slots=True)
class Return(Node):
    """``return [value]``."""

    value: Expr | None


@dataclass(slots=True)
class Raise(Node):
    """``raise value``."""

    value: Expr


@dataclass(slots=True)
class Break(Node):
    """``break``."""


@dataclass(slots=True)
class Continue(Node):
    """``continue``."""


@dataclass(slots=True)
class Assert(Node):
    """``assert cond[, message]``."""

    cond: Expr
    message: Expr | None


Stmt = Assign | ExprStmt | If | While | For | Try | Return | Raise | Break | Continue | Assert

# ------------------------------------------------------------------ top level


@dataclass(slots=True)
class Field(Node):
    """``NAME = expr`` inside a define: a constant."""

    name: str
    value: Expr


@dataclass(slots=True)
class Method(Node):
    """``name(params) { … }`` inside a define."""

    name: str
    params: list[str]
    body: Block


Member = Field | Method


@dataclass(slots=True)
class Define(Node):
    """``define Name { members }``; ``end_line`` is the line of the closing brace."""

    name: str
    members: list[Member]


@dataclass(slots=True)
class Program(Node):
    """A whole SPy source file."""

    defines: list[Define]
