"""bittensor 11.3.0 driving a dev chain through several epochs as validators do: after each of
a subnet's epochs its validators set that round's weights (`Subtensor.execute(SetWeights(...))`,
a wallet-shaped object holding the dev keypairs), then the chain is moved on to the subnet's
next epoch (`read("next_epoch_start_block")`, then the node's `dev_newBlock {"to": n}`); the
epoch blocks are read from the chain (`LastMechansimStepBlock`), not computed. Afterwards,
at every epoch block E and at E - 1, E - 2: the metagraph (`at(block).read("metagraph")`),
the delegator's stake (`read("stake")`), `RootProp` and `PendingRootAlphaDivs`, as a user's script reads them.

    python longrun11.py ws://127.0.0.1:9944 PLAN.json

PLAN: {"netuids": [..], "validators": {hotkey_uri: coldkey_uri}, "delegator": [coldkey_uri,
hotkey_uri], "rounds": [{netuid: {hotkey_uri: {uid: weight}}}, ...]}; round r's weights are
set after the subnet's r-th epoch seen here (round 0's right away).

Prints one JSON summary as the last stdout line; exits 1 if a step failed.
"""

from __future__ import annotations

import json
import sys
import traceback
import urllib.request
from types import SimpleNamespace
from typing import Any

import bittensor
from bittensor._generated.storage import SubtensorModule as st

Keypair = bittensor.sp_core.Keypair
GRAPH_FIELDS = ("block", "hotkeys", "coldkeys", "incentives", "dividends", "emission", "consensus",
                "validator_permit", "alpha_stake", "tao_stake", "pending_alpha_emission", "pending_root_emission",
                "alpha_dividends_per_hotkey", "last_step", "tao_in_emission", "alpha_out_emission")


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


def _dev(http_url: str, method: str, params: list) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    request = urllib.request.Request(http_url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.loads(response.read())
    if "error" in answer:
        raise RuntimeError(f"{method} {params}: {answer['error']}")
    return answer["result"]


def main(url: str, plan_path: str) -> int:
    summary: dict[str, Any] = {"client": f"bittensor {bittensor.__version__}", "ok": False, "weights": [],
                               "epochs": [], "steps": []}
    try:
        with open(plan_path) as f:
            plan = json.load(f)
        http_url = url.replace("ws://", "http://")
        netuids = [int(n) for n in plan["netuids"]]
        rounds = plan["rounds"]
        wallets = {}
        for hotkey_uri, coldkey_uri in plan["validators"].items():
            cold = Keypair.create_from_uri(coldkey_uri)
            wallets[hotkey_uri] = SimpleNamespace(coldkey=cold, coldkeypub=cold,
                                                  hotkey=Keypair.create_from_uri(hotkey_uri))
        sub = bittensor.Subtensor(url)
        try:
            def last_step(netuid: int) -> int:
                return int(sub.query(st.LastMechansimStepBlock, [netuid]) or 0)

            def set_weights(netuid: int, r: int) -> None:
                for hotkey_uri, weights in rounds[r].get(str(netuid), {}).items():
                    intent = bittensor.SetWeights(netuid=netuid, weights={int(u): float(w) for u, w in weights.items()})
                    result = sub.execute(intent, wallets[hotkey_uri])
                    summary["weights"].append({"netuid": netuid, "round": r, "hotkey": hotkey_uri,
                                               "success": bool(result.success), "message": str(result.message),
                                               "block_hash": result.block_hash})
                    if not result.success:
                        raise RuntimeError(f"set_weights {netuid} {hotkey_uri} round {r}: {result.message}")

            seen = {n: last_step(n) for n in netuids}
            done = dict.fromkeys(netuids, 0)  # epochs seen per subnet
            for n in netuids:
                set_weights(n, 0)
            for _ in range(20 * len(rounds) * len(netuids)):
                waiting = [n for n in netuids if done[n] < len(rounds)]
                if not waiting:
                    break
                nxt = {n: int(sub.read("next_epoch_start_block", netuid=n)) for n in waiting}
                target = min(nxt.values())
                best = int(sub.block)
                summary["steps"].append({"best": best, "next": nxt})
                if target > best:
                    _dev(http_url, "dev_newBlock", [{"to": target}])
                stepped = []
                for n in waiting:
                    block = last_step(n)
                    if block != seen[n]:
                        seen[n] = block
                        summary["epochs"].append({"netuid": n, "round": done[n], "block": block,
                                                  "predicted": nxt[n]})
                        done[n] += 1
                        stepped.append(n)
                for n in stepped:
                    if done[n] < len(rounds):
                        set_weights(n, done[n])
            else:
                raise RuntimeError(f"not every subnet reached {len(rounds)} epochs: {done}")

            # What a user reads at and just before each epoch block.
            delegator_cold, delegator_hot = (Keypair.create_from_uri(u).ss58_address for u in plan["delegator"])
            for epoch in summary["epochs"]:
                n = epoch["netuid"]
                for offset in (0, 1, 2):
                    view = sub.at(epoch["block"] - offset)
                    graph = view.read("metagraph", netuid=n)
                    epoch[f"graph_{offset}"] = {k: _plain(graph[k]) for k in GRAPH_FIELDS if k in graph}
                    epoch[f"delegator_{offset}"] = _plain(view.read("stake", coldkey_ss58=delegator_cold,
                                                                    hotkey_ss58=delegator_hot, netuid=n))
                    epoch[f"root_prop_{offset}"] = _plain(view.query(st.RootProp, [n]))
                    # the metagraph's `pending_root_emission` is 0 on the real runtime (deprecated)
                    epoch[f"pending_root_{offset}"] = _plain(view.query(st.PendingRootAlphaDivs, [n]))
            summary["graph_keys"] = sorted(graph.keys())
        finally:
            sub.close()
        summary["ok"] = True
    except Exception as e:  # the summary carries the error
        summary["error"] = f"{type(e).__name__}: {e}"
        summary["traceback"] = traceback.format_exc()[-3000:]
    print(json.dumps(summary, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
