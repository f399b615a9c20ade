"""Real processes for the scale-out tests: a `chroma run` server and `process-designer serve` instances."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import grpc
from postgres_cluster import free_port

from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2, sopwriter_pb2_grpc
from process_designer.server._proto.threads.v1 import threads_pb2

__all__ = ["Instance", "chat", "chroma_server", "serve_instance", "user"]

CLI = [sys.executable, "-m", "process_designer"]


@contextmanager
def _process(args: list[str], **kwargs: object) -> Iterator[subprocess.Popen[str]]:
    process: subprocess.Popen[str] = subprocess.Popen(args, text=True, **kwargs)  # type: ignore[call-overload]
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def chroma_server(data: Path) -> Iterator[str]:
    """A real Chroma server on loopback; its URL."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the `chroma` CLI must be installed in the virtualenv"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with (data / "chroma.log").open("wb") as log, _process(
        [chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    ) as process:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"chroma run exited with {process.returncode}"
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "chroma run did not answer within 60 s"
            time.sleep(0.2)
        yield url


@dataclass(frozen=True)
class Instance:
    """A running `process-designer serve`: where its gRPC and HTTP listeners are."""

    grpc_address: str
    http_url: str
    process: subprocess.Popen[str]
    stderr: Path


def instance_env(data_dir: Path, extra: Mapping[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PD_")}
    return {**env, "PD_DATA_DIR": str(data_dir), "LANGGRAPH_CLI_NO_ANALYTICS": "1", **extra}


@contextmanager
def serve_instance(data_dir: Path, extra: Mapping[str, str], *args: str) -> Iterator[Instance]:
    """Start `process-designer serve` on free loopback ports and wait until both listeners answer."""
    data_dir.mkdir(parents=True, exist_ok=True)
    stderr = data_dir / "serve.stderr"
    with stderr.open("w") as errors, _process(
        [*CLI, "serve", "--grpc-port", "0", "--http-port", "0", "--grace", "5", *args],
        env=instance_env(data_dir, extra), stdout=subprocess.PIPE, stderr=errors,
    ) as process:
        assert process.stdout is not None
        first, second = process.stdout.readline(), process.stdout.readline()
        grpc_line = re.fullmatch(r"gRPC listening on (127\.0\.0\.1:\d+)\n", first)
        http_line = re.fullmatch(r"HTTP listening on (127\.0\.0\.1:\d+)\n", second)
        if not (grpc_line and http_line):
            process.kill()
            raise AssertionError(f"serve did not start: {first!r} {second!r}; stderr: {stderr.read_text()}")
        yield Instance(grpc_line.group(1), f"http://{http_line.group(1)}", process, stderr)


async def chat(address: str, *messages: sopwriter_pb2.ChatMessage,
               metadata: tuple[tuple[str, str], ...] | None = None) -> list[sopwriter_pb2.ChatMessage]:
    """Send ``messages`` on one Chat stream over a real channel and collect every answer."""
    async with grpc.aio.insecure_channel(address) as channel:
        stub = sopwriter_pb2_grpc.ProcessWriterStub(channel)
        call = stub.Chat(iter(messages), metadata=metadata, timeout=120)
        return [answer async for answer in call]


def user(thread_id: str, content: str, client_msg_id: str = "") -> sopwriter_pb2.ChatMessage:
    return sopwriter_pb2.ChatMessage(thread_id=thread_id, role=threads_pb2.USER, content=content,
                                     client_msg_id=client_msg_id)
