"""Utility: declarations against the real runtime's metadata, call encodings against
scalecodec reading the real metadata, and batch / derivative / dispatch_as semantics
(events, rollbacks, errors, weights) driven through a test runtime."""

from __future__ import annotations

import pytest

import pysubtensor.pallets.sudo as sudo
import pysubtensor.pallets.utility as utility
from pysubtensor.pallets.support.dispatch import (
    BadOrigin,
    DispatchClass,
    DispatchError,
    Origin,
    Pays,
    PostDispatchInfo,
    Weight,
)
from pysubtensor.pallets.utility import weights
from pysubtensor.primitives.ss58 import ss58_decode_account_id, ss58_encode
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
    FAIL_WEIGHT,
    FREE_WEIGHT,
    STORE_WEIGHT,
    SYSTEM,
    TEST,
    Error,
    Event,
    LastCaller,
    Runtime,
    Values,
    call,
)

U = utility
ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
RUNTIME = Runtime(utility.pallet, sudo.pallet)


@pytest.fixture
def rt():
    with RUNTIME.running():
        yield RUNTIME


def store(key: int, value: int) -> tuple:
    return call(TEST, "store", key=key, value=value)


def fail(key: int = 0) -> tuple:
    return call(TEST, "fail", key=key)


def boom() -> tuple:
    """The DispatchError value TestPallet's `Boom` encodes as."""
    return ("Module", {"index": TEST.index, "error": bytes(4)})


def utility_call(name: str, **args) -> tuple:
    return call(utility.pallet, name, **args)


def signed(who: bytes = ALICE) -> Origin:
    return Origin.signed(who)


# ---------------------------------------------------------------------------
# Declarations match the real runtime


@pytest.mark.parametrize("blob", BLOBS)
def test_call_event_error_enums_have_the_real_shapes_and_docs(rt, blob):
    real = real_pallet(blob, "Utility")
    assert real.index == utility.pallet.index
    for codec, ref in ((utility.pallet.call_enum, real.calls), (utility.pallet.event_enum, real.event),
                       (utility.pallet.error_enum, real.error)):
        assert_same_type(codec, blob, ref.ty, stop=RUNTIME_WIDE)
    assert real.storage is None and not utility.pallet.storage_items


@pytest.mark.parametrize("blob", BLOBS)
def test_batched_calls_limit_is_the_real_constant(blob):
    (real,) = real_pallet(blob, "Utility").constants
    (ours,) = utility.pallet.constant_items
    assert (ours.name, ours.encoded, ours.docs) == (real.name, real.value, tuple(real.docs))
    assert real_metadata(blob).types.type(real.ty).type_def.primitive == "u32"
    assert utility.Constants.batched_calls_limit == 10922


def test_names_and_indices_follow_the_spec_381_summary():
    summary = summary_pallet("Utility")
    assert summary["index"] == utility.pallet.index
    assert summary["call_list"] == [{"index": v.index, "name": v.name, "fields": [f.name for f in v.fields]}
                                    for v in utility.pallet.call_enum.variants]
    assert summary["event_list"] == [[v.index, v.name] for v in utility.pallet.event_enum.variants]
    assert summary["error_list"] == [[v.index, v.name] for v in utility.pallet.error_enum.variants]
    assert summary["constant_list"] == [c.name for c in utility.pallet.constant_items]


REMARK = call(SYSTEM, "remark", remark=b"hi")
SC_REMARK = {"call_module": "System", "call_function": "remark", "call_args": {"remark": "0x6869"}}
CALL_CASES = {
    "batch": ({"calls": [REMARK]}, {"calls": [SC_REMARK]}),
    "batch_all": ({"calls": [REMARK, REMARK]}, {"calls": [SC_REMARK, SC_REMARK]}),
    "force_batch": ({"calls": []}, {"calls": []}),
    "as_derivative": ({"index": 7, "call": REMARK}, {"index": 7, "call": SC_REMARK}),
    "dispatch_as": ({"as_origin": ("system", ("Signed", ALICE)), "call": REMARK},
                    {"as_origin": {"system": {"Signed": "0x" + ALICE.hex()}}, "call": SC_REMARK}),
    "with_weight": ({"call": REMARK, "weight": Weight(5, 6)},
                    {"call": SC_REMARK, "weight": {"ref_time": 5, "proof_size": 6}}),
    "if_else": ({"main": REMARK, "fallback": call(SYSTEM, "remark", remark=b"")},
                {"main": SC_REMARK, "fallback": {**SC_REMARK, "call_args": {"remark": "0x"}}}),
    "dispatch_as_fallible": ({"as_origin": ("system", ("Root", None)), "call": REMARK},
                             {"as_origin": {"system": "Root"}, "call": SC_REMARK}),
}


