"""The model's connection breaks in the middle of a streamed answer: retried, and the prose restarts cleanly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from process_designer.designer import Designer, TurnEvent
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server.chat_service import ChatService
from process_designer.server.grpc_client import GrpcChatClient
from process_designer.server.grpc_server import create_server

from .conftest import settings_for
from .fake_openai import FakeOpenAI
from .scripted_model import answer_as_agents

REQUIREMENTS = "Automated customer onboarding for a SaaS product with CRM, e-mail and billing"


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=answer_as_agents) as fake:
        yield fake


@pytest.fixture
def designer(server: FakeOpenAI, tmp_path: Path) -> Iterator[Designer]:
    settings = settings_for(server, tmp_path, PD_LLM_RETRIES="2")
    with TemplateLibrary(settings) as library:
        library.ensure_index()
        instance = Designer(settings, library=library)
        yield instance
        instance.close()


def writer_prose(events: list[TurnEvent]) -> str:
    """The writer's partial text as a client keeps it: a restart drops what came before."""
    text = ""
    for event in events:
        if event.partial and event.agent == "process_writer":
            text = "" if event.restart else text + event.content
    return text


def writer_requests(server: FakeOpenAI) -> list[int]:
    return [n for n, r in enumerate(server.chat_requests()) if r.system.startswith("ROLE: process_writer")]


def test_a_stream_cut_mid_answer_is_retried_and_its_prose_restarts_once(
    server: FakeOpenAI, designer: Designer
) -> None:
    server.drop_streams(3)  # the writer's streamed answer breaks after three chunks
    events = designer.run_turn("cut", REQUIREMENTS)

    assert len(writer_requests(server)) == 2
    restarts = [e for e in events if e.restart]
    assert [(e.agent, e.partial, e.content) for e in restarts] == [("process_writer", True, "")]
    before = events[: events.index(restarts[0])]
    assert sum(1 for e in before if e.partial) == 2  # the chunks that came before the cut
    retried = server.chat_requests()[writer_requests(server)[1]]
    assert writer_prose(events) == answer_as_agents(retried.body).content
    document = designer.document("cut")
    assert document is not None and events[-1].final and events[-1].version == 1
    usage = designer.deps.engines.usage_snapshot("cut")["turn"]  # type: ignore[attr-defined]
    assert usage["by_agent"]["writer"]["attempts"] == 2


def test_an_unbroken_stream_sends_no_restart(server: FakeOpenAI, designer: Designer) -> None:
    events = designer.run_turn("whole", REQUIREMENTS)
    assert not any(e.restart for e in events)
    assert writer_prose(events) == answer_as_agents(server.chat_requests()[writer_requests(server)[0]].body).content


async def test_grpc_clients_receive_the_restart_flag(server: FakeOpenAI, designer: Designer) -> None:
    service = ChatService(designer, designer.settings)
    grpc_server, port = create_server(service, "127.0.0.1:0")
    await grpc_server.start()
    try:
        server.drop_streams(2)
        async with GrpcChatClient(f"127.0.0.1:{port}") as client:
            answers = [a async for a in client.send("over-grpc", REQUIREMENTS)]
        assert [(a.agent, a.content) for a in answers if a.restart] == [("process_writer", "")]
        assert answers[-1].final
    finally:
        await grpc_server.stop(1)
