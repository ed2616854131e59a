"""bittensor 11.3.0 staking as a user's script does it: `Subtensor.execute(intent, wallet)`
with a wallet-shaped object holding dev keypairs (coldkey COLD, hotkey HOT; the hotkey is
registered on subnet 2 by the test), on a dev chain the test prepared
(tests/integration/staking_chain.py: subnets 1 and 2 with their subtoken enabled):

- `AddStake` with its defaults (slippage protection: `add_stake_limit`, fill-or-kill at the
  read price + 5%), `AddStakeLimit` with `allow_partial` at the read price + 0.5% (a partial
  fill), `RemoveStake` (defaults: `remove_stake_limit`), `MoveStake` to //Dave on subnet 1
  (defaults: `move_stake_limit`, fill-or-kill at the price ratio - 5%), `TransferStake` to //Bob
  (defaults: it reads `StakeInfoRuntimeApi.get_stake_availability_for_coldkeys` and the `Lock`
  map first), `SwapStake` to subnet 1 (defaults: `swap_stake_limit`);
- `AddStake` through `Subtensor.submit_shielded` (MevShield `submit_encrypted`; the SDK's
  `execute` sends staking intents in the clear, only its CLI shields them by default);
- reads: `stake`, `stake_for_coldkey`, `alpha_price`, `quote_stake`;
- bad input: a zero amount, an unknown hotkey, a limit price already exceeded, more alpha than staked;
- stake locks: `LockStake` of all the free alpha on subnet 2 (the SDK reads the availability
  API to resolve `all`), the reads `stake_availability_for_coldkey` and `locks_for_coldkey`,
  then locked stake asked to leave: `RemoveStake`, `MoveStake` to subnet 1 and `TransferStake`
  to //Bob (who rejects locked alpha, the default) must fail.

"More alpha than staked" is sent as a raw `remove_stake_limit`: the SDK's intents cap the
amount, and so does the chain in remove_stake / move / swap / transfer (stake_utils.rs,
move_stake.rs), but not in remove_stake_limit.

    python stake11.py ws://127.0.0.1:9944 COLD HOT

Prints one JSON summary as the last stdout line; exits 1 if a step that should succeed failed.
"""

from __future__ import annotations

import json
import sys
import traceback
from types import SimpleNamespace
from typing import Any

import bittensor
from bittensor import calls

Keypair = bittensor.sp_core.Keypair
DAVE = Keypair.create_from_uri("//Dave").ss58_address
BOB = Keypair.create_from_uri("//Bob").ss58_address
NOBODY = Keypair.create_from_uri("//Nobody_hk").ss58_address


def _step(r: Any) -> dict[str, Any]:
    return {"success": bool(r.success), "message": str(r.message)[:500], "block_hash": r.block_hash,
            "extrinsic_id": r.extrinsic_id, "fee": int(r.fee.rao) if r.fee is not None else None,
            "error": getattr(r.error, "name", None) if r.error is not None else None,
            "data": {k: v for k, v in (r.data or {}).items() if isinstance(v, (str, int, bool, type(None)))},
            "events": [f"{e['module_id']}.{e['event_id']}" for e in (r.events or [])]}


def _quote(q: Any) -> dict[str, int]:
    return {"tao": int(q.tao.rao), "alpha": int(q.alpha.rao), "tao_fee": int(q.tao_fee.rao),
            "alpha_fee": int(q.alpha_fee.rao)}


