"""A slice of SubtensorModule declared across several modules, as the real pallet is split
by concern: `pallet` holds the Pallet object and the metadata order of every kind of item;
`types` the value types; `subnets`, `staking` and `serving` each declare the items they own.

The modules are imported in an order unlike the metadata's, and declare items sharing a name
across kinds (storage and event `RootClaimed`, `TransferToggle`, `VotingPowerTrackingEnabled`;
event and error `CommitRevealEnabled`; constant and storage `LiquidAlphaOn`, `Yuma3On`),
each under its on-chain name. tests/unit/test_pallet_framework.py compares the result with
the real spec-381 SubtensorModule.
"""

from . import serving, staking, subnets  # noqa: F401  (declares the items)
from .pallet import pallet

__all__ = ["pallet"]
