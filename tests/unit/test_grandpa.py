"""Grandpa (pallet_grandpa): shape against the real metadata, genesis against a real genesis
builder, the refusing equivocation calls, and scheduled changes enacted in `on_finalize`."""

from __future__ import annotations

import json

import pytest

import pysubtensor.pallets.grandpa as grandpa
import pysubtensor.pallets.system as system
from pysubtensor.pallets.grandpa.pallet import CONSENSUS_LOG, Error, Event
from pysubtensor.pallets.support.dispatch import BadOrigin, DispatchError, Origin, Weight
from pysubtensor.primitives import header
from pysubtensor.primitives.scale import U16, ScaleDecodeError
from tests.conftest import vectors_dir
from tests.support.frame import frame_env
from tests.support.metadata import BLOBS, assert_pallet_matches, summary_pallet

ALICE_ED25519 = bytes.fromhex("88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee")
BOB_ED25519 = bytes.fromhex("d17c2d7823ebf260fd138f2d7e27d114c0145d968b5ff5006125f2414fadae69")


@pytest.mark.parametrize("blob", BLOBS)
def test_declarations_match_the_real_metadata(blob):
    with frame_env(grandpa.pallet):
        assert_pallet_matches(grandpa.pallet, blob)


def test_summary_names():
    s = summary_pallet("Grandpa")
    p = grandpa.pallet
    assert [(c["index"], c["name"], c["fields"]) for c in s["call_list"]] == \
        [(v.index, v.name, [f.name for f in v.fields]) for v in p.call_enum.variants]
    assert s["event_list"] == [[v.index, v.name] for v in p.event_enum.variants]
    assert s["error_list"] == [[v.index, v.name] for v in p.error_enum.variants]


def test_genesis_as_the_real_genesis_builder():
    path = vectors_dir() / "oracle" / "genesis" / "auradev_spec293_genesis_storage_from_genesisbuilder.json"
    top = {bytes.fromhex(k[2:]): bytes.fromhex(v[2:]) for k, v in json.loads(path.read_text())["top"].items()}
    with frame_env(grandpa.pallet) as ext:
        grandpa.pallet.genesis_build({"authorities": [["5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu", 1]]})
        ext.set(grandpa.pallet.storage_version_key, U16.encode(grandpa.pallet.storage_version))
        ours = ext.overlay.changes()
    assert ours == {k: v for k, v in top.items() if k[:16] == grandpa.pallet.storage_version_key[:16]}
    assert grandpa.Authorities.value.decode_all(ours[grandpa.Authorities.storage_key]) == [(ALICE_ED25519, 1)]


def test_equivocation_reports_cannot_even_be_decoded():
    """`KeyOwnerProof` is `sp_core::Void`: whatever follows the proof, no call decodes."""
    proof = grandpa.pallet.calls["report_equivocation"].fields[0].codec
    vote = {"target_hash": bytes(32), "target_number": 1}
    encoded_proof = proof.encode({"set_id": 0, "equivocation": ("Prevote", {
        "round_number": 1, "identity": ALICE_ED25519,
        "first": (vote, bytes(64)), "second": (vote, bytes(64))})})
    for index in (0, 1):
        for tail in (b"", b"\x00", b"\x01\x02"):
            with pytest.raises(ScaleDecodeError):
                grandpa.pallet.call_enum.decode_all(bytes([index]) + encoded_proof + tail)


def test_equivocation_calls_refuse():
    with frame_env(grandpa.pallet):
        with pytest.raises(BadOrigin):
            grandpa.pallet.dispatch(Origin.none(), ("report_equivocation", {"equivocation_proof": None,
                                                                            "key_owner_proof": None}))
        with pytest.raises(DispatchError) as e:
            grandpa.pallet.dispatch(Origin.signed(bytes(32)), ("report_equivocation", {
                "equivocation_proof": None, "key_owner_proof": None}))
        assert e.value.value == "Other"
        with pytest.raises(BadOrigin):
            grandpa.pallet.dispatch(Origin.signed(bytes(32)), ("report_equivocation_unsigned", {
                "equivocation_proof": None, "key_owner_proof": None}))


def test_note_stalled_is_root_only():
    with frame_env(grandpa.pallet):
        with pytest.raises(BadOrigin):
            grandpa.pallet.dispatch(Origin.signed(bytes(32)), ("note_stalled", {
                "delay": 1, "best_finalized_block_number": 2}))
        grandpa.pallet.dispatch(Origin.root(), ("note_stalled", {"delay": 10, "best_finalized_block_number": 2}))
        assert grandpa.Stalled.get() == (10, 2)
    assert grandpa.pallet.calls["note_stalled"].weight_of({"delay": 0, "best_finalized_block_number": 0}) == \
        Weight(103_000_000, 0)


def _consensus_logs() -> list:
    return [CONSENSUS_LOG.decode_all(item.data) for item in system.digest().logs
            if isinstance(item, header.Consensus) and item.engine == grandpa.GRANDPA_ENGINE_ID]


def test_scheduled_change_is_signalled_then_enacted():
    new_set = [(BOB_ED25519, 1)]
    with frame_env(grandpa.pallet):
        system.initialize(1, bytes(32), header.Digest())
        grandpa.schedule_change(new_set, 2)
        with pytest.raises(Error.ChangePending):
            grandpa.schedule_change(new_set, 2)
        grandpa.on_finalize(1)
        assert _consensus_logs() == [("ScheduledChange", (new_set, 2))]
        grandpa.on_finalize(2)
        assert grandpa.PendingChange.get() is not None
        grandpa.on_finalize(3)
        assert grandpa.grandpa_authorities() == new_set and grandpa.PendingChange.get() is None
        assert system.read_events()[-1].event == ("Grandpa", Event.NewAuthorities(new_set))


def test_forced_changes_are_rate_limited():
    with frame_env(grandpa.pallet):
        system.initialize(1, bytes(32), header.Digest())
        grandpa.schedule_change([(BOB_ED25519, 1)], 5, forced=0)
        assert grandpa.NextForced.get() == 11
        grandpa.on_finalize(1)
        assert _consensus_logs() == [("ForcedChange", (0, ([(BOB_ED25519, 1)], 5)))]
        grandpa.PendingChange.kill()
        with pytest.raises(Error.TooSoon):
            grandpa.schedule_change([(BOB_ED25519, 1)], 5, forced=0)


def test_pause_and_resume():
    with frame_env(grandpa.pallet):
        system.initialize(1, bytes(32), header.Digest())
        grandpa.schedule_pause(1)
        with pytest.raises(Error.PauseFailed):
            grandpa.schedule_pause(1)
        grandpa.on_finalize(1)
        grandpa.on_finalize(2)
        assert grandpa.State.get() == ("Paused", None)
        grandpa.schedule_resume(0)
        grandpa.on_finalize(1)
        assert grandpa.State.get() == ("Live", None)
        assert _consensus_logs() == [("Pause", 1), ("Resume", 0)]
        assert [r.event for r in system.read_events()] == [("Grandpa", Event.Paused()), ("Grandpa", Event.Resumed())]
