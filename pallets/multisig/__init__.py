"""Multisig (index 13): calls dispatched from a deterministic account once enough of its
signatories approve them (`pallet_multisig`, polkadot-sdk substrate/frame/multisig/src/lib.rs,
as subtensor's polkadot-sdk (stable2503) builds it).

The multisig account of `signatories` (sorted) and `threshold` is `multi_account_id`. The
first approval opens an operation (`Multisigs`), reserving `DepositBase + threshold *
DepositFactor` from its opener, at a `Timepoint` (block and extrinsic index) the others
name; the approval that reaches the threshold with the call itself (`as_multi`) dispatches
it as the multisig account, through a fresh Signed origin, and returns the deposit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pysubtensor.pallets import system
from pysubtensor.pallets.support.call import RuntimeCallConfig, RuntimeCalls, dispatch_result
from pysubtensor.pallets.support.dispatch import (
    DISPATCH_RESULT,
    ROCKS_DB_WEIGHT,
    WEIGHT,
    DispatchError,
    Origin,
    Pays,
    PostDispatchInfo,
    Weight,
    ensure,
    ensure_signed,
)
from pysubtensor.pallets.support.pallet import Arg, Pallet, constant, error, event
from pysubtensor.pallets.support.storage import StorageDoubleMap
from pysubtensor.pallets.support.tokens import ReservableCurrency
from pysubtensor.pallets.support.types import AccountId, bounded_vec, scale_type
from pysubtensor.primitives.hashing import Blake2_128Concat, Twox64Concat, blake2_256
from pysubtensor.primitives.scale import U16, U32, Field, FixedBytes, Option, Struct, Vec, encode_compact
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.types import ACCOUNT_ID, BALANCE

from . import weights

__all__ = ["Config", "Constants", "Error", "Event", "Multisig", "Timepoint", "multi_account_id", "pallet"]

#: `#[pallet::storage_version(1)]`: genesis writes it under `:__STORAGE_VERSION__:`.
pallet = Pallet("Multisig", 13, crate="pallet_multisig", storage_version=1)


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(RuntimeCallConfig):
    """`pallet_multisig::Config`: the runtime's calls and origins, and `Currency`
    (`BlockNumberProvider = System`)."""

    currency: ReservableCurrency


_runtime = RuntimeCalls(pallet)
RUNTIME_CALL = _runtime.call
dispatch, dispatch_info = _runtime.dispatch, _runtime.dispatch_info

# ---------------------------------------------------------------------------
# Types


@slots_dataclass(frozen=True)
class Timepoint:
    """A global extrinsic index: the extrinsic's index within its block, and the block's height."""

    height: int
    index: int


TIMEPOINT = Struct(("pallet_multisig", "Timepoint"),
                   (Field("height", U32, "BlockNumber"), Field("index", U32, "u32")),
                   cls=Timepoint, params=(("BlockNumber", U32),))


@slots_dataclass
class Multisig:
    """An open multisig operation: when it was opened, the deposit its opener (`depositor`)
    holds for it, and the approvals so far (sorted, the depositor's included)."""

    when: Timepoint
    deposit: int
    depositor: bytes
    approvals: list[bytes]


MULTISIG = Struct(
    ("pallet_multisig", "Multisig"),
    (Field("when", TIMEPOINT, "Timepoint<BlockNumber>"), Field("deposit", BALANCE, "Balance"),
     Field("depositor", ACCOUNT_ID, "AccountId"),
     Field("approvals", bounded_vec(ACCOUNT_ID), "BoundedVec<AccountId, MaxApprovals>")),
    cls=Multisig,
    params=(("BlockNumber", U32), ("Balance", BALANCE), ("AccountId", ACCOUNT_ID), ("MaxApprovals", None)),
)
CALL_HASH_CODEC = FixedBytes(32)

# ---------------------------------------------------------------------------
# Constants


def _deposit(items: int, num_bytes: int) -> int:
    """The runtime's `deposit(items, bytes)`: 0.02 TAO an item and 0.001 TAO a byte (in RAO)."""
    return items * 2_000 * 10_000 + num_bytes * 100 * 10_000


@pallet.constants
class Constants:
    # One item: key 32 + 32 bytes, value 4 + 4 + 8 + 32 bytes (112 in all, the runtime's count).
    DepositBase = constant(BALANCE, _deposit(1, 112), """
        The base amount of currency needed to reserve for creating a multisig execution or to
        store a dispatch call for later.

        This is held for an additional storage item whose value size is
        `4 + sizeof((BlockNumber, Balance, AccountId))` bytes and whose key size is
        `32 + sizeof(AccountId)` bytes.""")
    DepositFactor = constant(BALANCE, _deposit(0, 32), """
        The amount of currency needed per unit threshold when creating a multisig execution.

        This is held for adding 32 bytes more into a pre-existing storage value.""")
    MaxSignatories = constant(U32, 100, "The maximum amount of signatories allowed in the multisig.")


pallet.associated_type("RuntimeCall", RUNTIME_CALL, "The overarching call type.")

# ---------------------------------------------------------------------------
# Storage

Multisigs = pallet.storage("Multisigs", StorageDoubleMap(Twox64Concat, ACCOUNT_ID, Blake2_128Concat, CALL_HASH_CODEC,
                                                         MULTISIG, optional=True),
                           docs="The set of open multisig operations.")

# ---------------------------------------------------------------------------
# Events

_CallHash = scale_type(CALL_HASH_CODEC, bytes, "CallHash")
_Timepoint = scale_type(TIMEPOINT, Timepoint, "Timepoint<BlockNumberFor<T>>")
_Balance = scale_type(BALANCE, int, "BalanceOf<T>")


@pallet.events
class Event:
    @event(0)
    class NewMultisig:
        """A new multisig operation has begun."""

        approving: AccountId
        multisig: AccountId
        call_hash: _CallHash

    @event(1)
    class MultisigApproval:
        """A multisig operation has been approved by someone."""

        approving: AccountId
        timepoint: _Timepoint
        multisig: AccountId
        call_hash: _CallHash

    @event(2)
    class MultisigExecuted:
        """A multisig operation has been executed."""

        approving: AccountId
        timepoint: _Timepoint
        multisig: AccountId
        call_hash: _CallHash
        result: scale_type(DISPATCH_RESULT, tuple, "DispatchResult")

    @event(3)
    class MultisigCancelled:
        """A multisig operation has been cancelled."""

        cancelling: AccountId
        timepoint: _Timepoint
        multisig: AccountId
        call_hash: _CallHash

    @event(4)
    class DepositPoked:
        """The deposit for a multisig operation has been updated/poked."""

        who: AccountId
        call_hash: _CallHash
        old_deposit: _Balance
        new_deposit: _Balance


# ---------------------------------------------------------------------------
# Errors


@pallet.errors
class Error:
    MinimumThreshold = error(0, "Threshold must be 2 or greater.")
    AlreadyApproved = error(1, "Call is already approved by this signatory.")
    NoApprovalsNeeded = error(2, "Call doesn't need any (more) approvals.")
    TooFewSignatories = error(3, "There are too few signatories in the list.")
    TooManySignatories = error(4, "There are too many signatories in the list.")
    SignatoriesOutOfOrder = error(5, "The signatories were provided out of order; they should be ordered.")
    SenderInSignatories = error(6, "The sender was contained in the other signatories; it shouldn't be.")
    NotFound = error(7, "Multisig operation not found in storage.")
    NotOwner = error(8, """
        Only the account that originally created the multisig is able to cancel it or update
        its deposits.""")
    NoTimepoint = error(9, "No timepoint was given, yet the multisig operation is already underway.")
    WrongTimepoint = error(10, "A different timepoint was given to the multisig operation that is underway.")
    UnexpectedTimepoint = error(11, "A timepoint was given, yet no multisig operation is underway.")
    MaxWeightTooLow = error(12, "The maximum weight information provided was too low.")
    AlreadyStored = error(13, "The data to be stored is already stored.")


# ---------------------------------------------------------------------------
# Helpers

OTHER_SIGNATORIES = Arg(Vec(ACCOUNT_ID), "Vec<T::AccountId>")
CALL = Arg(RUNTIME_CALL, "Box<<T as Config>::RuntimeCall>")
THRESHOLD = Arg(U16, "u16")
MAYBE_TIMEPOINT = Arg(Option(TIMEPOINT), "Option<Timepoint<BlockNumberFor<T>>>")
CALL_HASH = Arg(CALL_HASH_CODEC, "[u8; 32]")
MAX_WEIGHT = Arg(WEIGHT, "Weight")


def multi_account_id(who: list[bytes], threshold: int) -> bytes:
    """The account of the sorted signatories `who` with `threshold`: blake2_256 of SCALE
    `(b"modlpy/utilisuba", who, threshold)` read as an AccountId32."""
    return blake2_256(b"modlpy/utilisuba" + encode_compact(len(who)) + b"".join(who) + U16.encode(threshold))


def timepoint() -> Timepoint:
    """The current `Timepoint`."""
    return Timepoint(system.block_number(), system.extrinsic_index() or 0)


def _currency() -> ReservableCurrency:
    return pallet.config.currency


def _ensure_sorted_and_insert(other_signatories: list[bytes], who: bytes) -> list[bytes]:
    """Check that the others are strictly ascending and exclude the sender; insert the sender."""
    index = 0
    last = None
    for item in other_signatories:
        if last is not None:
            ensure(last < item, Error.SignatoriesOutOfOrder)
        if item <= who:
            ensure(item != who, Error.SenderInSignatories)
            index += 1
        last = item
    return [*other_signatories[:index], who, *other_signatories[index:]]


def _ensure_signatories(threshold: int | None, other_signatories: list[bytes]) -> None:
    if threshold is not None:
        ensure(threshold >= 2, Error.MinimumThreshold)
    ensure(len(other_signatories) > 0, Error.TooFewSignatories)
    ensure(len(other_signatories) < Constants.MaxSignatories, Error.TooManySignatories)


def _encoded_len(call: Any) -> int:
    return len(RUNTIME_CALL.encode(call))


def _result_weight(result: PostDispatchInfo | DispatchError) -> Weight | None:
    """The inner call's reported weight, whether it succeeded or failed (`get_result_weight`)."""
    post = result.post_info if isinstance(result, DispatchError) else result
    return None if post is None else post.actual_weight


def _operate(who: bytes, threshold: int, other_signatories: list[bytes], maybe_timepoint: Timepoint | None,
             call: Any | None, hashed: bytes | None, max_weight: Weight) -> PostDispatchInfo:
    _ensure_signatories(threshold, other_signatories)
    s = len(other_signatories)
    signatories = _ensure_sorted_and_insert(other_signatories, who)
    multisig = multi_account_id(signatories, threshold)
    if call is not None:
        encoded = RUNTIME_CALL.encode(call)
        call_hash, call_len = blake2_256(encoded), len(encoded)
    else:
        call_hash, call_len = hashed, 0

    m = Multisigs.get(multisig, call_hash)
    if m is None:
        # Not yet started: there should be no timepoint given.
        ensure(maybe_timepoint is None, Error.UnexpectedTimepoint)
        held = Constants.DepositBase + Constants.DepositFactor * threshold
        _currency().reserve(who, held)
        Multisigs.insert(multisig, call_hash, Multisig(timepoint(), held, who, [who]))
        pallet.deposit_event(Event.NewMultisig(who, multisig, call_hash))
        return PostDispatchInfo(weights.as_multi_create(s, call_len))

    if maybe_timepoint is None:
        raise Error.NoTimepoint()
    ensure(m.when == maybe_timepoint, Error.WrongTimepoint)
    approvals = len(m.approvals)
    # The sender's approval counts only if new and still needed.
    approves = who not in m.approvals and approvals < threshold
    if approves:
        approvals += 1

    if call is not None and approvals >= threshold:
        ensure(dispatch_info(call).weight.all_lte(max_weight), Error.MaxWeightTooLow)
        # Storage is cleaned up before the call runs, so it cannot re-enter this operation.
        Multisigs.remove(multisig, call_hash)
        _currency().unreserve(m.depositor, m.deposit)
        result = dispatch(Origin.signed(multisig), call)
        pallet.deposit_event(Event.MultisigExecuted(who, maybe_timepoint, multisig, call_hash,
                                                    dispatch_result(result)))
        used = _result_weight(result)
        return PostDispatchInfo(None if used is None else weights.as_multi_complete(s, call_len).saturating_add(used))

    # Not dispatched now: the call is not given, or the threshold is not reached yet.
    if not approves:
        # Approving again without the call to execute is useless.
        raise Error.AlreadyApproved()
    if len(m.approvals) >= Constants.MaxSignatories:
        raise Error.TooManySignatories()
    m.approvals = sorted([*m.approvals, who])
    Multisigs.insert(multisig, call_hash, m)
    pallet.deposit_event(Event.MultisigApproval(who, maybe_timepoint, multisig, call_hash))
    return PostDispatchInfo(weights.as_multi_approve(s, call_len))


def _max(*ws: Weight) -> Weight:
    return Weight(max(w.ref_time for w in ws), max(w.proof_size for w in ws))


def _threshold_1_post(call_len: int, used: Weight | None) -> PostDispatchInfo:
    return PostDispatchInfo(None if used is None else weights.as_multi_threshold_1(call_len).saturating_add(used))


# ---------------------------------------------------------------------------
# Calls


@pallet.call(0, weight=lambda call: weights.as_multi_threshold_1(_encoded_len(call))
             .saturating_add(ROCKS_DB_WEIGHT.reads_writes(1, 1))  # the inner origin's account data
             .saturating_add(dispatch_info(call).weight),
             dispatch_class=lambda call: dispatch_info(call).dispatch_class)
def as_multi_threshold_1(origin: Origin, other_signatories: OTHER_SIGNATORIES, call: CALL) -> PostDispatchInfo:
    """Immediately dispatch a multi-signature call using a single approval from the caller.

    The dispatch origin for this call must be _Signed_.

    - `other_signatories`: The accounts (other than the sender) who are part of the
    multi-signature, but do not participate in the approval process.
    - `call`: The call to be executed.

    Result is equivalent to the dispatched result.

    ## Complexity
    O(Z + C) where Z is the length of the call and C its execution weight."""
    who = ensure_signed(origin)
    _ensure_signatories(None, other_signatories)
    signatories = _ensure_sorted_and_insert(other_signatories, who)
    multisig = multi_account_id(signatories, 1)
    call_len = _encoded_len(call)
    result = dispatch(Origin.signed(multisig), call)
    if isinstance(result, DispatchError):
        used = _result_weight(result)
        if used is not None:
            result.post_info = _threshold_1_post(call_len, used)
        raise result
    return _threshold_1_post(call_len, result.actual_weight)


@pallet.call(1, weight=lambda other_signatories, call, max_weight: _max(
    weights.as_multi_create(len(other_signatories), _encoded_len(call)),
    weights.as_multi_approve(len(other_signatories), _encoded_len(call)),
    weights.as_multi_complete(len(other_signatories), _encoded_len(call))).saturating_add(max_weight))
def as_multi(origin: Origin, threshold: THRESHOLD, other_signatories: OTHER_SIGNATORIES,
             maybe_timepoint: MAYBE_TIMEPOINT, call: CALL, max_weight: MAX_WEIGHT) -> PostDispatchInfo:
    """Register approval for a dispatch to be made from a deterministic composite account if
    approved by a total of `threshold - 1` of `other_signatories`.

    If there are enough, then dispatch the call.

    Payment: `DepositBase` will be reserved if this is the first approval, plus
    `threshold` times `DepositFactor`. It is returned once this dispatch happens or
    is cancelled.

    The dispatch origin for this call must be _Signed_.

    - `threshold`: The total number of approvals for this dispatch before it is executed.
    - `other_signatories`: The accounts (other than the sender) who can approve this
    dispatch. May not be empty.
    - `maybe_timepoint`: If this is the first approval, then this must be `None`. If it is
    not the first approval, then it must be `Some`, with the timepoint (block number and
    transaction index) of the first approval transaction.
    - `call`: The call to be executed.

    NOTE: Unless this is the final approval, you will generally want to use
    `approve_as_multi` instead, since it only requires a hash of the call.

    Result is equivalent to the dispatched result if `threshold` is exactly `1`. Otherwise
    on success, result is `Ok` and the result from the interior call, if it was executed,
    may be found in the deposited `MultisigExecuted` event.

    ## Complexity
    - `O(S + Z + Call)`.
    - Up to one balance-reserve or unreserve operation.
    - One passthrough operation, one insert, both `O(S)` where `S` is the number of
      signatories. `S` is capped by `MaxSignatories`, with weight being proportional.
    - One call encode & hash, both of complexity `O(Z)` where `Z` is tx-len.
    - One encode & hash, both of complexity `O(S)`.
    - Up to one binary search and insert (`O(logS + S)`).
    - I/O: 1 read `O(S)`, up to 1 mutate `O(S)`. Up to one remove.
    - One event.
    - The weight of the `call`.
    - Storage: inserts one item, value size bounded by `MaxSignatories`, with a deposit
      taken for its lifetime of `DepositBase + threshold * DepositFactor`."""
    who = ensure_signed(origin)
    return _operate(who, threshold, other_signatories, maybe_timepoint, call, None, max_weight)


@pallet.call(2, weight=lambda other_signatories, max_weight: _max(
    weights.approve_as_multi_create(len(other_signatories)),
    weights.approve_as_multi_approve(len(other_signatories))).saturating_add(max_weight))
def approve_as_multi(origin: Origin, threshold: THRESHOLD, other_signatories: OTHER_SIGNATORIES,
                     maybe_timepoint: MAYBE_TIMEPOINT, call_hash: CALL_HASH,
                     max_weight: MAX_WEIGHT) -> PostDispatchInfo:
    """Register approval for a dispatch to be made from a deterministic composite account if
    approved by a total of `threshold - 1` of `other_signatories`.

    Payment: `DepositBase` will be reserved if this is the first approval, plus
    `threshold` times `DepositFactor`. It is returned once this dispatch happens or
    is cancelled.

    The dispatch origin for this call must be _Signed_.

    - `threshold`: The total number of approvals for this dispatch before it is executed.
    - `other_signatories`: The accounts (other than the sender) who can approve this
    dispatch. May not be empty.
    - `maybe_timepoint`: If this is the first approval, then this must be `None`. If it is
    not the first approval, then it must be `Some`, with the timepoint (block number and
    transaction index) of the first approval transaction.
    - `call_hash`: The hash of the call to be executed.

    NOTE: If this is the final approval, you will want to use `as_multi` instead.

    ## Complexity
    - `O(S)`.
    - Up to one balance-reserve or unreserve operation.
    - One passthrough operation, one insert, both `O(S)` where `S` is the number of
      signatories. `S` is capped by `MaxSignatories`, with weight being proportional.
    - One encode & hash, both of complexity `O(S)`.
    - Up to one binary search and insert (`O(logS + S)`).
    - I/O: 1 read `O(S)`, up to 1 mutate `O(S)`. Up to one remove.
    - One event.
    - Storage: inserts one item, value size bounded by `MaxSignatories`, with a deposit
      taken for its lifetime of `DepositBase + threshold * DepositFactor`."""
    who = ensure_signed(origin)
    return _operate(who, threshold, other_signatories, maybe_timepoint, None, call_hash, max_weight)


@pallet.call(3, weight=lambda other_signatories: weights.cancel_as_multi(len(other_signatories)))
def cancel_as_multi(origin: Origin, threshold: THRESHOLD, other_signatories: OTHER_SIGNATORIES,
                    timepoint: Arg(TIMEPOINT, "Timepoint<BlockNumberFor<T>>"), call_hash: CALL_HASH) -> None:
    """Cancel a pre-existing, on-going multisig transaction. Any deposit reserved previously
    for this operation will be unreserved on success.

    The dispatch origin for this call must be _Signed_.

    - `threshold`: The total number of approvals for this dispatch before it is executed.
    - `other_signatories`: The accounts (other than the sender) who can approve this
    dispatch. May not be empty.
    - `timepoint`: The timepoint (block number and transaction index) of the first approval
    transaction for this dispatch.
    - `call_hash`: The hash of the call to be executed.

    ## Complexity
    - `O(S)`.
    - Up to one balance-reserve or unreserve operation.
    - One passthrough operation, one insert, both `O(S)` where `S` is the number of
      signatories. `S` is capped by `MaxSignatories`, with weight being proportional.
    - One encode & hash, both of complexity `O(S)`.
    - One event.
    - I/O: 1 read `O(S)`, one remove.
    - Storage: removes one item."""
    who = ensure_signed(origin)
    _ensure_signatories(threshold, other_signatories)
    signatories = _ensure_sorted_and_insert(other_signatories, who)
    multisig = multi_account_id(signatories, threshold)
    m = Multisigs.get(multisig, call_hash)
    if m is None:
        raise Error.NotFound()
    ensure(m.when == timepoint, Error.WrongTimepoint)
    ensure(m.depositor == who, Error.NotOwner)
    _currency().unreserve(m.depositor, m.deposit)
    Multisigs.remove(multisig, call_hash)
    pallet.deposit_event(Event.MultisigCancelled(who, timepoint, multisig, call_hash))


@pallet.call(4, weight=lambda other_signatories: weights.poke_deposit(len(other_signatories)))
def poke_deposit(origin: Origin, threshold: THRESHOLD, other_signatories: OTHER_SIGNATORIES,
                 call_hash: CALL_HASH) -> PostDispatchInfo:
    """Poke the deposit reserved for an existing multisig operation.

    The dispatch origin for this call must be _Signed_ and must be the original depositor of
    the multisig operation.

    The transaction fee is waived if the deposit amount has changed.

    - `threshold`: The total number of approvals needed for this multisig.
    - `other_signatories`: The accounts (other than the sender) who are part of the
      multisig.
    - `call_hash`: The hash of the call this deposit is reserved for.

    Emits `DepositPoked` if successful."""
    who = ensure_signed(origin)
    _ensure_signatories(threshold, other_signatories)
    signatories = _ensure_sorted_and_insert(other_signatories, who)
    multisig = multi_account_id(signatories, threshold)
    m = Multisigs.get(multisig, call_hash)
    if m is None:
        raise Error.NotFound()
    ensure(m.depositor == who, Error.NotOwner)
    new_deposit = Constants.DepositBase + Constants.DepositFactor * threshold
    old_deposit = m.deposit
    if new_deposit == old_deposit:
        return PostDispatchInfo(pays_fee=Pays.YES)
    if new_deposit > old_deposit:
        _currency().reserve(who, new_deposit - old_deposit)
    else:
        _currency().unreserve(who, old_deposit - new_deposit)
    m.deposit = new_deposit
    Multisigs.insert(multisig, call_hash, m)
    pallet.deposit_event(Event.DepositPoked(who, call_hash, old_deposit, new_deposit))
    return PostDispatchInfo(pays_fee=Pays.NO)
