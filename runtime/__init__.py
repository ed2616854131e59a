"""The composed subtensor runtime: pallets by index, executive, extrinsic format, runtime APIs.

Importing the package composes it: every pallet's `Config` is bound here (`wire`), once every
part exists (the version needs the runtime APIs, which need the composed calls), so no module
of the runtime needs to import one above it.
"""

from pysubtensor.runtime import construct
from pysubtensor.runtime.api_traits import BLOCK
from pysubtensor.runtime.version import VERSION

__all__ = ["wire"]


def wire() -> None:
    """Bind every pallet's `Config` as this runtime composes them (again, for tests that bound
    their own without restoring)."""
    construct.wire(VERSION, BLOCK)


wire()
