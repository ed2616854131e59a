"""SubtensorModule's storage items and constants against the real chain:

- every storage entry and constant equals the real spec-381 devnet metadata's, item by item
  and in its order (name, modifier, hashers, key and value types, default bytes, docs;
  constant types, values, docs), by `assert_pallet_matches`;
- the storage keys of every map that finney 343 has with the same hashers and key types are
  the keys substrate-interface computes from that real metadata (whole and partial keys);
- values of the declared structs and enums encode as scalecodec encodes the real finney types;
- the comparison notices a wrong hasher, a wrong default, a wrong doc and two items swapped.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pysubtensor.pallets.subtensor import pallet
from pysubtensor.pallets.subtensor.order import CONSTANTS_ORDER, STORAGE_ORDER
from pysubtensor.pallets.subtensor.types import (
    NETUID,
    RATE_LIMIT_KEY,
    ROOT_CLAIM_TYPE,
    AxonInfo,
    ChainIdentityV2,
    NeuronCertificate,
    PrometheusInfo,
    SubnetIdentityV3,
    SubnetLease,
)
from pysubtensor.pallets.support.storage import StorageNMap
from pysubtensor.primitives import hashing
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.primitives.scale import BYTES, U16, U32, U64, BTreeSet, Codec, Tuple
from pysubtensor.primitives.types import ACCOUNT_ID
from tests.support.metadata import (
    DEVNET_381,
    FINNEY_343_V14,
    ITEMS_BEYOND_381,
    assert_pallet_matches,
    assert_same_type,
    oracle_key,
    real_pallet,
    scalecodec_encode,
    summary_pallet,
)
from tests.support.state import DictBackend

ALICE = bytes(range(32))
BOB = bytes(range(100, 132))


@dataclass
class _Spec381View:
    """SubtensorModule less the items declared beyond spec 381 (tests/conformance/
    test_subtensor_beyond_381.py checks those)."""

    name: str
    storage_items: list
    constant_items: list
    index: int = pallet.index


def _matches() -> None:
    beyond = ITEMS_BEYOND_381["SubtensorModule"]["storage"]
    view = _Spec381View("SubtensorModule", [i for i in pallet.storage_items if i.name not in beyond],
                        pallet.constant_items)
    assert_pallet_matches(view, DEVNET_381, sections=("storage", "constants"))
    assert [i.name for i in pallet.storage_items] == list(STORAGE_ORDER) + list(beyond)


def test_storage_and_constants_are_the_real_spec381_ones():
    _matches()
    assert len(pallet.storage_items) == 194 + len(ITEMS_BEYOND_381["SubtensorModule"]["storage"])
    assert len(pallet.constant_items) == 61


def test_the_order_is_the_decoded_summarys():
    """The order module lists what the metadata summary (decoded by another tool) lists."""
    summary = summary_pallet("SubtensorModule")
    assert list(STORAGE_ORDER) == summary["storage_list"]
    assert list(CONSTANTS_ORDER) == summary["constant_list"]


# -- keys, against substrate-interface over the real finney 343 metadata

#: A sample key value per key codec (scalecodec takes bytes as hex, oracle_key converts).
_SAMPLES: dict[int, object] = {id(U16): 0x0203, id(U32): 70_000, id(U64): 2**40 + 5, id(ACCOUNT_ID): ALICE,
                               id(BYTES): b"migrate_something"}


def _sample(codec: Codec, i: int) -> object:
    value = _SAMPLES[id(codec)]
    if value == ALICE and i % 2:
        return BOB
    return value


def _same_keys_in_finney(item: StorageNMap) -> bool:
    """Whether finney 343 has this map with the same key types (hashers are not consulted:
    the key test checks them)."""
    entry = next((e for e in real_pallet(FINNEY_343_V14, "SubtensorModule").storage.entries if e.name == item.name),
                 None)
    if entry is None or not hasattr(entry.ty, "hashers"):
        return False
    if any(id(k) not in _SAMPLES for k in item.keys):
        return False
    key = item.keys[0] if len(item.keys) == 1 else Tuple(*item.keys)
    try:
        assert_same_type(key, FINNEY_343_V14, entry.ty.key)
    except AssertionError:
        return False
    return True


_FINNEY_MAPS = [i for i in pallet.storage_items if isinstance(i, StorageNMap) and _same_keys_in_finney(i)]


def test_most_maps_are_compared_with_finney():
    names = {i.name for i in _FINNEY_MAPS}
    assert len(names) >= 120, len(names)
    assert {"Uids", "Keys", "Alpha", "Axons", "TotalHotkeyAlpha", "SubnetTAO", "ChildKeys", "WeightCommits",
            "TransactionKeyLastBlock", "HasMigrationRun", "LastColdkeyHotkeyStakeBlock"} <= names


@pytest.mark.parametrize("item", _FINNEY_MAPS, ids=lambda i: i.name)
def test_map_keys_are_the_real_ones(item):
    key = [_sample(k, n) for n, k in enumerate(item.keys)]
    assert item.hashed_key(*key) == oracle_key("SubtensorModule", item.name, *key)
    if len(key) > 1:
        assert item.prefix_key(key[0]) == oracle_key("SubtensorModule", item.name, key[0])


def test_rate_limit_keys_are_the_real_ones():
    """`LastRateLimitedBlock` is keyed by an enum (Identity-hashed): its key is the enum's SCALE."""
    limited = pallet.Storage.LastRateLimitedBlock
    for ours, theirs in ((("OwnerHyperparamUpdate", (3, "Kappa")), {"OwnerHyperparamUpdate": (3, "Kappa")}),
                         ("NetworkLastRegistered", "NetworkLastRegistered"),
                         (("LastTxBlockDelegateTake", ALICE), {"LastTxBlockDelegateTake": "0x" + ALICE.hex()})):
        assert limited.hashed_key(ours) == oracle_key("SubtensorModule", "LastRateLimitedBlock", theirs)
    assert RATE_LIMIT_KEY.encode(("OwnerHyperparamUpdate", (3, "Kappa"))) == bytes([1, 3, 0, 7])


