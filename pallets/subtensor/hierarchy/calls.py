"""Delegation and hierarchy calls: delegate takes, childkey takes and their root setters, the
pending-children cooldown, identities and hotkey association, declared with spec 381's
indices, arguments and docs; the rules live in `hierarchy.takes`, `hierarchy.identity` and
`hierarchy.children`."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import (
    ROCKS_DB_WEIGHT,
    Origin,
    Pays,
    Weight,
    ensure_root,
    ensure_signed,
)
from pysubtensor.pallets.support.types import AccountId, VecU8, u16, u64

from ..event_types import VecChildren
from ..neurons.logic import create_account_if_non_existent
from ..pallet import pallet
from ..types import ChainIdentityV2, NetUid, SubnetIdentityV3
from .children import do_schedule_children
from .identity import do_set_identity, do_set_subnet_identity
from .storage import PendingChildKeyCooldown
from .takes import (
    do_decrease_take,
    do_increase_take,
    do_set_childkey_take,
    set_max_childkey_take,
    set_min_childkey_take,
    set_tx_childkey_take_rate_limit,
)

__all__ = [
    "decrease_take", "increase_take", "set_childkey_take", "set_children", "set_identity", "set_pending_childkey_cooldown",
    "set_subnet_identity", "sudo_set_max_childkey_take", "sudo_set_min_childkey_take",
    "sudo_set_tx_childkey_take_rate_limit", "try_associate_hotkey",
]


@pallet.call(65, weight=Weight(30_020_000, 0) + ROCKS_DB_WEIGHT.reads_writes(3, 2), pays=Pays.NO)
def decrease_take(origin: Origin, hotkey: AccountId, take: u16) -> None:
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
    do_decrease_take(ensure_signed(origin), hotkey, take)


@pallet.call(66, weight=Weight(36_710_000, 0) + ROCKS_DB_WEIGHT.reads_writes(5, 2), pays=Pays.NO)
def increase_take(origin: Origin, hotkey: AccountId, take: u16) -> None:
    """--- Allows delegates to increase its take value. This call is rate-limited.

    # Args:
    * 'origin': (<T as frame_system::Config>::Origin):
    \t- The signature of the caller's coldkey.

    * 'hotkey' (T::AccountId):
    \t- The hotkey we are delegating (must be owned by the coldkey.)

    * 'take' (u16):
    \t- The new stake proportion that this hotkey takes from delegations.
           The new value can be between 0 and 11_796 and should be strictly
           greater than the previous value. T is the new value (rational number),
           the the parameter is calculated as [65535 * T]. For example, 1% would be
           [0.01 * 65535] = [655.35] = 655

    # Event:
    * TakeIncreased;
    \t- On successfully setting a increased take for this hotkey.

    # Raises:
    * 'NotRegistered':
    \t- The hotkey we are delegating is not registered on the network.

    * 'NonAssociatedColdKey':
    \t- The hotkey we are delegating is not owned by the calling coldkey.

    * 'DelegateTakeTooHigh':
    \t- The delegate is setting a take which is not greater than the previous.

    """
    do_increase_take(ensure_signed(origin), hotkey, take)


@pallet.call(75, weight=Weight(66_450_000, 0) + ROCKS_DB_WEIGHT.reads_writes(5, 2))
def set_childkey_take(origin: Origin, hotkey: AccountId, netuid: NetUid, take: u16) -> None:
    """Sets the childkey take for a given hotkey.

    This function allows a coldkey to set the childkey take for a given hotkey.
    The childkey take determines the proportion of stake that the hotkey keeps for itself
    when distributing stake to its children.

    # Arguments:
    * `origin` (<T as frame_system::Config>::RuntimeOrigin):
        - The signature of the calling coldkey. Setting childkey take can only be done by the coldkey.

    * `hotkey` (T::AccountId):
        - The hotkey for which the childkey take will be set.

    * `take` (u16):
        - The new childkey take value. This is a percentage represented as a value between 0 and 10000,
          where 10000 represents 100%.

    # Events:
    * `ChildkeyTakeSet`:
        - On successfully setting the childkey take for a hotkey.

    # Errors:
    * `NonAssociatedColdKey`:
        - The coldkey does not own the hotkey.
    * `InvalidChildkeyTake`:
        - The provided take value is invalid (greater than the maximum allowed take).
    * `TxChildkeyTakeRateLimitExceeded`:
        - The rate limit for changing childkey take has been exceeded.

    """
    do_set_childkey_take(ensure_signed(origin), hotkey, netuid, take)


@pallet.call(69, weight=Weight(5_660_000, 0) + ROCKS_DB_WEIGHT.reads_writes(0, 1))
def sudo_set_tx_childkey_take_rate_limit(origin: Origin, tx_rate_limit: u64) -> None:
    """Sets the transaction rate limit for changing childkey take.

    This function can only be called by the root origin.

    # Arguments:
    * `origin` - The origin of the call, must be root.
    * `tx_rate_limit` - The new rate limit in blocks.

    # Errors:
    * `BadOrigin` - If the origin is not root.

    """
    ensure_root(origin)
    set_tx_childkey_take_rate_limit(tx_rate_limit)


@pallet.call(76, weight=Weight(6_000, 0) + ROCKS_DB_WEIGHT.reads_writes(1, 1))
def sudo_set_min_childkey_take(origin: Origin, take: u16) -> None:
    """Sets the minimum allowed childkey take.

    This function can only be called by the root origin.

    # Arguments:
    * `origin` - The origin of the call, must be root.
    * `take` - The new minimum childkey take value.

    # Errors:
    * `BadOrigin` - If the origin is not root.

    """
    ensure_root(origin)
    set_min_childkey_take(take)


@pallet.call(77, weight=Weight(6_000, 0) + ROCKS_DB_WEIGHT.reads_writes(1, 1))
def sudo_set_max_childkey_take(origin: Origin, take: u16) -> None:
    """Sets the maximum allowed childkey take.

    This function can only be called by the root origin.

    # Arguments:
    * `origin` - The origin of the call, must be root.
    * `take` - The new maximum childkey take value.

    # Errors:
    * `BadOrigin` - If the origin is not root.

    """
    ensure_root(origin)
    set_max_childkey_take(take)


@pallet.call(68, weight=Weight(38_230_000, 0) + ROCKS_DB_WEIGHT.reads_writes(3, 1))
def set_identity(origin: Origin, name: VecU8, url: VecU8, github_repo: VecU8, image: VecU8, discord: VecU8,
                 description: VecU8, additional: VecU8) -> None:
    """---- Set prometheus information for the neuron.
    # Args:
    * 'origin': (<T as frame_system::Config>Origin):
    \t- The signature of the calling hotkey.

    * 'netuid' (u16):
    \t- The u16 network identifier.

    * 'version' (u16):
    \t-  The bittensor version identifier.

    * 'ip' (u128):
    \t- The prometheus ip information as a u128 encoded integer.

    * 'port' (u16):
    \t- The prometheus port information as a u16 encoded integer.

    * 'ip_type' (u8):
    \t- The ip type v4 or v6.

    """
    do_set_identity(ensure_signed(origin), ChainIdentityV2(name, url, github_repo, image, discord, description, additional))


@pallet.call(78, weight=Weight(24_350_000, 0) + ROCKS_DB_WEIGHT.reads_writes(1, 1))
def set_subnet_identity(origin: Origin, netuid: NetUid, subnet_name: VecU8, github_repo: VecU8,
                        subnet_contact: VecU8, subnet_url: VecU8, discord: VecU8, description: VecU8,
                        logo_url: VecU8, additional: VecU8) -> None:
    """---- Set the identity information for a subnet.
    # Args:
    * `origin` - (<T as frame_system::Config>::Origin):
        - The signature of the calling coldkey, which must be the owner of the subnet.

    * `netuid` (u16):
        - The unique network identifier of the subnet.

    * `subnet_name` (Vec<u8>):
        - The name of the subnet.

    * `github_repo` (Vec<u8>):
        - The GitHub repository associated with the subnet identity.

    * `subnet_contact` (Vec<u8>):
        - The contact information for the subnet.
    """
    do_set_subnet_identity(ensure_signed(origin), netuid, SubnetIdentityV3(
        subnet_name, github_repo, subnet_contact, subnet_url, discord, description, logo_url, additional))


@pallet.call(91, weight=Weight(27_150_000, 0) + ROCKS_DB_WEIGHT.reads_writes(3, 3))
def try_associate_hotkey(origin: Origin, hotkey: AccountId) -> None:
    """Attempts to associate a hotkey with a coldkey.

    # Arguments
    * `origin` - The origin of the transaction, which must be signed by the coldkey that owns the `hotkey`.
    * `hotkey` - The hotkey to associate with the coldkey.

    # Note
    Will charge based on the weight even if the hotkey is already associated with a coldkey.
    """
    # Rust ignores the outcome: the call succeeds (and is charged) whether or not the key is new.
    create_account_if_non_existent(ensure_signed(origin), hotkey)


@pallet.call(109, weight=Weight(1_970_000_000_000, 0))
def set_pending_childkey_cooldown(origin: Origin, cooldown: u64) -> None:
    """Sets the pending childkey cooldown (in blocks). Root only.
    """
    ensure_root(origin)
    PendingChildKeyCooldown.put(cooldown)


@pallet.call(67, weight=Weight(119_000_000, 0) + ROCKS_DB_WEIGHT.reads_writes(6, 31))
def set_children(origin: Origin, hotkey: AccountId, netuid: NetUid, children: VecChildren) -> None:
    """Set a single child for a given hotkey on a specified network.

    This function allows a coldkey to set a single child for a given hotkey on a specified network.
    The proportion of the hotkey's stake to be allocated to the child is also specified.

    # Arguments:
    * `origin` (<T as frame_system::Config>::RuntimeOrigin):
        - The signature of the calling coldkey. Setting a hotkey child can only be done by the coldkey.

    * `hotkey` (T::AccountId):
        - The hotkey which will be assigned the child.

    * `child` (T::AccountId):
        - The child which will be assigned to the hotkey.

    * `netuid` (u16):
        - The u16 network identifier where the childkey will exist.

    * `proportion` (u64):
        - Proportion of the hotkey's stake to be given to the child, the value must be u64 normalized.

    # Events:
    * `ChildAddedSingular`:
        - On successfully registering a child to a hotkey.

    # Errors:
    * `MechanismDoesNotExist`:
        - Attempting to register to a non-existent network.
    * `RegistrationNotPermittedOnRootSubnet`:
        - Attempting to register a child on the root network.
    * `NonAssociatedColdKey`:
        - The coldkey does not own the hotkey or the child is the same as the hotkey.
    * `HotKeyAccountNotExists`:
        - The hotkey account does not exist.

    # Detailed Explanation of Checks:
    1. **Signature Verification**: Ensures that the caller has signed the transaction, verifying the coldkey.
    2. **Root Network Check**: Ensures that the delegation is not on the root network, as child hotkeys are not valid on the root.
    3. **Network Existence Check**: Ensures that the specified network exists.
    4. **Ownership Verification**: Ensures that the coldkey owns the hotkey.
    5. **Hotkey Account Existence Check**: Ensures that the hotkey account already exists.
    6. **Child-Hotkey Distinction**: Ensures that the child is not the same as the hotkey.
    7. **Old Children Cleanup**: Removes the hotkey from the parent list of its old children.
    8. **New Children Assignment**: Assigns the new child to the hotkey and updates the parent list for the new child.
    """
    do_schedule_children(ensure_signed(origin), hotkey, netuid, children)
