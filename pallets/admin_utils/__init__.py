"""AdminUtils (pallet 19, `pallet_admin_utils`): root's and subnet owners' setters of
SubtensorModule's hyperparameters. Importing the package declares its items and calls."""

from pysubtensor.pallets.admin_utils import calls
from pysubtensor.pallets.admin_utils.pallet import Config, Error, Event, PrecompileEnable, pallet

__all__ = ["Config", "Error", "Event", "PrecompileEnable", "calls", "pallet"]
