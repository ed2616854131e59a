"""Per-block coinbase benchmark: SubtensorModule's block step with many emitting subnets
(a benchmark, not a test).

    .venv/bin/python bench/coinbase_bench.py [--subnets 64] [--blocks 20]

In-process, on a fresh state built as subtensor's Rust tests build theirs (the mock's
`add_dynamic_network` through `register_network`, then registration allowed and the subtoken
enabled): `--subnets` subnets, each with its owner, a staked validator and a pool whose
reserves and moving price differ per subnet, plus root stake and a TAO weight so that the root
proportion and root alpha are in play. No epoch falls in the timed blocks (tempo 360, anchored
at the start), so each block is what most blocks are: emission split by moving price,
injection, excess TAO swapped, pending maps, moving prices and root proportion updated.
Reports, per block, the CPU time and wall time of `run_coinbase` alone and of the whole
`on_initialize` (block step), best and median over `--blocks`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support, tests.unit

import pysubtensor.pallets.subtensor as st
import pysubtensor.pallets.system as system
from pysubtensor.pallets import balances, swap
from pysubtensor.pallets.subtensor.coinbase.block_emission import get_block_emission
from pysubtensor.pallets.subtensor.coinbase.run_coinbase import run_coinbase
from pysubtensor.pallets.subtensor.coinbase.subnet_emissions import get_subnets_to_emit_to
from pysubtensor.pallets.subtensor.hooks import on_finalize, on_initialize
from pysubtensor.pallets.subtensor.neurons.logic import create_account_if_non_existent
from pysubtensor.pallets.subtensor.storage_beyond_381 import LastEpochBlock
from pysubtensor.primitives.fixed import I96F32, U96F32
from tests.support.events import capture_events
from tests.support.frame import frame_env
from tests.unit.test_subtensor_registration import acct
from tests.unit.test_subtensor_staking import StakingChain, _bind, add_dynamic_network, setup_reserves

S = st.pallet.Storage
TAO = 10**9
ROOT = 0
TEMPO = 360


def seed(chain: StakingChain, subnets: int) -> list[int]:
    S.NetworksAdded.insert(ROOT, True)
    S.SubtokenEnabled.insert(ROOT, True)
    S.SubnetLimit.put(max(S.SubnetLimit.get(), subnets + 1))
    netuids = []
    for i in range(subnets):
        owner_hk, owner_ck = acct(1_000 + i), acct(2_000 + i)
        S.NetworkLastLockCost.put(S.NetworkMinLockCost.get())  # the lock doubles per registration
        netuid = add_dynamic_network(chain, owner_hk, owner_ck)
        S.Tempo.insert(netuid, TEMPO)
        S.SubnetMovingPrice.insert(netuid, I96F32.from_num(1 + i % 7) // 10)
        setup_reserves(chain, netuid, (100 + 13 * i) * TAO, (100 + 7 * (i % 11)) * TAO)
        coldkey, hotkey = acct(3_000 + i), acct(4_000 + i)
        create_account_if_non_existent(coldkey, hotkey)
        chain.fund(coldkey, 1_000 * TAO)
        chain.call("burned_register", coldkey, netuid=netuid, hotkey=hotkey)
        chain.call("add_stake", coldkey, hotkey=hotkey, netuid=netuid, amount_staked=(10 + i) * TAO)
        if i % 4 == 0:
            chain.call("add_stake", coldkey, hotkey=hotkey, netuid=ROOT, amount_staked=50 * TAO)
        netuids.append(netuid)
    return netuids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subnets", type=int, default=64)
    parser.add_argument("--blocks", type=int, default=20)
    args = parser.parse_args()
    bind_st, bind_swap = _bind()
    with bind_st, bind_swap, frame_env(balances.pallet, st.pallet, swap.pallet) as ext, \
            capture_events(st.pallet) as events:
        system.pallet.Storage.Number.put(1)
        chain = StakingChain(ext, events)
        netuids = seed(chain, args.subnets)
        for netuid in netuids:  # no epoch in the timed blocks
            LastEpochBlock.insert(netuid, system.block.block_number())
        emitting = get_subnets_to_emit_to(netuids)
        assert len(emitting) == args.subnets, f"{len(emitting)} of {args.subnets} subnets emit"
        chain.step_block(2)  # moving prices and root proportion in place
        coinbase, step = ([], []), ([], [])
        for _ in range(args.blocks):
            number = system.block.block_number() + 1
            on_finalize(number - 1)
            chain.set_block(number)
            emission = U96F32.saturating_from_num(get_block_emission())
            wall, cpu = time.perf_counter(), time.process_time()
            run_coinbase(emission)
            coinbase[0].append(time.perf_counter() - wall)
            coinbase[1].append(time.process_time() - cpu)
            on_finalize(number)
            chain.set_block(number + 1)
            wall, cpu = time.perf_counter(), time.process_time()
            on_initialize(number + 1)
            step[0].append(time.perf_counter() - wall)
            step[1].append(time.process_time() - cpu)
        pending = sum(1 for n in netuids if S.PendingServerEmission.get(n) > 0)
    print(f"{args.subnets} emitting subnets ({pending} with pending server emission), "
          f"{args.blocks} blocks each:")
    for name, (walls, cpus) in (("run_coinbase", coinbase), ("block step (on_initialize)", step)):
        print(f"  {name}: CPU best {min(cpus) * 1000:.1f} ms, median {statistics.median(cpus) * 1000:.1f} ms; "
              f"wall best {min(walls) * 1000:.1f} ms, median {statistics.median(walls) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
