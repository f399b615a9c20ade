"""Hostile inputs on REST, WebSocket and gRPC: each answered as an input error, and nothing stored."""

from __future__ import annotations

import json
import resource
from collections.abc import Iterator
from pathlib import Path

import grpc
import httpx
import pytest
from websockets.sync.client import connect

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2, sopwriter_pb2_grpc
from process_designer.server._proto.threads.v1 import threads_pb2
from tests.faults.harness import in_process_server
from tests.http.http_harness import TURN_TIMEOUT, Running, running_server

HUGE_INT = '{"owner": 1' + "0" * 5000 + "}"
DEEP = "[" * 5000 + "]" * 5000
# (what, a SYSTEM message's content, what the refusal says)
HOSTILE_SYSTEM = [
    pytest.param(HUGE_INT, "has a number too long", id="huge-int"),
    pytest.param('{"owner": ' + DEEP + "}", "has nesting too deep (more than 32 levels)", id="deep-nesting"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with running_server(Settings(data_dir=tmp_path_factory.mktemp("bad-inputs"))) as running:
        yield running


@pytest.fixture
def session(server: Running) -> str:
    created = httpx.post(f"{server.api}/sessions", json={}, timeout=30)
    assert created.status_code == 201, created.text
    return str(created.json()["session_id"])


def _history(server: Running, session: str) -> list[object]:
    return list(httpx.get(f"{server.api}/sessions/{session}/messages", timeout=30).json()["messages"])


@pytest.mark.parametrize(("content", "expected"), HOSTILE_SYSTEM)
def test_rest_refuses_a_hostile_system_message_with_400_json(server: Running, session: str, content: str,
                                                             expected: str) -> None:
    answer = httpx.post(f"{server.api}/sessions/{session}/messages", json={"role": "SYSTEM", "content": content},
                        timeout=TURN_TIMEOUT)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid", answer.text
    assert expected in answer.json()["detail"]
    assert _history(server, session) == []


def test_rest_refuses_a_deeply_nested_body_with_4xx_json(server: Running, session: str) -> None:
    body = '{"content": "hi", "context": ' + DEEP + "}"
    answer = httpx.post(f"{server.api}/sessions/{session}/messages", content=body,
                        headers={"content-type": "application/json"}, timeout=30)
    assert 400 <= answer.status_code < 500 and "error" in answer.json(), answer.text
    assert _history(server, session) == []


def test_websocket_answers_binary_and_hostile_frames_with_error_frames(server: Running, session: str) -> None:
    with connect(f"{server.ws}/sessions/{session}/chat") as ws:
        ws.send(b"\x00\x01binary")
        binary = json.loads(ws.recv(timeout=30))
        assert binary["status"] == 400 and "binary frames are not read" in binary["detail"]
        ws.send('{"content": ' + DEEP + "}")
        deep = json.loads(ws.recv(timeout=30))
        assert deep["status"] == 400 and "nesting too deep" in deep["detail"]
        ws.send(json.dumps({"role": "SYSTEM", "content": HUGE_INT, "client_msg_id": "huge"}))
        huge = json.loads(ws.recv(timeout=TURN_TIMEOUT))
        assert huge["status"] == 400 and "number too long" in huge["detail"] and huge["client_msg_id"] == "huge"
        ws.send(json.dumps({"role": "SYSTEM", "content": '{"owner": "Finance"}'}))  # the socket still works
        while not (frame := json.loads(ws.recv(timeout=TURN_TIMEOUT))).get("final"):
            assert "error" not in frame, frame
        assert "owner=Finance" in frame["content"]
    assert len(_history(server, session)) == 2  # only the valid SYSTEM message and its answer


@pytest.mark.parametrize(("content", "expected"), HOSTILE_SYSTEM)
async def test_grpc_refuses_a_hostile_system_message_invalid_argument(
    tmp_path: Path, library: TemplateLibrary, content: str, expected: str
) -> None:
    async with in_process_server(tmp_path / "data", library) as (_, address):
        async with grpc.aio.insecure_channel(address) as channel:
            stub = sopwriter_pb2_grpc.ProcessWriterStub(channel)
            message = sopwriter_pb2.ChatMessage(thread_id="hostile", role=threads_pb2.SYSTEM, content=content)
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                async for _ in stub.Chat(iter([message])):
                    pass
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert expected in (raised.value.details() or "")
    designer = Designer(Settings(data_dir=tmp_path / "data"), library=None)
    try:
        assert not designer.exists("hostile")
    finally:
        designer.close()


def test_a_chunked_body_over_the_limit_is_refused_413(server: Running, session: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"content": "'
        for _ in range(300):  # 300 MB; the server holds at most its limit of it
            yield b"x" * (1024 * 1024)
        yield b'"}'

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB; the server runs in this process
    answer = httpx.post(f"{server.api}/sessions/{session}/messages", content=chunks(),
                        headers={"content-type": "application/json"}, timeout=60)
    assert answer.status_code == 413 and answer.json()["error"] == "too_large", answer.text
    assert answer.json()["detail"].startswith("the request body is over ")  # cut at the limit, never read whole
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 100 * 1024
    assert _history(server, session) == []


@pytest.mark.parametrize(("content", "expected"), HOSTILE_SYSTEM)
def test_the_designer_answers_a_hostile_context_without_changing_it(tmp_path: Path, content: str,
                                                                    expected: str) -> None:
    designer = Designer(Settings(data_dir=tmp_path / "data"), library=None)
    try:
        answer = designer.run_turn("context", content, role="SYSTEM")[-1]
        assert answer.final and answer.content.startswith(f"Context not changed: the context {expected}")
        assert designer.context("context").owner is None
    finally:
        designer.close()
