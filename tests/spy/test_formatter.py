"""The formatter: canonical output, idempotence, comments kept, meaning (the AST) unchanged."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from process_designer.spy import ast, format_source, parse
from process_designer.spy.formatter import format_program

SEED = Path("/work/shared/seeds/000_4a6fede5ca3e11f6.txt")

MESSY = """# header


define   A {
  # field
  K = {a: 1,   # inside
    "b c": [1,
      2]}
  run( x,y ) {   # head
    if x=={} { return -x+2*(y-1) }  else if not (x in [1]) {
      y = f(1) [2].z


      # tail of branch
    } else { raise 'bad' }
    try { a = 1 } catch e { log(e) }
  }
}
define B {}
# end
"""

EXPECTED = """# header

define A {
  # field
  K = {a: 1, "b c": [1, 2]}  # inside
  run(x, y) {  # head
    if x == {} {
      return -x + 2 * (y - 1)
    } else if not x in [1] {
      y = f(1)[2].z

      # tail of branch
    } else {
      raise "bad"
    }
    try {
      a = 1
    } catch e {
      log(e)
    }
  }
}

define B {
}
# end
"""


def test_canonical_output() -> None:
    assert format_source(MESSY) == EXPECTED
    assert format_source(EXPECTED) == EXPECTED
    assert parse(EXPECTED) == parse(MESSY)


def corpus() -> list[str]:
    blocks = re.findall(r"```spy\n(.*?)```", SEED.read_text(), flags=re.S)
    spec = re.findall(r"```spy\n(.*?)```", Path("/work/shared/spy/SPEC.md").read_text(), flags=re.S)
    return [*blocks, *spec, MESSY]


def test_corpus_round_trip_and_idempotence() -> None:
    for source in corpus():
        once = format_source(source)
        assert format_source(once) == once
        assert parse(once) == parse(source)
        assert once.count("#") == source.count("#")


# ---------------------------------------------------------------- properties
names = st.sampled_from(["a", "b", "item", "crm", "x_1"])
leaf = st.one_of(
    names.map(ast.Name),
    st.integers(min_value=0, max_value=10**6).map(ast.Literal),
    st.floats(min_value=0, max_value=1e6, allow_nan=False).map(ast.Literal),
    st.text(max_size=6).map(ast.Literal),
    st.sampled_from([True, False, None]).map(ast.Literal),
)
OPS = ["or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "+", "-", "*", "/", "%"]


def _extend(inner: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Expr]:
    return st.one_of(
        st.builds(ast.Binary, st.sampled_from(OPS), inner, inner),
        st.builds(ast.Unary, st.sampled_from(["-", "not"]), inner),
        st.builds(ast.Call, names.map(ast.Name), st.lists(inner, max_size=3)),
        st.builds(ast.Attribute, inner, names),
        st.builds(ast.Index, inner, inner),
        st.lists(inner, max_size=3).map(ast.ListLit),
        st.dictionaries(st.text(min_size=1, max_size=4), inner, max_size=3).map(
            lambda d: ast.MapLit([ast.MapEntry(k, v) for k, v in d.items()])),
    )


exprs = st.recursive(leaf, _extend, max_leaves=12)


def _program(e: ast.Expr, stmt_kind: int) -> ast.Program:
    block = ast.Block
    stmts: list[ast.Stmt] = [
        ast.Assign(ast.Name("v"), e),
        ast.If([ast.IfBranch(e, block([ast.Return(e)]))], block([ast.ExprStmt(e)])),
        ast.While(e, block([ast.Break()])),
        ast.For("i", e, block([ast.Assert(e, e)])),
    ]
    body = block([stmts[stmt_kind], ast.Raise(e)])
    return ast.Program([ast.Define("A", [ast.Field("K", e), ast.Method("m", ["a"], body)])])


@settings(max_examples=150, deadline=None)
@given(exprs, st.integers(min_value=0, max_value=3))
def test_generated_programs_survive_formatting(e: ast.Expr, kind: int) -> None:
    program = _program(e, kind)
    text = format_program(program, "")
    reparsed = parse(text)
    assert reparsed == program
    assert format_source(text) == text


@settings(max_examples=60, deadline=None)
@given(exprs, st.integers(min_value=0, max_value=3), st.sampled_from([" ", "  ", "\t"]))
def test_respaced_programs_keep_their_meaning(e: ast.Expr, kind: int, pad: str) -> None:
    text = format_program(_program(e, kind), "")
    messy = text.replace(", ", "," + pad).replace("{\n", "{ \n" + pad) + "\n\n# trailing\n"
    once = format_source(messy)
    assert parse(once) == parse(messy)
    assert format_source(once) == once
