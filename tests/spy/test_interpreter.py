"""Semantics of SPEC §3–§8 through the public ``call`` API, the stdlib table and the limits."""

from __future__ import annotations

from typing import Any

import pytest

from process_designer.spy import (
    LimitExceeded,
    Limits,
    SimulatedRuntime,
    SpyError,
    SpyRuntimeError,
    call,
    run_tests,
)


def ev(expression: str, prelude: str = "") -> Any:
    return call(f"define A {{\n  m() {{\n{prelude}\n    return {expression}\n  }}\n}}\n", "A.m")


@pytest.mark.parametrize(("expression", "expected"), [
    ("7 / 2", 3.5), ("6 / 3", 2.0), ("7 % 3", 1), ("-7 % 3", 2), ("2 + 3 * 4", 14),
    ("\"a\" + \"b\"", "ab"), ("[1] + [2]", [1, 2]), ("[1, [2, {a: 1}]] == [1, [2, {a: 1}]]", True),
    ("{a: 1, b: 2} == {b: 2, a: 1}", True), ("1 == 1.0", True), ("true == 1", False),
    ("null == false", False), ("\"at\" in \"cat\"", True), ("\"k\" in {k: 1}", True),
    ("2 not in [1, 3]", True), ("[1, 2, 3][-1]", 3), ("\"abc\"[1]", "b"), ("{a: {b: 5}}.a.b", 5),
    ("0 or \"x\"", "x"), ("[] and 1", []), ("not {}", True), ("\"b\" > \"a\"", True),
    ("len(\"héllo\")", 5), ("str(2.0)", "2.0"), ("str([1, \"a\", null, true])", "[1, \"a\", null, true]"),
    ("int(\"42\")", 42), ("int(3.9)", 3), ("float(\"2.5\")", 2.5), ("bool(\"\")", False),
    ("lower(\"AbC\")", "abc"), ("upper(\"ab\")", "AB"), ("trim(\"  x \")", "x"),
    ("split(\"a,b\", \",\")", ["a", "b"]), ("join([\"a\", \"b\"], \"-\")", "a-b"),
    ("contains([1, 2], 2)", True), ("starts_with(\"hello\", \"he\")", True),
    ("keys({a: 1, b: 2})", ["a", "b"]), ("values({a: 1, b: 2})", [1, 2]),
    ("get({a: 1}, \"b\", 0)", 0), ("get({a: 1}, \"a\")", 1), ("range(3)", [0, 1, 2]),
    ("range(2, 4)", [2, 3]), ("min(3, 2)", 2), ("max(\"a\", \"b\")", "b"), ("abs(-2.5)", 2.5),
    ("round(2.567, 2)", 2.57), ("round(2.4)", 2), ("now()", "2026-01-01T00:00:00Z"),
    ("error(\"t\", \"m\")", {"type": "t", "message": "m"}),
])
def test_expressions_and_stdlib(expression: str, expected: Any) -> None:
    result = ev(expression)
    assert result == expected and type(result) is type(expected)


def test_append_mutates_and_log_records() -> None:
    runtime = SimulatedRuntime()
    src = 'define A {\n  m() {\n    xs = []\n    r = append(xs, 1)\n    log("hi")\n    return [xs, r]\n  }\n}\n'
    assert call(src, "A.m", runtime=runtime) == [[1], None]
    assert runtime.logs == ["hi"] and runtime.calls == [("log", ["hi"])]


@pytest.mark.parametrize(("expression", "error_type", "fragment"), [
    ("1 + \"a\"", "TypeError", "cannot add number and string"),
    ("1 < \"a\"", "TypeError", "cannot compare number with string"),
    ("1 / 0", "ZeroDivisionError", "by zero"),
    ("[1][5]", "IndexError", "index 5 out of range"),
    ("{a: 1}.b", "KeyError", "map has no key 'b'"),
    ("int(\"x\")", "ValueError", "cannot read 'x'"),
    ("len(1)", "TypeError", "len() needs a string, list or map"),
    ("nothing_here", "NameError", "unknown name 'nothing_here'"),
])
def test_runtime_errors_carry_type_message_and_line(expression: str, error_type: str, fragment: str) -> None:
    src = f"define A {{\n  m() {{\n    return {expression}\n  }}\n}}\n"
    with pytest.raises(SpyRuntimeError) as info:
        call(src, "A.m", runtime=SimulatedRuntime(bindings=[]))
    assert info.value.error["type"] == error_type and info.value.line == 3
    assert fragment in info.value.error["message"]


PROGRAM = """
define Flow {
  LIMIT = 3
  run(items) {
    total = 0
    for x in items {
      if x == 2 {
        continue
      } else if x > LIMIT {
        break
      }
      total = total + x
    }
    i = 0
    while true {
      i = i + 1
      if i >= 2 { break }
    }
    return total + i
  }
  guarded(x) {
    try {
      raise {type: "validation", message: "bad " + str(x)}
    } catch e {
      return e
    }
  }
  string_raise() {
    try { raise "plain" } catch e { return e }
  }
  host_error() {
    simulate_error("crm.get", "rate_limit", "slow down", 1)
    try { crm.get(1) } catch e { return [e, crm.get(2)] }
  }
  forever() {
    while true { }
  }
  deep(n) { return deep(n + 1) }
  catch_limit() {
    try { Flow.forever() } catch e { return "caught" }
  }
  huge() { return range(2000000) }
  fails() { assert false, "nope" }
  assign_field() { LIMIT = 4 }
}
"""


