"""Subnet leases and EVM key association driven by substrate-interface 1.8.1 on a running
`pysubtensor --dev` node.

Lease: //Alice creates a crowdloan whose call is `SubtensorModule.register_leased_network`,
//Bob and //Charlie contribute to the cap (the lock cost the node reports through
`SubnetRegistrationRuntimeApi_get_network_registration_cost`, plus 10 TAO), and Alice finalizes it: the subnet is registered
by the lease coldkey, Alice gets a `SubnetLeaseBeneficiary` proxy over it and starts the subnet
through `Proxy.proxy`; after the end block she terminates the lease and owns the subnet. The
lease coldkey is recomputed here with substrate-interface's own blake2 and SCALE
(`("leasing/coldkey", 0u32)`).

EVM: //Bob registers a hotkey on the leased subnet; the hotkey signs `associate_evm_key` with
an EIP-191 signature made by eth-keys over `hotkey ++ keccak_256(SCALE(block))`; a signature
for another address is refused with the module error the real pallet returns.
"""

from __future__ import annotations

import time

import pytest
from eth_keys import keys
from eth_utils import keccak
from substrateinterface import Keypair, SubstrateInterface
from substrateinterface.utils.hasher import blake2_256

TAO = 10**9
ALICE, BOB, CHARLIE = (Keypair.create_from_uri(f"//{n}") for n in ("Alice", "Bob", "Charlie"))


def _submit(si: SubstrateInterface, keypair: Keypair, module: str, function: str, params: dict):
    call = si.compose_call(module, function, params)
    ext = si.create_signed_extrinsic(call=call, keypair=keypair, era={"period": 64})
    return si.submit_extrinsic(ext, wait_for_inclusion=True)


def _ok(si, keypair, module, function, params) -> list[tuple[str, str, object]]:
    receipt = _submit(si, keypair, module, function, params)
    assert receipt.is_success, receipt.error_message
    return [(e.value["module_id"], e.value["event_id"], e.value["attributes"]) for e in receipt.triggered_events]


def _free(si, address: str) -> int:
    return si.query("System", "Account", [address]).value["data"]["free"]


def _block(si) -> int:
    return si.get_block_number(si.get_chain_head())


@pytest.fixture(scope="module")
def si(dev_node):
    substrate = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    yield substrate
    substrate.close()


def _lease_account(si, kind: str, lease_id: int) -> str:
    seed = si.runtime_config.create_scale_object("(Str, u32)")
    return si.ss58_encode(blake2_256(seed.encode((f"leasing/{kind}", lease_id)).data))


@pytest.fixture(scope="module")
def lease(si):
    """The lease, created through the Crowdloan pallet."""
    # substrate-interface 1.8.1 knows only its bundled runtime APIs: a raw `state_call`, a u64 back.
    result = si.rpc_request("state_call", ["SubnetRegistrationRuntimeApi_get_network_registration_cost", "0x"])
    lock = int.from_bytes(bytes.fromhex(result["result"][2:]), "little")
    cap = lock + 10 * TAO
    deposit = 10 * TAO
    lease_id = si.query("SubtensorModule", "NextSubnetLeaseId").value
    crowdloan_id = si.query("Crowdloan", "NextCrowdloanId").value
    end_block = _block(si) + 40
    stored = si.compose_call("SubtensorModule", "register_leased_network",
                             {"emissions_share": 30, "end_block": end_block})
    _ok(si, ALICE, "Crowdloan", "create", {"deposit": deposit, "min_contribution": TAO, "cap": cap,
                                           "end": _block(si) + 100, "call": stored, "target_address": None})
    bob_part = (cap - deposit) * 6 // 10
    _ok(si, BOB, "Crowdloan", "contribute", {"crowdloan_id": crowdloan_id, "amount": bob_part})
    _ok(si, CHARLIE, "Crowdloan", "contribute", {"crowdloan_id": crowdloan_id, "amount": cap - deposit - bob_part})
    bob_before, charlie_before = _free(si, BOB.ss58_address), _free(si, CHARLIE.ss58_address)
    events = _ok(si, ALICE, "Crowdloan", "finalize", {"crowdloan_id": crowdloan_id})
    netuid = si.query("SubtensorModule", "SubnetLeases", [lease_id]).value["netuid"]
    return {"id": lease_id, "netuid": netuid, "cap": cap, "end_block": end_block, "events": events, "bob_part": bob_part,
            "bob_before": bob_before, "charlie_before": charlie_before}