@pytest.mark.parametrize("name", list(CALL_CASES))
def test_calls_encode_as_the_real_runtime_encodes_them(rt, name):
    ours, theirs = CALL_CASES[name]
    real = scalecodec_encode(("node_subtensor_runtime", "RuntimeCall"),
                             {"call_module": "Utility", "call_function": name, "call_args": theirs})
    assert rt.runtime_call.encode(utility_call(name, **ours)) == real
    assert rt.runtime_call.decode_all(real) == utility_call(name, **ours)


def test_events_encode_as_the_real_runtime_encodes_them():
    path = ("pallet_subtensor_utility", "pallet", "Event")
    enc = utility.pallet.event_enum.encode
    assert enc(U.Event.BatchInterrupted(3, boom())) == scalecodec_encode(
        path, {"BatchInterrupted": {"index": 3, "error": {"Module": {"index": TEST.index, "error": "0x00000000"}}}})
    assert enc(U.Event.ItemFailed(("BadOrigin", None))) == scalecodec_encode(path, {"ItemFailed": {"error": "BadOrigin"}})
    assert enc(U.Event.DispatchedAs(("Ok", ()))) == scalecodec_encode(path, {"DispatchedAs": {"result": {"Ok": ()}}})
    assert enc(U.Event.DispatchedAs(("Err", ("Token", "Frozen")))) == scalecodec_encode(
        path, {"DispatchedAs": {"result": {"Err": {"Token": "Frozen"}}}})
    assert enc(U.Event.IfElseFallbackCalled(("Arithmetic", "Overflow"))) == bytes.fromhex("07" "08" "01")
    assert enc(U.Event.BatchCompletedWithErrors()) == scalecodec_encode(path, "BatchCompletedWithErrors")


def test_derivative_account_matches_polkadot_js():
    # @polkadot/util-crypto encodeDerivedAddress spec: a known derived address.
    who = ss58_decode_account_id("5GvUh7fGKsdBEh5XpypkfkGuf7j3vXLxH9BdxjxnJNVXRYi1")
    assert ss58_encode(utility.derivative_account_id(who, 0)) == "5E5XxqPxm7QbEs6twYfp3tyjXidn4kqRrNPH4o6JK9JSLUeD"
    assert utility.derivative_account_id(who, 1) != utility.derivative_account_id(who, 0)


# ---------------------------------------------------------------------------
# batch


def test_batch_runs_every_call_and_reports_completion(rt):
    post = rt.apply(signed(), utility_call("batch", calls=[store(1, 10), store(2, 20)]))
    assert (Values.get(1), Values.get(2)) == (10, 20)
    assert LastCaller.get() == ("Signed", ALICE)  # items keep the caller's origin
    assert rt.events() == [Event.Stored(1, 10), U.Event.ItemCompleted(), Event.Stored(2, 20), U.Event.ItemCompleted(), U.Event.BatchCompleted()]
    assert post == PostDispatchInfo(weights.batch(2) + STORE_WEIGHT + STORE_WEIGHT)


def test_batch_stops_at_the_first_error_and_keeps_what_succeeded(rt):
    post = rt.apply(signed(), utility_call("batch", calls=[store(1, 10), fail(2), store(3, 30)]))
    assert Values.get(1) == 10
    assert Values.get(2) == 0  # the failed item's own write is rolled back
    assert Values.get(3) == 0  # not reached
    assert rt.events() == [Event.Stored(1, 10), U.Event.ItemCompleted(), U.Event.BatchInterrupted(1, boom())]
    # The batch itself succeeds; weight: overhead for the calls run plus what they used.
    assert post == PostDispatchInfo(weights.batch(2) + STORE_WEIGHT + FAIL_WEIGHT)


