"""substrate-interface 1.8.1 (main venv) drives Proxy and Multisig on a running dev node:
the library composes every call from our metadata, signs and submits it, and reads storage
and events back with its own decoder.

- Proxy: Charlie adds Bob as a `Transfer` proxy (deposit reserved, `ProxyAdded`), Bob makes a
  Balances transfer for Charlie through `Proxy.proxy` (`ProxyExecuted` Ok, Charlie pays the
  amount, Bob the fee, Dave receives); a call outside the proxy type (a System remark) is
  refused with `System.CallFiltered` inside `ProxyExecuted`, nothing transferred; a caller
  who is no proxy fails with `Proxy.NotProxy`; `remove_proxies` returns the deposit.
- Multisig: Alice, Bob and Charlie's 2-of-3 account, whose address the library derives
  itself (`generate_multisig_account`), is funded; Alice opens the transfer with `as_multi`
  (`NewMultisig`, deposit reserved, the operation in `Multisigs`), Bob completes it at the
  stored timepoint (`MultisigExecuted` Ok), the deposit returns, Dave receives; a wrong
  threshold is refused with `Multisig.MinimumThreshold`.
"""

from __future__ import annotations

import pytest
from substrateinterface import Keypair, SubstrateInterface

AMOUNT = 1_000_000_000  # 1 TAO in rao
PROXY_DEPOSIT = 60_000_000 + 33_000_000  # ProxyDepositBase + ProxyDepositFactor
MULTISIG_DEPOSIT_2 = 132_000_000 + 2 * 32_000_000  # DepositBase + 2 * DepositFactor
MAX_WEIGHT = {"ref_time": 10_000_000_000, "proof_size": 100_000}


@pytest.fixture(scope="module")
def si(dev_node):
    substrate = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    yield substrate
    substrate.close()


@pytest.fixture(scope="module")
def keys():
    return {name: Keypair.create_from_uri(f"//{name}") for name in ("Alice", "Bob", "Charlie", "Dave", "Eve")}


def _submit(si, call, signer):
    xt = si.create_signed_extrinsic(call=call, keypair=signer)
    return si.submit_extrinsic(xt, wait_for_inclusion=True)


def _events(receipt) -> list[tuple[str, dict]]:
    return [(f"{e.value['module_id']}.{e.value['event_id']}", e.value["attributes"]) for e in receipt.triggered_events]


def _event(receipt, name: str):
    found = [attrs for n, attrs in _events(receipt) if n == name]
    assert found, f"no {name} in {[n for n, _ in _events(receipt)]}"
    return found[-1]


def _account(si, address: str) -> dict:
    return si.query("System", "Account", [address]).value["data"]


def test_a_proxy_transfers_for_its_delegator(si, keys) -> None:
    # Charlie delegates (not Alice: the dev node's block author receives the fees).
    alice, bob, dave = keys["Charlie"], keys["Bob"], keys["Dave"]
    reserved_before = _account(si, alice.ss58_address)["reserved"]
    add = si.compose_call("Proxy", "add_proxy", {"delegate": bob.ss58_address, "proxy_type": "Transfer", "delay": 0})
    receipt = _submit(si, add, alice)
    assert receipt.is_success, receipt.error_message
    assert _event(receipt, "Proxy.ProxyAdded") == {"delegator": alice.ss58_address, "delegatee": bob.ss58_address,
                                                   "proxy_type": "Transfer", "delay": 0}
    assert _account(si, alice.ss58_address)["reserved"] == reserved_before + PROXY_DEPOSIT
    proxies, deposit = si.query("Proxy", "Proxies", [alice.ss58_address]).value
    assert proxies == [{"delegate": bob.ss58_address, "proxy_type": "Transfer", "delay": 0}]
    assert deposit == PROXY_DEPOSIT

    alice_free = _account(si, alice.ss58_address)["free"]
    dave_free = _account(si, dave.ss58_address)["free"]
    transfer = si.compose_call("Balances", "transfer_keep_alive", {"dest": dave.ss58_address, "value": AMOUNT})
    proxied = si.compose_call("Proxy", "proxy", {"real": alice.ss58_address, "force_proxy_type": None,
                                                 "call": transfer})
    receipt = _submit(si, proxied, bob)
    assert receipt.is_success, receipt.error_message
    assert _event(receipt, "Proxy.ProxyExecuted") == {"result": {"Ok": ()}}
    assert _event(receipt, "Balances.Transfer") == {"from": alice.ss58_address, "to": dave.ss58_address,
                                                    "amount": AMOUNT}
    assert _account(si, dave.ss58_address)["free"] == dave_free + AMOUNT
    assert _account(si, alice.ss58_address)["free"] == alice_free - AMOUNT  # Bob paid the fee

    # Outside the proxy type: the proxy call succeeds, the inner call is filtered.
    remark = si.compose_call("System", "remark", {"remark": "0x00"})
    refused = si.compose_call("Proxy", "proxy", {"real": alice.ss58_address, "force_proxy_type": None,
                                                 "call": remark})
    receipt = _submit(si, refused, bob)
    assert receipt.is_success, receipt.error_message
    result = _event(receipt, "Proxy.ProxyExecuted")["result"]
    assert result == {"Err": {"Module": {"index": 0, "error": "0x05000000"}}}  # System.CallFiltered
    assert _account(si, dave.ss58_address)["free"] == dave_free + AMOUNT

    # Not a proxy of Alice: the outer call fails with Proxy.NotProxy.
    receipt = _submit(si, proxied, keys["Eve"])
    assert not receipt.is_success
    assert receipt.error_message["name"] == "NotProxy"

    receipt = _submit(si, si.compose_call("Proxy", "remove_proxies", {}), alice)
    assert receipt.is_success
    assert _account(si, alice.ss58_address)["reserved"] == reserved_before


