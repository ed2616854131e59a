"""Sudo: declarations against the real runtime's metadata, call and event encodings against
scalecodec reading the real metadata, and the key's calls driven through a test runtime."""

from __future__ import annotations

import pytest

import pysubtensor.pallets.sudo as sudo
import pysubtensor.pallets.utility as utility
from pysubtensor.pallets.sudo import weights
from pysubtensor.pallets.support.dispatch import (
    DISPATCH_RESULT,
    RAW_ORIGIN,
    BadOrigin,
    CannotLookup,
    DispatchClass,
    Origin,
    Pays,
    PostDispatchInfo,
    Weight,
)
from pysubtensor.primitives.metadata import TypeDefComposite
from tests.support.metadata import (
    BLOBS,
    RUNTIME_WIDE,
    assert_same_type,
    real_metadata,
    real_pallet,
    scalecodec_encode,
    summary_pallet,
)
from tests.unit.runtime_double import (
    FREE_WEIGHT,
    STORE_WEIGHT,
    SYSTEM,
    TEST,
    Event,
    LastCaller,
    Runtime,
    Values,
    call,
)

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
RUNTIME = Runtime(utility.pallet, sudo.pallet)
REMARK = call(SYSTEM, "remark", remark=b"hi")
SC_REMARK = {"call_module": "System", "call_function": "remark", "call_args": {"remark": "0x6869"}}


@pytest.fixture
def rt():
    with RUNTIME.running():
        sudo.pallet.genesis_build({"key": ALICE})
        yield RUNTIME


def sudo_call(name: str, **args) -> tuple:
    return call(sudo.pallet, name, **args)


def store(key: int, value: int) -> tuple:
    return call(TEST, "store", key=key, value=value)


def boom() -> tuple:
    return ("Module", {"index": TEST.index, "error": bytes(4)})


# ---------------------------------------------------------------------------
# Declarations match the real runtime


@pytest.mark.parametrize("blob", BLOBS)
def test_call_event_error_enums_have_the_real_shapes_and_docs(rt, blob):
    real = real_pallet(blob, "Sudo")
    assert real.index == sudo.pallet.index
    for codec, ref in ((sudo.pallet.call_enum, real.calls), (sudo.pallet.event_enum, real.event),
                       (sudo.pallet.error_enum, real.error)):
        assert_same_type(codec, blob, ref.ty, stop=RUNTIME_WIDE)
    # The types these refer to by path: DispatchResult (the real one, found through Sudid's
    # field) and the RawOrigin inside the runtime's OriginCaller.
    sudid = next(v for v in real_metadata(blob).types.variants(real.event.ty) if v.name == "Sudid")
    assert_same_type(DISPATCH_RESULT, blob, sudid.fields[0].ty)
    assert_same_type(RAW_ORIGIN, blob)


@pytest.mark.parametrize("blob", BLOBS)
def test_key_storage_is_the_real_entry(blob):
    (entry,) = real_pallet(blob, "Sudo").storage.entries
    md = real_metadata(blob)
    assert (entry.name, entry.modifier, entry.default, tuple(entry.docs)) == (
        sudo.Key.name, sudo.Key.modifier, sudo.Key.default_bytes, sudo.Key.docs)
    value_type = md.types.type(entry.ty.value)
    assert value_type.path == list(sudo.Key.value.path)
    assert isinstance(value_type.type_def, TypeDefComposite)
    # The well-known key of Sudo.Key on every Substrate chain.
    assert sudo.Key.storage_key.hex() == "5c0d1176a568c1f92944340dbfed9e9c530ebca703c85910e7164cb7d1c9e47b"


def test_names_and_indices_follow_the_spec_381_summary():
    summary = summary_pallet("Sudo")
    assert summary["index"] == sudo.pallet.index
    assert summary["call_list"] == [{"index": v.index, "name": v.name, "fields": [f.name for f in v.fields]}
                                    for v in sudo.pallet.call_enum.variants]
    assert summary["event_list"] == [[v.index, v.name] for v in sudo.pallet.event_enum.variants]
    assert summary["error_list"] == [[v.index, v.name] for v in sudo.pallet.error_enum.variants]
    assert summary["storage_list"] == [item.name for item in sudo.pallet.storage_items]
    assert summary["constant_list"] == []


