"""Neuron registration: UIDs, the burn and its per-block rule, registration limits, the neuron
to prune when a subnet is full, and root registration (Rust `subnets/registration.rs`,
`subnets/uids.rs`, `coinbase/block_step.rs`, `coinbase/root.rs`, `utils/misc.rs`).

The burn follows subtensor main (newer than spec 381, whose storage this runtime otherwise
keeps): each block it decays by a factor `f` with `f ^ BurnHalfLife = 1/2` (Q32 fixed point),
each registration multiplies it by `BurnIncreaseMult` at once, and both stay within
[`MinBurn`, `MaxBurn`]. Spec 381's per-interval adjustment towards
`TargetRegistrationsPerInterval` and its per-block / per-interval limits on subnet
registrations are gone as on main; the root network keeps its limits, its interval counter
reset at root's epoch block. `register_limit` refuses a burn above the caller's limit.
TAO moves as on main: the burn is a Balances transfer into the subnet account, swapped for
alpha in the subnet's pool, and the alpha is burned.
"""

from __future__ import annotations

import functools

from pysubtensor.pallets.support.dispatch import Origin, ensure, ensure_signed
from pysubtensor.pallets.system.block import block_number
from pysubtensor.primitives.fixed import U64F64

from ..errors import Error
from ..events import Event
from ..pallet import pallet

__all__ = [
    "append_neuron", "bump_registration_price_after_registration", "create_account_if_non_existent",
    "decay_factor_q32", "do_register", "do_register_limit", "do_root_register", "get_neuron_to_prune",
    "mul_by_q32", "pow_q32", "register_neuron", "replace_neuron", "update_registration_prices_for_networks",
]

S = pallet.Storage
ROOT = 0
#: `GLOBAL_MAX_SUBNET_COUNT`: a mechanism's storage index is `mecid * 4096 + netuid`.
GLOBAL_MAX_SUBNET_COUNT = 4096
_U16_MAX = 0xFFFF
_U64_MAX = (1 << 64) - 1
#: 1.0 and 0.5 in Q32.
_Q32_ONE = 1 << 32
_Q32_HALF = 1 << 31


def _inc16(n: int) -> int:
    return min(n + 1, _U16_MAX)


def create_account_if_non_existent(coldkey: bytes, hotkey: bytes) -> None:
    """A hotkey seen for the first time is owned by `coldkey` (`Owner`, `OwnedHotkeys`,
    `StakingHotkeys`)."""
    if S.Owner.contains_key(hotkey):
        return
    S.Owner.insert(hotkey, coldkey)
    owned = S.OwnedHotkeys.get(coldkey)
    if hotkey not in owned:
        S.OwnedHotkeys.insert(coldkey, [*owned, hotkey])
    staking = S.StakingHotkeys.get(coldkey)
    if hotkey not in staking:
        S.StakingHotkeys.insert(coldkey, [*staking, hotkey])


def coldkey_owns_hotkey(coldkey: bytes, hotkey: bytes) -> bool:
    return S.Owner.contains_key(hotkey) and S.Owner.get(hotkey) == coldkey


def mechanism_storage_index(netuid: int, mecid: int) -> int:
    return min(mecid * GLOBAL_MAX_SUBNET_COUNT + netuid, _U16_MAX)


def _set_at(values: list, index: int, value: object) -> list:
    """`set_element_at`: replace an existing element (an index past the end changes nothing)."""
    if index < len(values):
        values = list(values)
        values[index] = value
    return values


def get_last_update(index: int) -> list[int]:
    """`LastUpdate` of a mechanism storage index, padded with zeros to the subnet's size."""
    values = S.LastUpdate.get(index)
    size = S.SubnetworkN.get(index % GLOBAL_MAX_SUBNET_COUNT)
    return values + [0] * (size - len(values)) if len(values) < size else values


def set_last_update_for_uid(index: int, uid: int, block: int) -> None:
    values = get_last_update(index)
    if uid < len(values):
        S.LastUpdate.insert(index, _set_at(values, uid, block))


