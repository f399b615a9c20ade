"""Ratings over HTTP and the chat: a real server on port 0 over the session's designer."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator

import httpx
import pytest
from websockets.sync.client import connect

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.server.access import AccessControl
from process_designer.server.chat_service import ChatService
from process_designer.server.http_listener import HttpListener, start_http
from process_designer.server.turn_records import TurnRecords
from process_designer.service import DesignService

API = "/api/v1/process-designer"
TIMEOUT = 180.0


@pytest.fixture(scope="module")
def api(feedback_designer: Designer, feedback_settings: Settings) -> Iterator[str]:
    """The API's base URL; the designer is shared with the other tests, so only the server's own stores close."""
    records, access = TurnRecords.open(feedback_settings), AccessControl.open(feedback_settings)
    service = ChatService(feedback_designer, feedback_settings, records=records, access=access)
    loop = asyncio.new_event_loop()
    started, stop = threading.Event(), asyncio.Event()
    holder: list[HttpListener] = []

    async def serve() -> None:
        listener = await start_http(DesignService(feedback_designer, chat=service),
                                    feedback_settings.with_overrides(http_port=0))
        holder.append(listener)
        started.set()
        try:
            await stop.wait()
        finally:
            await listener.stop(5)

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    assert started.wait(60)
    try:
        yield f"http://127.0.0.1:{holder[0].port}{API}"
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)
        loop.close()
        records.close()
        access.close()


def test_rating_endpoint_and_chat_feedback(api: str, feedback_designer: Designer) -> None:
    with httpx.Client(base_url=api, timeout=TIMEOUT) as http:
        session = http.post("/sessions", json={"title": "Invoices"}).json()
        sid = session["session_id"]
        early = http.post(f"/sessions/{sid}/feedback", json={"rating": "up"})
        assert (early.status_code, early.json()) == (404, {
            "error": "not_found", "detail": f"thread {session['thread_id']} has no process to rate yet; design one first"})
        sent = http.post(f"/sessions/{sid}/messages",
                         json={"content": "Approve invoices from suppliers and pay them"})
        assert sent.status_code == 200, sent.text
        designed = feedback_designer.document(session["thread_id"])
        assert designed is not None and designed.templates_used
        used = designed.templates_used[0]  # the library's best match for the request

        rated = http.post(f"/sessions/{sid}/feedback", json={"rating": "up", "comment": "clear", "version": 1})
        assert rated.status_code == 201, rated.text
        assert rated.json() == {"session_id": sid, "version": 1, "rating": "up", "templates": [used]}

        chat = http.post(f"/sessions/{sid}/messages", json={"role": "SYSTEM", "content": "feedback: down too long"})
        assert chat.json()["messages"][-1]["content"] == (
            f"Thanks: version 1 rated down; templates rejected: {used}.")
        with connect(session["websocket_url"]) as ws:
            ws.send(json.dumps({"role": "SYSTEM", "content": "feedback: up better now", "client_msg_id": "ws-1"}))
            frames = [json.loads(ws.recv(timeout=TIMEOUT))]
            while not frames[-1].get("final"):
                frames.append(json.loads(ws.recv(timeout=TIMEOUT)))
        assert [f["agent"] for f in frames] == ["route_turn", "update_context", "respond"]
        assert frames[-1]["content"] == f"Thanks: version 1 rated up; templates accepted: {used}."

        assert http.post(f"/sessions/{sid}/feedback", json={"rating": "up", "version": 7}).status_code == 404
        assert http.post(f"/sessions/{sid}/feedback", json={"rating": "sideways"}).status_code == 422
        assert http.post("/sessions/no-such-session/feedback", json={"rating": "up"}).status_code == 404

    votes = feedback_designer.feedback.profile("local").templates[used]
    assert (votes.accepted, votes.rejected) == (2, 1)
