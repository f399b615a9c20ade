"""``process-designer spy …``: outputs and exit codes, including bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from process_designer.cli.main import main

GOOD = """define Step {
  run(x) {
    return crm.create_contact({email: lower(x)})
  }
}

define StepTest {
  test_ok() {
    assert Step.run("A").email == "a"
  }
  test_bad() {
    assert false, "boom"
  }
}
"""


def write(tmp_path: Path, text: str | bytes, name: str = "p.spy") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return str(path)


def test_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["spy", "check", path]) == 1
    assert capsys.readouterr().out == f"{path}:3:12: E101 unknown name 'crm'; define it, assign it first, or declare the integration with --bindings\n"
    assert main(["spy", "check", path, "--bindings", "crm,email"]) == 0
    assert capsys.readouterr().out == ""
    warn = write(tmp_path, "define A {\n  m() {\n    x = 1\n  }\n}\n", "w.spy")
    assert main(["spy", "check", warn]) == 0
    assert "W203" in capsys.readouterr().out


def test_fmt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "define A {\n  m( ) { return 1+2 }\n}\n")
    assert main(["spy", "fmt", path, "--check"]) == 1
    assert capsys.readouterr().out == f"would reformat {path}\n"
    assert Path(path).read_text() == "define A {\n  m( ) { return 1+2 }\n}\n"
    assert main(["spy", "fmt", path]) == 0
    assert capsys.readouterr().out == ""
    assert Path(path).read_text() == "define A {\n  m() {\n    return 1 + 2\n  }\n}\n"
    assert main(["spy", "fmt", path, "--check"]) == 0


def test_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["spy", "run", path, "--call", "Step.run", "--args", '["X@Y"]', "--bindings", "crm"]) == 0
    out = capsys.readouterr()
    assert out.out == '{"email": "x@y", "ok": true}\n'
    assert out.err == ""
    assert main(["spy", "run", path, "--call", "StepTest.test_bad"]) == 1
    assert capsys.readouterr().err == f"{path}:12: uncaught error assertion: boom\n"
    assert main(["spy", "run", path, "--call", "Step.run", "--args", "{"]) == 1
    assert "--args is not valid JSON" in capsys.readouterr().err
    assert main(["spy", "run", path, "--call", "Step.run", "--args", '["x"]', "--bindings", "email"]) == 1
    assert "uncaught error NameError: unknown name 'crm'" in capsys.readouterr().err


def test_undeclared_names_are_never_simulated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["spy", "run", path, "--call", "Step.run", "--args", '["x"]']) == 1
    assert capsys.readouterr().err == (
        f"{path}:3: uncaught error NameError: unknown name 'crm': not defined and not a host binding; "
        "declare the integration with --bindings or a '# spy: bindings' header\n")
    host = write(tmp_path, 'define A {\n  b() {\n    return __import__("os")\n  }\n  c() {\n'
                           '    return open("/etc/passwd")\n  }\n}\n', "host.spy")
    for method, name in (("A.b", "__import__"), ("A.c", "open")):
        assert main(["spy", "run", host, "--call", method]) == 1
        out = capsys.readouterr()
        assert out.out == "" and f"uncaught error NameError: unknown name '{name}'" in out.err
    assert main(["spy", "test", path]) == 1
    assert "FAIL StepTest.test_ok" in capsys.readouterr().out


def test_test(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["spy", "test", path, "--bindings", "crm"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "PASS StepTest.test_ok", f"FAIL StepTest.test_bad {path}:12: assertion: boom", "1 passed, 1 failed"]


@pytest.mark.parametrize(("content", "fragment"), [
    (b"\xff\xfe\x00junk", "not UTF-8 text"),
    ("define A {\n  m() { x = \"open\n}\n", "E001 unterminated string"),
    ("define A {\n  m() { return " + "(" * 10_000 + "1" + ")" * 10_000 + " }\n}\n", "E001 nesting too deep"),
    ("#" * 10_000_001, "too large"),
])
def test_bad_input_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes,
                               fragment: str) -> None:
    path = write(tmp_path, content)
    assert main(["spy", "check", path]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert fragment in text and "Traceback" not in text and text.count("\n") == 1


def test_missing_file_and_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["spy", "check", str(tmp_path / "none.spy")]) == 1
    assert capsys.readouterr().err == f"process-designer: error: {tmp_path / 'none.spy'}: no such file\n"
    with pytest.raises(SystemExit) as info:
        main(["spy", "run", "x.spy"])
    assert info.value.code == 2
