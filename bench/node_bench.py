"""Node start-up and idle-memory benchmark: prints a table (a benchmark, not a test).

    /work/venv/bin/python bench/node_bench.py [--runs 3] [--idle 10]

Starts `python -m node --dev` (a fresh `--tmp` chain, default 250 ms blocks) `--runs` times
and measures, from the moment the process is spawned:

* RPC ready: the first successful JSON-RPC `system_health` over HTTP on the node's port,
  when the RPC layer (`rpc.server`) is installed; otherwise the row says so and the
  process is taken as ready at its first `Imported #1` line;
* first block: the `Imported #1` log line;
* idle memory: VmRSS from /proc/<pid>/status `--idle` seconds after start (the node
  producing empty 250 ms blocks, no transactions), and the same for `--sealing manual`
  (no blocks at all).

Figures are medians over the runs; the per-run values are printed too.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rpc_ready(port: int) -> bool:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "system_health", "params": []}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=0.5) as response:
            return "result" in json.loads(response.read())
    except (OSError, ValueError):
        return False


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def one_run(*, idle: float, extra: list[str], with_rpc: bool) -> dict[str, float | None]:
    port = _free_port()
    argv = [sys.executable, "-m", "pysubtensor", "--dev", "--rpc-port", str(port), "--no-prometheus", *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[tuple[float, str]] = queue.Queue()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.put((time.perf_counter(), line))

    threading.Thread(target=read, daemon=True).start()
    result: dict[str, float | None] = {"rpc_ready": None, "first_block": None, "rss": None}
    try:
        deadline = started + 60
        expect_block = "--sealing" not in extra
        while time.perf_counter() < deadline:
            if with_rpc and result["rpc_ready"] is None and _rpc_ready(port):
                result["rpc_ready"] = time.perf_counter() - started
            try:
                at, line = lines.get(timeout=0.005)
            except queue.Empty:
                pass
            else:
                if result["first_block"] is None and "Imported #1 " in line:
                    result["first_block"] = at - started
            if proc.poll() is not None:
                raise RuntimeError(f"the node exited with {proc.returncode}")
            done_rpc = not with_rpc or result["rpc_ready"] is not None
            done_block = not expect_block or result["first_block"] is not None
            if done_rpc and done_block:
                break
        left = idle - (time.perf_counter() - started)
        if left > 0:
            time.sleep(left)
        result["rss"] = _rss_mib(proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return result


def _fmt(values: list[float | None], unit: str, scale: float = 1.0) -> tuple[str, str]:
    got = [v * scale for v in values if v is not None]
    if not got:
        return "n/a", ""
    per_run = ", ".join(f"{v:.0f}" for v in got)
    return f"{statistics.median(got):.0f} {unit}", per_run


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--idle", type=float, default=10.0, help="seconds after start to read the idle RSS")
    args = ap.parse_args(argv)
    with_rpc = importlib.util.find_spec("pysubtensor.rpc.server") is not None
    cpus = os.cpu_count()
    print(f"python {sys.version.split()[0]}, {cpus} CPUs; {args.runs} runs; JSON-RPC "
          f"{'present' if with_rpc else 'absent (rpc.server not installed)'}", flush=True)
    timer = [one_run(idle=args.idle, extra=[], with_rpc=with_rpc) for _ in range(args.runs)]
    manual = [one_run(idle=args.idle, extra=["--sealing", "manual"], with_rpc=False) for _ in range(args.runs)]
    rows = [
        ("start -> JSON-RPC ready (system_health)", *(_fmt([r["rpc_ready"] for r in timer], "ms", 1000)
                                                     if with_rpc else ("n/a", "no rpc.server")), "< 1000 ms"),
        ("start -> first block (`Imported #1`)", *_fmt([r["first_block"] for r in timer], "ms", 1000), ""),
        (f"RSS {args.idle:.0f} s after start, 250 ms blocks", *_fmt([r["rss"] for r in timer], "MiB"), "< 150 MiB"),
        (f"RSS {args.idle:.0f} s after start, --sealing manual", *_fmt([r["rss"] for r in manual], "MiB"),
         "< 150 MiB"),
    ]
    print(f"| {'measurement':<46} | {'median':>9} | {'runs':<22} | {'target':<10} |")
    print(f"| {'-' * 46} | {'-' * 9} | {'-' * 22} | {'-' * 10} |")
    for name, median, runs, target in rows:
        print(f"| {name:<46} | {median:>9} | {runs:<22} | {target:<10} |")


if __name__ == "__main__":
    main()
