"""SubtensorModule info runtime API benchmark: a full 256-neuron subnet, read through the
runtime API dispatcher (`runtime.apis.call`, what `state_call` runs) over the node's state
database. Prints a table (a benchmark, not a test).

    .venv/bin/python bench/subtensor_info_bench.py [--neurons 256] [--runs 20]

The subnet has every neuron registered with an owner, stake on the subnet and on root, a
served axon and prometheus, an identity for each coldkey, 256-entry per-uid vectors, full
weight and bond rows, and child-key relations for a quarter of the hotkeys (the stake
inheritance the metagraph computes). Each row is the best and the median of `--runs` calls
(result encoding included); timings on a shared machine vary.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

from pysubtensor.node.state import StateDB
from pysubtensor.pallets.subtensor.coinbase import storage as coinbase
from pysubtensor.pallets.subtensor.epoch import storage as epoch
from pysubtensor.pallets.subtensor.hierarchy.storage import ChildKeys, IdentitiesV2, ParentKeys
from pysubtensor.pallets.subtensor.neurons import storage as neurons
from pysubtensor.pallets.subtensor.rpc_info import AxonInfo, ChainIdentityV2, PrometheusInfo, SubnetIdentityV3
from pysubtensor.pallets.subtensor.serving.storage import Axons, Prometheus
from pysubtensor.pallets.subtensor.staking.storage import Owner, TotalHotkeyAlpha
from pysubtensor.pallets.subtensor.subnets import storage as subnets
from pysubtensor.pallets.subtensor.weights.storage import Weights
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.primitives.scale import U16, Vec
from pysubtensor.runtime.apis import call

NETUID = 1


class _Empty:
    def get(self, key: bytes) -> bytes | None:
        return None

    def next_key(self, key: bytes) -> bytes | None:
        return None


def subnet_state(n: int) -> dict[bytes, bytes]:
    """The storage of one subnet with `n` neurons, as key -> value."""
    ext = Externalities(_Empty())
    with using(ext):
        subnets.NetworksAdded.insert(0, True)
        subnets.NetworksAdded.insert(NETUID, True)
        subnets.SubnetIdentitiesV3.insert(NETUID, SubnetIdentityV3(b"bench", b"", b"", b"", b"", b"", b"", b""))
        neurons.SubnetworkN.insert(NETUID, n)
        neurons.MaxAllowedUids.insert(NETUID, n)
        for uid in range(n):
            hotkey, coldkey = uid.to_bytes(2, "little") * 16, (uid + 40_000).to_bytes(2, "little") * 16
            neurons.Keys.insert(NETUID, uid, hotkey)
            neurons.Uids.insert(NETUID, hotkey, uid)
            neurons.BlockAtRegistration.insert(NETUID, uid, 1_000 + uid)
            Owner.insert(hotkey, coldkey)
            TotalHotkeyAlpha.insert(hotkey, NETUID, 10**12 + uid)
            TotalHotkeyAlpha.insert(hotkey, 0, 10**11 + uid)
            coinbase.AlphaDividendsPerSubnet.insert(NETUID, hotkey, uid)
            IdentitiesV2.insert(coldkey, ChainIdentityV2(b"name", b"url", b"", b"", b"", b"", b""))
            Axons.insert(NETUID, hotkey, AxonInfo(100, 1, 0x7F000001, 8091, 4, 4, 0, 0))
            Prometheus.insert(NETUID, hotkey, PrometheusInfo(100, 1, 0x7F000001, 9090, 4))
            Weights.insert(NETUID, uid, [(j, 65_535 // (j + 1)) for j in range(n)])
            epoch.Bonds.insert(NETUID, uid, [(j, 1 + j) for j in range(n)])
            if uid % 4 == 0 and uid + 1 < n:  # a quarter of the hotkeys pass half to the next uid
                child = (uid + 1).to_bytes(2, "little") * 16
                ChildKeys.insert(hotkey, NETUID, [((1 << 63), child)])
                ParentKeys.insert(child, NETUID, [((1 << 63), hotkey)])
        for item, value in ((epoch.Rank, 1), (epoch.Trust, 2), (epoch.Consensus, 3), (epoch.Incentive, 4),
                            (epoch.Dividends, 5), (epoch.PruningScores, 6), (epoch.ValidatorTrust, 7)):
            item.insert(NETUID, [value] * n)
        epoch.Emission.insert(NETUID, [10**9] * n)
        epoch.LastUpdate.insert(NETUID, [1_000] * n)
        epoch.Active.insert(NETUID, [True] * n)
        epoch.ValidatorPermit.insert(NETUID, [uid < 64 for uid in range(n)])
    return {k: v for k, v in ext.overlay.changes().items() if v is not None}


def _times(runs: int, fn: Callable[[], object]) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def _row(name: str, value: str, target: str = "") -> None:
    print(f"| {name:<40} | {value:>22} | {target:<9} |")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--neurons", type=int, default=256)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args(argv)
    state = subnet_state(args.neurons)
    print(f"python {sys.version.split()[0]}; one subnet of {args.neurons} neurons, {len(state):,} storage entries; "
          f"{args.runs} runs each", flush=True)
    netuid = U16.encode(NETUID)
    rows = [
        ("get_metagraph", "SubnetInfoRuntimeApi_get_metagraph", netuid, "< 20 ms"),
        ("get_neurons_lite", "NeuronInfoRuntimeApi_get_neurons_lite", netuid, "< 20 ms"),
        ("get_neurons (weights, bonds)", "NeuronInfoRuntimeApi_get_neurons", netuid, ""),
        ("get_dynamic_info", "SubnetInfoRuntimeApi_get_dynamic_info", netuid, ""),
        ("get_subnet_state", "SubnetInfoRuntimeApi_get_subnet_state", netuid, ""),
        ("get_selective_metagraph (hotkeys, stake)", "SubnetInfoRuntimeApi_get_selective_metagraph",
         netuid + Vec(U16).encode([52, 67, 72]), ""),
    ]
    with tempfile.TemporaryDirectory(prefix="info-bench-") as tmp:
        db = StateDB(tmp)
        db.build_genesis(state, {}, 1)
        view = db.view()
        results = []
        for name, method, data, target in rows:
            size = len(call(method, data, Externalities(view)))
            times = _times(args.runs, lambda m=method, d=data: call(m, d, Externalities(view)))
            results.append((name, f"{min(times) * 1e3:.1f} / {statistics.median(times) * 1e3:.1f} ms", target, size))
        db.close()
    print()
    _row("method (over the state database)", "best / median", "target")
    print(f"|{'-' * 42}|{'-' * 24}|{'-' * 11}|")
    for name, value, target, _ in results:
        _row(name, value, target)
    print("\nresult sizes: " + ", ".join(f"{name.split()[0]} {size:,} B" for name, _, _, size in results))


if __name__ == "__main__":
    main()
