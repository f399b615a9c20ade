"""Load over gRPC: 10/50/200 concurrent streams × turns, memory per 1,000 threads, latency vs thread length."""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench._figures import load, percentile, write_results
from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server.chat_service import ChatService
from process_designer.server.grpc_client import ChatClientError, GrpcChatClient
from process_designer.server.grpc_server import create_server
from process_designer.server.messages import OutgoingMessage

LEVELS = (10, 50, 200)
STORED_THREADS = 1000
THREAD_LENGTH = 50
REQUIREMENTS = (
    "Expense claims: the employee submits receipts in the expense tool, the manager approves claims "
    "over 200 EUR within 3 days, then payroll reimburses the employee."
)
TURNS = (
    ("USER", REQUIREMENTS),
    ("USER", "Who is responsible for step 2?"),
    ("USER", "Change step 2 so that finance also checks claims over 1000 EUR."),
    ("SYSTEM", "complexity: medium"),
)


def rss_mib() -> float:
    """This process's resident memory (server and clients share it)."""
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status; the memory figures need Linux")


async def stream(address: str, name: str, latencies: list[float]) -> tuple[list[str], list[OutgoingMessage], int]:
    """The turns on one stream, then the first one resent (it must come back from the record)."""
    sent: list[str] = []
    answers: list[OutgoingMessage] = []
    errors = 0
    async with GrpcChatClient(address, connect_timeout=30) as client:
        for k, (role, content) in [*enumerate(TURNS), (0, TURNS[0])]:
            client_msg_id = f"{name}.{k}"
            sent.append(client_msg_id)
            start = time.perf_counter()
            try:
                answers += [a async for a in client.send(name, content, role=role, client_msg_id=client_msg_id)]
            except ChatClientError:
                errors += 1
            latencies.append((time.perf_counter() - start) * 1000)
    return sent, answers, errors


async def level(address: str, service: ChatService, streams: int) -> dict[str, Any]:
    latencies: list[float] = []
    start = time.perf_counter()
    results = await asyncio.gather(*(stream(address, f"load{streams}-{n}", latencies) for n in range(streams)))
    wall = time.perf_counter() - start
    sent = [i for ids, _, _ in results for i in ids]
    answers = [a for _, got, _ in results for a in got]
    finals = Counter(a.client_msg_id for a in answers if a.final)
    lost = sum(1 for i, count in Counter(sent).items() if finals[i] < count)
    fresh = Counter(a.message_id for a in answers if not a.replayed)
    asked = sum(1 for n in range(streams) for r in service.history(f"load{streams}-{n}") if r.role in ("USER", "SYSTEM"))
    duplicated = sum(c - 1 for c in fresh.values() if c > 1) + max(asked - streams * len(TURNS), 0)
    return {"figure": f"{streams} streams × {len(TURNS) + 1} turns", "turns_per_s": round(len(sent) / wall, 1),
            "p50_ms": round(percentile(latencies, 0.5), 1), "p99_ms": round(percentile(latencies, 0.99), 1),
            "sent": len(sent), "lost": lost, "duplicated": duplicated,
            "errors": sum(e for _, _, e in results), "load": load()}


async def stored_threads(address: str) -> dict[str, Any]:
    """RSS before and after ``STORED_THREADS`` new threads (a question each, ten streams at a time)."""
    before = rss_mib()

    async def worker(first: int) -> None:
        async with GrpcChatClient(address) as client:
            for n in range(first, STORED_THREADS, 10):
                [a async for a in client.send(f"stored-{n}", "What does this process do?")]

    start = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(10)))
    grown = rss_mib() - before
    return {"figure": f"RSS per {STORED_THREADS} stored threads", "mib": round(grown * 1000 / STORED_THREADS, 1),
            "seconds": round(time.perf_counter() - start, 1), "load": load()}


async def thread_length(address: str) -> list[dict[str, Any]]:
    """One thread grown to ``THREAD_LENGTH`` turns; the latency of each revision by position."""
    by_turn: dict[int, float] = {}
    async with GrpcChatClient(address) as client:
        for n in range(1, THREAD_LENGTH + 1):
            content = REQUIREMENTS if n == 1 else f"Change step 2 so that the manager approves within {n} days."
            start = time.perf_counter()
            [a async for a in client.send("long-thread", content)]
            by_turn[n] = (time.perf_counter() - start) * 1000
    return [{"figure": f"turn {n} of one thread", "ms": round(by_turn[n], 1), "load": load()}
            for n in sorted({1, 2, 10, 25, THREAD_LENGTH}) if n <= THREAD_LENGTH]


async def run(data_dir: Path) -> list[dict[str, Any]]:
    settings = Settings(data_dir=data_dir)
    library = TemplateLibrary(settings)
    library.ensure_index()
    designer = Designer(settings, library=library)
    designer.run_turn("warm-up", REQUIREMENTS)  # loads the embedder; not measured
    service = ChatService(designer, settings)
    server, port = create_server(service, "127.0.0.1:0")
    await server.start()
    address = f"127.0.0.1:{port}"
    rows: list[dict[str, Any]] = []
    try:
        for streams in LEVELS:
            rows.append(await level(address, service, streams))
            print(rows[-1], flush=True)
        rows.append(await stored_threads(address))
        print(rows[-1], flush=True)
        for row in await thread_length(address):
            rows.append(row)
            print(row, flush=True)
    finally:
        await server.stop(5)
        service.close()
    return rows


def main() -> None:
    """Print the figures and write ``bench/results/load.{json,md}`` (``python -m bench load``)."""
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        rows = asyncio.run(run(Path(tmp)))
    print(f"written {write_results('load', rows)}")


if __name__ == "__main__":
    main()
