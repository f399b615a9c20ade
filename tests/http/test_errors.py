"""Every error status of the API as JSON ``{"error", "detail"}``."""

from __future__ import annotations

import httpx
import pytest
from http_harness import Designed


def _error(response: httpx.Response, status: int, code: str, detail: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "detail"} and body["error"] == code
    assert detail in body["detail"]


@pytest.mark.parametrize("path", [
    "/sessions/session-missing", "/sessions/session-missing/messages", "/sessions/session-missing/process",
    "/sessions/session-missing/process/versions", "/sessions/session-missing/process/versions/1",
    "/sessions/session-missing/process/versions/1/diff/2",
])
def test_unknown_session_is_404(client: httpx.Client, path: str) -> None:
    _error(client.get(path), 404, "not_found", "session 'session-missing' does not exist; create one with POST")


def test_unknown_session_post_message_and_route_are_404(client: httpx.Client) -> None:
    _error(client.post("/sessions/session-missing/messages", json={"content": "hi"}), 404, "not_found",
           "does not exist")
    _error(client.get("/no-such-route"), 404, "not_found", "no route /api/v1/process-designer/no-such-route")


def test_process_before_any_design_is_404(client: httpx.Client) -> None:
    session = client.post("/sessions", json={}).json()["session_id"]
    _error(client.get(f"/sessions/{session}/process"), 404, "not_found", "has no process yet")


def test_unknown_version_is_404(client: httpx.Client, designed: Designed) -> None:
    _error(client.get(f"/sessions/{designed.session_id}/process/versions/99"), 404, "not_found",
           "has no version 99")


def test_invalid_messages_are_400(client: httpx.Client, designed: Designed) -> None:
    path = f"/sessions/{designed.session_id}/messages"
    _error(client.post(path, json={"role": "ASSISTANT", "content": "x"}), 400, "invalid",
           "role ASSISTANT is reserved")
    _error(client.post(path, json={"content": "   "}), 400, "invalid", "content is empty")
    _error(client.post(path, json={"content": "x", "client_msg_id": "bad id!"}), 400, "invalid",
           "client_msg_id 'bad id!' is malformed")
    _error(client.post("/sessions", json={"context": {"complexity": "extreme"}}), 400, "invalid",
           "context.complexity")


def test_reused_client_msg_id_with_other_content_is_409(client: httpx.Client, designed: Designed) -> None:
    path = f"/sessions/{designed.session_id}/messages"
    first = client.post(path, json={"content": "What does step 2 do?", "client_msg_id": "dup-1"})
    assert first.status_code == 200
    _error(client.post(path, json={"content": "Something else", "client_msg_id": "dup-1"}), 409, "conflict",
           "client_msg_id 'dup-1' was already used")


def test_too_large_is_413(client: httpx.Client, designed: Designed) -> None:
    _error(client.post(f"/sessions/{designed.session_id}/messages", json={"content": "x" * 3000}), 413,
           "too_large", "content is 3000 bytes, over the limit of 2048")
    _error(client.post("/sessions", json={"requirements": "y" * 2049}), 413, "too_large",
           "over the limit of 2048")
    _error(client.post("/sessions", content=b"{" + b" " * (1024 * 1024 + 10) + b"}",
                       headers={"content-type": "application/json"}), 413, "too_large",
           "over the limit of 1048576")


def test_malformed_requests_are_422(client: httpx.Client, designed: Designed) -> None:
    _error(client.post("/sessions", json={"title": "x", "owner": "me"}), 422, "invalid_request",
           "owner: Extra inputs are not permitted")
    _error(client.post(f"/sessions/{designed.session_id}/messages", json={"role": "USER"}), 422,
           "invalid_request", "content: Field required")
    _error(client.post("/sessions", content=b"not json", headers={"content-type": "application/json"}), 422,
           "invalid_request", "JSON decode error")
    _error(client.get(f"/sessions/{designed.session_id}/process", params={"format": "pdf"}), 422,
           "invalid_request", "format: Input should be 'json', 'md' or 'spy'")
    _error(client.get("/templates"), 422, "invalid_request", "query: Field required")
    _error(client.get(f"/sessions/{designed.session_id}/process/versions/one"), 422, "invalid_request",
           "number: Input should be a valid integer")
