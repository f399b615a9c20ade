"""``process-designer serve`` and ``chat`` as a user runs them: real processes, piped input."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "process_designer"]


def run_cli(*args: str, stdin: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], input=stdin, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PD_DATA_DIR": str(tmp_path / "data"), "PYTHONUNBUFFERED": "1"}


@pytest.fixture
def server(env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [*CLI, "serve", "--grpc-port", "0", "--http-port", "0", "--grace", "5"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.fullmatch(r"gRPC listening on (127\.0\.0\.1:\d+)\n", line)
        assert found, f"unexpected first line {line!r}; stderr: {process.stderr.read() if process.stderr else ''}"
        assert re.fullmatch(r"HTTP listening on 127\.0\.0\.1:\d+\n", process.stdout.readline())
        yield process, found.group(1)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)


def test_chat_against_a_server_then_sigterm_drains_it(
    server: tuple[subprocess.Popen[str], str], env: dict[str, str]
) -> None:
    process, address = server
    chat = run_cli(
        "chat", "--server", address, "--thread", "cli-remote",
        stdin="/system business_domain: SaaS\n\n/system owner: Finance\n/quit\n/system never: sent\n",
        env=env,
    )
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.splitlines() == [
        "[route_turn] Route: context",
        "[update_context] Context updated: business_domain=SaaS.",
        "[respond] Context updated: business_domain=SaaS.",
        "[route_turn] Route: context",
        "[update_context] Context updated: business_domain=SaaS, owner=Finance.",
        "[respond] Context updated: business_domain=SaaS, owner=Finance.",
    ]
    assert chat.stderr.startswith("thread cli-remote — type a message;")

    process.send_signal(signal.SIGTERM)
    assert process.wait(20) == 0
    assert process.stdout is not None
    assert process.stdout.read() == "shutting down; finishing turns in progress (up to 5s)\n"


def test_chat_in_process_with_piped_input_and_eof(env: dict[str, str]) -> None:
    chat = run_cli("chat", "--thread", "cli-local", stdin="/system owner: Operations\n/nope\n", env=env)
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.splitlines() == [
        "[route_turn] Route: context",
        "[update_context] Context updated: owner=Operations.",
        "[respond] Context updated: owner=Operations.",
    ]
    assert chat.stderr.splitlines()[-1:] == [
        "unknown command '/nope'; type a message; /system KEY: VALUE sets context; /quit, Ctrl-D or Ctrl-C leaves"
    ]


def test_chat_rejects_a_malformed_thread_without_a_traceback(env: dict[str, str]) -> None:
    chat = run_cli("chat", "--thread", "no spaces", stdin="", env=env)
    assert (chat.returncode, chat.stdout) == (1, "")
    assert chat.stderr == (
        "process-designer: error: --thread 'no spaces' is malformed; "
        "use 1 to 128 characters of letters, digits, '.', '_', ':' or '-'\n"
    )
