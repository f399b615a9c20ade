"""Hostile SPy programs end with a SPy error in bounded time and memory, never a Python traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from process_designer import spy
from process_designer.cli.main import main

DOUBLED = 's = "x"\n    for i in range(19) {\n      s = s + s\n    }\n'  # a 524,288-character string
BIG = "x = 1\n    for i in range(4000) {\n      x = x + x\n    }\n"  # a 4001-bit number
DEEP = "v = []\n    for i in range(200000) {\n      v = [v]\n    }\n"  # a value 200,000 levels deep

# (what, the body of Main.run, the error it must end with)
HOSTILE = [
    ("sleep for 1e20 seconds", "sleep(1e20)", r"ValueError: sleep\(1e\+20\) moves the simulated clock past"),
    ("sleep forever", "sleep(1e308 * 10)", r"TypeError: sleep\(\) needs a number of seconds >= 0"),
    ("doubling a number", "x = 1\n    while true {\n      x = x + x\n    }", r"number larger than 2\*\*4096"),
    ("a huge number to a decimal", BIG + "    return x * 1.5", r"OverflowError: the result of '\*' is too large"),
    ("a huge quotient", BIG + "    return x / 3", r"OverflowError: the result of '/' is too large"),
    ("a huge number as a decimal", BIG + "    return float(x)", r"ValueError: float\(\) of a number too large"),
    ("rounding infinity", "return round(1e308 * 10)", r"ValueError: cannot round inf"),
    ("returning a deep value", DEEP + "    return v", r"nested too deep to return"),
    ("comparing deep values", DEEP + "    return v == [v]", r"nesting too deep while running"),
    ("printing a deep value", DEEP + "    return str(v)", r"nesting too deep while running"),
    ("passing a deep value to a connector", DEEP + "    return crm.sync(v)", r"nesting too deep while running"),
]


# Programs that only a run's limits stop: (what, the body of Main.run).
GREEDY = [
    ("copying strings", DOUBLED + "    v = []\n    while true {\n      append(v, s + \"\")\n    }"),
    ("copying lists through a connector", "big = range(0, 900000)\n    v = []\n    while true {\n"
     "      append(v, crm.sync(big))\n    }"),
    ("keeping huge numbers", BIG + "    v = []\n    while true {\n      append(v, x + 1)\n    }"),
    ("comparing long lists", "a = range(0, 900000)\n    b = range(0, 900000)\n    while true {\n"
     "      same = a == b\n    }"),
    ("searching a long string", DOUBLED + "    while true {\n      found = \"y\" in s\n    }"),
    ("building maps", "v = []\n    while true {\n      append(v, {a: 1, b: 2, c: 3})\n    }"),
    ("printing a long list", "v = range(0, 100000)\n    while true {\n      text = str(v)\n    }"),
]
LIMIT = r"LimitExceeded: (more than 10,000,000 elements|more than 1,000,000 evaluation steps|ran longer than 10 s)"


def _program(body: str) -> str:
    return f"define Main {{\n  run() {{\n    {body}\n  }}\n}}\n"


@pytest.mark.parametrize(("body", "expected"), [pytest.param(b, e, id=w) for w, b, e in HOSTILE])
def test_a_hostile_program_ends_with_a_spy_error(body: str, expected: str) -> None:
    with pytest.raises(spy.SpyError, match=expected):
        spy.call(_program(body), "Main.run", runtime=spy.SimulatedRuntime(["crm"]))


def _spy_run(path: Path) -> tuple[int, str, float, int]:
    """``spy run`` of ``path`` in a child process: exit code, stderr, seconds and peak memory in bytes."""
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-m", "process_designer", "spy", "run", str(path), "--call",
                              "Main.run", "--bindings", "crm"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True)
    assert child.stderr is not None
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, err, time.monotonic() - started, usage.ru_maxrss * 1024


@pytest.mark.slow
def test_greedy_programs_stop_at_a_limit_in_bounded_time_and_memory(tmp_path: Path) -> None:
    idle = tmp_path / "idle.spy"
    idle.write_text(_program("return 1"))
    code, _, _, baseline = _spy_run(idle)
    assert code == 0
    for what, body in GREEDY:
        path = tmp_path / "greedy.spy"
        path.write_text(_program(body))
        code, err, seconds, peak = _spy_run(path)
        assert code == 1 and re.search(LIMIT, err) and err.count("\n") == 1, (what, err)
        assert seconds < 20, (what, seconds)
        assert peak - baseline < 256 * 2**20, (what, peak - baseline)


def test_a_run_stops_at_its_time_limit() -> None:
    # 2**150 comparisons of two shared halves: few elements each, so only the clock stops it.
    body = "v = []\n    for i in range(150) {\n      v = [v, v]\n    }\n    return v == v"
    started = time.monotonic()
    with pytest.raises(spy.LimitExceeded, match=r"ran longer than 0\.5 seconds"):
        spy.call(_program(body), "Main.run", limits=spy.Limits(max_seconds=0.5))
    assert time.monotonic() - started < 3


def test_a_spy_catch_sees_the_error_of_a_huge_sleep() -> None:
    body = 'try {\n      sleep(1e20)\n    } catch e {\n      return e.type + ": " + now()\n    }'
    assert spy.call(_program(body), "Main.run") == "ValueError: 2026-01-01T00:00:00Z"


@pytest.mark.parametrize(("body", "expected"), [
    ("sleep(1e20)", "uncaught error ValueError: sleep(1e+20) moves the simulated clock past the year 9999"),
    (BIG + "    return x / 3", "uncaught error OverflowError: the result of '/' is too large"),
    (DEEP + "    return v", "LimitExceeded: the result of Main.run is nested too deep to return"),
])
def test_spy_run_reports_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str,
                                  expected: str) -> None:
    path = tmp_path / "hostile.spy"
    path.write_text(_program(body))
    assert main(["spy", "run", str(path), "--call", "Main.run"]) == 1
    out = capsys.readouterr()
    assert out.out == "" and expected in out.err and out.err.count("\n") == 1 and "Traceback" not in out.err
