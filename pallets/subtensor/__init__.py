"""SubtensorModule (pallet 7): subnets, neurons, serving, weights, staking and emission.

Importing the package declares its items: `order` imports each concern's storage module and
gives the storage and constants' metadata order, `order_calls` the calls', `order_events` the
events and errors'; `genesis` declares the genesis build.
"""

from pysubtensor.pallets.subtensor import (
    config,
    genesis,
    hooks,
    order,
    order_calls,
    order_events,
    swap_bridge,
)
from pysubtensor.pallets.subtensor.pallet import pallet

__all__ = ["config", "genesis", "hooks", "order", "order_calls", "order_events", "pallet", "swap_bridge"]
