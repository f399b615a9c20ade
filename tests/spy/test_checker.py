"""Every diagnostic code: a case that triggers it and a near miss that must not."""

from __future__ import annotations

import pytest

from process_designer.spy import Diagnostic, check


def method(src: str, extra: str = "") -> str:
    return "define A {\n  K = 1\n  helper(a) {\n    return a\n  }\n  m(p) {\n" + src + "\n  }\n}\n" + extra


def codes(source: str, bindings: tuple[str, ...] = ()) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in check(source, "f.spy", bindings)]


@pytest.mark.parametrize(("src", "extra", "bindings", "expected"), [
    # E101 unknown name / near miss: local, member, other define, stdlib, platform, binding
    ("    return missing", "", (), [("E101", 7, 12)]),
    ("    x = 1\n    return x + K + helper(p) + len(\"a\") + B.f()", "define B {\n  f() {\n  }\n}\n", (), []),
    ("    return crm.get(p)", "", (), [("E101", 7, 12)]),
    ("    return crm.get(p)", "", ("crm",), []),
    ("    return get_secret(\"k\")", "", (), []),
    ("    return B.nope()", "define B {\n}\n", (), [("E101", 7, 12)]),
    # E102 wrong number of arguments / near miss
    ("    return helper(1, 2)", "", (), [("E102", 7, 12)]),
    ("    return A.helper()", "", (), [("E102", 7, 12)]),
    ("    return len(1, 2)", "", (), [("E102", 7, 12)]),
    ("    return A.helper(1) + helper(2) + get({}, \"k\") + get({}, \"k\", 0)", "", (), []),
    # E103 duplicates / near miss: same method name in two defines
    ("    return 1", "define A {\n}\n", (), [("E103", 10, 1)]),
    ("    return 1\n  }\n  m(q) {\n    return q", "", (), [("E103", 9, 3)]),
    ("    return 1", "define B {\n  m(p) {\n    return p\n  }\n}\n", (), []),
    # E104 break/continue outside a loop / near miss
    ("    break", "", (), [("E104", 7, 5)]),
    ("    if p {\n      continue\n    }", "", (), [("E104", 8, 7)]),
    ("    while p {\n      if p {\n        break\n      }\n      continue\n    }", "", (), []),
    # E105 assignment to a field / near miss: a local with another name, a map entry
    ("    K = 2", "", (), [("E105", 7, 5)]),
    ("    A.K = 2", "", (), [("E105", 7, 5)]),
    ("    k = {K: 2}\n    k.K = 3\n    return k", "", (), []),
    # W201 possibly unassigned / near miss: assigned on every path
    ("    if p {\n      x = 1\n    }\n    return x", "", (), [("W201", 10, 12)]),
    ("    if p {\n      x = 1\n    } else {\n      x = 2\n    }\n    return x", "", (), []),
    ("    try {\n      x = f2()\n    } catch e {\n      return e\n    }\n    return x", "", ("f2",), []),
    # W202 unreachable / near miss
    ("    return 1\n    log(p)", "", (), [("W202", 8, 5)]),
    ("    if p {\n      return 1\n    }\n    log(p)", "", (), []),
    # W203 unused local / near miss
    ("    x = 1", "", (), [("W203", 7, 5)]),
    ("    x = 1\n    log(x)", "", (), []),
])
def test_diagnostics(src: str, extra: str, bindings: tuple[str, ...],
                     expected: list[tuple[str, int, int]]) -> None:
    assert codes(method(src, extra), bindings) == expected


def test_messages_say_what_and_how() -> None:
    [d] = check(method("    return helpr(p)"))
    assert d.message == "unknown name 'helpr'; did you mean 'helper'?"
    [d] = check(method("    return helper(1, 2)"))
    assert d.message == "helper() takes 1 argument, got 2 (parameters: a)"
    assert d.format("x.spy") == "x.spy:7:12: E102 helper() takes 1 argument, got 2 (parameters: a)"
    [d] = check(method("    x = 1"))
    assert d == Diagnostic("W203", "local 'x' is assigned but never used; remove it or use it", 7, 5, "warning")


def test_test_only_functions_are_always_known() -> None:
    src = method('    simulate_return("crm.get", 1)\n    simulate_error("crm.get", "t", "m", 2)\n'
                 '    return recorded_calls("crm")')
    assert check(src) == []


def test_diagnostics_are_sorted() -> None:
    found = check(method("    x = 1\n    return missing"))
    assert [(d.line, d.code) for d in found] == [(7, "W203"), (8, "E101")]