CALL_CASES = {
    "sudo": ({"call": REMARK}, {"call": SC_REMARK}),
    "sudo_unchecked_weight": ({"call": REMARK, "weight": Weight(5, 6)},
                              {"call": SC_REMARK, "weight": {"ref_time": 5, "proof_size": 6}}),
    "set_key": ({"new": ("Id", BOB)}, {"new": {"Id": "0x" + BOB.hex()}}),
    "sudo_as": ({"who": ("Id", BOB), "call": REMARK}, {"who": {"Id": "0x" + BOB.hex()}, "call": SC_REMARK}),
    "remove_key": ({}, {}),
}


@pytest.mark.parametrize("name", list(CALL_CASES))
def test_calls_encode_as_the_real_runtime_encodes_them(rt, name):
    ours, theirs = CALL_CASES[name]
    real = scalecodec_encode(("node_subtensor_runtime", "RuntimeCall"),
                             {"call_module": "Sudo", "call_function": name, "call_args": theirs})
    assert rt.runtime_call.encode(sudo_call(name, **ours)) == real
    assert rt.runtime_call.decode_all(real) == sudo_call(name, **ours)


def test_events_encode_as_the_real_runtime_encodes_them():
    path = ("pallet_sudo", "pallet", "Event")
    enc = sudo.pallet.event_enum.encode
    assert enc(sudo.Event.Sudid(("Ok", ()))) == scalecodec_encode(path, {"Sudid": {"sudo_result": {"Ok": ()}}}) \
        == bytes.fromhex("0000")
    assert enc(sudo.Event.Sudid(("Err", boom()))) == scalecodec_encode(
        path, {"Sudid": {"sudo_result": {"Err": {"Module": {"index": TEST.index, "error": "0x00000000"}}}}}) \
        == bytes.fromhex("00" "01" "03" "32" "00000000")
    assert enc(sudo.Event.SudoAsDone(("Err", ("BadOrigin", None)))) == scalecodec_encode(
        path, {"SudoAsDone": {"sudo_result": {"Err": "BadOrigin"}}}) == bytes.fromhex("030102")
    assert enc(sudo.Event.KeyChanged(None, BOB)) == scalecodec_encode(
        path, {"KeyChanged": {"old": None, "new": "0x" + BOB.hex()}}) == bytes.fromhex("0100") + BOB
    assert enc(sudo.Event.KeyChanged(ALICE, BOB)) == bytes.fromhex("0101") + ALICE + BOB
    assert enc(sudo.Event.KeyRemoved()) == scalecodec_encode(path, "KeyRemoved") == b"\x02"
    assert sudo.pallet.event_enum.decode_all(bytes.fromhex("0001033200000000")) == sudo.Event.Sudid(("Err", boom()))


# ---------------------------------------------------------------------------
# Genesis and the key


