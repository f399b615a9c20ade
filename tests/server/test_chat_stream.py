"""Conversations over a real channel: turns, threads sharing a stream, streams side by side."""

from __future__ import annotations

import asyncio

import grpc
from grpc_harness import REQUIREMENTS, OpenStream, Running, chat, running_server, system, user

from process_designer.config import Settings
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server._proto.threads.v1 import threads_pb2

DESIGN = ["route_turn", "requirement_analyst", "process_writer", "spy_coder", "quality_reviewer", "respond"]
REVISE = ["route_turn", "process_writer", "spy_coder", "quality_reviewer", "respond"]
CONTEXT = ["route_turn", "update_context", "respond"]


def assert_one_turn(answers: list, thread_id: str, client_msg_id: str) -> None:
    """Every answer is ASSISTANT, echoes the ids, has its own message id; only the last is final."""
    assert answers, "no answer"
    assert {(a.role, a.thread_id, a.client_msg_id) for a in answers} == {
        (threads_pb2.ASSISTANT, thread_id, client_msg_id)
    }
    assert [a.final for a in answers] == [False] * (len(answers) - 1) + [True]
    assert len({a.message_id for a in answers}) == len(answers)
    assert all(a.agent and a.content for a in answers)
    assert not any(a.replayed for a in answers)


async def test_multi_turn_chat_streams_every_stage_then_the_answer(running: Running) -> None:
    stream = OpenStream(running)
    await stream.send(user("onboarding", REQUIREMENTS, "m-1"))
    first = await stream.turn()
    assert_one_turn(first, "onboarding", "m-1")
    assert [a.agent for a in first] == DESIGN
    assert first[-1].HasField("version") and first[-1].version == 1
    assert not first[0].HasField("version")

    await stream.send(user("onboarding", "Change step 2 so that finance approves the subscription first.", "m-2"))
    second = await stream.turn()
    assert_one_turn(second, "onboarding", "m-2")
    assert [a.agent for a in second] == REVISE
    assert second[-1].version == 2

    await stream.send(system("onboarding", "complexity: high\nintegrations: crm, billing", "m-3"))
    ack = await stream.turn()
    assert_one_turn(ack, "onboarding", "m-3")
    assert [a.agent for a in ack] == CONTEXT
    assert ack[-1].content == "Context updated: complexity=high, integrations=['crm', 'billing']."

    await stream.call.done_writing()
    assert await stream.end_status() == (grpc.StatusCode.OK, "")
    assert [(t, r) for t, r, _ in running.designer.runs] == [
        ("onboarding", "USER"),
        ("onboarding", "USER"),
        ("onboarding", "SYSTEM"),
    ]


async def test_several_threads_share_one_stream(running: Running) -> None:
    threads = [f"shared-{n}" for n in range(3)]
    answers = await chat(running, [user(t, REQUIREMENTS, f"{t}-m") for t in threads])
    by_thread = {t: [a for a in answers if a.thread_id == t] for t in threads}
    for thread_id, turn in by_thread.items():
        assert_one_turn(turn, thread_id, f"{thread_id}-m")
        assert [a.agent for a in turn] == DESIGN
    assert len(answers) == sum(len(turn) for turn in by_thread.values())


async def test_turns_on_one_thread_run_in_arrival_order(running: Running) -> None:
    answers = await chat(running, [user("ordered", REQUIREMENTS, "o-1"), system("ordered", "owner: Ops", "o-2")])
    assert [(a.client_msg_id, a.agent) for a in answers] == [
        *(("o-1", agent) for agent in DESIGN),
        *(("o-2", agent) for agent in CONTEXT),
    ]


async def test_interleaved_streams_each_get_only_their_answers(running: Running) -> None:
    async def converse(n: int) -> list:
        stream = OpenStream(running)
        turns = []
        for k in range(2):
            await stream.send(user(f"inter-{n}", REQUIREMENTS if k == 0 else "Add a step that archives the contract.", f"{n}.{k}"))
            turns.append(await stream.turn())
        await stream.call.done_writing()
        return turns

    results = await asyncio.gather(*(converse(n) for n in range(4)))
    for n, turns in enumerate(results):
        for k, turn in enumerate(turns):
            assert_one_turn(turn, f"inter-{n}", f"{n}.{k}")
        assert [[a.agent for a in turn] for turn in turns] == [DESIGN, REVISE]


async def test_a_thread_reconnected_after_restart_keeps_its_history(settings: Settings, library: TemplateLibrary) -> None:
    async with running_server(settings, library) as first:
        await chat(first, [user("durable", REQUIREMENTS, "d-1")])
        before = first.service.history("durable")
    assert [record.role for record in before][:1] == ["USER"]

    async with running_server(settings, library) as second:
        assert second.service.history("durable") == before
        answers = await chat(second, [user("durable", "Add a step that archives the contract.", "d-2")])
        assert_one_turn(answers, "durable", "d-2")
        assert answers[-1].version == 2
        after = second.service.history("durable")
    assert after[: len(before)] == before
    assert [r.content for r in after[len(before) :] if r.role == "USER"] == ["Add a step that archives the contract."]
