"""SubtensorModule's staking calls (Rust `macros/dispatches.rs`, spec 381): declarations with
the real indices, argument names and types, docs and `#[pallet::weight]` values; the logic is in
add_stake.py, remove_stake.py, move_stake.py and recycle_alpha.py."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import (
    ROCKS_DB_WEIGHT,
    Origin,
    PostDispatchInfo,
    Weight,
    ensure,
    ensure_root,
)
from pysubtensor.pallets.support.types import AccountId, Bool, scale_type, u64
from pysubtensor.primitives.scale import BTreeSet, Option

from ..errors import Error
from ..event_types import RootClaimTypeEnum
from ..pallet import pallet
from ..types import NETUID, TAO_BALANCE, AlphaBalance, NetUid, TaoBalance
from ..utils.admin import ensure_subnet_owner_or_root
from .add_stake import do_add_stake, do_add_stake_limit
from .claim_root import do_claim_root, do_set_root_claim_type
from .move_stake import (
    do_move_stake,
    do_move_stake_limit,
    do_swap_stake,
    do_swap_stake_limit,
    do_transfer_stake,
)
from .recycle_alpha import do_add_stake_burn, do_burn_alpha, do_recycle_alpha
from .remove_stake import (
    do_remove_stake,
    do_remove_stake_full_limit,
    do_remove_stake_limit,
    do_unstake_all,
    do_unstake_all_alpha,
)

__all__ = [
    "add_stake", "add_stake_burn", "add_stake_limit", "burn_alpha", "claim_root", "move_stake", "move_stake_limit",
    "recycle_alpha", "remove_stake",
    "remove_stake_full_limit", "remove_stake_limit", "set_root_claim_type", "sudo_set_num_root_claims",
    "sudo_set_root_claim_threshold", "swap_stake", "swap_stake_limit",
    "transfer_stake",
    "unstake_all", "unstake_all_alpha",
]

S = pallet.Storage
OptionTaoBalance = scale_type(Option(TAO_BALANCE), object, "Option<TaoBalance>")
NetUidSet = scale_type(BTreeSet(NETUID), frozenset, "BTreeSet<NetUid>")


def _w(ref_time: int, proof_size: int, reads: int, writes: int) -> Weight:
    return Weight(ref_time, proof_size) + ROCKS_DB_WEIGHT.reads_writes(reads, writes)


@pallet.call(2, weight=_w(523_200_000, 0, 20, 14))
def add_stake(origin: Origin, hotkey: AccountId, netuid: NetUid, amount_staked: TaoBalance) -> None:
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
    do_add_stake(origin, hotkey, netuid, amount_staked)


@pallet.call(3, weight=_w(196_800_000, 0, 19, 10))
def remove_stake(origin: Origin, hotkey: AccountId, netuid: NetUid, amount_unstaked: AlphaBalance) -> None:
    """Remove stake from the staking account. The call must be made
    from the coldkey account attached to the neuron metadata. Only this key
    has permission to make staking and unstaking requests.

    # Args:
    * 'origin': (<T as frame_system::Config>Origin):
    \t- The signature of the caller's coldkey.

    * 'hotkey' (T::AccountId):
    \t- The associated hotkey account.

    * 'netuid' (u16):
        - Subnetwork UID

    * 'amount_unstaked' (u64):
    \t- The amount of stake to be added to the hotkey staking account.

    # Event:
    * StakeRemoved;
    \t- On the successfully removing stake from the hotkey account.

    # Raises:
    * 'NotRegistered':
    \t- Thrown if the account we are attempting to unstake from is non existent.

    * 'NonAssociatedColdKey':
    \t- Thrown if the coldkey does not own the hotkey we are unstaking from.

    * 'NotEnoughStakeToWithdraw':
    \t- Thrown if there is not enough stake on the hotkey to withdwraw this amount.

    """
    do_remove_stake(origin, hotkey, netuid, amount_unstaked)


@pallet.call(83, weight=_w(28_830_000, 0, 6, 0))
def unstake_all(origin: Origin, hotkey: AccountId) -> None:
    """---- The implementation for the extrinsic unstake_all: Removes all stake from a hotkey account across all subnets and adds it onto a coldkey.

    # Args:
    * `origin` - (<T as frame_system::Config>::Origin):
        - The signature of the caller's coldkey.

    * `hotkey` (T::AccountId):
        - The associated hotkey account.

    # Event:
    * StakeRemoved;
        - On the successfully removing stake from the hotkey account.

    # Raises:
    * `NotRegistered`:
        - Thrown if the account we are attempting to unstake from is non existent.

    * `NonAssociatedColdKey`:
        - Thrown if the coldkey does not own the hotkey we are unstaking from.

    * `NotEnoughStakeToWithdraw`:
        - Thrown if there is not enough stake on the hotkey to withdraw this amount.

    * `TxRateLimitExceeded`:
        - Thrown if key has hit transaction rate limit
    """
    do_unstake_all(origin, hotkey)


@pallet.call(84, weight=_w(486_500_000, 0, 35, 23))
def unstake_all_alpha(origin: Origin, hotkey: AccountId) -> None:
    """---- The implementation for the extrinsic unstake_all: Removes all stake from a hotkey account across all subnets and adds it onto a coldkey.

    # Args:
    * `origin` - (<T as frame_system::Config>::Origin):
        - The signature of the caller's coldkey.

    * `hotkey` (T::AccountId):
        - The associated hotkey account.

    # Event:
    * StakeRemoved;
        - On the successfully removing stake from the hotkey account.

    # Raises:
    * `NotRegistered`:
        - Thrown if the account we are attempting to unstake from is non existent.

    * `NonAssociatedColdKey`:
        - Thrown if the coldkey does not own the hotkey we are unstaking from.

    * `NotEnoughStakeToWithdraw`:
        - Thrown if there is not enough stake on the hotkey to withdraw this amount.

    * `TxRateLimitExceeded`:
        - Thrown if key has hit transaction rate limit
    """
    do_unstake_all_alpha(origin, hotkey)


@pallet.call(85, weight=_w(168_200_000, 0, 16, 7))
def move_stake(origin: Origin, origin_hotkey: AccountId, destination_hotkey: AccountId, origin_netuid: NetUid, destination_netuid: NetUid, alpha_amount: AlphaBalance) -> None:
    """---- The implementation for the extrinsic move_stake: Moves specified amount of stake from a hotkey to another across subnets.

    # Args:
    * `origin` - (<T as frame_system::Config>::Origin):
        - The signature of the caller's coldkey.

    * `origin_hotkey` (T::AccountId):
        - The hotkey account to move stake from.

    * `destination_hotkey` (T::AccountId):
        - The hotkey account to move stake to.

    * `origin_netuid` (T::AccountId):
        - The subnet ID to move stake from.

    * `destination_netuid` (T::AccountId):
        - The subnet ID to move stake to.

    * `alpha_amount` (T::AccountId):
        - The alpha stake amount to move.

    """
    do_move_stake(origin, origin_hotkey, destination_hotkey, origin_netuid, destination_netuid, alpha_amount)


@pallet.call(86, weight=_w(163_400_000, 0, 14, 6))
def transfer_stake(origin: Origin, destination_coldkey: AccountId, hotkey: AccountId, origin_netuid: NetUid, destination_netuid: NetUid, alpha_amount: AlphaBalance) -> None:
    """Transfers a specified amount of stake from one coldkey to another, optionally across subnets,
    while keeping the same hotkey.

    # Arguments
    * `origin` - The origin of the transaction, which must be signed by the `origin_coldkey`.
    * `destination_coldkey` - The coldkey to which the stake is transferred.
    * `hotkey` - The hotkey associated with the stake.
    * `origin_netuid` - The network/subnet ID to move stake from.
    * `destination_netuid` - The network/subnet ID to move stake to (for cross-subnet transfer).
    * `alpha_amount` - The amount of stake to transfer.

    # Errors
    Returns an error if:
    * The origin is not signed by the correct coldkey.
    * Either subnet does not exist.
    * The hotkey does not exist.
    * There is insufficient stake on `(origin_coldkey, hotkey, origin_netuid)`.
    * The transfer amount is below the minimum stake requirement.

    # Events
    May emit a `StakeTransferred` event on success.
    """
    do_transfer_stake(origin, destination_coldkey, hotkey, origin_netuid, destination_netuid, alpha_amount)


@pallet.call(87, weight=_w(453_800_000, 0, 31, 21))
def swap_stake(origin: Origin, hotkey: AccountId, origin_netuid: NetUid, destination_netuid: NetUid, alpha_amount: AlphaBalance) -> None:
    """Swaps a specified amount of stake from one subnet to another, while keeping the same coldkey and hotkey.

    # Arguments
    * `origin` - The origin of the transaction, which must be signed by the coldkey that owns the `hotkey`.
    * `hotkey` - The hotkey whose stake is being swapped.
    * `origin_netuid` - The network/subnet ID from which stake is removed.
    * `destination_netuid` - The network/subnet ID to which stake is added.
    * `alpha_amount` - The amount of stake to swap.

    # Errors
    Returns an error if:
    * The transaction is not signed by the correct coldkey (i.e., `coldkey_owns_hotkey` fails).
    * Either `origin_netuid` or `destination_netuid` does not exist.
    * The hotkey does not exist.
    * There is insufficient stake on `(coldkey, hotkey, origin_netuid)`.
    * The swap amount is below the minimum stake requirement.

    # Events
    May emit a `StakeSwapped` event on success.
    """
    do_swap_stake(origin, hotkey, origin_netuid, destination_netuid, alpha_amount)


@pallet.call(88, weight=_w(713_200_000, 0, 20, 14))
def add_stake_limit(origin: Origin, hotkey: AccountId, netuid: NetUid, amount_staked: TaoBalance, limit_price: TaoBalance, allow_partial: Bool) -> None:
    """--- Adds stake to a hotkey on a subnet with a price limit.
    This extrinsic allows to specify the limit price for alpha token
    at which or better (lower) the staking should execute.

    In case if slippage occurs and the price shall move beyond the limit
    price, the staking order may execute only partially or not execute
    at all.

    # Args:
     * 'origin': (<T as frame_system::Config>Origin):
    \t- The signature of the caller's coldkey.

     * 'hotkey' (T::AccountId):
    \t- The associated hotkey account.

    * 'netuid' (u16):
        - Subnetwork UID

     * 'amount_staked' (u64):
    \t- The amount of stake to be added to the hotkey staking account.

     * 'limit_price' (u64):
    \t- The limit price expressed in units of RAO per one Alpha.

     * 'allow_partial' (bool):
    \t- Allows partial execution of the amount. If set to false, this becomes
          fill or kill type or order.

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
    do_add_stake_limit(origin, hotkey, netuid, amount_staked, limit_price, allow_partial)


