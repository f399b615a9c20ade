"""SIGKILL the server mid-turn, restart it on the same data directory, resend the same client_msg_id."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.server.grpc_client import ChatClientError, GrpcChatClient
from process_designer.server.messages import OutgoingMessage
from process_designer.server.turn_records import TurnRecords

SERVER = Path(__file__).with_name("stage_server.py")
REQUIREMENTS = (
    "Refund requests: support checks the order in the CRM, finance approves refunds over 500 EUR "
    "within 2 days, then billing issues the refund and the customer gets an e-mail."
)
STAGES = ["route_turn", "requirement_analyst", "process_writer", "spy_coder", "quality_reviewer"]


class StageServer:
    """A child ``stage_server.py`` and the lines it prints."""

    def __init__(self, data_dir: Path, library_dir: Path, pause: float, database_url: str | None = None) -> None:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
        data_dir.mkdir(parents=True, exist_ok=True)
        with (data_dir / "servers.stderr").open("a") as errors:  # what a server that died on its own said
            self.process = subprocess.Popen(
                [sys.executable, str(SERVER), str(data_dir), str(library_dir), str(pause),
                 *([database_url] if database_url else [])],
                stdout=subprocess.PIPE, stderr=errors, text=True, env=env,
            )
        self.address = f"127.0.0.1:{self.wait_for('port ').split()[1]}"

    def wait_for(self, prefix: str) -> str:
        """Read printed lines until one starts with ``prefix``; the process must not end first."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(prefix):
                return line.strip()
        raise AssertionError(f"the server ended (exit {self.process.wait(5)}) before printing {prefix!r}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        assert self.process.wait(10) == -signal.SIGKILL


@contextmanager
def stage_server(data_dir: Path, library_dir: Path, pause: float,
                 database_url: str | None = None) -> Iterator[StageServer]:
    server = StageServer(data_dir, library_dir, pause, database_url)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.kill()


async def answers_of(address: str, thread_id: str, client_msg_id: str,
                     content: str = REQUIREMENTS) -> list[OutgoingMessage]:
    async with GrpcChatClient(address, connect_timeout=10) as client:
        return [answer async for answer in client.send(thread_id, content, client_msg_id=client_msg_id)]


async def send_until(server: StageServer, thread_id: str, client_msg_id: str, line: str,
                     content: str = REQUIREMENTS) -> list[OutgoingMessage]:
    """Send ``content``, SIGKILL the server when it prints ``line``; return what arrived."""

    received: list[OutgoingMessage] = []
    async with GrpcChatClient(server.address, connect_timeout=10) as client:

        async def read() -> None:
            async for answer in client.send(thread_id, content, client_msg_id=client_msg_id):
                received.append(answer)

        reader = asyncio.create_task(read())
        await asyncio.to_thread(server.wait_for, line)
        await asyncio.sleep(0.2)  # the chunk before the pause reaches the client
        server.kill()
        with pytest.raises(ChatClientError, match=r"UNAVAILABLE|ended the chat stream"):
            await reader
    return received


# (where the process dies, chunks the client saw before it died)
KILL_POINTS = [
    ("started", []),  # the message was accepted and noted; no stage ran
    ("stage {thread} route_turn", ["route_turn"]),  # the graph has stored the user message only
    ("final", STAGES),  # the graph finished and stored the answer; the record was not written
]


@pytest.mark.slow
async def test_a_message_accepted_before_a_kill_is_answered_exactly_once_after_a_restart(
    tmp_path: Path, library_dir: Path
) -> None:
    data_dir = tmp_path / "data"
    for n, (point, seen) in enumerate(KILL_POINTS):
        thread_id, client_msg_id = f"killed-{n}", f"msg-{n}"
        with stage_server(data_dir, library_dir, pause=0.5) as server:
            received = await send_until(server, thread_id, client_msg_id, point.format(thread=thread_id))
        assert [a.agent for a in received] == seen
        with stage_server(data_dir, library_dir, pause=0.0) as server:
            again = await answers_of(server.address, thread_id, client_msg_id)
            replay = await answers_of(server.address, thread_id, client_msg_id)
        finals = [a for a in again if a.final]
        assert len(finals) == 1 and finals[0].content.startswith("Drafted 'Refund Requests")
        # The resend after the graph had finished is answered from the thread, not run again.
        assert finals[0].replayed is (point == "final")
        assert [a for a in replay if a.final] == [finals[0].model_copy(update={"replayed": True})]

    designer = Designer(Settings(data_dir=data_dir), library=None)
    records = TurnRecords.open(Settings(data_dir=data_dir))
    try:
        for n in range(len(KILL_POINTS)):
            thread_id = f"killed-{n}"
            history = designer.history(thread_id)
            answers = [entry for entry in history if entry.role == "ASSISTANT"]
            assert len(answers) == 1 and answers[0].content.startswith("Drafted 'Refund Requests")
            assert [(entry.role, entry.content) for entry in history[:1]] == [("USER", REQUIREMENTS)]
            assert [entry.role for entry in history] == ["USER", "ASSISTANT"]
            assert [v.number for v in designer.versions(thread_id)] == [1]
            assert records.get(thread_id, f"msg-{n}") is not None
            assert records.started(thread_id, f"msg-{n}") is None
    finally:
        records.close()
        designer.close()


REVISION = "add a fraud check before the refund"
# (thread, the message killed, where): a design of a new thread, and revisions of a designed one.
MID_TURN = [
    ("new-design", REQUIREMENTS, "stage {thread} process_writer"),
    ("revised-early", REVISION, "stage {thread} process_writer"),
    ("revised-late", REVISION, "stage {thread} spy_coder"),
]


@pytest.mark.slow
@pytest.mark.parametrize("store", ["sqlite", "postgres"])
async def test_a_turn_killed_mid_run_is_run_once_from_the_state_before_it(
    tmp_path: Path, library_dir: Path, store: str, request: pytest.FixtureRequest
) -> None:
    url: str | None = request.getfixturevalue("postgres").new_database() if store == "postgres" else None
    data_dir = tmp_path / "data"
    with stage_server(data_dir, library_dir, 0.0, url) as server:
        for thread_id, content, _ in MID_TURN:
            if content == REVISION:
                await answers_of(server.address, thread_id, "design")
    for thread_id, content, point in MID_TURN:
        with stage_server(data_dir, library_dir, 0.5, url) as server:
            await send_until(server, thread_id, "killed", point.format(thread=thread_id), content)
        with stage_server(data_dir, library_dir, 0.0, url) as server:
            again = await answers_of(server.address, thread_id, "killed", content)
        assert [a.final for a in again].count(True) == 1 and not again[-1].replayed

    settings = Settings(data_dir=data_dir, database_url=url)
    designer = Designer(settings, library=None)
    records = TurnRecords.open(settings)
    try:
        for thread_id, content, _ in MID_TURN:
            history = designer.history(thread_id)
            turns = [REQUIREMENTS, REVISION] if content == REVISION else [REQUIREMENTS]
            assert [(e.role, e.content) for e in history if e.role == "USER"] == [("USER", t) for t in turns]
            assert [e.role for e in history] == ["USER", "ASSISTANT"] * len(turns)
            assert [v.number for v in designer.versions(thread_id)] == list(range(1, len(turns) + 1))
            document = designer.document(thread_id)
            assert document is not None
            fraud = [step.name for step in document.steps if "fraud" in step.name.lower()]
            assert len(fraud) == (1 if content == REVISION else 0), fraud
            assert records.started(thread_id, "killed") is None and records.get(thread_id, "killed") is not None
    finally:
        records.close()
        designer.close()


KILLS = int(os.environ.get("PD_KILL_COUNT", "6"))
"""Kills per store in the random-moment test; ``PD_KILL_COUNT=40`` for the full figure."""


async def kill_after(server: StageServer, thread_id: str, content: str, delay: float) -> None:
    """Send ``content`` as ``killed`` and SIGKILL the server ``delay`` seconds after its turn started."""
    async with GrpcChatClient(server.address, connect_timeout=10) as client:

        async def read() -> None:
            async for _ in client.send(thread_id, content, client_msg_id="killed"):
                pass

        reader = asyncio.create_task(read())
        await asyncio.to_thread(server.wait_for, f"started {thread_id}")
        await asyncio.sleep(delay)
        server.kill()
        with contextlib.suppress(ChatClientError):  # the turn may have ended before the kill
            await reader


@pytest.mark.slow
@pytest.mark.timeout(120 + 30 * KILLS)
@pytest.mark.parametrize("store", ["sqlite", "postgres"])
async def test_kills_at_random_moments_leave_every_thread_answered_exactly_once(
    tmp_path: Path, library_dir: Path, store: str, request: pytest.FixtureRequest
) -> None:
    url: str | None = request.getfixturevalue("postgres").new_database() if store == "postgres" else None
    data_dir = tmp_path / "data"
    chosen = random.Random(int(os.environ.get("PD_KILL_SEED", "25")))
    # Every other kill hits the revision of a designed thread, the others a new thread's design.
    plan = [(f"random-{n}", REVISION if n % 2 else REQUIREMENTS, chosen.uniform(0.02, 0.5)) for n in range(KILLS)]
    server = StageServer(data_dir, library_dir, 0.0, url)
    try:
        for thread_id, content, _ in plan:
            if content == REVISION:
                await answers_of(server.address, thread_id, "design")
        for thread_id, content, delay in plan:
            await kill_after(server, thread_id, content, delay)
            server = StageServer(data_dir, library_dir, 0.0, url)
            again = await answers_of(server.address, thread_id, "killed", content)
            assert [a.final for a in again].count(True) == 1, (thread_id, delay)
    finally:
        if server.process.poll() is None:
            server.kill()

    settings = Settings(data_dir=data_dir, database_url=url)
    designer = Designer(settings, library=None)
    records = TurnRecords.open(settings)
    corrupted: list[str] = []
    try:
        for thread_id, content, delay in plan:
            turns = [REQUIREMENTS, REVISION] if content == REVISION else [REQUIREMENTS]
            history = designer.history(thread_id)
            document = designer.document(thread_id)
            fraud = [step.name for step in document.steps if "fraud" in step.name.lower()] if document else None
            if ([(e.role, e.content) for e in history if e.role == "USER"] != [("USER", t) for t in turns]
                    or [e.role for e in history] != ["USER", "ASSISTANT"] * len(turns)
                    or [v.number for v in designer.versions(thread_id)] != list(range(1, len(turns) + 1))
                    or fraud is None or len(fraud) != (1 if content == REVISION else 0)
                    or records.started(thread_id, "killed") is not None
                    or records.get(thread_id, "killed") is None):
                corrupted.append(f"{thread_id} (killed {delay * 1000:.0f} ms into the turn)")
    finally:
        records.close()
        designer.close()
    print(f"{store}: {len(corrupted)} corrupted of {KILLS} kills")
    assert corrupted == []
