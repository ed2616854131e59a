"""The composed subtensor runtime: pallets by index, executive, extrinsic format, runtime APIs.

Importing the package composes it: the pallets are bound to one another and to the
runtime's types and version here (`wire`), once every part exists, so no module of the
runtime needs to import one above it.
"""

from pysubtensor.runtime import construct
from pysubtensor.runtime.version import VERSION

__all__ = ["wire"]


def wire() -> None:
    """Bind every pallet's configuration as this runtime composes them (again, for tests
    that bound their own)."""
    construct.wire(VERSION)


wire()