def append_neuron(netuid: int, hotkey: bytes, block: int) -> None:
    """Add `hotkey` as the next uid, growing every per-uid vector."""
    uid = S.SubnetworkN.get(netuid)
    S.SubnetworkN.insert(netuid, _inc16(uid))
    S.Active.mutate(netuid, lambda v: [*v, True])
    S.Emission.mutate(netuid, lambda v: [*v, 0])
    S.Consensus.mutate(netuid, lambda v: [*v, 0])
    for mecid in range(S.MechanismCountCurrent.get(netuid)):
        index = mechanism_storage_index(netuid, mecid)
        S.Incentive.mutate(index, lambda v: [*v, 0])
        set_last_update_for_uid(index, uid, block)
    S.Dividends.mutate(netuid, lambda v: [*v, 0])
    S.ValidatorTrust.mutate(netuid, lambda v: [*v, 0])
    S.ValidatorPermit.mutate(netuid, lambda v: [*v, False])
    S.Keys.insert(netuid, uid, hotkey)
    S.Uids.insert(netuid, hotkey, uid)
    S.BlockAtRegistration.insert(netuid, uid, block)
    S.IsNetworkMember.insert(hotkey, netuid, True)


def clear_neuron(netuid: int, uid: int) -> None:
    """Zero a replaced uid's values, bonds and weights (its own and those set for it)."""
    S.Emission.mutate(netuid, lambda v: _set_at(v, uid, 0))
    S.Consensus.mutate(netuid, lambda v: _set_at(v, uid, 0))
    for mecid in range(S.MechanismCountCurrent.get(netuid)):
        index = mechanism_storage_index(netuid, mecid)
        S.Incentive.mutate(index, lambda v: _set_at(v, uid, 0))
        S.Bonds.remove(index, uid)
        S.Weights.remove(index, uid)
        for other in list(S.Weights.iter_key_prefix(index)):
            S.Weights.mutate(index, other, lambda ws: [(u, 0 if u == uid else w) for u, w in ws])
    S.Dividends.mutate(netuid, lambda v: _set_at(v, uid, 0))
    S.StakeWeight.mutate(netuid, lambda v: _set_at(v, uid, 0))


def replace_neuron(netuid: int, uid: int, hotkey: bytes, block: int) -> None:
    """Put `hotkey` in `uid`'s place (never the subnet owner's hotkey)."""
    old = S.Keys.get(netuid, uid)
    owner_hotkey = S.SubnetOwnerHotkey.try_get(netuid)
    if owner_hotkey is not None and owner_hotkey == old:
        return
    S.Uids.remove(netuid, old)
    S.AssociatedEvmAddress.remove(netuid, uid)
    S.IsNetworkMember.remove(old, netuid)
    S.Keys.remove(netuid, uid)
    S.Active.mutate(netuid, lambda v: _set_at(v, uid, True))
    S.Keys.insert(netuid, uid, hotkey)
    S.Uids.insert(netuid, hotkey, uid)
    S.BlockAtRegistration.insert(netuid, uid, block)
    S.IsNetworkMember.insert(hotkey, netuid, True)
    S.Axons.remove(netuid, old)
    S.NeuronCertificates.remove(netuid, old)
    S.Prometheus.remove(netuid, old)
    clear_neuron(netuid, uid)


def neuron_is_immune(netuid: int, uid: int) -> bool:
    return max(block_number() - S.BlockAtRegistration.get(netuid, uid), 0) < S.ImmunityPeriod.get(netuid)


