"""bittensor 10.x's subnet prices against a dev node, as a user's script reads them:

    python prices.py ws://127.0.0.1:9944 NETUID

`all_subnets()` and `get_subnet_prices()` take each price from the `Swap.AlphaSqrtPrice` map
(squared), `subnet(netuid).price` and `get_subnet_price` from
`SwapRuntimeApi.current_alpha_price`. (`get_all_subnets_info()` reads the map too, but its
`SubnetInfo` type drops the price: only its netuids are recorded.) Prints one
JSON summary as the last stdout line (prices in rao); exits 1 if a step failed.
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any

import bittensor


def main(url: str, netuid: int) -> int:
    summary: dict[str, Any] = {"client": f"bittensor {bittensor.__version__}", "ok": False, "steps": {}}
    try:
        sub = bittensor.Subtensor(network=url)
        steps = {
            "block": lambda: sub.block,
            "subnets_info_netuids": lambda: sorted(int(s.netuid) for s in sub.get_all_subnets_info()),
            "all_subnets_prices": lambda: {int(d.netuid): int(d.price.rao) for d in sub.all_subnets()},
            "subnet_price": lambda: int(sub.subnet(netuid).price.rao),
            "get_subnet_price": lambda: int(sub.get_subnet_price(netuid).rao),
            "get_subnet_prices": lambda: {int(k): int(v.rao) for k, v in sub.get_subnet_prices().items()},
        }
        for name, step in steps.items():
            try:
                summary["steps"][name] = {"value": step()}
            except Exception as e:  # the summary names the step and its error
                summary["steps"][name] = {"error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()[-3000:]}
                summary.setdefault("failed", name)
        summary["ok"] = "failed" not in summary
    except Exception as e:
        summary["error"] = f"{type(e).__name__}: {e}"
        summary["traceback"] = traceback.format_exc()[-3000:]
    print(json.dumps(summary, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
