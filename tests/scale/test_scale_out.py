"""Two `process-designer serve` processes on one Postgres and one Chroma server act as one service."""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from postgres_cluster import PostgresCluster
from services import Instance, chat, chroma_server, serve_instance, user

pytestmark = pytest.mark.slow

API = "/api/v1/process-designer"
REQUIREMENTS = (
    "Automated customer onboarding for a SaaS product: sales closes the deal in the CRM, "
    "billing creates the subscription, then support sends the welcome e-mail within 1 day."
)
EDIT_STEP_2 = "Change step 2 so that finance approves the subscription first."
EDIT_STEP_1 = "Change step 1 so that sales also records the contract value."


@pytest.fixture(scope="module")
def pair(postgres: PostgresCluster) -> Iterator[tuple[Instance, Instance]]:
    """Instances A and B: own data directories, one database, one Chroma server."""
    with tempfile.TemporaryDirectory(prefix="pd-scale-") as tmp:
        root = Path(tmp)
        (root / "chroma").mkdir()
        with chroma_server(root / "chroma") as chroma_url:
            shared = {"PD_DATABASE_URL": postgres.new_database(), "PD_CHROMA_URL": chroma_url}
            with serve_instance(root / "a", shared) as a, serve_instance(root / "b", shared) as b:
                yield a, b


def _session_with_first_version(a: Instance, b: Instance) -> tuple[str, str]:
    created = httpx.post(f"{a.http_url}{API}/sessions", json={"title": "Onboarding", "requirements": REQUIREMENTS})
    assert created.status_code == 201
    session_id, thread_id = created.json()["session_id"], created.json()["thread_id"]
    deadline = time.monotonic() + 120
    while httpx.get(f"{b.http_url}{API}/sessions/{session_id}").json()["version"] != 1:
        assert time.monotonic() < deadline, "the first design never reached instance B"
        time.sleep(0.25)
    return session_id, thread_id


def _user_messages(instance: Instance, session_id: str) -> list[str]:
    messages = httpx.get(f"{instance.http_url}{API}/sessions/{session_id}/messages").json()["messages"]
    return [m["content"] for m in messages if m["role"] == "USER"]


async def test_a_thread_started_on_a_continues_on_b_with_its_history(pair: tuple[Instance, Instance]) -> None:
    a, b = pair
    session_id, thread_id = _session_with_first_version(a, b)

    answers = await chat(b.grpc_address, user(thread_id, EDIT_STEP_2, "edit-1"))

    assert answers[-1].final is True and answers[-1].version == 2
    assert _user_messages(a, session_id) == [REQUIREMENTS, EDIT_STEP_2]
    versions = httpx.get(f"{a.http_url}{API}/sessions/{session_id}/process/versions").json()["versions"]
    assert [v["number"] for v in versions] == [1, 2]


async def test_a_resent_client_msg_id_is_answered_on_b_from_the_record_of_a(
    pair: tuple[Instance, Instance],
) -> None:
    a, b = pair
    thread_id = f"thread-{uuid.uuid4().hex}"
    first = await chat(a.grpc_address, user(thread_id, REQUIREMENTS, "m-1"))
    again = await chat(b.grpc_address, user(thread_id, REQUIREMENTS, "m-1"))

    assert first[-1].final is True and first[-1].version == 1
    assert [m.replayed for m in first] == [False] * len(first)
    assert [m.replayed for m in again] == [True] * len(first)
    assert [(m.message_id, m.agent, m.content) for m in again] == [(m.message_id, m.agent, m.content) for m in first]


async def test_concurrent_turns_of_one_thread_on_both_instances_never_interleave(
    pair: tuple[Instance, Instance],
) -> None:
    a, b = pair
    session_id, thread_id = _session_with_first_version(a, b)

    on_a, on_b = await asyncio.gather(
        chat(a.grpc_address, user(thread_id, EDIT_STEP_1, "edit-a")),
        chat(b.grpc_address, user(thread_id, EDIT_STEP_2, "edit-b")),
    )

    assert sorted([on_a[-1].version, on_b[-1].version]) == [2, 3]
    first_edit = EDIT_STEP_1 if on_a[-1].version == 2 else EDIT_STEP_2
    second_edit = EDIT_STEP_2 if first_edit == EDIT_STEP_1 else EDIT_STEP_1
    assert _user_messages(b, session_id) == [REQUIREMENTS, first_edit, second_edit]
    messages = httpx.get(f"{a.http_url}{API}/sessions/{session_id}/messages").json()["messages"]
    roles = [m["role"] for m in messages]
    # Each user message is followed by its own answer before the next user message starts.
    assert roles == ["USER", "ASSISTANT", "USER", "ASSISTANT", "USER", "ASSISTANT"]
