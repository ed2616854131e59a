"""bittensor 11.3.0 reading a `--dev-preset` chain as a user's script does: the subnet list and
each seeded subnet's metagraph (the runtime API's), for the test to compare with the keys the
preset documents; and each subnet's next epoch block (`next_epoch_start_block`) and its
`epoch_status` (main's schedule state: `LastEpochBlock`, `PendingEpochAt`, `SubnetEpochIndex`,
`BlocksSinceLastStep`, read at one block the SDK pins).

    python seeded11.py ws://127.0.0.1:9944 NETUID [NETUID …]

Prints one JSON summary as the last stdout line; exits 1 if a read failed.
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any

import bittensor

FIELDS = ("netuid", "num_uids", "owner_hotkey", "owner_coldkey", "hotkeys", "coldkeys", "alpha_stake", "tempo")


def main(url: str, netuids: list[int]) -> int:
    summary: dict[str, Any] = {"client": f"bittensor {bittensor.__version__}", "ok": False, "metagraphs": {}}
    try:
        sub = bittensor.Subtensor(url)
        try:
            subnets = sub.read("subnets")
            summary["subnets"] = [int(info.netuid) for info in subnets]
            summary["neuron_counts"] = {str(info.netuid): int(info.neuron_count) for info in subnets}
            for netuid in netuids:
                m = sub.read("metagraph", netuid=netuid)
                summary["metagraphs"][str(netuid)] = {k: m[k] for k in FIELDS if k in m}
            # the epoch schedule, which bittensor 11 reads only through the runtime API
            summary["next_epoch"] = {str(netuid): {"block_before": int(sub.block),
                                                   "next": sub.read("next_epoch_start_block", netuid=netuid)}
                                     for netuid in netuids}
            summary["epoch_status"] = {str(netuid): sub.read("epoch_status", netuid=netuid) for netuid in netuids}
        finally:
            sub.close()
        summary["ok"] = True
    except Exception as e:
        summary["error"] = f"{type(e).__name__}: {e}"
        summary["traceback"] = traceback.format_exc()
    print(json.dumps(summary, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], [int(n) for n in sys.argv[2:]]))