def test_batch_counts_the_weight_calls_report(rt):
    calls = [call(TEST, "refund", ref_time=7), call(TEST, "fail_using", ref_time=9)]
    post = rt.apply(signed(), utility_call("batch", calls=calls))
    assert post.actual_weight == weights.batch(2) + Weight(7, 0) + Weight(9, 0)


def test_batch_refuses_none_origin_and_too_many_calls(rt):
    with pytest.raises(BadOrigin):
        rt.apply(Origin.none(), utility_call("batch", calls=[]))
    with pytest.raises(U.Error.TooManyCalls) as failed:
        rt.apply(signed(), utility_call("batch", calls=[REMARK] * (utility.Constants.batched_calls_limit + 1)))
    assert failed.value.encode() == bytes.fromhex("03" "0b" "00000000")
    rt.apply(signed(), utility_call("batch", calls=[REMARK] * utility.Constants.batched_calls_limit))


def test_batch_applies_origin_filters_unless_root(rt):
    rt.apply(signed(), utility_call("batch", calls=[call(TEST, "filtered")]))
    assert rt.events() == [U.Event.BatchInterrupted(0, Error.CallFiltered().value)]
    assert Values.get(7) == 0
    rt.clear_events()
    rt.apply(Origin.root(), utility_call("batch", calls=[call(TEST, "filtered"), call(TEST, "root_only")]))
    assert rt.events() == [U.Event.ItemCompleted(), U.Event.ItemCompleted(), U.Event.BatchCompleted()]
    assert (Values.get(7), LastCaller.get()) == (7, ("Root", None))


def test_batch_declared_info(rt):
    info = rt.info(utility_call("batch", calls=[store(1, 1), call(TEST, "free")]))
    assert info.weight == STORE_WEIGHT + FREE_WEIGHT + weights.batch(2)
    assert (info.dispatch_class, info.pays_fee) == (DispatchClass.NORMAL, Pays.YES)
    # Free only if every call is free (an empty batch is free); the class is always Normal.
    info = rt.info(utility_call("force_batch", calls=[call(TEST, "free")]))
    assert (info.weight, info.dispatch_class, info.pays_fee) == (
        FREE_WEIGHT + weights.force_batch(1), DispatchClass.NORMAL, Pays.NO)
    assert rt.info(utility_call("batch_all", calls=[])).pays_fee == Pays.NO


# ---------------------------------------------------------------------------
# batch_all


def test_batch_all_is_atomic(rt):
    with pytest.raises(Error.Boom) as failed:
        rt.apply(signed(), utility_call("batch_all", calls=[store(1, 10), store(2, 20), fail(3), store(4, 40)]))
    assert [Values.get(k) for k in (1, 2, 3, 4)] == [0, 0, 0, 0]  # earlier items' writes rolled back
    assert rt.events() == []
    assert failed.value.encode() == bytes.fromhex("03" "32" "00000000")
    assert failed.value.post_info == PostDispatchInfo(weights.batch_all(3)
                                                      + STORE_WEIGHT + STORE_WEIGHT + FAIL_WEIGHT)


def test_batch_all_rolls_back_by_itself_when_dispatched_from_another_call(rt):
    # Inside sudo the outer call succeeds, yet batch_all's partial writes must not survive.
    sudo.Key.put(ALICE)
    rt.apply(signed(), call(sudo.pallet, "sudo", call=utility_call("batch_all", calls=[store(1, 10), fail(2)])))
    assert (Values.get(1), Values.get(2)) == (0, 0)
    assert rt.events() == [sudo.Event.Sudid(("Err", boom()))]