def _immune_owner_hotkeys(netuid: int) -> list[bytes]:
    """The owner's hotkeys kept from pruning: its registered hotkeys by registration block
    (then uid), the first `ImmuneOwnerUidsLimit`, with the subnet owner hotkey first."""
    owner = S.SubnetOwner.get(netuid)
    triples = []
    for hotkey in S.OwnedHotkeys.get(owner):
        uid = S.Uids.get(netuid, hotkey)
        if uid is not None:
            triples.append((S.BlockAtRegistration.get(netuid, uid), uid, hotkey))
    triples.sort(key=lambda t: (t[0], t[1]))
    limit = S.ImmuneOwnerUidsLimit.get(netuid)
    immune = [(uid, hk) for _, uid, hk in triples[:limit]]
    owner_hotkey = S.SubnetOwnerHotkey.try_get(netuid)
    if owner_hotkey is not None:
        owner_uid = S.Uids.get(netuid, owner_hotkey)
        if owner_uid is not None and (owner_uid, owner_hotkey) not in immune:
            immune = [(owner_uid, owner_hotkey), *immune][:limit]
    return [hk for _, hk in immune]


def immune_owner_uids(netuid: int) -> list[int]:
    """`get_immune_owner_uids(netuid, SubnetOwner)`: the uids of `_immune_owner_hotkeys`."""
    return [S.Uids.get(netuid, hotkey) for hotkey in _immune_owner_hotkeys(netuid)]


def get_neuron_to_prune(netuid: int) -> int | None:
    """The uid to replace when the subnet is full: lowest emission, then earliest registered,
    then lowest uid; among non-immune uids while more than `MinNonImmuneUids` of them remain,
    else among immune ones. The owner's immune hotkeys are never pruned."""
    n = S.SubnetworkN.get(netuid)
    if n == 0:
        return None
    immortal = _immune_owner_hotkeys(netuid)
    emissions = S.Emission.get(netuid)
    free_count = 0
    best_free = best_immune = None
    for uid in range(n):
        hotkey = S.Keys.try_get(netuid, uid)
        if hotkey is None or hotkey in immortal:
            continue
        key = (emissions[uid] if uid < len(emissions) else 0, S.BlockAtRegistration.get(netuid, uid), uid)
        if neuron_is_immune(netuid, uid):
            best_immune = key if best_immune is None else min(best_immune, key)
        else:
            free_count = _inc16(free_count)
            best_free = key if best_free is None else min(best_free, key)
    if best_free is None and best_immune is None:
        return None
    if free_count > S.MinNonImmuneUids.get(netuid) and best_free is not None:
        return best_free[2]
    return best_immune[2] if best_immune is not None else None


def register_neuron(netuid: int, hotkey: bytes) -> int:
    """Append `hotkey`, or replace the uid to prune when the subnet is full; its uid."""
    block = block_number()
    n = S.SubnetworkN.get(netuid)
    if n < S.MaxAllowedUids.get(netuid):
        append_neuron(netuid, hotkey, block)
        return n
    uid = get_neuron_to_prune(netuid)
    if uid is None:
        raise Error.NoNeuronIdAvailable()
    replace_neuron(netuid, uid, hotkey, block)
    return uid


