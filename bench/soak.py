"""Soak: a `--dev` node producing blocks while clients that never read load it; RSS over time.

    python bench/soak.py --blocks 100000 --sealing 10           # idle growth over 100k blocks
    python bench/soak.py --blocks 2000 --slow-clients 48        # plus 48 clients that never read
    python bench/soak.py --blocks 100000 --burst 1000 --slow-clients 8 --slow-waves   # dev_newBlock bursts

Each slow client is a raw socket: it upgrades to WebSocket, subscribes to new heads, finalized
heads and Alice's `System.Account`, then sends `--requests` calls of `--method` (default
`state_getMetadata`, the largest answer) and never reads a byte. They disconnect after
`--slow-seconds`; the script prints the memory every `--every` blocks, at the peak of the
attack and after the clients are gone. The node is `python -m pysubtensor --dev --tmp`, its
log in a temporary file.

Memory is that of the node and of its helper processes (the pool's validation worker and the
fork server it is forked from, node/validation_worker.py): each one's RSS, Pss and private
pages (/proc/PID/smaps_rollup), and for all of them the sum of RSS (counts shared pages once
per process: too much), the sum of Pss (each page once, split among the processes mapping it)
and, as root, the distinct physical pages (/proc/PID/pagemap; what a container's memory cgroup
counts). `Memory` says which is which.

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
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def rollup(pid: int) -> dict[str, float]:
    """/proc/PID/smaps_rollup in MiB: Rss, Pss (each resident page divided by the number of
    processes mapping it), Private_Clean/Private_Dirty (pages no other process maps), ..."""
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        if rest.endswith(" kB"):
            out[name] = int(rest.split()[0]) / 1024
    return out


def processes(node_pid: int) -> list[tuple[str, int]]:
    """The node and its descendants by role: "node"; "worker" for a process with no child
    (the pool's validation worker, a child of the node when it was spawned, of the fork server
    when it was forked); "fork server" for a descendant with children."""
    found = [("node", node_pid)]
    todo = [node_pid]
    while todo:
        parent = todo.pop()
        children: list[int] = []
        for task in Path(f"/proc/{parent}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                children += [int(c) for c in task.read_text().split()]
        for child in children:
            grand = [t for t in Path(f"/proc/{child}/task").glob("*/children") if t.read_text().split()]
            found.append(("fork server" if grand else "worker", child))
            todo.append(child)
    return found


_PFN = (1 << 55) - 1


def resident_pages(pid: int) -> set[int] | None:
    """The physical frames of `pid`'s resident pages (/proc/PID/pagemap); None when the
    frame numbers are hidden (they read as zero without CAP_SYS_ADMIN) or the file is not ours."""
    frames: set[int] = set()
    page = os.sysconf("SC_PAGE_SIZE")
    try:
        pagemap = open(f"/proc/{pid}/pagemap", "rb")
    except PermissionError:
        return None
    with pagemap:
        for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
            if line.endswith("[vsyscall]"):
                continue
            lo, hi = (int(x, 16) for x in line.split(" ", 1)[0].split("-"))
            pagemap.seek(lo // page * 8)
            entries = array("Q")
            entries.frombytes(pagemap.read((hi - lo) // page * 8))
            present = [e & _PFN for e in entries if e >> 63]
            if present and not any(present):
                return None
            frames.update(present)
    return frames


@dataclass
class Memory:
    """The memory of the node and its helper processes at one moment, in MiB.

    `rss_sum` counts a page shared by two processes twice (code, libraries, the pages a forked
    worker shares with the node); `pss_sum` counts each resident page once, divided among the
    processes mapping it, so it is what these processes cost together (less the share of
    pages, such as libpython's, that other programs on the machine map too); `unique` is the
    number of distinct physical pages the processes hold, each counted once whoever else maps
    it: what a memory cgroup holding just the node would be charged at most (None without
    root, which /proc/PID/pagemap needs to show frame numbers); `added` the part of `unique`
    the node's own pages do not cover: what the worker and the fork server cost on top of it."""

    procs: list[tuple[str, int, dict[str, float]]]
    unique: float | None
    #: Of `unique`, the pages the node itself does not hold: what its helpers add to it.
    added: float | None = None

    @property
    def rss_sum(self) -> float:
        return sum(r.get("Rss", 0.0) for _, _, r in self.procs)

    @property
    def pss_sum(self) -> float:
        return sum(r.get("Pss", 0.0) for _, _, r in self.procs)

    def describe(self) -> str:
        parts = [f"{role} {pid} RSS {r.get('Rss', 0):.0f} Pss {r.get('Pss', 0):.0f} "
                 f"private {r.get('Private_Clean', 0) + r.get('Private_Dirty', 0):.0f}"
                 for role, pid, r in self.procs]
        return "; ".join(parts)


def memory(node_pid: int, unique: bool = True) -> Memory:
    procs = []
    frames: set[int] | None = set()
    nodes = 0
    for role, pid in processes(node_pid):
        try:
            procs.append((role, pid, rollup(pid)))
            if unique and frames is not None:
                mine = resident_pages(pid)
                frames = None if mine is None else frames | mine
                if pid == node_pid and frames is not None:
                    nodes = len(frames)
        except OSError:  # gone meanwhile
            continue
    if not unique or frames is None:
        return Memory(procs, None)
    mib = os.sysconf("SC_PAGE_SIZE") / 2**20
    return Memory(procs, len(frames) * mib, (len(frames) - nodes) * mib)


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
    return (f"node anon {st.get('RssAnon', 0):.0f} file {st.get('RssFile', 0):.0f} (tables {tables}: "
            f"{table_kib / 1024:.0f}) hwm {st.get('VmHWM', 0):.0f}")


class Sampler(threading.Thread):
    """Reads the node's RSS and its helper processes' every 50 ms, and the sum of their Pss
    every 0.5 s, and keeps the largest read of each phase the main loop names ("burst",
    "clients connect", ...): where the peak comes from, which reads between bursts miss."""

    PSS_EVERY = 10  # ticks of 50 ms

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.phase = "start"
        #: phase -> {"node": (rss, anon), "rss_sum": ..., "pss_sum": ...} at its peaks
        self.peaks: dict[str, dict[str, Any]] = {}
        #: The largest of the whole run: node RSS, RSS sum, Pss sum.
        self.overall = {"node": 0.0, "rss_sum": 0.0, "pss_sum": 0.0}
        self.stop = False

    def _keep(self, phase: str, name: str, value: Any) -> None:
        peaks = self.peaks.setdefault(phase, {})
        number = value[0] if isinstance(value, tuple) else value
        old = peaks.get(name)
        if old is None or number > (old[0] if isinstance(old, tuple) else old):
            peaks[name] = value
        self.overall[name] = max(self.overall[name], number)

    def run(self) -> None:
        tick = 0
        helpers: list[int] = []
        while not self.stop:
            try:
                if tick % self.PSS_EVERY == 0:
                    procs = processes(self.pid)
                    helpers = [pid for _, pid in procs[1:]]
                    pss = 0.0
                    for _, pid in procs:
                        with contextlib.suppress(OSError):
                            pss += rollup(pid).get("Pss", 0.0)
                    self._keep(self.phase, "pss_sum", pss)
                st = _status(self.pid)
            except OSError:
                return
            rss = st.get("VmRSS", 0.0)
            total = rss
            for pid in helpers:
                with contextlib.suppress(OSError):
                    total += _status(pid).get("VmRSS", 0.0)
            phase = self.phase
            self._keep(phase, "node", (rss, st.get("RssAnon", 0.0)))
            self._keep(phase, "rss_sum", total)
            tick += 1
            time.sleep(0.05)

    def take(self) -> str:
        """The peaks since the last call, by phase (largest node RSS first), and reset."""
        peaks, self.peaks = self.peaks, {}
        order = sorted(peaks.items(), key=lambda kv: -kv[1].get("node", (0.0,))[0])
        return ", ".join(f"{k} node {v['node'][0]:.0f} (anon {v['node'][1]:.0f}) RSS sum {v['rss_sum']:.0f}"
                         + (f" Pss sum {v['pss_sum']:.0f}" if "pss_sum" in v else "")
                         for k, v in order if "node" in v)


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
        print("MiB: node = the node's RSS; RSS sum = node + fork server + worker RSS (shared pages counted in each);\n"
              "Pss sum = what the processes cost together; unique = distinct resident pages (root only)")
        print(f"{'block':>8} {'seconds':>8} {'node':>8} {'RSS sum':>8} {'Pss sum':>8} {'unique':>8}  note",
              flush=True)
        rows: list[Memory] = []

        last = [0, cpu_seconds(node.pid)]

        def row(note: str = "") -> int:
            number = int(rpc(port, "chain_getHeader")["number"], 16)
            cpu = cpu_seconds(node.pid)
            per_block = (f"; node CPU {1000 * (cpu - last[1]) / (number - last[0]):.2f} ms/block"
                         if number > last[0] else "")
            last[:] = [number, cpu]
            mem = memory(node.pid)
            rows.append(mem)
            unique = f"{mem.unique:>8.1f}" if mem.unique is not None else f"{'-':>8}"
            added = f"; the helpers add {mem.added:.1f} to the node's pages" if mem.added is not None else ""
            print(f"{number:>8} {time.monotonic() - start:>8.0f} {rss_mib(node.pid):>8.1f} {mem.rss_sum:>8.1f} "
                  f"{mem.pss_sum:>8.1f} {unique}  {note}{'; ' if note else ''}{breakdown(node.pid)}{added}; "
                  f"{mem.describe()}{per_block}; load {os.getloadavg()[0]:.1f}", flush=True)
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
        sampler.stop = True
        top = sampler.overall
        uniques = [m.unique for m in rows if m.unique is not None]
        print(f"peaks (MiB, 50 ms reads; Pss every 0.5 s): node RSS {top['node']:.1f}, RSS sum {top['rss_sum']:.1f}, "
              f"Pss sum {top['pss_sum']:.1f}; at the rows: Pss sum max {max(m.pss_sum for m in rows):.1f}"
              + (f", unique max {max(uniques):.1f}" if uniques else "")
              + (f"; the helpers add {min(m.added for m in rows if m.added is not None):.1f}-"
                 f"{max(m.added for m in rows if m.added is not None):.1f} to the node's pages" if uniques else ""),
              flush=True)
    finally:
        node.terminate()
        node.wait(30)


if __name__ == "__main__":
    main()
