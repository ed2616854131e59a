"""btcli 9.21.2's MEV-shield path, as its shielded commands take it, with a call a chain
without the Swap pallet can run: `SubtensorInterface.sign_and_send_extrinsic(call, wallet,
mev_protection=True)` (inner extrinsic signed at the next nonce, `encrypt_extrinsic` with
`bittensor_drand.encrypt_mlkem768` to MevShield.NextKey, carrier `submit_encrypted` at the
nonce), then `wait_for_extrinsic_by_hash` for the inner extrinsic, as `btcli subnets create`
does. The call is Balances.transfer_keep_alive of AMOUNT rao from //Alice to //Bob.

    python shield_transfer.py ws://127.0.0.1:9944

Prints one JSON summary as the last stdout line; exits 1 on failure.
"""

from __future__ import annotations

import asyncio
import json
import sys
import traceback
from types import SimpleNamespace
from typing import Any

from bittensor_cli.src.bittensor.extrinsics.mev_shield import wait_for_extrinsic_by_hash
from bittensor_cli.src.bittensor.subtensor_interface import SubtensorInterface
from bittensor_wallet import Keypair

AMOUNT = 2_000_000_000


async def run(url: str) -> dict[str, Any]:
    alice, bob = Keypair.create_from_uri("//Alice"), Keypair.create_from_uri("//Bob")
    summary: dict[str, Any] = {"client": "btcli 9.21.2", "ok": False, "dest": bob.ss58_address}
    async with SubtensorInterface(url) as st:
        call = await st.substrate.compose_call("Balances", "transfer_keep_alive",
                                               {"dest": bob.ss58_address, "value": AMOUNT})
        ok, inner_hash, receipt = await st.sign_and_send_extrinsic(
            call, SimpleNamespace(coldkey=alice), wait_for_inclusion=True, mev_protection=True)
        summary.update(carrier_ok=ok, inner_hash=inner_hash)
        if not ok:
            summary["error"] = inner_hash
            return summary
        summary["carrier_block"] = receipt.block_hash
        found, error, inner = await wait_for_extrinsic_by_hash(st, inner_hash, receipt.block_hash, timeout_blocks=4)
        summary.update(inner_ok=found, inner_error=error,
                       inner_block=inner.block_hash if inner is not None else None,
                       inner_index=(await inner.extrinsic_idx) if inner is not None else None)
        summary["ok"] = bool(found)
    return summary


def main(url: str) -> int:
    try:
        summary = asyncio.run(run(url))
    except Exception as e:  # the summary carries the error
        summary = {"ok": False, "error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()[-3000:]}
    print(json.dumps(summary, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
