"""Disk per turn: bytes a thread's checkpoints gain per turn at turn 1, 100 and 1,000 (SQLite, and Postgres
when ``PD_DATABASE_URL`` names one), and the size of ``threads.sqlite``.

One thread: a design, then short questions. ``PD_BENCH_DISK_TURNS`` sets the last turn (default 1000).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._figures import load, write_results
from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary

REQUIREMENTS = ("Support receives the refund request in Zendesk; an agent checks the order in Shopify; "
                "finance pays it back in Stripe.")


def _store_rows(store: str, settings: Settings, library: TemplateLibrary, last: int) -> list[dict[str, Any]]:
    marks = sorted({1, min(100, last), last})
    designer = Designer(settings, library=library)
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    try:
        before = designer.stored_bytes("long")
        for turn in range(1, last + 1):
            designer.run_turn("long", REQUIREMENTS if turn == 1 else f"What does step {turn % 3 + 1} do?")
            after = designer.stored_bytes("long")
            if turn in marks:
                file = settings.data_dir / "threads.sqlite"
                rows.append({"store": store, "turn": turn, "bytes this turn": after - before, "thread bytes": after,
                             "threads.sqlite bytes": file.stat().st_size if store == "sqlite" else "",
                             "seconds so far": round(time.perf_counter() - started, 1), "load": load()})
                print(rows[-1], flush=True)
            before = after
    finally:
        designer.close()
    return rows


def main() -> None:
    last = int(os.environ.get("PD_BENCH_DISK_TURNS", "1000"))
    with tempfile.TemporaryDirectory() as root:
        library = TemplateLibrary(Settings(data_dir=Path(root) / "library"))
        try:
            library.ensure_index()
            rows = _store_rows("sqlite", Settings(data_dir=Path(root) / "sqlite"), library, last)
            if url := os.environ.get("PD_DATABASE_URL"):
                rows += _store_rows("postgres", Settings(data_dir=Path(root) / "pg", database_url=url), library, last)
        finally:
            library.close()
    print(f"results in {write_results('disk', rows)}")


if __name__ == "__main__":
    main()
