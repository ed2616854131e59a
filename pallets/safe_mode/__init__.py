"""SafeMode (index 20): a chain-wide pause of every call but a whitelist (`pallet_safe_mode`,
polkadot-sdk substrate/frame/safe-mode/src/lib.rs, as subtensor's polkadot-sdk fork builds it).

While `EnteredUntil` is set, `is_allowed` admits only SafeMode's own calls and the runtime's
`WhitelistedCalls`; the runtime puts `is_allowed` in its base call filter (`BaseCallFilter =
InsideBoth<SafeMode, NoNestingCallFilter>`). `on_initialize` exits once the block number
passes `EnteredUntil`. Subtensor disables the permissionless paths (no deposit amounts, zero
durations, no release delay), so only Root enters (for 7200 blocks), extends (3600), exits
and releases or slashes deposits; the deposit logic is the pallet's, held by Balances.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pysubtensor.pallets import system
from pysubtensor.pallets.balances import holds
from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.dispatch import DispatchError, Origin, Weight, ensure_root, ensure_signed
from pysubtensor.pallets.support.pallet import Arg, Pallet, constant, error, event
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageValue
from pysubtensor.pallets.support.tokens import Fortitude, Precision
from pysubtensor.pallets.support.types import scale_type
from pysubtensor.primitives.hashing import Twox64Concat
from pysubtensor.primitives.scale import U32, U64, NameEnum, Option
from pysubtensor.primitives.types import ACCOUNT_ID, BALANCE

from . import weights

__all__ = ["Config", "Constants", "Deposits", "EnteredUntil", "Error", "Event", "is_allowed", "is_entered", "pallet"]

pallet = Pallet("SafeMode", 20, crate="pallet_safe_mode")

#: `RuntimeHoldReason::SafeMode(HoldReason::EnterOrExtend)`.
HOLD_REASON = ("SafeMode", "EnterOrExtend")
U32_MAX = 2**32 - 1


def _admit_none(_call: Any) -> bool:
    return False


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(PalletConfig):
    """`pallet_safe_mode::Config` as subtensor sets it (runtime lib.rs `impl pallet_safe_mode::Config`)."""

    #: `WhitelistedCalls`: the calls allowed while entered (the runtime's `SafeModeWhitelistedCalls`).
    whitelisted_calls: Callable[[Any], bool] = _admit_none
    #: `EnterDuration = DisallowPermissionlessEnterDuration` (0), `ExtendDuration` likewise.
    enter_duration: int = 0
    extend_duration: int = 0
    #: `EnterDepositAmount` / `ExtendDepositAmount` (`None`: permissionless entering is disabled).
    enter_deposit_amount: int | None = None
    extend_deposit_amount: int | None = None
    #: `ReleaseDelay` (`None`: permissionless release is disabled).
    release_delay: int | None = None
    #: `ForceEnterOrigin = EnsureRootWithSuccess<AccountId, RootEnterDuration>` (5 * 60 * 24).
    force_enter_duration: int = 5 * 60 * 24
    #: `ForceExtendOrigin = EnsureRootWithSuccess<AccountId, RootExtendDuration>` (5 * 60 * 12).
    force_extend_duration: int = 5 * 60 * 12


# ---------------------------------------------------------------------------
# Storage

EnteredUntil = pallet.storage("EnteredUntil", StorageValue(U32, optional=True), docs="""\
Contains the last block number that the safe-mode will remain entered in.

 Set to `None` when safe-mode is exited.

Safe-mode is automatically exited when the current block number exceeds this value.""")
Deposits = pallet.storage("Deposits", StorageDoubleMap(Twox64Concat, ACCOUNT_ID, Twox64Concat, U32, BALANCE,
                                                       optional=True), docs="""\
Holds the reserve that was taken from an account at a specific block number.

