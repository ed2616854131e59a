"""Preimage: declarations against the real spec-381 metadata, and scenarios ported from
pallet_preimage's own tests (substrate/frame/preimage/src/tests.rs, named in each test)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.preimage as preimage
import pysubtensor.pallets.system as system
import pysubtensor.runtime  # noqa: F401  (binds every pallet's Config)
from pysubtensor.pallets.balances import fungible, holds
from pysubtensor.pallets.preimage import Inline, Lookup, bounded_codec
from pysubtensor.pallets.support.dispatch import BadOrigin, DispatchError, Origin, Pays
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import BYTES
from pysubtensor.runtime.construct import RUNTIME_CALL
from tests.support.events import capture_events
from tests.support.metadata import (
    DEVNET_381,
    RUNTIME_WIDE,
    assert_pallet_matches,
    assert_same_type,
    summary_pallet,
)
from tests.support.state import DictBackend

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
TOKEN = 10**9
#: The runtime's `deposit(2, 64)` and `deposit(0, 1)`, computed from its constants
#: (ITEMS_FEE = 2_000 * 10_000, BYTES_FEE = 100 * 10_000).
BASE_DEPOSIT = 2 * 20_000_000 + 64 * 1_000_000
BYTE_DEPOSIT = 1_000_000
REASON = ("Preimage", "Preimage")


def test_preimage_metadata_equals_spec_381() -> None:
    assert_pallet_matches(preimage.pallet, DEVNET_381, stop=RUNTIME_WIDE)
    s = summary_pallet("Preimage")
    assert (s["calls"], s["events"], s["errors"], s["storage"]) == (5, 3, 8, 3)


def test_bounded_call_is_the_real_type() -> None:
    # `Bounded<RuntimeCall, BlakeTwo256>` (the Scheduler's `call` field): real type 484.
    assert_same_type(bounded_codec(RUNTIME_CALL), DEVNET_381, 484, stop=RUNTIME_WIDE)


@pytest.fixture
def events() -> Iterator[list[tuple[str, Any]]]:
    with capture_events(system.pallet, balances.pallet, preimage.pallet) as collected, \
            using(Externalities(DictBackend())):
        fungible.mint_into(ALICE, 100 * TOKEN)
        fungible.mint_into(BOB, 100 * TOKEN)
        collected.clear()
        yield collected


def call(origin: Origin, name: str, **args: Any) -> Any:
    return preimage.pallet.dispatch(origin, (name, args))


def names(events: list) -> list[str]:
    return [type(e).__name__ for p, e in events if p == "Preimage"]


def deposit(n: int) -> int:
    return BASE_DEPOSIT + BYTE_DEPOSIT * n


def test_user_note_preimage_works(events: list) -> None:
    """tests.rs `user_note_preimage_works`."""
    post = call(Origin.signed(ALICE), "note_preimage", bytes=b"\x01")
    assert post.pays_fee == Pays.YES
    h = blake2_256(b"\x01")
    assert holds.balance_on_hold(REASON, ALICE) == deposit(1)
    assert balances.Holds.get(ALICE)[0].id == REASON
    assert preimage.len_of(h) == 1 and preimage.fetch(h) == b"\x01"
    assert names(events) == ["Noted"]
    with pytest.raises(preimage.Error.AlreadyNoted):
        call(Origin.signed(ALICE), "note_preimage", bytes=b"\x01")
    with pytest.raises(preimage.Error.AlreadyNoted):
        call(Origin.signed(BOB), "note_preimage", bytes=b"\x01")


def test_manager_note_preimage_works(events: list) -> None:
    """tests.rs `manager_note_preimage_works`: Root notes without deposit or fee."""
    post = call(Origin.root(), "note_preimage", bytes=b"\x01")
    assert post.pays_fee == Pays.NO
    assert holds.balance_on_hold(REASON, ALICE) == 0
    assert preimage.is_requested(blake2_256(b"\x01"))
    # noting again as manager is fine (it stays requested)
    call(Origin.root(), "note_preimage", bytes=b"\x01")


def test_user_unnote_preimage_works(events: list) -> None:
    """tests.rs `user_unnote_preimage_works`."""
    call(Origin.signed(ALICE), "note_preimage", bytes=b"\x01")
    h = blake2_256(b"\x01")
    with pytest.raises(preimage.Error.NotAuthorized):
        call(Origin.signed(BOB), "unnote_preimage", hash=h)
    with pytest.raises(preimage.Error.NotNoted):
        call(Origin.signed(ALICE), "unnote_preimage", hash=blake2_256(b"\x02"))
    call(Origin.signed(ALICE), "unnote_preimage", hash=h)
    with pytest.raises(preimage.Error.NotNoted):
        call(Origin.signed(ALICE), "unnote_preimage", hash=h)
    assert preimage.len_of(h) is None and preimage.PreimageFor.get((h, 1)) is None
    assert holds.balance_on_hold(REASON, ALICE) == 0
    assert fungible.balance(ALICE) == 100 * TOKEN
    assert names(events) == ["Noted", "Cleared"]


def test_manager_unnote_user_preimage_works(events: list) -> None:
    """tests.rs `manager_unnote_user_preimage_works`: the deposit goes back to the owner."""
    call(Origin.signed(ALICE), "note_preimage", bytes=b"\x01")
    h = blake2_256(b"\x01")
    call(Origin.root(), "unnote_preimage", hash=h)
    assert preimage.len_of(h) is None
    assert fungible.balance(ALICE) == 100 * TOKEN


def test_requested_then_noted_preimage_cannot_be_unnoted(events: list) -> None:
    """tests.rs `requested_then_noted_preimage_cannot_be_unnoted`."""
    h = blake2_256(b"\x01")
    call(Origin.root(), "note_preimage", bytes=b"\x01")
    call(Origin.root(), "request_preimage", hash=h)
    call(Origin.root(), "unnote_preimage", hash=h)
    # it is still requested once: the preimage stays
    assert preimage.len_of(h) == 1
    call(Origin.root(), "unrequest_preimage", hash=h)
    assert preimage.len_of(h) is None


def test_requested_then_user_noted_preimage_is_free(events: list) -> None:
    """tests.rs `requested_then_user_noted_preimage_is_free`."""
    h = blake2_256(b"\x01")
    call(Origin.root(), "request_preimage", hash=h)
    post = call(Origin.signed(BOB), "note_preimage", bytes=b"\x01")
    assert post.pays_fee == Pays.NO
    assert holds.balance_on_hold(REASON, BOB) == 0
    assert preimage.fetch(h) == b"\x01"
    assert names(events) == ["Requested", "Noted"]


def test_user_noted_then_requested_preimage_is_refunded_once_only(events: list) -> None:
    """tests.rs `user_noted_then_requested_preimage_is_refunded_once_only`."""
    h = blake2_256(b"\x01" * 3)
    call(Origin.signed(ALICE), "note_preimage", bytes=b"\x01" * 3)
    call(Origin.signed(ALICE), "note_preimage", bytes=b"\x01")
    call(Origin.root(), "request_preimage", hash=h)
    call(Origin.signed(ALICE), "unnote_preimage", hash=h)
    # only the first deposit came back
    assert holds.balance_on_hold(REASON, ALICE) == deposit(1)
    with pytest.raises(preimage.Error.NotAuthorized):
        call(Origin.signed(ALICE), "unnote_preimage", hash=h)


def test_unrequest_preimage_works(events: list) -> None:
    """tests.rs `unrequest_preimage_works`."""
    h = blake2_256(b"\x01")
    call(Origin.root(), "request_preimage", hash=h)
    call(Origin.root(), "request_preimage", hash=h)
    call(Origin.signed(ALICE), "note_preimage", bytes=b"\x01")
    with pytest.raises(preimage.Error.NotRequested):
        call(Origin.root(), "unrequest_preimage", hash=blake2_256(b"\x02"))
    call(Origin.root(), "unrequest_preimage", hash=h)
    assert preimage.len_of(h) == 1
    call(Origin.root(), "unrequest_preimage", hash=h)
    assert preimage.len_of(h) is None
    with pytest.raises(preimage.Error.NotRequested):
        call(Origin.root(), "unrequest_preimage", hash=h)


def test_request_and_unrequest_need_the_manager(events: list) -> None:
    with pytest.raises(BadOrigin):
        call(Origin.signed(ALICE), "request_preimage", hash=blake2_256(b"\x01"))
    with pytest.raises(BadOrigin):
        call(Origin.signed(ALICE), "unrequest_preimage", hash=blake2_256(b"\x01"))


def test_too_big_and_unaffordable_change_nothing(events: list) -> None:
    """tests.rs `note_preimage_works` (TooBig) and a deposit the account cannot hold."""
    with pytest.raises(preimage.Error.TooBig):
        preimage.note_bytes(b"\x00" * (preimage.MAX_SIZE + 1), ALICE)
    poor = bytes(32)
    fungible.mint_into(poor, deposit(10))
    with pytest.raises(DispatchError) as e:
        call(Origin.signed(poor), "note_preimage", bytes=b"\x00" * 10)
    assert e.value.value == ("Token", "FundsUnavailable")


def test_query_and_store_preimage_workflow(events: list) -> None:
    """tests.rs `query_and_store_preimage_workflow`: bound / peek / realize over RuntimeCall."""
    small = ("System", ("remark", {"remark": b"hi"}))
    bounded = preimage.bound(RUNTIME_CALL, small)
    assert isinstance(bounded, Inline)
    assert preimage.peek(RUNTIME_CALL, bounded) == (small, None)
    big = ("System", ("remark", {"remark": b"x" * 200}))
    bounded = preimage.bound(RUNTIME_CALL, big)
    encoded = RUNTIME_CALL.encode(big)
    assert bounded == Lookup(blake2_256(encoded), len(encoded))
    assert preimage.is_requested(bounded.hash)
    assert preimage.peek(RUNTIME_CALL, bounded) == (big, len(encoded))
    assert preimage.realize(RUNTIME_CALL, bounded) == (big, len(encoded))
    # realized: the request is dropped and the preimage with it
    assert not preimage.have(bounded)
    with pytest.raises(DispatchError) as e:
        preimage.peek(RUNTIME_CALL, bounded)
    assert e.value.value == "Unavailable"
    # bytes that do not decode as a call are `Corruption`
    h = preimage.note(b"\xff\xff")
    with pytest.raises(DispatchError) as e:
        preimage.peek(RUNTIME_CALL, Lookup(h, 2))
    assert e.value.value == "Corruption"
    assert preimage.peek(BYTES, Lookup(preimage.note(BYTES.encode(b"ab")), 3)) == (b"ab", 3)


def test_ensure_updated_works(events: list) -> None:
    """tests.rs `ensure_updated_works`: old reserved statuses move to holds."""
    from pysubtensor.pallets.balances import currency
    h = blake2_256(b"\x01")
    currency.reserve(ALICE, 3)
    preimage.StatusFor.insert(h, ("Unrequested", {"deposit": (ALICE, 3), "len": 1}))
    preimage.PreimageFor.insert((h, 1), b"\x01")
    with pytest.raises(preimage.Error.TooFew):
        call(Origin.signed(ALICE), "ensure_updated", hashes=[])
    with pytest.raises(preimage.Error.TooMany):
        call(Origin.signed(ALICE), "ensure_updated", hashes=[h] * 1025)
    post = call(Origin.signed(ALICE), "ensure_updated", hashes=[h])
    assert post.pays_fee == Pays.NO
    assert preimage.StatusFor.get(h) is None
    assert preimage.RequestStatusFor.get(h) == preimage.UnrequestedStatus((ALICE, deposit(1)), 1)
    assert currency.reserved_balance(ALICE) == deposit(1) and holds.balance_on_hold(REASON, ALICE) == deposit(1)
    # nothing left to update: the caller pays
    assert call(Origin.signed(ALICE), "ensure_updated", hashes=[h]).pays_fee == Pays.YES
