"""`SubnetRegistrationRuntimeApi`: what registering a subnet costs now (the lock cost)."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.subnets.logic import get_network_lock_cost
from pysubtensor.pallets.subtensor.types import TAO_BALANCE
from pysubtensor.pallets.support.runtime_api import RuntimeApi

__all__ = ["SubnetRegistrationRuntimeApi"]

SubnetRegistrationRuntimeApi = RuntimeApi("SubnetRegistrationRuntimeApi", 1, ())


@SubnetRegistrationRuntimeApi.method("get_network_registration_cost", (), TAO_BALANCE)
def get_network_registration_cost() -> int:
    return get_network_lock_cost()