This helps governance to have an overview of outstanding deposits that should be returned or
slashed.""")

# ---------------------------------------------------------------------------
# Constants (values from the bound Config: the runtime's unless a test binds its own)


@pallet.constants
class Constants:
    EnterDuration = constant(U32, lambda: pallet.config.enter_duration,
                             "For how many blocks the safe-mode will be entered by [`Pallet::enter`].", lazy=True)
    ExtendDuration = constant(U32, lambda: pallet.config.extend_duration, """\
For how many blocks the safe-mode can be extended by each [`Pallet::extend`] call.

This does not impose a hard limit as the safe-mode can be extended multiple times.""", lazy=True)
    EnterDepositAmount = constant(Option(U64), lambda: pallet.config.enter_deposit_amount, """\
The amount that will be reserved upon calling [`Pallet::enter`].

`None` disallows permissionlessly enabling the safe-mode and is a sane default.""", lazy=True)
    ExtendDepositAmount = constant(Option(U64), lambda: pallet.config.extend_deposit_amount, """\
The amount that will be reserved upon calling [`Pallet::extend`].

`None` disallows permissionlessly extending the safe-mode and is a sane default.""", lazy=True)
    ReleaseDelay = constant(Option(U32), lambda: pallet.config.release_delay, """\
The minimal duration a deposit will remain reserved after safe-mode is entered or
extended, unless [`Pallet::force_release_deposit`] is successfully called sooner.

Every deposit is tied to a specific activation or extension, thus each deposit can be
released independently after the delay for it has passed.