def test_a_2_of_3_multisig_executes_a_transfer(si, keys) -> None:
    alice, bob, charlie, dave = keys["Alice"], keys["Bob"], keys["Charlie"], keys["Dave"]
    signatories = [alice.ss58_address, bob.ss58_address, charlie.ss58_address]
    multi = si.generate_multisig_account(signatories, 2)
    fund = si.compose_call("Balances", "transfer_keep_alive", {"dest": multi.ss58_address, "value": 3 * AMOUNT})
    assert _submit(si, fund, charlie).is_success

    dave_free = _account(si, dave.ss58_address)["free"]
    reserved_before = _account(si, alice.ss58_address)["reserved"]
    transfer = si.compose_call("Balances", "transfer_keep_alive", {"dest": dave.ss58_address, "value": AMOUNT})

    others = sorted((s for s in signatories if s != alice.ss58_address),
                    key=lambda a: bytes.fromhex(si.ss58_decode(a)))
    wrong = si.compose_call("Multisig", "as_multi", {
        "threshold": 1, "other_signatories": others,
        "maybe_timepoint": None, "call": transfer, "max_weight": {"ref_time": 0, "proof_size": 0}})
    receipt = _submit(si, wrong, alice)
    assert not receipt.is_success and receipt.error_message["name"] == "MinimumThreshold"

    # Alice opens it. (substrate-interface's `create_multisig_extrinsic` sizes `max_weight` with
    # `get_payment_info`, which cannot decode subtensor's u64 fees, against a real node too; the
    # call is composed as its helper would, with a generous weight limit.)
    opening = si.compose_call("Multisig", "as_multi", {
        "threshold": 2, "other_signatories": others, "maybe_timepoint": None, "call": transfer,
        "max_weight": MAX_WEIGHT})
    receipt = _submit(si, opening, alice)
    assert receipt.is_success, receipt.error_message
    opened = _event(receipt, "Multisig.NewMultisig")
    assert opened["approving"] == alice.ss58_address and opened["multisig"] == multi.ss58_address
    assert _account(si, alice.ss58_address)["reserved"] == reserved_before + MULTISIG_DEPOSIT_2
    stored = si.query("Multisig", "Multisigs", [multi.ss58_address, opened["call_hash"]]).value
    assert stored["depositor"] == alice.ss58_address and stored["approvals"] == [alice.ss58_address]
    assert stored["deposit"] == MULTISIG_DEPOSIT_2

    # Bob completes it at the opening's timepoint, read from storage.
    others = sorted((s for s in signatories if s != bob.ss58_address),
                    key=lambda a: bytes.fromhex(si.ss58_decode(a)))
    closing = si.compose_call("Multisig", "as_multi", {
        "threshold": 2, "other_signatories": others, "maybe_timepoint": stored["when"], "call": transfer,
        "max_weight": MAX_WEIGHT})
    receipt = _submit(si, closing, bob)
    assert receipt.is_success, receipt.error_message
    executed = _event(receipt, "Multisig.MultisigExecuted")
    assert executed["result"] == {"Ok": ()} and executed["multisig"] == multi.ss58_address
    assert executed["timepoint"] == stored["when"]
    assert _account(si, dave.ss58_address)["free"] == dave_free + AMOUNT
    assert _account(si, alice.ss58_address)["reserved"] == reserved_before
    assert si.query("Multisig", "Multisigs", [multi.ss58_address, opened["call_hash"]]).value is None
