"""First-run figures: whole `process-designer` processes as a user starts them, warm data directory.

Each command runs ``--runs`` times (default 3) as its own process, started as the console script
starts it; the figures are medians of its wall time, its CPU time (user + system, with the processes it
started and waited for: a one-shot design's template index) and its peak RSS. A command that starts a
process of its own (``design``) shows both peaks and their sum, which the target is held to: the two
processes overlap in time. ``serve`` is started once, warmed up with a few designs over REST, and its RSS
read from /proc. Targets (issue: first run):
``--help``, ``spy``, ``templates list``, ``export`` and ``audit`` ≤ 0.6 s; a one-shot ``design`` ≤ 3 s
and ≤ 400 MiB; ``serve`` ≤ 400 MiB after warm-up.

    python -m bench startup            # or: python -m bench.bench_startup --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench._figures import load, write_results

REFUND = ("When a refund request arrives, look up the order in the CRM; if the order is older than 30 days "
          "reject it; if the amount is over $500 a manager approves; issue the refund in billing; e-mail the "
          "customer; close the ticket")
LIGHT_TARGET_S = 0.6
DESIGN_TARGET_S = 3.0
RSS_TARGET_MIB = 400.0


# The console script's two lines, and at the exit the peak RSS of the process and of the processes it
# waited for (the exit handlers run after the command has closed and waited for them).
_AS_INSTALLED = (
    "import atexit, os, resource, sys\n"
    "def _peaks():\n"
    "    own, started = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
    "    if path := os.environ.get('PD_BENCH_PEAKS'):\n"
    "        with open(path, 'w', encoding='utf-8') as out:\n"
    "            out.write(f'{own.ru_maxrss} {started.ru_maxrss} {started.ru_utime + started.ru_stime}')\n"
    "atexit.register(_peaks)\n"
    "sys.argv[0] = 'process-designer'\n"
    "from process_designer.cli.main import run\n"
    "run()\n"
)


def _cli() -> list[str]:
    return [sys.executable, "-c", _AS_INSTALLED]


@dataclass(frozen=True)
class Sample:
    wall_s: float
    cpu_s: float  # the process and the processes it waited for
    own_cpu_s: float  # the process alone
    rss_mib: float  # the process's own peak
    started_rss_mib: float  # the peak of the processes it started (0 without any)


def _timed(argv: list[str], env: dict[str, str]) -> Sample:
    """Wall seconds, CPU seconds and peak RSS of one whole process and of the processes it started.

    CPU time is what the processes used: on a machine shared with other work it is the closer
    estimate of the wall time the same command takes on an idle one.
    """
    with tempfile.NamedTemporaryFile(prefix="pd-bench-peaks-") as peaks:
        start = time.perf_counter()
        child = subprocess.Popen(argv, env={**env, "PD_BENCH_PEAKS": peaks.name}, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        stderr = child.stderr.read().decode() if child.stderr else ""
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[3:])} exited {child.returncode}: {stderr.strip()}")
        own_kib, started_kib, started_cpu = Path(peaks.name).read_text(encoding="utf-8").split()
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, cpu, cpu - float(started_cpu), int(own_kib) / 1024, int(started_kib) / 1024)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve_rss(env: dict[str, str], designs: int) -> float:
    """RSS (MiB) of `process-designer serve` after ``designs`` REST designs."""
    http = _free_port()
    serve_env = {**env, "PD_HTTP_PORT": str(http), "PD_GRPC_PORT": str(_free_port()), "PD_HOST": "127.0.0.1"}
    server = subprocess.Popen([*_cli(), "serve"], env=serve_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=2) as ready:
                    if ready.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("serve did not become ready in 120 s") from None
                time.sleep(0.2)
        for i in range(designs):
            body = json.dumps({"requirements": f"{REFUND}; case {i}"}).encode()
            request = urllib.request.Request(f"{base}/api/v1/process-designer/sessions", data=body,
                                             headers={"content-type": "application/json"})
            with urllib.request.urlopen(request, timeout=60) as answer:
                assert answer.status == 201, answer.status
        status = Path(f"/proc/{server.pid}/status").read_text(encoding="utf-8")
        (rss_kib,) = [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")]
        return rss_kib / 1024
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _row(name: str, samples: list[Sample], seconds: float, mib: float | None) -> dict[str, object]:
    wall = statistics.median(s.wall_s for s in samples)
    cpu = statistics.median(s.cpu_s for s in samples)
    own_cpu = statistics.median(s.own_cpu_s for s in samples)
    own = statistics.median(s.rss_mib for s in samples)
    started = statistics.median(s.started_rss_mib for s in samples)
    both = statistics.median(s.rss_mib + s.started_rss_mib for s in samples)
    verdict = "met" if wall <= seconds and (mib is None or both <= mib) else "MISSED"
    target = f"≤ {seconds:g} s" + (f", ≤ {mib:g} MiB" if mib else "")
    peak = f"{own:.0f} + {started:.0f} = {both:.0f}" if started else f"{own:.0f}"
    cpu_text = f"{cpu:5.2f} s CPU" + (f" ({own_cpu:.2f} s its own)" if started else "")
    print(f"{name:<26} {wall:6.2f} s wall  {cpu_text}  {peak:>15} MiB  ({len(samples)} runs: "
          f"{', '.join(f'{s.wall_s:.2f}' for s in samples)} s)  target {target}: {verdict}  {load()}", flush=True)
    return {"command": name, "median_s": round(wall, 2), "cpu_s": round(cpu, 2), "own_cpu_s": round(own_cpu, 2),
            "peak_rss_mib": round(both),
            "own_rss_mib": round(own), "started_rss_mib": round(started), "runs": len(samples),
            "walls_s": [round(s.wall_s, 2) for s in samples], "target": f"{target}: {verdict}", "load": load()}


def run(runs: int = 3, serve_designs: int = 5, only: str | None = None) -> list[dict[str, object]]:
    cli = _cli()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="pd-bench-startup-") as root:
        env = {**os.environ, "PD_DATA_DIR": f"{root}/data"}
        out = Path(root) / "out"
        # Warm the data directory: the first start indexes the template library.
        _timed([*cli, "design", REFUND, "--quiet", "--out", str(out)], env)
        spy = next(p for p in out.glob("*.spy") if not p.stem.endswith("_test"))
        document = spy.with_suffix(".json")
        commands = [
            ("--help", [*cli, "--help"], LIGHT_TARGET_S, None),
            ("spy check", [*cli, "spy", "check", str(spy)], LIGHT_TARGET_S, None),
            ("spy test", [*cli, "spy", "test", str(spy), str(spy.with_name(spy.stem + "_test.spy"))],
             LIGHT_TARGET_S, None),
            ("templates list", [*cli, "templates", "list"], LIGHT_TARGET_S, None),
            ("export --format mermaid", [*cli, "export", str(document), "--format", "mermaid"], LIGHT_TARGET_S, None),
            ("audit", [*cli, "audit"], LIGHT_TARGET_S, None),
            ("design (one shot)", [*cli, "design", REFUND, "--quiet"], DESIGN_TARGET_S, RSS_TARGET_MIB),
        ]
        for name, argv, seconds, mib in commands:
            if only is None or only in name:
                rows.append(_row(name, [_timed(argv, env) for _ in range(runs)], seconds, mib))
        if only is None or only in "serve":
            rss = _serve_rss(env, serve_designs)
            verdict = "met" if rss <= RSS_TARGET_MIB else "MISSED"
            rows.append({"command": f"serve after {serve_designs} designs", "median_s": "", "cpu_s": "",
                         "peak_rss_mib": round(rss), "runs": 1, "target": f"≤ {RSS_TARGET_MIB:g} MiB: {verdict}",
                         "load": load()})
            print(f"{'serve RSS after warm-up':<26} {'':>27}  {rss:5.0f} MiB  ({serve_designs} designs)  "
                  f"target ≤ {RSS_TARGET_MIB:g} MiB: {verdict}  {load()}", flush=True)
    write_results("startup", rows)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="runs per command (default 3; the median is reported)")
    parser.add_argument("--serve-designs", type=int, default=5, help="designs that warm up serve (default 5)")
    parser.add_argument("--only", help="only the commands whose name contains this (e.g. design)")
    args = parser.parse_args(argv if argv is not None else [])
    run(args.runs, args.serve_designs, args.only)


if __name__ == "__main__":
    main(sys.argv[1:])
