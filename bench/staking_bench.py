"""In-process staking benchmark: CPU per add_stake / remove_stake / unstake_all (a benchmark,
not a test).

    .venv/bin/python bench/staking_bench.py [--hotkeys 240] [--stakers 1] [--per-block 120] [--runs 3]
                                            [--xts FILE] [--leveldb]
                                            [--profile add_stake|remove_stake|unstake_all|calls]

Builds the dev genesis state in memory and, with the runtime's `BlockBuilder` as
bench/runtime_bench.py does (no node, pool or RPC), the setup blocks bench/subtensor_tx_bench.py
sends through a node: Alice's sudo batch (admin freeze window 0, subnet 1's registration
limits lifted, its subtoken enabled, a flat burn, its pool deepened by `--pool-depth` TAO and
alpha: `deep_pool_calls`), then `--hotkeys` `burned_register(1, hotkey)`
from the six dev coldkeys. Then three phases, each in blocks of `--per-block`, each phase's
blocks on the state the previous one left (the staking rate limiter lasts one block):

1. add_stake: each coldkey stakes 1 TAO on each hotkey it registered (with `--stakers k`, each
   hotkey is staked by k coldkeys, as bench/subtensor_tx_bench.py's `--stakers`);
2. remove_stake: each unstakes half of that position's alpha;
3. unstake_all: each unstakes the rest.

Reported per phase: CPU ms per extrinsic applied in block building (`apply_extrinsic` only),
CPU ms per extrinsic of pool validation (`validate_transaction` of each extrinsic on the state
the block is built on, as the pool does on submission), and CPU ms per block of initialize
(hooks and the timestamp inherent) plus finalize. CPU time (`time.process_time`) is steadier than wall time on a shared machine.

sr25519 signatures are randomized: `--xts FILE` keeps every signed extrinsic (setup and
phases) in FILE, written the first time, so two versions of the runtime apply the same bytes
and must reach the same state roots (printed per phase, with a digest of every block's root,
which covers the block's events). `--profile PHASE` prints cProfile's
tables of that phase's block building and pool validation instead; `--profile calls` counts
the Python function calls per extrinsic of each phase (the same on a loaded machine).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from runtime_bench import SLOT_MS, MemoryState  # noqa: E402

from pysubtensor import runtime  # noqa: E402
from pysubtensor.pallets.subtensor.coinbase.storage import SubnetAlphaIn, SubnetTAO  # noqa: E402
from pysubtensor.pallets.subtensor.staking import accounting  # noqa: E402
from pysubtensor.pallets.subtensor.subnets.logic import subnet_account_id  # noqa: E402
from pysubtensor.primitives.aura import pre_digest  # noqa: E402
from pysubtensor.primitives.externalities import Externalities, OverlayedChanges, using  # noqa: E402
from pysubtensor.primitives.hashing import blake2_256, storage_prefix  # noqa: E402
from pysubtensor.primitives.header import EMPTY_TRIE_ROOT, Header  # noqa: E402
from pysubtensor.primitives.inherents import timestamp_inherent_data  # noqa: E402
from pysubtensor.primitives.keyring import DEV_ACCOUNTS, Keypair  # noqa: E402
from pysubtensor.primitives.trie import trie_root  # noqa: E402
from pysubtensor.runtime import construct  # noqa: E402
from pysubtensor.runtime.era import Era  # noqa: E402
from pysubtensor.runtime.executive import BlockBuilder, validate_transaction  # noqa: E402
from pysubtensor.runtime.extrinsic import UncheckedExtrinsic, implicit_bytes, signing_payload  # noqa: E402
from pysubtensor.runtime.genesis import dev_genesis_config, genesis_storage  # noqa: E402
from pysubtensor.runtime.version import VERSION  # noqa: E402

NETUID = 1
TAO = 10**9
COLDKEYS = list(DEV_ACCOUNTS.values())
PHASES = ("add_stake", "remove_stake", "unstake_all")


def sign(signer: Keypair, call: tuple[str, tuple[str, dict[str, Any]]], nonce: int, genesis_hash: bytes) -> bytes:
    encoded = construct.RUNTIME_CALL.encode(call)
    extra = {"CheckMortality": Era(), "CheckNonce": nonce, "ChargeTransactionPayment": 0,
             "CheckMetadataHash": "Disabled"}
    implicit = implicit_bytes(spec_version=VERSION.spec_version, transaction_version=VERSION.transaction_version,
                              genesis_hash=genesis_hash, era_birth_hash=genesis_hash)
    return UncheckedExtrinsic.encode_signed(("Id", signer.account_id), signer.sign_multi(
        signing_payload(encoded, extra, implicit)), extra, encoded)


class Chain:
    """Blocks built one on another in memory, as the node's author builds them; with
    `leveldb` (a directory), on the node's state database instead: blocks read the parent
    state from its flat LevelDB index (one database iterator per key walk) and commit to it."""

    def __init__(self, leveldb: Path | None = None) -> None:
        items = genesis_storage(dev_genesis_config())
        self.db = None
        if leveldb is not None:
            from pysubtensor.node.state.db import StateDB

            self.db = StateDB(leveldb)
            root = self.db.build_genesis(items)
            self.state = self.db.view(root)
        else:
            self.state = MemoryState(items)
            root = trie_root(items, 1)
        self.head = Header(bytes(32), 0, root, EMPTY_TRIE_ROOT)
        self.genesis_hash = self.head.hash
        # Every block's state root (which covers its events, kept in state until the next
        # block), chained: two runtimes applying the same bytes must agree block by block.
        self.roots_digest = bytes(32)

    def block(self, xts: list[bytes], validate: bool = False, may_fail: bool = False,
              profiles: tuple[cProfile.Profile, cProfile.Profile] | None = None) -> tuple[float, float, float]:
        """Build one block of `xts` (every one must succeed); returns CPU seconds (applying
        them, validating them on the parent state (0 unless `validate`), the block's
        initialize (with the timestamp inherent) and finalize; the state root, which this
        bench computes from scratch, is left out)."""
        validating = 0.0
        if validate:
            if profiles:
                profiles[1].enable()
            c0 = time.process_time()
            for x in xts:
                validate_transaction(self.state, "External", x, self.head.hash)
            validating = time.process_time() - c0
            if profiles:
                profiles[1].disable()
        number = self.head.number + 1
        c_init = time.process_time()
        b = BlockBuilder(self.state, parent_hash=self.head.hash, number=number, digest=[pre_digest(number)])
        for x in b.inherent_extrinsics(timestamp_inherent_data(number * SLOT_MS)):
            assert b.apply_extrinsic(x).included
        c_init = time.process_time() - c_init
        if profiles:
            profiles[0].enable()
        c0 = time.process_time()
        results = [b.apply_extrinsic(x) for x in xts]
        applying = time.process_time() - c0
        if profiles:
            profiles[0].disable()
        for r in results:
            if not r.included or (r.dispatch_error is not None and not may_fail):
                raise SystemExit(f"extrinsic refused or failed in block {number}: {r!r}")
        self.failed = sum(r.dispatch_error is not None for r in results)
        c0 = time.process_time()
        block = b.finalize_block()
        hooks = c_init + time.process_time() - c0
        if self.db is not None:
            root = self.db.commit(self.db.apply(self.head.state_root, block.changes, state_version=1))
            self.state = self.db.view(root)
        else:
            self.state = self.state.applied(block.changes)
            root = trie_root(self.state.items, 1)
        self.head = block.header_with(root)
        self.roots_digest = blake2_256(self.roots_digest + self.head.state_root)
        return applying, validating, hooks

    def read(self, fn: Any, *args: Any) -> Any:
        with using(Externalities(self.state, OverlayedChanges())):
            return fn(*args)


class Signer:
    """Pre-signed extrinsics, kept in a file across runs so that two runtimes apply the same bytes."""

    def __init__(self, path: Path | None, genesis_hash: bytes) -> None:
        self.path, self.genesis_hash = path, genesis_hash
        self.saved: list[str] = json.loads(path.read_text()) if path is not None and path.exists() else []
        self.made: list[str] = []
        self.nonces = {c.account_id: 0 for c in COLDKEYS}

    def __call__(self, signer: Keypair, call: tuple[str, tuple[str, dict[str, Any]]]) -> bytes:
        nonce = self.nonces.get(signer.account_id, 0)
        self.nonces[signer.account_id] = nonce + 1
        i = len(self.made)
        xt = bytes.fromhex(self.saved[i]) if i < len(self.saved) else sign(signer, call, nonce, self.genesis_hash)
        self.made.append(xt.hex())
        return xt

    def save(self) -> None:
        if self.path is not None and not self.saved:
            self.path.write_text(json.dumps(self.made))


#: How much TAO and alpha the benches add to subnet 1's pool (both reserves, so the price
#: stays): the dev genesis pool holds 10 TAO / 10 alpha, which 1,500 stakes of 1 TAO drain of
#: its alpha; selling half of them back then pays later sellers less than the minimum stake
#: (AmountTooLow). A pool this deep moves about 1.5 % over a phase.
POOL_DEPTH = 100_000 * TAO


def deep_pool_calls(tao_reserve: int, alpha_reserve: int, depth: int) -> list[Any]:
    """Root calls that deepen subnet 1's pool by `depth` TAO and `depth` alpha, given its
    reserves now, as a devnet script would: Alice's TAO moves into the subnet account (which
    pays unstakers out), then both reserves are raised by a raw write (no call sets them)."""
    if not depth:
        return []
    alice = DEV_ACCOUNTS["Alice"]
    reserves = [(storage_prefix("SubtensorModule", item) + NETUID.to_bytes(2, "little"),
                 (value + depth).to_bytes(8, "little"))
                for item, value in (("SubnetTAO", tao_reserve), ("SubnetAlphaIn", alpha_reserve))]
    return [("Balances", ("force_transfer", {"source": ("Id", alice.account_id),
                                             "dest": ("Id", subnet_account_id(NETUID)), "value": depth})),
            ("System", ("set_storage", {"items": reserves}))]


def setup(chain: Chain, signer: Signer, hotkeys: list[Keypair], pool_depth: int = POOL_DEPTH) -> None:
    alice = DEV_ACCOUNTS["Alice"]
    admin = [("AdminUtils", (name, {"netuid": NETUID, **kw})) for name, kw in (
        ("sudo_set_max_registrations_per_block", {"max_registrations_per_block": 65535}),
        ("sudo_set_target_registrations_per_interval", {"target_registrations_per_interval": 65535}),
        ("sudo_set_subtoken_enabled", {"subtoken_enabled": True}),
        ("sudo_set_burn_increase_mult", {"burn_increase_mult": 1 << 64}),
    )]
    calls = [("AdminUtils", ("sudo_set_admin_freeze_window", {"window": 0})), *admin,
             *deep_pool_calls(chain.read(SubnetTAO.get, NETUID), chain.read(SubnetAlphaIn.get, NETUID), pool_depth)]
    chain.block([signer(alice, ("Sudo", ("sudo", {"call": ("Utility", ("batch_all", {"calls": calls}))})))])
    regs = [signer(COLDKEYS[i % len(COLDKEYS)], ("SubtensorModule", ("burned_register", {
        "netuid": NETUID, "hotkey": hot.account_id}))) for i, hot in enumerate(hotkeys)]
    for start in range(0, len(regs), 60):
        chain.block(regs[start:start + 60])


def stake_pairs(hotkeys: list[Keypair], stakers: int) -> list[tuple[Keypair, Keypair]]:
    """(hotkey, coldkey) positions in the order bench/subtensor_tx_bench.py signs them: with
    `stakers` k, each hotkey staked by k consecutive dev coldkeys, the first being the one
    that registered it (so every coldkey ends up staking through k/6 of all hotkeys)."""
    return [(hot, COLDKEYS[(i + k) % len(COLDKEYS)]) for k in range(stakers) for i, hot in enumerate(hotkeys)]


def phase_xts(chain: Chain, signer: Signer, hotkeys: list[Keypair], phase: str, stakers: int = 1) -> list[bytes]:
    out = []
    for hot, cold in stake_pairs(hotkeys, stakers):
        if phase == "add_stake":
            call = ("add_stake", {"hotkey": hot.account_id, "netuid": NETUID, "amount_staked": TAO})
        elif phase == "remove_stake":
            alpha = chain.read(accounting.get_stake_for_hotkey_and_coldkey_on_subnet, hot.account_id,
                               cold.account_id, NETUID)
            call = ("remove_stake", {"hotkey": hot.account_id, "netuid": NETUID, "amount_unstaked": alpha // 2})
        else:
            call = ("unstake_all", {"hotkey": hot.account_id})
        out.append(signer(cold, ("SubtensorModule", call)))
    return out


def run_once(args: argparse.Namespace) -> dict[str, tuple[float, float, float, str, int]]:
    if args.leveldb:
        with tempfile.TemporaryDirectory(prefix="staking-bench-") as tmp:
            chain = Chain(Path(tmp) / "state")
            try:
                return _run_phases(args, chain)
            finally:
                chain.db.close()
    return _run_phases(args, Chain())


def _run_phases(args: argparse.Namespace, chain: Chain) -> dict[str, tuple[float, float, float, str, int]]:
    signer = Signer(args.xts, chain.genesis_hash)
    hotkeys = [Keypair.from_uri(f"//bench/{i}") for i in range(args.hotkeys)]
    setup(chain, signer, hotkeys, args.pool_depth * TAO)
    out = {}
    for phase in PHASES:
        xts = phase_xts(chain, signer, hotkeys, phase, args.stakers)
        profiles = (cProfile.Profile(), cProfile.Profile()) if args.profile in (phase, "calls") else None
        applying = validating = rest = 0.0
        blocks = failed = 0
        for start in range(0, len(xts), args.per_block):
            # On a shallow pool (`--pool-depth 0`) the stakes move the price far: a late
            # half-sale may pay out less than the minimum stake and fail (AmountTooLow) in its
            # block, as through a node.
            a, v, r = chain.block(xts[start:start + args.per_block], validate=True, may_fail=True,
                                  profiles=profiles)
            failed += chain.failed
            applying += a
            validating += v
            rest += r
            blocks += 1
        if profiles and args.profile == "calls":
            print(f"{phase}: Python function calls per extrinsic: apply "
                  + ", validate ".join(f"{pstats.Stats(p).total_calls / len(xts):,.0f}" for p in profiles))
        elif profiles:
            for label, prof in zip(("block building", "pool validation"), profiles, strict=True):
                print(f"==== {phase}: {label} ====")
                pstats.Stats(prof).sort_stats("tottime").print_stats(35)
                pstats.Stats(prof).sort_stats("cumulative").print_stats(50)
        out[phase] = (applying / len(xts) * 1000, validating / len(xts) * 1000, rest / blocks * 1000,
                      f"{chain.head.state_root.hex()} (every block's: {chain.roots_digest.hex()[:16]})", failed)
    signer.save()
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hotkeys", type=int, default=240, help="hotkeys registered on subnet 1 (at most 256)")
    ap.add_argument("--per-block", type=int, default=120)
    ap.add_argument("--stakers", type=int, default=1,
                    help="coldkeys staking through each hotkey (1 to 6), as subtensor_tx_bench.py's --stakers: "
                         "each coldkey then holds positions through stakers/6 of the hotkeys")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--xts", type=Path, help="file keeping the signed extrinsics (JSON) across runs")
    ap.add_argument("--pool-depth", type=int, default=POOL_DEPTH // TAO, metavar="TAO",
                    help="TAO and alpha added to subnet 1's pool before staking (0: the genesis pool's 10 / 10, "
                         "where many remove_stake calls fail with AmountTooLow)")
    ap.add_argument("--leveldb", action="store_true",
                    help="keep the state in the node's LevelDB state database (reads and key walks as a node "
                         "does them) instead of a dict")
    ap.add_argument("--profile", choices=(*PHASES, "calls"),
                    help="print cProfile's tables of one phase, or (calls) each phase's function calls per "
                         "extrinsic (a count that does not depend on the machine's load)")
    args = ap.parse_args(argv)
    runtime.wire()
    if args.profile:
        run_once(args)
        return
    print(f"{args.hotkeys} hotkeys on subnet 1, {args.stakers} staker(s) each, in blocks of {args.per_block}, "
          f"Python {sys.version.split()[0]}; CPU ms per extrinsic")
    roots: dict[str, str] | None = None
    for run in range(args.runs):
        out = run_once(args)
        print(f"run {run + 1}: " + "; ".join(f"{p} apply {a:.3f} validate {v:.3f}" + (f" ({f} failed)" if f else "")
                                              for p, (a, v, _, _, f) in out.items())
              + "; per block (initialize, finalize): "
              + ", ".join(f"{p} {b:.1f}" for p, (_, _, b, _, _) in out.items()), flush=True)
        if args.xts is not None:
            these = {p: r for p, (_, _, _, r, _) in out.items()}
            if roots is not None and these != roots:
                raise SystemExit("state roots differ between runs")
            roots = these
    if roots is not None:
        for p, r in roots.items():
            print(f"state root after {p}: 0x{r}")


if __name__ == "__main__":
    main()
