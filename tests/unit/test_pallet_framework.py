"""The pallet framework's declaration rules, against the real SubtensorModule (spec 381 devnet
metadata, finney 343 with scalecodec) where the chain has something to compare with:

- a pallet declared across modules (tests/unit/frame_example) emits its items in the order
  it gives, which is the real metadata's, with the real types, docs, indices and defaults;
- each kind of item has its own namespace: the colliding names of the real pallet are
  declared without renaming;
- a declaration missing from, extra to or out of place in the given order is refused;
- events and value types take their SCALE types from annotations and encode as scalecodec
  encodes the real types;
- weight, class and fee functions take the call arguments they name, checked at declaration.
"""

from __future__ import annotations

from typing import Annotated

import pytest

from pysubtensor.pallets.support.dispatch import DispatchClass, Pays, Weight
from pysubtensor.pallets.support.pallet import DeclarationError, Pallet, constant, error, event
from pysubtensor.pallets.support.registry import TypeRegistry
from pysubtensor.pallets.support.storage import StorageNMap, StorageValue
from pysubtensor.pallets.support.types import AccountId, Bool, Scale, TypeName, u32, value_type
from pysubtensor.primitives.scale import U32, Tuple, Vec
from pysubtensor.runtime.metadata import _Builder
from tests.support.metadata import TypeWalker, real_metadata, real_pallet, scalecodec_encode
from tests.unit import frame_example
from tests.unit.frame_example import serving, staking, subnets
from tests.unit.frame_example.types import AxonInfo

DEVNET = "devnet_spec381_metadata_v16.scale"
EXAMPLE = frame_example.pallet
ALICE = bytes(range(32))


def _variants(md, type_id: int) -> dict:
    return {v.name: v for v in md.types.type(type_id).type_def.variants}


def test_example_metadata_lists_items_in_the_real_order():
    """The metadata builder's entry for the slice lists each kind as the real pallet does,
    though the modules declared them in another order."""
    real = real_pallet(DEVNET, "SubtensorModule")
    md = real_metadata(DEVNET)
    b = _Builder()
    ours = b.pallet_fields(EXAMPLE)
    ours_calls = b.registry.types[ours["calls"].ty].ty.type_def.variants
    ours_events = b.registry.types[ours["event"].ty].ty.type_def.variants
    ours_errors = b.registry.types[ours["error"].ty].ty.type_def.variants

    def real_subset(names: list[str], declared: list[str]) -> list[str]:
        return [n for n in names if n in declared]

    storage = [e.name for e in ours["storage"].entries]
    assert storage == real_subset([e.name for e in real.storage.entries], storage)
    constants = [c.name for c in ours["constants"]]
    assert constants == real_subset([c.name for c in real.constants], constants)
    for ours_enum, real_ty in ((ours_calls, real.calls.ty), (ours_events, real.event.ty), (ours_errors, real.error.ty)):
        names = [v.name for v in ours_enum]
        real_names = [v.name for v in md.types.type(real_ty).type_def.variants]
        assert names == real_subset(real_names, names)
    # Metadata order is not index order, nor the order the modules declared the calls in.
    assert [v.index for v in ours_calls] == [65, 2, 4]
    assert list(EXAMPLE.calls) == ["serve_axon", "decrease_take", "add_stake"]  # declaration order
    assert storage[0] == "TransferToggle" and EXAMPLE.Storage.names()[0] != "TransferToggle"


def test_example_items_have_the_real_types_docs_indices_and_defaults():
    real = real_pallet(DEVNET, "SubtensorModule")
    md = real_metadata(DEVNET)
    reg = TypeRegistry()
    walk = TypeWalker(reg, md.types, frozenset())
    entries = {e.name: e for e in real.storage.entries}
    for item in EXAMPLE.storage_items:
        entry = entries[item.name]
        assert (item.modifier, item.default_bytes, list(item.docs)) == (entry.modifier, entry.default,
                                                                        list(entry.docs)), item.name
        assert [h.name for h in item.hashers] == list(entry.ty.hashers), item.name
        key = item.keys[0] if len(item.keys) == 1 else Tuple(*item.keys)
        walk.same(reg.register(key), entry.ty.key, f"{item.name} key")
        walk.same(reg.register(item.value), entry.ty.value, f"{item.name} value")
    constants = {c.name: c for c in real.constants}
    for const in EXAMPLE.constant_items:
        rc = constants[const.name]
        assert (const.encoded, list(const.docs)) == (rc.value, list(rc.docs)), const.name
        walk.same(reg.register(const.codec), rc.ty, const.name)
    for enum, real_ty in ((EXAMPLE.call_enum, real.calls.ty), (EXAMPLE.event_enum, real.event.ty),
                          (EXAMPLE.error_enum, real.error.ty)):
        real_variants = _variants(md, real_ty)
        for v in enum.variants:
            rv = real_variants[v.name]
            assert (v.index, list(v.docs)) == (rv.index, list(rv.docs)), v.name
            ids = [reg.register(f.codec) for f in v.fields]
            assert [(f.name, f.type_name, list(f.docs)) for f in v.fields] == \
                [(f.name, f.type_name, list(f.docs)) for f in rv.fields], v.name
            for our_id, rf in zip(ids, rv.fields, strict=True):
                walk.same(our_id, rf.ty, f"{v.name}.{rf.name}")


