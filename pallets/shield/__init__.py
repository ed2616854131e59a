"""MevShield (pallet 30, `pallet_shield`): see `pallet.py`."""

from .pallet import *  # noqa: F403
from .pallet import __all__  # noqa: F401
