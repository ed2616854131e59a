"""SubtensorModule extrinsics through a running node: neuron registrations and weight settings
per second (a benchmark, not a test).

    .venv/bin/python bench/subtensor_tx_bench.py [--neurons 250] [--sealing 250|instant]

Starts `python -m pysubtensor --dev --tmp --sealing <S>` and drives it over WebSocket, as
bench/rpc_bench.py does (its connection and signing helpers):

1. setup: Alice (sudo) closes the admin freeze window, lifts subnet 1's registration limits
   (registrations per block and per interval), sets its weights rate limit to 0,
   commit-reveal off, its subtoken enabled (genesis subnet 1 is not started), its burn
   multiplier to 1 (a flat burn) and, with `--pool-depth` (100,000 TAO by default), deepens its
   pool (bench/staking_bench.py's `deep_pool_calls`: the genesis pool, 10 TAO / 10 alpha, is
   drained of alpha by the staking phase, and half-sales then fail with AmountTooLow),
   and funds the `--neurons` hotkeys (sr25519, `//bench/<i>`) with `Utility.batch_all`;
2. registrations: `--neurons` `burned_register(1, hotkey)` pre-signed from the six dev coldkeys
   (consecutive nonces), submitted with `author_submitExtrinsic`; reported: submit rate,
   inclusion rate (first send to the block with the last) and registrations per block; checked:
   `SubnetworkN` of subnet 1 afterwards;
3. weights: each registered hotkey signs `set_weights(1, [its uid], [65535], 0)` (a self-weight:
   the dev chain runs no epochs that would give validator permits, and the real runtime accepts
   a self-weight without one); reported as above; checked: `LastUpdate` of every uid moved;
4. staking: each hotkey's coldkey (with `--stakers k`, k of the six dev coldkeys per hotkey)
   `add_stake`s 1 TAO on it, then `remove_stake`s half of the alpha it got, then
   `unstake_all`s the rest (a block apart: the staking rate limiter); reported as above,
   with the calls that succeeded (included calls may fail in their block, fee paid) counted
   apart; checked: `TotalStake` after each phase.

Each sender's extrinsics stay in nonce order on one connection. Figures are indicative: the
machine is shared and the load generator competes with the node for the same cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rpc_bench import REPO, Conn, _cpu_seconds, _free_port, _own_cpu_seconds, account_key, signed_call
from staking_bench import POOL_DEPTH, deep_pool_calls

from pysubtensor import runtime
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.system.pallet import EVENT_RECORD, Event
from pysubtensor.primitives.hashing import blake2_128, blake2_256, storage_prefix
from pysubtensor.primitives.keyring import DEV_ACCOUNTS, Keypair
from pysubtensor.primitives.scale import U64, Vec

runtime.wire()  # the runtime's event enum, to read `System.Events`
EVENTS = Vec(EVENT_RECORD)
ExtrinsicFailed = Event.ExtrinsicFailed
EVENTS_KEY = "0x" + storage_prefix("System", "Events").hex()
_SUBTENSOR_ERRORS = {v.error_index: k for k, v in vars(Error).items() if isinstance(v, type) and hasattr(v, "error_index")}

NETUID = 1
TAO = 10**9


def _subtensor_key(item: str, *keys: bytes) -> str:
    return "0x" + (storage_prefix("SubtensorModule", item) + b"".join(keys)).hex()


def _netuid(netuid: int) -> bytes:
    """`Identity` hasher over a `u16`: the key is the SCALE bytes."""
    return netuid.to_bytes(2, "little")


def _error_name(error: Any) -> str:
    """A dispatch error as a user reads it (SubtensorModule's by name)."""
    if isinstance(error, tuple) and error[0] == "Module":
        index, code = error[1]["index"], error[1]["error"][0]
        return _SUBTENSOR_ERRORS.get(code, str(code)) if index == 7 else f"pallet {index} error {code}"
    return str(error)


class Phase:
    """One batch of pre-signed extrinsics: submitted from one connection per sender, included
    blocks counted from a `chain_subscribeNewHeads` subscription."""

    def __init__(self, label: str, per_sender: list[list[str]]) -> None:
        self.label = label
        self.per_sender = per_sender
        self.n = sum(len(x) for x in per_sender)
        # Blocks are matched by these hashes: a head arriving during the phase may still carry
        # the previous phase's extrinsics.
        self.hashes = {blake2_256(bytes.fromhex(xt[2:])) for xts in per_sender for xt in xts}

    async def run(self, session: aiohttp.ClientSession, url: str, window: int, timeout: float,
                  node_pid: int) -> str:
        if not self.n:
            return f"{self.label}: nothing to submit"
        print(f"{self.label}: submitting", flush=True)  # marks the phase's start (profilers)
        included = 0
        blocks: list[tuple[int, int]] = []
        last: list[float] = []
        done = asyncio.Event()
        admin = await Conn.open(session, url)
        tasks: set[asyncio.Task[None]] = set()

        async def count(number: int) -> None:
            nonlocal included
            block_hash = await admin.result("chain_getBlockHash", [number])
            block = await admin.result("chain_getBlock", [block_hash])
            ours = [i for i, xt in enumerate(block["block"]["extrinsics"])
                    if blake2_256(bytes.fromhex(xt[2:])) in self.hashes]
            got = len(ours)
            if got > 0:
                # What a user sees: an included call may still have failed (its fee is paid).
                raw = await admin.result("state_getStorage", [EVENTS_KEY, block_hash])
                mine = set(ours)
                for record in EVENTS.decode_all(bytes.fromhex(raw[2:])) if raw else ():
                    event = record.event[1]  # (pallet name, the pallet's event)
                    if isinstance(event, ExtrinsicFailed) and record.phase[1] in mine:
                        failures[_error_name(event.dispatch_error)] += 1
                blocks.append((number, got))
                included += got
                last[:] = [time.perf_counter()]
                if included >= self.n:
                    done.set()

        def on_head(note: dict[str, Any]) -> None:
            task = asyncio.get_running_loop().create_task(count(int(note["params"]["result"]["number"], 16)))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

        failures: Counter[str] = Counter()
        heads = await Conn.open(session, url, on_head)
        await heads.result("chain_subscribeNewHeads", [])
        senders = [await Conn.open(session, url) for _ in self.per_sender]
        errors: list[str] = []

        async def submit(conn: Conn, xts: list[str]) -> None:
            it = iter(xts)

            async def lane() -> None:
                for xt in it:
                    answer = await conn.call("author_submitExtrinsic", [xt])
                    if "error" in answer:
                        errors.append(str(answer["error"]))

            await asyncio.gather(*(lane() for _ in range(window)))

        node0, t0 = _cpu_seconds(node_pid), time.perf_counter()
        main0 = _own_cpu_seconds(node_pid)
        await asyncio.gather(*(submit(c, x) for c, x in zip(senders, self.per_sender, strict=True)))
        submit_s = time.perf_counter() - t0
        timed_out = False
        try:
            await asyncio.wait_for(done.wait(), timeout)
        except TimeoutError:
            timed_out = True
        wall = time.perf_counter() - t0
        node_cpu_s = _cpu_seconds(node_pid) - node0
        node_cpu, main_cpu_s = node_cpu_s / wall, _own_cpu_seconds(node_pid) - main0
        for conn in (admin, heads, *senders):
            await conn.close()
        # CPU per call is what a loaded machine moves least (the rates measure the node's share).
        lines = [f"{self.label}: {self.n} extrinsics from {len(self.per_sender)} senders, node CPU {node_cpu:.0%} "
                 f"({node_cpu_s / self.n * 1000:.2f} ms per extrinsic: main process {main_cpu_s / self.n * 1000:.2f}, "
                 f"validation worker {(node_cpu_s - main_cpu_s) / self.n * 1000:.2f})",
                 f"  submitted: {self.n / submit_s:,.0f}/s ({submit_s:.2f} s)"
                 + (f"; {len(errors)} rejected, first: {errors[0]}" if errors else "")]
        if last:
            span = last[0] - t0
            per = [c for _, c in sorted(blocks)]
            lines.append(f"  included: {included} of {self.n}, {included / span:,.0f}/s from the first submission "
                         f"to the block with the last ({span:.2f} s){' [timed out]' if timed_out else ''}; "
                         f"per block: mean {sum(per) / len(per):.0f}, max {max(per)} over {len(per)} blocks")
            ok = included - sum(failures.values())
            lines.append(f"  succeeded: {ok} ({ok / span:,.0f}/s)" + (
                "; failed in their block: " + ", ".join(f"{n} {e}" for e, n in failures.most_common())
                if failures else ""))
        else:
            lines.append("  included: none" + (" [timed out]" if timed_out else ""))
        return "\n".join(lines)


async def _sudo(conn: Conn, genesis: bytes, nonce: int, calls: list[Any], timeout: float = 30.0) -> None:
    """Alice's `Sudo.sudo(Utility.batch_all(calls))`, waited for until it is in a block and the
    batch completed (a failed batch would leave the benchmark measuring errors)."""
    xt = signed_call(DEV_ACCOUNTS["Alice"], ("Sudo", ("sudo", {"call": ("Utility", ("batch_all", {"calls": calls}))})),
                     nonce, genesis)
    await conn.result("author_submitExtrinsic", [xt])
    await _await_nonce(conn, DEV_ACCOUNTS["Alice"].account_id, nonce + 1, timeout)


async def _u64_at(conn: Conn, key: str) -> int:
    raw = await conn.result("state_getStorage", [key])
    return int.from_bytes(bytes.fromhex(raw[2:]), "little") if raw else 0


async def _await_nonce(conn: Conn, who: bytes, nonce: int, timeout: float) -> None:
    """Waits until `who`'s nonce in the best block's state (not the pool's next index) reaches
    `nonce`: the extrinsic is in a block."""
    deadline = time.perf_counter() + timeout
    while True:
        raw = await conn.result("state_getStorage", [account_key(who)])
        if raw is not None and int.from_bytes(bytes.fromhex(raw[2:10]), "little") >= nonce:
            return
        if time.perf_counter() > deadline:
            raise TimeoutError("the setup extrinsic was not included")
        await asyncio.sleep(0.1)


def _start_py_spy(args: argparse.Namespace, pid: int) -> subprocess.Popen:
    """py-spy sampling the node's stacks (collapsed format) into `--py-spy` during one phase."""
    py_spy = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if py_spy is None:
        raise SystemExit("--py-spy: py-spy is not installed (pip install py-spy)")
    return subprocess.Popen([py_spy, "record", "--pid", str(pid), "--format", "raw", "--rate", "250",
                             "--output", str(args.py_spy)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def run(args: argparse.Namespace, port: int, pid: int) -> None:
    url = f"ws://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        deadline = time.perf_counter() + 60
        while True:
            try:
                conn = await Conn.open(session, url)
                break
            except aiohttp.ClientError:
                if time.perf_counter() > deadline:
                    raise
                await asyncio.sleep(0.05)
        genesis = bytes.fromhex((await conn.result("chain_getBlockHash", [0]))[2:])
        hotkeys = [Keypair.from_uri(f"//bench/{i}") for i in range(args.neurons)]
        admin = [("AdminUtils", (name, {"netuid": NETUID, **kw})) for name, kw in (
            ("sudo_set_max_registrations_per_block", {"max_registrations_per_block": 65535}),
            ("sudo_set_target_registrations_per_interval", {"target_registrations_per_interval": 65535}),
            ("sudo_set_weights_set_rate_limit", {"weights_set_rate_limit": 0}),
            ("sudo_set_commit_reveal_weights_enabled", {"enabled": False}),
            ("sudo_set_subtoken_enabled", {"subtoken_enabled": True}),  # genesis subnet 1 is not started
            # Main's burn rule multiplies the burn by 1.26 per registration (up to MaxBurn,
            # 100 TAO): 250 registrations would pour thousands of TAO into the genesis pool
            # (10 TAO / 10 alpha) and end in Swap's ReservesTooLow. A flat burn keeps them all.
            ("sudo_set_burn_increase_mult", {"burn_increase_mult": 1 << 64}),
        )]
        funding = [("Balances", ("transfer_keep_alive", {"dest": ("Id", k.account_id), "value": TAO}))
                   for k in hotkeys]
        # Root's subnet settings also wait for the admin window (AdminFreezeWindow 10 of every 11
        # blocks on the dev chain): close the window first, as a devnet script would.
        reserves = [await _u64_at(conn, _subtensor_key(item, _netuid(NETUID))) for item in ("SubnetTAO", "SubnetAlphaIn")]
        await _sudo(conn, genesis, 0, [("AdminUtils", ("sudo_set_admin_freeze_window", {"window": 0})), *admin,
                                       *deep_pool_calls(*reserves, args.pool_depth * TAO)])
        raw = await conn.result("state_getStorage", [_subtensor_key("MaxRegistrationsPerBlock", _netuid(NETUID))])
        if raw is None or int.from_bytes(bytes.fromhex(raw[2:]), "little") != 65535:
            raise RuntimeError("the sudo setup batch failed (MaxRegistrationsPerBlock unchanged)")
        alice = DEV_ACCOUNTS["Alice"]
        batch = signed_call(alice, ("Utility", ("batch_all", {"calls": funding})), 1, genesis)
        await conn.result("author_submitExtrinsic", [batch])
        await _await_nonce(conn, alice.account_id, 2, 30)
        setup_block = int((await conn.result("chain_getHeader", []))["number"], 16)

        coldkeys = list(DEV_ACCOUNTS.values())
        per_sender: list[list[str]] = [[] for _ in coldkeys]
        for i, hot in enumerate(hotkeys):
            s = i % len(coldkeys)
            nonce = len(per_sender[s]) + (2 if coldkeys[s] is alice else 0)
            call = ("SubtensorModule", ("burned_register", {"netuid": NETUID, "hotkey": hot.account_id}))
            per_sender[s].append(signed_call(coldkeys[s], call, nonce, genesis))
        print(await Phase("burned_register", per_sender).run(session, url, args.window, args.timeout, pid),
              flush=True)
        n_key = _subtensor_key("SubnetworkN", _netuid(NETUID))
        count = int.from_bytes(bytes.fromhex((await conn.result("state_getStorage", [n_key]))[2:]), "little")
        print(f"  SubnetworkN[{NETUID}] = {count} afterwards", flush=True)

        uids = {}
        for hot in hotkeys:
            raw = await conn.result("state_getStorage", [_subtensor_key(
                "Uids", _netuid(NETUID), blake2_128(hot.account_id) + hot.account_id)])
            if raw is not None:
                uids[hot.account_id] = int.from_bytes(bytes.fromhex(raw[2:]), "little")
        signed = [signed_call(hot, ("SubtensorModule", ("set_weights", {
            "netuid": NETUID, "dests": [uids[hot.account_id]], "weights": [65535], "version_key": 0})), 0, genesis)
            for hot in hotkeys if hot.account_id in uids]
        # One extrinsic per hotkey (nonce 0 each): spread over as many connections as senders above.
        weights = [signed[k::len(coldkeys)] for k in range(len(coldkeys))]
        print(await Phase("set_weights (self-weight)", weights).run(session, url, args.window, args.timeout, pid),
              flush=True)
        raw = await conn.result("state_getStorage", [_subtensor_key("LastUpdate", _netuid(NETUID))])
        last_update = Vec(U64).decode(bytes.fromhex(raw[2:]))[0] if raw else []
        moved = sum(1 for uid in uids.values() if uid < len(last_update) and last_update[uid] > setup_block)
        print(f"  LastUpdate moved for {moved} of {len(uids)} uids", flush=True)

        # Staking: each dev coldkey stakes 1 TAO on its share of the registered hotkeys (with
        # `--stakers k`, k coldkeys per hotkey), then (a block later: the staking rate limiter
        # lasts one block) unstakes half of each position's alpha, then (again a block later)
        # all of the rest.
        targets = [hot for hot in hotkeys if hot.account_id in uids]
        pairs = [(hot, coldkeys[(i + k) % len(coldkeys)]) for k in range(args.stakers) for i, hot in enumerate(targets)]
        halves: dict[tuple[bytes, bytes], int] = {}

        async def u128_at(key: str) -> int:
            raw = await conn.result("state_getStorage", [key])
            return int.from_bytes(bytes.fromhex(raw[2:]), "little") if raw else 0

        async def read_halves() -> None:
            # A position's alpha: the hotkey's `TotalHotkeyAlpha` times the coldkey's share
            # (`Alpha`, U64F64) over the hotkey's `TotalHotkeyShares` (U64F64), floored.
            for hot, cold in pairs:
                hk = blake2_128(hot.account_id) + hot.account_id
                total = await u128_at(_subtensor_key("TotalHotkeyAlpha", hk, _netuid(NETUID)))
                shares = await u128_at(_subtensor_key("TotalHotkeyShares", hk, _netuid(NETUID)))
                share = await u128_at(_subtensor_key("Alpha", hk, blake2_128(cold.account_id) + cold.account_id,
                                                      _netuid(NETUID)))
                halves[(hot.account_id, cold.account_id)] = (total * share // shares if shares else 0) // 2

        for label, make in (
                ("add_stake", lambda hot, cold: ("add_stake", {"hotkey": hot.account_id, "netuid": NETUID,
                                                               "amount_staked": TAO})),
                ("remove_stake (half)", lambda hot, cold: ("remove_stake", {
                    "hotkey": hot.account_id, "netuid": NETUID,
                    "amount_unstaked": halves[(hot.account_id, cold.account_id)]})),
                ("unstake_all", lambda hot, cold: ("unstake_all", {"hotkey": hot.account_id}))):
            if label.startswith("remove_stake"):
                await read_halves()
            nonces = [await conn.result("system_accountNextIndex", ["0x" + c.account_id.hex()]) for c in coldkeys]
            lists: list[list[str]] = [[] for _ in coldkeys]
            for hot, cold in pairs:
                s = coldkeys.index(cold)
                lists[s].append(signed_call(cold, ("SubtensorModule", make(hot, cold)), nonces[s] + len(lists[s]),
                                            genesis))
            spy = _start_py_spy(args, pid) if args.py_spy and label.startswith(args.py_spy_phase) else None
            try:
                print(await Phase(label, lists).run(session, url, args.window, args.timeout, pid), flush=True)
            finally:
                if spy is not None:
                    spy.send_signal(signal.SIGINT)
                    spy.wait(60)
            raw = await conn.result("state_getStorage", [_subtensor_key("TotalStake")])
            print(f"  TotalStake afterwards: {int.from_bytes(bytes.fromhex(raw[2:]), 'little') if raw else 0:,} rao",
                  flush=True)
            head = int((await conn.result("chain_getHeader", []))["number"], 16)
            while int((await conn.result("chain_getHeader", []))["number"], 16) < head + 2:
                await asyncio.sleep(0.05)
        await conn.close()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sealing", default="250", help="250 (ms, the default) or instant")
    ap.add_argument("--neurons", type=int, default=250, help="hotkeys to register (subnet 1 holds 256 uids)")
    ap.add_argument("--stakers", type=int, default=1,
                    help="coldkeys staking on each hotkey (1 to 6: up to 6 x --neurons calls per staking phase)")
    ap.add_argument("--pool-depth", type=int, default=POOL_DEPTH // TAO, metavar="TAO",
                    help="TAO and alpha added to subnet 1's pool in the setup (0: the genesis pool's 10 / 10, where "
                         "most of the stake goes to the first stakers' price and many half-sales fail, AmountTooLow)")
    ap.add_argument("--window", type=int, default=16, help="submissions in flight per sender connection")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for inclusion")
    ap.add_argument("--node-log", type=Path, help="keep the node's log in this file")
    ap.add_argument("--node-arg", action="append", default=[], metavar="ARG",
                    help="one more argument for the node (repeat), e.g. --node-arg=--pool-validation-workers=0 "
                         "or --node-arg=-ltxpool=debug")
    ap.add_argument("--py-spy", type=Path, metavar="FILE",
                    help="record the node's stacks with py-spy (collapsed format) into FILE during one staking phase")
    ap.add_argument("--py-spy-phase", default="unstake_all", choices=("add_stake", "remove_stake", "unstake_all"),
                    help="the staking phase --py-spy samples (default unstake_all)")
    args = ap.parse_args(argv)
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="subtensor-tx-bench-") as tmp:
        log_path = Path(tmp) / "node.log"
        argv_node = [sys.executable, "-m", "pysubtensor", "--dev", "--tmp", "--sealing", args.sealing,
                     "--rpc-port", str(port), "--no-prometheus", *args.node_arg]
        with log_path.open("w") as log_file:
            proc = subprocess.Popen(argv_node, cwd=REPO, stdin=subprocess.DEVNULL, stdout=log_file,
                                    stderr=subprocess.STDOUT)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; node: {' '.join(argv_node[1:])}", flush=True)
        try:
            asyncio.run(run(args, port, proc.pid))
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
            if args.node_log is not None:
                args.node_log.write_bytes(log_path.read_bytes())


if __name__ == "__main__":
    main()
