"""The chat-script cases over REST and the WebSocket: each turn changes what it asks for and nothing else."""

from __future__ import annotations

import json
from typing import Any

import httpx
from http_harness import TURN_TIMEOUT, Running, read_turn
from websockets.sync.client import connect

from process_designer.domain.models import ProcessDocument
from tests.chat_scripts import judge_all, script


def _session(client: httpx.Client, requirements: str) -> dict[str, Any]:
    created = client.post("/sessions", json={"title": "Refund Request Processing", "requirements": requirements})
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    with connect(body["websocket_url"]) as ws:
        assert read_turn(ws)[-1]["version"] == 1
    return body


def _document(client: httpx.Client, session_id: str) -> ProcessDocument:
    raw = client.get(f"/sessions/{session_id}/process").json()["document"]
    raw.pop("markdown", None)
    return ProcessDocument.model_validate(raw)


def test_chat_scripts_over_rest(client: httpx.Client) -> None:
    requirements, turns = script("chat-refund-thresholds")
    session = _session(client, requirements)
    documents = [_document(client, session["session_id"])]
    finals = []
    for turn in turns[:8]:
        sent = client.post(f"/sessions/{session['session_id']}/messages", json={"content": turn.say})
        assert sent.status_code == 200, sent.text
        last = sent.json()["messages"][-1]
        finals.append((last["content"], last.get("version")))
        documents.append(_document(client, session["session_id"]))
    assert judge_all(turns[:8], documents, finals, 1) == []


def test_chat_scripts_over_the_websocket(client: httpx.Client, server: Running) -> None:
    requirements, turns = script("chat-refund-structure")
    session = _session(client, requirements)
    documents = [_document(client, session["session_id"])]
    finals = []
    with connect(f"{server.ws}/sessions/{session['session_id']}/chat", open_timeout=TURN_TIMEOUT) as ws:
        for turn in turns[:6]:
            ws.send(json.dumps({"content": turn.say}))
            last = read_turn(ws)[-1]
            assert "error" not in last, last
            finals.append((last["content"], last.get("version")))
            documents.append(_document(client, session["session_id"]))
    assert judge_all(turns[:6], documents, finals, 1) == []