@pallet.call(89, weight=_w(611_100_000, 0, 23, 12))
def remove_stake_limit(origin: Origin, hotkey: AccountId, netuid: NetUid, amount_unstaked: AlphaBalance, limit_price: TaoBalance, allow_partial: Bool) -> None:
    """--- Removes stake from a hotkey on a subnet with a price limit.
    This extrinsic allows to specify the limit price for alpha token
    at which or better (higher) the staking should execute.

    In case if slippage occurs and the price shall move beyond the limit
    price, the staking order may execute only partially or not execute
    at all.

    # Args:
    * 'origin': (<T as frame_system::Config>Origin):
    \t- The signature of the caller's coldkey.

    * 'hotkey' (T::AccountId):
    \t- The associated hotkey account.

    * 'netuid' (u16):
        - Subnetwork UID

    * 'amount_unstaked' (u64):
    \t- The amount of stake to be added to the hotkey staking account.

     * 'limit_price' (u64):
        - The limit price expressed in units of RAO per one Alpha.

     * 'allow_partial' (bool):
        - Allows partial execution of the amount. If set to false, this becomes
          fill or kill type or order.

    # Event:
    * StakeRemoved;
    \t- On the successfully removing stake from the hotkey account.

    # Raises:
    * 'NotRegistered':
    \t- Thrown if the account we are attempting to unstake from is non existent.

    * 'NonAssociatedColdKey':
    \t- Thrown if the coldkey does not own the hotkey we are unstaking from.

    * 'NotEnoughStakeToWithdraw':
    \t- Thrown if there is not enough stake on the hotkey to withdwraw this amount.

    """
    do_remove_stake_limit(origin, hotkey, netuid, amount_unstaked, limit_price, allow_partial)


