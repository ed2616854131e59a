"""bittensor 10.2.0 staking as a user's script does it, with `Subtensor` (sync) or
`AsyncSubtensor` (async), on a dev chain the test prepared (tests/integration/staking_chain.py:
subnets 1 and 2 with their subtoken enabled). The wallet (coldkey COLD, hotkey HOT, both dev
URIs; the hotkey registered on subnet 2 by the test) stakes on subnet 2, stakes again with safe
staking and partial fills, unstakes part, moves stake to //Dave on subnet 1, transfers stake
to //Bob, swaps stake to subnet 1, stakes MEV-shielded (`mev_protection=True`), and reads its
stake (`get_stake`, `get_stake_info_for_coldkey`, `get_stake_for_coldkey_and_hotkey`) and the
price (`get_subnet_price`). Then bad input the SDK sends on: a zero amount, an unknown hotkey,
and through the SDK's `compose_call` + `sign_and_send_extrinsic` a limit price already
exceeded and more alpha than staked (its helpers refuse those before sending).

The order matters for `AsyncSubtensor`, not for the chain: its add_stake/unstake take the
nonce from async-substrate-interface's per-account cache (cached value + 1 per call) while
move/transfer/swap sign with a fresh `account_nextIndex`; after one of those the next cached
nonce is already used and the node (as a Rust node) refuses it as `Transaction is outdated`
(1010). So the cached-nonce calls come first.

    python stake10.py ws://127.0.0.1:9944 WALLET_DIR sync|async COLD HOT

Prints one JSON summary as the last stdout line; exits 1 if a step that should succeed failed.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import traceback
from typing import Any

import bittensor
from bittensor.utils.balance import Balance
from bittensor_wallet import Keypair, Wallet

DAVE = Keypair.create_from_uri("//Dave").ss58_address
BOB = Keypair.create_from_uri("//Bob").ss58_address
NOBODY = Keypair.create_from_uri("//Nobody_hk").ss58_address


async def _v(x: Any) -> Any:
    return await x if asyncio.iscoroutine(x) else x


def _error_name(message: str) -> str | None:
    """The chain error's name as the SDK reports it: "Subtensor returned `Name(Module)` error"."""
    m = re.search(r"Subtensor returned `(\w+)\(Module\)` error", message)
    return m[1] if m else None


async def _result(r: Any) -> dict[str, Any]:
    receipt = r.extrinsic_receipt
    out = {"success": bool(r.success), "message": str(r.message), "error": str(r.error) if r.error else None,
           "error_name": _error_name(str(r.message)),
           "block_hash": getattr(receipt, "block_hash", None) if receipt is not None else None,
           "tao_fee": int(r.transaction_tao_fee.rao) if r.transaction_tao_fee is not None else None,
           "mev": r.mev_extrinsic is not None}
    if isinstance(r.data, dict):
        out["data"] = {k: int(v.rao) if isinstance(v, Balance) else v for k, v in r.data.items()
                       if isinstance(v, (Balance, int, str, bool))}
    return out


