"""Two tenants on one real `serve` process: analytics, templates and thread ids stay each tenant's."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from services import Instance, chat, serve_instance, user

from process_designer.server.auth import hash_api_key

pytestmark = pytest.mark.slow
AS_IS = {"override": "true"}

API = "/api/v1/process-designer"
KEYS = {"acme": "pdk-acme-robot-" + "1" * 24, "globex": "pdk-globex-robot-" + "2" * 24,
        "operator": "pdk-ops-" + "3" * 24}
REFUND = ("Support receives the refund request in Zendesk; a support agent checks the order in Shopify; "
          "if the amount is over 500 EUR a finance manager approves it; finance pays it back in Stripe.")
ONBOARDING = "Sales closes the deal in the CRM, then billing creates the subscription within 1 day."


def auth(tenant: str) -> dict[str, str]:
    return {"authorization": f"Bearer {KEYS[tenant]}"}


def grpc_auth(tenant: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {KEYS[tenant]}"),)


@pytest.fixture(scope="module")
def two_tenants(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    root = tmp_path_factory.mktemp("tenants")
    keys = root / "api-keys"
    keys.write_text(f"acme:robot:{hash_api_key(KEYS['acme'])}\n"
                    f"globex:robot:{hash_api_key(KEYS['globex'])}\n"
                    f"ops:ann:{hash_api_key(KEYS['operator'])}:operator\n")
    with serve_instance(root / "data", {"PD_API_KEYS_FILE": str(keys)}) as instance:
        yield instance


def _designed(instance: Instance, tenant: str, requirements: str) -> dict[str, Any]:
    """The first version of a new session of ``tenant`` designed from ``requirements``."""
    created = httpx.post(f"{instance.http_url}{API}/sessions", headers=auth(tenant),
                         json={"title": "T", "requirements": requirements}).json()
    session = f"{instance.http_url}{API}/sessions/{created['session_id']}"
    deadline = time.monotonic() + 120
    while httpx.get(session, headers=auth(tenant)).json()["version"] != 1:
        assert time.monotonic() < deadline, "the first design did not finish"
        time.sleep(0.25)
    return dict(httpx.get(f"{session}/process", headers=auth(tenant)).json()["document"])


async def test_a_thread_id_taken_by_one_tenant_is_still_free_for_another(two_tenants: Instance) -> None:
    thread_id = f"shared-name-{uuid.uuid4().hex[:8]}"
    globex = await chat(two_tenants.grpc_address, user(thread_id, "What can you do?", "g-1"),
                        metadata=grpc_auth("globex"))
    assert globex[-1].final and globex[-1].thread_id == thread_id

    acme = await chat(two_tenants.grpc_address, user(thread_id, REFUND, "a-1"), metadata=grpc_auth("acme"))
    assert acme[-1].final and acme[-1].version == 1 and acme[-1].thread_id == thread_id
    # Each tenant continues its own conversation: globex's first design is its version 1 too.
    globex_design = await chat(two_tenants.grpc_address, user(thread_id, ONBOARDING, "g-2"),
                               metadata=grpc_auth("globex"))
    assert globex_design[-1].version == 1
    acme_again = await chat(two_tenants.grpc_address, user(thread_id, REFUND, "a-1"), metadata=grpc_auth("acme"))
    assert acme_again[-1].replayed and acme_again[-1].version == 1

    sessions = {tenant: httpx.get(f"{two_tenants.http_url}{API}/analytics", headers=auth(tenant)).json()["sessions"]
                for tenant in ("acme", "globex")}
    assert [(s["tenant"], s["thread_id"], s["turns"]) for s in sessions["acme"] if s["thread_id"] == thread_id] == [
        ("acme", thread_id, 1)]
    assert [(s["tenant"], s["turns"]) for s in sessions["globex"] if s["thread_id"] == thread_id] == [("globex", 2)]


def test_analytics_are_the_callers_tenant_unless_an_operator_asks(two_tenants: Instance) -> None:
    _designed(two_tenants, "acme", REFUND)
    _designed(two_tenants, "globex", ONBOARDING)
    url = f"{two_tenants.http_url}{API}/analytics"
    mine = {tenant: httpx.get(url, headers=auth(tenant)).json() for tenant in ("acme", "globex")}
    for tenant, body in mine.items():
        assert body["tenant"] == tenant
        assert body["sessions"] and {s["tenant"] for s in body["sessions"]} == {tenant}
        assert body["report"]["sessions"] == len(body["sessions"])
    everyone = httpx.get(url, headers=auth("operator")).json()
    assert everyone["tenant"] is None
    assert everyone["report"]["sessions"] == mine["acme"]["report"]["sessions"] + mine["globex"]["report"]["sessions"]
    only_acme = httpx.get(url, params={"tenant": "acme"}, headers=auth("operator")).json()
    assert only_acme["sessions"] == mine["acme"]["sessions"]

    refused = httpx.get(url, params={"tenant": "acme"}, headers=auth("globex"))
    assert refused.status_code == 404 and refused.json()["error"] == "not_found"


def test_a_tenants_template_is_found_and_used_only_by_that_tenant(two_tenants: Instance) -> None:
    document = _designed(two_tenants, "acme", REFUND)
    document.pop("markdown", None)
    template = {"id": "acme-marketplace-refund", "title": "Marketplace Refund With Seller Clawback",
                "category": "finance", "business_domain": "E-commerce", "tags": ["refund", "marketplace"],
                "document": document}
    # the design may name no one for some steps; the template is saved as it is (the gate has its own tests)
    added = httpx.post(f"{two_tenants.http_url}{API}/templates", json=template, headers=auth("acme"), params=AS_IS)
    assert added.status_code == 201, added.text

    def found(tenant: str) -> list[str]:
        hits = httpx.get(f"{two_tenants.http_url}{API}/templates", headers=auth(tenant),
                         params={"query": "marketplace refund with seller clawback", "top": 5}).json()["templates"]
        return [hit["template"]["id"] for hit in hits]

    assert found("acme")[0] == "acme-marketplace-refund"
    assert "acme-marketplace-refund" not in found("globex")
    read = {tenant: httpx.get(f"{two_tenants.http_url}{API}/templates/acme-marketplace-refund", headers=auth(tenant))
            for tenant in ("acme", "globex")}
    assert read["acme"].status_code == 200 and read["acme"].json()["title"] == template["title"]
    assert read["globex"].status_code == 404
    clawback = f"Marketplace refund with seller clawback. {REFUND}"
    assert "acme-marketplace-refund" in _designed(two_tenants, "acme", clawback)["templates_used"]
    assert "acme-marketplace-refund" not in _designed(two_tenants, "globex", clawback)["templates_used"]
    # Globex may add a template of the same id: it is its own.
    again = httpx.post(f"{two_tenants.http_url}{API}/templates", json=template, headers=auth("globex"), params=AS_IS)
    assert again.status_code == 201
    assert httpx.post(f"{two_tenants.http_url}{API}/templates", json=template,
                      headers=auth("globex"), params=AS_IS).status_code == 400
