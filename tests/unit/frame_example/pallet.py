"""The SubtensorModule slice's Pallet object and its metadata order: each list is the real
spec-381 metadata's order of the items this slice declares."""

from __future__ import annotations

from pysubtensor.pallets.support.pallet import Pallet

__all__ = ["pallet"]

pallet = Pallet("SubtensorModule", 7, crate="pallet_subtensor")

pallet.metadata_order(
    storage=["TransferToggle", "LiquidAlphaOn", "Yuma3On", "VotingPowerTrackingEnabled", "Axons", "RootClaimed"],
    calls=["decrease_take", "add_stake", "serve_axon"],
    events=["AxonServed", "TransferToggle", "CommitRevealEnabled", "RootClaimed", "VotingPowerTrackingEnabled"],
    errors=["InvalidIpType", "CommitRevealEnabled"],
    constants=["LiquidAlphaOn", "Yuma3On"],
)