def main(url: str, cold: str, hot: str) -> int:
    summary: dict[str, Any] = {"client": f"bittensor {bittensor.__version__}", "ok": False, "steps": {}}
    steps = summary["steps"]
    expected_ok = ("add", "add_partial", "unstake", "move", "transfer", "swap", "lock", "add_shielded")
    try:
        coldkey, hotkey = Keypair.create_from_uri(cold), Keypair.create_from_uri(hot)
        wallet = SimpleNamespace(coldkey=coldkey, coldkeypub=coldkey, hotkey=hotkey)
        ck, hk = coldkey.ss58_address, hotkey.ss58_address
        summary.update(coldkey=ck, hotkey=hk)
        sub = bittensor.Subtensor(url)

        def run(name: str, intent: Any, shielded: bool = False, raw: bool = False) -> None:
            try:
                if raw:
                    r = sub.submit_call(intent, wallet)
                else:
                    r = sub.submit_shielded(intent, wallet) if shielded else sub.execute(intent, wallet)
                steps[name] = _step(r)
            except Exception as e:  # a refusal before sending: recorded, judged by the test
                steps[name] = {"success": False, "raised": f"{type(e).__name__}: {e}"[:500]}
            steps[name]["stake_2"] = int(sub.read("stake", coldkey_ss58=ck, hotkey_ss58=hk, netuid=2).rao)
            steps[name]["price_2"] = int(sub.read("alpha_price", netuid=2)["price_rao"])

        try:
            summary["quote_1_tao"] = _quote(sub.read("quote_stake", netuid=2, amount_tao=1.0))
            run("add", bittensor.AddStake(hotkey_ss58=hk, netuid=2, amount_tao=1.0))
            price = int(sub.read("alpha_price", netuid=2)["price_rao"])
            summary["limit_partial"] = int(price * 1.005)
            run("add_partial", bittensor.AddStakeLimit(hotkey_ss58=hk, netuid=2, amount_tao=40.0,
                                                       limit_price_rao=summary["limit_partial"], allow_partial=True))
            run("unstake", bittensor.RemoveStake(hotkey_ss58=hk, netuid=2, amount_alpha=0.3))
            run("move", bittensor.MoveStake(origin_hotkey_ss58=hk, origin_netuid=2, dest_hotkey_ss58=DAVE,
                                            dest_netuid=1, amount_alpha=0.2))
            run("transfer", bittensor.TransferStake(dest_coldkey_ss58=BOB, hotkey_ss58=hk, origin_netuid=2,
                                                    dest_netuid=2, amount_alpha=0.2))
            run("swap", bittensor.SwapStake(hotkey_ss58=hk, origin_netuid=2, dest_netuid=1, amount_alpha=0.2))
            summary["stake_for_coldkey"] = [
                {"hotkey": p.hotkey, "coldkey": p.coldkey, "netuid": p.netuid, "stake": int(p.stake.rao),
                 "is_registered": p.is_registered} for p in sub.read("stake_for_coldkey", coldkey_ss58=ck)]

            # bad input
            run("zero_amount", bittensor.AddStake(hotkey_ss58=hk, netuid=2, amount_tao=0.0))
            run("unknown_hotkey", bittensor.AddStake(hotkey_ss58=NOBODY, netuid=2, amount_tao=0.5,
                                                     slippage_protection=False))
            price = int(sub.read("alpha_price", netuid=2)["price_rao"])
            run("limit_exceeded", bittensor.AddStakeLimit(hotkey_ss58=hk, netuid=2, amount_tao=1.0,
                                                          limit_price_rao=price // 2, allow_partial=False))
            staked = int(sub.read("stake", coldkey_ss58=ck, hotkey_ss58=hk, netuid=2).rao)
            run("more_than_staked", calls.SubtensorModule.remove_stake_limit(
                hotkey=hk, netuid=2, amount_unstaked=staked + 10**9, limit_price=0, allow_partial=False), raw=True)
            # stake locks: lock all the free alpha on subnet 2, then ask locked alpha to leave
            run("lock", bittensor.LockStake(netuid=2, amount_alpha="all", hotkey_ss58=hk))
            summary["availability_2"] = [
                {k: (int(v.rao) if hasattr(v, "rao") else v) for k, v in row.items()}
                for row in sub.read("stake_availability_for_coldkey", coldkey_ss58=ck, netuids=[2])]
            summary["locks"] = [{k: (int(v.rao) if hasattr(v, "rao") else v) for k, v in row.items()
                                 if isinstance(v, (str, int, bool)) or hasattr(v, "rao")}
                                for row in sub.read("locks_for_coldkey", coldkey_ss58=ck)]
            run("unstake_locked", bittensor.RemoveStake(hotkey_ss58=hk, netuid=2, amount_alpha=0.1))
            run("move_locked", bittensor.MoveStake(origin_hotkey_ss58=hk, origin_netuid=2, dest_hotkey_ss58=DAVE,
                                                   dest_netuid=1, amount_alpha=0.1))
            run("transfer_locked", bittensor.TransferStake(dest_coldkey_ss58=BOB, hotkey_ss58=hk, origin_netuid=2,
                                                           dest_netuid=2, amount_alpha=0.1))
            # last: after a shielded submission the SDK's nonce cache holds the carrier's nonce,
            # not the inner one's, so its next plain submission would be refused as stale
            run("add_shielded", bittensor.AddStake(hotkey_ss58=hk, netuid=2, amount_tao=0.5), shielded=True)
        finally:
            sub.close()
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
    sys.exit(main(*sys.argv[1:4]))
