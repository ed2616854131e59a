"""The bittensor SDK (10.x or 11.x, whichever the running venv holds) against a dev node, as a
user's script drives it. bittensor 10: `Subtensor` (sync) or `AsyncSubtensor` (async), the
classic getters; bittensor 11: `Subtensor` and its named reads (`read("subnets")`, ...).

    python check.py ws://127.0.0.1:9944 sync|async|reads

Each step records what the SDK returned (plain JSON values) or the error it stopped at; the
pytest side compares the values with storage it reads itself. Prints one JSON summary as the
last stdout line; exits 1 if a step failed.
"""

from __future__ import annotations

import asyncio
import json
import sys
import traceback
from typing import Any

import bittensor

NETUID = 1


def _ss58(key: Any) -> str:
    return str(key)


def _rao(balance: Any) -> int:
    return int(balance.rao)


def _subnets(subnets: list) -> list[dict[str, Any]]:
    return [{"netuid": int(d.netuid), "tempo": int(d.tempo), "symbol": str(d.symbol),
             "owner_coldkey": _ss58(d.owner_coldkey), "owner_hotkey": _ss58(d.owner_hotkey)}
            for d in subnets]


def _bt11_steps(sub: Any) -> dict[str, Any]:
    """bittensor 11's reads (its own data types; plain values out)."""
    alice = bittensor.sp_core.Keypair.create_from_uri("//Alice").ss58_address
    bob = bittensor.sp_core.Keypair.create_from_uri("//Bob").ss58_address

    def neurons(lite: bool) -> list[dict[str, Any]]:
        return [{"uid": int(n.uid), "hotkey": n.hotkey, "coldkey": n.coldkey, "active": bool(n.active),
                 "validator_permit": bool(n.validator_permit)} for n in sub.read("neurons", netuid=NETUID, lite=lite)]

    def metagraph() -> dict[str, Any]:
        m = sub.read("metagraph", netuid=NETUID)
        return {k: m[k] for k in ("netuid", "num_uids", "hotkeys", "coldkeys", "max_uids", "tempo", "kappa",
                                  "immunity_period", "min_burn", "max_burn", "owner_coldkey", "owner_hotkey",
                                  "alpha_in", "tao_in", "symbol", "commit_reveal_weights_enabled")}

    return {
        "block": lambda: sub.block,
        "subnets": lambda: [{"netuid": int(d.netuid), "tempo": int(d.tempo), "neuron_count": int(d.neuron_count)}
                            for d in sub.read("subnets")],
        "subnet": lambda: (lambda d: {"netuid": int(d.netuid), "tempo": int(d.tempo),
                                      "neuron_count": int(d.neuron_count)})(sub.read("subnet", netuid=NETUID)),
        "token_symbols": lambda: {str(k): v for k, v in sub.read("token_symbols").items()},
        "neurons_lite": lambda: neurons(True),
        "neurons": lambda: neurons(False),
        "metagraph": metagraph,
        # through `SubnetInfoRuntimeApi.get_subnet_hyperparams_v3` (name -> raw value)
        "hyperparameters": lambda: {k: (int(v) if isinstance(v, int) else v)
                                    for k, v in sub.read("subnet_hyperparameters", netuid=NETUID).items()},
        "hyperparameters_missing": lambda: sub.read("subnet_hyperparameters", netuid=99),
        "balance_alice": lambda: _rao(sub.read("balance", coldkey_ss58=alice)),
        "balance_bob": lambda: _rao(sub.read("balance", coldkey_ss58=bob)),
        "subnet_burn_cost": lambda: _rao(sub.read("subnet_registration_cost")),
        "existential_deposit": lambda: _rao(sub.read("existential_deposit")),
    }


def _hyper(h: Any) -> dict[str, Any]:
    return {"tempo": int(h.tempo), "kappa": int(h.kappa), "immunity_period": int(h.immunity_period),
            "min_burn": int(h.min_burn), "max_burn": int(h.max_burn),
            "commit_reveal_weights_enabled": bool(h.commit_reveal_weights_enabled)}


