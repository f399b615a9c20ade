"""Authentication the way the page uses it: ``whoami``, and the chat's token in ``Sec-WebSocket-Protocol``."""

from __future__ import annotations

import json

import httpx
import pytest
from http_harness import API_KEY, Running, bearer, hs256, read_turn
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol


def offer(*values: str) -> list[Subprotocol]:
    """The ``Sec-WebSocket-Protocol`` values a client offers, as a browser's ``new WebSocket(url, values)``."""
    return [Subprotocol(value) for value in values]


def new_session(secured: Running, token: str) -> dict[str, str]:
    created = httpx.post(f"{secured.api}/sessions", json={"title": "Refunds"}, headers=bearer(token))
    assert created.status_code == 201, created.text
    body: dict[str, str] = created.json()
    return body


def close_of(ws: ClientConnection) -> tuple[int, str]:
    """The code and reason the server closed ``ws`` with, before sending anything."""
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=30)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code, closed.value.rcvd.reason


def test_whoami_tells_the_page_whether_a_token_is_needed(server: Running, secured: Running) -> None:
    assert httpx.get(f"{server.api}/whoami").json() == {
        "subject": "local", "tenant": "local", "authentication": False}
    refused = httpx.get(f"{secured.api}/whoami")
    assert (refused.status_code, refused.json()) == (401, {
        "error": "unauthenticated", "detail": "missing bearer token; send 'authorization: Bearer <token>'"})
    assert httpx.get(f"{secured.api}/whoami", headers=bearer(hs256("acme"))).json() == {
        "subject": "alice", "tenant": "acme", "authentication": True}
    assert httpx.get(f"{secured.api}/whoami", headers=bearer(API_KEY)).json() == {
        "subject": "robot", "tenant": "globex", "authentication": True}


def test_a_token_in_the_subprotocol_opens_the_chat(secured: Running) -> None:
    token = hs256("acme")
    session = new_session(secured, token)
    with connect(session["websocket_url"], subprotocols=offer("bearer", token)) as ws:
        assert ws.subprotocol == "bearer"
        ws.send(json.dumps({"content": "Create a process for refund requests: check the order, refund it "
                                       "in billing and e-mail the customer.", "client_msg_id": "sp-1"}))
        frames = read_turn(ws)
    assert frames[-1]["final"] is True and frames[-1]["version"] == 1
    assert frames[-1]["thread_id"] == session["thread_id"]
    process = httpx.get(f"{secured.api}/sessions/{session['session_id']}/process", headers=bearer(token))
    assert process.json()["version"] == 1


def test_a_refused_subprotocol_token_closes_with_1008_and_the_reason(secured: Running) -> None:
    url = new_session(secured, hs256("acme"))["websocket_url"]
    refusals = [
        (offer("bearer", "pdk-unknown-key"), "the bearer token is not a known API key or a JWT"),
        (offer("bearer", hs256("acme", expires_in=-60)), "the JWT has expired; get a new token"),
        (offer("bearer"), "the 'bearer' subprotocol needs the token as the next value: "
                     "new WebSocket(url, ['bearer', token])"),
    ]
    for subprotocols, reason in refusals:
        with connect(url, subprotocols=subprotocols) as ws:
            assert ws.subprotocol == "bearer"
            assert close_of(ws) == (1008, reason)


def test_another_tenants_subprotocol_token_sees_not_found(secured: Running) -> None:
    session = new_session(secured, hs256("acme"))
    with connect(session["websocket_url"], subprotocols=offer("bearer", API_KEY)) as ws:
        frame = json.loads(ws.recv(timeout=30))
        assert close_of(ws) == (4404, "unknown session")
    assert frame["error"] == "not_found"
    assert f"session '{session['session_id']}' does not exist" in frame["detail"]


def test_without_a_token_the_handshake_is_refused_and_the_query_string_is_ignored(secured: Running) -> None:
    token = hs256("acme")
    url = new_session(secured, token)["websocket_url"]
    for attempt, subprotocols in ((url, None), (url, offer("chat")), (f"{url}?access_token={token}", None),
                                  (f"{url}?token={token}", None), (f"{url}?bearer={token}", None)):
        with pytest.raises(InvalidStatus) as refused, connect(attempt, subprotocols=subprotocols):
            pass
        assert refused.value.response.status_code == 403
    assert httpx.get(f"{secured.api}/whoami?access_token={token}").status_code == 401


def test_the_authorization_header_still_opens_the_chat_without_a_subprotocol(secured: Running) -> None:
    token = hs256("acme", subject="bob")
    session = new_session(secured, token)
    with connect(session["websocket_url"], additional_headers=bearer(token)) as ws:
        assert ws.subprotocol is None
        ws.send(json.dumps({"content": "Create a process for refund requests", "client_msg_id": "h-1"}))
        frames = read_turn(ws)
    assert frames[-1]["final"] is True and frames[-1]["thread_id"] == session["thread_id"]
    with pytest.raises(InvalidStatus) as refused, connect(session["websocket_url"],
                                                          additional_headers=bearer("pdk-unknown-key")):
        pass
    assert refused.value.response.status_code == 403
