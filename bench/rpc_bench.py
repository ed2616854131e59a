"""JSON-RPC benchmark: prints a table of request rates, latencies and transfer throughput
(a benchmark, not a test).

    /work/venv/bin/python bench/rpc_bench.py [--sealing 250|instant] [--seconds 4] [--transfers 2000]

Starts `python -m node --dev --tmp --sealing <S> --rpc-port <free> --no-prometheus` as a
subprocess and drives it over WebSocket with aiohttp's client from this process (a separate
process from the node, on the same machine):

* reads: `state_getStorage(System.Account of Alice)` (at best: no block hash) and
  `chain_getHeader` (best), each for `--seconds` after a short warm-up, (a) over one
  connection one request at a time, (b) over one connection with `--pipeline` requests in
  flight, (c) over `--connections` connections, one request at a time on each; requests per
  second and p50/p99 latency (send to answer, as the client sees it), with the CPU the node
  and this load generator used in the phase (100% = one core);
* transfers: `--transfers` `Balances.transfer_keep_alive` extrinsics pre-signed from the six
  dev accounts (Alice…Ferdie, the only ones funded in the dev genesis; consecutive nonces
  from 0, immortal era), submitted with `author_submitExtrinsic` (one connection per sender,
  nonces in order, `--window` in flight per connection) while a seventh connection follows
  `chain_subscribeNewHeads` and fetches every new block to count its extrinsics. Reported:
  the submit rate (first send to last answer), the inclusion rate (first send to the block
  carrying the last transfer), extrinsics per block, the node's own `Prepared block …
  (N ms)` build times from its log, and the node's CPU time per transfer (from the first
  submission to the end: submission, validation, blocks, RPC), the figure to compare
  versions by on a shared machine.

  Accounting is by transaction hash: a transfer is accepted when the node answers it with
  its hash, included when a block carries it, and lost when accepted and never included;
  lost transfers are listed by sender and nonce (with the account nonces at the end).
  Refusals are counted by error code; a 1016 (pool full) is resubmitted after 0.25-2 s until
  nothing has been accepted for `--give-up` seconds (a pool stuck full). `--watch` submits
  with `author_submitAndWatchExtrinsic` and counts a transfer reported `dropped`, `invalid`
  or `usurped` apart from one lost without a status.

`--py-spy FILE` samples the node's stacks during the transfers with py-spy (if installed),
in its collapsed "raw" format, for a profile of submission, validation and block building.

The machine is shared and the load generator competes with the node for the same cores:
figures are indicative; run it twice.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pysubtensor.primitives.hashing import blake2_128, blake2_256, storage_prefix  # noqa: E402
from pysubtensor.primitives.keyring import DEV_ACCOUNTS, Keypair  # noqa: E402
from pysubtensor.primitives.scale import decode_compact  # noqa: E402
from pysubtensor.rpc.errors import TOO_MANY_SUBSCRIPTIONS  # noqa: E402
from pysubtensor.runtime import construct  # noqa: E402
from pysubtensor.runtime.era import Era  # noqa: E402
from pysubtensor.runtime.extrinsic import UncheckedExtrinsic, implicit_bytes, signing_payload  # noqa: E402
from pysubtensor.runtime.version import VERSION  # noqa: E402

_CLK_TCK = os.sysconf("SC_CLK_TCK")
_PREPARED = re.compile(r"Prepared block for proposing at (\d+) \((\d+) ms\).*extrinsics \((\d+)\)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _own_cpu_seconds(pid: int) -> float:
    """utime + stime of one process, in seconds (0 once it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


def _children(pid: int) -> list[int]:
    """The live descendants of `pid`: the node's pool validation worker, and the fork server
    it is forked from when there is one (node/validation_worker.py)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                children = [int(c) for c in task.read_text().split()]
                found.extend(children)
                todo.extend(children)
    return found


def _cpu_seconds(pid: int) -> float:
    """utime + stime of the node: its process and its live descendants (the validation worker
    runs in another process), in seconds."""
    return _own_cpu_seconds(pid) + sum(_own_cpu_seconds(c) for c in _children(pid))



def signed_hashes(extrinsics: list[str]) -> list[bytes]:
    """The transaction hashes (blake2-256 of the encoding, as the pool's) of a block's signed
    extrinsics (hex, as `chain_getBlock` gives them): the inherents (Timestamp.set, MevShield's
    key announcement, ...) are not transactions."""
    hashes = []
    for xt in extrinsics:
        raw = bytes.fromhex(xt[2:])
        _, offset = decode_compact(raw, 0)  # the length prefix
        if raw[offset] & 0x80:  # the version byte's signed bit
            hashes.append(blake2_256(raw))
    return hashes


def account_key(who: bytes) -> str:
    return "0x" + (storage_prefix("System", "Account") + blake2_128(who) + who).hex()


def signed_call(signer: Keypair, call: tuple[str, tuple[str, dict[str, Any]]], nonce: int,
                genesis_hash: bytes) -> str:
    """An immortal signed extrinsic carrying `call` (`(pallet, (call, args))`), hex, as a client
    builds it."""
    encoded = construct.RUNTIME_CALL.encode(call)
    extra = {"CheckMortality": Era(), "CheckNonce": nonce, "ChargeTransactionPayment": 0,
             "CheckMetadataHash": "Disabled"}
    implicit = implicit_bytes(spec_version=VERSION.spec_version, transaction_version=VERSION.transaction_version,
                              genesis_hash=genesis_hash, era_birth_hash=genesis_hash)
    signature = signer.sign_multi(signing_payload(encoded, extra, implicit))
    return "0x" + UncheckedExtrinsic.encode_signed(("Id", signer.account_id), signature, extra, encoded).hex()


def signed_transfer(signer: Keypair, dest: bytes, value: int, nonce: int, genesis_hash: bytes) -> str:
    """An immortal signed `transfer_keep_alive`, hex."""
    call = ("Balances", ("transfer_keep_alive", {"dest": ("Id", dest), "value": value}))
    return signed_call(signer, call, nonce, genesis_hash)


class Conn:
    """One WebSocket: requests matched to answers by id; notifications to `on_notify`."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse,
                 on_notify: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.ws = ws
        self.on_notify = on_notify
        self._next = 0
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def open(cls, session: aiohttp.ClientSession, url: str,
                   on_notify: Callable[[dict[str, Any]], None] | None = None) -> Conn:
        return cls(await session.ws_connect(url, compress=0, max_msg_size=0, autoping=True), on_notify)

    async def _read(self) -> None:
        async for msg in self.ws:
            if msg.type is not aiohttp.WSMsgType.TEXT:
                continue
            data = orjson.loads(msg.data)
            fut = self._pending.pop(data.get("id"), None) if "id" in data else None
            if fut is not None:
                fut.set_result(data)
            elif self.on_notify is not None:
                self.on_notify(data)
        for fut in self._pending.values():
            fut.set_exception(ConnectionError("the WebSocket closed"))

    async def call(self, method: str, params: list[Any]) -> dict[str, Any]:
        self._next += 1
        req_id = self._next
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[req_id] = fut
        await self.ws.send_bytes(orjson.dumps({"jsonrpc": "2.0", "id": req_id, "method": method, "params": params}))
        return await fut

    async def result(self, method: str, params: list[Any]) -> Any:
        answer = await self.call(method, params)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0
    node_cpu: float = 0.0
    own_cpu: float = 0.0

    def pct(self, q: float) -> float:
        lat = sorted(self.latencies)
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000


async def load(conns: list[Conn], per_conn: int, method: str, params: list[Any], seconds: float,
               node_pid: int, warmup: float) -> Phase:
    """`per_conn` workers on each connection, each one request at a time, for `seconds`."""
    phase = Phase()
    state = {"measure": False, "stop": False}

    async def worker(conn: Conn) -> None:
        while not state["stop"]:
            t = time.perf_counter()
            answer = await conn.call(method, params)
            if state["measure"]:
                phase.latencies.append(time.perf_counter() - t)
                if "error" in answer:
                    phase.errors += 1

    tasks = [asyncio.create_task(worker(c)) for c in conns for _ in range(per_conn)]
    await asyncio.sleep(warmup)
    node0, own0, t0 = _cpu_seconds(node_pid), time.process_time(), time.perf_counter()
    state["measure"] = True
    await asyncio.sleep(seconds)
    state["measure"] = False
    phase.wall = time.perf_counter() - t0
    phase.node_cpu = (_cpu_seconds(node_pid) - node0) / phase.wall
    phase.own_cpu = (time.process_time() - own0) / phase.wall
    state["stop"] = True
    await asyncio.gather(*tasks)
    return phase


@dataclass
class Transfers:
    n: int
    submit_s: float
    rejected: int
    first_error: str | None
    refused_full: int
    included: int
    include_s: float | None
    blocks: list[tuple[int, int, float]]  # (number, transfers in it, when its body arrived) with transfers
    sign_s: float
    node_cpu: float
    own_cpu: float
    timed_out: bool
    node_cpu_s: float = 0.0  # the node's CPU seconds from the first submission to the end
    main_cpu_s: float = 0.0  # of which its main process (the rest: the pool validation worker)
    accepted: int = 0  # answered with the transaction's hash
    lost: list[tuple[int, int]] = field(default_factory=list)  # (sender, nonce) accepted, never included
    lost_pending: int = 0  # of those, still in the pool's ready queue at the end
    nonces: list[int] = field(default_factory=list)  # the senders' account nonces at the end
    refusals: dict[int, int] = field(default_factory=dict)  # error code -> answers
    behind_refused: int = 0  # of the lost: waiting behind a nonce of theirs refused for good
    reported: dict[str, int] = field(default_factory=dict)  # --watch: not included, with this final status
    gave_up: int = 0  # refused with 1016 until no submission had been accepted for `--give-up` s


async def transfers(session: aiohttp.ClientSession, url: str, n: int, window: int, timeout: float,
                    node_pid: int, retry: bool = True, give_up: float = 120.0, watch: bool = False) -> Transfers:
    names = list(DEV_ACCOUNTS)
    keys = [DEV_ACCOUNTS[name] for name in names]
    admin = await Conn.open(session, url)
    genesis = bytes.fromhex((await admin.result("chain_getBlockHash", [0]))[2:])
    per_sender: list[list[str]] = [[] for _ in keys]
    signing = time.perf_counter()
    for i in range(n):  # round robin over the senders; each sender's nonces are consecutive
        s = i % len(keys)
        dest = keys[(s + 1) % len(keys)].account_id
        per_sender[s].append(signed_transfer(keys[s], dest, 10**9, len(per_sender[s]), genesis))
    sign_s = time.perf_counter() - signing
    # Accounting by transaction hash, not by count: a transfer is lost when the node answered
    # it with its hash and no block carries it.
    sent_as: dict[bytes, tuple[int, int]] = {
        blake2_256(bytes.fromhex(xt[2:])): (s, nonce) for s, xts in enumerate(per_sender) for nonce, xt in enumerate(xts)}
    accepted: set[bytes] = set()
    included_hashes: set[bytes] = set()
    refusals: dict[int, int] = {}

    included = 0
    target = [n]  # what must be included: n less what was refused for good
    blocks: list[tuple[int, int, float]] = []
    last_inclusion: list[float] = []
    done = asyncio.Event()
    fetches: set[asyncio.Task[None]] = set()

    async def count(number: int) -> None:
        nonlocal included
        block_hash = await admin.result("chain_getBlockHash", [number])
        block = await admin.result("chain_getBlock", [block_hash])
        arrived = time.perf_counter()
        hashes = [h for h in signed_hashes(block["block"]["extrinsics"]) if h in sent_as]
        included_hashes.update(hashes)
        got = len(hashes)
        if got > 0:
            blocks.append((number, got, arrived))
            included += got
            last_inclusion[:] = [arrived]
            if included >= target[0]:
                done.set()

    def on_head(note: dict[str, Any]) -> None:
        number = int(note["params"]["result"]["number"], 16)
        task = asyncio.get_running_loop().create_task(count(number))
        fetches.add(task)
        task.add_done_callback(fetches.discard)

    heads = await Conn.open(session, url, on_head)
    await heads.result("chain_subscribeNewHeads", [])
    # --watch: each transfer is submitted with author_submitAndWatchExtrinsic and its lane
    # waits for a final status (so at most `window` subscriptions are open per connection);
    # a transfer reported dropped/invalid/usurped is told apart from one lost without a word.
    watching: dict[str, tuple[bytes, asyncio.Future[None]]] = {}  # subscription -> (tx hash, done)
    early: dict[str, list[Any]] = {}  # statuses that arrived before the subscription's answer
    reported: dict[bytes, str] = {}  # tx hash -> dropped / invalid / usurped

    def on_status(note: dict[str, Any]) -> None:
        params = note.get("params") or {}
        sub, status = params.get("subscription"), params.get("result")
        if sub not in watching:
            early.setdefault(sub, []).append(status)
            return
        tx_hash, done = watching[sub]
        kind = status if isinstance(status, str) else next(iter(status))
        if kind in ("dropped", "invalid", "usurped"):
            reported[tx_hash] = kind
        if kind in ("dropped", "invalid", "usurped", "finalized", "finalityTimeout") and not done.done():
            done.set_result(None)

    senders = [await Conn.open(session, url, on_status if watch else None) for _ in keys]
    rejected = 0
    refused_full = 0
    first_error: list[str] = []
    progress = [time.perf_counter()]  # when a submission was last accepted
    refused_at: list[tuple[int, int]] = []  # (sender, nonce) refused for good
    gave_up = [0]  # transfers refused 1016 until the bench gave up on them

    async def submit(conn: Conn, xts: list[str]) -> None:
        nonlocal rejected
        it = iter(xts)

        async def lane() -> None:
            nonlocal rejected
            for xt in it:
                backoff = 0.25
                while True:
                    answer = await conn.call("author_submitAndWatchExtrinsic" if watch else "author_submitExtrinsic",
                                             [xt])
                    if "error" not in answer and watch:
                        tx_hash = blake2_256(bytes.fromhex(xt[2:]))
                        accepted.add(tx_hash)
                        progress[0] = time.perf_counter()
                        done = asyncio.get_running_loop().create_future()
                        watching[answer["result"]] = (tx_hash, done)
                        for status in early.pop(answer["result"], []):
                            on_status({"params": {"subscription": answer["result"], "result": status}})
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(done, timeout)
                        break
                    if "error" not in answer:
                        accepted.add(bytes.fromhex(answer["result"][2:]))
                        progress[0] = time.perf_counter()
                        break
                    code = answer["error"].get("code")
                    refusals[code] = refusals.get(code, 0) + 1
                    # 1016: the pool is full; -32006: this connection's subscriptions (--watch)
                    # are not all closed yet. Either way, as a client should, try again shortly.
                    again = code in (1016, TOO_MANY_SUBSCRIPTIONS) and retry
                    if not again and not first_error:
                        first_error.append(str(answer["error"]))
                    if not again or time.perf_counter() - progress[0] > give_up:
                        gave_up[0] += again  # nothing accepted for `give_up` s: the pool is stuck
                        rejected += 1
                        refused_at.append(sent_as[blake2_256(bytes.fromhex(xt[2:]))])
                        break
                    nonlocal refused_full
                    refused_full += code == 1016
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 2.0)

        await asyncio.gather(*(lane() for _ in range(window)))

    node0, own0, t0 = _cpu_seconds(node_pid), time.process_time(), time.perf_counter()
    main0 = _own_cpu_seconds(node_pid)
    await asyncio.gather(*(submit(c, xts) for c, xts in zip(senders, per_sender, strict=True)))
    submit_s = time.perf_counter() - t0
    target[0] = n - rejected
    if included >= target[0]:
        done.set()
    timed_out = False
    try:
        await asyncio.wait_for(done.wait(), timeout)
    except TimeoutError:
        timed_out = True
    wall = time.perf_counter() - t0
    result = Transfers(
        n=n, submit_s=submit_s, rejected=rejected, refused_full=refused_full,
        first_error=first_error[0] if first_error else None,
        included=included, include_s=(last_inclusion[0] - t0) if last_inclusion else None,
        blocks=sorted(blocks), sign_s=sign_s, node_cpu=(_cpu_seconds(node_pid) - node0) / wall,
        own_cpu=(time.process_time() - own0) / wall, timed_out=timed_out,
        node_cpu_s=_cpu_seconds(node_pid) - node0, main_cpu_s=_own_cpu_seconds(node_pid) - main0)
    nonces = []
    for key in keys:
        raw = await admin.result("state_getStorage", [account_key(key.account_id)])
        nonces.append(int.from_bytes(bytes.fromhex(raw[2:10]), "little"))
    expected = [len(x) for x in per_sender]
    if nonces != expected and not timed_out:
        print(f"warning: account nonces {nonces}, expected {expected}", flush=True)
    lost = accepted - included_hashes
    pending = {blake2_256(bytes.fromhex(x[2:])) for x in await admin.result("author_pendingExtrinsics", [])}
    result.accepted = len(accepted)
    result.lost = sorted(sent_as[h] for h in lost)
    result.lost_pending = len(lost & pending)
    result.nonces = nonces
    result.refusals = refusals
    result.gave_up = gave_up[0]
    result.reported = {kind: sum(1 for h in lost if reported.get(h) == kind) for kind in set(reported.values())}
    result.lost = sorted(sent_as[h] for h in lost if h not in reported)
    # A transfer waiting behind a nonce of its sender that was never accepted cannot be
    # included (a nonce gap the client left): counted apart from the pool's losses.
    first_refused: dict[int, int] = {}
    for sender, nonce in refused_at:
        first_refused[sender] = min(nonce, first_refused.get(sender, nonce))
    result.behind_refused = sum(1 for sender, nonce in result.lost if nonce > first_refused.get(sender, nonce))
    for conn in (admin, heads, *senders):
        await conn.close()
    return result


def _ranges(numbers: list[int]) -> str:
    """`[1, 2, 3, 7]` -> `"1-3, 7"`."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _row(cells: list[str], widths: list[int]) -> str:
    return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                             enumerate(zip(cells, widths, strict=True))) + " |"


async def _worker_settled(log_path: Path, timeout: float = 60.0) -> None:
    """Wait until the node's pool validation worker (started after RPC answers) is ready or
    off, so that the figures are of the node as it runs, not of its first seconds."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        text = log_path.read_text(errors="replace")
        if "validation worker ready" in text or "validates in the node's process" in text:
            return
        if "Idle (0 peers)" in text and "validation worker" not in text:
            return  # a node without a worker (--pool-validation-workers 0, one CPU)
        await asyncio.sleep(0.1)


async def run(args: argparse.Namespace, port: int, pid: int, log_path: Path) -> None:
    url = f"ws://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        deadline = time.perf_counter() + 60
        while True:
            try:
                probe = await Conn.open(session, url)
                break
            except aiohttp.ClientError:
                if time.perf_counter() > deadline:
                    raise
                await asyncio.sleep(0.05)
        alice = DEV_ACCOUNTS["Alice"].account_id
        reads = [("state_getStorage (Alice's System.Account)", "state_getStorage", [account_key(alice)]),
                 ("chain_getHeader", "chain_getHeader", [])]
        if await probe.result(reads[0][1], reads[0][2]) is None:
            raise RuntimeError("Alice's System.Account is empty")
        await probe.close()
        await _worker_settled(log_path)

        if args.transfers_only:
            reads = []
        many = [await Conn.open(session, url) for _ in range(args.connections if reads else 0)]
        modes = [("1 WS, 1 in flight", many[:1], 1),
                 (f"1 WS, {args.pipeline} pipelined", many[:1], args.pipeline),
                 (f"{args.connections} WS, 1 in flight each", many, 1)]
        widths = [42, 26, 8, 8, 8, 9, 9]
        print(_row(["request", "load", "req/s", "p50 ms", "p99 ms", "node CPU", "bench CPU"], widths))
        print(_row(["-" * w for w in widths], widths), flush=True)
        for label, method, params in reads:
            for mode, conns, per_conn in modes:
                phase = await load(conns, per_conn, method, params, args.seconds, pid, args.warmup)
                rate = len(phase.latencies) / phase.wall
                note = f" ({phase.errors} errors)" if phase.errors else ""
                print(_row([label + note, mode, f"{rate:,.0f}", f"{phase.pct(0.5):.2f}", f"{phase.pct(0.99):.2f}",
                            f"{phase.node_cpu:.0%}", f"{phase.own_cpu:.0%}"], widths), flush=True)
        for conn in many:
            await conn.close()

        lines_before = len(log_path.read_text(errors="replace").splitlines())
        spy = None
        if args.py_spy:  # sample the node's stacks during the transfer phase only
            py_spy = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
            if py_spy is None:
                raise SystemExit("--py-spy: py-spy is not installed (pip install py-spy)")
            spy = subprocess.Popen([py_spy, "record", "--pid", str(pid), "--format", "raw", "--rate", "250",
                                    "--output", args.py_spy], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            await asyncio.sleep(1.0)
        try:
            tr = await transfers(session, url, args.transfers, args.window, args.timeout, pid,
                                 retry=not args.no_retry, give_up=args.give_up, watch=args.watch)
        finally:
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait(60)
    prepared = []
    for line in log_path.read_text(errors="replace").splitlines()[lines_before:]:
        m = _PREPARED.search(line)
        if m and int(m.group(3)) > 1:
            prepared.append((int(m.group(2)), int(m.group(3)) - 1))

    print()
    submit = f"{tr.n / tr.submit_s:,.0f} tx/s ({tr.n:,} in {tr.submit_s:.2f} s, {args.window} in flight per sender)"
    if tr.rejected:
        submit += f"; {tr.rejected} rejected, first: {tr.first_error}"
    print(f"signed transfers, sealing {args.sealing}: {len(DEV_ACCOUNTS)} senders, node CPU {tr.node_cpu:.0%}, "
          f"bench CPU {tr.own_cpu:.0%}")
    print(f"  pre-signed {tr.n:,} in {tr.sign_s:.2f} s (not timed below)")
    # The node's CPU time per transfer (submission, validation, blocks, RPC): steadier than
    # the rates on a shared machine, where the node gets what the other jobs leave.
    print(f"  node CPU: {tr.node_cpu_s / max(tr.n, 1) * 1000:.2f} ms per transfer ({tr.node_cpu:.0%} of a core): "
          f"main process {tr.main_cpu_s / max(tr.n, 1) * 1000:.2f} ms, validation worker "
          f"{(tr.node_cpu_s - tr.main_cpu_s) / max(tr.n, 1) * 1000:.2f} ms")
    method = "author_submitAndWatchExtrinsic" if args.watch else "author_submitExtrinsic"
    print(f"  submitted ({method} answered): {submit}")
    print(f"  accepted {tr.accepted:,}, refused for good {tr.rejected:,}, refused 1016 while the pool was full and "
          f"resubmitted {tr.refused_full:,}; lost (accepted, never included, no status): {len(tr.lost):,}"
          + (f", of which {tr.behind_refused:,} wait behind a nonce of theirs refused for good (a gap the "
             "client left)" if tr.behind_refused else ""))
    if tr.refusals:
        print("  refusals by error code: " + ", ".join(f"{c}: {k:,}" for c, k in sorted(tr.refusals.items())))
    if args.watch:
        told = ", ".join(f"{kind} {k:,}" for kind, k in sorted(tr.reported.items())) or "none"
        print(f"  not included but reported to their watchers: {told}")
    if tr.gave_up:
        print(f"  gave up on {tr.gave_up:,} transfers refused 1016 after nothing was accepted for {args.give_up:g} s "
              "(the pool stuck full); counted as refused for good")
    if tr.lost:
        by_sender: dict[int, list[int]] = {}
        for s, nonce in tr.lost:
            by_sender.setdefault(s, []).append(nonce)
        names = list(DEV_ACCOUNTS)
        print(f"  lost, by sender (account nonce at the end; {tr.lost_pending:,} of the lost still in the ready queue):")
        for s, lost_nonces in sorted(by_sender.items()):
            print(f"    {names[s]} (nonce {tr.nonces[s]}): {len(lost_nonces)} lost, nonces {_ranges(lost_nonces)}")
    if tr.include_s is not None:
        print(f"  included: {tr.included:,} of {tr.n:,}; {tr.included / tr.include_s:,.0f} tx/s from the first "
              f"submission to the block with the last ({tr.include_s:.2f} s)"
              + (" [timed out]" if tr.timed_out else ""))
    else:
        print("  included: none" + (" [timed out]" if tr.timed_out else ""))
    if tr.blocks:
        per = [c for _, c, _ in tr.blocks]
        print(f"  blocks with transfers: {len(per)} (#{tr.blocks[0][0]}-#{tr.blocks[-1][0]}); "
              f"transfers per block: mean {sum(per) / len(per):.0f}, max {max(per)}")
        if len(tr.blocks) > 2:  # from the first block's arrival: what the chain sustains once the pool is fed
            span = tr.blocks[-1][2] - tr.blocks[0][2]
            print(f"  steady inclusion: {sum(per[1:]) / span:,.0f} tx/s ({sum(per[1:]):,} transfers in the "
                  f"{len(per) - 1} blocks after the first, over {span:.2f} s: a block every "
                  f"{span / (tr.blocks[-1][0] - tr.blocks[0][0]) * 1000:.0f} ms)")
    if prepared:
        ms = sum(m for m, _ in prepared)
        xts = sum(x for _, x in prepared)
        print(f"  node block building (`Prepared block … (N ms)`): {ms / len(prepared):.0f} ms per block, "
              f"{ms / xts:.2f} ms per transfer")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sealing", default="250", help="250 (ms, the default) or instant")
    ap.add_argument("--seconds", type=float, default=4.0, help="measured seconds per read phase")
    ap.add_argument("--warmup", type=float, default=0.5, help="unmeasured seconds before each read phase")
    ap.add_argument("--pipeline", type=int, default=64, help="requests in flight on the pipelined connection")
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--transfers", type=int, default=2000)
    ap.add_argument("--window", type=int, default=16, help="submissions in flight per sender connection")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for inclusion after submitting")
    ap.add_argument("--transfers-only", action="store_true", help="skip the read phases")
    ap.add_argument("--watch", action="store_true",
                    help="submit with author_submitAndWatchExtrinsic: a transfer not included but reported "
                         "dropped/invalid/usurped is counted apart from lost (keep --window under 1024)")
    ap.add_argument("--give-up", type=float, default=120.0,
                    help="stop resubmitting after 1016 once nothing was accepted for this many seconds")
    ap.add_argument("--no-retry", action="store_true",
                    help="a transfer refused with 1016 (pool full) is not resubmitted (default: after 0.25-2 s)")
    ap.add_argument("--node-log", metavar="FILE", help="keep the node's log in FILE")
    ap.add_argument("--py-spy", metavar="FILE",
                    help="record the node's stacks during the transfers with py-spy (collapsed format) into FILE")
    ap.add_argument("--node-arg", action="append", default=[], metavar="ARG",
                    help="one more argument for the node (repeat), e.g. --node-arg=--pool-validation-workers=0")
    args = ap.parse_args(argv)
    # `timeout` and the like: stop the node on the way out too (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="rpc-bench-") as tmp:
        log_path = Path(tmp) / "node.log"
        argv_node = [sys.executable, "-m", "pysubtensor", "--dev", "--tmp", "--sealing", args.sealing,
                     "--rpc-port", str(port), "--no-prometheus", *args.node_arg]
        with log_path.open("w") as log_file:
            proc = subprocess.Popen(argv_node, cwd=REPO, stdin=subprocess.DEVNULL, stdout=log_file,
                                    stderr=subprocess.STDOUT)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; node: {' '.join(argv_node[1:])} "
              f"(pid {proc.pid}); {args.seconds:g} s per read phase", flush=True)
        try:
            asyncio.run(run(args, port, proc.pid, log_path))
        except BaseException:
            print("--- node log tail ---\n" + "\n".join(log_path.read_text(errors="replace").splitlines()[-30:]),
                  file=sys.stderr)
            raise
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if args.node_log:
                shutil.copyfile(log_path, args.node_log)


if __name__ == "__main__":
    main()