def _neuron(n: Any) -> dict[str, Any]:
    return {"uid": int(n.uid), "hotkey": n.hotkey, "coldkey": n.coldkey, "netuid": int(n.netuid),
            "active": bool(n.active), "validator_permit": bool(n.validator_permit)}


def _meta(m: Any) -> dict[str, Any]:
    return {"netuid": int(m.netuid), "n": int(m.n.item() if hasattr(m.n, "item") else m.n),
            "hotkeys": list(m.hotkeys), "coldkeys": list(m.coldkeys), "uids": [int(u) for u in m.uids]}


async def _steps(sub: Any, is_async: bool) -> dict[str, Any]:
    async def call(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        out = fn(*args, **kwargs)
        return await out if is_async else out

    alice = bittensor.Keypair.create_from_uri("//Alice")
    bob = bittensor.Keypair.create_from_uri("//Bob")
    return {
        "block": lambda: call(sub.get_current_block),
        "all_subnets_netuid": lambda: call(sub.get_all_subnets_netuid),
        "subnet_0": lambda: _wrap(call(sub.subnet, 0), lambda d: _subnets([d])[0]),
        # AsyncSubtensor.subnet(1) also asks SwapRuntimeApi.current_alpha_price (no Swap pallet yet)
        **({} if is_async else {"subnet": lambda: _wrap(call(sub.subnet, NETUID), lambda d: _subnets([d])[0])}),
        "tempo": lambda: call(sub.tempo, NETUID),
        "subnet_exists": lambda: call(sub.subnet_exists, NETUID),
        "hyperparameters": lambda: _wrap(call(sub.get_subnet_hyperparameters, NETUID), _hyper),
        "neurons_lite": lambda: _wrap(call(sub.neurons_lite, NETUID), lambda ns: [_neuron(n) for n in ns]),
        "neurons": lambda: _wrap(call(sub.neurons, NETUID), lambda ns: [_neuron(n) for n in ns]),
        "metagraph": lambda: _wrap(call(sub.metagraph, NETUID), _meta),
        "balance_alice": lambda: _wrap(call(sub.get_balance, alice.ss58_address), _rao),
        "balance_bob": lambda: _wrap(call(sub.get_balance, bob.ss58_address), _rao),
        "subnet_burn_cost": lambda: _wrap(call(sub.get_subnet_burn_cost), _rao),
        "existential_deposit": lambda: _wrap(call(sub.get_existential_deposit), _rao),
        "total_subnets": lambda: call(sub.get_total_subnets),
    }


async def _wrap(awaitable, convert):  # type: ignore[no-untyped-def]
    return convert(await awaitable)


async def main(url: str, mode: str) -> int:
    summary: dict[str, Any] = {"client": f"bittensor {bittensor.__version__} {mode}", "ok": False, "steps": {}}
    try:
        if mode == "reads":
            sub = bittensor.Subtensor(network=url)
        elif mode == "async":
            sub = bittensor.AsyncSubtensor(network=url)
            await sub.initialize()
        else:
            sub = bittensor.Subtensor(network=url)
        try:
            steps = _bt11_steps(sub) if mode == "reads" else await _steps(sub, mode == "async")
            for name, step in steps.items():
                try:
                    value = step()
                    summary["steps"][name] = {"value": await value if asyncio.iscoroutine(value) else value}
                except Exception as e:  # the summary names the step and its error
                    summary["steps"][name] = {"error": f"{type(e).__name__}: {e}",
                                              "traceback": traceback.format_exc()[-3000:]}
                    summary.setdefault("failed", name)
        finally:
            closing = sub.close()
            if asyncio.iscoroutine(closing):
                await closing
        summary["ok"] = "failed" not in summary
    except Exception as e:
        summary["error"] = f"{type(e).__name__}: {e}"
        summary["traceback"] = traceback.format_exc()[-3000:]
    print(json.dumps(summary, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
