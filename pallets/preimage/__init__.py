"""Preimage (index 14): preimages of hashes stored on chain (`pallet_preimage`, polkadot-sdk
substrate/frame/preimage/src/lib.rs, as subtensor's polkadot-sdk fork builds it).

A signed account notes a preimage and pays a deposit held by Balances
(`HoldConsideration` with `LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit>`);
Root (the runtime's `ManagerOrigin`) notes and requests without deposit. A requested
preimage costs its uploader nothing, and a deposit already paid is returned when it is
unnoted after being requested.

For other pallets (Scheduler, Crowdloan), the provider functions frame-support's
`QueryPreimage` / `StorePreimage` give, over `Bounded` values (`pallets.preimage.bounded`):

    bounded = preimage.bound(RUNTIME_CALL, call)   # StorePreimage::bound: Inline, else note + Lookup
    call, length = preimage.peek(RUNTIME_CALL, bounded)    # decode; DispatchError Unavailable / Corruption
    call, length = preimage.realize(RUNTIME_CALL, bounded) # peek, then drop (unrequest the hash)
    preimage.hold(bounded) / preimage.drop(bounded)        # request / unrequest the data it needs
    preimage.have(bounded), preimage.is_requested(hash), preimage.len_of(hash)
    preimage.note(data) -> hash, preimage.unnote(hash), preimage.request(hash), preimage.unrequest(hash)

`peek` returns `(value, None)` for an inline value and `(value, length)` for a looked-up one.
These functions need only Preimage's storage (they are runtime-internal: no origin, no deposit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pysubtensor.pallets.balances import holds
from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.dispatch import (
    DispatchError,
    Origin,
    Pays,
    PostDispatchInfo,
    ensure,
    ensure_root,
    ensure_signed,
)
from pysubtensor.pallets.support.pallet import Arg, Pallet, error, event
from pysubtensor.pallets.support.storage import StorageMap
from pysubtensor.pallets.support.tokens import Precision
from pysubtensor.pallets.support.types import Hash, bounded_vec
from pysubtensor.primitives.hashing import Identity, blake2_256
from pysubtensor.primitives.scale import (
    BYTES,
    H256,
    U8,
    U32,
    Codec,
    Enum,
    Field,
    Option,
    Struct,
    Tuple,
    Variant,
    Vec,
)
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.types import ACCOUNT_ID, BALANCE

from . import weights
from .bounded import (
    BLAKE_TWO_256,
    MAX_INLINE_LEN,
    Bounded,
    Inline,
    Legacy,
    Lookup,
    bounded_codec,
    bounded_hash,
    lookup_needed,
)

__all__ = [
    "BLAKE_TWO_256",
    "MAX_HASH_UPGRADE_BULK_COUNT",
    "MAX_SIZE",
    "Bounded",
    "Config",
    "Error",
    "Event",
    "Inline",
    "Legacy",
    "Lookup",
    "PreimageFor",
    "RequestStatusFor",
    "StatusFor",
    "bound",
    "bounded_codec",
    "bounded_hash",
    "drop",
    "fetch",
    "have",
    "hold",
    "is_requested",
    "len_of",
    "lookup_needed",
    "note",
    "pallet",
    "peek",
    "realize",
    "request",
    "unnote",
    "unrequest",
]

pallet = Pallet("Preimage", 14, crate="pallet_preimage", storage_version=1)

#: Maximum size of preimage we can store is 4mb.
MAX_SIZE = 4 * 1024 * 1024
#: Hard limit on the number of hashes that can be passed to `ensure_updated`.
MAX_HASH_UPGRADE_BULK_COUNT = 1024
#: `RuntimeHoldReason::Preimage(HoldReason::Preimage)`.
HOLD_REASON = ("Preimage", "Preimage")


def _deposit(items: int, nbytes: int) -> int:
    """The runtime's `deposit(items, bytes)`: 0.02 TAO an item, 0.001 TAO a byte."""
    return items * 2_000 * 10_000 + nbytes * 100 * 10_000


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(PalletConfig):
    #: `PreimageBaseDeposit = deposit(2, 64)`.
    base_deposit: int = _deposit(2, 64)
    #: `PreimageByteDeposit = deposit(0, 1)`.
    byte_deposit: int = _deposit(0, 1)


