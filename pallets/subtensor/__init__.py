"""SubtensorModule (pallet 7): subnets, neurons, serving, weights, staking and emission.

Being built (issue "SubtensorModule I"); not yet composed into the runtime.
"""

from pysubtensor.pallets.subtensor.pallet import pallet

__all__ = ["pallet"]
