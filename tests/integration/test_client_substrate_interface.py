"""substrate-interface 1.8.1 (main venv) against a running dev node over WebSocket.

What a py-substrate-interface user does: connect, V14 metadata (`state_getMetadata`; 1.8.1
knows nothing newer), `query System.Account`, `query_map`, a transfer with `wait_for_inclusion`
and with `wait_for_finalization`, the receipt's events and fee, `get_block`, `runtime_call`,
`get_payment_info`, and failing extrinsics whose receipts show the runtime's error.

Two places where substrate-interface cannot do against the real subtensor what it does on
other chains, and where we match the real chain rather than the library:
- `get_payment_info` decodes `TransactionPaymentApi_query_info` with the library's bundled
  runtime-API table (V14 has no API types), where `Balance` is u128; subtensor's Balance is u64,
  so the answer has 8 fee bytes, not 16, and the library cannot decode it. We check the raw
  `state_call` answer decodes as subtensor's `RuntimeDispatchInfo<u64>` and that the library's
  own decode fails, as it does against a real node.
- `ExtrinsicReceipt.error_message` only names `Module`, `BadOrigin`, `CannotLookup` and `Other`
  dispatch errors; the real runtime reports an overdraft as `Token(FundsUnavailable)`, which the
  receipt shows as `is_success == False` with `error_message None` — the error is read from the
  `System.ExtrinsicFailed` event. A module error (System.NothingAuthorized) is named in full.
"""

from __future__ import annotations

import pytest
from scalecodec.base import ScaleBytes
from substrateinterface import Keypair, SubstrateInterface
from substrateinterface.exceptions import SubstrateRequestException

from tests.support.fees import expected_fee

AMOUNT = 1_000_000_000  # 1 TAO in rao
DEV_FUNDS = 1_000_000 * 10**9  # Alice, Bob, Charlie at genesis


@pytest.fixture(scope="module")
def si(dev_node):
    substrate = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    yield substrate
    substrate.close()


@pytest.fixture(scope="module")
def keys():
    return {name: Keypair.create_from_uri(f"//{name}") for name in ("Alice", "Bob", "Charlie", "Dave")}


def _events(receipt) -> list[str]:
    return [f"{e.value['module_id']}.{e.value['event_id']}" for e in receipt.triggered_events]


def _attrs(receipt, name: str) -> dict:
    for e in receipt.triggered_events:
        if f"{e.value['module_id']}.{e.value['event_id']}" == name:
            return e.value["attributes"]
    raise AssertionError(f"no {name} in {_events(receipt)}")


def _free(si, address: str, block_hash: str | None = None) -> int:
    return si.query("System", "Account", [address], block_hash=block_hash).value["data"]["free"]


def _transfer(si, sender, dest: str, amount: int, **wait):
    call = si.compose_call("Balances", "transfer_keep_alive", {"dest": dest, "value": amount})
    ext = si.create_signed_extrinsic(call=call, keypair=sender, era={"period": 64})
    return ext, si.submit_extrinsic(ext, **wait)


def test_connect_and_metadata(si, dev_node):
    assert si.chain == dev_node.rpc("system_chain")["result"]
    si.init_runtime()
    assert si.runtime_version == dev_node.rpc("state_getRuntimeVersion")["result"]["specVersion"]
    assert si.metadata.value[1].keys() == {"V14"}  # what state_getMetadata must serve to 1.8.1
    assert si.implements_scaleinfo()
    assert si.ss58_format == 42
    assert si.get_metadata_call_function("Balances", "transfer_keep_alive") is not None
    assert si.get_constant("System", "SS58Prefix").value == 42


def test_query_system_account(si, keys):
    info = si.query("System", "Account", [keys["Alice"].ss58_address]).value
    assert set(info) >= {"nonce", "consumers", "providers", "sufficients", "data"}
    assert 0 < info["data"]["free"] <= DEV_FUNDS
    assert si.query("System", "Account", [keys["Charlie"].ss58_address]).value["data"]["free"] == DEV_FUNDS


def test_query_map(si, keys):
    accounts = {k.value: v.value["data"]["free"] for k, v in si.query_map("System", "Account", page_size=2)}
    for name in ("Alice", "Bob", "Charlie"):
        assert keys[name].ss58_address in accounts


