"""Balances (pallet 5, `pallet_balances` with `T, I`): the native TAO currency.

Balances are u64 rao and live in `System.Account[who].data` (subtensor's `AccountStore =
System`); `Balances.Account` is declared for metadata only. Declarations follow the real
runtime's metadata order: storage, constants, events, errors, calls. The logic is in
`account` (reference counts, reaping, dust), `fungible` (what other pallets call) and
`currency` (the legacy reserve / lock API); weights in `weights`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pysubtensor.pallets.balances.types import (
    ACCOUNT_DATA,
    ADJUSTMENT_DIRECTION,
    BALANCE_STATUS,
    FREEZES,
    HOLDS,
    IDENTIFIER_8,
    LOCKS,
    RESERVES,
    RUNTIME_FREEZE_REASON,
    RUNTIME_HOLD_REASON,
    AccountData,
)
from pysubtensor.pallets.balances.weights import WEIGHTS
from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.dispatch import (
    CannotLookup,
    Pays,
    PostDispatchInfo,
    Weight,
    ensure,
    ensure_root,
    ensure_signed,
)
from pysubtensor.pallets.support.pallet import Arg, Pallet, constant, error, event
from pysubtensor.pallets.support.storage import StorageMap, StorageValue
from pysubtensor.pallets.support.tokens import Fortitude, Precision, Preservation
from pysubtensor.pallets.support.types import AccountId, Balance, scale_type
from pysubtensor.primitives.hashing import Blake2_128Concat
from pysubtensor.primitives.scale import BOOL, U32, Vec
from pysubtensor.primitives.types import (
    ACCOUNT_ID,
    BALANCE,
    COMPACT_BALANCE,
    MULTI_ADDRESS,
    account_id_of_address,
)

__all__ = ["STORAGE_VERSION", "AccountStore", "Config", "Constants", "Error", "Event", "pallet"]

#: `#[pallet::storage_version(1)]`: genesis writes it under `:__STORAGE_VERSION__:`.
STORAGE_VERSION = 1
pallet = Pallet("Balances", 5, crate="pallet_balances", type_params=("T", "I"), storage_version=STORAGE_VERSION)


class AccountStore(Protocol):
    """Where balances live and what keeps an account alive: System's `StoredMap` of account
    data (subtensor: `type AccountStore = System`) and frame_system's reference counts (which
    Rust reaches through the `frame_system::Config` supertrait)."""

    def account(self, who: bytes) -> Any:
        """The account, whose `data` is its `AccountData`."""
        ...

    def try_mutate_exists_account_data(
            self, who: bytes, fn: Callable[[AccountData | None], tuple[AccountData | None, Any]]) -> Any: ...

    def providers(self, who: bytes) -> int: ...

    def consumers(self, who: bytes) -> int: ...

    def can_dec_provider(self, who: bytes) -> bool: ...

    def inc_providers(self, who: bytes) -> str: ...

    def dec_providers(self, who: bytes) -> str: ...

    def inc_consumers(self, who: bytes) -> None: ...

    def inc_consumers_without_limit(self, who: bytes) -> None: ...

    def dec_consumers(self, who: bytes) -> None: ...


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(PalletConfig):
    """`pallet_balances::Config`, as the runtime binds it."""

    account_store: AccountStore


_DEPRECATED_LOCKS = "Use of locks is deprecated in favour of freezes. See `https://github.com/paritytech/substrate/pull/12951/`"
_DEPRECATED_RESERVES = "Use of reserves is deprecated in favour of holds. See `https://github.com/paritytech/substrate/pull/12951/`"

# ---------------------------------------------------------------------------
# Storage

TotalIssuance = pallet.storage("TotalIssuance", StorageValue(BALANCE, default=0),
                               docs="The total units issued in the system.")
InactiveIssuance = pallet.storage("InactiveIssuance", StorageValue(BALANCE, default=0),
                                  docs="The total units of outstanding deactivated balance in the system.")
Account = pallet.storage("Account", StorageMap(Blake2_128Concat, ACCOUNT_ID, ACCOUNT_DATA, default=AccountData),
                         docs="""
    The Balances pallet example of storing the balance of an account.

    # Example

    ```nocompile
     impl pallet_balances::Config for Runtime {
       type AccountStore = StorageMapShim<Self::Account<Runtime>, frame_system::Provider<Runtime>, \
AccountId, Self::AccountData<Balance>>
     }
    ```

    You can also store the balance of an account in the `System` pallet.

    # Example

    ```nocompile
     impl pallet_balances::Config for Runtime {
      type AccountStore = System
     }
    ```

    But this comes with tradeoffs, storing account balances in the system pallet stores
    `frame_system` data alongside the account data contrary to storing account balances in the
    `Balances` pallet, which uses a `StorageMap` to store balances data only.
    NOTE: This is only used in the case that this pallet is used to store balances.