# ---------------------------------------------------------------------------
# Types

_ACCOUNT_BALANCE = Tuple(ACCOUNT_ID, BALANCE)
#: `pallet_preimage::OldRequestStatus<AccountId, Balance>` (the deprecated `StatusFor`).
OLD_REQUEST_STATUS = Enum(("pallet_preimage", "OldRequestStatus"), (
    Variant("Unrequested", 0, (Field("deposit", _ACCOUNT_BALANCE, "(AccountId, Balance)"), Field("len", U32, "u32"))),
    Variant("Requested", 1, (Field("deposit", Option(_ACCOUNT_BALANCE), "Option<(AccountId, Balance)>"),
                             Field("count", U32, "u32"), Field("len", Option(U32), "Option<u32>"))),
), params=(("AccountId", ACCOUNT_ID), ("Balance", BALANCE)))

#: `HoldConsideration<A, F, R, D, Fp>`: the amount held (a newtype over the balance).
HOLD_CONSIDERATION = Struct(("frame_support", "traits", "tokens", "fungible", "HoldConsideration"),
                            (Field(None, BALANCE, "F::Balance"),),
                            params=(("A", None), ("F", None), ("R", None), ("D", None), ("Fp", None)))
_TICKET = Tuple(ACCOUNT_ID, HOLD_CONSIDERATION)


@slots_dataclass
class UnrequestedStatus:
    """Noted, not requested: `ticket` (owner, deposit held) is held until it is unnoted."""

    ticket: tuple[bytes, int]
    len: int


@slots_dataclass
class RequestedStatus:
    """Requested `count` times; `maybe_len` is set once the preimage is noted."""

    maybe_ticket: tuple[bytes, int] | None
    count: int
    maybe_len: int | None


#: `pallet_preimage::RequestStatus<AccountId, Ticket>`.
REQUEST_STATUS = Enum(("pallet_preimage", "RequestStatus"), (
    Variant("Unrequested", 0, (Field("ticket", _TICKET, "(AccountId, Ticket)"), Field("len", U32, "u32")),
            cls=UnrequestedStatus),
    Variant("Requested", 1, (Field("maybe_ticket", Option(_TICKET), "Option<(AccountId, Ticket)>"),
                             Field("count", U32, "u32"), Field("maybe_len", Option(U32), "Option<u32>")),
            cls=RequestedStatus),
), params=(("AccountId", ACCOUNT_ID), ("Ticket", HOLD_CONSIDERATION)))

# ---------------------------------------------------------------------------
# Storage

StatusFor = pallet.storage("StatusFor", StorageMap(Identity, H256, OLD_REQUEST_STATUS, optional=True),
                           docs="The request status of a given hash.")
RequestStatusFor = pallet.storage("RequestStatusFor", StorageMap(Identity, H256, REQUEST_STATUS, optional=True),
                                  docs="The request status of a given hash.")
PreimageFor = pallet.storage("PreimageFor", StorageMap(Identity, Tuple(H256, U32), bounded_vec(U8), optional=True))

# ---------------------------------------------------------------------------
# Events and errors


@pallet.events
class Event:
    @event(0)
    class Noted:
        """A preimage has been noted."""

        hash: Hash

    @event(1)
    class Requested:
        """A preimage has been requested."""

        hash: Hash

    @event(2)
    class Cleared:
        """A preimage has ben cleared."""

        hash: Hash


@pallet.errors
class Error:
    TooBig = error(0, "Preimage is too large to store on-chain.")
    AlreadyNoted = error(1, "Preimage has already been noted on-chain.")
    NotAuthorized = error(2, "The user is not authorized to perform this action.")
    NotNoted = error(3, "The preimage cannot be removed since it has not yet been noted.")
    Requested = error(4, "A preimage may not be removed when there are outstanding requests.")
    NotRequested = error(5, "The preimage request cannot be removed since no outstanding requests exist.")
    TooMany = error(6, "More than `MAX_HASH_UPGRADE_BULK_COUNT` hashes were requested to be upgraded at once.")
    TooFew = error(7, "Too few hashes were requested to be upgraded (i.e. zero).")


# ---------------------------------------------------------------------------
# Deposits: `HoldConsideration` priced by `LinearStoragePrice`


