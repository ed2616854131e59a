"""Soak: a `--dev` node producing blocks while clients that never read load it; RSS over time.

    python bench/soak.py --blocks 100000 --sealing 10           # idle growth over 100k blocks
    python bench/soak.py --blocks 2000 --slow-clients 48        # plus 48 clients that never read
    python bench/soak.py --blocks 100000 --burst 1000 --slow-clients 8 --slow-waves   # dev_newBlock bursts

Each slow client is a raw socket: it upgrades to WebSocket, subscribes to new heads, finalized
heads and Alice's `System.Account`, then sends `--requests` calls of `--method` (default
`state_getMetadata`, the largest answer) and never reads a byte. They disconnect after
`--slow-seconds`; the script prints the node's RSS (from /proc) every `--every` blocks, at the
peak of the attack and after the clients are gone. The node is `python -m pysubtensor --dev
--tmp`, its log in a temporary file.

`--burst N`: the node runs with `--sealing manual` and the script asks for blocks with
`dev_newBlock {"count": N}` calls one after another (the dev helper's blocks are the chain's
real blocks, sealed and imported, as fast as the node makes them), so 100k blocks take minutes
instead of the hours of timed slots. With `--slow-waves` a new wave of `--slow-clients`
never-reading clients connects at every RSS row and the previous wave disconnects, so clients
that never read are there for the whole run; without it they come once, at the start.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ALICE_ACCOUNT_KEY = ("0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"
                     "de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(pid: int) -> dict[str, float]:
    """/proc/PID/status's memory lines in MiB (VmRSS, VmHWM, RssAnon, RssFile, ...)."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if rest.endswith(" kB"):
            out[name] = int(rest.split()[0]) / 1024
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    return _status(pid).get("VmRSS", float("nan"))


def breakdown(pid: int) -> str:
    """Where the RSS is: anonymous (heaps, Python objects, LevelDB's caches and memtables),
    file-backed (shared libraries and LevelDB's mapped tables: how many tables, how much of
    them resident), and the process's true peak so far (VmHWM)."""
    st = _status(pid)
    tables = 0
    table_kib = 0
    mapped = False
    try:
        for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
            if line[:1] in "0123456789abcdef" and "-" in line.split(" ", 1)[0]:
                mapped = line.rstrip().endswith(".ldb")
                tables += mapped
            elif mapped and line.startswith("Rss:"):
                table_kib += int(line.split()[1])
    except OSError:
        pass
    children = []  # the pool's validation worker (--pool-validation-workers): its own memory
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        children += task.read_text().split()
    workers = "".join(f"; child {c} RSS {rss_mib(int(c)):.0f}" for c in children if Path(f"/proc/{c}").exists())
    return (f"anon {st.get('RssAnon', 0):.0f} file {st.get('RssFile', 0):.0f} (tables {tables}: "
            f"{table_kib / 1024:.0f}) hwm {st.get('VmHWM', 0):.0f}{workers}")


