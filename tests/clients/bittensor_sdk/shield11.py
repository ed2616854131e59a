"""bittensor 11.3.0's MEV-shield path through its own API: `Subtensor.submit_shielded(intent,
wallet)` (reads MevShield.NextKey, signs the inner extrinsic at nonce+1, encrypts it with
`bittensor_core.encrypt_mlkem768(..., include_key_hash=True)`, submits the carrier
`MevShield.submit_encrypted` at nonce, then follows the inner extrinsic's receipt). The intent
is a Transfer of AMOUNT_TAO from //Bob to //Charlie (the shielded BurnedRegister is
register11.py's).

The SDK anchors the era of both extrinsics at the finalized head; on a chain that finalizes
each block at once, a carrier included in the very next block has its era born in the parent
block and the author cannot check it (AncientBirthBlock on the parent state), exactly as the
real proposer: the carrier is applied plain and the inner one is never opened. The SDK then
reports the failure; this script tries again (at most ATTEMPTS times) and records each try.

    python shield11.py ws://127.0.0.1:9944

Prints one JSON summary as the last stdout line; exits 1 if no attempt succeeded.
"""

from __future__ import annotations

import json
import sys
import traceback
from types import SimpleNamespace
from typing import Any

import bittensor

Keypair = bittensor.sp_core.Keypair
AMOUNT_TAO = 1.5
ATTEMPTS = 8


def main(url: str) -> int:
    summary: dict[str, Any] = {"client": f"bittensor {bittensor.__version__}", "ok": False, "attempts": []}
    try:
        coldkey = Keypair.create_from_uri("//Bob")
        wallet = SimpleNamespace(coldkey=coldkey, coldkeypub=coldkey, hotkey=Keypair.create_from_uri("//Bob_hk"))
        dest = Keypair.create_from_uri("//Charlie").ss58_address
        summary.update(coldkey=coldkey.ss58_address, dest=dest)
        sub = bittensor.Subtensor(url)
        try:
            for _ in range(ATTEMPTS):
                r = sub.submit_shielded(bittensor.Transfer(dest_ss58=dest, amount_tao=AMOUNT_TAO), wallet)
                summary["attempts"].append({
                    "success": bool(r.success), "message": str(r.message), "block_hash": r.block_hash,
                    "shielded": (r.data or {}).get("shielded"),
                    "inner_extrinsic_hash": (r.data or {}).get("inner_extrinsic_hash"),
                    "events": [f"{e['module_id']}.{e['event_id']}" for e in (r.events or [])]})
                if r.success:
                    summary["ok"] = True
                    break
        finally:
            sub.close()
    except Exception as e:  # the summary carries the error
        summary["error"] = f"{type(e).__name__}: {e}"
        summary["traceback"] = traceback.format_exc()[-3000:]
    print(json.dumps(summary, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