def test_colliding_names_are_declared_without_renaming():
    # storage and event
    for name in ("RootClaimed", "TransferToggle", "VotingPowerTrackingEnabled"):
        assert EXAMPLE.Storage.__getattr__(name).name == name
        assert EXAMPLE.Event.__getattr__(name).__name__ == name
    assert staking.RootClaimed is EXAMPLE.Storage.RootClaimed and staking.Event.RootClaimed is EXAMPLE.Event.RootClaimed
    # event and error
    assert EXAMPLE.Event.CommitRevealEnabled is subnets.Event.CommitRevealEnabled
    assert EXAMPLE.Error.CommitRevealEnabled is subnets.Error.CommitRevealEnabled
    assert subnets.Error.CommitRevealEnabled().value == ("Module", {"index": 7, "error": bytes((52, 0, 0, 0))})
    # constant and storage
    for name in ("LiquidAlphaOn", "Yuma3On"):
        assert isinstance(EXAMPLE.Storage.__getattr__(name), StorageNMap)
        assert EXAMPLE.Constants.__getattr__(name) is False
    assert subnets.Constants.LiquidAlphaOn is False and subnets.LiquidAlphaOn.name == "LiquidAlphaOn"


def test_an_item_kind_refuses_a_name_twice_but_kinds_do_not_collide():
    p = Pallet("Test", 99, crate="pallet_test")
    p.storage("Thing", StorageValue(U32, default=0))

    @p.events
    class Event:
        @event(0)
        class Thing:
            value: u32

    @p.errors
    class Error:
        Thing = error(0, "A thing.")

    @p.constants
    class Constants:
        Thing = constant(U32, 1, "A thing.")

    assert p.check() is p
    with pytest.raises(DeclarationError, match="storage item Thing declared twice"):
        p.storage("Thing", StorageValue(U32, default=0))
    with pytest.raises(DeclarationError, match="error Thing declared twice"):
        @p.errors
        class Error2:
            Thing = error(1, "Again.")


def _two_events() -> Pallet:
    p = Pallet("Test", 99, crate="pallet_test")

    @p.events
    class Event:
        @event(0)
        class First:
            who: AccountId

        @event(1)
        class Second:
            who: AccountId

    return p


def test_order_check_names_a_missing_item():
    p = _two_events()
    p.metadata_order(events=["First"])
    with pytest.raises(DeclarationError, match="events declared but not in the metadata order: Second"):
        p.check()
    with pytest.raises(DeclarationError, match="Second"):
        _Builder().pallet_fields(p)  # the metadata build refuses it too


def test_order_check_names_an_extra_item():
    p = _two_events()
    p.metadata_order(events=["First", "Second", "Third"])
    with pytest.raises(DeclarationError, match="in the metadata order but never declared: Third"):
        p.check()


def test_order_check_names_an_item_out_of_place():
    p = _two_events()
    p.metadata_order(events=["Second", "First"])
    with pytest.raises(DeclarationError, match=r"First \(index 0\) is out of place after Second \(index 1\)"):
        p.check()
    # Without an order, declaration order is the order, and it is checked the same way.
    q = Pallet("Test", 99, crate="pallet_test")

    @q.errors
    class Error:
        Late = error(1, "Declared first.")
        Early = error(0, "Declared second.")

    with pytest.raises(DeclarationError, match="Early"):
        q.check()


def test_order_lists_a_name_once():
    with pytest.raises(DeclarationError, match="storage order lists A more than once"):
        Pallet("Test", 99, crate="pallet_test").metadata_order(storage=["A", "B", "A"])


def test_value_type_encodes_as_scalecodec_encodes_the_real_axon_info():
    info = AxonInfo(block=7_000_123, version=9_002_001, ip=int.from_bytes(bytes([1, 2, 3, 4]), "big"), port=8091,
                    ip_type=4, protocol=4, placeholder1=0, placeholder2=0)
    theirs = scalecodec_encode(("pallet_subtensor", "pallet", "AxonInfo"), {
        "block": 7_000_123, "version": 9_002_001, "ip": 0x01020304, "port": 8091, "ip_type": 4, "protocol": 4,
        "placeholder1": 0, "placeholder2": 0})
    assert info.encode() == AxonInfo.SCALE.encode(info) == theirs
    assert AxonInfo.decode(theirs) == info
    assert [(f.name, f.type_name) for f in AxonInfo.SCALE.fields] == [
        ("block", "u64"), ("version", "u32"), ("ip", "u128"), ("port", "u16"), ("ip_type", "u8"),
        ("protocol", "u8"), ("placeholder1", "u8"), ("placeholder2", "u8")]


