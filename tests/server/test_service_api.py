"""The one service's API pinned once for every transport: the service called directly, gRPC over a real
channel, REST and the WebSocket over a real HTTP server — both listeners on one DesignService, as ``serve``
runs them."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncGenerator, Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import grpc
import httpx
import pytest
from grpc_harness import REQUIREMENTS
from websockets.sync.client import connect

from process_designer.config import Settings
from process_designer.domain.slugs import slug
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2, sopwriter_pb2_grpc
from process_designer.server._proto.threads.v1 import threads_pb2
from process_designer.server.grpc_server import create_server
from process_designer.server.http_listener import start_http
from process_designer.server.messages import IncomingMessage, OutgoingMessage
from process_designer.service import DesignService

T = TypeVar("T")
TIMEOUT = 180.0
API = "/api/v1/process-designer"
DESIGN = ["route_turn", "requirement_analyst", "process_writer", "spy_coder", "quality_reviewer", "respond"]


@dataclass
class Served:
    """One DesignService with its gRPC and HTTP listeners, run on an event loop in a background thread."""

    service: DesignService
    loop: asyncio.AbstractEventLoop
    grpc_port: int
    http_port: int

    def call(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(TIMEOUT)

    def new_session(self, title: str) -> tuple[str, str]:
        session = self.call(self.service.create_session(title, ""))
        return session.session_id, session.thread_id


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, library: TemplateLibrary) -> Iterator[Served]:
    settings = Settings(data_dir=Path(tmp_path_factory.mktemp("service")) / "data", max_message_bytes=2048)
    service = DesignService.open(settings, library=library)
    loop = asyncio.new_event_loop()
    started, stop = threading.Event(), asyncio.Event()
    ports: list[int] = []

    async def main() -> None:
        server, grpc_port = create_server(service, "127.0.0.1:0")
        await server.start()
        http = await start_http(service, settings.with_overrides(http_port=0))
        ports.extend([grpc_port, http.port])
        started.set()
        try:
            await stop.wait()
        finally:
            await http.stop(5)
            await server.stop(5)
            service.close()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert started.wait(60)
    try:
        yield Served(service, loop, *ports)
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)
        loop.close()


async def _collect(answers: AsyncGenerator[OutgoingMessage, None]) -> list[dict[str, Any]]:
    return [answer.model_dump(mode="json") async for answer in answers]


def _by_service(served: Served, session_id: str, thread_id: str, content: str, msg_id: str) -> list[dict[str, Any]]:
    message = IncomingMessage(thread_id=thread_id, role="USER", content=content, client_msg_id=msg_id)
    return served.call(_collect(served.service.handle(message)))


def _by_grpc(served: Served, session_id: str, thread_id: str, content: str, msg_id: str) -> list[dict[str, Any]]:
    with grpc.insecure_channel(f"127.0.0.1:{served.grpc_port}") as channel:
        stub = sopwriter_pb2_grpc.ProcessWriterStub(channel)
        request = sopwriter_pb2.ChatMessage(thread_id=thread_id, role=threads_pb2.USER, content=content,
                                            client_msg_id=msg_id)
        return [{"thread_id": a.thread_id, "agent": a.agent, "content": a.content, "final": a.final,
                 "client_msg_id": a.client_msg_id, "message_id": a.message_id, "replayed": a.replayed,
                 "version": a.version if a.HasField("version") else None}
                for a in stub.Chat(iter([request]), timeout=TIMEOUT)]


def _by_rest(served: Served, session_id: str, thread_id: str, content: str, msg_id: str) -> list[dict[str, Any]]:
    sent = httpx.post(f"http://127.0.0.1:{served.http_port}{API}/sessions/{session_id}/messages", timeout=TIMEOUT,
                      json={"thread_id": thread_id, "role": "USER", "content": content, "client_msg_id": msg_id})
    assert sent.status_code == 200, sent.text
    return list(sent.json()["messages"])


def _by_websocket(served: Served, session_id: str, thread_id: str, content: str,
                  msg_id: str) -> list[dict[str, Any]]:
    frames: list[dict[str, Any]] = []
    with connect(f"ws://127.0.0.1:{served.http_port}{API}/sessions/{session_id}/chat") as ws:
        ws.send(json.dumps({"thread_id": thread_id, "role": "USER", "content": content, "client_msg_id": msg_id}))
        while not (frames and frames[-1].get("final")):
            frames.append(json.loads(ws.recv(timeout=TIMEOUT)))
    return frames


Send = Callable[[Served, str, str, str, str], list[dict[str, Any]]]
TRANSPORTS: dict[str, Send] = {"service": _by_service, "grpc": _by_grpc, "rest": _by_rest, "websocket": _by_websocket}


@pytest.mark.parametrize("transport", list(TRANSPORTS))
def test_a_design_turn_answers_alike_over_every_transport(served: Served, transport: str) -> None:
    session_id, thread_id = served.new_session(f"Onboarding over {transport}")
    answers = TRANSPORTS[transport](served, session_id, thread_id, REQUIREMENTS, f"design-{transport}")
    assert [a["agent"] for a in answers] == DESIGN
    assert [a["final"] for a in answers] == [False] * 5 + [True]
    assert {(a["thread_id"], a["client_msg_id"]) for a in answers} == {(thread_id, f"design-{transport}")}
    final = answers[-1]
    assert (final["version"], final["replayed"]) == (1, False)
    # Whatever carried the turn, the service holds the same conversation and process afterwards.
    history = served.service.history(session_id)
    assert [(r.role, r.agent) for r in history] == [("USER", ""), ("ASSISTANT", "respond")]
    assert history[-1].content == final["content"]
    current = served.service.process(session_id)
    assert (current.version, current.session.thread_id) == (1, thread_id)


def test_a_message_id_answered_on_one_transport_is_replayed_on_every_other(served: Served) -> None:
    session_id, thread_id = served.new_session("Onboarding once")
    first = _by_grpc(served, session_id, thread_id, REQUIREMENTS, "once")
    for transport in ("rest", "websocket", "service"):
        again = TRANSPORTS[transport](served, session_id, thread_id, REQUIREMENTS, "once")
        assert [a["message_id"] for a in again] == [a["message_id"] for a in first], transport
        assert all(a["replayed"] for a in again), transport
    assert [r.role for r in served.service.history(session_id)] == ["USER", "ASSISTANT"]


def test_http_reads_are_the_service_s(served: Served) -> None:
    session_id, thread_id = served.new_session("Customer Onboarding")
    _by_service(served, session_id, thread_id, REQUIREMENTS, "design")
    changed = _by_service(served, session_id, thread_id, "Add a step to send a welcome survey at the end", "change")
    assert changed[-1]["version"] == 2, changed[-1]["content"]
    service = served.service
    with httpx.Client(base_url=f"http://127.0.0.1:{served.http_port}{API}", timeout=TIMEOUT) as http:
        process = http.get(f"/sessions/{session_id}/process").json()
        current = service.process(session_id)
        assert (process["version"], process["document"]) == (2, current.document.to_json())

        exported = service.export(session_id, "bpmn")
        assert exported.filename == f"{slug(current.document.title)}.bpmn"
        download = http.get(f"/sessions/{session_id}/process/export", params={"format": "bpmn"})
        assert download.text == exported.content
        assert download.headers["content-disposition"] == f'attachment; filename="{exported.filename}"'

        assert http.get(f"/sessions/{session_id}/process/versions").json()["versions"] == [
            {"number": v.number, "created_at": v.created_at, "summary": v.summary}
            for v in service.versions(session_id)]
        assert http.get(f"/sessions/{session_id}/process/versions/1/diff/2").json()["diff"] == service.diff(
            session_id, 1, 2)
        assert [(m["role"], m["content"]) for m in http.get(f"/sessions/{session_id}/messages").json()["messages"]] == [
            (r.role, r.content) for r in service.history(session_id)]
        rated = http.post(f"/sessions/{session_id}/feedback", json={"rating": "up", "version": 1})
        assert rated.status_code == 201 and rated.json()["version"] == 1
        assert http.get("/analytics").json() == service.analytics()


def test_a_turn_reads_its_thread_once(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    session_id, thread_id = served.new_session("Counted")
    saver = served.service.designer.graph.checkpointer
    reads: list[str] = []
    original = saver.get_tuple

    def counted(config: Any) -> Any:
        reads.append(str(config["configurable"]["thread_id"]))
        return original(config)

    monkeypatch.setattr(saver, "get_tuple", counted)
    _by_service(served, session_id, thread_id, REQUIREMENTS, "counted")
    # One read by the designer (a pending question, and where the turn starts), one by LangGraph's run itself.
    assert reads == [thread_id, thread_id]
