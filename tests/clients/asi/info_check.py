"""The SubtensorModule info runtime APIs through async-substrate-interface (as bittensor reads
them: `runtime_call`, decoded from the V15 metadata's API types by bt-decode), each checked
against the same items read as storage (`query`) by the same client.

    python info_check.py ws://127.0.0.1:9944

Prints one JSON summary as the last stdout line (`ok`, and per check what was compared);
exits 1 if a check failed.
"""

from __future__ import annotations

import asyncio
import json
import sys
import traceback
from typing import Any

from async_substrate_interface import AsyncSubstrateInterface

NETUID = 1


def _value(obj: Any) -> Any:
    return getattr(obj, "value", obj)


def _text(value: Any) -> str:
    """Bytes as text: ASI gives a `Vec<u8>` storage value as a string, an API's `Vec<Compact<u8>>` as ints."""
    return value if isinstance(value, str) else bytes(value).decode()


async def main(url: str) -> int:
    summary: dict[str, Any] = {"client": "async-substrate-interface", "ok": False, "checks": {}}

    def check(name: str, got: Any, want: Any) -> None:
        summary["checks"][name] = {"got": got, "want": want, "ok": got == want}

    try:
        async with AsyncSubstrateInterface(url) as s:
            # Every read at one block: the coinbase changes pools and stakes every block.
            at = await s.get_chain_head()
            summary["block_hash"] = at

            async def q(item: str, params: list[Any]) -> Any:
                return _value(await s.query("SubtensorModule", item, params, block_hash=at))

            async def entries(item: str) -> list[tuple[Any, Any]]:
                return [(_value(k), _value(v))
                        async for k, v in await s.query_map("SubtensorModule", item, block_hash=at)]

            async def call(api: str, method: str, params: list[Any]) -> Any:
                return await s.runtime_call(api, method, params, block_hash=at)

            netuids = sorted(k for k, v in await entries("NetworksAdded") if v)
            summary["netuids"] = netuids
            dynamic = await call("SubnetInfoRuntimeApi", "get_all_dynamic_info", [])
            check("all_dynamic_info netuids", sorted(d["netuid"] for d in _value(dynamic)), netuids)

            info = _value(await call("SubnetInfoRuntimeApi", "get_dynamic_info", [NETUID]))
            check("dynamic_info", [info["tempo"], info["owner_coldkey"], info["owner_hotkey"], info["alpha_in"],
                                   info["tao_in"], _text(info["token_symbol"])],
                  [await q("Tempo", [NETUID]), await q("SubnetOwner", [NETUID]), await q("SubnetOwnerHotkey", [NETUID]),
                   await q("SubnetAlphaIn", [NETUID]), await q("SubnetTAO", [NETUID]),
                   _text(await q("TokenSymbol", [NETUID]))])

            n = await q("SubnetworkN", [NETUID])
            keys = [await q("Keys", [NETUID, uid]) for uid in range(n)]
            neurons = _value(await call("NeuronInfoRuntimeApi", "get_neurons_lite", [NETUID]))
            check("neurons_lite hotkeys", [x["hotkey"] for x in neurons], keys)
            check("neurons_lite coldkeys", [x["coldkey"] for x in neurons], [await q("Owner", [k]) for k in keys])
            check("neurons_lite stake", [x["stake"][0][1] for x in neurons],
                  [await q("TotalHotkeyAlpha", [k, NETUID]) for k in keys])
            full = _value(await call("NeuronInfoRuntimeApi", "get_neurons", [NETUID]))
            check("neurons uids", [x["uid"] for x in full], list(range(n)))

            meta = _value(await call("SubnetInfoRuntimeApi", "get_metagraph", [NETUID]))
            check("metagraph", [meta["netuid"], meta["num_uids"], meta["hotkeys"], meta["max_uids"], meta["burn"]],
                  [NETUID, n, keys, await q("MaxAllowedUids", [NETUID]), await q("Burn", [NETUID])])
            hyper = _value(await call("SubnetInfoRuntimeApi", "get_subnet_hyperparams_v2", [NETUID]))
            check("hyperparams_v2", [hyper["tempo"], hyper["kappa"], hyper["immunity_period"], hyper["min_burn"],
                                     hyper["subnet_is_active"]],
                  [await q("Tempo", [NETUID]), await q("Kappa", [NETUID]), await q("ImmunityPeriod", [NETUID]),
                   await q("MinBurn", [NETUID]), await q("SubtokenEnabled", [NETUID])])
            chosen = _value(await call("SubnetInfoRuntimeApi", "get_selective_metagraph",
                                                 [NETUID, [0, 8, 52]]))
            check("selective_metagraph", [chosen["netuid"], chosen["tempo"], chosen["hotkeys"], chosen["kappa"]],
                  [NETUID, await q("Tempo", [NETUID]), keys, None])
            missing = await call("SubnetInfoRuntimeApi", "get_subnet_info_v2", [999])
            check("subnet_info_v2 of a missing subnet", _value(missing), None)
            delegates = _value(await call("DelegateInfoRuntimeApi", "get_delegates", []))
            delegate_keys = [k for k, _ in await entries("Delegates")]
            check("delegates", sorted(d["delegate_ss58"] for d in delegates), sorted(delegate_keys))

            owner_cold, owner_hot = await q("SubnetOwner", [NETUID]), await q("SubnetOwnerHotkey", [NETUID])
            owner_alpha = await q("TotalHotkeyAlpha", [owner_hot, NETUID])
            stakes = _value(await call("StakeInfoRuntimeApi", "get_stake_info_for_coldkey", [owner_cold]))
            check("stake_info_for_coldkey", [(x["hotkey"], x["coldkey"], x["netuid"], x["stake"]) for x in stakes],
                  [(owner_hot, owner_cold, NETUID, owner_alpha)])
            one = _value(await call("StakeInfoRuntimeApi", "get_stake_info_for_hotkey_coldkey_netuid",
                                              [owner_hot, owner_cold, NETUID]))
            check("stake_info_for_hotkey_coldkey_netuid", [one["stake"], one["emission"], one["is_registered"]],
                  [owner_alpha, await q("AlphaDividendsPerSubnet", [NETUID, owner_hot]),
                   await q("Uids", [NETUID, owner_hot]) is not None])
            both = _value(await call("StakeInfoRuntimeApi", "get_stake_info_for_coldkeys", [[owner_cold]]))
            check("stake_info_for_coldkeys", [(k, len(v)) for k, v in both], [(owner_cold, 1)])
        summary["ok"] = all(c["ok"] for c in summary["checks"].values())
    except Exception:  # the summary carries the failure
        summary["error"] = traceback.format_exc()
    print(json.dumps(summary, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