def test_events_with_derived_types_encode_as_scalecodec_encodes_the_real_events():
    path = ("pallet_subtensor", "pallet", "Event")
    assert EXAMPLE.event_enum.encode(serving.Event.AxonServed(3, ALICE)) == \
        scalecodec_encode(path, {"AxonServed": (3, "0x" + ALICE.hex())})
    # RootClaimed has another index on finney (107) than on devnet 381 (112): compare the fields.
    ours = EXAMPLE.event_enum.encode(staking.Event.RootClaimed(ALICE))
    theirs = scalecodec_encode(path, {"RootClaimed": {"coldkey": "0x" + ALICE.hex()}})
    assert (ours[0], ours[1:]) == (112, theirs[1:])
    assert EXAMPLE.event_enum.decode_all(ours) == staking.Event.RootClaimed(ALICE)


def test_annotations_give_options_vecs_and_type_names():
    p = Pallet("Test", 99, crate="pallet_test")

    @p.events
    class Event:
        @event(0)
        class Changed:
            old: AccountId | None
            new: Annotated[AccountId, TypeName("AccountIdOf<T>")]
            from_: list[AccountId]

    fields = p.event_enum.by_name["Changed"].fields
    assert [(f.name, f.type_name) for f in fields] == [
        ("old", "Option<T::AccountId>"), ("new", "AccountIdOf<T>"), ("from", "Vec<T::AccountId>")]
    assert p.event_enum.encode(Event.Changed(None, ALICE, [ALICE])) == b"\x00\x00" + ALICE + b"\x04" + ALICE

    with pytest.raises(TypeError, match=r"Bad\.n.*is not a SCALE type"):
        @p.events
        class Event2:
            @event(1)
            class Bad:
                n: int


def test_weight_functions_take_the_arguments_they_name():
    p = Pallet("Test", 99, crate="pallet_test")
    seen = {}

    def weigh(calls):
        seen["args"] = calls
        return Weight(len(calls), 0)

    @p.call(0, weight=weigh, dispatch_class=lambda flag: DispatchClass.OPERATIONAL if flag else DispatchClass.NORMAL,
            pays=lambda **args: Pays.NO if args["flag"] else Pays.YES)
    def batch(origin, calls: Annotated[list, Scale(Vec(U32), "Vec<u32>")], flag: Bool) -> None:
        """A batch."""

    info = p.dispatch_info(("batch", {"calls": [1, 2, 3], "flag": True}))
    assert (info.weight, info.dispatch_class, info.pays_fee) == (Weight(3, 0), DispatchClass.OPERATIONAL, Pays.NO)
    assert seen["args"] == [1, 2, 3]
    # The example's calls name a subset of their arguments.
    assert EXAMPLE.dispatch_info(("serve_axon", {"netuid": 1, "version": 2, "ip": 3, "port": 4, "ip_type": 4,
                                                 "protocol": 0, "placeholder1": 0,
                                                 "placeholder2": 0})).weight == Weight(46_000_004, 0)


@pytest.mark.parametrize("what", ["weight", "dispatch_class", "pays"])
def test_a_function_naming_an_argument_the_call_lacks_fails_at_declaration(what):
    p = Pallet("Test", 99, crate="pallet_test")
    options = {"weight": Weight(1, 0), what: lambda valu: Weight(1, 0)}
    with pytest.raises(DeclarationError, match=rf"Test.transfer: the {what} function takes `valu`, which is not "
                                               r"an argument of the call \(dest, value\)"):
        @p.call(0, **options)
        def transfer(origin, dest: AccountId, value: u32) -> None:
            """A transfer."""
    assert "transfer" not in p.calls


def test_docs_keep_tabs_and_a_trailing_empty_line():
    docs = EXAMPLE.call_enum.by_name["decrease_take"].docs
    assert docs[4] == "\t- The signature of the caller's coldkey." and docs[-1] == ""


@value_type("pallet_test", "Pair")
class Pair:
    a: u32
    b: AccountId


def test_value_type_is_a_dataclass_with_its_codec():
    pair = Pair(5, ALICE)
    assert Pair.SCALE.path == ("pallet_test", "Pair")
    assert pair.encode() == (5).to_bytes(4, "little") + ALICE
    assert Pair.decode(pair.encode()) == pair
