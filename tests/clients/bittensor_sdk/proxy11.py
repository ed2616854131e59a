"""bittensor 11's proxy flow, as a user's keep-the-coldkey-offline script runs it:
`Subtensor.execute(AddProxy(...), coldkey wallet)`, then the delegate's wallet executes a
`Transfer` with `proxy_for=<coldkey>` (the SDK wraps it in `Proxy.proxy`), then the coldkey
`RemoveProxies`. Coldkey //Charlie, delegate //Bob, recipient //Dave.

    python proxy11.py ws://127.0.0.1:9944

Prints one JSON summary as the last stdout line (per step: success, message, event
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
AMOUNT_TAO = 0.25


def _event_names(events: list) -> list[str]:
    return [f"{e['module_id']}.{e['event_id']}" for e in events]


def main(url: str) -> int:
    summary: dict[str, Any] = {"client": f"bittensor {bittensor.__version__}", "ok": False, "steps": {}}
    try:
        real, delegate = Keypair.create_from_uri("//Charlie"), Keypair.create_from_uri("//Bob")
        dest = Keypair.create_from_uri("//Dave").ss58_address
        real_wallet = SimpleNamespace(coldkey=real, coldkeypub=real, hotkey=real)
        delegate_wallet = SimpleNamespace(coldkey=delegate, coldkeypub=delegate, hotkey=delegate)
        summary.update(real=real.ss58_address, delegate=delegate.ss58_address, dest=dest)
        sub = bittensor.Subtensor(url)
        try:
            steps = (
                ("add_proxy", bittensor.AddProxy(delegate_ss58=delegate.ss58_address, proxy_type="Transfer"),
                 real_wallet, {}),
                ("proxied_transfer", bittensor.Transfer(dest_ss58=dest, amount_tao=AMOUNT_TAO), delegate_wallet,
                 {"proxy_for": real.ss58_address, "proxy_type": "Transfer"}),
                ("remove_proxies", bittensor.RemoveProxies(), real_wallet, {}),
            )
            for name, intent, wallet, kwargs in steps:
                r = sub.execute(intent, wallet, **kwargs)
                summary["steps"][name] = {"success": bool(r.success), "message": str(r.message),
                                          "events": _event_names(r.events or [])}
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
