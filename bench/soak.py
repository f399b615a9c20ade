"""Soak: 100 gRPC streams chatting for ``--minutes`` (10 by default), printing memory and open files.

Not part of ``make bench`` or CI: ``make soak`` (or ``python -m bench.soak --minutes 10``). The
server runs in a child process on 127.0.0.1 so that its memory and file descriptors are its own.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from bench._figures import load
from process_designer.server.grpc_client import ChatClientError, GrpcChatClient
from tests.faults.harness import serve_in_child

STREAMS = 100
SAMPLE_EVERY_S = 30.0
REQUIREMENTS = (
    "Purchase requests: the requester files it in the procurement tool, the budget owner approves requests "
    "over 5000 EUR within 2 days, then procurement orders from the supplier."
)
TURNS = (
    REQUIREMENTS,
    "Who is responsible for step 2?",
    "Change step 2 so that finance also approves requests over 20000 EUR.",
    "What does step 1 do?",
)


def sample(pid: int) -> tuple[float, int]:
    """The server's resident memory in MiB and its open file descriptors."""
    rss = next(int(row.split()[1]) for row in Path(f"/proc/{pid}/status").read_text().splitlines()
               if row.startswith("VmRSS:"))
    return rss / 1024, len(os.listdir(f"/proc/{pid}/fd"))


async def chat(address: str, n: int, until: float, counts: dict[str, int]) -> None:
    """Design, ask, revise, ask on a thread; then start the next thread, until ``until``."""
    round_ = 0
    async with GrpcChatClient(address, connect_timeout=30) as client:
        while time.monotonic() < until:
            thread_id = f"soak-{n}-{round_}"
            for content in TURNS:
                try:
                    answers = [a async for a in client.send(thread_id, content)]
                    counts["turns"] += 1 if answers and answers[-1].final else 0
                except ChatClientError as exc:
                    counts["errors"] += 1
                    print(f"stream {n}: {exc}", flush=True)
                    return
            round_ += 1


async def watch(pid: int, until: float, counts: dict[str, int]) -> None:
    start = time.monotonic()
    while time.monotonic() < until:
        rss, fds = sample(pid)
        print(f"{(time.monotonic() - start) / 60:5.1f} min  rss {rss:7.1f} MiB  open files {fds:4d}  "
              f"turns {counts['turns']:6d}  errors {counts['errors']}  {load()}", flush=True)
        await asyncio.sleep(SAMPLE_EVERY_S)


async def soak(minutes: float) -> int:
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        server, address = serve_in_child(Path(tmp))
        try:
            async with GrpcChatClient(address, connect_timeout=30) as client:  # loads the embedder
                [a async for a in client.send("warm-up", REQUIREMENTS)]
            until = time.monotonic() + minutes * 60
            counts = {"turns": 0, "errors": 0}
            print(f"soak: {STREAMS} streams for {minutes:g} min against {address} (server pid {server.pid})")
            await asyncio.gather(watch(server.pid, until, counts),
                                 *(chat(address, n, until, counts) for n in range(STREAMS)))
            rss, fds = sample(server.pid)
            print(f"end    rss {rss:7.1f} MiB  open files {fds:4d}  turns {counts['turns']}  "
                  f"errors {counts['errors']}  {load()}")
            return 1 if counts["errors"] else 0
        finally:
            server.terminate()
            server.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to chat (default 10)")
    return asyncio.run(soak(parser.parse_args().minutes))


if __name__ == "__main__":
    sys.exit(main())
