"""Balances (pallet 5, `pallet_balances` with `T, I`): the native TAO currency.

Balances are u64 rao and live in `System.Account[who].data` (subtensor's `AccountStore =
System`); `Balances.Account` is declared for metadata only. Declarations follow the real
runtime's metadata order: storage, constants, events, errors here, calls in `calls`. The
logic is in
`account` (reference counts, reaping, dust), `fungible` (what other pallets call) and
`currency` (the legacy reserve / lock API); weights in `weights`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pysubtensor.pallets.balances.types import (
    ACCOUNT_DATA,
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
from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.pallet import Pallet, constant, error, event
from pysubtensor.pallets.support.storage import StorageMap, StorageValue
from pysubtensor.pallets.support.types import AccountId, Balance, scale_type
from pysubtensor.primitives.hashing import Blake2_128Concat
from pysubtensor.primitives.scale import U32
from pysubtensor.primitives.types import (
    ACCOUNT_ID,
    BALANCE,
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
        """The account, whose `data` is its `AccountData` (the caller's copy)."""
        ...

    def account_ref(self, who: bytes) -> Any:
        """`account` for a caller that only reads it (shared: not to be changed)."""
        ...

    def try_mutate_exists_account_data(
            self, who: bytes, fn: Callable[[AccountData | None], tuple[AccountData | None, Any]]) -> Any: ...

    def put_account_data(self, who: bytes, read: Any, data: AccountData) -> None:
        """Store `data` for an existing account read as `read`, its reference counts as they are."""
        ...

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
