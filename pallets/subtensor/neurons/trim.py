"""Trimming a subnet to fewer UIDs (subtensor's `trim_to_max_allowed_uids`, `subnets/uids.rs`,
spec 381), for AdminUtils' `sudo_trim_to_max_allowed_uids`.

The lowest emitters go first (emission descending, ties in uid order), except the owner's
immune uids and temporally immune ones, until `max_n` uids are left (or nothing else can go;
`SubnetworkN` becomes `max_n` either way, as in Rust). Immune uids may make up less than
`MaxImmuneUidsPercentage` of `max_n`. The kept uids are then compressed to the left: their
per-uid storage moves to the new uid, the per-subnet vectors keep the kept entries in uid
order, and weights and bonds are remapped to the new uids (entries pointing at removed uids
are dropped).
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ensure
from pysubtensor.primitives.per_things import PERCENT

from ..errors import Error
from ..pallet import pallet
from ..utils.neuron_lookup import get_mechanism_storage_index, if_subnet_exist
from .logic import immune_owner_uids, neuron_is_immune

__all__ = ["trim_to_max_allowed_uids"]

S = pallet.Storage
#: Per-subnet vectors indexed by uid that are trimmed (`Rank`, `Trust`, `PruningScores` are not).
_TRIMMED_VECTORS = ("Active", "Consensus", "Dividends", "ValidatorTrust", "ValidatorPermit", "StakeWeight")
_DEFAULTS = {"Active": False, "ValidatorPermit": False}


def _mechanism_indices(netuid: int) -> list[int]:
    return [get_mechanism_storage_index(netuid, mecid) for mecid in range(S.MechanismCountCurrent.get(netuid))]


def _remove_uid(netuid: int, uid: int, indices: list[int]) -> None:
    if S.Keys.contains_key(netuid, uid):
        hotkey = S.Keys.get(netuid, uid)
        S.Uids.remove(netuid, hotkey)
        S.IsNetworkMember.remove(hotkey, netuid)
        S.LastHotkeyEmissionOnNetuid.remove(hotkey, netuid)
        S.AlphaDividendsPerSubnet.remove(netuid, hotkey)
        S.Axons.remove(netuid, hotkey)
        S.NeuronCertificates.remove(netuid, hotkey)
        S.Prometheus.remove(netuid, hotkey)
    S.Keys.remove(netuid, uid)
    S.BlockAtRegistration.remove(netuid, uid)
    S.AssociatedEvmAddress.remove(netuid, uid)
    for index in indices:
        S.Weights.remove(index, uid)
        S.Bonds.remove(index, uid)


def _remapped(entries: list[tuple[int, int]], old_to_new: dict[int, int]) -> list[tuple[int, int]]:
    return [(old_to_new[target], value) for target, value in entries if target in old_to_new]


def trim_to_max_allowed_uids(netuid: int, max_n: int) -> None:
    ensure(if_subnet_exist(netuid), Error.SubnetNotExists)
    ensure(max_n >= S.MinAllowedUids.get(netuid), Error.InvalidValue)
    ensure(max_n <= S.MaxAllowedUids.get(netuid), Error.InvalidValue)
    S.MaxAllowedUids.insert(netuid, max_n)

    current_n = S.SubnetworkN.get(netuid)
    if current_n <= max_n:
        return
    owner_uids = set(immune_owner_uids(netuid))

    def immune(uid: int) -> bool:
        return uid in owner_uids or neuron_is_immune(netuid, uid)

    immune_count = sum(1 for uid in range(current_n) if immune(uid))
    ensure(PERCENT.from_rational(immune_count, max_n) < pallet.Constants.MaxImmuneUidsPercentage,
           Error.TrimmingWouldExceedMaxImmunePercentage)

    # (uid, emission), highest emission first (a stable sort: ties stay in uid order).
    emissions = sorted(enumerate(S.Emission.get(netuid)), key=lambda pair: -pair[1])
    indices = _mechanism_indices(netuid)
    left = current_n
    for i in reversed(range(current_n)):
        if left == max_n:
            break
        if i >= len(emissions):
            continue
        uid = emissions[i][0]
        if immune(uid):
            continue
        _remove_uid(netuid, uid, indices)
        del emissions[i]
        left -= 1

    emissions.sort(key=lambda pair: pair[0])
    kept = [uid for uid, _ in emissions]
    S.Emission.insert(netuid, [emission for _, emission in emissions])
    for name in _TRIMMED_VECTORS:
        item = getattr(S, name)
        values = item.get(netuid)
        default = _DEFAULTS.get(name, 0)
        item.insert(netuid, [values[uid] if uid < len(values) else default for uid in kept])
    for index in indices:
        for item in (S.Incentive, S.LastUpdate):
            values = item.get(index)
            item.insert(index, [values[uid] if uid < len(values) else 0 for uid in kept])

    old_to_new = {old: new for new, old in enumerate(kept)}
    for old, new in sorted(old_to_new.items()):
        S.Keys.swap((netuid, old), (netuid, new))
        S.AssociatedEvmAddress.swap((netuid, old), (netuid, new))
        S.BlockAtRegistration.swap((netuid, old), (netuid, new))
        for index in indices:
            for item in (S.Weights, S.Bonds):
                item.swap((index, old), (index, new))
                item.mutate(index, new, lambda entries: _remapped(entries, old_to_new))

    # `Uids::clear_prefix(netuid, u32::MAX)`: everything goes, so no cursor is left.
    S.Uids.clear_prefix(netuid)
    for new in old_to_new.values():
        S.Uids.insert(netuid, S.Keys.get(netuid, new), new)
    S.SubnetworkN.insert(netuid, max_n)