def test_control_flow_and_fields() -> None:
    assert call(PROGRAM, "Flow.run", [[1, 2, 3, 4, 1]]) == 6


def test_try_catch_and_raise_maps() -> None:
    assert call(PROGRAM, "Flow.guarded", [1]) == {"type": "validation", "message": "bad 1", "line": 23}
    assert call(PROGRAM, "Flow.string_raise") == {"type": "error", "message": "plain", "line": 29}
    runtime = SimulatedRuntime()
    caught, second = call(PROGRAM, "Flow.host_error", runtime=runtime)
    assert caught == {"type": "rate_limit", "message": "slow down", "line": 33}
    assert second == {"args": [2], "ok": True}
    assert runtime.recorded_calls("crm") == [[1], [2]]


@pytest.mark.parametrize(("target", "fragment"), [
    ("Flow.forever", "more than 1,000,000 evaluation steps"),
    ("Flow.catch_limit", "more than 1,000,000 evaluation steps"),
    ("Flow.deep", "call depth exceeded 200"),
    ("Flow.huge", "exceeds the limit of 1,000,000"),
])
def test_limits_are_uncatchable(target: str, fragment: str) -> None:
    args = [0] if target == "Flow.deep" else []
    with pytest.raises(LimitExceeded, match=fragment):
        call(PROGRAM, target, args)


def test_uncaught_errors_and_bad_targets() -> None:
    with pytest.raises(SpyRuntimeError, match="assertion: nope") as info:
        call(PROGRAM, "Flow.fails")
    assert info.value.error == {"type": "assertion", "message": "nope", "line": 43}
    with pytest.raises(SpyRuntimeError, match="members of a define are constants"):
        call(PROGRAM, "Flow.assign_field")
    with pytest.raises(SpyError, match="no define 'Nope'"):
        call(PROGRAM, "Nope.run")
    with pytest.raises(SpyError, match="has no method 'nope'"):
        call(PROGRAM, "Flow.nope")
    with pytest.raises(SpyError, match=r"takes 1 argument\(s\), got 0"):
        call(PROGRAM, "Flow.run")


def test_simulated_runtime_records_and_returns() -> None:
    src = """
define Step {
  run(x) {
    a = crm.create_contact({email: x})
    b = email.send(x, "welcome")
    c = billing.get_plan()
    sleep(90)
    return [a, b, c, get_secret("k"), get_secret("other"), now(), AuthConfig("a", "t")]
  }
}
"""
    runtime = SimulatedRuntime(["crm", "email", "billing"], secrets={"k": "v"},
                               returns={"billing.get_plan": {"plan": "pro"}})
    result = call(src, "Step.run", ["a@b.c"], runtime=runtime)
    assert result == [{"email": "a@b.c", "ok": True}, {"args": ["a@b.c", "welcome"], "ok": True},
                      {"plan": "pro"}, "v", "secret:other", "2026-01-01T00:01:30Z",
                      {"api_key": "a", "token": "t"}]
    assert [name for name, _ in runtime.calls] == [
        "crm.create_contact", "email.send", "billing.get_plan", "sleep", "get_secret", "get_secret",
        "AuthConfig"]
    assert runtime.simulated == []
    with pytest.raises(SpyRuntimeError, match="unknown name 'crm'"):
        call(src, "Step.run", ["x"], runtime=SimulatedRuntime(["email"]))


def test_run_tests_reports_each_case() -> None:
    src = PROGRAM + """
define FlowTest {
  test_ok() { assert Flow.run([1]) == 3 }
  test_bad() { assert Flow.run([1]) == 2, "expected two" }
  test_simulated() {
    simulate_return("crm.find", {id: 7})
    assert crm.find("x").id == 7
    assert len(recorded_calls("crm.find")) == 1
  }
  helper() { }
}
"""
    report = run_tests(src, "f.spy")
    assert [(c.name, c.passed, c.message, c.line) for c in report.cases] == [
        ("test_ok", True, "", None),
        ("test_bad", False, "assertion: expected two", 49),
        ("test_simulated", True, "", None),
    ]
    assert (report.passed, report.failed) == (2, 1)


def test_each_case_runs_as_if_alone_though_the_program_is_compiled_once() -> None:
    # A field is evaluated again against each case's runtime, and every case gets the whole budget.
    src = """
define Config {
  KEY = get_secret("api_key")
}

define Busy {
  spin(n) {
    total = 0
    for i in range(n) {
      total = total + i
    }
    return total
  }
}

define IsolationTest {
  test_first() {
    simulate_return("crm.find", {id: 1})
    key = Config.KEY
    assert len(recorded_calls("get_secret")) == 1, "the field reads its secret in this case"
    Busy.spin(1500)
  }
  test_second() {
    key = Config.KEY
    assert len(recorded_calls("get_secret")) == 1, "the field reads its secret in this case too"
    assert get(crm.find("x"), "id", 0) != 1, "a simulated return does not leak into the next case"
    Busy.spin(1500)
  }
}
"""
    report = run_tests(src, "isolation.spy", limits=Limits(max_steps=5_000))
    assert [(c.name, c.passed, c.message) for c in report.cases] == [
        ("test_first", True, ""), ("test_second", True, "")]
    over = run_tests(src.replace("spin(1500)", "spin(4000)"), "isolation.spy", limits=Limits(max_steps=5_000))
    assert [c.message.split(" ")[0] for c in over.cases] == ["LimitExceeded:", "LimitExceeded:"]
