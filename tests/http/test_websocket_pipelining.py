"""A client that sends many chat messages ahead on one WebSocket: pings go on, the excess gets error frames."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from http_harness import REQUIREMENTS, TURN_TIMEOUT, Running, running_server
from websockets.sync.client import connect

from process_designer.config import Settings
from process_designer.server.http_app import PIPELINED_MESSAGES

SENT = 200


@pytest.fixture(scope="module")
def quick_pings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """A server that drops a WebSocket whose client leaves a ping unanswered for a second."""
    settings = Settings(data_dir=Path(tmp_path_factory.mktemp("pipelining")) / "data")
    with running_server(settings, ping_interval=0.2, ping_timeout=1.0) as running:
        yield running


def test_messages_sent_ahead_do_not_starve_the_pings(quick_pings: Running) -> None:
    session = httpx.post(f"{quick_pings.api}/sessions", json={"title": "Pipelined"}, timeout=TURN_TIMEOUT).json()
    ids = [f"p-{n}" for n in range(SENT)]
    answered: list[str] = []
    busy: list[str] = []
    # No flow control on the client's side: it reads its frames only after sending everything.
    with connect(session["websocket_url"], max_queue=None) as ws:
        ws.send(json.dumps({"content": REQUIREMENTS, "client_msg_id": ids[0]}))
        for msg_id in ids[1:]:
            ws.send(json.dumps({"content": "What does step 1 do?", "client_msg_id": msg_id}))
        while len(answered) + len(busy) < SENT:
            frame = json.loads(ws.recv(timeout=TURN_TIMEOUT))
            if frame.get("error") == "busy":
                assert frame["status"] == 429
                busy.append(frame["client_msg_id"])
            elif frame.get("final"):
                answered.append(frame["client_msg_id"])
            else:
                assert "error" not in frame, frame
        # Still open: a last message is answered on the same socket.
        ws.send(json.dumps({"content": "Who is responsible for step 1?", "client_msg_id": "last"}))
        while not (frame := json.loads(ws.recv(timeout=TURN_TIMEOUT))).get("final"):
            pass
    assert frame["client_msg_id"] == "last"
    assert sorted(answered + busy) == sorted(ids)
    assert answered == [msg_id for msg_id in ids if msg_id in answered]  # in the order sent
    # The turn running when the rest arrived, and the messages that could wait for theirs.
    assert PIPELINED_MESSAGES <= len(answered) <= PIPELINED_MESSAGES + 1 and busy
