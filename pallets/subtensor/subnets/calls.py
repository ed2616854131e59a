"""Subnet calls: `register_network`, `register_network_with_identity`, `start_call`,
`dissolve_network`, `root_dissolve_network` and `update_symbol`."""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.support.dispatch import (
    ROCKS_DB_WEIGHT,
    Origin,
    PostDispatchInfo,
    Weight,
    ensure_root,
)
from pysubtensor.pallets.support.pallet import Arg
from pysubtensor.pallets.support.types import AccountId, VecU8
from pysubtensor.primitives.scale import U32, Option
from pysubtensor.primitives.types import BLOCK_NUMBER, PERCENT

from ..pallet import pallet
from ..types import NetUid, SubnetIdentityV3
from .dissolve import do_dissolve_network
from .leasing import (
    do_register_leased_network,
    do_terminate_lease,
    max_contributors,
    register_leased_network_weight,
    terminate_lease_weight,
)
from .logic import do_register_network, do_start_call, do_update_symbol

__all__ = ["dissolve_network", "register_leased_network", "register_network", "register_network_with_identity",
           "root_dissolve_network", "start_call", "terminate_lease", "update_symbol"]

#: Only the dynamic mechanism is registered by these calls.
DYNAMIC_MECHANISM = 1


@pallet.call(59, weight=Weight(238_500_000, 0) + ROCKS_DB_WEIGHT.reads_writes(36, 50))
def register_network(origin: Origin, hotkey: AccountId) -> None:
    """User register a new subnetwork"""
    do_register_network(origin, hotkey, DYNAMIC_MECHANISM, None)


@pallet.call(79, weight=Weight(235_700_000, 0) + ROCKS_DB_WEIGHT.reads_writes(35, 49))
def register_network_with_identity(origin: Origin, hotkey: AccountId,
                                   identity: Arg(Option(SubnetIdentityV3.SCALE), "Option<SubnetIdentityOfV3>")
                                   ) -> Any:
    """User register a new subnetwork"""
    do_register_network(origin, hotkey, DYNAMIC_MECHANISM, identity)


@pallet.call(92, weight=Weight(29_780_000, 0) + ROCKS_DB_WEIGHT.reads_writes(5, 2))
def start_call(origin: Origin, netuid: NetUid) -> None:
    """Initiates a call on a subnet.

    # Arguments
    * `origin` - The origin of the call, which must be signed by the subnet owner.
    * `netuid` - The unique identifier of the subnet on which the call is being initiated.

    # Events
    Emits a `FirstEmissionBlockNumberSet` event on success.
    """
    do_start_call(origin, netuid)


@pallet.call(61, weight=Weight(119_000_000, 0) + ROCKS_DB_WEIGHT.reads_writes(6, 31))
def dissolve_network(origin: Origin, coldkey: AccountId, netuid: NetUid) -> None:
    """Remove a user's subnetwork
    The caller must be the owner of the network"""
    ensure_root(origin)
    do_dissolve_network(netuid)


@pallet.call(120, weight=Weight(119_000_000, 0) + ROCKS_DB_WEIGHT.reads_writes(6, 31))
def root_dissolve_network(origin: Origin, netuid: NetUid) -> None:
    """Remove a subnetwork
    The caller must be root"""
    ensure_root(origin)
    do_dissolve_network(netuid)


@pallet.call(112, weight=Weight(26_200_000, 0) + ROCKS_DB_WEIGHT.reads_writes(4, 1))
def update_symbol(origin: Origin, netuid: NetUid, symbol: VecU8) -> None:
    """Updates the symbol for a subnet.

    # Arguments
    * `origin` - The origin of the call, which must be the subnet owner or root.
    * `netuid` - The unique identifier of the subnet on which the symbol is being set.
    * `symbol` - The symbol to set for the subnet.

    # Errors
    Returns an error if:
    * The transaction is not signed by the subnet owner.
    * The symbol does not exist.
    * The symbol is already in use by another subnet.

    # Events
    Emits a `SymbolUpdated` event on success.
    """
    do_update_symbol(origin, netuid, symbol)


@pallet.call(110, weight=lambda: register_leased_network_weight(max_contributors()))
def register_leased_network(origin: Origin, emissions_share: Arg(PERCENT, "Percent"),
                            end_block: Arg(Option(BLOCK_NUMBER), "Option<BlockNumberFor<T>>")) -> PostDispatchInfo:
    """Register a new leased network.

    The crowdloan's contributions are used to compute the share of the emissions that the contributors
    will receive as dividends.

    The leftover cap is refunded to the contributors and the beneficiary.

    # Args:
    * `origin` - (<T as frame_system::Config>::Origin):
        - The signature of the caller's coldkey.

    * `emissions_share` (Percent):
        - The share of the emissions that the contributors will receive as dividends.

    * `end_block` (Option<BlockNumberFor<T>>):
        - The block at which the lease will end. If not defined, the lease is perpetual.
    """
    return do_register_leased_network(origin, emissions_share, end_block)


@pallet.call(111, weight=lambda: terminate_lease_weight(max_contributors()))
def terminate_lease(origin: Origin, lease_id: Arg(U32, "LeaseId"), hotkey: AccountId) -> PostDispatchInfo:
    """Terminate a lease.

    The beneficiary can terminate the lease after the end block has passed and get the subnet ownership.
    The subnet is transferred to the beneficiary and the lease is removed from storage.

    **The hotkey must be owned by the beneficiary coldkey.**

    # Args:
    * `origin` - (<T as frame_system::Config>::Origin):
        - The signature of the caller's coldkey.

    * `lease_id` (LeaseId):
        - The ID of the lease to terminate.

    * `hotkey` (T::AccountId):
        - The hotkey of the beneficiary to mark as subnet owner hotkey.
    """
    return do_terminate_lease(origin, lease_id, hotkey)