def test_register_leased_network_through_a_crowdloan(si, lease):
    coldkey, hotkey = _lease_account(si, "coldkey", lease["id"]), _lease_account(si, "hotkey", lease["id"])
    info = si.query("SubtensorModule", "SubnetLeases", [lease["id"]]).value
    netuid = info["netuid"]
    assert (info["beneficiary"], info["coldkey"], info["hotkey"]) == (ALICE.ss58_address, coldkey, hotkey)
    assert (info["emissions_share"], info["end_block"]) == (30, lease["end_block"])
    events = lease["events"]
    assert ("SubtensorModule", "SubnetLeaseCreated", {"beneficiary": ALICE.ss58_address, "lease_id": lease["id"],
                                                      "netuid": netuid, "end_block": lease["end_block"]}) in events
    assert ("SubtensorModule", "NetworkAdded", (netuid, 1)) in events
    assert ("Proxy", "ProxyAdded", {"delegator": coldkey, "delegatee": ALICE.ss58_address,
                                    "proxy_type": "SubnetLeaseBeneficiary", "delay": 0}) in events
    assert ("Crowdloan", "Finalized", {"crowdloan_id": si.query("Crowdloan", "NextCrowdloanId").value - 1}) in events
    assert si.query("SubtensorModule", "SubnetOwner", [netuid]).value == coldkey
    assert si.query("SubtensorModule", "SubnetOwnerHotkey", [netuid]).value == hotkey
    assert si.query("SubtensorModule", "SubnetUidToLeaseId", [netuid]).value == lease["id"]
    proxies, _deposit = si.query("Proxy", "Proxies", [coldkey]).value
    assert proxies == [{"delegate": ALICE.ss58_address, "proxy_type": "SubnetLeaseBeneficiary", "delay": 0}]
    # The leftover cap went back: Bob his share of it (floored), the lease coldkey keeps nothing free.
    leftover = lease["cap"] - info["cost"]
    shares = {k.value: v.value for k, v in si.query_map("SubtensorModule", "SubnetLeaseShares", [lease["id"]])}
    assert set(shares) == {BOB.ss58_address, CHARLIE.ss58_address}
    bob_share = shares[BOB.ss58_address]
    bob_bits = bob_share["bits"] if isinstance(bob_share, dict) else bob_share
    assert bob_bits == (lease["bob_part"] << 64) // lease["cap"]
    assert _free(si, BOB.ss58_address) - lease["bob_before"] == (bob_bits * leftover) >> 64
    assert _free(si, coldkey) == 0


def test_beneficiary_operates_the_subnet_through_its_proxy(si, lease):
    coldkey = _lease_account(si, "coldkey", lease["id"])
    netuid = si.query("SubtensorModule", "SubnetLeases", [lease["id"]]).value["netuid"]
    inner = si.compose_call("SubtensorModule", "start_call", {"netuid": netuid})
    events = _ok(si, ALICE, "Proxy", "proxy", {"real": coldkey, "force_proxy_type": None, "call": inner})
    assert ("Proxy", "ProxyExecuted", {"result": {"Ok": ()}}) in events
    assert si.query("SubtensorModule", "FirstEmissionBlockNumber", [netuid]).value is not None
    # A call outside the proxy type is filtered.
    transfer = si.compose_call("Balances", "transfer_keep_alive", {"dest": ALICE.ss58_address, "value": 1})
    events = _ok(si, ALICE, "Proxy", "proxy", {"real": coldkey, "force_proxy_type": None, "call": transfer})
    executed = [a for m, e, a in events if (m, e) == ("Proxy", "ProxyExecuted")]
    assert executed[0]["result"]["Err"]["Module"]["index"] == 0  # System.CallFiltered