def test_query_subtensor_root_network(si, keys):
    """SubtensorModule's genesis (the real build's root network and subnet 1) read as a client
    reads it: `TokenSymbol` is what bittensor's `connect` map-reads first."""
    assert si.query("SubtensorModule", "NetworksAdded", [0]).value is True
    assert si.query("SubtensorModule", "TotalNetworks").value == 2
    assert si.query("SubtensorModule", "Tempo", [0]).value == 100
    assert si.query("SubtensorModule", "SubnetOwner", [0]).value == keys["Alice"].ss58_address
    symbols = {k.value: v.value for k, v in si.query_map("SubtensorModule", "TokenSymbol")}
    # scalecodec shows a UTF-8 `Vec<u8>` as text: upper-case tau and alpha (bytes cea4, ceb1).
    assert symbols == {0: "\u03a4", 1: "\u03b1"}
    assert si.query("SubtensorModule", "NetworksAdded", [2]).value is False


def test_transfer_wait_for_finalization(si, keys):
    alice, bob = keys["Alice"], keys["Bob"]
    ext, receipt = _transfer(si, alice, bob.ss58_address, AMOUNT,
                             wait_for_inclusion=True, wait_for_finalization=True)
    assert receipt.is_success, receipt.error_message
    assert receipt.extrinsic_hash == "0x" + ext.extrinsic_hash.hex()
    names = _events(receipt)
    for expected in ("Balances.Withdraw", "Balances.Transfer", "TransactionPayment.TransactionFeePaid",
                     "System.ExtrinsicSuccess"):
        assert expected in names, names
    assert names[-1] == "System.ExtrinsicSuccess"
    fee = receipt.total_fee_amount
    assert fee > 0 and fee == _attrs(receipt, "TransactionPayment.TransactionFeePaid")["actual_fee"]
    assert _attrs(receipt, "Balances.Transfer") == {"from": alice.ss58_address, "to": bob.ss58_address,
                                                      "amount": AMOUNT}
    # balances around the inclusion block
    parent = si.get_block_header(receipt.block_hash)["header"]["parentHash"]
    assert _free(si, bob.ss58_address, receipt.block_hash) - _free(si, bob.ss58_address, parent) == AMOUNT
    back_to_author = sum(e.value["attributes"]["amount"] for e in receipt.triggered_events
                         if e.value["event_id"] == "Deposit" and e.value["module_id"] == "Balances"
                         and e.value["attributes"]["who"] == alice.ss58_address)
    paid = _free(si, alice.ss58_address, parent) - _free(si, alice.ss58_address, receipt.block_hash)
    assert paid == AMOUNT + fee - back_to_author
    # finalized: the finalized head is at or past the inclusion block
    fin = si.get_block_header(si.get_chain_finalised_head())["header"]["number"]
    assert fin >= si.get_block_number(receipt.block_hash)


