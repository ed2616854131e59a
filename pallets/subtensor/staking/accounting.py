"""Stake accounting (Rust `staking/stake_utils.rs`, `staking/helpers.rs`, spec 381): a
hotkey's alpha on a subnet is one share pool (`primitives.share_pool.SharePool`) whose value
is `TotalHotkeyAlpha[hotkey][netuid]`, whose denominator is `TotalHotkeyShares[hotkey][netuid]`
and whose holders are the coldkeys, `Alpha[(hotkey, coldkey, netuid)]` (U64F64 shares).

Emission credited to a hotkey (`increase_stake_for_hotkey_on_subnet`) raises every staker's
value pro rata; staking and unstaking buy and sell shares at the pool's current value per
share. This module is the one home of that arithmetic: readers of a coldkey's stake call
`get_stake_for_hotkey_and_coldkey_on_subnet` / `share_value` here.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import DispatchError, RuntimePanic
from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.share_pool import SharePool, as_i64, neg_i64

from ..coinbase.storage import SubnetAlphaOut
from ..errors import Error
from ..pallet import pallet
from ..subnets.storage import NetworksAdded
from .storage import Alpha, StakingHotkeys, TotalHotkeyAlpha, TotalHotkeyShares, TotalStake

__all__ = [
    "HotkeyAlphaSharePoolDataOperations", "burn_subnet_alpha", "calculate_reduced_stake_on_subnet",
    "decrease_stake_for_hotkey_and_coldkey_on_subnet", "decrease_stake_for_hotkey_on_subnet",
    "decrease_total_stake", "get_alpha_share_pool", "get_stake_for_hotkey_and_coldkey_on_subnet",
    "get_stake_for_hotkey_on_subnet", "get_total_stake", "get_total_stake_for_coldkey",
    "get_total_stake_for_coldkey_on_subnet", "get_total_stake_for_hotkey", "increase_stake_for_hotkey_and_coldkey_on_subnet",
    "increase_stake_for_hotkey_on_subnet", "increase_total_stake", "recycle_subnet_alpha", "share_value",
    "try_increase_stake_for_hotkey_and_coldkey_on_subnet",
]

_U64_MAX = (1 << 64) - 1


class HotkeyAlphaSharePoolDataOperations:
    """The pool of one (hotkey, netuid) over storage; zero values are removed, not stored."""

    __slots__ = ("hotkey", "netuid")

    def __init__(self, hotkey: bytes, netuid: int) -> None:
        self.hotkey = hotkey
        self.netuid = netuid

    def get_shared_value(self) -> int:
        return U64F64.saturating_from_num(TotalHotkeyAlpha.get(self.hotkey, self.netuid))

    def get_share(self, coldkey: bytes) -> int:
        return Alpha.get(self.hotkey, coldkey, self.netuid)

    def try_get_share(self, coldkey: bytes) -> int | None:
        return Alpha.try_get(self.hotkey, coldkey, self.netuid)

    def get_denominator(self) -> int:
        return TotalHotkeyShares.get(self.hotkey, self.netuid)

    def set_shared_value(self, value: int) -> None:
        if value:
            TotalHotkeyAlpha.insert(self.hotkey, self.netuid, U64F64.saturating_to_num(value))
        else:
            TotalHotkeyAlpha.remove(self.hotkey, self.netuid)

    def set_share(self, coldkey: bytes, share: int) -> None:
        if share:
            Alpha.insert(self.hotkey, coldkey, self.netuid, share)
        else:
            Alpha.remove(self.hotkey, coldkey, self.netuid)

    def set_denominator(self, value: int) -> None:
        if value:
            TotalHotkeyShares.insert(self.hotkey, self.netuid, value)
        else:
            TotalHotkeyShares.remove(self.hotkey, self.netuid)


def get_alpha_share_pool(hotkey: bytes, netuid: int) -> SharePool:
    return SharePool(HotkeyAlphaSharePoolDataOperations(hotkey, netuid))


def share_value(hotkey: bytes, netuid: int, share: int) -> int:
    """`get_value_from_shares`: what `share` (U64F64 bits) of the hotkey's pool is worth (u64)."""
    return get_alpha_share_pool(hotkey, netuid).get_value_from_shares(share)


# -- per hotkey / coldkey on a subnet ------------------------------------------------------

