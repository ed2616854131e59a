"""bittensor 11's crowdloan reads against a dev node, as a user's script calls them.

    python crowdloan.py ws://127.0.0.1:9944 <crowdloan id>

Prints one JSON line: what `read("crowdloan")`, `read("crowdloans")` and
`read("crowdloan_contributors")` returned (amounts in rao), or the error it stopped at.
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any

import bittensor


def _rao(balance: Any) -> int:
    return int(balance.rao)


def main(url: str, crowdloan_id: int) -> int:
    summary: dict[str, Any] = {"client": f"bittensor {bittensor.__version__}", "ok": False}
    try:
        sub = bittensor.Subtensor(network=url)
        try:
            info = sub.read("crowdloan", crowdloan_id=crowdloan_id)
            summary["crowdloan"] = None if info is None else {
                **{k: info[k] for k in ("creator", "end", "finalized", "target_address", "funds_account")},
                **{k: _rao(info[k]) for k in ("deposit", "min_contribution", "cap", "raised")}}
            summary["crowdloans"] = [{"id": r["id"], "creator": r["creator"], "finalized": r["finalized"]}
                                     for r in sub.read("crowdloans")]
            summary["contributors"] = {r["contributor"]: round(r["amount_tao"] * 10**9)
                                       for r in sub.read("crowdloan_contributors", crowdloan_id=crowdloan_id)}
        finally:
            sub.close()
        summary["ok"] = True
    except Exception as e:
        summary["error"] = f"{type(e).__name__}: {e}"
        summary["traceback"] = traceback.format_exc()[-3000:]
    print(json.dumps(summary, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
