"""bittensor 11's write flows that a dev chain without the Swap pallet runs, as a user's script
does: `Subtensor.execute(intent, wallet)` with a wallet-shaped object holding dev keypairs
(coldkey //Bob, hotkey //Bob_hk): a Transfer to //Charlie, RootRegister, ServeAxon on the root
network.

    python write11.py ws://127.0.0.1:9944

Prints one JSON summary as the last stdout line (per step: success, message, fee, event
names); exits 1 if a step failed.
"""

from __future__ import annotations

import json
import sys
import traceback
from types import SimpleNamespace
from typing import Any

import bittensor

Keypair = bittensor.sp_core.Keypair
AXON_IP, AXON_PORT = "9.8.7.6", 7000
AMOUNT_TAO = 1.5


def _event_names(events: list) -> list[str]:
    return [f"{e['module_id']}.{e['event_id']}" for e in events]


def main(url: str) -> int:
    summary: dict[str, Any] = {"client": f"bittensor {bittensor.__version__}", "ok": False, "steps": {}}
    try:
        coldkey, hotkey = Keypair.create_from_uri("//Bob"), Keypair.create_from_uri("//Bob_hk")
        wallet = SimpleNamespace(coldkey=coldkey, coldkeypub=coldkey, hotkey=hotkey)
        dest = Keypair.create_from_uri("//Charlie").ss58_address
        summary.update(coldkey=coldkey.ss58_address, hotkey=hotkey.ss58_address, dest=dest)
        sub = bittensor.Subtensor(url)
        try:
            for name, intent in (("transfer", bittensor.Transfer(dest_ss58=dest, amount_tao=AMOUNT_TAO)),
                                 ("root_register", bittensor.RootRegister()),
                                 ("serve_axon", bittensor.ServeAxon(netuid=0, ip=AXON_IP, port=AXON_PORT))):
                r = sub.execute(intent, wallet)
                summary["steps"][name] = {"success": bool(r.success), "message": str(r.message),
                                          "fee": int(r.fee.rao) if r.fee is not None else None,
                                          "block_hash": r.block_hash, "events": _event_names(r.events or [])}
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
    sys.exit(main(sys.argv[1]))
