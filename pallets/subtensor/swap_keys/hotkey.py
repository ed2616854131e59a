"""Hotkey swaps (subtensor's `swap/swap_hotkey.rs`, spec 381): a coldkey moves everything one
of its hotkeys holds to a new hotkey, on every subnet (paying `KeySwapCost`) or on one subnet
(paying `KeySwapOnSubnetCost`, at most once per `HotkeySwapOnSubnetInterval` per subnet).

The cost is recycled as the real runtime does: withdrawn from the coldkey (Balances issuance
falls) and taken off SubtensorModule's `TotalIssuance`. The weight returned is the one the
Rust code accrues, read by read and write by write.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, PostDispatchInfo, Weight, ensure
from pysubtensor.pallets.support.tokens import Fortitude, Precision, Preservation

from ..constants import Constants
from ..errors import Error
from ..events import Event
from ..hierarchy.children import (
    _remove_edge,
    _set_parentkeys,
    load_child_parent_relations,
    persist_child_parent_relations,
)
from ..neurons.logic import coldkey_owns_hotkey
from ..pallet import pallet
from ..staking.lock import swap_hotkey_locks, swap_hotkey_locks_on_subnet
from ..subnets.logic import can_remove_balance_from_coldkey_account
from ..utils.admin import current_block
from ..utils.neuron_lookup import get_mechanism_storage_index

__all__ = [
    "do_swap_hotkey", "exceeds_tx_rate_limit", "get_last_tx_block", "is_hotkey_registered_on_any_network",
    "perform_hotkey_swap_on_all_subnets", "perform_hotkey_swap_on_one_subnet", "recycle_tao",
    "remove_balance_from_coldkey_account", "set_last_tx_block",
]

S = pallet.Storage
DB = ROCKS_DB_WEIGHT
_U64_MAX = (1 << 64) - 1
_U128_MAX = (1 << 128) - 1
_I128_MAX = (1 << 127) - 1


class _Weight:
    """A `Weight` accrued in place (Rust's `weight.saturating_accrue`)."""

    def __init__(self, start: Weight) -> None:
        self.total = start

    def add(self, w: Weight) -> None:
        self.total = self.total.saturating_add(w)


# -- rate limits (utils/rate_limiting.rs: `RateLimitKey::LastTxBlock*` in `LastRateLimitedBlock`)

def _last(kind: str, key: bytes) -> int:
    return S.LastRateLimitedBlock.get((kind, key))


def _set_last(kind: str, key: bytes, block: int) -> None:
    S.LastRateLimitedBlock.insert((kind, key), block)


def get_last_tx_block(key: bytes) -> int:
    return _last("LastTxBlock", key)


def set_last_tx_block(key: bytes, block: int) -> None:
    _set_last("LastTxBlock", key, block)


def exceeds_tx_rate_limit(prev_block: int, block: int) -> bool:
    """Within `TxRateLimit` (inclusive) of the previous transaction; never for a first one."""
    limit = S.TxRateLimit.get()
    if limit == 0 or prev_block == 0:
        return False
    return max(block - prev_block, 0) <= limit


# -- balances and issuance (staking/helpers.rs, utils/misc.rs)

def remove_balance_from_coldkey_account(coldkey: bytes, amount: int) -> int:
    """Withdraw up to `amount` keeping the account alive; the credit is dropped (Balances
    issuance falls by it). Returns what was withdrawn."""
    if amount == 0:
        return 0
    try:
        credit = pallet.config.currency.withdraw(coldkey, amount, Precision.BEST_EFFORT, Preservation.PRESERVE,
                                                 Fortitude.POLITE)
    except Exception as exc:  # any DispatchError of the withdrawal
        raise Error.BalanceWithdrawalError() from exc
    taken = credit.peek()
    credit.drop()
    ensure(taken != 0, Error.ZeroBalanceAfterWithdrawn)
    return taken


def recycle_tao(amount: int) -> None:
    S.TotalIssuance.put(max(S.TotalIssuance.get() - amount, 0))


# -- lookups (subnets/uids.rs)

def is_hotkey_registered_on_any_network(hotkey: bytes) -> bool:
    return any(S.IsNetworkMember.iter_prefix_values(hotkey))


def _all_netuids() -> list[int]:
    return list(S.NetworksAdded.iter_keys())


# -- the call

def do_swap_hotkey(coldkey: bytes, old_hotkey: bytes, new_hotkey: bytes, netuid: int | None) -> PostDispatchInfo:
    ensure(coldkey_owns_hotkey(coldkey, old_hotkey), Error.NonAssociatedColdKey)
    weight = _Weight(DB.reads(2))
    ensure(old_hotkey != new_hotkey, Error.NewHotKeyIsSameWithOld)
    block = current_block()
    ensure(not exceeds_tx_rate_limit(get_last_tx_block(coldkey), block), Error.HotKeySetTxRateLimitExceeded)
    weight.add(DB.reads(2))
    ensure(not is_hotkey_registered_on_any_network(new_hotkey), Error.HotKeyAlreadyRegisteredInSubNet)

    # The new hotkey inherits the old one's last-transaction blocks (the old ones stay until
    # a swap on all subnets removes them).
    for kind in ("LastTxBlock", "LastTxBlockDelegateTake", "LastTxBlockChildKeyTake"):
        _set_last(kind, new_hotkey, _last(kind, old_hotkey))
        weight.add(DB.reads_writes(1, 1))

    if netuid is not None:
        return _swap_hotkey_on_subnet(coldkey, old_hotkey, new_hotkey, netuid, weight)

    swap_cost = Constants.KeySwapCost
    ensure(can_remove_balance_from_coldkey_account(coldkey, swap_cost), Error.NotEnoughBalanceToPaySwapHotKey)
    weight.add(DB.reads_writes(3, 0))
    recycle_tao(remove_balance_from_coldkey_account(coldkey, swap_cost))
    weight.add(DB.reads_writes(0, 2))

    perform_hotkey_swap_on_all_subnets(old_hotkey, new_hotkey, coldkey, weight)

    set_last_tx_block(coldkey, block)
    weight.add(DB.writes(1))
    pallet.deposit_event(Event.HotkeySwapped(coldkey=coldkey, old_hotkey=old_hotkey, new_hotkey=new_hotkey))
    return PostDispatchInfo(weight.total)


def perform_hotkey_swap_on_all_subnets(old_hotkey: bytes, new_hotkey: bytes, coldkey: bytes, weight: _Weight) -> None:
    # Who staked on the old hotkey, read before the per-subnet moves empty it.
    old_alpha = list(S.Alpha.iter_prefix(old_hotkey))
    weight.add(DB.reads(len(old_alpha)))

    # The stake locks (subtensor main), before the owner hotkey moves: it picks the aggregates.
    weight.add(DB.reads_writes(*swap_hotkey_locks(old_hotkey, new_hotkey)))

    S.Owner.remove(old_hotkey)
    S.Owner.insert(new_hotkey, coldkey)
    weight.add(DB.reads_writes(1, 1))

    hotkeys = list(S.OwnedHotkeys.get(coldkey))  # a copy: the default is shared
    if new_hotkey not in hotkeys:
        hotkeys.append(new_hotkey)
    S.OwnedHotkeys.insert(coldkey, [h for h in hotkeys if h != old_hotkey])
    weight.add(DB.reads_writes(1, 1))

    for netuid in _all_netuids():
        perform_hotkey_swap_on_one_subnet(old_hotkey, new_hotkey, weight, netuid)

    for kind in ("LastTxBlock", "LastTxBlockDelegateTake", "LastTxBlockChildKeyTake"):
        S.LastRateLimitedBlock.remove((kind, old_hotkey))
        weight.add(DB.reads_writes(1, 2))

    if S.Delegates.contains_key(old_hotkey):
        take = S.Delegates.take(old_hotkey)
        S.Delegates.insert(new_hotkey, take)
        weight.add(DB.reads_writes(2, 2))

    for (staker, _netuid), _alpha in old_alpha:
        staking = S.StakingHotkeys.get(staker)
        weight.add(DB.reads(1))
        if old_hotkey in staking:
            staking = [h for h in staking if h not in (old_hotkey, new_hotkey)]
            staking.append(new_hotkey)
            S.StakingHotkeys.insert(staker, staking)
            weight.add(DB.writes(1))


def _swap_hotkey_on_subnet(coldkey: bytes, old_hotkey: bytes, new_hotkey: bytes, netuid: int,
                           weight: _Weight) -> PostDispatchInfo:
    block = current_block()
    interval = Constants.HotkeySwapOnSubnetInterval
    last_swap = S.LastHotkeySwapOnNetuid.get(netuid, coldkey)
    ensure(min(last_swap + interval, _U64_MAX) < block, Error.HotKeySwapOnSubnetIntervalNotPassed)
    weight.add(DB.reads_writes(3, 0))
    ensure(not S.IsNetworkMember.contains_key(new_hotkey, netuid), Error.HotKeyAlreadyRegisteredInSubNet)
    weight.add(DB.reads_writes(1, 0))

    swap_cost = Constants.KeySwapOnSubnetCost
    weight.add(DB.reads_writes(1, 0))
    ensure(can_remove_balance_from_coldkey_account(coldkey, swap_cost), Error.NotEnoughBalanceToPaySwapHotKey)
    recycled = remove_balance_from_coldkey_account(coldkey, swap_cost)
    weight.add(DB.reads_writes(1, 0))
    recycle_tao(recycled)
    weight.add(DB.reads_writes(1, 1))

    # The old hotkey keeps its owner: it may still be registered on other subnets.
    S.Owner.insert(new_hotkey, coldkey)
    weight.add(DB.reads_writes(1, 1))
    hotkeys = S.OwnedHotkeys.get(coldkey)
    if new_hotkey not in hotkeys:
        S.OwnedHotkeys.insert(coldkey, [*hotkeys, new_hotkey])
        weight.add(DB.reads_writes(1, 1))

    # The stake locks on this subnet (subtensor main).
    weight.add(DB.reads_writes(*swap_hotkey_locks_on_subnet(old_hotkey, new_hotkey, netuid)))

    perform_hotkey_swap_on_one_subnet(old_hotkey, new_hotkey, weight, netuid)

    set_last_tx_block(coldkey, block)
    S.LastHotkeySwapOnNetuid.insert(netuid, coldkey, block)
    weight.add(DB.writes(2))
    pallet.deposit_event(Event.HotkeySwappedOnSubnet(coldkey=coldkey, old_hotkey=old_hotkey, new_hotkey=new_hotkey,
                                                     netuid=netuid))
    return PostDispatchInfo(weight.total)


def _parent_child_swap_hotkey(old_hotkey: bytes, new_hotkey: bytes, netuid: int, weight: _Weight) -> None:
    """`parent_child_swap_hotkey`: the old hotkey's children and parents (and its pending
    children) become the new hotkey's, mirrored on the other side of each edge."""
    rel = load_child_parent_relations(old_hotkey, netuid)
    weight.add(DB.reads_writes(2, 0))
    for child in rel.children:
        _set_parentkeys(child, netuid, _remove_edge(S.ParentKeys.get(child, netuid), old_hotkey))
        weight.add(DB.reads_writes(1, 1))
    for parent in rel.parents:
        # Rust inserts here (an empty vector stays stored), unlike `set_childkeys`.
        S.ChildKeys.insert(parent, netuid, _remove_edge(S.ChildKeys.get(parent, netuid), old_hotkey))
        weight.add(DB.reads_writes(1, 1))
    S.ChildKeys.insert(old_hotkey, netuid, [])
    _set_parentkeys(old_hotkey, netuid, [])
    weight.add(DB.reads_writes(0, 2))

    # `rebind_pivot`: the new pivot may not be among its own children or parents.
    ensure(new_hotkey not in rel.children and new_hotkey not in rel.parents, Error.InvalidChild)
    rel.pivot = new_hotkey

    if S.PendingChildKeys.contains_key(netuid, old_hotkey):
        children, cooldown = S.PendingChildKeys.get(netuid, old_hotkey)
        rel.ensure_pending_consistency(children)
        S.PendingChildKeys.remove(netuid, old_hotkey)
        S.PendingChildKeys.insert(netuid, new_hotkey, (children, cooldown))
        weight.add(DB.reads_writes(1, 2))

    persist_child_parent_relations(rel, netuid)


def perform_hotkey_swap_on_one_subnet(old_hotkey: bytes, new_hotkey: bytes, weight: _Weight, netuid: int) -> None:
    alpha = S.TotalHotkeyAlpha.take(old_hotkey, netuid)
    S.TotalHotkeyAlpha.mutate(new_hotkey, netuid, lambda v: min(v + alpha, _U64_MAX))
    weight.add(DB.reads_writes(1, 1))
    shares = S.TotalHotkeyShares.take(old_hotkey, netuid)
    S.TotalHotkeyShares.mutate(new_hotkey, netuid, lambda v: min(v + shares, _U128_MAX))
    weight.add(DB.reads_writes(1, 1))

    is_member = S.IsNetworkMember.get(old_hotkey, netuid)
    S.IsNetworkMember.remove(old_hotkey, netuid)
    S.IsNetworkMember.insert(new_hotkey, netuid, is_member)
    weight.add(DB.reads_writes(1, 2))

    if is_member:
        uid = S.Uids.try_get(netuid, old_hotkey)
        if uid is not None:
            S.Uids.remove(netuid, old_hotkey)
            S.Uids.insert(netuid, new_hotkey, uid)
            weight.add(DB.reads_writes(1, 2))
            S.Keys.insert(netuid, uid, new_hotkey)
            weight.add(DB.reads_writes(0, 1))
        for item in (S.Prometheus, S.Axons):
            value = item.try_get(netuid, old_hotkey)
            if value is not None:
                item.remove(netuid, old_hotkey)
                item.insert(netuid, new_hotkey, value)
                weight.add(DB.reads_writes(1, 2))
        for mecid in range(S.MechanismCountCurrent.get(netuid)):
            index = get_mechanism_storage_index(netuid, mecid)
            commits = S.WeightCommits.try_get(index, old_hotkey)
            if commits is not None:
                S.WeightCommits.remove(index, old_hotkey)
                S.WeightCommits.insert(index, new_hotkey, commits)
                weight.add(DB.reads_writes(1, 2))
        loaded = S.LoadedEmission.try_get(netuid)
        if loaded is not None:
            S.LoadedEmission.insert(netuid, [(new_hotkey if h == old_hotkey else h, *rest) for h, *rest in loaded])
            weight.add(DB.reads_writes(1, 2))
        cert = S.NeuronCertificates.try_get(netuid, old_hotkey)
        if cert is not None:
            S.NeuronCertificates.remove(netuid, old_hotkey)
            S.NeuronCertificates.insert(netuid, new_hotkey, cert)
            weight.add(DB.reads_writes(1, 2))

    _parent_child_swap_hotkey(old_hotkey, new_hotkey, netuid, weight)

    # Others' pending children naming the old hotkey name the new one (moved to the end).
    for parent, (children, cooldown) in list(S.PendingChildKeys.iter_prefix(netuid)):
        weight.add(DB.reads(1))
        at = next((i for i, (_, child) in enumerate(children) if child == old_hotkey), None)
        if at is not None:
            proportion, _ = children[at]
            S.PendingChildKeys.insert(netuid, parent, ([*children[:at], *children[at + 1:], (proportion, new_hotkey)], cooldown))
            weight.add(DB.reads_writes(1, 2))

    auto_stakers = S.AutoStakeDestinationColdkeys.try_get(old_hotkey, netuid)
    if auto_stakers is not None:
        for staker in auto_stakers:
            S.AutoStakeDestination.insert(staker, netuid, new_hotkey)
        S.AutoStakeDestinationColdkeys.remove(old_hotkey, netuid)
        S.AutoStakeDestinationColdkeys.insert(new_hotkey, netuid, auto_stakers)

    owner_hotkey = S.SubnetOwnerHotkey.try_get(netuid)
    if owner_hotkey is not None:
        weight.add(DB.reads(1))
        if owner_hotkey == old_hotkey:
            S.SubnetOwnerHotkey.insert(netuid, new_hotkey)
            weight.add(DB.writes(1))

    last_epoch = S.TotalHotkeyAlphaLastEpoch.take(old_hotkey, netuid)
    S.TotalHotkeyAlphaLastEpoch.insert(new_hotkey, netuid,
                                       min(last_epoch + S.TotalHotkeyAlphaLastEpoch.get(new_hotkey, netuid), _U64_MAX))
    weight.add(DB.reads_writes(2, 2))
    dividends = S.AlphaDividendsPerSubnet.get(netuid, old_hotkey) + S.AlphaDividendsPerSubnet.get(netuid, new_hotkey)
    S.AlphaDividendsPerSubnet.remove(netuid, old_hotkey)
    S.AlphaDividendsPerSubnet.insert(netuid, new_hotkey, min(dividends, _U64_MAX))
    weight.add(DB.reads_writes(2, 2))

    power = S.VotingPower.take(netuid, old_hotkey)
    if power > 0:
        S.VotingPower.insert(netuid, new_hotkey, min(power + S.VotingPower.get(netuid, new_hotkey), _U64_MAX))
    weight.add(DB.reads_writes(2, 2))

    stakes = list(S.Alpha.iter_prefix(old_hotkey))
    weight.add(DB.reads(len(stakes)))
    weight.add(DB.writes(len(stakes)))
    _transfer_root_claimable(old_hotkey, new_hotkey)
    for (staker, stake_netuid), alpha_bits in stakes:
        if stake_netuid != netuid:
            continue
        _transfer_root_claimed(netuid, old_hotkey, new_hotkey, staker, staker)
        existing = S.Alpha.take(new_hotkey, staker, netuid)
        S.Alpha.remove(old_hotkey, staker, netuid)
        S.Alpha.insert(new_hotkey, staker, netuid, min(alpha_bits + existing, _U128_MAX))
        weight.add(DB.reads_writes(1, 2))
        staking = S.StakingHotkeys.get(staker)
        weight.add(DB.reads(1))
        if old_hotkey in staking and new_hotkey not in staking:
            S.StakingHotkeys.insert(staker, [*staking, new_hotkey])
            weight.add(DB.writes(1))


# -- root claims (staking/claim_root.rs)

def _transfer_root_claimed(netuid: int, old_hotkey: bytes, new_hotkey: bytes, old_coldkey: bytes,
                           new_coldkey: bytes) -> None:
    claimed = S.RootClaimed.take(netuid, old_hotkey, old_coldkey)
    S.RootClaimed.mutate(netuid, new_hotkey, new_coldkey, lambda v: min(v + claimed, _U128_MAX))


def _transfer_root_claimable(old_hotkey: bytes, new_hotkey: bytes) -> None:
    source = S.RootClaimable.get(old_hotkey)
    target = dict(S.RootClaimable.get(new_hotkey))
    S.RootClaimable.remove(old_hotkey)
    for netuid, rate in source.items():
        target[netuid] = min(target.get(netuid, 0) + rate, _I128_MAX)
    S.RootClaimable.insert(new_hotkey, dict(sorted(target.items())))


# -- the block hook (macros/hooks.rs)

def clean_up_hotkey_swap_records(block_number: int) -> Weight:
    """Forget per-subnet swap records older than the interval, visiting each subnet once per
    interval (the subnets whose netuid has the block's residue modulo the interval)."""
    interval = Constants.HotkeySwapOnSubnetInterval
    weight = _Weight(DB.reads(2))
    netuids = _all_netuids()
    weight.add(DB.reads(len(netuids)))
    if interval == 0:
        return weight.total
    slot = block_number % interval
    for netuid in netuids:
        if netuid % interval != slot:
            continue
        for coldkey, swapped_at in list(S.LastHotkeySwapOnNetuid.iter_prefix(netuid)):
            if min(swapped_at + interval, _U64_MAX) < block_number:
                S.LastHotkeySwapOnNetuid.remove(netuid, coldkey)
                weight.add(DB.writes(1))
            weight.add(DB.reads(1))
    return weight.total