def test_batch_all_success(rt):
    post = rt.apply(signed(), utility_call("batch_all", calls=[store(1, 10), store(2, 20)]))
    assert (Values.get(1), Values.get(2)) == (10, 20)
    assert rt.events() == [Event.Stored(1, 10), U.Event.ItemCompleted(), Event.Stored(2, 20), U.Event.ItemCompleted(), U.Event.BatchCompleted()]
    assert post == PostDispatchInfo(weights.batch_all(2) + STORE_WEIGHT + STORE_WEIGHT)


def test_batch_all_forbids_nested_batch_all_for_non_root(rt):
    nested = utility_call("as_derivative", index=0, call=utility_call("batch_all", calls=[store(1, 1)]))
    with pytest.raises(Error.CallFiltered):
        rt.apply(signed(), utility_call("batch_all", calls=[nested]))
    # The filter travels with the origin through as_derivative; Root is not filtered.
    rt.apply(Origin.root(), utility_call("batch_all", calls=[utility_call("batch_all", calls=[store(1, 1)])]))
    assert Values.get(1) == 1


# ---------------------------------------------------------------------------
# force_batch


def test_force_batch_continues_past_errors(rt):
    post = rt.apply(signed(), utility_call("force_batch", calls=[store(1, 10), fail(2), store(3, 30)]))
    assert [Values.get(k) for k in (1, 2, 3)] == [10, 0, 30]
    assert rt.events() == [Event.Stored(1, 10), U.Event.ItemCompleted(), U.Event.ItemFailed(boom()), Event.Stored(3, 30),
                           U.Event.ItemCompleted(), U.Event.BatchCompletedWithErrors()]
    assert post == PostDispatchInfo(weights.force_batch(3) + STORE_WEIGHT + FAIL_WEIGHT + STORE_WEIGHT)
    rt.clear_events()
    rt.apply(signed(), utility_call("force_batch", calls=[store(4, 4)]))
    assert rt.events()[-1] == U.Event.BatchCompleted()
    with pytest.raises(BadOrigin):
        rt.apply(Origin.none(), utility_call("force_batch", calls=[]))


# ---------------------------------------------------------------------------
# as_derivative


def test_as_derivative_dispatches_as_the_pseudonym(rt):
    post = rt.apply(signed(), utility_call("as_derivative", index=5, call=store(1, 10)))
    assert LastCaller.get() == ("Signed", utility.derivative_account_id(ALICE, 5))
    overhead = weights.as_derivative() + Weight(125_000_000, 0)  # one read, one write
    assert post == PostDispatchInfo(overhead + STORE_WEIGHT)
    assert rt.info(utility_call("as_derivative", index=5, call=store(1, 10))).weight == overhead + STORE_WEIGHT


def test_as_derivative_fails_with_the_inner_error_and_its_weight(rt):
    with pytest.raises(Error.Boom) as failed:
        rt.apply(signed(), utility_call("as_derivative", index=0, call=call(TEST, "fail_using", ref_time=3)))
    assert failed.value.post_info == PostDispatchInfo(weights.as_derivative() + Weight(125_000_003, 0))
    with pytest.raises(BadOrigin):
        rt.apply(Origin.root(), utility_call("as_derivative", index=0, call=store(1, 1)))
    with pytest.raises(Error.CallFiltered):  # filtered as the caller would be
        rt.apply(signed(), utility_call("as_derivative", index=0, call=call(TEST, "filtered")))


# ---------------------------------------------------------------------------
# dispatch_as, dispatch_as_fallible, with_weight


def test_dispatch_as_needs_root_and_reports_the_result(rt):
    as_bob = ("system", ("Signed", BOB))
    with pytest.raises(BadOrigin):
        rt.apply(signed(), utility_call("dispatch_as", as_origin=as_bob, call=store(1, 1)))
    post = rt.apply(Origin.root(), utility_call("dispatch_as", as_origin=as_bob, call=store(1, 1)))
    assert post == PostDispatchInfo()  # declared weight stands
    assert LastCaller.get() == ("Signed", BOB)
    assert rt.events()[-1] == U.Event.DispatchedAs(("Ok", ()))
    rt.apply(Origin.root(), utility_call("dispatch_as", as_origin=as_bob, call=fail(2)))
    assert Values.get(2) == 0
    assert rt.events()[-1] == U.Event.DispatchedAs(("Err", boom()))
    # The inner call is dispatched without filters.
    rt.apply(Origin.root(), utility_call("dispatch_as", as_origin=as_bob, call=call(TEST, "filtered")))
    assert Values.get(7) == 7
    info = rt.info(utility_call("dispatch_as", as_origin=as_bob, call=store(1, 1)))
    assert info.weight == weights.dispatch_as() + STORE_WEIGHT