@pallet.call(90, weight=_w(661_800_000, 0, 31, 21))
def swap_stake_limit(origin: Origin, hotkey: AccountId, origin_netuid: NetUid, destination_netuid: NetUid, alpha_amount: AlphaBalance, limit_price: TaoBalance, allow_partial: Bool) -> None:
    """Swaps a specified amount of stake from one subnet to another, while keeping the same coldkey and hotkey.

    # Arguments
    * `origin` - The origin of the transaction, which must be signed by the coldkey that owns the `hotkey`.
    * `hotkey` - The hotkey whose stake is being swapped.
    * `origin_netuid` - The network/subnet ID from which stake is removed.
    * `destination_netuid` - The network/subnet ID to which stake is added.
    * `alpha_amount` - The amount of stake to swap.
    * `limit_price` - The limit price expressed in units of RAO per one Alpha.
    * `allow_partial` - Allows partial execution of the amount. If set to false, this becomes fill or kill type or order.

    # Errors
    Returns an error if:
    * The transaction is not signed by the correct coldkey (i.e., `coldkey_owns_hotkey` fails).
    * Either `origin_netuid` or `destination_netuid` does not exist.
    * The hotkey does not exist.
    * There is insufficient stake on `(coldkey, hotkey, origin_netuid)`.
    * The swap amount is below the minimum stake requirement.

    # Events
    May emit a `StakeSwapped` event on success.
    """
    do_swap_stake_limit(origin, hotkey, origin_netuid, destination_netuid, alpha_amount, limit_price, allow_partial)


