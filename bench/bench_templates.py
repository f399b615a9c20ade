"""Template library figures: search p50 on the curated set and on 10,000 synthetic templates, index build time."""

from __future__ import annotations

import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from process_designer.config import Settings
from process_designer.knowledge import CURATED_TEMPLATES_DIR, TemplateLibrary
from process_designer.knowledge.embedding import get_embedder

SYNTHETIC_COUNT = 10_000
QUERIES = [
    "returning money to customers who ask for reimbursement",
    "new hire laptop and accounts",
    "sync customer records between crm and erp",
    "approve supplier invoices against purchase orders",
    "production outage response and postmortem",
    "close the books at month end",
    "verify a business customer's identity",
    "deploy a new release to production",
    "patient arrives at the clinic",
    "employee leaves the company",
]
_QUALIFIERS = [
    "regional",
    "enterprise",
    "small business",
    "express",
    "quarterly",
    "partner",
    "self-service",
    "premium",
    "internal",
    "cross-border",
    "audited",
    "automated",
]


def _search_p50(library: TemplateLibrary, rounds: int) -> tuple[float, float]:
    """Median milliseconds of uncached searches, and of cached repeats."""
    cold: list[float] = []
    warm: list[float] = []
    for n in range(rounds):
        for query in QUERIES:
            text = f"{query} {n}"  # a new text each time: no cache hit
            start = time.perf_counter()
            library.search(text, top=5)
            cold.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            library.search(text, top=5)
            warm.append((time.perf_counter() - start) * 1000)
    return statistics.median(cold), statistics.median(warm)


def _embed_p50(rounds: int) -> float:
    """Median milliseconds of embedding one query: the floor under every uncached search."""
    embedder = get_embedder()
    times: list[float] = []
    for n in range(rounds):
        for query in QUERIES:
            start = time.perf_counter()
            embedder.embed([f"{query} {n}"])
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _write_synthetic(folder: Path, count: int) -> None:
    rng = random.Random(7)
    sources = [p.read_text(encoding="utf-8") for p in sorted(CURATED_TEMPLATES_DIR.glob("*.toml"))]
    for n in range(count):
        text = sources[n % len(sources)]
        qualifier = " ".join(rng.sample(_QUALIFIERS, 2))
        text = re.sub(r'^id = "([^"]+)"', rf'id = "\1-{n:05d}"', text, count=1, flags=re.MULTILINE)
        text = re.sub(
            r'^title = "([^"]+)"',
            rf'title = "\1 ({qualifier} {n})"',
            text,
            count=1,
            flags=re.MULTILINE,
        )
        (folder / f"synthetic-{n:05d}.toml").write_text(text, encoding="utf-8")


def main() -> None:
    embedder = get_embedder()
    embedder.embed(["warm up"])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        library = TemplateLibrary(Settings(data_dir=root / "curated"), embedder=embedder)
        start = time.perf_counter()
        report = library.ensure_index()
        build = time.perf_counter() - start
        cold, warm = _search_p50(library, rounds=5)
        print(f"curated templates: {report.added}, index build {build:.2f} s")
        print(f"curated search p50: {cold:.2f} ms (cached repeat p50: {warm:.3f} ms)")
        print(f"query embedding alone p50: {_embed_p50(rounds=5):.2f} ms")
        library.close()

        folder = root / "synthetic"
        folder.mkdir()
        _write_synthetic(folder, SYNTHETIC_COUNT)
        library = TemplateLibrary(
            Settings(data_dir=root / "large"), embedder=embedder, templates_dir=folder
        )
        start = time.perf_counter()
        report = library.ensure_index()
        build = time.perf_counter() - start
        print(f"synthetic templates: {report.added}, index build {build:.1f} s")
        start = time.perf_counter()
        again = library.ensure_index()
        print(
            f"re-index with nothing changed: {time.perf_counter() - start:.2f} s "
            f"({again.unchanged} unchanged)"
        )
        cold, warm = _search_p50(library, rounds=5)
        print(
            f"search p50 at {SYNTHETIC_COUNT:,} templates: {cold:.2f} ms "
            f"(target <= 20 ms; cached repeat p50: {warm:.3f} ms)"
        )
        library.close()
