"""Serving: the `Axons` double map of `AxonInfo` value types, a tuple-variant event, an error,
and `serve_axon`, whose weight function names only the argument it needs."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import Weight, ensure, ensure_signed
from pysubtensor.pallets.support.pallet import error, event
from pysubtensor.pallets.support.storage import StorageDoubleMap
from pysubtensor.pallets.support.types import AccountId, u8, u16, u32, u128
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity
from pysubtensor.primitives.scale import U16
from pysubtensor.primitives.types import ACCOUNT_ID

from .pallet import pallet
from .types import AxonInfo, NetUid

__all__ = ["Axons", "Error", "Event", "serve_axon"]

Axons = pallet.storage("Axons", StorageDoubleMap(Identity, U16, Blake2_128Concat, ACCOUNT_ID, AxonInfo.SCALE,
                                                 optional=True),
                       docs="--- MAP ( netuid, hotkey ) --> axon_info")


@pallet.events
class Event:
    @event(28, unnamed=True)
    class AxonServed:
        """the axon server information is added to the network."""

        netuid: NetUid
        hotkey: AccountId


@pallet.errors
class Error:
    InvalidIpType = error(1, "The user is trying to serve an axon which is not of type 4 (IPv4) or 6 (IPv6).")


@pallet.call(4, weight=lambda ip_type: Weight(46_000_000 + ip_type, 0))
def serve_axon(origin, netuid: NetUid, version: u32, ip: u128, port: u16, ip_type: u8, protocol: u8,
               placeholder1: u8, placeholder2: u8) -> None:
    """Serves or updates axon /prometheus information for the neuron associated with the caller. If the caller is
    already registered the metadata is updated. If the caller is not registered this call throws NotRegistered.

    # Args:
    * 'origin': (<T as frame_system::Config>Origin):
    \t- The signature of the caller.

    * 'netuid' (u16):
    \t- The u16 network identifier.

    * 'version' (u64):
    \t- The bittensor version identifier.

    * 'ip' (u64):
    \t- The endpoint ip information as a u128 encoded integer.

    * 'port' (u16):
    \t- The endpoint port information as a u16 encoded integer.

    * 'ip_type' (u8):
    \t- The endpoint ip version as a u8, 4 or 6.

    * 'protocol' (u8):
    \t- UDP:1 or TCP:0

    * 'placeholder1' (u8):
    \t- Placeholder for further extra params.

    * 'placeholder2' (u8):
    \t- Placeholder for further extra params.

    # Event:
    * AxonServed;
    \t- On successfully serving the axon info.

    # Raises:
    * 'MechanismDoesNotExist':
    \t- Attempting to set weights on a non-existent network.

    * 'NotRegistered':
    \t- Attempting to set weights from a non registered account.

    * 'InvalidIpType':
    \t- The ip type is not 4 or 6.

    * 'InvalidIpAddress':
    \t- The numerically encoded ip address does not resolve to a proper ip.

    * 'ServingRateLimitExceeded':
    \t- Attempting to set prometheus information withing the rate limit min.

    """
    hotkey = ensure_signed(origin)
    ensure(ip_type in (4, 6), Error.InvalidIpType)
    Axons.insert(netuid, hotkey, AxonInfo(0, version, ip, port, ip_type, protocol, placeholder1, placeholder2))
    pallet.deposit_event(Event.AxonServed(netuid, hotkey))
