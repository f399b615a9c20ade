"""Turn latency on the offline engine (warm embedder): per route, per agent, first chunk over gRPC and WebSocket."""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import connect

from bench._figures import line, load, summary, write_results
from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server.grpc_client import GrpcChatClient
from process_designer.server.grpc_server import create_server
from process_designer.server.http_listener import start_http
from process_designer.service import DesignService

THREADS = 30
FIRST_CHUNKS = 40
DESIGN_TARGET_MS = 150.0
FIRST_CHUNK_TARGET_MS = 20.0

REQUIREMENTS = (
    "Supplier onboarding: procurement collects the supplier's tax and bank details, compliance screens "
    "the supplier within 2 days, finance approves suppliers over 10000 EUR, then the ERP gets the record."
)
ROUTES = (
    ("new design", REQUIREMENTS),
    ("revision", "Change step 2 so that legal also reviews suppliers from outside the EU."),
    ("question", "Who is responsible for step 1?"),
    ("code only", "Regenerate only the code."),
)


def timed_turns(designer: Designer) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Each route on ``THREADS`` threads; an agent's time is the gap before its stage event."""
    per_route: dict[str, list[float]] = defaultdict(list)
    per_agent: dict[str, list[float]] = defaultdict(list)
    for n in range(THREADS):
        for route, content in ROUTES:
            start = last = time.perf_counter()
            for event in designer.stream_turn(f"turns-{n}", content):
                now = time.perf_counter()
                per_agent[event.agent].append((now - last) * 1000)
                last = now
            per_route[route].append((time.perf_counter() - start) * 1000)
    return per_route, per_agent


async def grpc_first_chunks(address: str) -> list[float]:
    samples: list[float] = []
    async with GrpcChatClient(address) as client:
        for n in range(FIRST_CHUNKS):
            start = time.perf_counter()
            first = 0.0
            async for answer in client.send(f"grpc-{n}", REQUIREMENTS):
                first = first or time.perf_counter() - start
                if answer.final:
                    break
            samples.append(first * 1000)
    return samples


async def websocket_first_chunks(http_address: str) -> list[float]:
    samples: list[float] = []
    async with httpx.AsyncClient(base_url=f"http://{http_address}/api/v1/process-designer", timeout=60) as http:
        created = (await http.post("/sessions", json={"title": "Bench"})).raise_for_status().json()
    async with connect(f"ws://{http_address}/api/v1/process-designer/sessions/{created['session_id']}/chat") as ws:
        for n in range(FIRST_CHUNKS):
            content = REQUIREMENTS if n == 0 else f"Change step 2 so that it finishes within {n + 1} days."
            start = time.perf_counter()
            await ws.send(json.dumps({"content": content, "client_msg_id": f"ws-{n}"}))
            first = 0.0
            while True:
                frame: dict[str, Any] = json.loads(await ws.recv())
                first = first or time.perf_counter() - start
                if frame.get("final") or "error" in frame:
                    break
            samples.append(first * 1000)
    return samples


async def over_the_wire(settings: Settings, designer: Designer) -> dict[str, list[float]]:
    service = DesignService(designer)  # closing the service closes the designer
    server, port = create_server(service, "127.0.0.1:0")
    await server.start()
    http = await start_http(service, settings.with_overrides(http_port=0, host="127.0.0.1"))
    try:
        return {"gRPC": await grpc_first_chunks(f"127.0.0.1:{port}"),
                "WebSocket": await websocket_first_chunks(http.address)}
    finally:
        await http.stop(1)
        await server.stop(1)
        service.close()


def main() -> None:
    """Print the figures and write ``bench/results/turns.{json,md}`` (``python -m bench turns``)."""
    with tempfile.TemporaryDirectory(prefix="bench-turns-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        library = TemplateLibrary(settings)
        library.ensure_index()
        designer = Designer(settings, library=library)
        designer.run_turn("warm-up", REQUIREMENTS)  # loads the embedder; not measured
        print(f"warm    ({load()})")
        rows: list[dict[str, Any]] = []
        per_route, per_agent = timed_turns(designer)
        for route, samples in per_route.items():
            note = f"   target ≤ {DESIGN_TARGET_MS:g} ms p50" if route == "new design" else ""
            print(line(f"route {route}", samples, note))
            rows.append({"figure": f"route {route}", **summary(samples), "load": load()})
        for agent, samples in per_agent.items():
            print(line(f"agent {agent}", samples))
            rows.append({"figure": f"agent {agent}", **summary(samples), "load": load()})
        for transport, samples in asyncio.run(over_the_wire(settings, designer)).items():
            print(line(f"first chunk {transport}", samples, f"   target ≤ {FIRST_CHUNK_TARGET_MS:g} ms p50"))
            rows.append({"figure": f"first chunk {transport}", **summary(samples), "load": load()})
        print(f"written {write_results('turns', rows)}")


if __name__ == "__main__":
    main()