def test_genesis_key_as_bytes_or_ss58():
    with RUNTIME.running():
        sudo.pallet.genesis_build({})
        assert sudo.Key.get() is None
        sudo.pallet.genesis_build({"key": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"})
        assert sudo.Key.get() == ALICE


def test_only_the_key_or_root_may_use_sudo(rt):
    with pytest.raises(sudo.Error.RequireSudo) as failed:
        rt.apply(Origin.signed(BOB), sudo_call("sudo", call=store(1, 1)))
    assert failed.value.encode() == bytes.fromhex("03" "0c" "00000000")
    with pytest.raises(BadOrigin):
        rt.apply(Origin.none(), sudo_call("sudo", call=store(1, 1)))
    rt.apply(Origin.root(), sudo_call("sudo", call=store(1, 1)))  # ensure_signed_or_root
    assert Values.get(1) == 1
    sudo.Key.kill()
    with pytest.raises(sudo.Error.RequireSudo):
        rt.apply(Origin.signed(ALICE), sudo_call("sudo", call=store(1, 1)))


# ---------------------------------------------------------------------------
# sudo, sudo_unchecked_weight


def test_sudo_dispatches_as_root_without_fee(rt):
    post = rt.apply(Origin.signed(ALICE), sudo_call("sudo", call=call(TEST, "root_only")))
    assert LastCaller.get() == ("Root", None)
    assert rt.events() == [sudo.Event.Sudid(("Ok", ()))]
    assert post == PostDispatchInfo(pays_fee=Pays.NO)
    info = rt.info(sudo_call("sudo", call=store(1, 1)))
    assert (info.weight, info.dispatch_class, info.pays_fee) == (
        weights.sudo() + STORE_WEIGHT, DispatchClass.NORMAL, Pays.YES)  # the refund happens after dispatch
    assert rt.info(sudo_call("sudo", call=call(TEST, "free"))).dispatch_class == DispatchClass.OPERATIONAL
    assert weights.sudo() == Weight(7_939_000 + 25_000_000, 1517)


def test_sudo_succeeds_when_the_inner_call_fails(rt):
    post = rt.apply(Origin.signed(ALICE), sudo_call("sudo", call=call(TEST, "fail", key=3)))
    assert Values.get(3) == 0  # the inner call's writes are rolled back
    assert rt.events() == [sudo.Event.Sudid(("Err", boom()))]
    assert post.pays_fee == Pays.NO
    assert sudo.pallet.event_enum.encode(rt.events()[0]) == bytes.fromhex("0001033200000000")


def test_sudo_bypasses_call_filters(rt):
    rt.apply(Origin.signed(ALICE), sudo_call("sudo", call=call(TEST, "filtered")))
    assert Values.get(7) == 7
    assert rt.events() == [sudo.Event.Sudid(("Ok", ()))]


def test_sudo_unchecked_weight_declares_the_given_weight(rt):
    given = Weight(1, 2)
    info = rt.info(sudo_call("sudo_unchecked_weight", call=call(TEST, "free"), weight=given))
    assert (info.weight, info.dispatch_class) == (given, DispatchClass.OPERATIONAL)
    post = rt.apply(Origin.signed(ALICE), sudo_call("sudo_unchecked_weight", call=store(2, 2), weight=given))
    assert post.pays_fee == Pays.NO
    assert rt.events() == [Event.Stored(2, 2), sudo.Event.Sudid(("Ok", ()))]
    assert LastCaller.get() == ("Root", None)
    with pytest.raises(sudo.Error.RequireSudo):
        rt.apply(Origin.signed(BOB), sudo_call("sudo_unchecked_weight", call=store(2, 2), weight=given))


# ---------------------------------------------------------------------------
# sudo_as


def test_sudo_as_dispatches_as_the_given_account(rt):
    post = rt.apply(Origin.signed(ALICE), sudo_call("sudo_as", who=("Id", BOB), call=store(1, 1)))
    assert LastCaller.get() == ("Signed", BOB)
    assert rt.events() == [Event.Stored(1, 1), sudo.Event.SudoAsDone(("Ok", ()))]
    assert post.pays_fee == Pays.NO
    rt.clear_events()
    rt.apply(Origin.signed(ALICE), sudo_call("sudo_as", who=("Id", BOB), call=call(TEST, "root_only")))
    assert rt.events() == [sudo.Event.SudoAsDone(("Err", ("BadOrigin", None)))]
    info = rt.info(sudo_call("sudo_as", who=("Id", BOB), call=call(TEST, "free")))
    assert (info.weight, info.dispatch_class) == (weights.sudo_as() + FREE_WEIGHT, DispatchClass.OPERATIONAL)
    with pytest.raises(CannotLookup):
        rt.apply(Origin.signed(ALICE), sudo_call("sudo_as", who=("Raw", b"\x01"), call=store(1, 1)))


# ---------------------------------------------------------------------------
# set_key, remove_key


def test_set_key_moves_the_key(rt):
    post = rt.apply(Origin.signed(ALICE), sudo_call("set_key", new=("Id", BOB)))
    assert sudo.Key.get() == BOB
    assert rt.events() == [sudo.Event.KeyChanged(ALICE, BOB)]
    assert post.pays_fee == Pays.NO
    with pytest.raises(sudo.Error.RequireSudo):
        rt.apply(Origin.signed(ALICE), sudo_call("set_key", new=("Id", ALICE)))
    rt.apply(Origin.signed(BOB), sudo_call("sudo", call=store(1, 1)))
    assert Values.get(1) == 1
    assert rt.info(sudo_call("set_key", new=("Id", BOB))).weight == Weight(7_237_000 + 125_000_000, 1517)


def test_set_key_by_root_when_no_key_is_set(rt):
    sudo.Key.kill()
    rt.apply(Origin.root(), sudo_call("set_key", new=("Address32", BOB)))
    assert rt.events() == [sudo.Event.KeyChanged(None, BOB)]
    assert sudo.Key.get() == BOB


def test_remove_key_is_final(rt):
    post = rt.apply(Origin.signed(ALICE), sudo_call("remove_key"))
    assert sudo.Key.get() is None
    assert rt.events() == [sudo.Event.KeyRemoved()]
    assert post.pays_fee == Pays.NO
    with pytest.raises(sudo.Error.RequireSudo):
        rt.apply(Origin.signed(ALICE), sudo_call("sudo", call=store(1, 1)))
    with pytest.raises(sudo.Error.RequireSudo):
        rt.apply(Origin.signed(ALICE), sudo_call("remove_key"))
