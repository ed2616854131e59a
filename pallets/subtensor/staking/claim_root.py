"""`claim_root`, `set_root_claim_type` (Rust `staking/claim_root.rs`, spec 381): a coldkey's
root stake earns a share of each subnet's dividends (`RootClaimable`, a rate per unit of root
stake, credited by the emission); claiming takes what is owed beyond `RootClaimed`, as TAO
staked on root or as alpha kept on the subnet, as the coldkey's `RootClaimType` says."""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.support.dispatch import (
    ROCKS_DB_WEIGHT,
    DispatchError,
    Origin,
    PostDispatchInfo,
    Weight,
    ensure,
    ensure_signed,
)
from pysubtensor.primitives.fixed import I96F32

from ..coinbase.storage import SubnetAlphaOut, SubnetTAO
from ..errors import Error
from ..events import Event
from ..pallet import pallet
from ..subnets.logic import subnet_account_id
from . import accounting
from .stake_utils import (
    ROOT,
    add_stake_adjust_root_claimed_for_hotkey_and_coldkey,
    maybe_add_coldkey_index,
    swap,
    swap_alpha_for_tao,
    transfer_tao,
)
from .storage import (
    NumRootClaim,
    NumStakingColdkeys,
    Owner,
    RootClaimable,
    RootClaimableThreshold,
    RootClaimed,
    RootClaimType,
    StakingColdkeysByIndex,
    StakingHotkeys,
    TotalHotkeyAlpha,
)

_U64_MAX = (1 << 64) - 1

__all__ = [
    "MAX_SUBNET_CLAIMS", "block_hash_to_indices", "do_claim_root", "do_root_claim", "do_set_root_claim_type",
    "increase_root_claimable_for_hotkey_and_subnet", "root_claim_on_subnet", "run_auto_claim_root_divs",
]


def do_set_root_claim_type(origin: Origin, new_root_claim_type: Any) -> None:
    coldkey = ensure_signed(origin)
    if isinstance(new_root_claim_type, tuple) and new_root_claim_type[0] == "KeepSubnets":
        ensure(bool(new_root_claim_type[1]["subnets"]), Error.InvalidSubnetNumber)
    maybe_add_coldkey_index(coldkey)
    RootClaimType.insert(coldkey, new_root_claim_type)
    pallet.deposit_event(Event.RootClaimTypeSet(coldkey, new_root_claim_type))


#: `MAX_SUBNET_CLAIMS`: how many subnets one `claim_root` may name.
MAX_SUBNET_CLAIMS = 5


def get_root_owed_for_hotkey_coldkey_float(hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    """What the coldkey's root stake through `hotkey` is owed on `netuid` (I96F32 bits): the
    hotkey's claimable rate times that stake, less what was already claimed."""
    root_stake = I96F32.saturating_from_num(accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey,
                                                                                               ROOT))
    rate = RootClaimable.get(hotkey).get(netuid, 0)
    claimable = I96F32.saturating_mul(rate, root_stake)
    return I96F32.saturating_sub(claimable, I96F32.saturating_from_num(RootClaimed.get(netuid, hotkey, coldkey)))


def root_claim_on_subnet(hotkey: bytes, coldkey: bytes, netuid: int, root_claim_type: Any,
                         ignore_minimum_condition: bool) -> None:
    """Pay what is owed: sold for TAO and staked on root (`Swap`, or a subnet not kept), or kept
    as alpha on the subnet; a claim below `RootClaimableThreshold` waits."""
    owed = get_root_owed_for_hotkey_coldkey_float(hotkey, coldkey, netuid)
    if not ignore_minimum_condition and owed < RootClaimableThreshold.get(netuid):
        return
    owed_u64 = 0 if owed < 0 else I96F32.saturating_to_num(owed)
    if owed_u64 == 0:
        return
    kind = root_claim_type[0] if isinstance(root_claim_type, tuple) else root_claim_type
    swap_it = kind == "Swap" or (kind == "KeepSubnets" and netuid not in root_claim_type[1]["subnets"])
    if swap_it:
        try:
            result = swap_alpha_for_tao(netuid, owed_u64, swap().min_price(), True)
        except DispatchError:
            return
        # The TAO leaves the subnet's pool for root's (its account follows the reserves), and
        # root's pool, outstanding stake and `TotalStake` count it, as on main (spec 381 moved
        # no balance and left them out).
        paid = result.amount_paid_out
        transfer_tao(subnet_account_id(netuid), subnet_account_id(ROOT), paid)
        accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, ROOT, paid)
        SubnetTAO.mutate(ROOT, lambda total: min(total + paid, _U64_MAX))
        SubnetAlphaOut.mutate(ROOT, lambda total: min(total + paid, _U64_MAX))
        accounting.increase_total_stake(paid)
        add_stake_adjust_root_claimed_for_hotkey_and_coldkey(hotkey, coldkey, result.amount_paid_out)
    else:
        accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid, owed_u64)
    RootClaimed.mutate(netuid, hotkey, coldkey, lambda claimed: min(claimed + owed_u64, (1 << 128) - 1))


