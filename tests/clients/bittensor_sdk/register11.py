"""bittensor 11.3.0 registering a neuron and setting weights as a user's script does, with a
wallet-shaped object holding dev keypairs (coldkey //Charlie, hotkey //Charlie_hk), on subnet
NETUID of a fresh dev chain:

- `Subtensor.execute(BurnedRegister(netuid))`: the intent is `mev_shield_required`, so the SDK
  reads `Burn` and `CollateralLockShare` for its burn/lock split, then sends `burned_register`
  inside `MevShield.submit_encrypted` (encrypted to `MevShield.NextKey`);
- `Subtensor.execute(SetWeights(netuid, [uid], [1.0]))`: the preflight reads
  `SubnetEpochConsensus`, `CommitRevealWeightsEnabled`, `WeightsSetRateLimit`, ...; with
  commit-reveal off (the test turns it off through Sudo first) it sends `set_mechanism_weights`;
- `Subtensor.read("metagraph", netuid=...)` before and after (the runtime API's metagraph).

    python register11.py ws://127.0.0.1:9944 NETUID

Prints one JSON summary as the last stdout line; exits 1 if a step failed.
"""

from __future__ import annotations

import json
import sys
import traceback
from types import SimpleNamespace
from typing import Any

import bittensor

Keypair = bittensor.sp_core.Keypair


def _step(r: Any) -> dict[str, Any]:
    return {"success": bool(r.success), "message": str(r.message), "block_hash": r.block_hash,
            "fee": int(r.fee.rao) if r.fee is not None else None,
            "data": {k: v for k, v in (r.data or {}).items() if isinstance(v, (str, int, bool, type(None)))},
            "events": [f"{e['module_id']}.{e['event_id']}" for e in (r.events or [])]}


def _metagraph(m: Any) -> dict[str, Any]:
    return {k: m[k] for k in ("netuid", "num_uids", "hotkeys", "coldkeys", "block_at_registration", "last_update",
                              "weights")
            if k in m}


def main(url: str, netuid: int) -> int:
    summary: dict[str, Any] = {"client": f"bittensor {bittensor.__version__}", "ok": False, "steps": {}}
    try:
        coldkey, hotkey = Keypair.create_from_uri("//Charlie"), Keypair.create_from_uri("//Charlie_hk")
        wallet = SimpleNamespace(coldkey=coldkey, coldkeypub=coldkey, hotkey=hotkey)
        summary.update(coldkey=coldkey.ss58_address, hotkey=hotkey.ss58_address)
        sub = bittensor.Subtensor(url)
        try:
            summary["steps"]["burned_register"] = _step(sub.execute(bittensor.BurnedRegister(netuid=netuid), wallet))
            m = sub.read("metagraph", netuid=netuid)
            summary["steps"]["metagraph"] = _metagraph(m)
            uid = m["hotkeys"].index(hotkey.ss58_address)
            summary["uid"] = uid
            r = sub.execute(bittensor.SetWeights(netuid=netuid, uids=[uid], weights=[1.0]), wallet)
            summary["steps"]["set_weights"] = _step(r)
            summary["steps"]["metagraph_after"] = _metagraph(sub.read("metagraph", netuid=netuid))
        finally:
            sub.close()
        failed = [name for name, step in summary["steps"].items() if step.get("success") is False]
        if failed:
            summary["failed"] = failed[0]
        summary["ok"] = not failed and "set_weights" in summary["steps"]
    except Exception as e:  # the summary carries the error
        summary["error"] = f"{type(e).__name__}: {e}"
        summary["traceback"] = traceback.format_exc()[-3000:]
    print(json.dumps(summary, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
