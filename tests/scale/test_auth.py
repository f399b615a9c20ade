"""Authentication and tenant isolation of a real `serve` process over gRPC, REST and WebSocket."""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import grpc
import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from grpc_health.v1 import health_pb2, health_pb2_grpc
from services import CLI, Instance, chat, instance_env, serve_instance, user
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from process_designer.config import Settings
from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2_grpc
from process_designer.server.auth import hash_api_key
from process_designer.storage import open_database
from process_designer.storage.audit import AuditLog

pytestmark = pytest.mark.slow

API = "/api/v1/process-designer"
SECRET = "test-secret-of-32-bytes-or-more-0123456789"
API_KEY = "pdk-globex-robot-" + "7" * 24
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
REQUIREMENTS = "Sales closes the deal in the CRM, then billing creates the subscription within 1 day."


def hs256(tenant: str, subject: str = "alice", expires_in: float = 300, secret: str = SECRET) -> str:
    claims = {"sub": subject, "tenant": tenant, "exp": int(time.time() + expires_in)}
    return jwt.encode(claims, secret, algorithm="HS256")


def rs256(tenant: str, subject: str = "bob") -> str:
    claims = {"sub": subject, "tenant": tenant, "exp": int(time.time() + 300)}
    return jwt.encode(claims, RSA_KEY, algorithm="RS256")


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    """`serve` with HS256, RS256 and API keys configured, on SQLite."""
    root = tmp_path_factory.mktemp("secured")
    public_key = root / "jwt.pub"
    public_key.write_bytes(RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    keys = root / "api-keys"
    keys.write_text(f"# tenant:subject:sha256\nglobex:robot:{hash_api_key(API_KEY)}\n")
    env = {"PD_JWT_SECRET": SECRET, "PD_JWT_PUBLIC_KEY_FILE": str(public_key), "PD_API_KEYS_FILE": str(keys)}
    with serve_instance(root / "data", env) as instance:
        yield instance


def audit(instance: Instance) -> list[tuple[str, str, str, str]]:
    data_dir = instance.stderr.parent
    database = open_database(Settings(data_dir=data_dir), "access.sqlite")
    try:
        return [(e.tenant, e.subject, e.action, e.resource) for e in AuditLog(database).entries()]
    finally:
        database.close()


async def _status(address: str, token: str | None) -> tuple[grpc.StatusCode, str]:
    """The status a Chat call ends with; nothing is written, because the refusal comes first.

    (An aio client write racing the server's early status can replace it with INTERNAL:
    grpc/grpc#36066.)
    """
    metadata = (("authorization", f"Bearer {token}"),) if token else None
    async with grpc.aio.insecure_channel(address) as channel:
        call = sopwriter_pb2_grpc.ProcessWriterStub(channel).Chat(metadata=metadata, timeout=30)
        return await call.code(), await call.details() or ""


async def test_grpc_refuses_missing_expired_and_forged_tokens(secured: Instance) -> None:
    assert await _status(secured.grpc_address, None) == (
        grpc.StatusCode.UNAUTHENTICATED, "missing bearer token; send 'authorization: Bearer <token>'")
    assert await _status(secured.grpc_address, hs256("acme", expires_in=-60)) == (
        grpc.StatusCode.UNAUTHENTICATED, "the JWT has expired; get a new token")
    assert await _status(secured.grpc_address, hs256("acme", secret="another-secret-of-32-bytes-0123456789")) == (
        grpc.StatusCode.UNAUTHENTICATED, "the JWT is invalid: Signature verification failed")
    code, detail = await _status(secured.grpc_address, "pdk-unknown-key")
    assert (code, detail) == (grpc.StatusCode.UNAUTHENTICATED, "the bearer token is not a known API key or a JWT")
    failures = [entry for entry in audit(secured) if entry[2] == "auth.failed"]
    assert len(failures) >= 4


async def test_grpc_health_needs_no_token(secured: Instance) -> None:
    async with grpc.aio.insecure_channel(secured.grpc_address) as channel:
        answer = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""))
    assert answer.status == health_pb2.HealthCheckResponse.SERVING


