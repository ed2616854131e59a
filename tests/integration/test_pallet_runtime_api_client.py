"""Pallet-declared runtime APIs answer a real client: substrate-interface 1.8.1 sends
`state_call` to a running dev node and the result is decoded with scalecodec. The expected
values come from elsewhere: the chain spec's slot (250 ms blocks: `MinimumPeriod` 125 * 2),
Alice's sr25519 key (the dev Aura authority), and the nonce substrate-interface reads from
`System.Account` storage with its own key hashing and metadata decoding."""

from __future__ import annotations

import pytest
from scalecodec.base import RuntimeConfiguration, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset
from substrateinterface import Keypair, SubstrateInterface


@pytest.fixture(scope="module")
def si(dev_node):
    substrate = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    yield substrate
    substrate.close()


def _decode(type_string: str, hex_data: str):
    rc = RuntimeConfiguration()
    rc.update_type_registry(load_type_registry_preset("core"))
    obj = rc.create_scale_object(type_string, ScaleBytes(hex_data))
    return obj.decode()


def test_aura_slot_duration(si):
    result = si.rpc_request("state_call", ["AuraApi_slot_duration", "0x"])["result"]
    assert _decode("u64", result) == 250


def test_aura_authorities_are_alice(si):
    result = si.rpc_request("state_call", ["AuraApi_authorities", "0x"])["result"]
    alice = Keypair.create_from_uri("//Alice")
    assert _decode("Vec<[u8; 32]>", result) == ["0x" + alice.public_key.hex()]


def test_account_nonce_after_a_transfer(si):
    bob = Keypair.create_from_uri("//Bob")
    call = si.compose_call("Balances", "transfer_keep_alive",
                           {"dest": Keypair.create_from_uri("//Dave").ss58_address, "value": 10**9})
    receipt = si.submit_extrinsic(si.create_signed_extrinsic(call, bob), wait_for_inclusion=True)
    assert receipt.is_success
    stored = si.query("System", "Account", [bob.ss58_address]).value["nonce"]
    assert stored >= 1
    result = si.rpc_request("state_call", ["AccountNonceApi_account_nonce", "0x" + bob.public_key.hex()])["result"]
    assert _decode("u32", result) == stored
