"""In-process runtime benchmark: building blocks of signed transfers (a benchmark, not a test).

    .venv/bin/python bench/runtime_bench.py [--transfers 2000] [--per-block 500] [--runs 3] [--profile]

Builds the dev genesis state in memory, pre-signs `--transfers` `Balances.transfer_keep_alive`
extrinsics from the six funded dev accounts (consecutive nonces, immortal era), then builds
blocks of `--per-block` of them with the runtime's `BlockBuilder` (initialize, the timestamp
inherent, the transfers, finalize; state root with the node's trie), each block on the state
the previous one left, as the node's author does. No node, no pool, no RPC: this is the
runtime's own cost per transfer. Reported per run: transfers per second of block building and
ms per transfer (apply only, and with initialize/finalize/state root), and the process's CPU
time per applied transfer (steadier than wall time on a shared machine). `--profile` prints
cProfile's top entries of one run instead.

Each run starts with the runtime's memories of verified signatures and decoded extrinsics
cleared, so every transfer is decoded and verified when applied (the full cost; in a node the
pool has done both on submission). The validation figure is for transactions not seen before.

sr25519 signatures are randomized, so two processes signing the same transfers build blocks
with different roots; `--xts FILE` keeps the signed transfers in FILE (written the first
time) so that runs of two versions of the runtime can be compared root for root.
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import pstats
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pysubtensor import runtime  # noqa: E402
from pysubtensor.primitives.aura import pre_digest  # noqa: E402
from pysubtensor.primitives.header import EMPTY_TRIE_ROOT, Header  # noqa: E402
from pysubtensor.primitives.inherents import timestamp_inherent_data  # noqa: E402
from pysubtensor.primitives.keyring import DEV_ACCOUNTS  # noqa: E402
from pysubtensor.primitives.trie import trie_root  # noqa: E402
from pysubtensor.runtime import construct  # noqa: E402
from pysubtensor.runtime.era import Era  # noqa: E402
from pysubtensor.runtime.executive import BlockBuilder, forget_decoded_extrinsics, validate_transaction  # noqa: E402
from pysubtensor.runtime.extensions import forget_verified_signatures  # noqa: E402
from pysubtensor.runtime.extrinsic import UncheckedExtrinsic, implicit_bytes, signing_payload  # noqa: E402
from pysubtensor.runtime.genesis import dev_genesis_config, genesis_storage  # noqa: E402
from pysubtensor.runtime.version import VERSION  # noqa: E402

SENDERS = ("Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie")
SLOT_MS = 250


class MemoryState:
    """A committed state in a dict (the node's flat-index reads, minus LevelDB)."""

    def __init__(self, items: dict[bytes, bytes]) -> None:
        self.items = items
        self.keys = sorted(items)

    def get(self, key: bytes) -> bytes | None:
        return self.items.get(key)

    def next_key(self, key: bytes) -> bytes | None:
        i = bisect.bisect_right(self.keys, key)
        return self.keys[i] if i < len(self.keys) else None

    def applied(self, changes: dict[bytes, bytes | None]) -> MemoryState:
        items = dict(self.items)
        for k, v in changes.items():
            if v is None:
                items.pop(k, None)
            else:
                items[k] = v
        return MemoryState(items)


def signed_transfers(n: int, genesis_hash: bytes) -> list[bytes]:
    implicit = implicit_bytes(spec_version=VERSION.spec_version, transaction_version=VERSION.transaction_version,
                              genesis_hash=genesis_hash, era_birth_hash=genesis_hash)
    out = []
    for i in range(n):
        signer = DEV_ACCOUNTS[SENDERS[i % len(SENDERS)]]
        dest = DEV_ACCOUNTS[SENDERS[(i + 1) % len(SENDERS)]].account_id
        call = construct.RUNTIME_CALL.encode(("Balances", ("transfer_keep_alive",
                                                           {"dest": ("Id", dest), "value": 1_000 + i})))
        extra = {"CheckMortality": Era(), "CheckNonce": i // len(SENDERS), "ChargeTransactionPayment": 0,
                 "CheckMetadataHash": "Disabled"}
        signature = signer.sign_multi(signing_payload(call, extra, implicit))
        out.append(UncheckedExtrinsic.encode_signed(("Id", signer.account_id), signature, extra, call))
    return out


def build_chain(genesis: MemoryState, genesis_header: Header, xts: list[bytes], per_block: int,
                validated: bool = False) -> tuple[float, float, float, list[bytes]]:
    """Blocks of `per_block` transfers on top of genesis: (seconds applying transfers, seconds
    in total, CPU seconds applying, state roots). `validated`: the caller validated every
    transfer first (`prevalidate`), so applying finds it decoded and its signature verified,
    as in the node."""
    state, parent = genesis, genesis_header
    if not validated:
        forget_verified_signatures()  # each transfer is decoded and its signature verified when applied,
        forget_decoded_extrinsics()   # as in a block no pool validated first
    applying = total = cpu = 0.0
    roots = []
    for start in range(0, len(xts), per_block):
        t0 = time.perf_counter()
        number = parent.number + 1
        b = BlockBuilder(state, parent_hash=parent.hash, number=number, digest=[pre_digest(number)])
        for x in b.inherent_extrinsics(timestamp_inherent_data(number * SLOT_MS)):
            assert b.apply_extrinsic(x).included
        t1, c1 = time.perf_counter(), time.process_time()
        for x in xts[start:start + per_block]:
            r = b.apply_extrinsic(x)
            if not r.included or r.dispatch_error is not None:
                raise SystemExit(f"transfer refused or failed: {r!r}")
        applying += time.perf_counter() - t1
        cpu += time.process_time() - c1
        block = b.finalize_block()
        state = state.applied(block.changes)
        root = trie_root(state.items, 1)
        parent = block.header_with(root)
        roots.append(root)
        total += time.perf_counter() - t0
    return applying, total, cpu, roots


def prevalidate(genesis: MemoryState, genesis_header: Header, xts: list[bytes]) -> None:
    """Validate every transfer as the pool does on submission (the node's case: applying then
    finds each decoded and its signature verified)."""
    forget_verified_signatures()
    forget_decoded_extrinsics()
    for x in xts:
        validate_transaction(genesis, "External", x, genesis_header.hash)


def validate_all(state: MemoryState, genesis_header: Header, xts: list[bytes]) -> float:
    """Seconds to validate every transfer as the pool does on submission (each on the
    genesis state, a throwaway overlay per call; transactions not seen before)."""
    forget_verified_signatures()
    forget_decoded_extrinsics()
    t0 = time.perf_counter()
    for x in xts:
        validate_transaction(state, "External", x, genesis_header.hash)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--transfers", type=int, default=2000)
    ap.add_argument("--per-block", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="print cProfile's top entries of one run")
    ap.add_argument("--validated", action="store_true",
                    help="validate every transfer first, as the pool does (the node's case: applying finds it "
                         "decoded and verified)")
    ap.add_argument("--xts", type=Path, help="file keeping the signed transfers (hex lines) across runs")
    args = ap.parse_args(argv)

    runtime.wire()
    items = genesis_storage(dev_genesis_config())
    genesis_header = Header(bytes(32), 0, trie_root(items, 1), EMPTY_TRIE_ROOT)
    genesis = MemoryState(items)
    if args.xts is not None and args.xts.exists():
        xts = [bytes.fromhex(line) for line in args.xts.read_text().split()][:args.transfers]
        if len(xts) < args.transfers:
            raise SystemExit(f"{args.xts} holds only {len(xts)} transfers")
    else:
        xts = signed_transfers(args.transfers, genesis_header.hash)
        if args.xts is not None:
            args.xts.write_text("\n".join(x.hex() for x in xts))
    build_chain(genesis, genesis_header, xts[:len(SENDERS) * 4], len(SENDERS) * 4)  # warm-up

    if args.profile:
        if args.validated:
            prevalidate(genesis, genesis_header, xts)
        prof = cProfile.Profile()
        prof.enable()
        build_chain(genesis, genesis_header, xts, args.per_block, args.validated)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(40)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(60)
        return
    print(f"{args.transfers} transfer_keep_alive in blocks of {args.per_block}"
          f"{' (validated first, as in the node)' if args.validated else ''}, Python {sys.version.split()[0]}")
    last_root = None
    for run in range(args.runs):
        if args.validated:
            prevalidate(genesis, genesis_header, xts)
        applying, total, cpu, roots = build_chain(genesis, genesis_header, xts, args.per_block, args.validated)
        if last_root is not None and roots[-1] != last_root:
            raise SystemExit("state roots differ between runs")
        last_root = roots[-1]
        n = args.transfers
        validating = validate_all(genesis, genesis_header, xts[:300])
        print(f"run {run + 1}: pool validation {validating / 300 * 1000:.3f} ms per transfer; apply {n / applying:,.0f} tx/s ({applying / n * 1000:.3f} ms per transfer); "
              f"whole blocks {n / total:,.0f} tx/s ({total / n * 1000:.3f} ms per transfer); "
              f"apply CPU {cpu / n * 1000:.3f} ms per transfer")
    print(f"final state root 0x{last_root.hex()}")


if __name__ == "__main__":
    main()
