"""Coldkey swaps (subtensor's `swap/swap_coldkey.rs` and the announcement calls of spec 381's
`macros/dispatches.rs`): a coldkey announces the BlakeTwo256 hash of its new coldkey, paying
`KeySwapCost` once; after `ColdkeySwapAnnouncementDelay` blocks it performs the swap, which
moves its identity, subnet ownerships, auto-stake destinations, stakes, staking and owned
hotkeys, its stake locks (subtensor main) and its whole balance. It may re-announce
`ColdkeySwapReannouncementDelay` blocks after the announced block; a dispute freezes the
coldkey until root resets it. Root may swap any coldkey directly (`swap_coldkey`).
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ensure
from pysubtensor.pallets.support.tokens import Fortitude, Precision, Preservation
from pysubtensor.pallets.system.block import block_number
from pysubtensor.primitives.hashing import blake2_256

from ..constants import Constants
from ..errors import Error
from ..events import Event
from ..pallet import pallet
from ..staking.lock import set_accept_locked_alpha, swap_coldkey_locks
from ..utils.admin import current_block
from .hotkey import recycle_tao, remove_balance_from_coldkey_account, set_last_tx_block

__all__ = [
    "charge_swap_cost", "do_announce_coldkey_swap", "do_dispute_coldkey_swap", "do_reset_coldkey_swap",
    "do_swap_coldkey", "do_swap_coldkey_announced", "do_swap_coldkey_by_root",
]

S = pallet.Storage
ROOT = 0
_U32_MAX = (1 << 32) - 1
_U128_MAX = (1 << 128) - 1


def charge_swap_cost(coldkey: bytes, swap_cost: int) -> None:
    """Withdraw `swap_cost` (keeping the account alive) and recycle it; all or nothing."""
    try:
        burned = remove_balance_from_coldkey_account(coldkey, swap_cost)
    except Exception as exc:  # the withdrawal's own error is replaced, as Rust's map_err does
        raise Error.NotEnoughBalanceToPaySwapColdKey() from exc
    ensure(burned >= swap_cost, Error.NotEnoughBalanceToPaySwapColdKey)
    recycle_tao(burned)


def _transfer_root_claimed(netuid: int, hotkey: bytes, old_coldkey: bytes, new_coldkey: bytes) -> None:
    claimed = S.RootClaimed.take(netuid, hotkey, old_coldkey)
    S.RootClaimed.mutate(netuid, hotkey, new_coldkey, lambda v: min(v + claimed, _U128_MAX))


def _maybe_add_coldkey_index(coldkey: bytes) -> None:
    if not S.StakingColdkeys.contains_key(coldkey):
        n = S.NumStakingColdkeys.get()
        S.StakingColdkeysByIndex.insert(n, coldkey)
        S.StakingColdkeys.insert(coldkey, n)
        S.NumStakingColdkeys.put(min(n + 1, (1 << 64) - 1))


def do_swap_coldkey(old_coldkey: bytes, new_coldkey: bytes) -> None:
    ensure(not S.StakingHotkeys.get(new_coldkey), Error.ColdKeyAlreadyAssociated)
    ensure(not S.Owner.contains_key(new_coldkey), Error.NewColdKeyIsHotkey)

    if S.IdentitiesV2.try_get(new_coldkey) is None:
        identity = S.IdentitiesV2.take(old_coldkey)
        if identity is not None:
            S.IdentitiesV2.insert(new_coldkey, identity)

    # The new coldkey takes the stake even where some is locked; swap_coldkey_locks then gives it
    # the old coldkey's account flags.
    set_accept_locked_alpha(new_coldkey, True)

    for netuid in list(S.NetworksAdded.iter_keys()):
        if S.SubnetOwner.get(netuid) == old_coldkey:
            S.SubnetOwner.insert(netuid, new_coldkey)
        auto_hotkey = S.AutoStakeDestination.try_get(old_coldkey, netuid)
        if auto_hotkey is not None:
            S.AutoStakeDestination.remove(old_coldkey, netuid)
            S.AutoStakeDestination.insert(new_coldkey, netuid, auto_hotkey)
            S.AutoStakeDestinationColdkeys.mutate(
                auto_hotkey, netuid, lambda v: [c for c in v if c not in (old_coldkey, new_coldkey)] + [new_coldkey])
        for hotkey in S.StakingHotkeys.get(old_coldkey):
            old_alpha = S.Alpha.get(hotkey, old_coldkey, netuid)
            total = min(S.Alpha.get(hotkey, new_coldkey, netuid) + old_alpha, _U128_MAX)
            S.Alpha.insert(hotkey, new_coldkey, netuid, total)
            S.Alpha.remove(hotkey, old_coldkey, netuid)
            if total > 0:
                _transfer_root_claimed(netuid, hotkey, old_coldkey, new_coldkey)
                if netuid == ROOT:
                    _maybe_add_coldkey_index(new_coldkey)

    staking = list(S.StakingHotkeys.get(new_coldkey))  # a copy: the default is shared
    for hotkey in S.StakingHotkeys.get(old_coldkey):
        if hotkey not in staking:
            staking.append(hotkey)
    S.StakingHotkeys.remove(old_coldkey)
    S.StakingHotkeys.insert(new_coldkey, staking)

    owned = list(S.OwnedHotkeys.get(new_coldkey))
    for hotkey in S.OwnedHotkeys.get(old_coldkey):
        S.Owner.remove(hotkey)
        S.Owner.insert(hotkey, new_coldkey)
        if hotkey not in owned:
            owned.append(hotkey)
    S.OwnedHotkeys.remove(old_coldkey)
    S.OwnedHotkeys.insert(new_coldkey, owned)

    # Locks follow the stake (main's swap_coldkey_locks): else locked stake would escape its lock.
    swap_coldkey_locks(old_coldkey, new_coldkey)

    # The whole free balance follows (the old account may be reaped): withdrawn exactly, forced,
    # and deposited best-effort; the two imbalances cancel in total issuance.
    currency = pallet.config.currency
    remaining = currency.reducible_balance(old_coldkey, Preservation.EXPENDABLE, Fortitude.POLITE)
    if remaining > 0:
        try:
            credit = currency.withdraw(old_coldkey, remaining, Precision.EXACT, Preservation.EXPENDABLE,
                                       Fortitude.FORCE)
        except Exception as exc:
            raise Error.BalanceWithdrawalError() from exc
        ensure(credit.peek() != 0, Error.ZeroBalanceAfterWithdrawn)
        debt = currency.deposit(new_coldkey, remaining, Precision.BEST_EFFORT)
        credit.drop()
        debt.drop()

    set_last_tx_block(new_coldkey, current_block())
    pallet.deposit_event(Event.ColdkeySwapped(old_coldkey=old_coldkey, new_coldkey=new_coldkey))


def do_swap_coldkey_by_root(old_coldkey: bytes, new_coldkey: bytes, swap_cost: int) -> None:
    if swap_cost > 0:
        charge_swap_cost(old_coldkey, swap_cost)
    do_swap_coldkey(old_coldkey, new_coldkey)
    # Any announcement or dispute is cleared too, for safety.
    S.ColdkeySwapAnnouncements.remove(old_coldkey)
    S.ColdkeySwapDisputes.remove(old_coldkey)


def do_announce_coldkey_swap(who: bytes, new_coldkey_hash: bytes) -> None:
    now = block_number()
    announced = S.ColdkeySwapAnnouncements.try_get(who)
    if announced is not None:
        when, _ = announced
        ensure(now >= min(when + S.ColdkeySwapReannouncementDelay.get(), _U32_MAX), Error.ColdkeySwapReannouncedTooEarly)
    else:
        # Only the first announcement pays.
        charge_swap_cost(who, Constants.KeySwapCost)
    when = min(now + S.ColdkeySwapAnnouncementDelay.get(), _U32_MAX)
    S.ColdkeySwapAnnouncements.insert(who, (when, new_coldkey_hash))
    pallet.deposit_event(Event.ColdkeySwapAnnounced(who=who, new_coldkey_hash=new_coldkey_hash))


def do_swap_coldkey_announced(who: bytes, new_coldkey: bytes) -> None:
    announced = S.ColdkeySwapAnnouncements.take(who)
    ensure(announced is not None, Error.ColdkeySwapAnnouncementNotFound)
    when, new_coldkey_hash = announced
    ensure(new_coldkey_hash == blake2_256(new_coldkey), Error.AnnouncedColdkeyHashDoesNotMatch)
    ensure(block_number() >= when, Error.ColdkeySwapTooEarly)
    do_swap_coldkey(who, new_coldkey)


def do_dispute_coldkey_swap(coldkey: bytes) -> None:
    ensure(S.ColdkeySwapAnnouncements.contains_key(coldkey), Error.ColdkeySwapAnnouncementNotFound)
    ensure(not S.ColdkeySwapDisputes.contains_key(coldkey), Error.ColdkeySwapAlreadyDisputed)
    S.ColdkeySwapDisputes.insert(coldkey, block_number())
    pallet.deposit_event(Event.ColdkeySwapDisputed(coldkey=coldkey))


def do_reset_coldkey_swap(coldkey: bytes) -> None:
    S.ColdkeySwapAnnouncements.remove(coldkey)
    S.ColdkeySwapDisputes.remove(coldkey)
    pallet.deposit_event(Event.ColdkeySwapReset(who=coldkey))
