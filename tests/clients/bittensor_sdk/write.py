"""bittensor 10's write flows that a dev chain without the Swap pallet runs, as a user's script
does: a wallet made from dev URIs (coldkey //Alice, the chain's sudo key; hotkey //Alice_hk),
`root_register`, `serve_axon` on the root network, and an AdminUtils hyperparameter set
wrapped in `Sudo.sudo` through the SDK's own `compose_call` / `sign_and_send_extrinsic`.

    python write.py ws://127.0.0.1:9944 WALLET_DIR

Prints one JSON summary as the last stdout line (per step: success, message, what the SDK
reads back); exits 1 if a step failed.
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any

import bittensor
from bittensor_wallet import Wallet

NETUID = 1
AXON_IP, AXON_PORT = "1.2.3.4", 8091


def _result(r: Any) -> dict[str, Any]:
    return {"success": bool(r.success), "message": str(r.message), "error": str(r.error) if r.error else None}


def main(url: str, wallet_dir: str) -> int:
    summary: dict[str, Any] = {"client": f"bittensor {bittensor.__version__}", "ok": False, "steps": {}}
    try:
        wallet = Wallet(name="alice", hotkey="default", path=wallet_dir)
        wallet.create_coldkey_from_uri("//Alice", use_password=False, overwrite=True, suppress=True)
        wallet.create_hotkey_from_uri("//Alice_hk", use_password=False, overwrite=True, suppress=True)
        summary["coldkey"], summary["hotkey"] = wallet.coldkeypub.ss58_address, wallet.hotkey.ss58_address
        sub = bittensor.Subtensor(network=url)
        try:
            steps = summary["steps"]
            steps["root_register"] = _result(sub.root_register(wallet=wallet))
            steps["root_register"]["registered"] = sub.is_hotkey_registered(wallet.hotkey.ss58_address, netuid=0)
            steps["root_register"]["uid"] = sub.get_uid_for_hotkey_on_subnet(wallet.hotkey.ss58_address, 0)

            axon = bittensor.Axon(wallet=wallet, ip=AXON_IP, port=AXON_PORT, external_ip=AXON_IP,
                                  external_port=AXON_PORT)
            steps["serve_axon"] = _result(sub.serve_axon(netuid=0, axon=axon))
            served = sub.neuron_for_uid(steps["root_register"]["uid"], 0).axon_info
            steps["serve_axon"]["axon"] = {"ip": served.ip, "port": served.port}

            before = sub.commit_reveal_enabled(NETUID)
            inner = sub.substrate.compose_call("AdminUtils", "sudo_set_commit_reveal_weights_enabled",
                                               {"netuid": NETUID, "enabled": not before})
            call = sub.substrate.compose_call("Sudo", "sudo", {"call": inner})
            steps["sudo_set_commit_reveal"] = _result(sub.sign_and_send_extrinsic(call=call, wallet=wallet))
            steps["sudo_set_commit_reveal"].update(before=before, after=sub.commit_reveal_enabled(NETUID))
        finally:
            sub.close()
        failed = [name for name, step in summary["steps"].items() if not step["success"]]
        if failed:
            summary["failed"] = failed[0]
        summary["ok"] = not failed
    except Exception as e:  # the summary carries the error
        summary["error"] = f"{type(e).__name__}: {e}"
        summary["traceback"] = traceback.format_exc()[-3000:]
    print(json.dumps(summary, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
