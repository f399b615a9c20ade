"""gRPC Chat over loopback: first-chunk and full-turn latency, then 50 streams × 10 turns."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server.chat_service import ChatService
from process_designer.server.grpc_client import GrpcChatClient
from process_designer.server.grpc_server import create_server
from process_designer.server.messages import OutgoingMessage

LATENCY_THREADS = 20
STREAMS = 50
TURNS = 10
FIRST_CHUNK_TARGET_MS = 20.0

REQUIREMENTS = (
    "Refund requests: support checks the order in the CRM, finance approves refunds over 500 EUR "
    "within 2 days, then billing issues the refund and the customer gets an e-mail."
)
CHANGE = "Change step 2 so that a team lead approves refunds under 500 EUR."
FOLLOW_UPS = (
    ("SYSTEM", "complexity: medium"),
    ("USER", "What does step 1 do?"),
    ("SYSTEM", "integrations: crm, billing, email"),
    ("USER", "Who is responsible for step 2?"),
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def line(name: str, samples_ms: list[float], note: str = "") -> str:
    return (
        f"{name:<12} p50 {percentile(samples_ms, 0.5):8.1f} ms   p99 {percentile(samples_ms, 0.99):8.1f} ms"
        f"   mean {statistics.fmean(samples_ms):8.1f} ms   n={len(samples_ms)}{note}"
    )


async def timed_turn(client: GrpcChatClient, thread_id: str, content: str, role: str = "USER") -> tuple[float, float]:
    """Milliseconds from sending to the first answer and to the final one."""
    start = time.perf_counter()
    first = 0.0
    async for answer in client.send(thread_id, content, role=role):
        first = first or time.perf_counter() - start
        if answer.final:
            break
    return first * 1000, (time.perf_counter() - start) * 1000


async def latency(address: str) -> None:
    first_ms: list[float] = []
    full_ms: list[float] = []
    async with GrpcChatClient(address) as client:
        for n in range(LATENCY_THREADS):
            for content in (REQUIREMENTS, CHANGE):
                first, full = await timed_turn(client, f"latency-{n}", content)
                first_ms.append(first)
                full_ms.append(full)
    verdict = "met" if percentile(first_ms, 0.5) <= FIRST_CHUNK_TARGET_MS else "MISSED"
    print(line("first chunk", first_ms, f"   target ≤ {FIRST_CHUNK_TARGET_MS:g} ms p50: {verdict}"))
    print(line("full turn", full_ms, "   (design and change turns)"))


async def one_stream(address: str, n: int) -> tuple[list[str], list[OutgoingMessage]]:
    """Ten turns on one stream; the last resends the fifth's id, which must come back replayed."""
    thread_id = f"load-{n}"
    turns = [("USER", REQUIREMENTS), ("USER", CHANGE), *(FOLLOW_UPS * 2)][: TURNS - 1]
    sent: list[str] = []
    answers: list[OutgoingMessage] = []
    async with GrpcChatClient(address) as client:
        for k, (role, content) in enumerate(turns):
            client_msg_id = f"{thread_id}.{k}"
            sent.append(client_msg_id)
            answers += [a async for a in client.send(thread_id, content, role=role, client_msg_id=client_msg_id)]
        role, content = turns[4]
        sent.append(f"{thread_id}.4")
        answers += [a async for a in client.send(thread_id, content, role=role, client_msg_id=f"{thread_id}.4")]
    return sent, answers


async def load(address: str, service: ChatService) -> None:
    start = time.perf_counter()
    results = await asyncio.gather(*(one_stream(address, n) for n in range(STREAMS)))
    wall = time.perf_counter() - start
    sent = [client_msg_id for ids, _ in results for client_msg_id in ids]
    answers = [answer for _, stream_answers in results for answer in stream_answers]
    finals = Counter(a.client_msg_id for a in answers if a.final)
    lost = sum(1 for client_msg_id, count in Counter(sent).items() if finals[client_msg_id] < count)
    fresh_ids = Counter(a.message_id for a in answers if not a.replayed)
    duplicated = sum(count - 1 for count in fresh_ids.values() if count > 1)
    replays = sum(1 for a in answers if a.final and a.replayed)
    # A turn that ran twice would leave two USER/SYSTEM entries for one message in the thread.
    asked = sum(1 for n in range(STREAMS) for r in service.history(f"load-{n}") if r.role in ("USER", "SYSTEM"))
    ran_twice = asked - STREAMS * (TURNS - 1)
    print(
        f"load         {STREAMS} streams × {TURNS} turns: {len(sent)} sent, {sum(finals.values())} answered, "
        f"lost {lost}, duplicated {duplicated + max(ran_twice, 0)}, replayed from the record {replays}; "
        f"{wall:.1f} s wall, {len(sent) / wall:.1f} turns/s"
    )


async def run() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-grpc-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        library = TemplateLibrary(settings)
        started = time.perf_counter()
        library.ensure_index()
        print(f"setup        template index ready in {time.perf_counter() - started:.1f} s (not timed below)")
        service = ChatService(Designer(settings, library=library), settings)
        server, port = create_server(service, "127.0.0.1:0")
        await server.start()
        try:
            address = f"127.0.0.1:{port}"
            await latency(address)
            await load(address, service)
        finally:
            await server.stop(5)
            service.close()
            library.close()


def main() -> None:
    """Print the figures (``python -m bench grpc``)."""
    asyncio.run(run())


if __name__ == "__main__":
    main()