def test_associate_evm_key(si, lease):
    netuid = si.query("SubtensorModule", "SubnetLeases", [lease["id"]]).value["netuid"]
    hot = Keypair.create_from_uri("//Bob//evm-hotkey")
    _ok(si, BOB, "Balances", "transfer_keep_alive", {"dest": hot.ss58_address, "value": TAO})
    _ok(si, BOB, "SubtensorModule", "burned_register", {"netuid": netuid, "hotkey": hot.ss58_address})
    uid = si.query("SubtensorModule", "Uids", [netuid, hot.ss58_address]).value
    eth = keys.PrivateKey(bytes.fromhex("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"))
    block_number = _block(si)

    def signature(key: keys.PrivateKey) -> str:
        message = hot.public_key + keccak(block_number.to_bytes(8, "little"))
        digest = keccak(b"\x19Ethereum Signed Message:\n" + str(len(message)).encode() + message)
        sig = key.sign_msg_hash(digest)
        return "0x" + (sig.r.to_bytes(32, "big") + sig.s.to_bytes(32, "big") + bytes((sig.v + 27,))).hex()

    address = eth.public_key.to_checksum_address()
    wrong = _submit(si, hot, "SubtensorModule", "associate_evm_key", {
        "netuid": netuid, "evm_key": address, "block_number": block_number,
        "signature": signature(keys.PrivateKey(b"\x01" * 32))})
    assert not wrong.is_success and wrong.error_message["name"] == "InvalidRecoveredPublicKey"

    free_before = _free(si, hot.ss58_address)
    receipt = _submit(si, hot, "SubtensorModule", "associate_evm_key", {
        "netuid": netuid, "evm_key": address, "block_number": block_number, "signature": signature(eth)})
    assert receipt.is_success, receipt.error_message
    included = si.get_block_number(receipt.block_hash)
    events = [(e.value["module_id"], e.value["event_id"], e.value["attributes"]) for e in receipt.triggered_events]
    assert ("SubtensorModule", "EvmKeyAssociated", {"netuid": netuid, "hotkey": hot.ss58_address,
                                                    "evm_key": address.lower(), "block_associated": included}) in events
    stored = si.query("SubtensorModule", "AssociatedEvmAddress", [netuid, uid]).value
    assert stored == (address.lower(), included)
    assert _free(si, hot.ss58_address) == free_before  # Pays::No


def test_terminate_lease_after_its_end(si, lease):
    info = si.query("SubtensorModule", "SubnetLeases", [lease["id"]]).value
    netuid, coldkey = info["netuid"], info["coldkey"]
    new_hotkey = Keypair.create_from_uri("//Alice//lease-owner")
    _ok(si, ALICE, "SubtensorModule", "try_associate_hotkey", {"hotkey": new_hotkey.ss58_address})
    if _block(si) < lease["end_block"]:
        early = _submit(si, ALICE, "SubtensorModule", "terminate_lease",
                        {"lease_id": lease["id"], "hotkey": new_hotkey.ss58_address})
        if si.get_block_number(early.block_hash) < lease["end_block"]:
            assert not early.is_success and early.error_message["name"] == "LeaseHasNotEnded"
    deadline = time.monotonic() + 60
    while _block(si) < lease["end_block"]:
        assert time.monotonic() < deadline, "the chain did not reach the lease's end block"
        time.sleep(0.25)
    events = _ok(si, ALICE, "SubtensorModule", "terminate_lease",
                 {"lease_id": lease["id"], "hotkey": new_hotkey.ss58_address})
    assert ("SubtensorModule", "SubnetLeaseTerminated", {"beneficiary": ALICE.ss58_address, "netuid": netuid}) in events
    assert si.query("SubtensorModule", "SubnetOwner", [netuid]).value == ALICE.ss58_address
    assert si.query("SubtensorModule", "SubnetOwnerHotkey", [netuid]).value == new_hotkey.ss58_address
    assert si.query("SubtensorModule", "SubnetLeases", [lease["id"]]).value is None
    assert list(si.query_map("SubtensorModule", "SubnetLeaseShares", [lease["id"]])) == []
    assert si.query("Proxy", "Proxies", [coldkey]).value[0] == []


def test_pool_refuses_with_the_real_custom_codes(si, lease):
    """SubtensorTransactionExtension at pool time: substrate-interface's submission is refused
    with 1010 and `InvalidTransaction::Custom`'s real code, and nothing is included:
    `associate_evm_key` by a key without a uid is UidNotFound (19), `serve_axon` by an
    unregistered hotkey HotKeyNotRegisteredInNetwork (10)."""
    from substrateinterface.exceptions import SubstrateRequestException

    netuid = lease["netuid"]
    nonce = si.get_account_nonce(CHARLIE.ss58_address)
    for function, params, code in (
        ("associate_evm_key", {"netuid": netuid, "evm_key": "0x" + "11" * 20, "block_number": 0,
                               "signature": "0x" + "00" * 65}, 19),
        ("serve_axon", {"netuid": netuid, "version": 1, "ip": 1676056785, "port": 8091, "ip_type": 4,
                        "protocol": 0, "placeholder1": 0, "placeholder2": 0}, 10),
    ):
        call = si.compose_call("SubtensorModule", function, params)
        ext = si.create_signed_extrinsic(call=call, keypair=CHARLIE, era={"period": 64})
        with pytest.raises(SubstrateRequestException) as err:
            si.submit_extrinsic(ext, wait_for_inclusion=False)
        assert (err.value.args[0]["code"], err.value.args[0]["data"]) == (1010, f"Custom error: {code}")
    assert si.get_account_nonce(CHARLIE.ss58_address) == nonce