def _root_claim_on_subnet_weight() -> Weight:
    return Weight(60_000_000, 6987) + ROCKS_DB_WEIGHT.reads_writes(7, 5)


def do_root_claim(coldkey: bytes, subnets: frozenset[int] | None) -> Weight:
    weight = ROCKS_DB_WEIGHT.reads(1)
    for hotkey in StakingHotkeys.get(coldkey):
        weight = weight + ROCKS_DB_WEIGHT.reads(1)
        root_claim_type = RootClaimType.get(coldkey)
        weight = weight + ROCKS_DB_WEIGHT.reads(2)
        for netuid in sorted(RootClaimable.get(hotkey)):
            if subnets is not None and netuid not in subnets:
                continue
            root_claim_on_subnet(hotkey, coldkey, netuid, root_claim_type, False)
            weight = weight + _root_claim_on_subnet_weight()
    pallet.deposit_event(Event.RootClaimed(coldkey))
    return weight


def do_claim_root(origin: Origin, subnets: frozenset[int]) -> PostDispatchInfo:
    coldkey = ensure_signed(origin)
    ensure(0 < len(subnets) <= MAX_SUBNET_CLAIMS, Error.InvalidSubnetNumber)
    maybe_add_coldkey_index(coldkey)
    return PostDispatchInfo(actual_weight=do_root_claim(coldkey, frozenset(subnets)))


# -- what the coinbase accrues (distribute_emission) and the automatic claim (block_step 8) -------

def increase_root_claimable_for_hotkey_and_subnet(hotkey: bytes, netuid: int, amount: int) -> None:
    """Root stakers of `hotkey` become owed `amount` alpha of `netuid`: its `RootClaimable` rate
    grows by `amount / root stake` (I96F32). More than the root stake (only in odd states) is
    staked to the hotkey's owner instead."""
    total = I96F32.saturating_from_num(TotalHotkeyAlpha.get(hotkey, ROOT))
    increment = I96F32.checked_div(I96F32.saturating_from_num(amount), total)
    if amount > I96F32.saturating_to_num(total):
        accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, Owner.get(hotkey), netuid, amount)
        return
    increment = 0 if increment is None else increment

    def add(claimable: dict[int, int]) -> dict[int, int]:
        claimable = dict(claimable)
        claimable[netuid] = I96F32.saturating_add(claimable.get(netuid, 0), increment)
        return claimable

    RootClaimable.mutate(hotkey, add)


def block_hash_to_indices(block_hash: bytes, k: int, n: int) -> list[int]:
    """Up to `k` distinct indices below `n` from the block hash: a walk starting at its first 8
    bytes (big-endian u64), each step adding the next 8 (cycling over 32 bytes), modulo `n`."""
    u64_max = (1 << 64) - 1

    def word(i: int) -> int:
        chunk = block_hash[i:i + 8]
        return int.from_bytes(chunk, "big") if len(chunk) == 8 else 0

    indices: set[int] = set()
    last = word(0)
    for i in range(k):
        step = word((i * 8) % 32)
        idx = min(last + step, u64_max) % n if n else 0
        indices.add(idx)
        last = idx
    return sorted(indices)


def run_auto_claim_root_divs(last_block_hash: bytes) -> Weight:
    """Claim for `NumRootClaim` staking coldkeys picked by the parent block's hash."""
    weight = ROCKS_DB_WEIGHT.reads(2)
    k, n = NumRootClaim.get(), NumStakingColdkeys.get()
    weight = weight + Weight(3_000_000, 1517) + Weight(100_412 * k, 0)
    for i in block_hash_to_indices(last_block_hash, k, n):
        weight = weight + ROCKS_DB_WEIGHT.reads(1)
        coldkey = StakingColdkeysByIndex.try_get(i)
        if coldkey is not None:
            weight = weight + do_root_claim(coldkey, None)
    return weight