# -- values, against scalecodec over the real finney 343 types


def test_struct_values_encode_as_scalecodec_encodes_the_real_types():
    axon = AxonInfo(block=7_000_123, version=9_002_001, ip=0x01020304, port=8091, ip_type=4, protocol=4,
                    placeholder1=0, placeholder2=0)
    assert axon.encode() == scalecodec_encode(("pallet_subtensor", "pallet", "AxonInfo"), {
        "block": 7_000_123, "version": 9_002_001, "ip": 0x01020304, "port": 8091, "ip_type": 4, "protocol": 4,
        "placeholder1": 0, "placeholder2": 0})
    prom = PrometheusInfo(block=5, version=1, ip=2**100, port=9090, ip_type=6)
    assert prom.encode() == scalecodec_encode(("pallet_subtensor", "pallet", "PrometheusInfo"), {
        "block": 5, "version": 1, "ip": 2**100, "port": 9090, "ip_type": 6})
    ident = ChainIdentityV2(b"name", b"https://x", b"gh", b"img", b"dc", b"desc", b"more")
    assert ident.encode() == scalecodec_encode(("pallet_subtensor", "pallet", "ChainIdentityV2"), {
        "name": "name", "url": "https://x", "github_repo": "gh", "image": "img", "discord": "dc",
        "description": "desc", "additional": "more"})
    subnet = SubnetIdentityV3(b"sn", b"gh", b"c", b"u", b"d", b"desc", b"logo", b"add")
    assert subnet.encode() == scalecodec_encode(("pallet_subtensor", "pallet", "SubnetIdentityV3"), {
        "subnet_name": "sn", "github_repo": "gh", "subnet_contact": "c", "subnet_url": "u", "discord": "d",
        "description": "desc", "logo_url": "logo", "additional": "add"})
    cert = NeuronCertificate(public_key=bytes(range(40)), algorithm=1)
    assert cert.encode() == scalecodec_encode(("pallet_subtensor", "pallet", "NeuronCertificate"), {
        "public_key": "0x" + bytes(range(40)).hex(), "algorithm": 1})
    lease = SubnetLease(beneficiary=ALICE, coldkey=BOB, hotkey=ALICE, emissions_share=40, end_block=1234, netuid=7,
                        cost=10**12)
    assert lease.encode() == scalecodec_encode(("pallet_subtensor", "subnets", "leasing", "SubnetLease"), {
        "beneficiary": "0x" + ALICE.hex(), "coldkey": "0x" + BOB.hex(), "hotkey": "0x" + ALICE.hex(),
        "emissions_share": 40, "end_block": 1234, "netuid": 7, "cost": 10**12})