async def main(url: str, wallet_dir: str, mode: str, cold: str, hot: str) -> int:
    summary: dict[str, Any] = {"client": f"bittensor {bittensor.__version__} {mode}", "ok": False, "steps": {}}
    steps = summary["steps"]
    expected_ok = ("add", "add_partial", "unstake", "move", "transfer", "swap", "add_shielded")
    try:
        w = Wallet(name="staker" + mode, hotkey="default", path=wallet_dir)
        w.create_coldkey_from_uri(cold, use_password=False, overwrite=True, suppress=True)
        w.create_hotkey_from_uri(hot, use_password=False, overwrite=True, suppress=True)
        coldkey, hotkey = w.coldkeypub.ss58_address, w.hotkey.ss58_address
        summary.update(coldkey=coldkey, hotkey=hotkey)
        if mode == "async":
            sub = bittensor.AsyncSubtensor(network=url)
            await sub.initialize()
        else:
            sub = bittensor.Subtensor(network=url)
        try:
            async def stake_on(netuid: int, hk: str = hotkey) -> int:
                return int((await _v(sub.get_stake(coldkey_ss58=coldkey, hotkey_ss58=hk, netuid=netuid))).rao)

            async def step(name: str, call: Any, reads: tuple = ()) -> None:
                steps[name] = await _result(await _v(call))
                for label, netuid, hk in reads:
                    steps[name][label] = await stake_on(netuid, hk)
                steps[name]["price_2"] = int((await _v(sub.get_subnet_price(netuid=2))).rao)

            summary["stake_before"] = await stake_on(2)
            await step("add", sub.add_stake(wallet=w, netuid=2, hotkey_ss58=hotkey, amount=Balance.from_tao(1)),
                       (("stake_2", 2, hotkey),))
            await step("add_partial", sub.add_stake(wallet=w, netuid=2, hotkey_ss58=hotkey,
                                                    amount=Balance.from_tao(40), safe_staking=True,
                                                    allow_partial_stake=True, rate_tolerance=0.005),
                       (("stake_2", 2, hotkey),))
            await step("unstake", sub.unstake(wallet=w, netuid=2, hotkey_ss58=hotkey,
                                              amount=Balance.from_tao(0.3, netuid=2)), (("stake_2", 2, hotkey),))
            await step("add_shielded", sub.add_stake(wallet=w, netuid=2, hotkey_ss58=hotkey,
                                                     amount=Balance.from_tao(0.5), mev_protection=True),
                       (("stake_2", 2, hotkey),))

            # bad input the SDK sends on (before move/transfer/swap: see the module docstring)
            await step("zero_amount", sub.add_stake(wallet=w, netuid=2, hotkey_ss58=hotkey,
                                                    amount=Balance.from_tao(0)))
            await step("unknown_hotkey", sub.add_stake(wallet=w, netuid=2, hotkey_ss58=NOBODY,
                                                       amount=Balance.from_tao(0.5)))

            await step("move", sub.move_stake(wallet=w, origin_netuid=2, origin_hotkey_ss58=hotkey,
                                              destination_netuid=1, destination_hotkey_ss58=DAVE,
                                              amount=Balance.from_tao(0.2, netuid=2)),
                       (("stake_2", 2, hotkey), ("stake_dave_1", 1, DAVE)))
            await step("transfer", sub.transfer_stake(wallet=w, destination_coldkey_ss58=BOB, hotkey_ss58=hotkey,
                                                      origin_netuid=2, destination_netuid=2,
                                                      amount=Balance.from_tao(0.2, netuid=2)),
                       (("stake_2", 2, hotkey),))
            await step("swap", sub.swap_stake(wallet=w, hotkey_ss58=hotkey, origin_netuid=2, destination_netuid=1,
                                              amount=Balance.from_tao(0.2, netuid=2)),
                       (("stake_2", 2, hotkey), ("stake_1", 1, hotkey)))

            infos = await _v(sub.get_stake_info_for_coldkey(coldkey_ss58=coldkey))
            summary["stake_info"] = [{"hotkey": i.hotkey_ss58, "coldkey": i.coldkey_ss58, "netuid": i.netuid,
                                      "stake": int(i.stake.rao), "is_registered": bool(i.is_registered)}
                                     for i in infos]
            pairs = await _v(sub.get_stake_for_coldkey_and_hotkey(coldkey_ss58=coldkey, hotkey_ss58=hotkey))
            summary["stake_for_pair"] = {str(n): int(i.stake.rao) for n, i in pairs.items()}
            summary["block_hash"] = await _v(sub.get_block_hash())

            # bad input the SDK's helpers refuse before sending, sent as a script can
            price = int((await _v(sub.get_subnet_price(netuid=2))).rao)
            call = await _v(sub.compose_call("SubtensorModule", "add_stake_limit",
                                             {"hotkey": hotkey, "netuid": 2, "amount_staked": 10**9,
                                              "limit_price": price // 2, "allow_partial": False}))
            await step("limit_exceeded", sub.sign_and_send_extrinsic(call=call, wallet=w))
            staked = await stake_on(2)
            call = await _v(sub.compose_call("SubtensorModule", "remove_stake_limit",
                                             {"hotkey": hotkey, "netuid": 2, "amount_unstaked": staked + 10**9,
                                              "limit_price": 0, "allow_partial": False}))
            await step("more_than_staked", sub.sign_and_send_extrinsic(call=call, wallet=w))
        finally:
            await _v(sub.close())
        failed = [name for name in expected_ok if not steps.get(name, {}).get("success")]
        if failed:
            summary["failed"] = failed[0]
        summary["ok"] = not failed
    except Exception as e:  # the summary carries the error
        summary["error"] = f"{type(e).__name__}: {e}"
        summary["traceback"] = traceback.format_exc()[-3000:]
    print(json.dumps(summary, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(*sys.argv[1:4], *sys.argv[4:6])))