`None` disallows permissionlessly releasing the safe-mode deposits and is a sane
default.""", lazy=True)


# ---------------------------------------------------------------------------
# Events and errors

EXIT_REASON = NameEnum(("pallet_safe_mode", "pallet", "ExitReason"), ("Timeout", "Force"))
BlockNumber = scale_type(U32, int, "BlockNumberFor<T>")
AccountId = scale_type(ACCOUNT_ID, bytes, "T::AccountId")
BalanceOf = scale_type(BALANCE, int, "BalanceOf<T>")


@pallet.events
class Event:
    @event(0)
    class Entered:
        """The safe-mode was entered until inclusively this block."""

        until: BlockNumber

    @event(1)
    class Extended:
        """The safe-mode was extended until inclusively this block."""

        until: BlockNumber

    @event(2)
    class Exited:
        """Exited the safe-mode for a specific reason."""

        reason: scale_type(EXIT_REASON, str, "ExitReason")

    @event(3)
    class DepositPlaced:
        """An account reserved funds for either entering or extending the safe-mode."""

        account: AccountId
        amount: BalanceOf

    @event(4)
    class DepositReleased:
        """An account had a reserve released that was reserved."""

        account: AccountId
        amount: BalanceOf

    @event(5)
    class DepositSlashed:
        """An account had reserve slashed that was reserved."""

        account: AccountId
        amount: BalanceOf

    @event(6)
    class CannotDeposit:
        """Could not hold funds for entering or extending the safe-mode.

        This error comes from the underlying `Currency`."""

    @event(7)
    class CannotRelease:
        """Could not release funds for entering or extending the safe-mode.

        This error comes from the underlying `Currency`."""


@pallet.errors
class Error:
    Entered = error(0, "The safe-mode is (already or still) entered.")
    Exited = error(1, "The safe-mode is (already or still) exited.")
    NotConfigured = error(2, "This functionality of the pallet is disabled by the configuration.")
    NoDeposit = error(3, "There is no balance reserved.")
    AlreadyDeposited = error(4, "The account already has a deposit reserved and can therefore not enter or extend "
                                "again.")
    CannotReleaseYet = error(5, "This deposit cannot be released yet.")
    CurrencyError = error(6, "An error from the underlying `Currency`.")


# ---------------------------------------------------------------------------
# Logic


def is_entered() -> bool:
    return EnteredUntil.exists()


def is_allowed(call: Any) -> bool:
    """`Contains<RuntimeCall>`: SafeMode's own calls always; while entered, only the
    whitelisted ones; everything otherwise."""
    pallet_name, _ = call
    if pallet_name == pallet.name:
        return True
    if is_entered():
        return pallet.config.whitelisted_calls(call)
    return True


def _hold(who: bytes, amount: int) -> None:
    """Hold exactly `amount` and record it in `Deposits` (one deposit per account at a time)."""
    block = system.block_number()
    if holds.balance_on_hold(HOLD_REASON, who) != 0:
        raise Error.AlreadyDeposited()
    try:
        holds.hold(HOLD_REASON, who, amount)
    except DispatchError:
        raise Error.CurrencyError() from None
    Deposits.insert(who, block, amount)
    pallet.deposit_event(Event.DepositPlaced(who, amount))


def do_enter(who: bytes | None, duration: int) -> None:
    if is_entered():
        raise Error.Entered()
    if who is not None:
        amount = pallet.config.enter_deposit_amount
        if amount is None:
            raise Error.NotConfigured()
        _hold(who, amount)
    until = min(system.block_number() + duration, U32_MAX)
    EnteredUntil.put(until)
    pallet.deposit_event(Event.Entered(until))


def do_extend(who: bytes | None, duration: int) -> None:
    until = EnteredUntil.get()
    if until is None:
        raise Error.Exited()
    if who is not None:
        amount = pallet.config.extend_deposit_amount
        if amount is None:
            raise Error.NotConfigured()
        _hold(who, amount)
    until = min(until + duration, U32_MAX)
    EnteredUntil.put(until)
    pallet.deposit_event(Event.Extended(until))


def do_exit(reason: str) -> None:
    if EnteredUntil.take() is None:
        raise Error.Exited()
    pallet.deposit_event(Event.Exited(reason))


def do_release(force: bool, account: bytes, block: int) -> None:
    amount = Deposits.take(account, block)
    if amount is None:
        raise Error.NoDeposit()
    if not force:
        if is_entered():
            raise Error.Entered()
        delay = pallet.config.release_delay
        if delay is None:
            raise Error.NotConfigured()
        if not system.block_number() > min(block + delay, U32_MAX):
            raise Error.CannotReleaseYet()
    try:
        amount = holds.release(HOLD_REASON, account, amount, Precision.BEST_EFFORT)
    except DispatchError:
        raise Error.CurrencyError() from None
    pallet.deposit_event(Event.DepositReleased(account, amount))


def do_force_deposit(account: bytes, block: int) -> None:
    amount = Deposits.take(account, block)
    if amount is None:
        raise Error.NoDeposit()
    try:
        holds.burn_held(HOLD_REASON, account, amount, Precision.BEST_EFFORT, Fortitude.FORCE)
    except DispatchError:
        raise Error.CurrencyError() from None
    pallet.deposit_event(Event.DepositSlashed(account, amount))


@pallet.hook_on_initialize
def on_initialize(current: int) -> Weight:
    """Exit safe-mode once the block number passes `EnteredUntil`."""
    limit = EnteredUntil.get()
    if limit is None or current <= limit:
        return weights.on_initialize_noop()
    do_exit("Timeout")
    return weights.on_initialize_exit()


# ---------------------------------------------------------------------------
# Calls

ACCOUNT = Arg(ACCOUNT_ID, "T::AccountId")
BLOCK = Arg(U32, "BlockNumberFor<T>")


@pallet.call(0, weight=weights.enter())
def enter(origin: Origin) -> None:
    """Enter safe-mode permissionlessly for [`Config::EnterDuration`] blocks.

    Reserves [`Config::EnterDepositAmount`] from the caller's account.
    Emits an [`Event::Entered`] event on success.
    Errors with [`Error::Entered`] if the safe-mode is already entered.
    Errors with [`Error::NotConfigured`] if the deposit amount is `None`."""
    who = ensure_signed(origin)
    do_enter(who, pallet.config.enter_duration)


@pallet.call(1, weight=weights.force_enter())
def force_enter(origin: Origin) -> None:
    """Enter safe-mode by force for a per-origin configured number of blocks.

    Emits an [`Event::Entered`] event on success.
    Errors with [`Error::Entered`] if the safe-mode is already entered.

    Can only be called by the [`Config::ForceEnterOrigin`] origin."""
    ensure_root(origin)
    do_enter(None, pallet.config.force_enter_duration)


@pallet.call(2, weight=weights.extend())
def extend(origin: Origin) -> None:
    """Extend the safe-mode permissionlessly for [`Config::ExtendDuration`] blocks.

    This accumulates on top of the current remaining duration.
    Reserves [`Config::ExtendDepositAmount`] from the caller's account.
    Emits an [`Event::Extended`] event on success.
    Errors with [`Error::Exited`] if the safe-mode is entered.
    Errors with [`Error::NotConfigured`] if the deposit amount is `None`.

    This may be called by any signed origin with [`Config::ExtendDepositAmount`] free
    currency to reserve. This call can be disabled for all origins by configuring
    [`Config::ExtendDepositAmount`] to `None`."""
    who = ensure_signed(origin)
    do_extend(who, pallet.config.extend_duration)


@pallet.call(3, weight=weights.force_extend())
def force_extend(origin: Origin) -> None:
    """Extend the safe-mode by force for a per-origin configured number of blocks.

    Emits an [`Event::Extended`] event on success.
    Errors with [`Error::Exited`] if the safe-mode is inactive.

    Can only be called by the [`Config::ForceExtendOrigin`] origin."""
    ensure_root(origin)
    do_extend(None, pallet.config.force_extend_duration)


@pallet.call(4, weight=weights.force_exit())
def force_exit(origin: Origin) -> None:
    """Exit safe-mode by force.

    Emits an [`Event::Exited`] with [`ExitReason::Force`] event on success.
    Errors with [`Error::Exited`] if the safe-mode is inactive.

    Note: `safe-mode` will be automatically deactivated by [`Pallet::on_initialize`] hook
    after the block height is greater than the [`EnteredUntil`] storage item.
    Emits an [`Event::Exited`] with [`ExitReason::Timeout`] event when deactivated in the
    hook."""
    ensure_root(origin)
    do_exit("Force")


@pallet.call(5, weight=weights.force_slash_deposit())
def force_slash_deposit(origin: Origin, account: ACCOUNT, block: BLOCK) -> None:
    """Slash a deposit for an account that entered or extended safe-mode at a given
    historical block.

    This can only be called while safe-mode is entered.

    Emits a [`Event::DepositSlashed`] event on success.
    Errors with [`Error::Entered`] if safe-mode is entered.

    Can only be called by the [`Config::ForceDepositOrigin`] origin."""
    ensure_root(origin)
    do_force_deposit(account, block)


@pallet.call(6, weight=weights.release_deposit())
def release_deposit(origin: Origin, account: ACCOUNT, block: BLOCK) -> None:
    """Permissionlessly release a deposit for an account that entered safe-mode at a
    given historical block.

    The call can be completely disabled by setting [`Config::ReleaseDelay`] to `None`.
    This cannot be called while safe-mode is entered and not until
    [`Config::ReleaseDelay`] blocks have passed since safe-mode was entered.

    Emits a [`Event::DepositReleased`] event on success.
    Errors with [`Error::Entered`] if the safe-mode is entered.
    Errors with [`Error::CannotReleaseYet`] if [`Config::ReleaseDelay`] block have not
    passed since safe-mode was entered. Errors with [`Error::NoDeposit`] if the payee has no
    reserved currency at the block specified."""
    ensure_signed(origin)
    do_release(False, account, block)


@pallet.call(7, weight=weights.force_release_deposit())
def force_release_deposit(origin: Origin, account: ACCOUNT, block: BLOCK) -> None:
    """Force to release a deposit for an account that entered safe-mode at a given
    historical block.

    This can be called while safe-mode is still entered.

    Emits a [`Event::DepositReleased`] event on success.
    Errors with [`Error::Entered`] if safe-mode is entered.
    Errors with [`Error::NoDeposit`] if the payee has no reserved currency at the
    specified block.

    Can only be called by the [`Config::ForceDepositOrigin`] origin."""
    ensure_root(origin)
    do_release(True, account, block)
