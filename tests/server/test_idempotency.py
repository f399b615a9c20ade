"""A repeated client_msg_id is answered from the record and never runs the turn twice."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from grpc_harness import (
    REQUIREMENTS,
    OpenStream,
    Running,
    chat,
    held_turn,
    running_server,
    system,
    user,
)

from process_designer.config import Settings
from process_designer.knowledge.library import TemplateLibrary


def summary(answers: list) -> list[tuple[str, str, bool, str]]:
    return [(a.agent, a.content, a.final, a.message_id) for a in answers]


async def test_sequential_resend_is_replayed_from_the_record(running: Running) -> None:
    first = await chat(running, [user("idem", REQUIREMENTS, "r-1")])
    again = await chat(running, [user("idem", REQUIREMENTS, "r-1")])
    assert summary(again) == summary(first)
    assert [a.replayed for a in first] == [False] * len(first)
    assert [a.replayed for a in again] == [True] * len(first)
    assert running.designer.runs == [("idem", "USER", REQUIREMENTS)]


async def test_resend_on_the_same_stream_is_replayed(running: Running) -> None:
    answers = await chat(running, [system("same", "owner: Finance", "s-1"), system("same", "owner: Finance", "s-1")])
    # The resend attaches to the running turn, so the two copies may interleave.
    original = [a for a in answers if not a.replayed]
    replayed = [a for a in answers if a.replayed]
    assert [a.agent for a in original] == ["route_turn", "update_context", "respond"]
    assert summary(replayed) == summary(original)
    assert running.designer.runs == [("same", "SYSTEM", "owner: Finance")]


async def test_concurrent_resend_follows_the_running_turn(running: Running) -> None:
    original = await held_turn(running, "race", "c-1")
    duplicate = OpenStream(running)
    await duplicate.send(user("race", REQUIREMENTS, "c-1"))
    early = await duplicate.call.read()
    assert (early.client_msg_id, early.replayed) == ("c-1", True)

    running.designer.open_gate()
    first, second = await asyncio.gather(original.turn(), duplicate.turn())
    assert summary([early, *second]) == summary(first)
    assert running.designer.runs == [("race", "USER", REQUIREMENTS)]


async def test_resend_after_restart_is_replayed(settings: Settings, library: TemplateLibrary) -> None:
    async with running_server(settings, library) as before:
        first = await chat(before, [user("restart", REQUIREMENTS, "x-1")])
    async with running_server(settings, library) as after:
        again = await chat(after, [user("restart", REQUIREMENTS, "x-1")])
        assert after.designer.runs == []
    assert summary(again) == summary(first)


async def test_same_id_with_other_content_is_a_conflict(running: Running) -> None:
    await chat(running, [user("conflict", REQUIREMENTS, "k-1")])
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await chat(running, [user("conflict", "Something else entirely", "k-1")])
    assert (caught.value.code(), caught.value.details()) == (
        grpc.StatusCode.ALREADY_EXISTS,
        "client_msg_id 'k-1' was already used on thread 'conflict' for a different message; use a new client_msg_id",
    )
    assert len(running.designer.runs) == 1


async def test_same_id_on_another_thread_is_a_new_turn(running: Running) -> None:
    await chat(running, [system("one", "owner: Ops", "shared-id")])
    other = await chat(running, [system("two", "owner: Ops", "shared-id")])
    assert [a.replayed for a in other] == [False, False, False]
    assert [t for t, _, _ in running.designer.runs] == ["one", "two"]


async def test_duplicate_of_a_cancelled_turn_is_aborted_and_a_resend_runs_it(running: Running) -> None:
    original = await held_turn(running, "gone", "g-1")
    duplicate = OpenStream(running)
    await duplicate.send(user("gone", REQUIREMENTS, "g-1"))
    assert (await duplicate.call.read()).replayed is True

    original.call.cancel()
    assert await duplicate.end_status() == (
        grpc.StatusCode.ABORTED,
        "the first message with this client_msg_id ended before its answer (cancelled or failed); "
        "send it again to run the turn",
    )
    running.designer.open_gate()
    retried = await chat(running, [user("gone", REQUIREMENTS, "g-1")])
    assert [a.replayed for a in retried] == [False] * len(retried)
    assert retried[-1].final is True
    assert len(running.designer.runs) == 2
