"""async-substrate-interface 2.x against a running pysubtensor node.

    <asi-venv>/bin/python tests/clients/asi/check.py ws://127.0.0.1:9944 [--amount RAO]

Runs in its own virtualenv (async-substrate-interface pulls `cyscale`, which installs a
top-level `scalecodec` that clashes with substrate-interface's), created by `.ci/run` from
tests/clients/asi/requirements.txt. The keypair is bittensor-wallet's `Keypair`, what btcli
passes to ASI. It does what btcli does, in ASI's own way:

- connect (`system_chain`, `chain_getHead`, `init_runtime`, which fetches V15 metadata through
  `state_call Metadata_metadata_at_version 0x0f000000`);
- `query System.Account` (`state_getStorageAt`), `query_map System.Account` with a small page
  size (`state_getKeysPaged` + `state_queryStorageAt`);
- `get_payment_info` (`TransactionPaymentApi_query_info`, decoded with the V15 API types, so
  the fee is read as subtensor's u64 balance);
- a transfer_keep_alive Alice -> Bob with `wait_for_inclusion` and `wait_for_finalization`
  (`account_nextIndex`, `author_submitAndWatchExtrinsic`), the receipt's events, fee and
  success;
- `get_block`, `runtime_call` (and `runtime_calls`, one JSON-RPC batch);
- a transfer of more than Alice has, `wait_for_inclusion` only: the receipt must fail with the
  error the runtime reports.

Prints one JSON summary as the last stdout line; exits 1 if any step failed. The raw websocket
frames of the failing step are in the summary (`wire`).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import logging
import sys
import time
import traceback
from typing import Any

from async_substrate_interface import AsyncSubstrateInterface
from bittensor_wallet import Keypair

FRAMES: collections.deque = collections.deque(maxlen=300)


class _WireLog(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        FRAMES.append((time.monotonic(), record.getMessage()[:2000]))


def _install_wire_log() -> None:
    log = logging.getLogger("raw_websocket")
    log.setLevel(logging.DEBUG)
    log.addHandler(_WireLog())
    log.propagate = False


def _plain(x: Any) -> Any:
    """JSON-safe view of decoded values (bytes as hex, big ints kept as ints)."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    if isinstance(x, bytes):
        return "0x" + x.hex()
    if hasattr(x, "value") and not isinstance(x, int | str | float | bool):
        return _plain(x.value)
    return x


class Run:
    def __init__(self, url: str) -> None:
        self.summary: dict[str, Any] = {"client": "async-substrate-interface", "url": url, "ok": False,
                                        "steps": {}, "failed": None}

    async def step(self, name: str, coro, timeout: float = 90.0):
        t0 = time.monotonic()
        self.summary["current"] = name
        try:
            value = await asyncio.wait_for(coro, timeout)
        except BaseException as e:
            self.summary["steps"][name] = {"ok": False, "s": round(time.monotonic() - t0, 3),
                                           "error": f"{type(e).__name__}: {e}",
                                           "traceback": traceback.format_exc()[-3000:]}
            self.summary["failed"] = name
            self.summary["wire"] = [m for (t, m) in FRAMES if t >= t0][-40:]
            raise
        self.summary["steps"][name] = {"ok": True, "s": round(time.monotonic() - t0, 3)}
        return value


def _event_name(ev: dict) -> str:
    e = ev["event"]
    return f"{e['module_id']}.{e['event_id']}"


