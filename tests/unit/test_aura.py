"""Aura (pallet_aura): shape against the real metadata, genesis and digests of real chains,
and the slot rules."""

from __future__ import annotations

import json

import pytest

import pysubtensor.pallets.aura as aura
import pysubtensor.pallets.system as system
import pysubtensor.pallets.timestamp as timestamp
from pysubtensor.pallets.support.dispatch import Origin, RuntimePanic, Weight
from pysubtensor.primitives import header
from pysubtensor.primitives.scale import U16
from tests.conftest import vectors_dir
from tests.support.frame import frame_env
from tests.support.metadata import BLOBS, assert_pallet_matches, summary_pallet

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")


def _pre_runtime(slot: int) -> header.Digest:
    return header.Digest([header.PreRuntime(aura.AURA_ENGINE_ID, slot.to_bytes(8, "little"))])


@pytest.mark.parametrize("blob", BLOBS)
def test_declarations_match_the_real_metadata(blob):
    skip = () if blob == BLOBS[0] else ("SlotDuration",)  # finney: 12 s slots
    assert_pallet_matches(aura.pallet, blob, skip_constant_values=skip)


def test_summary_names_and_slot_duration():
    s = summary_pallet("Aura")
    assert s["storage_list"] == ["Authorities", "CurrentSlot"] and s["constant_list"] == ["SlotDuration"]
    assert aura.Constants.SlotDuration == 2 * timestamp.Constants.MinimumPeriod == 250


def test_genesis_authorities_as_the_real_genesis_builder():
    path = vectors_dir() / "oracle" / "genesis" / "auradev_spec293_genesis_storage_from_genesisbuilder.json"
    top = {bytes.fromhex(k[2:]): bytes.fromhex(v[2:]) for k, v in json.loads(path.read_text())["top"].items()}
    with frame_env(aura.pallet) as ext:
        aura.pallet.genesis_build({"authorities": ["5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"]})
        ext.set(aura.pallet.storage_version_key, U16.encode(aura.pallet.storage_version))
        ours = ext.overlay.changes()
    assert ours == {k: v for k, v in top.items() if k[:16] == aura.pallet.storage_version_key[:16]}
    assert aura.Authorities.value.decode_all(ours[aura.Authorities.storage_key]) == [ALICE]


def test_slot_from_a_real_header_digest():
    path = vectors_dir() / "oracle" / "chopsticks" / "chopsticks_spec218_transfer_session.json"
    session = json.loads(path.read_text())
    log = next(c["result"] for c in session["calls"] if c["method"] == "chain_getHeader")["digest"]["logs"][0]
    item = header.DIGEST_ITEM.decode_all(bytes.fromhex(log[2:]))
    assert aura.slot_from_digests([item]) == 0x23AE4AD7


def test_on_initialize_takes_the_slot_and_requires_it_to_grow():
    with frame_env(aura.pallet):
        system.initialize(1, bytes(32), _pre_runtime(100))
        assert aura.on_initialize(1) == Weight(150_000_000, 0)
        assert aura.CurrentSlot.get() == 100
        system.initialize(2, bytes(32), _pre_runtime(100))
        with pytest.raises(RuntimePanic, match="Slot must increase"):
            aura.on_initialize(2)
        system.initialize(3, bytes(32), header.Digest())
        assert aura.on_initialize(3) == Weight(25_000_000, 0)  # no slot digest: one read


def test_timestamp_must_lie_in_the_slot():
    with frame_env(aura.pallet, timestamp.pallet):
        system.initialize(1, bytes(32), _pre_runtime(8))
        aura.on_initialize(1)
        aura.on_timestamp_set(8 * 250)
        aura.on_timestamp_set(8 * 250 + 249)
        with pytest.raises(RuntimePanic, match="Timestamp slot must match"):
            aura.on_timestamp_set(9 * 250)
        # Bound as Timestamp's OnTimestampSet (as the runtime binds it), the inherent enforces it.
        with timestamp.pallet.bound(on_timestamp_set=aura.on_timestamp_set), pytest.raises(RuntimePanic):
            timestamp.pallet.dispatch(Origin.none(), ("set", {"now": 3 * 250}))


def test_authors():
    with frame_env(aura.pallet):
        aura.initialize_authorities([ALICE, BOB])
        assert aura.authorities_len() == 2
        assert aura.find_author(_pre_runtime(7).logs) == 1
        assert aura.find_author([]) is None
        with pytest.raises(RuntimePanic):
            aura.initialize_authorities([ALICE])


def test_runtime_upgrade_recomputes_the_slot():
    with frame_env(aura.pallet, timestamp.pallet):
        timestamp.Now.put(2_500)
        assert aura.on_runtime_upgrade() == Weight(150_000_000, 0)
        assert aura.CurrentSlot.get() == 10
        assert aura.on_runtime_upgrade() == Weight(50_000_000, 0)
