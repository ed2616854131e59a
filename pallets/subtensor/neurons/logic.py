"""Neuron registration: UIDs, the burn and its per-interval adjustment, registration limits,
the neuron to prune when a subnet is full, and root registration (Rust
`subnets/registration.rs`, `subnets/uids.rs`, `coinbase/block_step.rs`, `coinbase/root.rs`).

Spec 381's rules, which its storage carries: registrations per block and per interval are
limited, and the burn (and PoW difficulty) move once per `AdjustmentInterval` towards
`TargetRegistrationsPerInterval`. Main has since replaced that with a per-block half-life decay
and a per-registration multiplier (`BurnHalfLife`, `BurnIncreaseMult`: storage spec 381 lacks).
TAO moves as on main: the burn is a Balances transfer into the subnet account, swapped for
alpha in the subnet's pool, and the alpha is burned.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import Origin, ensure, ensure_signed
from pysubtensor.pallets.system.block import block_number

from ..errors import Error
from ..events import Event
from ..pallet import pallet

__all__ = [
    "adjust_registration_terms_for_networks", "append_neuron", "create_account_if_non_existent",
    "do_burned_registration", "do_root_register", "get_neuron_to_prune", "register_neuron", "replace_neuron",
    "upgraded_burn", "upgraded_difficulty",
]

S = pallet.Storage
ROOT = 0
#: `GLOBAL_MAX_SUBNET_COUNT`: a mechanism's storage index is `mecid * 4096 + netuid`.
GLOBAL_MAX_SUBNET_COUNT = 4096
_U16_MAX = 0xFFFF
_U64_MAX = (1 << 64) - 1
#: U110F18's fractional bits.
_FRAC = 18


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


def _ensure_registration_limits(netuid: int) -> None:
    ensure(S.RegistrationsThisBlock.get(netuid) < S.MaxRegistrationsPerBlock.get(netuid),
           Error.TooManyRegistrationsThisBlock)
    ensure(S.RegistrationsThisInterval.get(netuid) < min(S.TargetRegistrationsPerInterval.get(netuid) * 3, _U16_MAX),
           Error.TooManyRegistrationsThisInterval)


def do_burned_registration(origin: Origin, netuid: int, hotkey: bytes) -> None:
    """Register `hotkey` on `netuid` for the signing coldkey, paying the subnet's burn."""
    from ..staking.stake_utils import swap_tao_for_alpha
    from ..subnets.logic import can_remove_balance_from_coldkey_account, transfer_tao_to_subnet

    coldkey = ensure_signed(origin)
    ensure(netuid != ROOT, Error.RegistrationNotPermittedOnRootSubnet)
    ensure(S.NetworksAdded.get(netuid), Error.SubnetNotExists)
    ensure(S.NetworkRegistrationAllowed.get(netuid), Error.SubNetRegistrationDisabled)
    _ensure_registration_limits(netuid)
    ensure(not S.Uids.contains_key(netuid, hotkey), Error.HotKeyAlreadyRegisteredInSubNet)
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
    S.BurnRegistrationsThisInterval.mutate(netuid, _inc16)
    S.RegistrationsThisInterval.mutate(netuid, _inc16)
    S.RegistrationsThisBlock.mutate(netuid, _inc16)
    S.RAORecycledForRegistration.mutate(netuid, lambda r: min(r + S.Burn.get(netuid), _U64_MAX))
    pallet.deposit_event(Event.NeuronRegistered(netuid, uid, hotkey))


def do_root_register(origin: Origin, hotkey: bytes) -> None:
    """Register `hotkey` on the root network (replacing the lowest-stake member when full)."""
    now = block_number()
    ensure(S.NetworksAdded.get(ROOT), Error.RootNetworkDoesNotExist)
    coldkey = ensure_signed(origin)
    _ensure_registration_limits(ROOT)
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
# Per-block adjustment (block_step's `adjust_registration_terms_for_networks`)


def _adjusted(netuid: int, current: int, registrations: int, target: int, lower: int, upper: int) -> int:
    """`upgraded_burn` / `upgraded_difficulty` in U110F18: the value scaled by
    (registrations + target) / (2 target), blended with the current one by `AdjustmentAlpha`,
    and kept within [lower, upper]."""
    denominator = min(2 * target, _U16_MAX)
    numerator = min(registrations + target, _U16_MAX)
    cur = current << _FRAC
    scaled = (cur * (numerator << _FRAC)) >> _FRAC
    updated = ((scaled << _FRAC) // (denominator << _FRAC)) if denominator else 0
    alpha = ((S.AdjustmentAlpha.get(netuid) << _FRAC) << _FRAC) // (_U64_MAX << _FRAC)
    one = 1 << _FRAC
    next_value = ((alpha * cur) >> _FRAC) + ((max(one - alpha, 0) * updated) >> _FRAC)
    if next_value >= upper << _FRAC:
        return upper
    if next_value <= lower << _FRAC:
        return lower
    return next_value >> _FRAC


def upgraded_burn(netuid: int, current: int, registrations: int, target: int) -> int:
    return _adjusted(netuid, current, registrations, target, S.MinBurn.get(netuid), S.MaxBurn.get(netuid))


def upgraded_difficulty(netuid: int, current: int, registrations: int, target: int) -> int:
    return _adjusted(netuid, current, registrations, target, S.MinDifficulty.get(netuid),
                     S.MaxDifficulty.get(netuid))


def adjust_registration_terms_for_networks() -> None:
    """Each block, for each subnet: once `AdjustmentInterval` blocks passed since the last
    adjustment, move the burn and/or difficulty (by which kind of registration dominated) and
    reset the interval counters; always reset the per-block counter."""
    now = block_number()
    for netuid in list(S.NetworksAdded.iter_keys()):
        if max(now - S.LastAdjustmentBlock.get(netuid), 0) >= S.AdjustmentInterval.get(netuid):
            burn, difficulty = S.Burn.get(netuid), S.Difficulty.get(netuid)
            regs = S.RegistrationsThisInterval.get(netuid)
            pow_regs = S.POWRegistrationsThisInterval.get(netuid)
            burn_regs = S.BurnRegistrationsThisInterval.get(netuid)
            target = S.TargetRegistrationsPerInterval.get(netuid)
            # Above target, the dominant kind gets dearer; at or below, the other kind gets
            # cheaper (both move on a tie).
            if regs > target:
                adjust_burn, adjust_difficulty = pow_regs <= burn_regs, pow_regs >= burn_regs
            else:
                adjust_burn, adjust_difficulty = pow_regs >= burn_regs, pow_regs <= burn_regs
            if adjust_burn:
                new_burn = upgraded_burn(netuid, burn, regs, target)
                S.Burn.insert(netuid, new_burn)  # `set_burn` deposits no event
            if adjust_difficulty:
                new_difficulty = upgraded_difficulty(netuid, difficulty, regs, target)
                S.Difficulty.insert(netuid, new_difficulty)
                pallet.deposit_event(Event.DifficultySet(netuid, new_difficulty))
            S.LastAdjustmentBlock.insert(netuid, now)
            S.RegistrationsThisInterval.insert(netuid, 0)
            S.POWRegistrationsThisInterval.insert(netuid, 0)
            S.BurnRegistrationsThisInterval.insert(netuid, 0)
        S.RegistrationsThisBlock.insert(netuid, 0)
