"""CPU per chat turn by its position in a long conversation (offline engine, SQLite, warm embedder).

A turn should cost the same at turn 30 as at turn 3: what it does depends on the message and the
current document, not on how many turns came before. Each thread is designed once, then answers
revisions and questions in turn; a turn's CPU is the process's CPU time while it runs (every thread of
the process, the checkpoint writer's included), so other work on the machine does not count.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._figures import load, write_results
from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary

THREADS = 5
TURNS = 30
EARLY = range(2, 8)  # turn numbers (1 is the design)
LATE = range(TURNS - 5, TURNS + 1)
REQUIREMENTS = (
    "Supplier onboarding: procurement collects the supplier's tax and bank details, compliance screens "
    "the supplier within 2 days, finance approves suppliers over 10000 EUR, then the ERP gets the record."
)


def message(turn: int) -> tuple[str, str]:
    """The kind and text of turn ``turn`` (1-based): the design, then a revision and a question in turn."""
    if turn == 1:
        return "design", REQUIREMENTS
    if turn % 2 == 0:
        return "revision", f"Change step 2 so that it finishes within {turn} days."
    return "question", "Who is responsible for step 1?"


def cpu_by_turn(designer: Designer, thread_id: str) -> list[tuple[str, float]]:
    """Each turn's kind and CPU milliseconds over one ``TURNS``-turn thread."""
    samples = []
    for turn in range(1, TURNS + 1):
        kind, content = message(turn)
        started = time.process_time()
        designer.run_turn(thread_id, content)
        samples.append((kind, (time.process_time() - started) * 1000))
    return samples


def rows_of(threads: list[list[tuple[str, float]]]) -> list[dict[str, Any]]:
    """Per kind of turn: median CPU of the early and the late turns of every thread, and their ratio.

    The median, not the mean: a full garbage collection (~0.3 s here, every dozen turns or so, wherever
    it falls) would otherwise decide the figure."""
    rows = []
    for kind in ("revision", "question"):
        def median(turns: range, wanted: str = kind) -> float:
            return statistics.median(ms for samples in threads for number, (k, ms) in enumerate(samples, start=1)
                                     if number in turns and k == wanted)

        early, late = median(EARLY), median(LATE)
        rows.append({"figure": f"{kind} CPU, turns {EARLY.start}-{EARLY.stop - 1} → {LATE.start}-{LATE.stop - 1}",
                     "early_ms": round(early, 1), "late_ms": round(late, 1), "late_over_early": round(late / early, 2),
                     "load": load()})
    return rows


def main() -> None:
    """Print the figures and write ``bench/results/thread.{json,md}`` (``python -m bench thread``)."""
    with tempfile.TemporaryDirectory(prefix="bench-thread-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        library = TemplateLibrary(settings)
        library.ensure_index()
        designer = Designer(settings, library=library)
        try:
            designer.run_turn("warm-up", REQUIREMENTS)  # loads the embedder and the reader; not measured
            threads = [cpu_by_turn(designer, f"thread-{n}") for n in range(THREADS)]
            stored = designer.stored_bytes("thread-0")
        finally:
            designer.close()
    rows = rows_of(threads)
    for row in rows:
        print(f"{row['figure']:<44} {row['early_ms']:7.1f} → {row['late_ms']:7.1f} ms  ×{row['late_over_early']:.2f}   "
              f"{row['load']}")
    per_turn = [round(statistics.median(samples[i][1] for samples in threads)) for i in range(TURNS)]
    print("median CPU ms by turn:", " ".join(f"{ms:g}" for ms in per_turn))
    print(f"thread bytes after {TURNS} turns: {stored:,}")
    rows.append({"figure": f"thread bytes after {TURNS} turns", "early_ms": "", "late_ms": "",
                 "late_over_early": "", "load": load(), "bytes": stored})
    print(f"written {write_results('thread', rows)}")


if __name__ == "__main__":
    main()
