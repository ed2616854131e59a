"""Serving axon and prometheus endpoints (subtensor's `subnets/serving.rs`): validation in
the real order, the per-subnet `ServingRateLimit`, and the stored endpoint records."""

from __future__ import annotations

from dataclasses import replace

from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.serving.storage import (
    Axons,
    NeuronCertificates,
    Prometheus,
    ServingRateLimit,
)
from pysubtensor.pallets.subtensor.types import AxonInfo, NeuronCertificate, PrometheusInfo
from pysubtensor.pallets.subtensor.utils.neuron_lookup import current_block, is_hotkey_registered_on_network
from pysubtensor.pallets.support.dispatch import ensure

__all__ = [
    "do_serve_axon", "do_serve_prometheus", "get_axon_info", "get_prometheus_info", "is_valid_ip_address",
    "is_valid_ip_type", "neuron_certificate_from_bytes", "passes_rate_limit", "validate_serve_axon",
    "validate_serve_prometheus",
]

_U32_MAX = 2**32 - 1
_U128_MAX = 2**128 - 1
_IPV4_LOCALHOST = 0x7F000001


def get_axon_info(netuid: int, hotkey: bytes) -> AxonInfo:
    return Axons.get(netuid, hotkey) or AxonInfo(0, 0, 0, 0, 0, 0, 0, 0)


def get_prometheus_info(netuid: int, hotkey: bytes) -> PrometheusInfo:
    return Prometheus.get(netuid, hotkey) or PrometheusInfo(0, 0, 0, 0, 0)


def is_valid_ip_type(ip_type: int) -> bool:
    return ip_type in (4, 6)


def is_valid_ip_address(ip_type: int, addr: int, allow_zero: bool) -> bool:
    """Rejects zero (unless allowed), localhost, and out-of-range values; private ranges pass."""
    if not allow_zero and addr == 0:
        return False
    if ip_type == 4 and (addr >= _U32_MAX or addr == _IPV4_LOCALHOST):
        return False
    return not (ip_type == 6 and addr in (_U128_MAX, 1))


def passes_rate_limit(netuid: int, last_served: int, block: int) -> bool:
    """Axon and prometheus alike: no limit, never served, or `ServingRateLimit` blocks since."""
    rate_limit = ServingRateLimit.get(netuid)
    return rate_limit == 0 or last_served == 0 or max(block - last_served, 0) >= rate_limit


def neuron_certificate_from_bytes(data: bytes) -> NeuronCertificate | None:
    """`NeuronCertificate::try_from(Vec<u8>)`: first byte the algorithm, the rest (at most 64
    bytes) the public key; None for empty or over-long input (then nothing is stored)."""
    if len(data) > 65 or not data:
        return None
    return NeuronCertificate(public_key=bytes(data[1:]), algorithm=data[0])


def validate_serve_axon(hotkey: bytes, netuid: int, version: int, ip: int, port: int, ip_type: int,
                        protocol: int, placeholder1: int, placeholder2: int) -> AxonInfo:
    """The checks of `serve_axon` in the real order (shared with the transaction-validity
    guard); returns the axon record to store."""
    ensure(is_hotkey_registered_on_network(netuid, hotkey), Error.HotKeyNotRegisteredInNetwork)
    ensure(is_valid_ip_type(ip_type), Error.InvalidIpType)
    ensure(is_valid_ip_address(ip_type, ip, True), Error.InvalidIpAddress)  # zero allowed for testing
    prev = get_axon_info(netuid, hotkey)
    block = current_block()
    ensure(passes_rate_limit(netuid, prev.block, block), Error.ServingRateLimitExceeded)
    ensure(port != 0, Error.InvalidPort)
    return replace(prev, block=block, version=version, ip=ip, port=port, ip_type=ip_type, protocol=protocol,
                   placeholder1=placeholder1, placeholder2=placeholder2)


def do_serve_axon(hotkey: bytes, netuid: int, version: int, ip: int, port: int, ip_type: int, protocol: int,
                  placeholder1: int, placeholder2: int, certificate: bytes | None) -> None:
    axon = validate_serve_axon(hotkey, netuid, version, ip, port, ip_type, protocol, placeholder1, placeholder2)
    if certificate is not None and (cert := neuron_certificate_from_bytes(certificate)) is not None:
        NeuronCertificates.insert(netuid, hotkey, cert)
    Axons.insert(netuid, hotkey, axon)
    pallet.deposit_event(Event.AxonServed(netuid, hotkey))


def validate_serve_prometheus(hotkey: bytes, netuid: int, version: int, ip: int, port: int,
                              ip_type: int) -> PrometheusInfo:
    """The checks of `serve_prometheus` in the real order; returns the record to store."""
    ensure(is_valid_ip_type(ip_type), Error.InvalidIpType)
    ensure(is_valid_ip_address(ip_type, ip, False), Error.InvalidIpAddress)
    ensure(is_hotkey_registered_on_network(netuid, hotkey), Error.HotKeyNotRegisteredInNetwork)
    prev = get_prometheus_info(netuid, hotkey)
    block = current_block()
    ensure(passes_rate_limit(netuid, prev.block, block), Error.ServingRateLimitExceeded)
    ensure(port != 0, Error.InvalidPort)
    return replace(prev, block=block, version=version, ip=ip, port=port, ip_type=ip_type)


def do_serve_prometheus(hotkey: bytes, netuid: int, version: int, ip: int, port: int, ip_type: int) -> None:
    Prometheus.insert(netuid, hotkey, validate_serve_prometheus(hotkey, netuid, version, ip, port, ip_type))
    pallet.deposit_event(Event.PrometheusServed(netuid, hotkey))