async def test_each_credential_kind_works_and_another_tenant_gets_its_own_thread(secured: Instance) -> None:
    thread_id = f"thread-{uuid.uuid4().hex}"
    first = await chat(secured.grpc_address, user(thread_id, REQUIREMENTS, "m-1"),
                       metadata=(("authorization", f"Bearer {hs256('acme')}"),))
    assert first[-1].final is True and first[-1].version == 1
    # Same tenant, another subject, RS256: the thread is the tenant's, not the subject's.
    again = await chat(secured.grpc_address, user(thread_id, "Change step 1 so that finance signs.", "m-2"),
                       metadata=(("authorization", f"Bearer {rs256('acme')}"),))
    assert again[-1].final is True and again[-1].version == 2

    # Another tenant using the same id talks on a thread of its own: acme's process is not there.
    foreign = await chat(secured.grpc_address, user(thread_id, REQUIREMENTS, "m-3"),
                         metadata=(("authorization", f"Bearer {API_KEY}"),))
    assert foreign[-1].final is True and foreign[-1].version == 1
    assert foreign[-1].thread_id == thread_id
    entries = audit(secured)
    assert ("globex", "robot", "message.accepted", f"thread:{thread_id}") in entries
    assert ("acme", "alice", "message.accepted", f"thread:{thread_id}") in entries
    assert ("acme", "bob", "message.accepted", f"thread:{thread_id}") in entries


def test_http_needs_a_token_for_the_api_but_not_for_health(secured: Instance) -> None:
    refused = httpx.post(f"{secured.http_url}{API}/sessions", json={"title": "T"})
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert refused.json() == {"error": "unauthenticated",
                              "detail": "missing bearer token; send 'authorization: Bearer <token>'"}
    expired = httpx.get(f"{secured.http_url}{API}/sessions/x", headers=bearer(hs256("acme", expires_in=-5)))
    assert (expired.status_code, expired.json()["detail"]) == (401, "the JWT has expired; get a new token")
    assert httpx.get(f"{secured.http_url}/healthz").status_code == 200


def test_http_sessions_belong_to_their_tenant(secured: Instance) -> None:
    acme, globex = bearer(hs256("acme")), bearer(API_KEY)
    created = httpx.post(f"{secured.http_url}{API}/sessions", json={"title": "Onboarding"}, headers=acme)
    assert created.status_code == 201
    session_id = created.json()["session_id"]
    assert httpx.get(f"{secured.http_url}{API}/sessions/{session_id}", headers=acme).status_code == 200

    missing = httpx.get(f"{secured.http_url}{API}/sessions/session-none", headers=globex)
    for path in ("", "/messages", "/process", "/process?format=md", "/process/versions", "/process/versions/1",
                 "/process/versions/1/diff/2"):
        foreign = httpx.get(f"{secured.http_url}{API}/sessions/{session_id}{path}", headers=globex)
        assert foreign.status_code == 404
        assert foreign.json() == {"error": "not_found",
                                  "detail": missing.json()["detail"].replace("session-none", session_id)}
    posted = httpx.post(f"{secured.http_url}{API}/sessions/{session_id}/messages", headers=globex,
                        json={"content": "Change step 1 so that finance signs."})
    assert posted.status_code == 404
    entries = audit(secured)
    assert ("acme", "alice", "session.created", f"session:{session_id}") in entries
    assert ("globex", "robot", "access.denied", f"session:{session_id}") in entries


def test_websocket_needs_a_token_and_the_owning_tenant(secured: Instance) -> None:
    ws_base = secured.http_url.replace("http://", "ws://") + API
    created = httpx.post(f"{secured.http_url}{API}/sessions", json={"title": "T"}, headers=bearer(hs256("acme")))
    session_id = created.json()["session_id"]
    with pytest.raises(InvalidStatus) as refused, connect(f"{ws_base}/sessions/{session_id}/chat"):
        pass
    assert refused.value.response.status_code == 403
    with connect(f"{ws_base}/sessions/{session_id}/chat", additional_headers=bearer(API_KEY)) as ws:
        frame = json.loads(ws.recv(timeout=30))
    assert frame["error"] == "not_found"