@pallet.call(101, weight=_w(113_400_000, 0, 7, 4))
def recycle_alpha(origin: Origin, hotkey: AccountId, amount: AlphaBalance, netuid: NetUid) -> None:
    """Recycles alpha from a cold/hot key pair, reducing AlphaOut on a subnet

    # Arguments
    * `origin` - The origin of the call (must be signed by the coldkey)
    * `hotkey` - The hotkey account
    * `amount` - The amount of alpha to recycle
    * `netuid` - The subnet ID

    # Events
    Emits a `TokensRecycled` event on success.
    """
    do_recycle_alpha(origin, hotkey, amount, netuid)


@pallet.call(102, weight=_w(112_200_000, 0, 7, 3))
def burn_alpha(origin: Origin, hotkey: AccountId, amount: AlphaBalance, netuid: NetUid) -> None:
    """Burns alpha from a cold/hot key pair without reducing `AlphaOut`

    # Arguments
    * `origin` - The origin of the call (must be signed by the coldkey)
    * `hotkey` - The hotkey account
    * `amount` - The amount of alpha to burn
    * `netuid` - The subnet ID

    # Events
    Emits a `TokensBurned` event on success.
    """
    do_burn_alpha(origin, hotkey, amount, netuid)


@pallet.call(103, weight=_w(615_000_000, 10142, 23, 12))
def remove_stake_full_limit(origin: Origin, hotkey: AccountId, netuid: NetUid, limit_price: OptionTaoBalance) -> None:
    """Removes all stake from a hotkey on a subnet with a price limit.
    This extrinsic allows to specify the limit price for alpha token
    at which or better (higher) the staking should execute.
    Without limit_price it remove all the stake similar to `remove_stake` extrinsic
    """
    do_remove_stake_full_limit(origin, hotkey, netuid, limit_price)


