"""Serving calls (`serve_axon`, `serve_axon_tls`, `serve_prometheus`), declared with the real
indices, argument types and docs; the rules live in `serving.serving`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.serving.serving import do_serve_axon, do_serve_prometheus
from pysubtensor.pallets.subtensor.types import NetUid
from pysubtensor.pallets.subtensor.weights import call_weights as W
from pysubtensor.pallets.support.dispatch import Pays, ensure_signed
from pysubtensor.pallets.support.pallet import Arg
from pysubtensor.pallets.support.types import u8, u16, u32, u128
from pysubtensor.primitives.scale import BYTES

__all__ = ["serve_axon", "serve_axon_tls", "serve_prometheus"]

_BYTES = Arg(BYTES, "Vec<u8>")


@pallet.call(4, weight=W.SERVE_AXON, pays=Pays.NO)
def serve_axon(origin, netuid: NetUid, version: u32, ip: u128, port: u16, ip_type: u8, protocol: u8, placeholder1: u8, placeholder2: u8) -> None:
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
    do_serve_axon(ensure_signed(origin), netuid, version, ip, port, ip_type, protocol, placeholder1, placeholder2,
                  None)

@pallet.call(40, weight=W.SERVE_AXON_TLS, pays=Pays.NO)
def serve_axon_tls(origin, netuid: NetUid, version: u32, ip: u128, port: u16, ip_type: u8, protocol: u8, placeholder1: u8, placeholder2: u8, certificate: _BYTES) -> None:
    """Same as `serve_axon` but takes a certificate as an extra optional argument.
    Serves or updates axon /prometheus information for the neuron associated with the caller. If the caller is
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

    * 'certificate' (Vec<u8>):
        - TLS certificate for inter neuron communitation.

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
    do_serve_axon(ensure_signed(origin), netuid, version, ip, port, ip_type, protocol, placeholder1, placeholder2,
                  bytes(certificate))

@pallet.call(5, weight=W.SERVE_PROMETHEUS, pays=Pays.NO)
def serve_prometheus(origin, netuid: NetUid, version: u32, ip: u128, port: u16, ip_type: u8) -> None:
    """---- Set prometheus information for the neuron.
    # Args:
    * 'origin': (<T as frame_system::Config>Origin):
    \t- The signature of the calling hotkey.

    * 'netuid' (u16):
    \t- The u16 network identifier.

    * 'version' (u16):
    \t-  The bittensor version identifier.

    * 'ip' (u128):
    \t- The prometheus ip information as a u128 encoded integer.

    * 'port' (u16):
    \t- The prometheus port information as a u16 encoded integer.

    * 'ip_type' (u8):
    \t- The ip type v4 or v6.

    """
    do_serve_prometheus(ensure_signed(origin), netuid, version, ip, port, ip_type)
