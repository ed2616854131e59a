"""Bonds reset on a metadata commitment (subtensor's `do_reset_bonds` in epoch/run_epoch.rs and
the runtime's `ResetBondsOnCommit`, which the Commitments pallet calls for a `ResetBondsFlag`)."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.epoch.storage import Bonds, BondsResetOn
from pysubtensor.pallets.subtensor.neurons.storage import Uids
from pysubtensor.pallets.subtensor.subnets.storage import MechanismCountCurrent
from pysubtensor.pallets.subtensor.utils.neuron_lookup import (
    get_mechanism_storage_index,
    get_netuid_and_mecid,
)
from pysubtensor.pallets.support.dispatch import DispatchError

__all__ = ["do_reset_bonds", "reset_bonds_on_commit"]


def do_reset_bonds(netuid_index: int, account_id: bytes) -> None:
    """When the subnet has bonds reset on, drop the account's uid from every bond row of the
    mechanism (`netuid_index`); an unregistered account changes nothing."""
    try:
        netuid, _ = get_netuid_and_mecid(netuid_index)
    except DispatchError:
        netuid = 0  # `unwrap_or_default()`
    if not BondsResetOn.get(netuid):
        return
    uid = Uids.get(netuid, account_id)
    if uid is None:
        return
    for i, bonds in list(Bonds.iter_prefix(netuid_index)):
        Bonds.insert(netuid_index, i, [b for b in bonds if b[0] != uid])


def reset_bonds_on_commit(netuid: int, account_id: bytes) -> None:
    """`ResetBondsOnCommit::on_metadata_commitment`: each mechanism of the subnet."""
    for mecid in range(MechanismCountCurrent.get(netuid)):
        do_reset_bonds(get_mechanism_storage_index(netuid, mecid), account_id)