def get_stake_for_hotkey_and_coldkey_on_subnet(hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    """The coldkey's alpha through the hotkey on `netuid` (0 without a share entry)."""
    value = get_alpha_share_pool(hotkey, netuid).try_get_value(coldkey)
    return 0 if value is None else value


def get_stake_for_hotkey_on_subnet(hotkey: bytes, netuid: int) -> int:
    return TotalHotkeyAlpha.get(hotkey, netuid)


def calculate_reduced_stake_on_subnet(hotkey: bytes, coldkey: bytes, netuid: int, decrement: int,
                                      current: int | None = None) -> int:
    """The stake left after taking `decrement`; `NotEnoughStakeToWithdraw` if it is short.
    `current`: the stake, if the caller has just read it."""
    if current is None:
        current = get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
    if current < decrement:
        raise Error.NotEnoughStakeToWithdraw()
    return current - decrement


def increase_stake_for_hotkey_on_subnet(hotkey: bytes, netuid: int, amount: int) -> None:
    """Credit the hotkey's whole pool (emission): every staker gains pro rata."""
    get_alpha_share_pool(hotkey, netuid).update_value_for_all(as_i64(amount))


def decrease_stake_for_hotkey_on_subnet(hotkey: bytes, netuid: int, amount: int) -> None:
    get_alpha_share_pool(hotkey, netuid).update_value_for_all(neg_i64(as_i64(amount)))


def increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey: bytes, coldkey: bytes, netuid: int, amount: int) -> int:
    """Buy shares worth `amount` for the coldkey; returns the alpha actually added (0 when the
    pool's dust rule cleared the entry instead). A non-zero amount lists the hotkey in the
    coldkey's `StakingHotkeys`."""
    if amount:
        # Rust pushes onto the vector and writes it back: the same bytes as appending one
        # item (the length prefix rewritten), without copying or re-encoding the list.
        if hotkey not in StakingHotkeys.peek(coldkey):
            StakingHotkeys.append(coldkey, hotkey)
    actual = get_alpha_share_pool(hotkey, netuid).update_value_for_one(coldkey, as_i64(amount))
    return max(actual, 0)


def try_increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey: bytes, netuid: int, amount: int) -> bool:
    """Whether buying `amount` would give a non-zero number of shares."""
    return get_alpha_share_pool(hotkey, netuid).sim_update_value_for_one(as_i64(amount))


def decrease_stake_for_hotkey_and_coldkey_on_subnet(hotkey: bytes, coldkey: bytes, netuid: int, amount: int) -> int:
    """Sell shares worth `amount`; returns the alpha actually removed (0 if the coldkey holds
    less than `amount` or no entry; the whole stake when the dust rule applies)."""
    pool = get_alpha_share_pool(hotkey, netuid)
    actual = 0
    value = pool.try_get_value(coldkey)
    if value is not None and value >= amount:
        actual = pool.update_value_for_one(coldkey, neg_i64(as_i64(amount)))
    return max(neg_i64(actual), 0)


# -- totals ----------------------------------------------------------------------------------

def get_total_stake() -> int:
    return TotalStake.get()


def increase_total_stake(increment: int) -> None:
    TotalStake.put(min(TotalStake.get() + increment, _U64_MAX))


def decrease_total_stake(decrement: int) -> None:
    TotalStake.put(max(TotalStake.get() - decrement, 0))


def recycle_subnet_alpha(netuid: int, amount: int) -> None:
    """`recycle_subnet_alpha`: alpha leaves the outstanding supply (`SubnetAlphaOut`)."""
    SubnetAlphaOut.insert(netuid, max(SubnetAlphaOut.get(netuid) - amount, 0))


def burn_subnet_alpha(netuid: int, amount: int) -> None:
    """`burn_subnet_alpha`: a no-op in this runtime (the Rust body is empty)."""


def _swap():
    swap = pallet.config.swap
    if swap is None:
        raise RuntimePanic("SubtensorModule: no SwapInterface bound to price alpha")
    return swap


def get_total_stake_for_hotkey(hotkey: bytes) -> int:
    """The hotkey's alpha on every subnet (`get_all_subnet_netuids`) valued at the subnet's
    price: U64F64 products saturate, their sum wraps like Rust's `Sum` in release, the total
    saturates to u64. A subnet where it holds no alpha adds nothing, so its pool is not asked."""
    total = 0
    for netuid, _ in NetworksAdded.iter():
        alpha = TotalHotkeyAlpha.get(hotkey, netuid)
        if alpha == 0:
            continue
        price = _swap().current_alpha_price(netuid)
        total = U64F64.wrapping_add(total, U64F64.saturating_mul(U64F64.saturating_from_num(alpha), price))
    return U64F64.saturating_to_num(total)


def _tao_value(netuid: int, alpha: int) -> int:
    """What selling `alpha` would pay out (a simulated swap) plus its fee valued at the
    current price; 0 when the simulation fails (Rust `unwrap_or_default`)."""
    swap = _swap()
    try:
        result = swap.sim_swap_alpha_for_tao(netuid, alpha)
    except DispatchError:
        return 0
    fee = U64F64.saturating_to_num(U64F64.saturating_mul(U64F64.saturating_from_num(result.fee_paid),
                                                         swap.current_alpha_price(netuid)))
    return min(result.amount_paid_out + fee, _U64_MAX)


def get_total_stake_for_coldkey(coldkey: bytes) -> int:
    """Every stake of the coldkey (through its `StakingHotkeys`), each valued in TAO by a
    simulated sale (`_tao_value`); u64 sums wrap in release like Rust's `Sum`."""
    total = 0
    for hotkey in StakingHotkeys.get(coldkey):
        for netuid, _ in Alpha.iter_prefix(hotkey, coldkey):
            alpha = get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
            total = (total + _tao_value(netuid, alpha)) & _U64_MAX
    return total


def get_total_stake_for_coldkey_on_subnet(coldkey: bytes, netuid: int) -> int:
    total = 0
    for hotkey in StakingHotkeys.get(coldkey):
        for stored_netuid, _ in Alpha.iter_prefix(hotkey, coldkey):
            if stored_netuid == netuid:
                alpha = get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
                total = (total + _tao_value(netuid, alpha)) & _U64_MAX
    return total
