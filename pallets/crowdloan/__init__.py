"""Crowdloan (index 27): generic crowdloans, subtensor's `pallet_crowdloan`
(pallets/crowdloan/src/lib.rs as built into the spec-381 runtime).

A creator opens a crowdloan with a deposit, a cap and an end block, and optionally a call and
a target address. Contributions move into the crowdloan's own account (derived from the
`PalletId`); once the cap is raised the creator finalizes it: the funds go to the target
address if there is one and the stored call (kept as a `Bounded` call through the Preimage
provider) is dispatched as the creator, with `CurrentCrowdloanId` set for its duration. A
crowdloan that does not reach its cap is refunded in batches and dissolved.

The values of the `#[pallet::constant]` associated types (`MinimumDeposit`, …) are the
runtime's, bound through `Config` as `parameter_types!` bind them; the constants in metadata
read them from the binding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from pysubtensor.pallets import system
from pysubtensor.pallets.preimage.bounded import bounded_codec
from pysubtensor.pallets.support.call import RuntimeCallConfig, RuntimeCalls
from pysubtensor.pallets.support.dispatch import (
    DispatchError,
    Origin,
    PostDispatchInfo,
    ensure,
    ensure_signed,
)
from pysubtensor.pallets.support.pallet import Arg, Pallet, constant, error, event
from pysubtensor.pallets.support.pallet_id import PALLET_ID, into_sub_account_truncating
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageMap, StorageValue
from pysubtensor.pallets.support.tokens import Preservation
from pysubtensor.pallets.support.types import AccountId, Bool, bounded_vec, scale_type, value_type
from pysubtensor.primitives.hashing import Identity, Twox64Concat
from pysubtensor.primitives.scale import BOOL, U8, U32, U64, Compact, Option
from pysubtensor.primitives.types import ACCOUNT_ID, BALANCE

from . import weights

__all__ = ["Config", "Constants", "Contributions", "CrowdloanInfo", "Crowdloans", "CurrentCrowdloanId", "Error",
           "Event", "HasMigrationRun", "NextCrowdloanId", "Preimages", "funds_account", "pallet"]

pallet = Pallet("Crowdloan", 27, crate="pallet_crowdloan")


class Preimages(Protocol):
    """`T::Preimages: QueryPreimage + StorePreimage` (the Preimage pallet's provider functions)."""

    def bound(self, codec: Any, value: Any) -> Any:
        """`StorePreimage::bound`: `value` as a `Bounded` value (inline if small, else noted)."""
        ...

    def peek(self, codec: Any, bounded: Any) -> tuple[Any, int | None]:
        """`QueryPreimage::peek`: the value back and its length; `DispatchError` if unavailable."""
        ...

    def drop(self, bounded: Any) -> None:
        """`QueryPreimage::drop`: release the preimage a `Bounded` value holds."""
        ...


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(RuntimeCallConfig):
    """`pallet_crowdloan::Config`, with the values of its constant associated types."""

    #: `Currency = Balances`: the `fungible` traits (`balance`, `transfer`).
    currency: Any
    #: `Preimages = Preimage`.
    preimages: Preimages
    pallet_id: bytes
    minimum_deposit: int
    absolute_minimum_contribution: int
    minimum_block_duration: int
    maximum_block_duration: int
    refund_contributors_limit: int
    max_contributors: int


_runtime = RuntimeCalls(pallet)
RUNTIME_CALL, dispatch, dispatch_info = _runtime.call, _runtime.dispatch, _runtime.dispatch_info
#: `BoundedCallOf<T>`: `Bounded<RuntimeCall, BlakeTwo256>` of the bound runtime's call.
BOUNDED_CALL = bounded_codec(RUNTIME_CALL)

pallet.associated_type("RuntimeCall", RUNTIME_CALL, "The overarching call type.")

CrowdloanId = scale_type(U32, int, "CrowdloanId")
BlockNumber = scale_type(U32, int, "BlockNumber")
BalanceT = scale_type(BALANCE, int, "Balance")
AccountIdT = scale_type(ACCOUNT_ID, bytes, "AccountId")


@value_type("pallet_crowdloan", "CrowdloanInfo",
            params=(("AccountId", ACCOUNT_ID), ("Balance", BALANCE), ("BlockNumber", U32), ("Call", BOUNDED_CALL)))
class CrowdloanInfo:
    """A crowdloan: its terms, its funds account and what it has raised."""

    creator: AccountIdT
    deposit: BalanceT
    min_contribution: BalanceT
    end: BlockNumber
    cap: BalanceT
    funds_account: AccountIdT
    raised: BalanceT
    target_address: scale_type(Option(ACCOUNT_ID), Any, "Option<AccountId>")
    call: scale_type(Option(BOUNDED_CALL), Any, "Option<Call>")
    finalized: Bool
    contributors_count: scale_type(U32, int, "u32")


# ---------------------------------------------------------------------------
# Storage

Crowdloans = pallet.storage("Crowdloans", StorageMap(Twox64Concat, U32, CrowdloanInfo.SCALE, optional=True),
                            docs="A map of crowdloan ids to their information.")
NextCrowdloanId = pallet.storage("NextCrowdloanId", StorageValue(U32, default=0),
                                 docs="The next incrementing crowdloan id.")
Contributions = pallet.storage(
    "Contributions", StorageDoubleMap(Twox64Concat, U32, Identity, ACCOUNT_ID, BALANCE, optional=True),
    docs="A map of crowdloan ids to their contributors and their contributions.")
CurrentCrowdloanId = pallet.storage(
    "CurrentCrowdloanId", StorageValue(U32, optional=True),
    docs="The current crowdloan id that will be set during the finalize call, making it\n"
         "temporarily accessible to the dispatched call.")
HasMigrationRun = pallet.storage("HasMigrationRun", StorageMap(Identity, bounded_vec(U8), BOOL, default=False),
                                 docs="Storage for the migration run status.")

# ---------------------------------------------------------------------------
# Constants (the bound runtime's values)


@pallet.constants
class Constants:
    PalletId = constant(PALLET_ID, lambda: pallet.config.pallet_id,
                        "The pallet id that will be used to derive crowdloan account ids.", lazy=True)
    MinimumDeposit = constant(BALANCE, lambda: pallet.config.minimum_deposit,
                              "The minimum deposit required to create a crowdloan.", lazy=True)
    AbsoluteMinimumContribution = constant(
        BALANCE, lambda: pallet.config.absolute_minimum_contribution,
        "The absolute minimum contribution required to contribute to a crowdloan.", lazy=True)
    MinimumBlockDuration = constant(U32, lambda: pallet.config.minimum_block_duration,
                                    "The minimum block duration for a crowdloan.", lazy=True)
    MaximumBlockDuration = constant(U32, lambda: pallet.config.maximum_block_duration,
                                    "The maximum block duration for a crowdloan.", lazy=True)
    RefundContributorsLimit = constant(
        U32, lambda: pallet.config.refund_contributors_limit,
        "The maximum number of contributors that can be refunded in a single refund.", lazy=True)
    # Rust's `//` comment on this item is not a doc comment: no docs in metadata.
    MaxContributors = constant(U32, lambda: pallet.config.max_contributors, None, lazy=True)


# ---------------------------------------------------------------------------
# Events

EvBlockNumber = scale_type(U32, int, "BlockNumberFor<T>")
EvBalance = scale_type(U64, int, "BalanceOf<T>")


@pallet.events
class Event:
    @event(0)
    class Created:
        """A crowdloan was created."""

        crowdloan_id: CrowdloanId
        creator: AccountId
        end: EvBlockNumber
        cap: EvBalance

    @event(1)
    class Contributed:
        """A contribution was made to an active crowdloan."""

        crowdloan_id: CrowdloanId
        contributor: AccountId
        amount: EvBalance

    @event(2)
    class Withdrew:
        """A contribution was withdrawn from a failed crowdloan."""

        crowdloan_id: CrowdloanId
        contributor: AccountId
        amount: EvBalance

    @event(3)
    class PartiallyRefunded:
        """A refund was partially processed for a failed crowdloan."""

        crowdloan_id: CrowdloanId

    @event(4)
    class AllRefunded:
        """A refund was fully processed for a failed crowdloan."""

        crowdloan_id: CrowdloanId

    @event(5)
    class Finalized:
        """A crowdloan was finalized, funds were transferred and the call was dispatched."""

        crowdloan_id: CrowdloanId

    @event(6)
    class Dissolved:
        """A crowdloan was dissolved."""

        crowdloan_id: CrowdloanId

    @event(7)
    class MinContributionUpdated:
        """The minimum contribution was updated."""

        crowdloan_id: CrowdloanId
        new_min_contribution: EvBalance

    @event(8)
    class EndUpdated:
        """The end was updated."""

        crowdloan_id: CrowdloanId
        new_end: EvBlockNumber

    @event(9)
    class CapUpdated:
        """The cap was updated."""

        crowdloan_id: CrowdloanId
        new_cap: EvBalance


# ---------------------------------------------------------------------------
# Errors


@pallet.errors
class Error:
    DepositTooLow = error(0, "The crowdloan initial deposit is too low.")
    CapTooLow = error(1, "The crowdloan cap is too low.")
    MinimumContributionTooLow = error(2, "The minimum contribution is too low.")
    CannotEndInPast = error(3, "The crowdloan cannot end in the past.")
    BlockDurationTooShort = error(4, "The crowdloan block duration is too short.")
    BlockDurationTooLong = error(5, "The block duration is too long.")
    InsufficientBalance = error(6, "The account does not have enough balance to pay for the initial "
                                   "deposit/contribution.")
    Overflow = error(7, "An overflow occurred.")
    InvalidCrowdloanId = error(8, "The crowdloan id is invalid.")
    CapRaised = error(9, "The crowdloan cap has been fully raised.")
    ContributionPeriodEnded = error(10, "The contribution period has ended.")
    ContributionTooLow = error(11, "The contribution is too low.")
    InvalidOrigin = error(12, "The origin of this call is invalid.")
    AlreadyFinalized = error(13, "The crowdloan has already been finalized.")
    ContributionPeriodNotEnded = error(14, "The crowdloan contribution period has not ended yet.")
    NoContribution = error(15, "The contributor has no contribution for this crowdloan.")
    CapNotRaised = error(16, "The crowdloan cap has not been raised.")
    Underflow = error(17, "An underflow occurred.")
    CallUnavailable = error(18, "Call to dispatch was not found in the preimage storage.")
    NotReadyToDissolve = error(19, "The crowdloan is not ready to be dissolved, it still has contributions.")
    DepositCannotBeWithdrawn = error(20, "The deposit cannot be withdrawn from the crowdloan.")
    MaxContributorsReached = error(21, "The maximum number of contributors has been reached.")


# ---------------------------------------------------------------------------
# Helpers

U32_MAX = (1 << 32) - 1
U64_MAX = (1 << 64) - 1


def funds_account(crowdloan_id: int) -> bytes:
    """`PalletId::into_sub_account_truncating(crowdloan_id)`: the account holding the funds."""
    return into_sub_account_truncating(pallet.config.pallet_id, U32.encode(crowdloan_id))


def _ensure_crowdloan_exists(crowdloan_id: int) -> CrowdloanInfo:
    crowdloan = Crowdloans.get(crowdloan_id)
    ensure(crowdloan is not None, Error.InvalidCrowdloanId)
    return crowdloan


def _ensure_valid_end(now: int, end: int) -> None:
    """The end is after `now`, at least `MinimumBlockDuration` and at most
    `MaximumBlockDuration` blocks away."""
    ensure(now < end, Error.CannotEndInPast)
    duration = end - now
    ensure(duration >= pallet.config.minimum_block_duration, Error.BlockDurationTooShort)
    ensure(duration <= pallet.config.maximum_block_duration, Error.BlockDurationTooLong)


def _transfer(source: bytes, dest: bytes, amount: int) -> None:
    pallet.config.currency.transfer(source, dest, amount, Preservation.EXPENDABLE)


def _create_weight(call: Any) -> Any:
    """`create`'s base weight plus the stored call's own weight (paid by the creator now)."""
    base = weights.create()
    return base if call is None else base.saturating_add(dispatch_info(call).weight)


ID = Arg(Compact(U32), "CrowdloanId")
BALANCE_ARG = Arg(Compact(U64), "BalanceOf<T>")
BLOCK_ARG = Arg(Compact(U32), "BlockNumberFor<T>")

# ---------------------------------------------------------------------------
# Calls


@pallet.call(0, weight=lambda call: _create_weight(call))
def create(origin: Origin, deposit: BALANCE_ARG, min_contribution: BALANCE_ARG, cap: BALANCE_ARG, end: BLOCK_ARG,
           call: Arg(Option(RUNTIME_CALL), "Option<Box<<T as Config>::RuntimeCall>>"),
           target_address: Arg(Option(ACCOUNT_ID), "Option<T::AccountId>")) -> None:
    """Create a crowdloan that will raise funds up to a maximum cap and if successful,
    will transfer funds to the target address if provided and dispatch the call
    (using creator origin).

    The initial deposit will be transfered to the crowdloan account and will be refunded
    in case the crowdloan fails to raise the cap. Additionally, the creator will pay for
    the execution of the call.

    The dispatch origin for this call must be _Signed_.

    Parameters:
    - `deposit`: The initial deposit from the creator.
    - `min_contribution`: The minimum contribution required to contribute to the crowdloan.
    - `cap`: The maximum amount of funds that can be raised.
    - `end`: The block number at which the crowdloan will end.
    - `call`: The call to dispatch when the crowdloan is finalized.
    - `target_address`: The address to transfer the raised funds to if provided."""
    creator = ensure_signed(origin)
    now = system.block_number()
    cfg = pallet.config
    ensure(deposit >= cfg.minimum_deposit, Error.DepositTooLow)
    ensure(cap > deposit, Error.CapTooLow)
    ensure(min_contribution >= cfg.absolute_minimum_contribution, Error.MinimumContributionTooLow)
    _ensure_valid_end(now, end)
    ensure(cfg.currency.balance(creator) >= deposit, Error.InsufficientBalance)

    crowdloan_id = NextCrowdloanId.get()
    ensure(crowdloan_id < U32_MAX, Error.Overflow)
    NextCrowdloanId.put(crowdloan_id + 1)

    account = funds_account(crowdloan_id)
    system.inc_providers(account)  # the funds account lives while the crowdloan does
    bounded = None if call is None else cfg.preimages.bound(RUNTIME_CALL, call)

    crowdloan = CrowdloanInfo(creator=creator, deposit=deposit, min_contribution=min_contribution, end=end, cap=cap,
                              funds_account=account, raised=deposit, target_address=target_address, call=bounded,
                              finalized=False, contributors_count=1)
    Crowdloans.insert(crowdloan_id, crowdloan)
    _transfer(creator, account, deposit)
    Contributions.insert(crowdloan_id, creator, deposit)
    pallet.deposit_event(Event.Created(crowdloan_id, creator, end, cap))


@pallet.call(1, weight=weights.contribute())
def contribute(origin: Origin, crowdloan_id: ID, amount: BALANCE_ARG) -> None:
    """Contribute to an active crowdloan.

    The contribution will be transfered to the crowdloan account and will be refunded
    if the crowdloan fails to raise the cap. If the contribution would raise the amount above the cap,
    the contribution will be set to the amount that is left to be raised.

    The dispatch origin for this call must be _Signed_.

    Parameters:
    - `crowdloan_id`: The id of the crowdloan to contribute to.
    - `amount`: The amount to contribute."""
    contributor = ensure_signed(origin)
    now = system.block_number()
    crowdloan = _ensure_crowdloan_exists(crowdloan_id)
    ensure(now < crowdloan.end, Error.ContributionPeriodEnded)
    ensure(crowdloan.raised < crowdloan.cap, Error.CapRaised)
    ensure(amount >= crowdloan.min_contribution, Error.ContributionTooLow)
    ensure(crowdloan.contributors_count < pallet.config.max_contributors, Error.MaxContributorsReached)

    # A contribution beyond the cap is cut down to what is left to raise.
    amount = min(amount, crowdloan.cap - crowdloan.raised)
    ensure(crowdloan.raised + amount <= U64_MAX, Error.Overflow)
    crowdloan.raised += amount

    previous = Contributions.get(crowdloan_id, contributor)
    if previous is not None:
        ensure(previous + amount <= U64_MAX, Error.Overflow)
        contribution = previous + amount
    else:
        ensure(crowdloan.contributors_count < U32_MAX, Error.Overflow)
        crowdloan.contributors_count += 1
        contribution = amount

    ensure(pallet.config.currency.balance(contributor) >= amount, Error.InsufficientBalance)
    _transfer(contributor, crowdloan.funds_account, amount)
    Contributions.insert(crowdloan_id, contributor, contribution)
    Crowdloans.insert(crowdloan_id, crowdloan)
    pallet.deposit_event(Event.Contributed(crowdloan_id, contributor, amount))


@pallet.call(2, weight=weights.withdraw())
def withdraw(origin: Origin, crowdloan_id: ID) -> None:
    """Withdraw a contribution from an active (not yet finalized or dissolved) crowdloan.

    Only contributions over the deposit can be withdrawn by the creator.

    The dispatch origin for this call must be _Signed_.

    Parameters:
    - `crowdloan_id`: The id of the crowdloan to withdraw from."""
    who = ensure_signed(origin)
    crowdloan = _ensure_crowdloan_exists(crowdloan_id)
    ensure(not crowdloan.finalized, Error.AlreadyFinalized)

    amount = Contributions.get(crowdloan_id, who) or 0
    ensure(amount > 0, Error.NoContribution)
    if who == crowdloan.creator:
        # The creator keeps the deposit in.
        amount = max(amount - crowdloan.deposit, 0)
        ensure(amount > 0, Error.DepositCannotBeWithdrawn)
        Contributions.insert(crowdloan_id, who, crowdloan.deposit)
    else:
        Contributions.remove(crowdloan_id, who)
        ensure(crowdloan.contributors_count > 0, Error.Underflow)
        crowdloan.contributors_count -= 1

    _transfer(crowdloan.funds_account, who, amount)
    crowdloan.raised = max(crowdloan.raised - amount, 0)
    Crowdloans.insert(crowdloan_id, crowdloan)
    pallet.deposit_event(Event.Withdrew(crowdloan_id, who, amount))


@pallet.call(3, weight=weights.finalize())
def finalize(origin: Origin, crowdloan_id: ID) -> None:
    """Finalize crowdloan that has reached the cap.

    The call will transfer the raised amount to the target address if it was provided when the crowdloan was created
    and dispatch the call that was provided using the creator origin. The CurrentCrowdloanId will be set to the
    crowdloan id being finalized so the dispatched call can access it temporarily by accessing
    the `CurrentCrowdloanId` storage item.

    The dispatch origin for this call must be _Signed_ and must be the creator of the crowdloan.

    Parameters:
    - `crowdloan_id`: The id of the crowdloan to finalize."""
    who = ensure_signed(origin)
    crowdloan = _ensure_crowdloan_exists(crowdloan_id)
    ensure(who == crowdloan.creator, Error.InvalidOrigin)
    ensure(crowdloan.raised == crowdloan.cap, Error.CapNotRaised)
    ensure(not crowdloan.finalized, Error.AlreadyFinalized)

    if crowdloan.target_address is not None:
        _transfer(crowdloan.funds_account, crowdloan.target_address, crowdloan.raised)

    if crowdloan.call is not None:
        # The dispatched call may read which crowdloan is being finalized.
        CurrentCrowdloanId.put(crowdloan_id)
        preimages = pallet.config.preimages
        try:
            stored_call, _ = preimages.peek(RUNTIME_CALL, crowdloan.call)
        except DispatchError:
            preimages.drop(crowdloan.call)
            raise Error.CallUnavailable() from None
        # `stored_call.dispatch(Signed(who))`: the base call filter applies; a failure
        # fails finalize (its error, without the inner post-info).
        result = dispatch(Origin.signed(who), stored_call)
        if isinstance(result, DispatchError):
            result.post_info = None  # `.map_err(|e| e.error)`: the inner call's error alone
            raise result
        CurrentCrowdloanId.kill()

    crowdloan.finalized = True
    Crowdloans.insert(crowdloan_id, crowdloan)
    pallet.deposit_event(Event.Finalized(crowdloan_id))


@pallet.call(4, weight=lambda: weights.refund(pallet.config.refund_contributors_limit))
def refund(origin: Origin, crowdloan_id: ID) -> PostDispatchInfo:
    """Refund contributors of a non-finalized crowdloan.

    The call will try to refund all contributors (excluding the creator) up to the limit defined by the `RefundContributorsLimit`.
    If the limit is reached, the call will stop and the crowdloan will be marked as partially refunded.
    It may be needed to dispatch this call multiple times to refund all contributors.

    The dispatch origin for this call must be _Signed_ and doesn't need to be the creator of the crowdloan.

    Parameters:
    - `crowdloan_id`: The id of the crowdloan to refund."""
    who = ensure_signed(origin)
    crowdloan = _ensure_crowdloan_exists(crowdloan_id)
    ensure(not crowdloan.finalized, Error.AlreadyFinalized)
    # Only the creator may refund (whatever the doc above says: it is the real runtime's).
    ensure(who == crowdloan.creator, Error.InvalidOrigin)

    limit = pallet.config.refund_contributors_limit
    refunded: list[bytes] = []
    all_refunded = True
    # In storage order of the contributors' keys (Identity-hashed accounts), creator excluded.
    for contributor, amount in Contributions.iter_prefix(crowdloan_id):
        if contributor == crowdloan.creator:
            continue
        if len(refunded) >= limit:
            all_refunded = False
            break
        _transfer(crowdloan.funds_account, contributor, amount)
        refunded.append(contributor)
        crowdloan.raised = max(crowdloan.raised - amount, 0)

    ensure(crowdloan.contributors_count >= len(refunded), Error.Underflow)
    crowdloan.contributors_count -= len(refunded)
    Crowdloans.insert(crowdloan_id, crowdloan)
    for contributor in refunded:
        Contributions.remove(crowdloan_id, contributor)

    if all_refunded:
        pallet.deposit_event(Event.AllRefunded(crowdloan_id))
        return PostDispatchInfo(weights.refund(len(refunded)))  # the unused iterations are refunded
    pallet.deposit_event(Event.PartiallyRefunded(crowdloan_id))
    return PostDispatchInfo()


@pallet.call(5, weight=weights.dissolve())
def dissolve(origin: Origin, crowdloan_id: ID) -> None:
    """Dissolve a crowdloan.

    The crowdloan will be removed from the storage.
    All contributions must have been refunded before the crowdloan can be dissolved (except the creator's one).

    The dispatch origin for this call must be _Signed_ and must be the creator of the crowdloan.

    Parameters:
    - `crowdloan_id`: The id of the crowdloan to dissolve."""
    who = ensure_signed(origin)
    crowdloan = _ensure_crowdloan_exists(crowdloan_id)
    ensure(not crowdloan.finalized, Error.AlreadyFinalized)
    ensure(who == crowdloan.creator, Error.InvalidOrigin)

    # Only the creator's own contribution may be left.
    creator_contribution = Contributions.get(crowdloan_id, crowdloan.creator)
    ensure(creator_contribution is not None, Error.NoContribution)
    ensure(creator_contribution == crowdloan.raised, Error.NotReadyToDissolve)

    _transfer(crowdloan.funds_account, crowdloan.creator, creator_contribution)
    Contributions.remove(crowdloan_id, crowdloan.creator)
    if crowdloan.call is not None:
        pallet.config.preimages.drop(crowdloan.call)
    # `.defensive()`: a failure here is logged, not returned.
    try:
        system.dec_providers(crowdloan.funds_account)
    except DispatchError:
        pass
    Crowdloans.remove(crowdloan_id)
    pallet.deposit_event(Event.Dissolved(crowdloan_id))


def _update(origin: Origin, crowdloan_id: int) -> CrowdloanInfo:
    """The checks the three `update_*` calls share: a live crowdloan, its creator calling."""
    who = ensure_signed(origin)
    crowdloan = _ensure_crowdloan_exists(crowdloan_id)
    ensure(not crowdloan.finalized, Error.AlreadyFinalized)
    ensure(who == crowdloan.creator, Error.InvalidOrigin)
    return crowdloan


@pallet.call(6, weight=weights.update_min_contribution())
def update_min_contribution(origin: Origin, crowdloan_id: ID, new_min_contribution: BALANCE_ARG) -> None:
    """Update the minimum contribution of a non-finalized crowdloan.

    The dispatch origin for this call must be _Signed_ and must be the creator of the crowdloan.

    Parameters:
    - `crowdloan_id`: The id of the crowdloan to update the minimum contribution of.
    - `new_min_contribution`: The new minimum contribution."""
    crowdloan = _update(origin, crowdloan_id)
    ensure(new_min_contribution >= pallet.config.absolute_minimum_contribution, Error.MinimumContributionTooLow)
    crowdloan.min_contribution = new_min_contribution
    Crowdloans.insert(crowdloan_id, crowdloan)
    pallet.deposit_event(Event.MinContributionUpdated(crowdloan_id, new_min_contribution))


@pallet.call(7, weight=weights.update_end())
def update_end(origin: Origin, crowdloan_id: ID, new_end: BLOCK_ARG) -> None:
    """Update the end block of a non-finalized crowdloan.

    The dispatch origin for this call must be _Signed_ and must be the creator of the crowdloan.

    Parameters:
    - `crowdloan_id`: The id of the crowdloan to update the end block of.
    - `new_end`: The new end block."""
    now = system.block_number()
    crowdloan = _update(origin, crowdloan_id)
    _ensure_valid_end(now, new_end)
    crowdloan.end = new_end
    Crowdloans.insert(crowdloan_id, crowdloan)
    pallet.deposit_event(Event.EndUpdated(crowdloan_id, new_end))


@pallet.call(8, weight=weights.update_cap())
def update_cap(origin: Origin, crowdloan_id: ID, new_cap: BALANCE_ARG) -> None:
    """Update the cap of a non-finalized crowdloan.

    The dispatch origin for this call must be _Signed_ and must be the creator of the crowdloan.

    Parameters:
    - `crowdloan_id`: The id of the crowdloan to update the cap of.
    - `new_cap`: The new cap."""
    crowdloan = _update(origin, crowdloan_id)
    ensure(new_cap >= crowdloan.raised, Error.CapTooLow)
    crowdloan.cap = new_cap
    Crowdloans.insert(crowdloan_id, crowdloan)
    pallet.deposit_event(Event.CapUpdated(crowdloan_id, new_cap))
