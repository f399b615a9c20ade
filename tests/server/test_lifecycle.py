"""Cancellation, deadlines and shutdown reach the turn; health and reflection answer."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from google.protobuf import descriptor_pb2
from grpc_harness import (
    REQUIREMENTS,
    OpenStream,
    Running,
    chat,
    held_turn,
    running_server,
    system,
    user,
    wait_for,
)
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from process_designer.config import Settings
from process_designer.errors import ConfigError
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server.grpc_server import GrpcOptions, create_server


async def test_client_cancellation_stops_the_turn_and_frees_the_thread(running: Running) -> None:
    stream = await held_turn(running, "cancel", "c-1")
    assert (await stream.call.read()).final is False

    stream.call.cancel()
    await wait_for(lambda: running.designer.stopped_early == ["cancel"])
    running.designer.open_gate()
    answers = await chat(running, [system("cancel", "owner: Ops", "c-2")])
    assert [(a.client_msg_id, a.final) for a in answers] == [("c-2", False), ("c-2", False), ("c-2", True)]


async def test_deadline_exceeded_reaches_the_turn(running: Running) -> None:
    stream = await held_turn(running, "deadline", "d-1", timeout=1.0)
    assert (await stream.call.read()).final is False
    code, _details = await stream.end_status()
    assert code == grpc.StatusCode.DEADLINE_EXCEEDED
    await wait_for(lambda: running.designer.stopped_early == ["deadline"])


async def test_shutdown_finishes_accepted_turns_then_ends_open_streams(settings: Settings, library: TemplateLibrary) -> None:
    async with running_server(settings, library) as running:
        busy = await held_turn(running, "busy", "b-1")
        head = await busy.call.read()
        idle = OpenStream(running)
        await idle.send(system("idle", "owner: Ops", "i-1"))
        assert [a.final for a in await idle.turn()] == [False, False, True]

        stopping = asyncio.create_task(running.server.stop(5.0))
        await asyncio.sleep(0.2)
        running.designer.open_gate()
        rest = await busy.turn()
        unavailable = (
            grpc.StatusCode.UNAVAILABLE,
            "the server is shutting down; reconnect and resend any message that was not answered "
            "(resending the same client_msg_id is safe)",
        )
        assert await busy.end_status() == unavailable
        assert await idle.end_status() == unavailable
        await stopping
        answered = [head, *rest]
        assert running.designer.stopped_early == []

    async with running_server(settings, library) as restarted:
        replay = await chat(restarted, [user("busy", REQUIREMENTS, "b-1")])
        assert restarted.designer.runs == []
    assert [a.message_id for a in replay] == [a.message_id for a in answered]


async def test_health_reports_serving_then_not_serving(settings: Settings, library: TemplateLibrary) -> None:
    async with running_server(settings, library) as running:
        health = health_pb2_grpc.HealthStub(running.channel)
        for service in ("", "sopwriter.v1.ProcessWriter"):
            reply = await health.Check(health_pb2.HealthCheckRequest(service=service))
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
        watch = health.Watch(health_pb2.HealthCheckRequest(service="sopwriter.v1.ProcessWriter"))
        assert (await watch.read()).status == health_pb2.HealthCheckResponse.SERVING
        stopping = asyncio.create_task(running.server.stop(1.0))
        assert (await watch.read()).status == health_pb2.HealthCheckResponse.NOT_SERVING
        await stopping


async def test_reflection_lists_and_describes_the_services(running: Running) -> None:
    stub = reflection_pb2_grpc.ServerReflectionStub(running.channel)
    requests = [
        reflection_pb2.ServerReflectionRequest(list_services=""),
        reflection_pb2.ServerReflectionRequest(file_containing_symbol="sopwriter.v1.ChatMessage"),
    ]
    listed, described = [reply async for reply in stub.ServerReflectionInfo(iter(requests))]
    names = {service.name for service in listed.list_services_response.service}
    assert names == {
        "sopwriter.v1.ProcessWriter",
        "grpc.health.v1.Health",
        "grpc.reflection.v1alpha.ServerReflection",
    }
    files = [
        descriptor_pb2.FileDescriptorProto.FromString(raw)
        for raw in described.file_descriptor_response.file_descriptor_proto
    ]
    assert [(f.name, list(f.dependency)) for f in files] == [
        ("sopwriter/v1/sopwriter.proto", ["threads/v1/threads.proto"]),
        ("threads/v1/threads.proto", []),
    ]


async def test_a_busy_port_is_one_clear_error(running: Running) -> None:
    with pytest.raises(ConfigError, match=rf"^cannot listen for gRPC on 127\.0\.0\.1:{running.port}\b.*--grpc-port"):
        create_server(running.service, f"127.0.0.1:{running.port}")


async def test_a_stream_reads_no_further_than_its_turn_limit(settings: Settings, library: TemplateLibrary) -> None:
    async with running_server(settings, library, options=GrpcOptions(max_turns_per_stream=1)) as running:
        running.designer.held.add("first")
        stream = OpenStream(running)
        await stream.send(user("first", REQUIREMENTS, "f-1"))
        await stream.send(system("second", "owner: Ops", "s-1"))
        await asyncio.wait_for(running.designer.paused.wait(), 5)
        await asyncio.sleep(0.5)  # long enough for the second turn to run, were it read
        assert [thread for thread, _, _ in running.designer.runs] == ["first"]

        running.designer.open_gate()
        first, second = await stream.turn(), await stream.turn()
        assert {a.thread_id for a in first} == {"first"}
        assert [a.agent for a in second] == ["route_turn", "update_context", "respond"]
