"""Start-up benchmark: process start -> first JSON-RPC answers, and peak memory (a benchmark, not a test).

    python bench/startup_bench.py [--runs 7]                      # `--dev`
    python bench/startup_bench.py --chain /tmp/spec-1m.json --runs 1   # a raw chain spec (bench/big_spec.py)
    python bench/startup_bench.py --chain /tmp/spec-1m.json --runs 2 --base-path /tmp/bp   # start, then restart

Each run spawns `python -m pysubtensor <chain> --tmp --rpc-port P --no-prometheus --sealing manual`
(manual: no block is authored, so only start-up is measured; `--base-path DIR` instead of
`--tmp`: the first run creates the database, the next ones restart on it) and polls the port over HTTP:
the times are from the spawn to the first successful `system_health` answer and to the
first `chain_getHeader` answer (the genesis header), and the node's CPU time (user + system,
from /proc) by then, which the load of other processes disturbs less; the memory is VmRSS and VmHWM (peak
resident) from /proc once `chain_getHeader` has answered. Prints every run and the medians,
and the load average before and after (the machine is shared: say it with a figure).

Bytecode: the sandbox sets PYTHONDONTWRITEBYTECODE, so a fresh checkout would compile every
module on each start; an installed wheel ships compiled modules. `--compile` (default on)
runs `compileall` on the checkout first so that runs measure what an installed node does.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LAYERS = ("primitives", "pallets", "runtime", "node", "rpc", "chainspec", "pysubtensor")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answer(port: int, method: str) -> object | None:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": []}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return json.loads(response.read()).get("result")
    except (OSError, ValueError):
        return None


def _status(pid: int) -> dict[str, float]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def _cpu_seconds(pid: int) -> float:
    """utime + stime of the process so far (a figure the other sessions' load disturbs less)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(python: str, chain: list[str], timeout: float, base: list[str] | None = None) -> dict[str, float]:
    port = _free_port()
    argv = [python, "-m", "pysubtensor", *chain, *(base or ["--tmp"]), "--rpc-port", str(port), "--no-prometheus",
            "--sealing", "manual"]
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=tempfile.gettempdir(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    result: dict[str, float] = {}
    try:
        while "header" not in result:
            if proc.poll() is not None:
                raise RuntimeError(f"the node exited with {proc.returncode}")
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"not ready after {timeout:.0f} s")
            if "health" not in result:
                if _answer(port, "system_health") is not None:
                    result["health"] = time.perf_counter() - started
                else:
                    time.sleep(0.002)
                    continue
            header = _answer(port, "chain_getHeader")
            if isinstance(header, dict) and header.get("number") == "0x0":
                result["header"] = time.perf_counter() - started
        result["cpu"] = _cpu_seconds(proc.pid)
        status = _status(proc.pid)
        result["rss"], result["peak"] = status["VmRSS"], status["VmHWM"]
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--chain", help="a chain spec file (default: --dev)")
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--base-path", help="the node's base path (default --tmp): run 1 creates it, the others restart")
    ap.add_argument("--python", default=sys.executable,
                    help="the interpreter to run the node with (another checkout's, to compare)")
    ap.add_argument("--no-compile", dest="compile", action="store_false",
                    help="do not byte-compile the checkout first")
    args = ap.parse_args(argv)
    if args.compile:
        for layer in LAYERS:
            compileall.compile_dir(REPO / layer, quiet=1)
    chain = ["--chain", args.chain] if args.chain else ["--dev"]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {' '.join(chain)}; "
          f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    runs = []
    for i in range(args.runs):
        r = one_run(args.python, chain, args.timeout, ["--base-path", args.base_path] if args.base_path else None)
        runs.append(r)
        print(f"run {i + 1}: system_health {r['health'] * 1000:.0f} ms, chain_getHeader {r['header'] * 1000:.0f} ms "
              f"(CPU {r['cpu'] * 1000:.0f} ms), RSS {r['rss']:.0f} MiB, peak RSS {r['peak']:.0f} MiB", flush=True)

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(f"median of {len(runs)}: system_health {med('health') * 1000:.0f} ms, chain_getHeader "
          f"{med('header') * 1000:.0f} ms (CPU {med('cpu') * 1000:.0f} ms), RSS {med('rss'):.0f} MiB, peak RSS {med('peak'):.0f} MiB; "
          f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