def deposit_of(length: int) -> int:
    """`LinearStoragePrice::convert(Footprint::from_parts(1, len))`: base + byte deposit * len."""
    return pallet.config.base_deposit + pallet.config.byte_deposit * length


def _new_ticket(who: bytes, length: int) -> int:
    amount = deposit_of(length)
    holds.hold(HOLD_REASON, who, amount)
    return amount


def _drop_ticket(who: bytes, amount: int) -> None:
    try:  # `let _ = ticket.drop(&owner)`: a failed release is ignored
        holds.release(HOLD_REASON, who, amount, Precision.BEST_EFFORT)
    except DispatchError:
        pass


# ---------------------------------------------------------------------------
# Internals


def _ensure_signed_or_manager(origin: Origin) -> bytes | None:
    """Root (`ManagerOrigin = EnsureRoot`) gives None; else the signer (BadOrigin otherwise)."""
    if origin.kind == Origin.ROOT:
        return None
    return ensure_signed(origin)


def _ensure_manager(origin: Origin) -> None:
    ensure_root(origin)


def do_ensure_updated(h: bytes) -> bool:
    """Move a deprecated `StatusFor` entry to `RequestStatusFor` (reserve -> hold)."""
    from pysubtensor.pallets.balances import currency  # the legacy reserve the old status used

    old = StatusFor.take(h)
    if old is None:
        return False
    kind, fields = old
    if kind == "Unrequested":
        who, amount = fields["deposit"]
        currency.unreserve(who, amount)
        try:
            ticket = _new_ticket(who, fields["len"])
        except DispatchError:
            return True
        new: Any = UnrequestedStatus((who, ticket), fields["len"])
    else:
        maybe_ticket = None
        if fields["deposit"] is not None:
            who, amount = fields["deposit"]
            currency.unreserve(who, amount)
            if fields["len"] is not None:
                try:
                    maybe_ticket = (who, _new_ticket(who, fields["len"]))
                except DispatchError:
                    return True
        new = RequestedStatus(maybe_ticket, fields["count"], fields["len"])
    RequestStatusFor.insert(h, new)
    return True


def note_bytes(preimage: bytes, maybe_depositor: bytes | None) -> tuple[bool, bytes]:
    """Store a preimage; a depositor pays unless it was requested. Returns (was_requested, hash)."""
    h = blake2_256(preimage)
    length = len(preimage)
    ensure(length <= MAX_SIZE, Error.TooBig)
    do_ensure_updated(h)
    status = RequestStatusFor.get(h)
    if isinstance(status, RequestedStatus):
        new: Any = RequestedStatus(status.maybe_ticket, status.count, length)
    elif isinstance(status, UnrequestedStatus):
        if maybe_depositor is not None:
            raise Error.AlreadyNoted()
        new = RequestedStatus(status.ticket, 1, status.len)
    elif maybe_depositor is None:
        new = RequestedStatus(None, 1, length)
    else:
        new = UnrequestedStatus((maybe_depositor, _new_ticket(maybe_depositor, length)), length)
    RequestStatusFor.insert(h, new)
    PreimageFor.insert((h, length), preimage)
    pallet.deposit_event(Event.Noted(h))
    return isinstance(new, RequestedStatus), h


def do_request_preimage(h: bytes) -> None:
    do_ensure_updated(h)
    status = RequestStatusFor.get(h)
    if isinstance(status, RequestedStatus):
        count, maybe_len, maybe_ticket = min(status.count + 1, 2**32 - 1), status.maybe_len, status.maybe_ticket
    elif isinstance(status, UnrequestedStatus):
        count, maybe_len, maybe_ticket = 1, status.len, status.ticket
    else:
        count, maybe_len, maybe_ticket = 1, None, None
    RequestStatusFor.insert(h, RequestedStatus(maybe_ticket, count, maybe_len))
    if count == 1:
        pallet.deposit_event(Event.Requested(h))


