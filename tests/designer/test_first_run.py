"""A newcomer's first commands, run as whole processes: quiet means quiet, bad bytes and long texts are one line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from process_designer.cli.main import main
from process_designer.designer import Designer
from process_designer.errors import InputError
from process_designer.limits import MAX_MESSAGE_CHARS

CLI = [sys.executable, "-m", "process_designer"]
REQUIREMENTS = ("When a refund request arrives, look up the order in the CRM; issue the refund in billing; "
                "e-mail the customer")
LATIN1 = "Rückerstattung: prüfe die Bestellung".encode("latin-1")  # ü is 0xfc in Latin-1
BAD_OFFSET = LATIN1.index(b"\xfc")


def _run(args: list[str], data_dir: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PD_DATA_DIR": str(data_dir)}
    return subprocess.run([*CLI, *args], input=stdin, env=env, capture_output=True, timeout=300, check=False)


def test_quiet_prints_nothing_on_stderr_on_a_first_start_and_after(tmp_path: Path) -> None:
    cold = _run(["design", REQUIREMENTS, "--quiet", "--out", str(tmp_path / "out")], tmp_path / "cold")
    assert cold.returncode == 0, cold.stderr
    assert cold.stderr == b""
    assert cold.stdout.startswith(b"# Refund Request Processing - Process Documentation")
    warm = _run(["design", REQUIREMENTS, "--quiet"], tmp_path / "cold")
    assert (warm.returncode, warm.stderr) == (0, b"")


def test_the_first_start_says_once_that_it_indexes_the_library(tmp_path: Path) -> None:
    first = _run(["design", REQUIREMENTS], tmp_path / "data")
    assert first.returncode == 0, first.stderr
    lines = first.stderr.decode().splitlines()
    assert re.fullmatch(r"process-designer: embedding \d+ template\(s\) with all-MiniLM-L6-v2", lines[0])
    # Then only the agent stages, one line each.
    assert lines[1].startswith("[route_turn] ") and lines[-1].startswith("[quality_reviewer] ")
    assert all(re.match(r"\[\w+\] ", line) for line in lines[1:])
    second = _run(["design", REQUIREMENTS], tmp_path / "data")
    assert not any(b"embedding" in line for line in second.stderr.splitlines())
    assert second.stderr.decode().splitlines()[0].startswith("[route_turn] ")


def test_requirements_on_stdin_that_are_not_utf8_are_one_line(tmp_path: Path) -> None:
    done = _run(["design", "-"], tmp_path / "data", stdin=LATIN1)
    assert done.returncode == 1
    assert done.stderr.decode() == (
        f"process-designer: error: standard input is not UTF-8 text: byte 0xfc at offset {BAD_OFFSET} "
        "cannot be decoded; save the file as UTF-8\n")
    assert done.stdout == b""
    assert not (tmp_path / "data").exists()  # refused before anything was opened


def test_an_argument_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PD_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([*(a.encode() for a in CLI), b"design", LATIN1], env=env, capture_output=True,
                          timeout=60, check=False)
    assert done.returncode == 1
    assert done.stderr.decode() == (
        f"process-designer: error: the requirements argument is not UTF-8 text: byte 0xfc at offset {BAD_OFFSET} "
        "cannot be decoded; save the file as UTF-8\n")


def test_requirements_in_utf8_with_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    done = _run(["design", "-", "--quiet", "--format", "json"], tmp_path / "data",
                stdin=b"\xef\xbb\xbf" + REQUIREMENTS.encode())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "Refund Request Processing"


def test_a_chat_line_that_is_not_utf8_is_refused_and_the_chat_goes_on(tmp_path: Path) -> None:
    done = _run(["chat", "--thread", "t-latin1"], tmp_path / "data",
                stdin=LATIN1 + b"\nWhat can you do?\n/quit\n")
    assert done.returncode == 0, done.stderr
    errors = [line for line in done.stderr.decode().splitlines() if "error" in line]
    assert errors == [f"process-designer: error: standard input, line 1, is not UTF-8 text: byte 0xfc at offset "
                      f"{BAD_OFFSET} cannot be decoded; save the file as UTF-8; this line was not sent"]
    assert b"[respond]" in done.stdout  # the next line was answered


@pytest.mark.parametrize(("argv", "name"), [
    (["templates", "add", "{file}"], "bad.toml"),
    (["spy", "check", "{file}"], "bad.spy"),
    (["spy", "test", "{file}"], "bad.spy"),
    (["spy", "fmt", "--check", "{file}"], "bad.spy"),
    (["spy", "run", "{file}", "--call", "A.b"], "bad.spy"),
    (["export", "{file}", "--format", "mermaid"], "bad.json"),
    (["import", "{file}"], "bad.bpmn"),
    (["gap", "{file}", "{file}"], "bad.md"),
    (["optimise", "{file}"], "bad.txt"),
    (["eval", "--worfbench", "{file}"], "bad.json"),
    (["eval", "--suite", "{file}"], "bad.jsonl"),
])
def test_every_file_the_cli_reads_is_utf8_or_one_line(argv: list[str], name: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PD_DATA_DIR", str(tmp_path / "data"))
    bad = tmp_path / name
    bad.write_bytes(b"1. " + LATIN1 + b"\n")
    assert main([part.replace("{file}", str(bad)) for part in argv]) == 1
    assert capsys.readouterr().err == (
        f"process-designer: error: {bad} is not UTF-8 text: byte 0xfc at offset {BAD_OFFSET + 3} cannot be "
        "decoded; save the file as UTF-8\n")


def test_requirements_over_the_limit_are_refused_with_the_limit(tmp_path: Path) -> None:
    text = ("The clerk checks the invoice. " * 700)[:MAX_MESSAGE_CHARS] + "!\n"  # the newline does not count
    done = _run(["design", "-"], tmp_path / "data", stdin=text.encode())
    assert done.returncode == 1
    assert done.stderr.decode() == (
        f"process-designer: error: the message is {MAX_MESSAGE_CHARS + 1:,} characters, over the limit of "
        f"{MAX_MESSAGE_CHARS:,}; shorten it, or design the process in parts (one message each) and add to it\n")
    assert done.stdout == b""


def test_the_designer_refuses_a_long_message_before_it_runs(designer: Designer) -> None:
    with pytest.raises(InputError, match=r"^the message is 20,001 characters, over the limit of 20,000;"):
        designer.design("x" * (MAX_MESSAGE_CHARS + 1))
    with pytest.raises(InputError, match=r"^the message is 20,001 characters"):
        designer.run_turn("long-thread", "y" * (MAX_MESSAGE_CHARS + 1))
    assert not designer.exists("long-thread")
