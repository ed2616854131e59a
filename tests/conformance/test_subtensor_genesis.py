"""SubtensorModule's genesis on the dev chain: the items and values of the real genesis build
(opentensor/subtensor pallets/subtensor/src/macros/genesis.rs at spec 381, fast runtime), each
key computed by substrate-interface from the real finney 343 metadata and each value encoded
by scalecodec as that metadata's value type: codecs and hashers we did not write.

subtensor has no Rust test of its genesis build (its mock builds only frame_system's), so the
expected table below is the Rust build read line by line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from substrateinterface import Keypair as TheirKeypair
from substrateinterface.storage import StorageKey
from substrateinterface.utils.hasher import xxh128

from pysubtensor.runtime.genesis import (
    GenesisBuildError,
    build_state,
    dev_genesis_config,
    genesis_storage,
    get_preset,
    local_testnet_config,
)
from tests.support.metadata import scalecodec_finney

ALICE = bytes(TheirKeypair.create_from_uri("//Alice").public_key)
ALICE_HK = bytes(TheirKeypair.create_from_uri("//Alice_hk").public_key)
ZERO = bytes(32)  # DefaultAccount / DefaultSubnetOwner: decoded from zeroes
BITS_1E9 = {"bits": 1_000_000_000 << 64}  # U64F64::saturating_from_num(1_000_000_000)

#: (item, key params, value as scalecodec takes it): every item the real build writes.
ROOT_NETWORK = [
    ("NetworksAdded", [0], True),
    ("SubnetOwner", [0], ALICE),  # prod_or_fast!: Alice in a fast runtime
    ("SubnetOwnerHotkey", [0], ALICE_HK),  # prod_or_fast!: //Alice_hk
    ("SubnetworkN", [0], 0),
    ("MaxAllowedUids", [0], 64),
    ("MaxAllowedValidators", [0], 64),
    ("MinAllowedWeights", [0], 0),
    ("Tempo", [0], 100),
    ("NetworkRegistrationAllowed", [0], True),
    ("TargetRegistrationsPerInterval", [0], 1),
    ("TokenSymbol", [0], "0xcea4"),  # SYMBOLS[0]: upper-case tau
]
SUBNET_1 = [
    ("SubnetMechanism", [1], 1),
    ("Owner", [ZERO], ZERO),
    ("SubnetAlphaIn", [1], 10_000_000_000),
    ("SubnetTAO", [1], 10_000_000_000),
    ("NetworksAdded", [1], True),
    ("SubnetworkN", [1], 1),
    ("MaxAllowedUids", [1], 256),
    ("MaxAllowedValidators", [1], 64),
    ("MinAllowedWeights", [1], 0),
    ("Tempo", [1], 100),
    ("NetworkRegistrationAllowed", [1], True),
    ("SubnetOwner", [1], ZERO),
    ("SubnetLocked", [1], 1),
    ("LargestLocked", [1], 1),
    ("Alpha", [ZERO, ZERO, 1], BITS_1E9),
    ("TotalHotkeyAlpha", [ZERO, 1], 1_000_000_000),
    ("TotalHotkeyShares", [ZERO, 1], BITS_1E9),
    ("SubnetAlphaOut", [1], 1_000_000_000),
    ("StakingHotkeys", [ZERO], [ZERO]),
    ("Rank", [1], [0]),
    ("Trust", [1], [0]),
    ("Active", [1], [True]),
    ("Emission", [1], [0]),
    ("Consensus", [1], [0]),
    ("Incentive", [1], [0]),
    ("Dividends", [1], [0]),
    ("LastUpdate", [1], [0]),  # the block number at genesis
    ("PruningScores", [1], [0]),
    ("ValidatorTrust", [1], [0]),
    ("ValidatorPermit", [1], [False]),
    ("Keys", [1, 0], ZERO),
    ("Uids", [1, ZERO], 0),
    ("BlockAtRegistration", [1, 0], 0),
    ("IsNetworkMember", [ZERO, 1], True),
    ("TokenSymbol", [1], "0xceb1"),  # SYMBOLS[1]: alpha
]
GLOBAL = [
    ("TotalIssuance", [], 0),  # balancesIssuance, 0 by default
    ("TotalNetworks", [], 2),
]
PREFIX = bytes(xxh128(b"SubtensorModule"))
VERSION_KEY = PREFIX + bytes(xxh128(b":__STORAGE_VERSION__:"))


def _hex(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, list):
        return [_hex(v) for v in value]
    return value


def expected_entry(item: str, params: list, value: Any) -> tuple[bytes, bytes]:
    rc, md = scalecodec_finney()
    key = StorageKey.create_from_storage_function("SubtensorModule", item, _hex(params), runtime_config=rc, metadata=md)
    encoded = rc.create_scale_object(key.value_scale_type, metadata=md).encode(_hex(value))
    return bytes(key.data), bytes(encoded.data)


def expected_storage(extra: list | None = None) -> dict[bytes, bytes]:
    out = dict(expected_entry(*e) for e in GLOBAL + ROOT_NETWORK + SUBNET_1 + (extra or []))
    out[VERSION_KEY] = (7).to_bytes(2, "little")  # pallet_subtensor's STORAGE_VERSION in spec 381
    return out


def subtensor_storage(config: dict[str, Any]) -> dict[bytes, bytes]:
    return {k: v for k, v in genesis_storage(config).items() if k.startswith(PREFIX)}


@pytest.mark.parametrize("config", [dev_genesis_config, local_testnet_config], ids=["development", "local_testnet"])
def test_dev_genesis_has_the_real_root_network_and_subnet_1(config):
    assert subtensor_storage(config()) == expected_storage()


def test_genesis_config_fields_are_node_subtensors():
    """`GenesisConfig { stakes, balances_issuance, start_call_delay }` as serde's camelCase
    JSON; the real runtime's benchmark preset writes `subtensorModule` with two of them."""
    default = json.loads(get_preset(None))
    assert default["subtensorModule"] == {"stakes": [], "balancesIssuance": 0, "startCallDelay": None}
    assert json.loads(get_preset("benchmark"))["subtensorModule"] == {"balancesIssuance": 0, "stakes": []}


def test_balances_issuance_and_start_call_delay_are_written():
    config = dev_genesis_config()
    config["subtensorModule"] = {"balancesIssuance": 123_456, "startCallDelay": 7,
                                 "stakes": [[TheirKeypair.create_from_uri("//Bob").ss58_address, []]]}
    expected = expected_storage()
    expected.update([expected_entry("TotalIssuance", [], 123_456)])
    # StartCallDelay is newer than finney 343: its plain key from the hasher, u64 LE value.
    expected[PREFIX + bytes(xxh128(b"StartCallDelay"))] = (7).to_bytes(8, "little")
    assert subtensor_storage(config) == expected


@pytest.mark.parametrize("section, message", [
    ({"balancesIssuance": 0, "stakez": []}, "unknown field `stakez`"),
    ({"balancesIssuance": -1}, "balancesIssuance"),
    ({"startCallDelay": "soon"}, "startCallDelay"),
])
def test_bad_genesis_config_is_refused(section, message):
    config = {"subtensorModule": section}
    with pytest.raises(GenesisBuildError, match=message):
        build_state(json.dumps(config))