def test_transfer_wait_for_inclusion_and_get_block(si, keys):
    charlie, dave = keys["Charlie"], keys["Dave"]
    _, receipt = _transfer(si, charlie, dave.ss58_address, AMOUNT, wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    block = si.get_block(block_hash=receipt.block_hash)
    assert block["header"]["hash"] == receipt.block_hash
    hashes = ["0x" + x.extrinsic_hash.hex() for x in block["extrinsics"] if x.extrinsic_hash]
    assert receipt.extrinsic_hash in hashes
    assert block["extrinsics"][receipt.extrinsic_idx].value["call"]["call_function"] == "transfer_keep_alive"
    by_number = si.get_block(block_number=block["header"]["number"])
    assert by_number["header"]["hash"] == receipt.block_hash
    # Charlie is not the block author: pays exactly amount + fee
    parent = block["header"]["parentHash"]
    paid = _free(si, charlie.ss58_address, parent) - _free(si, charlie.ss58_address, receipt.block_hash)
    assert paid == AMOUNT + receipt.total_fee_amount


def test_runtime_call(si, keys):
    alice = keys["Alice"]
    nonce = si.runtime_call("AccountNonceApi", "account_nonce", [alice.ss58_address]).value
    assert nonce == si.query("System", "Account", [alice.ss58_address]).value["nonce"] > 0
    assert si.get_account_nonce(alice.ss58_address) == nonce


def test_payment_info_matches_the_real_chain(si, keys):
    """substrate-interface decodes query_info's partial fee as u128; subtensor's is u64."""
    alice, bob = keys["Alice"], keys["Bob"]
    call = si.compose_call("Balances", "transfer_keep_alive", {"dest": bob.ss58_address, "value": AMOUNT})
    ext = si.create_signed_extrinsic(call=call, keypair=alice, signature="0x" + "00" * 64,
                                     nonce=si.get_account_nonce(alice.ss58_address))
    data = bytes(ext.data.data)
    arg = "0x" + (data + len(data).to_bytes(4, "little")).hex()
    raw = bytes.fromhex(si.rpc_request("state_call", ["TransactionPaymentApi_query_info", arg, None])["result"][2:])
    # RuntimeDispatchInfo<u64, Weight>: weight {ref_time: Compact<u64>, proof_size: Compact<u64>},
    # class u8, partial_fee u64
    weight_type = si.runtime_config.create_scale_object("sp_weights::weight_v2::Weight")
    weight_type.decode(ScaleBytes(raw), check_remaining=False)
    rest = raw[weight_type.data.offset:]
    assert len(rest) == 1 + 8, raw.hex()  # class + u64 fee: nothing else
    assert rest[0] == 0  # DispatchClass::Normal
    assert int.from_bytes(rest[1:], "little") > 0
    with pytest.raises(Exception):  # noqa: B017 - the library's u128 decode fails on the real u64 layout
        si.get_payment_info(call, alice)


def test_failing_transfer_shows_token_error(si, keys):
    bob, alice = keys["Bob"], keys["Alice"]
    before = _free(si, bob.ss58_address)
    # more than Bob has but less than the total issuance: can_withdraw checks the issuance first
    # (an amount above it is Arithmetic(Underflow), as in pallet_balances), then BalanceLow ->
    # Token(FundsUnavailable)
    _, receipt = _transfer(si, bob, alice.ss58_address, 2 * DEV_FUNDS, wait_for_inclusion=True)
    assert receipt.is_success is False
    failed = _attrs(receipt, "System.ExtrinsicFailed")
    assert failed["dispatch_error"] == {"Token": "FundsUnavailable"}, failed
    assert receipt.error_message is None  # 1.8.1 names only Module/BadOrigin/CannotLookup/Other errors
    assert receipt.total_fee_amount > 0  # the fee is charged for a failed dispatch
    assert "Balances.Transfer" not in _events(receipt)
    assert before - _free(si, bob.ss58_address, receipt.block_hash) >= receipt.total_fee_amount


def test_failing_extrinsic_shows_module_error(si, keys):
    """System.apply_authorized_upgrade is open to any origin; with nothing authorized the real
    runtime fails it with the module error System.NothingAuthorized."""
    call = si.compose_call("System", "apply_authorized_upgrade", {"code": "0x00"})
    ext = si.create_signed_extrinsic(call=call, keypair=keys["Charlie"], era={"period": 64})
    receipt = si.submit_extrinsic(ext, wait_for_inclusion=True)
    assert receipt.is_success is False
    assert receipt.error_message["type"] == "Module"
    assert receipt.error_message["name"] == "NothingAuthorized"


def test_invalid_transaction_is_rejected_synchronously(si, keys):
    """A stale nonce: author_submitAndWatchExtrinsic answers 1010 at once (else 1.8.1 would hang)."""
    alice, bob = keys["Alice"], keys["Bob"]
    call = si.compose_call("Balances", "transfer_keep_alive", {"dest": bob.ss58_address, "value": AMOUNT})
    ext = si.create_signed_extrinsic(call=call, keypair=alice, nonce=0)
    with pytest.raises(SubstrateRequestException) as err:
        si.submit_extrinsic(ext, wait_for_inclusion=True)
    assert err.value.args[0]["code"] == 1010
    assert err.value.args[0]["data"] == "Transaction is outdated"


# ---------------------------------------------------------------------------
# Long signing payloads, and fees seen from an account that does not author blocks.
# Alice authors every dev block and is paid every fee, so a wrong fee cancels out of her
# balance; Bob and Charlie pay, Alice only receives.


def _success_weight(receipt) -> int:
    return _attrs(receipt, "System.ExtrinsicSuccess")["dispatch_info"]["weight"]["ref_time"]


def _around(si, receipt, *addresses: str) -> dict[str, int]:
    """Each address's free balance change over the inclusion block."""
    parent = si.get_block_header(receipt.block_hash)["header"]["parentHash"]
    return {a: _free(si, a, receipt.block_hash) - _free(si, a, parent) for a in addresses}


def _assert_fee_paid_by_non_author(si, receipt, ext, payer: str, author: str, moved: int) -> None:
    """The fee the client reports: by subtensor's fee rule (written out in tests.support.fees,
    with the base weight of the real runtime), what the payer lost beyond `moved`, and what
    the author (paid the whole fee, TransactionFeeHandler) gained."""
    fee = receipt.total_fee_amount
    assert fee == _attrs(receipt, "TransactionPayment.TransactionFeePaid")["actual_fee"]
    assert fee == expected_fee(len(ext.data.data), _success_weight(receipt))
    change = _around(si, receipt, payer, author)
    assert change[payer] == -(moved + fee)
    assert change[author] == fee
    to_author = [e.value["attributes"] for e in receipt.triggered_events
                 if _name(e) == "Balances.Deposit" and e.value["attributes"]["who"] == author]
    assert [d["amount"] for d in to_author][-1] == fee


def _name(event) -> str:
    return f"{event.value['module_id']}.{event.value['event_id']}"


def test_transfer_fee_from_a_non_author(si, keys):
    bob, charlie, alice = keys["Bob"], keys["Charlie"], keys["Alice"]
    ext, receipt = _transfer(si, bob, charlie.ss58_address, AMOUNT, wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    _assert_fee_paid_by_non_author(si, receipt, ext, bob.ss58_address, alice.ss58_address, AMOUNT)
    assert _around(si, receipt, charlie.ss58_address)[charlie.ss58_address] == AMOUNT


def test_long_batch_is_signed_over_its_hash_and_included(si, keys):
    """A Utility.batch of six transfers: its signing payload is over 256 bytes, so
    substrate-interface signs the payload's blake2-256, as the runtime verifies it."""
    bob, alice = keys["Bob"], keys["Alice"]
    dests = [Keypair.create_from_uri(f"//{n}").ss58_address for n in ("Dave", "Eve", "Ferdie", "One", "Two", "Three")]
    transfers = [si.compose_call("Balances", "transfer_keep_alive", {"dest": d, "value": AMOUNT}) for d in dests]
    call = si.compose_call("Utility", "batch", {"calls": [t.value for t in transfers]})
    nonce = si.get_account_nonce(bob.ss58_address)
    era = {"period": 64, "current": si.get_block_number(si.get_chain_finalised_head())}
    # The client hashed it: the payload (call, extensions' data and implicit data) is over 256 bytes.
    assert len(si.generate_signature_payload(call, era=era, nonce=nonce).data) == 32
    ext = si.create_signed_extrinsic(call=call, keypair=bob, era=era, nonce=nonce)
    receipt = si.submit_extrinsic(ext, wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    names = _events(receipt)
    assert names.count("Balances.Transfer") == names.count("Utility.ItemCompleted") == 6
    assert "Utility.BatchInterrupted" not in names
    assert names.index("Utility.BatchCompleted") < names.index("TransactionPayment.TransactionFeePaid")
    assert names[-1] == "System.ExtrinsicSuccess"
    _assert_fee_paid_by_non_author(si, receipt, ext, bob.ss58_address, alice.ss58_address, 6 * AMOUNT)
    assert set(_around(si, receipt, *dests).values()) == {AMOUNT}


def test_1kb_remark_is_signed_over_its_hash_and_included(si, keys):
    charlie, alice = keys["Charlie"], keys["Alice"]
    call = si.compose_call("System", "remark", {"remark": "0x" + "61" * 1024})
    ext = si.create_signed_extrinsic(call=call, keypair=charlie, era={"period": 64})
    assert len(ext.data.data) > 1024
    receipt = si.submit_extrinsic(ext, wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    assert _events(receipt)[-2:] == ["TransactionPayment.TransactionFeePaid", "System.ExtrinsicSuccess"]
    block = si.get_block(block_hash=receipt.block_hash)
    assert block["extrinsics"][receipt.extrinsic_idx].value["call"]["call_args"][0]["value"] == "a" * 1024
    _assert_fee_paid_by_non_author(si, receipt, ext, charlie.ss58_address, alice.ss58_address, 0)
