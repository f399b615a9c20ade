"""Template library figures at about 40, 1,000 and 10,000 templates: index build, search p50, design-turn latency."""

from __future__ import annotations

import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from bench._figures import line, load, summary, write_results
from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge import CURATED_TEMPLATES_DIR, TemplateLibrary
from process_designer.knowledge.embedding import get_embedder

# Template counts the library is measured at, beside the curated set (about 40).
SYNTHETIC_COUNTS = (1_000, 10_000)
DESIGN_TURNS = 15
DESIGN = (
    "Supplier onboarding: procurement collects the supplier's tax and bank details, compliance screens "
    "the supplier within 2 days, finance approves suppliers over 10000 EUR, then the ERP gets the record."
)
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


def _design_turns(library: TemplateLibrary, data_dir: Path, turns: int) -> list[float]:
    """Milliseconds of whole new-design turns over ``library``, each on a thread of its own."""
    samples: list[float] = []
    with Designer(Settings(data_dir=data_dir), library=library) as designer:
        designer.run_turn("warm-up", DESIGN)
        for n in range(turns):
            start = time.perf_counter()
            # A text of its own each time, so that the template search is not answered from its cache.
            designer.run_turn(f"design-{n}", f"{DESIGN} Reference case {n + 1}.")
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def _figures(library: TemplateLibrary, count: int, build_s: float, data_dir: Path) -> dict[str, object]:
    cold, warm = _search_p50(library, rounds=5)
    turns = _design_turns(library, data_dir, DESIGN_TURNS)
    print(f"{count:>6,} templates: index build {build_s:6.1f} s, search p50 {cold:6.2f} ms "
          f"(cached {warm:.3f} ms)")
    print(line(f"  design turn at {count:,}", turns))
    return {"templates": count, "index_build_s": round(build_s, 1), "search_p50_ms": round(cold, 2),
            "search_cached_p50_ms": round(warm, 3), **{f"turn_{k}": v for k, v in summary(turns).items()},
            "load": load()}


def main() -> None:
    embedder = get_embedder()
    embedder.embed(["warm up"])
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        library = TemplateLibrary(Settings(data_dir=root / "curated"), embedder=embedder)
        start = time.perf_counter()
        report = library.ensure_index()
        rows.append(_figures(library, report.added, time.perf_counter() - start, root / "turns-curated"))
        print(f"query embedding alone p50: {_embed_p50(rounds=5):.2f} ms")
        library.close()

        for count in SYNTHETIC_COUNTS:
            folder = root / f"synthetic-{count}"
            folder.mkdir()
            _write_synthetic(folder, count)
            library = TemplateLibrary(Settings(data_dir=root / f"large-{count}"), embedder=embedder,
                                      templates_dir=folder)
            start = time.perf_counter()
            report = library.ensure_index()
            rows.append(_figures(library, report.added, time.perf_counter() - start, root / f"turns-{count}"))
            if count == SYNTHETIC_COUNTS[-1]:
                start = time.perf_counter()
                again = library.ensure_index()
                print(f"re-index of {count:,} with nothing changed: {time.perf_counter() - start:.2f} s "
                      f"({again.unchanged} unchanged); search target at {count:,}: p50 <= 20 ms")
            library.close()
    print(f"results: {write_results('templates', rows)}")