""")
Locks = pallet.storage("Locks", StorageMap(Blake2_128Concat, ACCOUNT_ID, LOCKS, default=list), docs=f"""
    Any liquidity locks on some account balances.
    NOTE: Should only be accessed when setting, changing and freeing a lock.

    {_DEPRECATED_LOCKS}
""")
Reserves = pallet.storage("Reserves", StorageMap(Blake2_128Concat, ACCOUNT_ID, RESERVES, default=list), docs=f"""
    Named reserves on some account balances.

    {_DEPRECATED_RESERVES}
""")
Holds = pallet.storage("Holds", StorageMap(Blake2_128Concat, ACCOUNT_ID, HOLDS, default=list),
                       docs="Holds on account balances.")
Freezes = pallet.storage("Freezes", StorageMap(Blake2_128Concat, ACCOUNT_ID, FREEZES, default=list),
                         docs="Freeze locks on account balances.")

# ---------------------------------------------------------------------------
# Constants


@pallet.constants
class Constants:
    ExistentialDeposit = constant(BALANCE, 500, """
        The minimum amount required to keep an account open. MUST BE GREATER THAN ZERO!

        If you *really* need it to be zero, you can enable the feature `insecure_zero_ed` for
        this pallet. However, you do so at your own risk: this will open up a major DoS vector.
        In case you have multiple sources of provider references, you may also get unexpected
        behaviour if you set this to zero.

        Bottom line: Do yourself a favour and make it at least one!
    """)
    MaxLocks = constant(U32, 50, f"""
        The maximum number of locks that should exist on an account.
        Not strictly enforced, but used for weight estimation.

        {_DEPRECATED_LOCKS}
    """)
    MaxReserves = constant(U32, 50, f"""
        The maximum number of named reserves that can exist on an account.

        {_DEPRECATED_RESERVES}
    """)
    MaxFreezes = constant(U32, 50,
                          "The maximum number of individual freeze locks that can exist on an account at any time.")


# Metadata V16 `associated_types` (the Config types the pallet exposes)
pallet.associated_type("RuntimeHoldReason", RUNTIME_HOLD_REASON, (" The overarching hold reason.",))
pallet.associated_type("Balance", BALANCE, (" The balance of an account.",))
pallet.associated_type("ReserveIdentifier", IDENTIFIER_8, (" The ID type for reserves.", "", " " + _DEPRECATED_RESERVES))
pallet.associated_type("FreezeIdentifier", RUNTIME_FREEZE_REASON, (" The ID type for freezes.",))

# ---------------------------------------------------------------------------
# Events

#: `frame_support::traits::tokens::misc::BalanceStatus`, as `ReserveRepatriated` names it.
Status = scale_type(BALANCE_STATUS, str, "Status")


@pallet.events
class Event:
    @event(0)
    class Endowed:
        """An account was created with some free balance."""

        account: AccountId
        free_balance: Balance

    @event(1)
    class DustLost:
        """An account was removed whose balance was non-zero but below ExistentialDeposit,
        resulting in an outright loss."""

        account: AccountId
        amount: Balance

    @event(2)
    class Transfer:
        """Transfer succeeded."""

        from_: AccountId
        to: AccountId
        amount: Balance

    @event(3)
    class BalanceSet:
        """A balance was set by root."""

        who: AccountId
        free: Balance

    @event(4)
    class Reserved:
        """Some balance was reserved (moved from free to reserved)."""

        who: AccountId
        amount: Balance

    @event(5)
    class Unreserved:
        """Some balance was unreserved (moved from reserved to free)."""

        who: AccountId
        amount: Balance

    @event(6)
    class ReserveRepatriated:
        """Some balance was moved from the reserve of the first account to the second account.
        Final argument indicates the destination balance type."""

        from_: AccountId
        to: AccountId
        amount: Balance
        destination_status: Status

    @event(7)
    class Deposit:
        """Some amount was deposited (e.g. for transaction fees)."""

        who: AccountId
        amount: Balance

    @event(8)
    class Withdraw:
        """Some amount was withdrawn from the account (e.g. for transaction fees)."""

        who: AccountId
        amount: Balance

    @event(9)
    class Slashed:
        """Some amount was removed from the account (e.g. for misbehavior)."""

        who: AccountId
        amount: Balance

    @event(10)
    class Minted:
        """Some amount was minted into an account."""

        who: AccountId
        amount: Balance

    @event(11)
    class Burned:
        """Some amount was burned from an account."""

        who: AccountId
        amount: Balance

    @event(12)
    class Suspended:
        """Some amount was suspended from an account (it can be restored later)."""

        who: AccountId
        amount: Balance

    @event(13)
    class Restored:
        """Some amount was restored into an account."""

        who: AccountId
        amount: Balance

    @event(14)
    class Upgraded:
        """An account was upgraded."""

        who: AccountId

    @event(15)
    class Issued:
        """Total issuance was increased by `amount`, creating a credit to be balanced."""

        amount: Balance

    @event(16)
    class Rescinded:
        """Total issuance was decreased by `amount`, creating a debt to be balanced."""

        amount: Balance

    @event(17)
    class Locked:
        """Some balance was locked."""

        who: AccountId
        amount: Balance

    @event(18)
    class Unlocked:
        """Some balance was unlocked."""

        who: AccountId
        amount: Balance

    @event(19)
    class Frozen:
        """Some balance was frozen."""

        who: AccountId
        amount: Balance

    @event(20)
    class Thawed:
        """Some balance was thawed."""

        who: AccountId
        amount: Balance

    @event(21)
    class TotalIssuanceForced:
        """The `TotalIssuance` was forcefully changed."""

        old: Balance
        new: Balance


# ---------------------------------------------------------------------------
# Errors


@pallet.errors
class Error:
    VestingBalance = error(0, "Vesting balance too high to send value.")
    LiquidityRestrictions = error(1, "Account liquidity restrictions prevent withdrawal.")
    InsufficientBalance = error(2, "Balance too low to send value.")
    ExistentialDeposit = error(3, "Value too low to create account due to existential deposit.")
    Expendability = error(4, "Transfer/payment would kill account.")
    ExistingVestingSchedule = error(5, "A vesting schedule already exists for this account.")
    DeadAccount = error(6, "Beneficiary account must pre-exist.")
    TooManyReserves = error(7, "Number of named reserves exceed `MaxReserves`.")
    TooManyHolds = error(8, "Number of holds exceed `VariantCountOf<T::RuntimeHoldReason>`.")
    TooManyFreezes = error(9, "Number of freezes exceed `MaxFreezes`.")
    IssuanceDeactivated = error(10, "The issuance cannot be modified since it is already deactivated.")
    DeltaZero = error(11, "The delta cannot be zero.")


# The logic lives next door; it reads the declarations above.
from pysubtensor.pallets.balances import account, currency, fungible  # noqa: E402

# ---------------------------------------------------------------------------
# Calls

_DEST = Arg(MULTI_ADDRESS, "AccountIdLookupOf<T>")
_VALUE = Arg(COMPACT_BALANCE, "T::Balance")


def _perbill_from_rational(p: int, q: int) -> int:
    """`Perbill::from_rational(p, q)` in parts per billion (rounds down, as `from_rational`)."""
    return min(p, q) * 1_000_000_000 // q


def _max_weight(a: Weight, b: Weight) -> Weight:
    """`Weight::max`: the larger of each component."""
    return Weight(max(a.ref_time, b.ref_time), max(a.proof_size, b.proof_size))


def _lookup(address: tuple[str, Any]) -> bytes:
    """`T::Lookup::lookup` (`AccountIdLookup<AccountId, ()>`)."""
    who = account_id_of_address(address)
    if who is None:
        raise CannotLookup()
    return who


@pallet.call(0, weight=WEIGHTS.transfer_allow_death)
def transfer_allow_death(origin, dest: _DEST, value: _VALUE) -> None:
    """Transfer some liquid free balance to another account.

    `transfer_allow_death` will set the `FreeBalance` of the sender and receiver.
    If the sender's account is below the existential deposit as a result
    of the transfer, the account will be reaped.

    The dispatch origin for this call must be `Signed` by the transactor.
    """
    source = ensure_signed(origin)
    fungible.transfer(source, _lookup(dest), value, Preservation.EXPENDABLE)


@pallet.call(2, weight=WEIGHTS.force_transfer)
def force_transfer(origin, source: _DEST, dest: _DEST, value: _VALUE) -> None:
    """Exactly as `transfer_allow_death`, except the origin must be root and the source account
    may be specified.
    """
    ensure_root(origin)
    fungible.transfer(_lookup(source), _lookup(dest), value, Preservation.EXPENDABLE)


@pallet.call(3, weight=WEIGHTS.transfer_keep_alive)
def transfer_keep_alive(origin, dest: _DEST, value: _VALUE) -> None:
    """Same as the [`transfer_allow_death`] call, but with a check that the transfer will not
    kill the origin account.

    99% of the time you want [`transfer_allow_death`] instead.

    [`transfer_allow_death`]: struct.Pallet.html#method.transfer
    """
    source = ensure_signed(origin)
    fungible.transfer(source, _lookup(dest), value, Preservation.PRESERVE)


@pallet.call(4, weight=WEIGHTS.transfer_all)
def transfer_all(origin, dest: _DEST, keep_alive: Arg(BOOL, "bool")) -> None:
    """Transfer the entire transferable balance from the caller account.

    NOTE: This function only attempts to transfer _transferable_ balances. This means that
    any locked, reserved, or existential deposits (when `keep_alive` is `true`), will not be
    transferred by this function. To ensure that this function results in a killed account,
    you might need to prepare the account by removing any reference counters, storage
    deposits, etc...

    The dispatch origin of this call must be Signed.

    - `dest`: The recipient of the transfer.
    - `keep_alive`: A boolean to determine if the `transfer_all` operation should send all
      of the funds the account has, causing the sender account to be killed (false), or
      transfer everything except at least the existential deposit, which will guarantee to
      keep the sender account alive (true).
    """
    transactor = ensure_signed(origin)
    preservation = Preservation.PRESERVE if keep_alive else Preservation.EXPENDABLE
    reducible = fungible.reducible_balance(transactor, preservation, Fortitude.POLITE)
    fungible.transfer(transactor, _lookup(dest), reducible, preservation)


@pallet.call(5, weight=WEIGHTS.force_unreserve)
def force_unreserve(origin, who: _DEST, amount: Arg(BALANCE, "T::Balance")) -> None:
    """Unreserve some balance from a user by force.

    Can only be called by ROOT.
    """
    ensure_root(origin)
    currency.unreserve(_lookup(who), amount)


@pallet.call(6, weight=lambda who: WEIGHTS.upgrade_accounts(len(who)))
def upgrade_accounts(origin, who: Arg(Vec(ACCOUNT_ID), "Vec<T::AccountId>")) -> PostDispatchInfo:
    """Upgrade a specified account.

    - `origin`: Must be `Signed`.
    - `who`: The account to be upgraded.

    This will waive the transaction fee if at least all but 10% of the accounts needed to
    be upgraded. (We let some not have to be upgraded just in order to allow for the
    possibility of churn).
    """
    ensure_signed(origin)
    if not who:
        return PostDispatchInfo(pays_fee=Pays.YES)
    upgraded = sum(1 for w in who if account.ensure_upgraded(w))
    # `Perbill::from_rational(upgraded, len) >= 90%`, with Perbill's rounding.
    proportion = _perbill_from_rational(upgraded, len(who))
    return PostDispatchInfo(pays_fee=Pays.NO if proportion >= 900_000_000 else Pays.YES)


@pallet.call(8, weight=_max_weight(WEIGHTS.force_set_balance_creating, WEIGHTS.force_set_balance_killing))
def force_set_balance(origin, who: _DEST, new_free: _VALUE) -> None:
    """Set the regular balance of a given account.

    The dispatch origin for this call is `root`.
    """
    ensure_root(origin)
    target = _lookup(who)
    wipeout = new_free < Constants.ExistentialDeposit
    new_free = 0 if wipeout else new_free

    def apply(a: AccountData) -> int:
        old = a.free
        a.free = new_free
        return old

    old_free = account.mutate_account_handling_dust(target, apply)
    # Square up total issuance, which `mutate_account` leaves alone.
    if new_free > old_free:
        currency.PositiveImbalance(new_free - old_free).drop()
    elif new_free < old_free:
        currency.NegativeImbalance(old_free - new_free).drop()
    pallet.deposit_event(Event.BalanceSet(target, new_free))


@pallet.call(9, weight=WEIGHTS.force_adjust_total_issuance)
def force_adjust_total_issuance(origin, direction: Arg(ADJUSTMENT_DIRECTION, "AdjustmentDirection"),
                                delta: _VALUE) -> None:
    """Adjust the total issuance in a saturating way.

    Can only be called by root and always needs a positive `delta`.

    # Example
    """
    ensure_root(origin)
    ensure(delta > 0, Error.DeltaZero)
    old = TotalIssuance.get()
    new = min(old + delta, fungible.U64_MAX) if direction == "Increase" else max(old - delta, 0)
    ensure(InactiveIssuance.get() <= new, Error.IssuanceDeactivated)
    TotalIssuance.put(new)
    pallet.deposit_event(Event.TotalIssuanceForced(old, new))


# Rust's annotation gives a `keep_alive` burn the `burn_allow_death` weight and vice versa.
@pallet.call(10, weight=lambda value, keep_alive: WEIGHTS.burn_allow_death if keep_alive
             else WEIGHTS.burn_keep_alive)
def burn(origin, value: _VALUE, keep_alive: Arg(BOOL, "bool")) -> None:
    """Burn the specified liquid free balance from the origin account.

    If the origin's account ends up below the existential deposit as a result
    of the burn and `keep_alive` is false, the account will be reaped.

    Unlike sending funds to a _burn_ address, which merely makes the funds inaccessible,
    this `burn` operation will reduce total issuance by the amount _burned_.
    """
    source = ensure_signed(origin)
    preservation = Preservation.PRESERVE if keep_alive else Preservation.EXPENDABLE
    fungible.burn_from(source, value, preservation, Precision.EXACT, Fortitude.POLITE)


# ---------------------------------------------------------------------------
# Genesis


@pallet.genesis
def build_genesis(config: dict[str, Any]) -> None:
    """`balances`: `[[account, free], …]` (account as 32 bytes or SS58); every balance must
    reach the existential deposit. `devAccounts` / `dev_accounts`: `[count, balance,
    derivation or None]` endows `//Sender/{i}` (sr25519) accounts, as the Rust builder does."""
    from pysubtensor.primitives.ss58 import ss58_decode_account_id

    entries = []
    for who, free in config.get("balances") or []:
        who = ss58_decode_account_id(who) if isinstance(who, str) else bytes(who)
        entries.append((who, int(free)))
    TotalIssuance.put(sum(free for _, free in entries))
    for _, free in entries:
        if free < Constants.ExistentialDeposit:
            raise ValueError("the balance of any account should always be at least the existential deposit.")
    if len({who for who, _ in entries}) != len(entries):
        raise ValueError("duplicate balances in genesis.")
    dev = config.get("devAccounts", config.get("dev_accounts"))
    if dev:
        _derive_dev_accounts(int(dev[0]), int(dev[1]), dev[2] if len(dev) > 2 and dev[2] else "//Sender/{}")
    store = pallet.config.account_store
    for who, free in entries:
        store.inc_providers(who)
        store.try_mutate_exists_account_data(who, lambda _, free=free: (AccountData(free=free), None))


def _derive_dev_accounts(count: int, balance: int, derivation: str) -> None:
    from pysubtensor.primitives.keyring import Keypair

    if count <= 0:
        raise ValueError("num_accounts must be greater than zero")
    if balance < Constants.ExistentialDeposit:
        raise ValueError("the balance of any account should always be at least the existential deposit.")
    if "{}" not in derivation:
        raise ValueError("Invalid derivation, expected `{}` as part of the derivation")
    for i in range(count):
        who = Keypair.from_uri(derivation.replace("{}", str(i))).account_id

        def set_free(a: AccountData) -> None:
            a.free = balance

        account.mutate_account_handling_dust(who, set_free)
