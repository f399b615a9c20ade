"""First-run figures: whole `process-designer` processes as a user starts them, warm data directory.

Each command runs ``--runs`` times (default 3) as its own process; the figure is the median wall
time and the median peak RSS (the child's own ``ru_maxrss``). ``serve`` is started once, warmed up
with a few designs over REST, and its RSS read from /proc. Targets (issue: first run):
``--help``, ``spy``, ``templates list``, ``export`` and ``audit`` ≤ 0.6 s; a one-shot ``design`` ≤ 3 s
and ≤ 400 MiB; ``serve`` ≤ 400 MiB after warm-up.

    python -m bench startup            # or: python -m bench.bench_startup --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench._figures import load, write_results

REFUND = ("When a refund request arrives, look up the order in the CRM; if the order is older than 30 days "
          "reject it; if the amount is over $500 a manager approves; issue the refund in billing; e-mail the "
          "customer; close the ticket")
LIGHT_TARGET_S = 0.6
DESIGN_TARGET_S = 3.0
RSS_TARGET_MIB = 400.0


def _cli() -> str:
    found = shutil.which("process-designer", path=str(Path(sys.executable).parent))
    assert found, "process-designer is not installed in this virtualenv; run `make install`"
    return found


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one whole process.

    CPU time is what the process itself used: on a machine shared with other work it is the
    closer estimate of the wall time the same command takes on an idle one.
    """
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    stderr = child.stderr.read().decode() if child.stderr else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[1:])} exited {child.returncode}: {stderr.strip()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve_rss(cli: str, env: dict[str, str], designs: int) -> float:
    """RSS (MiB) of `process-designer serve` after ``designs`` REST designs."""
    http = _free_port()
    serve_env = {**env, "PD_HTTP_PORT": str(http), "PD_GRPC_PORT": str(_free_port()), "PD_HOST": "127.0.0.1"}
    server = subprocess.Popen([cli, "serve"], env=serve_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def run(runs: int = 3, serve_designs: int = 5) -> list[dict[str, object]]:
    cli = _cli()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="pd-bench-startup-") as root:
        env = {**os.environ, "PD_DATA_DIR": f"{root}/data"}
        out = Path(root) / "out"
        # Warm the data directory: the first start indexes the template library.
        _timed([cli, "design", REFUND, "--quiet", "--out", str(out)], env)
        spy = next(p for p in out.glob("*.spy") if not p.stem.endswith("_test"))
        document = spy.with_suffix(".json")
        commands = [
            ("--help", [cli, "--help"], LIGHT_TARGET_S, None),
            ("spy check", [cli, "spy", "check", str(spy)], LIGHT_TARGET_S, None),
            ("spy test", [cli, "spy", "test", str(spy), str(spy.with_name(spy.stem + "_test.spy"))],
             LIGHT_TARGET_S, None),
            ("templates list", [cli, "templates", "list"], LIGHT_TARGET_S, None),
            ("export --format mermaid", [cli, "export", str(document), "--format", "mermaid"], LIGHT_TARGET_S, None),
            ("audit", [cli, "audit"], LIGHT_TARGET_S, None),
            ("design (one shot)", [cli, "design", REFUND, "--quiet"], DESIGN_TARGET_S, RSS_TARGET_MIB),
        ]
        for name, argv, seconds, mib in commands:
            samples = [_timed(argv, env) for _ in range(runs)]
            wall = statistics.median(s[0] for s in samples)
            cpu = statistics.median(s[1] for s in samples)
            rss = statistics.median(s[2] for s in samples)
            verdict = "met" if wall <= seconds and (mib is None or rss <= mib) else "MISSED"
            target = f"≤ {seconds:g} s" + (f", ≤ {mib:g} MiB" if mib else "")
            rows.append({"command": name, "median_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_rss_mib": round(rss),
                         "runs": runs, "target": f"{target}: {verdict}", "load": load()})
            print(f"{name:<26} {wall:6.2f} s wall  {cpu:5.2f} s CPU  {rss:5.0f} MiB  ({runs} runs)  "
                  f"target {target}: {verdict}  {load()}", flush=True)
        rss = _serve_rss(cli, env, serve_designs)
        verdict = "met" if rss <= RSS_TARGET_MIB else "MISSED"
        rows.append({"command": f"serve after {serve_designs} designs", "median_s": "", "cpu_s": "",
                     "peak_rss_mib": round(rss),
                     "runs": 1, "target": f"≤ {RSS_TARGET_MIB:g} MiB: {verdict}", "load": load()})
        print(f"{'serve RSS after warm-up':<26} {'':>27}  {rss:5.0f} MiB  ({serve_designs} designs)  "
              f"target ≤ {RSS_TARGET_MIB:g} MiB: {verdict}  {load()}", flush=True)
    write_results("startup", rows)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="runs per command (default 3; the median is reported)")
    parser.add_argument("--serve-designs", type=int, default=5, help="designs that warm up serve (default 5)")
    args = parser.parse_args(argv if argv is not None else [])
    run(args.runs, args.serve_designs)


if __name__ == "__main__":
    main(sys.argv[1:])
