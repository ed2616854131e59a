"""SubtensorModule (pallet 7): subnets, neurons, serving, weights, staking and emission.

Being built (issue "SubtensorModule I"); not yet composed into the runtime. Importing the
package declares its storage items and constants (`order` imports each concern's module
and gives their metadata order).
"""

from pysubtensor.pallets.subtensor import order  # noqa: F401  (declares storage and constants)
from pysubtensor.pallets.subtensor.pallet import pallet

__all__ = ["pallet"]