def do_register(origin: Origin, netuid: int, hotkey: bytes) -> None:
    """`do_register` (`burned_register`, and `register` with its work ignored): register `hotkey`
    on `netuid` for the signing coldkey, paying the subnet's burn, which then rises at once."""
    from ..staking.stake_utils import _record_tao_flow, swap_tao_for_alpha
    from ..subnets.logic import can_remove_balance_from_coldkey_account, transfer_tao_to_subnet

    coldkey = ensure_signed(origin)
    ensure(netuid != ROOT, Error.RegistrationNotPermittedOnRootSubnet)
    ensure(S.NetworksAdded.get(netuid), Error.SubnetNotExists)
    ensure(S.NetworkRegistrationAllowed.get(netuid), Error.SubNetRegistrationDisabled)
    ensure(not S.Uids.contains_key(netuid, hotkey), Error.HotKeyAlreadyRegisteredInSubNet)
    # Already decayed in this block's `on_initialize`; registrations earlier in the block bumped it.
    cost = S.Burn.get(netuid)
    ensure(can_remove_balance_from_coldkey_account(coldkey, cost), Error.NotEnoughBalanceToStake)
    create_account_if_non_existent(coldkey, hotkey)
    ensure(coldkey_owns_hotkey(coldkey, hotkey), Error.NonAssociatedColdKey)
    max_n = S.MaxAllowedUids.get(netuid)
    ensure(max_n != 0, Error.NoNeuronIdAvailable)
    if S.SubnetworkN.get(netuid) >= max_n:
        ensure(get_neuron_to_prune(netuid) is not None, Error.NoNeuronIdAvailable)

    # The burn moves into the subnet account, buys alpha in the pool, and that alpha is burned.
    paid = transfer_tao_to_subnet(netuid, coldkey, cost)
    max_price = pallet.config.swap.max_price() if pallet.config.swap is not None else 0
    burned_alpha = swap_tao_for_alpha(netuid, paid, max_price, False).amount_paid_out
    S.SubnetAlphaOut.mutate(netuid, lambda a: max(a - burned_alpha, 0))

    uid = register_neuron(netuid, hotkey)
    bump_registration_price_after_registration(netuid)
    S.RegistrationsThisBlock.mutate(netuid, _inc16)
    S.RAORecycledForRegistration.mutate(netuid, lambda r: min(r + cost, _U64_MAX))
    _record_tao_flow(netuid, paid)
    pallet.deposit_event(Event.NeuronRegistered(netuid, uid, hotkey))


def do_register_limit(origin: Origin, netuid: int, hotkey: bytes, limit_price: int) -> None:
    """`register_limit`: `do_register` only while the burn is at most `limit_price` (rao)."""
    ensure_signed(origin)
    ensure(netuid != ROOT, Error.RegistrationNotPermittedOnRootSubnet)
    ensure(S.NetworksAdded.get(netuid), Error.SubnetNotExists)
    ensure(S.Burn.get(netuid) <= limit_price, Error.RegistrationPriceLimitExceeded)
    do_register(origin, netuid, hotkey)


def do_root_register(origin: Origin, hotkey: bytes) -> None:
    """Register `hotkey` on the root network (replacing the lowest-stake member when full)."""
    now = block_number()
    ensure(S.NetworksAdded.get(ROOT), Error.RootNetworkDoesNotExist)
    coldkey = ensure_signed(origin)
    ensure(S.RegistrationsThisBlock.get(ROOT) < S.MaxRegistrationsPerBlock.get(ROOT),
           Error.TooManyRegistrationsThisBlock)
    ensure(S.RegistrationsThisInterval.get(ROOT) < min(S.TargetRegistrationsPerInterval.get(ROOT) * 3, _U16_MAX),
           Error.TooManyRegistrationsThisInterval)
    ensure(not S.Uids.contains_key(ROOT, hotkey), Error.HotKeyAlreadyRegisteredInSubNet)
    create_account_if_non_existent(coldkey, hotkey)

    n = S.SubnetworkN.get(ROOT)
    if n < S.MaxAllowedUids.get(ROOT):
        uid = n
        append_neuron(ROOT, hotkey, now)
    else:
        lowest_stake, uid = _U64_MAX, 0
        for uid_i, hotkey_i in S.Keys.iter_prefix(ROOT):
            stake = S.TotalHotkeyAlpha.get(hotkey_i, ROOT)
            if stake < lowest_stake:
                lowest_stake, uid = stake, uid_i
        if not S.Keys.contains_key(ROOT, uid):
            raise Error.HotKeyNotRegisteredInSubNet()
        ensure(lowest_stake < S.TotalHotkeyAlpha.get(hotkey, ROOT), Error.StakeTooLowForRoot)
        replace_neuron(ROOT, uid, hotkey, now)

    if not S.Delegates.contains_key(hotkey):
        S.Delegates.insert(hotkey, 11_796)  # members of root are delegates (18% take)
    S.RegistrationsThisInterval.mutate(ROOT, _inc16)
    S.RegistrationsThisBlock.mutate(ROOT, _inc16)
    pallet.deposit_event(Event.NeuronRegistered(ROOT, uid, hotkey))


