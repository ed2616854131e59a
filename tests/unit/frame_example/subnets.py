"""Subnet switches: storage, a constant and an event sharing names, and an event and an error
sharing one."""

from __future__ import annotations

from typing import Annotated

from pysubtensor.pallets.support.pallet import constant, error, event
from pysubtensor.pallets.support.storage import StorageMap
from pysubtensor.pallets.support.types import Bool, Doc
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity
from pysubtensor.primitives.scale import BOOL, U16

from .pallet import pallet
from .types import NetUid

__all__ = ["Constants", "Error", "Event", "LiquidAlphaOn", "TransferToggle", "VotingPowerTrackingEnabled",
           "Yuma3On"]

# -- storage (declared in an order unlike the metadata's)

VotingPowerTrackingEnabled = pallet.storage(
    "VotingPowerTrackingEnabled", StorageMap(Identity, U16, BOOL, default=False), docs="""
    --- MAP ( netuid ) --> bool | Whether voting power tracking is enabled for this subnet.
    When enabled, VotingPower EMA is updated every epoch. Default is false.
    When disabled with disable_at_block set, tracking continues until that block.
""")
Yuma3On = pallet.storage("Yuma3On", StorageMap(Blake2_128Concat, U16, BOOL, default=False),
                         docs="--- MAP ( netuid ) --> Whether or not Yuma3 is enabled")
LiquidAlphaOn = pallet.storage("LiquidAlphaOn", StorageMap(Blake2_128Concat, U16, BOOL, default=False),
                               docs="--- MAP ( netuid ) --> Whether or not Liquid Alpha is enabled")
TransferToggle = pallet.storage("TransferToggle", StorageMap(Identity, U16, BOOL, default=True), docs="""
    ============================
    ==== Subnet Locks =====
    ============================
    --- MAP ( netuid ) --> transfer_toggle
""")


@pallet.constants
class Constants:
    Yuma3On = constant(BOOL, False, "A flag to indicate if Yuma3 is enabled.")
    LiquidAlphaOn = constant(BOOL, False, "A flag to indicate if Liquid Alpha is enabled.")


@pallet.events
class Event:
    @event(114)
    class VotingPowerTrackingEnabled:
        """Voting power tracking has been enabled for a subnet."""

        netuid: Annotated[NetUid, Doc("The subnet ID")]

    @event(91, unnamed=True)
    class TransferToggle:
        """Event called when transfer is toggled on a subnet.

        Parameters:
        (netuid, bool)
        """

        netuid: NetUid
        enabled: Bool

    @event(99, unnamed=True)
    class CommitRevealEnabled:
        """Commit-Reveal has been successfully toggled.

        - **netuid**: The network identifier.
        - **Enabled**: Is Commit-Reveal enabled.
        """

        netuid: NetUid
        enabled: Bool


@pallet.errors
class Error:
    CommitRevealEnabled = error(52, "Attempting to call set_weights when commit/reveal is enabled")


def toggle_transfer(netuid: int, enabled: bool) -> None:
    """Storage and event of one name, side by side, neither renamed."""
    TransferToggle.insert(netuid, enabled)
    pallet.deposit_event(Event.TransferToggle(netuid, enabled))
