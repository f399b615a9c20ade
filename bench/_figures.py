"""What every benchmark prints and writes: percentiles, the machine's load, and result files."""

from __future__ import annotations

import json
import os
import platform
import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("results")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def load() -> str:
    """The 1/5/15-minute load average: other work on the machine shifts every figure."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def summary(samples_ms: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(samples_ms, 0.5), 1), "p99_ms": round(percentile(samples_ms, 0.99), 1),
            "mean_ms": round(statistics.fmean(samples_ms), 1), "n": len(samples_ms)}


def line(name: str, samples_ms: list[float], note: str = "") -> str:
    s = summary(samples_ms)
    return (f"{name:<28} p50 {s['p50_ms']:8.1f} ms   p99 {s['p99_ms']:8.1f} ms   n={s['n']:<4} {load()}{note}")


def machine() -> str:
    return f"{platform.node()} {platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}"


def write_results(name: str, rows: list[dict[str, Any]]) -> Path:
    """``bench/results/<name>.json`` and ``.md`` (a table of ``rows``); returns the markdown path."""
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    (RESULTS / f"{name}.json").write_text(
        json.dumps({"date": stamp, "machine": machine(), "rows": rows}, indent=2) + "\n", encoding="utf-8")
    columns = list(dict.fromkeys(key for row in rows for key in row))
    table = [f"# {name} — {stamp}, {machine()}", "", "| " + " | ".join(columns) + " |",
             "|" + "---|" * len(columns)]
    table += ["| " + " | ".join(str(row.get(c, "")) for c in columns) + " |" for row in rows]
    markdown = RESULTS / f"{name}.md"
    markdown.write_text("\n".join(table) + "\n", encoding="utf-8")
    return markdown