# ---------------------------------------------------------------------------
# The burn's per-block decay and per-registration rise (main's `update_registration_prices_for_networks`,
# `bump_registration_price_after_registration`; Q32 helpers of utils/misc.rs)


def mul_by_q32(value: int, factor_q32: int) -> int:
    """`value * factor` with `factor` in Q32 (1.0 = 2^32), floored, clamped to u64."""
    return min((value * factor_q32) >> 32, _U64_MAX)


def pow_q32(base_q32: int, exp: int) -> int:
    """`base ^ exp` in Q32 by squaring, each product through `mul_by_q32`."""
    result, factor, power = _Q32_ONE, base_q32, exp
    while power > 0:
        if power & 1:
            result = mul_by_q32(result, factor)
        power >>= 1
        if power > 0:
            factor = mul_by_q32(factor, factor)
    return result


def decay_factor_q32(half_life: int) -> int:
    """The per-block factor `f` in Q32: the largest `f` with `pow_q32(f, half_life) <= 1/2`
    (binary search over [0, 1)); 1.0 for a half-life of 0."""
    if half_life == 0:
        return _Q32_ONE
    lo, hi = 0, _Q32_ONE
    while lo + 1 < hi:
        mid = lo + ((hi - lo) >> 1)
        if pow_q32(mid, half_life) > _Q32_HALF:
            hi = mid
        else:
            lo = mid
    return lo


def _clamp_burn(netuid: int, burn: int) -> int:
    """Within [`MinBurn`, `MaxBurn`] (the minimum applied first, as Rust does)."""
    burn = max(burn, S.MinBurn.get(netuid))
    return min(burn, S.MaxBurn.get(netuid))


def update_registration_prices_for_networks() -> None:
    """block_step's first step, each block, for every subnet (root too): decay the burn by one
    block's factor (from block 2 on) within its bounds, and reset `RegistrationsThisBlock`;
    root's `RegistrationsThisInterval` is reset at root's epoch block."""
    from ..coinbase.schedule import should_run_epoch

    now = block_number()
    for netuid in list(S.NetworksAdded.iter_keys()):
        burn = S.Burn.get(netuid)
        half_life = S.BurnHalfLife.get(netuid)
        new_burn = burn
        if half_life > 0 and now > 1:
            new_burn = mul_by_q32(burn, _decay_factor_cached(half_life))
        new_burn = _clamp_burn(netuid, new_burn)
        if new_burn != burn:
            S.Burn.insert(netuid, new_burn)  # `set_burn` deposits no event
        S.RegistrationsThisBlock.insert(netuid, 0)
        # Root keeps interval-based admission (`root_register`). The coinbase runs no epoch
        # for root, so (as in main) once `tempo` blocks passed since root's `LastEpochBlock`
        # this holds every block.
        if netuid == ROOT and should_run_epoch(netuid, now):
            S.RegistrationsThisInterval.insert(netuid, 0)


def bump_registration_price_after_registration(netuid: int) -> None:
    """After a registration: `Burn *= max(BurnIncreaseMult, 1)` (U64F64, floored), within its
    bounds; never on root."""
    if netuid == ROOT:
        return
    mult = max(S.BurnIncreaseMult.get(netuid), U64F64.saturating_from_num(1))
    bumped = U64F64.saturating_to_num(U64F64.saturating_mul(U64F64.saturating_from_num(S.Burn.get(netuid)), mult))
    S.Burn.insert(netuid, _clamp_burn(netuid, bumped))


@functools.lru_cache(maxsize=64)
def _decay_factor_cached(half_life: int) -> int:
    """`decay_factor_q32` is a pure function of the half-life (a 32-step search): computed
    once per value instead of once per subnet per block."""
    return decay_factor_q32(half_life)
