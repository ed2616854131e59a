"""Swap (pallet 28, `pallet_subtensor_swap`): each dynamic subnet's weighted (Balancer) pool of
TAO and alpha — price, swaps with fees and price limits, protocol liquidity — and its runtime
API. Declarations: pallet.py (which runtime's, and why); math: balancer.py, pow_ratio.py;
behaviour: impls.py; SubtensorModule's `SwapInterface`: handler.py."""

from pysubtensor.pallets.swap import calls, handler, impls
from pysubtensor.pallets.swap.api import SwapRuntimeApi
from pysubtensor.pallets.swap.balancer import Balancer
from pysubtensor.pallets.swap.pallet import Config, Error, Event, SubnetInfo, TokenReserve, pallet

__all__ = ["Balancer", "Config", "Error", "Event", "SubnetInfo", "SwapRuntimeApi", "TokenReserve", "calls", "handler",
           "impls", "pallet"]
