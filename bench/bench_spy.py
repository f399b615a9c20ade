"""SPy figures: parse + check of a 2,000-line program, and interpreter steps per second."""

from __future__ import annotations

import time

from process_designer.spy import check, parse
from process_designer.spy.interpreter import Interpreter, Limits
from process_designer.spy.runtime import SimulatedRuntime

_METHOD = """  step_{i}(order) {{
    # validate and route order {i}
    if not contains(order, "email") {{
      raise {{type: "validation", message: "email is required"}}
    }}
    total = order.amount * 2 + {i}
    if total > 100 {{
      crm.update(order.id, {{tier: "gold", total: total}})
    }} else {{
      log("small order " + str(total))
    }}
    return total
  }}
"""


def program(lines: int = 2000) -> str:
    """A realistic program of about ``lines`` lines: many small handler methods."""
    per = _METHOD.count("\n")
    methods = "".join(_METHOD.format(i=i) for i in range(max(1, (lines - 2) // per)))
    return "define Handlers {\n" + methods + "}\n"


LOOP = """define Loop {
  run(n) {
    i = 0
    while i < n {
      i = i + 1
    }
    return i
  }
}
"""


def main() -> None:
    source = program()
    check(source, bindings=["crm"])  # warm the grammar cache
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        diagnostics = check(source, bindings=["crm"])
        runs.append(time.perf_counter() - start)
    assert diagnostics == [], diagnostics
    print(f"check {source.count(chr(10))} lines: best {min(runs) * 1000:.1f} ms, "
          f"median {sorted(runs)[2] * 1000:.1f} ms (target <= 100 ms)")
    interp = Interpreter(parse(LOOP), SimulatedRuntime(), Limits(max_steps=10**9))
    start = time.perf_counter()
    interp.run("Loop.run", [500_000])
    elapsed = time.perf_counter() - start
    steps = 10**9 - interp.budget
    print(f"interpreter: {steps:,} steps in {elapsed:.2f} s = {steps / elapsed:,.0f} steps/s "
          "(target >= 500,000)")