def do_unnote_preimage(h: bytes, maybe_check_owner: bytes | None) -> None:
    do_ensure_updated(h)
    status = RequestStatusFor.get(h)
    if status is None:
        raise Error.NotNoted()
    if isinstance(status, RequestedStatus):
        if status.maybe_ticket is not None:
            owner, ticket = status.maybe_ticket
            ensure(maybe_check_owner is None or maybe_check_owner == owner, Error.NotAuthorized)
            _drop_ticket(owner, ticket)
            RequestStatusFor.insert(h, RequestedStatus(None, status.count, status.maybe_len))
            return
        ensure(maybe_check_owner is None, Error.NotAuthorized)
        do_unrequest_preimage(h)
        return
    owner, ticket = status.ticket
    ensure(maybe_check_owner is None or maybe_check_owner == owner, Error.NotAuthorized)
    _drop_ticket(owner, ticket)
    RequestStatusFor.remove(h)
    PreimageFor.remove((h, status.len))
    pallet.deposit_event(Event.Cleared(h))


def do_unrequest_preimage(h: bytes) -> None:
    do_ensure_updated(h)
    status = RequestStatusFor.get(h)
    if status is None or isinstance(status, UnrequestedStatus):
        raise Error.NotRequested()
    if status.count > 1:
        RequestStatusFor.insert(h, RequestedStatus(status.maybe_ticket, status.count - 1, status.maybe_len))
    elif status.maybe_len is None:  # never noted
        RequestStatusFor.remove(h)
    elif status.maybe_ticket is None:  # noted without owner: remove it
        PreimageFor.remove((h, status.maybe_len))
        RequestStatusFor.remove(h)
        pallet.deposit_event(Event.Cleared(h))
    else:  # noted with an owner: back to unrequested, so they can get their refund
        RequestStatusFor.insert(h, UnrequestedStatus(status.maybe_ticket, status.maybe_len))


# ---------------------------------------------------------------------------
# QueryPreimage / StorePreimage (for other pallets)


def len_of(h: bytes) -> int | None:
    """`QueryPreimage::len`: the length of the noted preimage of `h`, or None."""
    do_ensure_updated(h)
    status = RequestStatusFor.get(h)
    if isinstance(status, UnrequestedStatus):
        return status.len
    if isinstance(status, RequestedStatus):
        return status.maybe_len
    return None


def fetch(h: bytes, length: int | None = None) -> bytes:
    """`QueryPreimage::fetch`: the preimage of `h` (`DispatchError::Unavailable` if absent)."""
    if length is None:
        length = len_of(h)
    data = None if length is None else PreimageFor.get((h, length))
    if data is None:
        raise DispatchError("Unavailable")
    return bytes(data)


def is_requested(h: bytes) -> bool:
    do_ensure_updated(h)
    return isinstance(RequestStatusFor.get(h), RequestedStatus)


def request(h: bytes) -> None:
    """`QueryPreimage::request`: one more request for `h` (its uploader then pays nothing)."""
    do_request_preimage(h)


def unrequest(h: bytes) -> None:
    """`QueryPreimage::unrequest`: one request fewer (Rust only debug-asserts a failure)."""
    try:
        do_unrequest_preimage(h)
    except DispatchError:
        pass


def note(data: bytes) -> bytes:
    """`StorePreimage::note`: store `data` as requested (no deposit); returns its hash.
    Already noted is fine; too big is `DispatchError::Exhausted`."""
    try:
        return note_bytes(bytes(data), None)[1]
    except Error.TooBig:
        raise DispatchError("Exhausted") from None


def unnote(h: bytes) -> None:
    """`StorePreimage::unnote` (Preimage's: clears it whoever noted it)."""
    try:
        do_unnote_preimage(h, None)
    except DispatchError:
        pass


def hold(bounded: Bounded) -> None:
    """`QueryPreimage::hold`: request the data `bounded` needs (nothing for an inline value)."""
    if lookup_needed(bounded):
        request(bounded.hash)


def drop(bounded: Bounded) -> None:
    """`QueryPreimage::drop`: no longer request the data `bounded` needs."""
    if lookup_needed(bounded):
        unrequest(bounded.hash)


def have(bounded: Bounded) -> bool:
    """`QueryPreimage::have`: all data to decode `bounded` is available."""
    return not lookup_needed(bounded) or len_of(bounded.hash) is not None


def pick(h: bytes, length: int) -> Lookup:
    """`QueryPreimage::pick`: request `h` and make a `Lookup` for it."""
    request(h)
    return Lookup(h, length)


