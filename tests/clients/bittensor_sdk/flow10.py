"""bittensor 10.2.0's subnet life cycle as a user's script runs it, with `Subtensor` (sync) or
`AsyncSubtensor` (async), on a dev chain the test prepared through Sudo (owner freeze window 0):
the owner coldkey (URI given) creates a subnet (`register_subnet`), starts it (`start_call`),
a second coldkey burned-registers its hotkey (`burned_register`), the owner hotkey (uid 0)
sets weights (`set_weights`; the test turns commit-reveal off and the weights rate limit to 0
on the new subnet first), the owner sets a hyperparameter (`AdminUtils.sudo_set_immunity_period`
signed by the owner through the SDK's `compose_call`/`sign_and_send_extrinsic`), and the reads
(subnet info, hyperparameters, neurons lite and full, metagraph).

    python flow10.py ws://127.0.0.1:9944 WALLET_DIR sync|async PHASE [NETUID]

PHASE `create` registers and starts the subnet and registers the miner; PHASE `weights`
(after the test turned commit-reveal off) sets weights, the hyperparameter, and reads.
Prints one JSON summary as the last stdout line; exits 1 if a step failed.
"""

from __future__ import annotations

import asyncio
import json
import sys
import traceback
from typing import Any

import bittensor
from bittensor_wallet import Wallet

IMMUNITY = 77


def _result(r: Any) -> dict[str, Any]:
    return {"success": bool(r.success), "message": str(r.message), "error": str(r.error) if r.error else None}


def _wallet(wallet_dir: str, name: str, cold: str, hot: str) -> Wallet:
    w = Wallet(name=name, hotkey="default", path=wallet_dir)
    w.create_coldkey_from_uri(cold, use_password=False, overwrite=True, suppress=True)
    w.create_hotkey_from_uri(hot, use_password=False, overwrite=True, suppress=True)
    return w


async def _v(x: Any) -> Any:
    return await x if asyncio.iscoroutine(x) else x


async def main(url: str, wallet_dir: str, mode: str, phase: str, netuid: int | None) -> int:
    summary: dict[str, Any] = {"client": f"bittensor {bittensor.__version__} {mode}", "ok": False, "steps": {}}
    steps = summary["steps"]
    try:
        owner = _wallet(wallet_dir, "owner", "//Alice", "//Alice_owner_hk" + mode)
        miner = _wallet(wallet_dir, "miner", "//Bob", "//Bob_miner_hk" + mode)
        summary.update(owner_hotkey=owner.hotkey.ss58_address, miner_hotkey=miner.hotkey.ss58_address)
        if mode == "async":
            sub = bittensor.AsyncSubtensor(network=url)
            await sub.initialize()
        else:
            sub = bittensor.Subtensor(network=url)
        try:
            if phase == "create":
                before = set(await _v(sub.get_all_subnets_netuid()))
                steps["register_subnet"] = _result(await _v(sub.register_subnet(wallet=owner)))
                new = sorted(set(await _v(sub.get_all_subnets_netuid())) - before)
                netuid = summary["netuid"] = new[0] if new else None
                steps["start_call"] = _result(await _v(sub.start_call(wallet=owner, netuid=netuid)))
                steps["burned_register"] = _result(await _v(sub.burned_register(wallet=miner, netuid=netuid)))
                steps["burned_register"]["uid"] = await _v(sub.get_uid_for_hotkey_on_subnet(
                    miner.hotkey.ss58_address, netuid))
            else:
                summary["netuid"] = netuid
                r = await _v(sub.set_weights(wallet=owner, netuid=netuid, uids=[0, 1], weights=[0.25, 0.75],
                                             wait_for_finalization=False))
                steps["set_weights"] = _result(r)
                call = await _v(sub.substrate.compose_call("AdminUtils", "sudo_set_immunity_period",
                                                           {"netuid": netuid, "immunity_period": IMMUNITY}))
                steps["owner_set_immunity_period"] = _result(await _v(sub.sign_and_send_extrinsic(
                    call=call, wallet=owner, wait_for_finalization=False)))
                info = await _v(sub.get_subnet_info(netuid))
                steps["subnet_info"] = {"owner_ss58": info.owner_ss58, "subnetwork_n": info.subnetwork_n,
                                        "tempo": info.tempo, "immunity_period": info.immunity_period}
                h = await _v(sub.get_subnet_hyperparameters(netuid))
                steps["hyperparameters"] = {"immunity_period": h.immunity_period, "tempo": h.tempo,
                                            "commit_reveal_weights_enabled": h.commit_reveal_weights_enabled}
                lite = await _v(sub.neurons_lite(netuid))
                full = await _v(sub.neurons(netuid))
                steps["neurons_lite"] = [{"uid": n.uid, "hotkey": n.hotkey, "coldkey": n.coldkey} for n in lite]
                steps["neurons"] = [{"uid": n.uid, "hotkey": n.hotkey, "weights": [list(w) for w in n.weights]}
                                    for n in full]
                m = await _v(sub.metagraph(netuid))
                steps["metagraph"] = {"n": int(m.n), "hotkeys": list(m.hotkeys), "uids": [int(u) for u in m.uids]}
        finally:
            await _v(sub.close())
        failed = [name for name, step in steps.items() if isinstance(step, dict) and step.get("success") is False]
        if failed:
            summary["failed"] = failed[0]
        summary["ok"] = not failed
    except Exception as e:  # the summary carries the error
        summary["error"] = f"{type(e).__name__}: {e}"
        summary["traceback"] = traceback.format_exc()[-3000:]
    print(json.dumps(summary, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4],
                              int(sys.argv[5]) if len(sys.argv) > 5 else None)))
