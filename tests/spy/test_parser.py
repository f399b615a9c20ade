"""Grammar conformance: every rule parses to the expected AST; syntax errors are E001 with a caret."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from process_designer.spy import SpySyntaxError, ast, check, parse

SEED = Path("/work/shared/seeds/000_4a6fede5ca3e11f6.txt")


def body(src: str) -> list[ast.Stmt]:
    program = parse("define A {\n  m(x) {\n" + src + "\n  }\n}\n")
    method = program.defines[0].members[0]
    assert isinstance(method, ast.Method)
    return method.body.body


def expr(src: str) -> ast.Expr:
    stmt = body(src)[0]
    assert isinstance(stmt, ast.ExprStmt)
    return stmt.expr


N, L = ast.Name, ast.Literal


@pytest.mark.parametrize(("src", "expected"), [
    ("a or b and c", ast.Binary("or", N("a"), ast.Binary("and", N("b"), N("c")))),
    ("not a == b", ast.Unary("not", ast.Binary("==", N("a"), N("b")))),
    ("a not in b", ast.Binary("not in", N("a"), N("b"))),
    ("a - b - c", ast.Binary("-", ast.Binary("-", N("a"), N("b")), N("c"))),
    ("a + b * c % d", ast.Binary("+", N("a"), ast.Binary("%", ast.Binary("*", N("b"), N("c")), N("d")))),
    ("-a.b(1)[2]", ast.Unary("-", ast.Index(ast.Call(ast.Attribute(N("a"), "b"), [L(1)]), L(2)))),
    ("(a + b) * c", ast.Binary("*", ast.Binary("+", N("a"), N("b")), N("c"))),
    ("[1, 2.5, 1_000, 1e3, 2.5E-2,]", ast.ListLit([L(1), L(2.5), L(1000), L(1000.0), L(0.025)])),
    ("{a: 1, \"b c\": 'x'}", ast.MapLit([ast.MapEntry("a", L(1)), ast.MapEntry("b c", L("x"))])),
    ("[true, false, null]", ast.ListLit([L(True), L(False), L(None)])),
    (r'"\\ \" \' \n \t \r \u00e9"', L("\\ \" ' \n \t \r é")),
    ("f(\n  1,\n  2,\n)", ast.Call(N("f"), [L(1), L(2)])),
    ("{\n  a: [\n    1\n  ]\n}", ast.MapLit([ast.MapEntry("a", ast.ListLit([L(1)]))])),
    ("x <= y", ast.Binary("<=", N("x"), N("y"))),
    ("x in {}", ast.Binary("in", N("x"), ast.MapLit([]))),
])
def test_expressions(src: str, expected: ast.Expr) -> None:
    assert expr(src) == expected


def test_statements_of_every_kind() -> None:
    stmts = body("""
    y = 1
    x.a = 2
    x[0] = 3
    if x { return } else if y { return 1 } else { raise "e" }
    for i in x { break }
    while y { continue }
    try { f() } catch e { assert e, "m" }
    assert y
    """)
    kinds = [type(s).__name__ for s in stmts]
    assert kinds == ["Assign", "Assign", "Assign", "If", "For", "While", "Try", "Assert"]
    stmt = stmts[3]
    assert isinstance(stmt, ast.If) and len(stmt.branches) == 2 and stmt.orelse is not None
    assert stmt.line == 7 and stmt.column == 5


def test_fields_methods_and_positions() -> None:
    program = parse("# c\n\ndefine A {\n  K = 3\n  run(a, b) {\n    return a\n  }\n}\ndefine B {\n}\n")
    a, b = program.defines
    assert (a.name, a.line, a.end_line, b.name) == ("A", 3, 8, "B")
    field, method = a.members
    assert field == ast.Field("K", L(3)) and (field.line, field.column) == (4, 3)
    assert isinstance(method, ast.Method) and method.params == ["a", "b"]


@pytest.mark.parametrize(("src", "line", "col", "message"), [
    ("define A {\n  m() {\n    x = \n  }\n}", 3, 9, "unexpected end of line; expected an expression"),
    ("define A {\n  m() {\n    x = (1\n  }\n}", 4, 3, "unexpected '}'; expected ')'"),
    ("define A {\n  m() { x = \"abc\n  }\n}", 2, 13, "unterminated string"),
    ("define A {\n  m() { x = 'a\\q' }\n}", 2, 15, "invalid escape '\\q'"),
    ("define A {\n  m() { f() = 1 }\n}", 2, 9, "cannot assign to this expression"),
    ("define A {\n  m() { x = 1 y = 2 }\n}", 2, 15, "unexpected name y; expected one of an operator, '}' or a new line"),
    ("define if {\n}", 1, 8, "'if' is a keyword"),
    ("define A {\n  m() { x = a < b < c }\n}", 2, 19, "comparisons cannot be chained"),
    ("define A {\n  m() { x = a == not b }\n}", 2, 18, "'not' cannot appear here"),
    ("define A {\n  m(a, a) { }\n}", 2, 3, "parameter 'a' appears twice"),
    ("define A {\n  K = {a: 1, a: 2}\n}", 2, 14, "key 'a' appears twice"),
    ("define A {", 1, 11, "unexpected end of file"),
    ("\x00", 1, 1, "unexpected character U+0000"),
    ("define A {\n  m() { x = 1 $ }\n}", 2, 15, "unexpected character '$'"),
])
def test_syntax_errors(src: str, line: int, col: int, message: str) -> None:
    with pytest.raises(SpySyntaxError) as info:
        parse(src, "f.spy")
    d = info.value.diagnostic
    assert (d.code, d.line, d.column) == ("E001", line, col)
    assert message in d.message
    report = info.value.report()
    assert report.startswith(f"f.spy:{line}:{col}: E001 ")
    if report.count("\n") == 2:
        assert report.splitlines()[2].index("^") == col + 1


def test_deep_nesting_is_reported_not_crashed() -> None:
    src = "define A {\n  m() {\n    return " + "(" * 10_000 + "1" + ")" * 10_000 + "\n  }\n}\n"
    [d] = check(src)
    assert d.code == "E001" and "nesting too deep" in d.message


def test_long_operator_chain_checks() -> None:
    src = "define A {\n  m(a) {\n    return " + " + ".join(["a"] * 3000) + "\n  }\n}\n"
    assert check(src) == []


def test_huge_source_is_refused() -> None:
    [d] = check("#" * 10_000_000)
    assert d.code == "E001" and "source too large" in d.message


def seed_blocks() -> list[str]:
    return re.findall(r"```spy\n(.*?)```", SEED.read_text(), flags=re.S)


def test_every_seed_block_parses() -> None:
    blocks = seed_blocks()
    assert len(blocks) == 3
    names = [parse(b).defines[0].name for b in blocks]
    assert names == ["Step1Handler", "IntegrationAuth", "ErrorHandler"]


def test_seed_checks_flag_only_the_placeholder() -> None:
    first, auth, errors = seed_blocks()
    assert [(d.code, d.message.split(";")[0]) for d in check(first)] == [
        ("E101", "unknown name 'processed_data'")]
    assert check(auth) == []
    assert check(errors) == []