def peek(codec: Codec, bounded: Bounded) -> tuple[Any, int | None]:
    """`QueryPreimage::peek`: decode the value `bounded` stands for: `(value, None)` inline,
    `(value, length)` looked up. `DispatchError` `Unavailable` without the preimage,
    `Corruption` if it does not decode as `codec`."""
    if isinstance(bounded, Inline):
        data, length = bounded.data, None
    else:
        data = fetch(bounded.hash, bounded.len if isinstance(bounded, Lookup) else None)
        length = len(data)
    try:
        value, end = codec.decode(data)
    except (ValueError, KeyError, IndexError):
        raise DispatchError("Corruption") from None
    # parity-scale-codec's `decode` (not `decode_all`) ignores trailing bytes.
    del end
    return value, length


def realize(codec: Codec, bounded: Bounded) -> tuple[Any, int | None]:
    """`QueryPreimage::realize`: `peek`, then `drop` the data backing `bounded`."""
    result = peek(codec, bounded)
    drop(bounded)
    return result


def bound(codec: Codec, value: Any) -> Bounded:
    """`StorePreimage::bound`: the value inline if its encoding fits 128 bytes, else noted
    (requested, no deposit) and referred to by `Lookup`."""
    data = codec.encode(value)
    if len(data) <= MAX_INLINE_LEN:
        return Inline(data)
    return Lookup(note(data), len(data))


# ---------------------------------------------------------------------------
# Calls


@pallet.call(0, weight=lambda bytes: weights.note_preimage(len(bytes)))
def note_preimage(origin: Origin, bytes: Arg(BYTES, "Vec<u8>")) -> PostDispatchInfo:
    """Register a preimage on-chain.

    If the preimage was previously requested, no fees or deposits are taken for providing
    the preimage. Otherwise, a deposit is taken proportional to the size of the preimage."""
    maybe_sender = _ensure_signed_or_manager(origin)
    system_requested, _ = note_bytes(bytes, maybe_sender)
    if system_requested or maybe_sender is None:
        return PostDispatchInfo(pays_fee=Pays.NO)
    return PostDispatchInfo()


@pallet.call(1, weight=weights.unnote_preimage())
def unnote_preimage(origin: Origin, hash: Arg(H256, "T::Hash")) -> None:
    """Clear an unrequested preimage from the runtime storage.

    If `len` is provided, then it will be a much cheaper operation.

    - `hash`: The hash of the preimage to be removed from the store.
    - `len`: The length of the preimage of `hash`."""
    maybe_sender = _ensure_signed_or_manager(origin)
    do_unnote_preimage(hash, maybe_sender)


@pallet.call(2, weight=weights.request_preimage())
def request_preimage(origin: Origin, hash: Arg(H256, "T::Hash")) -> None:
    """Request a preimage be uploaded to the chain without paying any fees or deposits.

    If the preimage requests has already been provided on-chain, we unreserve any deposit
    a user may have paid, and take the control of the preimage out of their hands."""
    _ensure_manager(origin)
    do_request_preimage(hash)


@pallet.call(3, weight=weights.unrequest_preimage())
def unrequest_preimage(origin: Origin, hash: Arg(H256, "T::Hash")) -> None:
    """Clear a previously made request for a preimage.

    NOTE: THIS MUST NOT BE CALLED ON `hash` MORE TIMES THAN `request_preimage`."""
    _ensure_manager(origin)
    do_unrequest_preimage(hash)


@pallet.call(4, weight=lambda hashes: weights.ensure_updated(len(hashes)))
def ensure_updated(origin: Origin, hashes: Arg(Vec(H256), "Vec<T::Hash>")) -> PostDispatchInfo:
    """Ensure that the bulk of pre-images is upgraded.

    The caller pays no fee if at least 90% of pre-images were successfully updated."""
    ensure_signed(origin)
    ensure(len(hashes) > 0, Error.TooFew)
    ensure(len(hashes) <= MAX_HASH_UPGRADE_BULK_COUNT, Error.TooMany)
    updated = sum(1 for h in hashes if do_ensure_updated(h))
    # `Perbill::from_rational(updated, n) < Perbill::from_percent(90)`, in parts per billion
    # (from_rational rounds down: exact integer comparison of the floored ratio).
    ratio = updated * 1_000_000_000 // len(hashes)
    return PostDispatchInfo(pays_fee=Pays.YES if ratio < 900_000_000 else Pays.NO)
