"""Real servers for fault tests: in this process over a real ChatService, or ``process-designer serve`` as a child."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server.chat_service import ChatService
from process_designer.server.grpc_server import GrpcOptions, create_server


@contextlib.asynccontextmanager
async def in_process_server(
    data_dir: Path, library: TemplateLibrary, options: GrpcOptions | None = None
) -> AsyncIterator[tuple[ChatService, str]]:
    """A real ChatService behind a real gRPC server on 127.0.0.1:0; stopped on exit."""
    service = ChatService(Designer(Settings(data_dir=data_dir), library=library), Settings(data_dir=data_dir))
    server, port = create_server(service, "127.0.0.1:0", options=options)
    await server.start()
    try:
        yield service, f"127.0.0.1:{port}"
    finally:
        await server.stop(1)
        service.close()


def serve_in_child(data_dir: Path, *, stderr: int | None = None) -> tuple[subprocess.Popen[str], str]:
    """``process-designer serve`` on ``data_dir`` in a child process, as deployed: the process and
    its gRPC address, once it listens. The caller terminates it."""
    env = {**os.environ, "PD_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "ANONYMIZED_TELEMETRY": "False", "LANGGRAPH_CLI_NO_ANALYTICS": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "process_designer", "serve", "--host", "127.0.0.1", "--grpc-port", "0",
         "--http-port", "0"], stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
    assert server.stdout is not None
    for row in server.stdout:
        if row.startswith("gRPC listening on "):
            return server, row.removeprefix("gRPC listening on ").strip()
    raise RuntimeError(f"the server ended (exit {server.wait()}) before it listened")