class Sampler(threading.Thread):
    """Reads the node's RSS every 50 ms and keeps the largest read of each phase the main loop
    names ("burst", "clients connect", ...): where the peak comes from, which reads between
    bursts miss."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.phase = "start"
        self.peaks: dict[str, tuple[float, float, float]] = {}  # phase -> (rss, anon, file) at its peak
        self.stop = False

    def run(self) -> None:
        while not self.stop:
            try:
                st = _status(self.pid)
            except OSError:
                return
            rss = st.get("VmRSS", 0.0)
            phase = self.phase
            if rss > self.peaks.get(phase, (0.0,))[0]:
                self.peaks[phase] = (rss, st.get("RssAnon", 0.0), st.get("RssFile", 0.0))
            time.sleep(0.05)

    def take(self) -> str:
        """The peaks since the last call, by phase, and reset."""
        peaks, self.peaks = self.peaks, {}
        return ", ".join(f"{k} {v[0]:.0f} (anon {v[1]:.0f})" for k, v in sorted(peaks.items(), key=lambda kv: -kv[1][0]))


def rpc(port: int, method: str, params: list | None = None, timeout: float = 10) -> object:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        reply = json.loads(answer.read())
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


def _frame(payload: bytes) -> bytes:
    """A masked client text frame."""
    mask = os.urandom(4)
    n = len(payload)
    head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + n.to_bytes(2, "big")
                            if n < 65536 else bytes([0x80 | 127]) + n.to_bytes(8, "big"))
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def slow_client(port: int, method: str, requests: int) -> socket.socket:
    """Connect, upgrade, subscribe and send `requests` calls; never read after the upgrade."""
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # what a client that never reads keeps small
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += s.recv(1)
    calls = [("chain_subscribeNewHeads", []), ("chain_subscribeFinalizedHeads", []),
             ("state_subscribeStorage", [[ALICE_ACCOUNT_KEY]])]
    calls += [(method, [])] * requests
    s.setblocking(False)
    for i, (name, params) in enumerate(calls):
        try:
            s.send(_frame(json.dumps({"jsonrpc": "2.0", "id": i, "method": name, "params": params}).encode()))
        except BlockingIOError:
            break  # the node stopped reading us: what it should do
    return s


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--blocks", type=int, default=2000)
    ap.add_argument("--sealing", default="10", help="block interval in ms (default 10)")
    ap.add_argument("--every", type=int, default=500, help="print RSS every N blocks")
    ap.add_argument("--slow-clients", type=int, default=0)
    ap.add_argument("--requests", type=int, default=200, help="calls each slow client sends")
    ap.add_argument("--method", default="state_getMetadata")
    ap.add_argument("--slow-seconds", type=float, default=20.0, help="how long the slow clients stay")
    ap.add_argument("--burst", type=int, default=0, metavar="N",
                    help="blocks by dev_newBlock calls of N blocks (--sealing manual) instead of timed slots")
    ap.add_argument("--slow-waves", action="store_true",
                    help="a new wave of --slow-clients at every RSS row (the previous wave leaves)")
    args = ap.parse_args(argv)
    sealing = "manual" if args.burst else args.sealing

    port = _free_port()
    log = tempfile.NamedTemporaryFile("w", prefix="soak-", suffix=".log", delete=False)
    node = subprocess.Popen([sys.executable, "-m", "pysubtensor", "--dev", "--tmp", "--rpc-port", str(port),
                             "--sealing", sealing, "--no-prometheus"], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                rpc(port, "system_health")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        start = time.monotonic()
        print(f"node pid {node.pid}, log {log.name}")
        print(f"{'block':>8} {'seconds':>8} {'RSS MiB':>8}  note", flush=True)

        last = [0, cpu_seconds(node.pid)]

        def row(note: str = "") -> int:
            number = int(rpc(port, "chain_getHeader")["number"], 16)
            cpu = cpu_seconds(node.pid)
            per_block = (f"; node CPU {1000 * (cpu - last[1]) / (number - last[0]):.2f} ms/block"
                         if number > last[0] else "")
            last[:] = [number, cpu]
            print(f"{number:>8} {time.monotonic() - start:>8.0f} {rss_mib(node.pid):>8.1f}  {note}"
                  f"{'; ' if note else ''}{breakdown(node.pid)}{per_block}; load {os.getloadavg()[0]:.1f}",
                  flush=True)
            return number

        sampler = Sampler(node.pid)
        sampler.start()
        row("started")
        clients: list[socket.socket] = []
        if args.slow_clients and not args.slow_waves:
            sampler.phase = "clients"
            clients = [slow_client(port, args.method, args.requests) for _ in range(args.slow_clients)]
            end = time.monotonic() + args.slow_seconds
            peak = 0.0
            while time.monotonic() < end:
                time.sleep(1)
                peak = max(peak, rss_mib(node.pid))
            row(f"{args.slow_clients} slow clients connected {args.slow_seconds:.0f} s (peak {peak:.1f} MiB)")
            sampler.phase = "clients close"
            for s in clients:
                s.close()
            clients = []
            time.sleep(3)
            row("slow clients gone")
            print(f"{'':>18} peaks (MiB, by phase): {sampler.take()}", flush=True)
        peak = rss_mib(node.pid)
        next_row = args.every
        while True:
            if args.slow_waves and args.slow_clients and not clients:
                sampler.phase = "clients connect"
                clients = [slow_client(port, args.method, args.requests) for _ in range(args.slow_clients)]
                time.sleep(1)  # the node answers what they sent
            sampler.phase = "burst" if args.burst else "blocks"
            if args.burst:
                number = int(rpc(port, "chain_getHeader")["number"], 16)
                count = min(args.burst, args.blocks - number, next_row - number)
                if count > 0:
                    rpc(port, "dev_newBlock", [{"count": count}], timeout=600)
            else:
                time.sleep(0.5)
            peak = max(peak, rss_mib(node.pid))
            number = int(rpc(port, "chain_getHeader")["number"], 16)
            if number >= next_row or number >= args.blocks:
                note = f"max {peak:.1f}"
                if args.slow_waves and clients:
                    note += f"; {len(clients)} never-reading clients replaced"
                    sampler.phase = "clients close"
                    for s in clients:
                        s.close()
                    clients = []
                    time.sleep(0.5)
                row(note)
                print(f"{'':>18} peaks (MiB, by phase): {sampler.take()}", flush=True)
                next_row = (number // args.every + 1) * args.every
            if number >= args.blocks:
                break
    finally:
        node.terminate()
        node.wait(30)


if __name__ == "__main__":
    main()
