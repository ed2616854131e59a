"""SubtensorModule (pallet 7): subnets, neurons, serving, weights, staking and emission.

Importing the package declares its items: `order` imports each concern's storage module and
gives the storage and constants' metadata order, `order_events` the events and errors';
`genesis` declares the genesis build.
"""

import pysubtensor.pallets.subtensor.config  # the pallet's Config
import pysubtensor.pallets.subtensor.hooks  # on_initialize
import pysubtensor.pallets.subtensor.order_calls_register  # noqa: F401  (registration calls)
from pysubtensor.pallets.subtensor import genesis, order, order_events
from pysubtensor.pallets.subtensor.pallet import pallet

__all__ = ["genesis", "order", "order_events", "pallet"]