async def main(url: str, amount: int) -> int:
    _install_wire_log()
    run = Run(url)
    s = run.summary
    alice = Keypair.create_from_uri("//Alice")
    bob = Keypair.create_from_uri("//Bob")
    s["alice"], s["bob"] = alice.ss58_address, bob.ss58_address
    substrate = AsyncSubstrateInterface(url, ss58_format=42, _log_raw_websockets=True, max_retries=2,
                                        retry_timeout=30.0)
    try:
        await run.step("connect", substrate.initialize())
        s["chain"] = substrate.chain

        async def metadata():
            runtime = await substrate.init_runtime()
            s["specVersion"] = runtime.runtime_version
            s["transactionVersion"] = runtime.transaction_version
            s["metadataV15"] = runtime.metadata_v15 is not None
            s["implementsScaleInfo"] = runtime.implements_scaleinfo
            s["pallets"] = [p.name for p in runtime.metadata.pallets]
            s["runtimeApis"] = sorted(runtime.runtime_api_map) if runtime.metadata_v15 is not None else []
            props = await substrate.properties
            s["properties"] = props
        await run.step("metadata", metadata())

        async def read_accounts(block_hash=None):
            a = await substrate.query("System", "Account", [alice.ss58_address], block_hash=block_hash)
            b = await substrate.query("System", "Account", [bob.ss58_address], block_hash=block_hash)
            return a.value, b.value

        a, b = await run.step("querySystemAccount", read_accounts())
        s["aliceFreeBefore"], s["bobFreeBefore"] = a["data"]["free"], b["data"]["free"]
        s["aliceNonceBefore"] = a["nonce"]

        async def query_map():
            result = await substrate.query_map("System", "Account", page_size=2)
            accounts = {}
            async for key, info in result:
                k = key.value if hasattr(key, "value") else key
                accounts[str(k)] = info.value["data"]["free"] if hasattr(info, "value") else info["data"]["free"]
            return accounts
        accounts = await run.step("queryMap", query_map())
        s["queryMapCount"] = len(accounts)
        s["queryMapHasAliceBob"] = alice.ss58_address in accounts and bob.ss58_address in accounts

        call = await run.step("composeCall", substrate.compose_call(
            "Balances", "transfer_keep_alive", {"dest": bob.ss58_address, "value": amount}))

        # the same era as the transfer below, so the estimate is for an extrinsic of the same length
        info = await run.step("getPaymentInfo", substrate.get_payment_info(call, alice, era={"period": 64}))
        s["paymentInfo"] = _plain(info)

        async def transfer():
            ext = await substrate.create_signed_extrinsic(call, alice, era={"period": 64})
            receipt = await substrate.submit_extrinsic(ext, wait_for_inclusion=True, wait_for_finalization=True)
            events = await receipt.triggered_events
            return receipt, events
        receipt, events = await run.step("transfer", transfer(), timeout=120.0)
        s["extrinsicHash"] = receipt.extrinsic_hash
        s["blockHash"] = receipt.block_hash
        s["isSuccess"] = await receipt.is_success
        s["totalFeeAmount"] = await receipt.total_fee_amount
        s["eventNames"] = [_event_name(e) for e in events]
        fee_paid = [e["event"]["attributes"] for e in events if _event_name(e) == "TransactionPayment.TransactionFeePaid"]
        s["transactionFeePaid"] = _plain(fee_paid[0]) if fee_paid else None
        s["transferEvent"] = next((_plain(e["event"]["attributes"]) for e in events
                                   if _event_name(e) == "Balances.Transfer"), None)
        s["depositsToAlice"] = sum(e["event"]["attributes"]["amount"] for e in events
                                   if _event_name(e) == "Balances.Deposit"
                                   and e["event"]["attributes"]["who"] == alice.ss58_address)

        async def block():
            blk = await substrate.get_block(block_hash=receipt.block_hash)
            header = blk["header"]
            s["blockNumber"] = header["number"]
            s["blockExtrinsics"] = len(blk["extrinsics"])
            s["blockHasOurTx"] = any(
                ("0x" + x.extrinsic_hash.hex() if isinstance(x.extrinsic_hash, bytes) else x.extrinsic_hash)
                == receipt.extrinsic_hash for x in blk["extrinsics"])
            parent = header["parentHash"]
            a0, b0 = await read_accounts(parent)
            a1, b1 = await read_accounts(receipt.block_hash)
            s.update(aliceFreeParent=a0["data"]["free"], bobFreeParent=b0["data"]["free"],
                     aliceFreeBlock=a1["data"]["free"], bobFreeBlock=b1["data"]["free"])
            fin = await substrate.get_chain_finalised_head()
            s["finalizedHead"] = fin
        await run.step("getBlock", block())

        async def runtime_calls():
            nonce = await substrate.runtime_call("AccountNonceApi", "account_nonce", [alice.ss58_address])
            s["runtimeCallAccountNonce"] = _plain(nonce)
            version = await substrate.runtime_call("Core", "version", [])
            s["runtimeCallCoreVersion"] = {k: v for k, v in _plain(version).items() if k != "apis"}
            both = await substrate.runtime_calls([
                ("AccountNonceApi", "account_nonce", [bob.ss58_address]),
                ("Metadata", "metadata_versions", []),
            ])
            s["runtimeCallsBatch"] = _plain(both)
        await run.step("runtimeCall", runtime_calls())

        async def failing():
            # more than Alice's ~1e15 rao, less than the total issuance (above it pallet_balances'
            # can_withdraw says Arithmetic(Underflow) before it looks at the account)
            too_much = 2 * 10**15
            bad = await substrate.compose_call("Balances", "transfer_keep_alive",
                                               {"dest": bob.ss58_address, "value": too_much})
            ext = await substrate.create_signed_extrinsic(bad, alice, era={"period": 64})
            r = await substrate.submit_extrinsic(ext, wait_for_inclusion=True)
            s["failingIsSuccess"] = await r.is_success
            s["failingErrorMessage"] = _plain(await r.error_message)
            s["failingEventNames"] = [_event_name(e) for e in await r.triggered_events]
            s["failingFee"] = await r.total_fee_amount
        await run.step("failingExtrinsic", failing(), timeout=120.0)
    except BaseException as e:
        if not s["failed"]:
            s["failed"] = "script"
            s["error"] = f"{type(e).__name__}: {e}"
            s["traceback"] = traceback.format_exc()[-3000:]
            s["wire"] = [m for (_, m) in FRAMES][-40:]
    finally:
        try:
            await asyncio.wait_for(substrate.close(), 10)
        except BaseException:
            pass
    s["ok"] = s["failed"] is None
    if s["ok"]:
        s.pop("current", None)
    print(json.dumps(s, default=str))
    return 0 if s["ok"] else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--amount", type=int, default=1_000_000_000)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.url, args.amount)))