@pallet.call(121, weight=_w(117_000_000, 7767, 12, 4))
def claim_root(origin: Origin, subnets: NetUidSet) -> PostDispatchInfo:
    """--- Claims the root emissions for a coldkey.
    # Args:
    * 'origin': (<T as frame_system::Config>Origin):
    \t- The signature of the caller's coldkey.

    # Event:
    * RootClaimed;
    \t- On the successfully claiming the root emissions for a coldkey.

    # Raises:

    """
    return do_claim_root(origin, subnets)


@pallet.call(122, weight=_w(19_420_000, 0, 2, 4))
def set_root_claim_type(origin: Origin, new_root_claim_type: RootClaimTypeEnum) -> None:
    """--- Sets the root claim type for the coldkey.
    # Args:
    * 'origin': (<T as frame_system::Config>Origin):
    \t- The signature of the caller's coldkey.

    # Event:
    * RootClaimTypeSet;
    \t- On the successfully setting the root claim type for the coldkey.

    """
    do_set_root_claim_type(origin, new_root_claim_type)


#: `MAX_NUM_ROOT_CLAIMS`: the most root claims made automatically per block.
MAX_NUM_ROOT_CLAIMS = 50
#: `MAX_ROOT_CLAIM_THRESHOLD`, in rao of alpha.
MAX_ROOT_CLAIM_THRESHOLD = 10_000_000


@pallet.call(123, weight=_w(4_000_000, 0, 0, 1))
def sudo_set_num_root_claims(origin: Origin, new_value: u64) -> None:
    """--- Sets root claim number (sudo extrinsic). Zero disables auto-claim."""
    ensure_root(origin)
    ensure(new_value <= MAX_NUM_ROOT_CLAIMS, Error.InvalidNumRootClaim)
    S.NumRootClaim.put(new_value)


@pallet.call(124, weight=_w(5_711_000, 0, 0, 1))
def sudo_set_root_claim_threshold(origin: Origin, netuid: NetUid, new_value: u64) -> None:
    """--- Sets root claim threshold for subnet (sudo or owner origin)."""
    ensure_subnet_owner_or_root(origin, netuid)
    ensure(new_value <= MAX_ROOT_CLAIM_THRESHOLD, Error.InvalidRootClaimThreshold)
    # Stored as I96F32: the integer in the upper bits.
    S.RootClaimableThreshold.insert(netuid, new_value << 32)


@pallet.call(132, weight=_w(757_700_000, 8556, 23, 15))
def add_stake_burn(origin: Origin, hotkey: AccountId, netuid: NetUid, amount: TaoBalance, limit: OptionTaoBalance) -> None:
    """--- The extrinsic is a combination of add_stake(add_stake_limit) and burn_alpha. We buy
    alpha token first and immediately burn the acquired amount of alpha (aka Subnet buyback).
    """
    do_add_stake_burn(origin, hotkey, netuid, amount, limit)


# Newer than spec 381: `move_stake_limit` (RaoFoundation/subtensor PR #3084, dispatches.rs
# `call_index(149)`; tests/support/metadata.py ITEMS_BEYOND_381). Its weight is the real one's
# composition, `swap_stake_limit()` plus one read and 2493 bytes of proof (weights.rs).
@pallet.call(149, weight=_w(661_800_000, 2493, 32, 21))
def move_stake_limit(origin: Origin, origin_hotkey: AccountId, destination_hotkey: AccountId, origin_netuid: NetUid, destination_netuid: NetUid, alpha_amount: AlphaBalance, limit_price: TaoBalance, allow_partial: Bool) -> None:
    """Moves stake from one hotkey to another and, when the subnets differ,
    protects the swap with a relative price limit.

    `limit_price` is the minimum acceptable destination-alpha per
    origin-alpha ratio, scaled by 1e9. When `allow_partial` is false the
    call is fill-or-kill; otherwise it moves only the amount executable
    before the limit is crossed. `alpha_amount` of `AlphaBalance::MAX`
    means the live origin position at execution.
    """
    do_move_stake_limit(origin, origin_hotkey, destination_hotkey, origin_netuid, destination_netuid, alpha_amount,
                        limit_price, allow_partial)
