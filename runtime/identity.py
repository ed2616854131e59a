"""`AllowIdentityReg` (subtensor runtime lib.rs at spec 381): who may set an identity in
Registry. A coldkey for a hotkey it owns that is registered on the root network; an
account for itself only if it owns a subnet."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.neurons.logic import coldkey_owns_hotkey
from pysubtensor.pallets.subtensor.subnets.storage import SubnetOwner
from pysubtensor.pallets.subtensor.utils.neuron_lookup import is_hotkey_registered_on_network

__all__ = ["allow_identity_reg"]

NETUID_ROOT = 0


def allow_identity_reg(address: bytes, identified: bytes) -> bool:
    if address != identified:
        return coldkey_owns_hotkey(address, identified) and is_hotkey_registered_on_network(NETUID_ROOT, identified)
    return any(owner == address for owner in SubnetOwner.iter_values())
