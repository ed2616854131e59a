"""Staking: a storage item and an event both named `RootClaimed`, and two calls whose metadata
order is not their index order (`decrease_take` is 65, `add_stake` 2)."""

from __future__ import annotations

from typing import Annotated

from pysubtensor.pallets.support.dispatch import Weight, ensure_signed
from pysubtensor.pallets.support.pallet import event
from pysubtensor.pallets.support.storage import StorageNMap
from pysubtensor.pallets.support.types import AccountId, Doc, u16
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity
from pysubtensor.primitives.scale import U16, U128
from pysubtensor.primitives.types import ACCOUNT_ID

from .pallet import pallet
from .types import NetUid, TaoBalance

__all__ = ["Event", "RootClaimed", "add_stake", "decrease_take"]

RootClaimed = pallet.storage("RootClaimed", StorageNMap(
    ((Identity, U16), (Blake2_128Concat, ACCOUNT_ID), (Blake2_128Concat, ACCOUNT_ID)), U128, default=0))


@pallet.events
class Event:
    @event(112)
    class RootClaimed:
        """Root emissions have been claimed for a coldkey on all subnets and hotkeys.
        Parameters:
        (coldkey)"""

        coldkey: Annotated[AccountId, Doc("Claim coldkey")]


@pallet.call(65, weight=lambda take: Weight(10_000 + take, 0))
def decrease_take(origin, hotkey: AccountId, take: u16) -> None:
    """--- Allows delegates to decrease its take value.

    # Args:
    * 'origin': (<T as frame_system::Config>::Origin):
    \t- The signature of the caller's coldkey.

    * 'hotkey' (T::AccountId):
    \t- The hotkey we are delegating (must be owned by the coldkey.)

    * 'netuid' (u16):
    \t- Subnet ID to decrease take for

    * 'take' (u16):
    \t- The new stake proportion that this hotkey takes from delegations.
           The new value can be between 0 and 11_796 and should be strictly
           lower than the previous value. It T is the new value (rational number),
           the the parameter is calculated as [65535 * T]. For example, 1% would be
           [0.01 * 65535] = [655.35] = 655

    # Event:
    * TakeDecreased;
    \t- On successfully setting a decreased take for this hotkey.

    # Raises:
    * 'NotRegistered':
    \t- The hotkey we are delegating is not registered on the network.

    * 'NonAssociatedColdKey':
    \t- The hotkey we are delegating is not owned by the calling coldkey.

    * 'DelegateTakeTooLow':
    \t- The delegate is setting a take which is not lower than the previous.

    """
    ensure_signed(origin)


@pallet.call(2, weight=lambda amount_staked, netuid: Weight(amount_staked + netuid, 0))
def add_stake(origin, hotkey: AccountId, netuid: NetUid, amount_staked: TaoBalance) -> None:
    """--- Adds stake to a hotkey. The call is made from a coldkey account.
    This delegates stake to the hotkey.

    Note: the coldkey account may own the hotkey, in which case they are
    delegating to themselves.

    # Args:
     * 'origin': (<T as frame_system::Config>Origin):
    \t- The signature of the caller's coldkey.

     * 'hotkey' (T::AccountId):
    \t- The associated hotkey account.

    * 'netuid' (u16):
        - Subnetwork UID

     * 'amount_staked' (u64):
    \t- The amount of stake to be added to the hotkey staking account.

    # Event:
     * StakeAdded;
    \t- On the successfully adding stake to a global account.

    # Raises:
     * 'NotEnoughBalanceToStake':
    \t- Not enough balance on the coldkey to add onto the global account.

     * 'NonAssociatedColdKey':
    \t- The calling coldkey is not associated with this hotkey.

     * 'BalanceWithdrawalError':
     \t- Errors stemming from transaction pallet.

    """
    coldkey = ensure_signed(origin)
    RootClaimed.insert(netuid, hotkey, coldkey, amount_staked)
    pallet.deposit_event(Event.RootClaimed(coldkey))
