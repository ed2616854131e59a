"""The metadata order of the registration calls (w_register's part of SubtensorModule's call
list, in spec 381's relative order; the lead merges the parts into one `metadata_order`)."""

from __future__ import annotations

from .neurons import calls as _neuron_calls  # noqa: F401  (declares the calls)
from .pallet import pallet
from .subnets import calls as _subnet_calls  # noqa: F401

__all__ = ["CALLS"]

CALLS = ["register", "root_register", "burned_register", "register_network", "register_network_with_identity",
         "start_call"]

pallet.metadata_order(calls=CALLS)
