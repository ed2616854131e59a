"""bittensor 11's metagraph of a subnet (`Subtensor.read("metagraph")`, the SDK's own runtime
API decoding) as a user's script reads it, for the emission checks of test_client_emission.py.

    python emission11.py ws://127.0.0.1:9944 NETUID

Prints one JSON summary as the last stdout line: the metagraph's block and its emission
fields, balances as rao integers; exits 1 on an error.
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any

import bittensor

FIELDS = ("block", "hotkeys", "emission", "dividends", "incentives", "alpha_dividends_per_hotkey",
          "alpha_out_emission", "alpha_in_emission", "tao_in_emission", "pending_alpha_emission", "last_step",
          "blocks_since_last_step", "alpha_stake")


def _plain(value: Any) -> Any:
    """Balances as rao, containers element-wise, the rest as JSON can carry it."""
    if hasattr(value, "rao"):
        return int(value.rao)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def main(url: str, netuid: int) -> int:
    summary: dict[str, Any] = {"ok": False}
    try:
        sub = bittensor.Subtensor(network=url)
        try:
            graph = sub.read("metagraph", netuid=netuid)
            summary["metagraph"] = {k: _plain(graph[k]) for k in FIELDS}
            summary["ok"] = True
        finally:
            sub.close()
    except Exception as e:
        summary["error"] = f"{type(e).__name__}: {e}"
        summary["traceback"] = traceback.format_exc()[-3000:]
    print(json.dumps(summary, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
