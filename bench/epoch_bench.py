"""Yuma consensus benchmark: one epoch of a full subnet (a benchmark, not a test).

    .venv/bin/python bench/epoch_bench.py [--uids 256] [--validators 64] [--repeat 5] [--yuma3]

In-process, on a fresh state: `--uids` neurons with stake, the first `--validators` holding
permits and setting dense weights on every other uid (random u16 values, fixed seed), bonds
from a previous epoch in place; the time of `epoch_with_mechanisms` (mechanism 0: computation
and every storage write) is reported, best and median of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support

from pysubtensor.pallets.subtensor.epoch import run_epoch as E
from pysubtensor.pallets.subtensor.epoch.storage import LiquidAlphaOn, MaxAllowedValidators, Yuma3On
from pysubtensor.pallets.subtensor.neurons.logic import append_neuron
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.staking.accounting import increase_stake_for_hotkey_and_coldkey_on_subnet
from pysubtensor.pallets.subtensor.subnets.logic import init_new_network
from tests.support.subtensor_seed import account, chain

S = pallet.Storage
NETUID = 1


def seed(uids: int, validators: int, yuma3: bool) -> None:
    init_new_network(NETUID, 360)
    S.CommitRevealWeightsEnabled.insert(NETUID, False)
    S.MaxAllowedUids.insert(NETUID, uids)
    MaxAllowedValidators.insert(NETUID, validators)
    Yuma3On.insert(NETUID, yuma3)
    LiquidAlphaOn.insert(NETUID, yuma3)
    rng = random.Random(0)
    for uid in range(uids):
        hk = account(uid)
        append_neuron(NETUID, hk, 0)
        stake = rng.randrange(1_000, 10_000) * 10**9 if uid < validators else rng.randrange(0, 10) * 10**9
        increase_stake_for_hotkey_and_coldkey_on_subnet(hk, hk, NETUID, stake)
    S.ValidatorPermit.insert(NETUID, [uid < validators for uid in range(uids)])
    S.LastUpdate.insert(NETUID, [1] * uids)
    for v in range(validators):
        S.Weights.insert(NETUID, v, [(j, rng.randrange(1, 0xFFFF)) for j in range(uids) if j != v])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uids", type=int, default=256)
    parser.add_argument("--validators", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--yuma3", action="store_true")
    args = parser.parse_args()
    with chain(2):
        seed(args.uids, args.validators, args.yuma3)
        E.epoch_with_mechanisms(NETUID, 10**9)  # bonds in place for the timed runs
        times, cpu = [], []
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            E.epoch_with_mechanisms(NETUID, 10**9)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    kind = "Yuma3 + liquid alpha" if args.yuma3 else "Yuma classic"
    print(f"epoch ({kind}) {args.uids} uids, {args.validators} validators with dense weights: "
          f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms "
          f"(CPU: best {min(cpu) * 1000:.0f} ms, median {statistics.median(cpu) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