def test_a_set_of_netuids_encodes_ordered_as_the_real_btreeset():
    """`BTreeSet<NetUid>` (in `RootClaimTypeEnum::KeepSubnets`) is its items in order."""
    subnets = frozenset({300, 1, 5})
    assert BTreeSet(NETUID).encode(subnets) == scalecodec_encode(("BTreeSet",), [1, 5, 300])
    assert ROOT_CLAIM_TYPE.encode(("KeepSubnets", {"subnets": subnets})) == \
        bytes([2]) + scalecodec_encode(("BTreeSet",), [1, 5, 300])
    assert ROOT_CLAIM_TYPE.decode_all(ROOT_CLAIM_TYPE.encode(("KeepSubnets", {"subnets": subnets}))) == \
        ("KeepSubnets", {"subnets": subnets})


# -- query kinds as FRAME's


def test_a_value_query_of_an_option_reads_none_and_stores_it():
    """`AlphaMapLastKey` is a ValueQuery of `Option<Vec<u8>>` defaulting to None: absent it
    reads None; set to None it stores the encoded None (a ValueQuery always stores)."""
    last_key = pallet.Storage.AlphaMapLastKey
    with using(Externalities(DictBackend())) as ext:
        assert last_key.get() is None and not last_key.exists()
        last_key.put(b"\x01\x02")
        assert ext.get(last_key.hashed_key()) == bytes([1, 8, 1, 2])
        last_key.set(None)
        assert ext.get(last_key.hashed_key()) == b"\x00" and last_key.get() is None


def test_hyperparameters_read_their_defaults_when_absent():
    tempo, kappa, burn = pallet.Storage.Tempo, pallet.Storage.Kappa, pallet.Storage.Burn
    with using(Externalities(DictBackend())):
        assert (tempo.get(1), kappa.get(1), burn.get(1)) == (10, 32_767, 100_000_000)
        assert pallet.Storage.Axons.get(1, ALICE) is None
        assert pallet.Storage.TokenSymbol.get(3) == "\U0001d70f".encode()


# -- the comparison notices declaration mistakes


def test_a_wrong_hasher_is_noticed(monkeypatch):
    tempo = pallet.Storage.Tempo
    monkeypatch.setattr(tempo, "hashers", (hashing.Blake2_128Concat,))
    with pytest.raises(AssertionError, match="Tempo"):
        _matches()


def test_a_wrong_default_is_noticed(monkeypatch):
    monkeypatch.setattr(pallet.Storage.Kappa, "default", 32_766)
    with pytest.raises(AssertionError, match="Kappa: default"):
        _matches()


def test_a_wrong_doc_is_noticed(monkeypatch):
    burn = pallet.Storage.Burn
    monkeypatch.setattr(burn, "docs", (" --- MAP ( netuid ) --> burn",))
    with pytest.raises(AssertionError, match="Burn: docs"):
        _matches()


def test_two_items_swapped_are_noticed():
    order = list(STORAGE_ORDER) + list(ITEMS_BEYOND_381["SubtensorModule"]["storage"])
    swapped = list(order)
    i, j = swapped.index("Rank"), swapped.index("Trust")
    swapped[i], swapped[j] = swapped[j], swapped[i]
    pallet.metadata_order(storage=swapped)
    try:
        with pytest.raises(AssertionError):
            _matches()
    finally:
        pallet.metadata_order(storage=order)
    _matches()
