"""The bindings header: what it declares, where it counts, and the plain commands it makes pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from process_designer.cli.main import main
from process_designer.errors import InputError
from process_designer.spy.header import bindings_header, declared_bindings

PROGRAM = "define Notify {\n  execute(order) {\n    return email.send(order.to, \"shipped\", order)\n  }\n}\n"
TESTS = ("define NotifyTest {\n  test_sends_one_mail() {\n    Notify.execute({to: \"a@b.c\"})\n"
         "    assert len(recorded_calls(\"email.send\")) == 1\n  }\n}\n")


def test_header_round_trip_and_placement() -> None:
    assert bindings_header(["email", "crm", "email"]) == "# spy: bindings crm, email\n"
    assert bindings_header([]) == ""
    assert declared_bindings("# spy: bindings crm, email\n" + PROGRAM) == ["crm", "email"]
    assert declared_bindings("# Notify the customer\n\n#spy:bindings billing\n" + PROGRAM) == ["billing"]
    # Only the comment lines at the top count: a header after code is an ordinary comment.
    assert declared_bindings(PROGRAM + "# spy: bindings crm\n") == []


def test_a_malformed_name_is_one_line_naming_file_and_line() -> None:
    with pytest.raises(InputError, match=r"^x\.spy:2: 'e-mail' in the bindings header is not a connector name; "
                                         r"write them as `# spy: bindings crm, email`$"):
        declared_bindings("# process\n# spy: bindings crm, e-mail\n" + PROGRAM, "x.spy")


def test_plain_check_and_test_pass_with_the_header_and_check_fails_without(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bare, declared, tests = tmp_path / "bare.spy", tmp_path / "declared.spy", tmp_path / "declared_test.spy"
    bare.write_text(PROGRAM, encoding="utf-8")
    declared.write_text(bindings_header(["email"]) + PROGRAM, encoding="utf-8")
    tests.write_text(TESTS, encoding="utf-8")
    assert main(["spy", "check", str(bare)]) == 1
    assert "E101 unknown name 'email'" in capsys.readouterr().out
    assert main(["spy", "check", str(declared)]) == 0
    assert main(["spy", "check", str(declared), str(tests)]) == 0
    assert main(["spy", "fmt", "--check", str(declared)]) == 0
    capsys.readouterr()
    assert main(["spy", "test", str(declared), str(tests)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 0 failed"
    # --bindings adds to the header; it does not replace it.
    assert main(["spy", "check", str(declared), "--bindings", "crm"]) == 0
