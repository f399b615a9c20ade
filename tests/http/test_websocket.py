"""The WebSocket chat: the seed's JSON both ways, stages as they stream, and error frames."""

from __future__ import annotations

import json

from http_harness import Designed, Running, read_turn
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect


def test_a_change_streams_stages_then_the_final_answer(server: Running, designed: Designed) -> None:
    with connect(f"{server.ws}/sessions/{designed.session_id}/chat") as ws:
        ws.send(json.dumps({"thread_id": designed.thread_id, "role": "USER",
                            "content": "Add a step to archive the signed order form", "client_msg_id": "ws-1"}))
        frames = read_turn(ws)
    assert [f["agent"] for f in frames] == ["route_turn", "process_writer", "spy_coder", "quality_reviewer",
                                            "respond"]
    assert {f["client_msg_id"] for f in frames} == {"ws-1"}
    assert all(f["role"] == "ASSISTANT" and f["thread_id"] == designed.thread_id for f in frames)
    assert [f["final"] for f in frames] == [False, False, False, False, True]
    assert isinstance(frames[-1]["version"], int) and frames[-1]["version"] >= 2
    assert len({f["message_id"] for f in frames}) == 5


def test_thread_id_and_role_default_to_the_session(server: Running, designed: Designed) -> None:
    with connect(f"{server.ws}/sessions/{designed.session_id}/chat") as ws:
        ws.send(json.dumps({"content": "Who is responsible for step 1?"}))
        frames = read_turn(ws)
    assert frames[-1]["final"] is True and frames[-1]["thread_id"] == designed.thread_id
    assert frames[-1]["client_msg_id"] == ""


def test_error_frames_keep_the_connection_open(server: Running, designed: Designed) -> None:
    with connect(f"{server.ws}/sessions/{designed.session_id}/chat") as ws:
        ws.send("not json")
        bad_json = json.loads(ws.recv(timeout=10))
        ws.send(json.dumps({"thread_id": "thread-other", "content": "hi", "client_msg_id": "t1"}))
        wrong_thread = json.loads(ws.recv(timeout=10))
        ws.send(json.dumps({"content": "x" * 3000, "client_msg_id": "big"}))
        too_large = json.loads(ws.recv(timeout=10))
        ws.send(json.dumps({"role": "ROBOT", "content": "hi"}))
        bad_role = json.loads(ws.recv(timeout=10))
        ws.send(json.dumps({"content": "What does step 2 do?", "client_msg_id": "ws-dup"}))
        read_turn(ws)
        ws.send(json.dumps({"content": "Something else", "client_msg_id": "ws-dup"}))
        conflict = json.loads(ws.recv(timeout=10))
    assert bad_json["status"] == 400 and bad_json["error"] == "invalid"
    assert bad_json["detail"].startswith("the frame is not JSON")
    assert wrong_thread == {"error": "invalid", "status": 400, "client_msg_id": "t1",
                            "detail": f"thread_id 'thread-other' is not this session's thread; use "
                                      f"'{designed.thread_id}' or leave it out"}
    assert too_large["status"] == 413 and too_large["error"] == "too_large"
    assert too_large["client_msg_id"] == "big"
    assert bad_role == {"error": "invalid", "status": 400, "client_msg_id": "",
                        "detail": "role 'ROBOT' is not accepted; send USER or SYSTEM"}
    assert conflict["status"] == 409 and conflict["error"] == "conflict"


def test_unknown_session_closes_with_4404(server: Running) -> None:
    with connect(f"{server.ws}/sessions/session-missing/chat") as ws:
        frame = json.loads(ws.recv(timeout=10))
        try:
            ws.recv(timeout=10)
            raise AssertionError("the connection stayed open")
        except ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code == 4404
    assert frame["error"] == "not_found" and "session 'session-missing' does not exist" in frame["detail"]


def test_a_client_leaving_mid_turn_leaves_the_session_usable(server: Running, designed: Designed) -> None:
    with connect(f"{server.ws}/sessions/{designed.session_id}/chat") as ws:
        ws.send(json.dumps({"content": "Add a step to log the outcome in the CRM", "client_msg_id": "gone-1"}))
        first = json.loads(ws.recv(timeout=60))
    assert first["agent"] == "route_turn" and first["client_msg_id"] == "gone-1"
    with connect(f"{server.ws}/sessions/{designed.session_id}/chat") as ws:
        ws.send(json.dumps({"content": "What does step 1 do?", "client_msg_id": "after-1"}))
        frames = read_turn(ws)
    assert frames[-1]["final"] is True and frames[-1]["client_msg_id"] == "after-1"
