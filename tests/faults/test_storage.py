"""The data directory under stress: concurrent writers on one SQLite file, and a full disk."""

from __future__ import annotations

import errno
import multiprocessing
import sqlite3
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import pytest

from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.errors import StorageFullError
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server.grpc_client import ChatClientError, GrpcChatClient
from process_designer.server.messages import OutgoingMessage
from process_designer.server.turn_records import TurnRecords
from process_designer.storage.failures import storage_failure
from tests.faults.harness import in_process_server

WRITES = 150
THREADS = 4
REQUIREMENTS = (
    "Invoice approval: accounts payable receives the invoice, the budget owner approves invoices over "
    "1000 EUR within 3 days, then finance pays it from the ERP."
)


def write_records(data_dir: str, writer: str) -> None:
    """``THREADS`` threads of one process, each storing and reading back ``WRITES`` records."""
    records = TurnRecords.open(Settings(data_dir=Path(data_dir)))

    def run(thread: int) -> None:
        for n in range(WRITES):
            message = OutgoingMessage(thread_id=f"{writer}-{thread}", content=f"answer {n}", client_msg_id=str(n),
                                      agent="respond", final=True, message_id=f"{writer}.{thread}.{n}")
            records.put(message.thread_id, str(n), "digest", [message])
            records.start(message.thread_id, f"next-{n}", n)
            assert records.get(message.thread_id, str(n)) is not None

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(run, range(THREADS)))
    finally:
        records.close()


def test_two_processes_with_threads_write_one_sqlite_file_without_a_locked_error(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=write_records, args=(str(tmp_path), name)) for name in ("a", "b")]
    for writer in writers:
        writer.start()
    write_records(str(tmp_path), "c")
    for writer in writers:
        writer.join(60)
    assert [writer.exitcode for writer in writers] == [0, 0]
    records = TurnRecords.open(Settings(data_dir=tmp_path))
    try:
        for name in "abc":
            for thread in range(THREADS):
                stored = [records.get(f"{name}-{thread}", str(n)) for n in range(WRITES)]
                assert [r.messages[0].content for r in stored if r is not None] == [f"answer {n}" for n in range(WRITES)]
    finally:
        records.close()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MiB tmpfs, unmounted afterwards."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)], check=True)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def fill(disk: Path) -> None:
    """Write until the filesystem refuses with ENOSPC."""
    with (disk / "filler").open("wb", buffering=0) as filler, pytest.raises(OSError) as refused:
        while True:
            filler.write(b"\0" * 65536)
    assert refused.value.errno == errno.ENOSPC


async def test_a_full_disk_gives_a_clear_error_and_keeps_what_was_stored(
    small_disk: Path, library: TemplateLibrary
) -> None:
    data_dir = small_disk / "data"
    async with in_process_server(data_dir, library) as (service, address):
        async with GrpcChatClient(address) as client:
            first = [a async for a in client.send("kept", REQUIREMENTS, client_msg_id="m1")]
        fill(small_disk)
        with pytest.raises(ChatClientError, match=r"RESOURCE_EXHAUSTED: no space is left to write .*/data/\w+\.sqlite; "
                           r"free space on that disk .* everything stored before is kept") as refused:
            async with GrpcChatClient(address) as client:
                [a async for a in client.send("kept", "Change step 2 so that the CFO approves.", client_msg_id="m2")]
        assert refused.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED
        history = service.history("kept")
        assert [(h.role, h.content) for h in history[:2]] == [("USER", REQUIREMENTS), ("ASSISTANT", first[-1].content)]
        (small_disk / "filler").unlink()
        async with GrpcChatClient(address) as client:
            replay = [a async for a in client.send("kept", REQUIREMENTS, client_msg_id="m1")]
        assert [a.content for a in replay] == [a.content for a in first]


def test_a_turn_whose_checkpoint_cannot_be_written_names_the_full_disk_and_keeps_the_thread(
    small_disk: Path, library: TemplateLibrary
) -> None:
    settings = Settings(data_dir=small_disk / "data")
    with Designer(settings, library=library) as designer:
        first = designer.run_turn("kept", REQUIREMENTS)
        fill(small_disk)
        with pytest.raises(StorageFullError, match=r"no space is left to write .*/data/\w+\.sqlite"):
            designer.run_turn("kept", "Change step 2 so that the CFO approves.")
        assert [h.content for h in designer.history("kept")] == [REQUIREMENTS, first[-1].content]
        assert [v.number for v in designer.versions("kept")] == [1]


@pytest.mark.parametrize(
    ("failure", "full"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), True),
        (OSError(errno.EACCES, "Permission denied"), False),
        (sqlite3.OperationalError("database or disk is full"), True),
        (sqlite3.OperationalError("database is locked"), False),
    ],
)
def test_storage_failures_tell_a_full_disk_from_other_faults(failure: BaseException, full: bool) -> None:
    error = storage_failure(failure, "/srv/pd/threads.sqlite")
    assert isinstance(error, StorageFullError) is full
    assert "/srv/pd/threads.sqlite" in str(error)