def test_dispatch_as_fallible_forwards_the_inner_error(rt):
    as_bob = ("system", ("Signed", BOB))
    with pytest.raises(Error.Boom) as failed:
        rt.apply(Origin.root(), utility_call("dispatch_as_fallible", as_origin=as_bob,
                                             call=call(TEST, "fail_using", ref_time=1)))
    assert failed.value.post_info is None  # a plain DispatchResult: the declared weight stands
    assert rt.events() == []
    rt.apply(Origin.root(), utility_call("dispatch_as_fallible", as_origin=("system", ("Root", None)),
                                         call=call(TEST, "root_only")))
    assert rt.events() == [U.Event.DispatchedAs(("Ok", ()))]
    with pytest.raises(BadOrigin):
        rt.apply(signed(), utility_call("dispatch_as_fallible", as_origin=as_bob, call=store(1, 1)))


def test_with_weight_dispatches_as_root_with_the_given_weight(rt):
    given = Weight(123, 45)
    assert rt.info(utility_call("with_weight", call=store(1, 1), weight=given)).weight == given
    post = rt.apply(Origin.root(), utility_call("with_weight", call=call(TEST, "root_only"), weight=given))
    assert post == PostDispatchInfo()
    assert LastCaller.get() == ("Root", None)
    with pytest.raises(Error.Boom) as failed:
        rt.apply(Origin.root(), utility_call("with_weight", call=call(TEST, "fail_using", ref_time=1), weight=given))
    assert failed.value.post_info is None
    with pytest.raises(BadOrigin):
        rt.apply(signed(), utility_call("with_weight", call=store(1, 1), weight=given))
    # A huge witness saturates instead of overflowing the weight of an enclosing batch.
    huge = Weight(2**64 - 1, 2**64 - 1)
    info = rt.info(utility_call("batch", calls=[utility_call("with_weight", call=REMARK, weight=huge)]))
    assert info.weight == huge


# ---------------------------------------------------------------------------
# if_else


def test_if_else_main_success(rt):
    post = rt.apply(signed(), utility_call("if_else", main=store(1, 10), fallback=store(2, 20)))
    assert (Values.get(1), Values.get(2)) == (10, 0)
    assert rt.events() == [Event.Stored(1, 10), U.Event.IfElseMainSuccess()]
    assert post == PostDispatchInfo(weights.if_else() + STORE_WEIGHT)
    info = rt.info(utility_call("if_else", main=store(1, 10), fallback=fail()))
    assert info.weight == weights.if_else() + STORE_WEIGHT + FAIL_WEIGHT


def test_if_else_runs_the_fallback_when_main_fails(rt):
    post = rt.apply(signed(), utility_call("if_else", main=fail(1), fallback=store(2, 20)))
    assert (Values.get(1), Values.get(2)) == (0, 20)  # main's writes rolled back
    assert rt.events() == [Event.Stored(2, 20), U.Event.IfElseFallbackCalled(boom())]
    assert post == PostDispatchInfo(weights.if_else() + FAIL_WEIGHT + STORE_WEIGHT)


def test_if_else_fails_with_the_fallback_error_when_both_fail(rt):
    with pytest.raises(DispatchError) as failed:
        rt.apply(signed(), utility_call("if_else", main=fail(1), fallback=call(TEST, "filtered")))
    assert failed.value.value == Error.CallFiltered().value
    assert failed.value.post_info == PostDispatchInfo(weights.if_else() + FAIL_WEIGHT + STORE_WEIGHT)
    with pytest.raises(BadOrigin):
        rt.apply(Origin.none(), utility_call("if_else", main=REMARK, fallback=REMARK))