def test_serving_beyond_loopback_without_auth_is_refused(tmp_path: Path) -> None:
    refused = subprocess.run([*CLI, "serve", "--host", "0.0.0.0", "--grpc-port", "0", "--http-port", "0"],
                             env=instance_env(tmp_path, {}), capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        "process-designer: error: PD_HOST=0.0.0.0 is not loopback and no authentication is configured; "
        "set PD_JWT_SECRET, PD_JWT_PUBLIC_KEY_FILE or PD_API_KEYS_FILE "
        "(or PD_ALLOW_INSECURE_BIND=true to accept the risk)\n")


def test_without_auth_the_service_says_it_listens_on_loopback_only(tmp_path: Path) -> None:
    with serve_instance(tmp_path / "data", {}) as instance:
        assert instance.stderr.read_text().splitlines()[0] == (
            "authentication is off: listening on loopback (127.0.0.1) only")


def test_the_audit_command_prints_the_log_without_content(secured: Instance) -> None:
    env = instance_env(secured.stderr.parent, {})
    printed = subprocess.run([*CLI, "audit", "--format", "json", "--limit", "1000"], env=env,
                             capture_output=True, text=True, timeout=120, check=True)
    entries = json.loads(printed.stdout)
    assert [(e["tenant"], e["subject"], e["action"], e["resource"]) for e in entries] == audit(secured)
    assert {e["action"] for e in entries} >= {"auth.failed", "access.denied", "message.accepted", "session.created"}
    assert REQUIREMENTS not in printed.stdout


def test_template_writes_are_audited_with_their_author(secured: Instance) -> None:
    acme = bearer(hs256("acme", subject="carol"))
    created = httpx.post(f"{secured.http_url}{API}/sessions", headers=acme,
                         json={"title": "Onboarding", "requirements": REQUIREMENTS}).json()
    deadline = time.monotonic() + 120
    while httpx.get(f"{secured.http_url}{API}/sessions/{created['session_id']}", headers=acme).json()["version"] != 1:
        assert time.monotonic() < deadline, "the first design did not finish"
        time.sleep(0.25)
    version = httpx.get(f"{secured.http_url}{API}/sessions/{created['session_id']}/process/versions/1", headers=acme)
    document = version.json()["document"]
    document.pop("markdown")
    template = {"id": "acme-onboarding", "title": "Acme Onboarding", "category": "customer",
                "business_domain": "SaaS", "tags": ["onboarding"], "document": document}
    added = httpx.post(f"{secured.http_url}{API}/templates", json=template, headers=acme,
                       params={"override": "true"})  # the design guessed performers: saved as it is
    assert added.status_code == 201
    assert ("acme", "carol", "template.added", "template:acme-onboarding") in audit(secured)


def test_the_chat_client_sends_pd_token(secured: Instance) -> None:
    thread = f"cli-{uuid.uuid4().hex}"
    args = [*CLI, "chat", "--server", secured.grpc_address, "--thread", thread]
    env = instance_env(secured.stderr.parent.parent / "client", {"PD_TOKEN": hs256("acme")})
    chatted = subprocess.run(args, input="/system owner: Finance\n/quit\n", env=env,
                             capture_output=True, text=True, timeout=120)
    assert chatted.returncode == 0, chatted.stderr
    assert chatted.stdout.splitlines()[-1] == "[respond] Context updated: owner=Finance."

    foreign = subprocess.run(args, input="/system owner: Sales\n/quit\n", capture_output=True, text=True,
                             env={**env, "PD_TOKEN": API_KEY}, timeout=120)
    assert foreign.returncode == 0, foreign.stderr
    assert foreign.stdout.splitlines()[-1] == "[respond] Context updated: owner=Sales."
