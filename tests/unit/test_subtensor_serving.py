"""Serving (serve_axon, serve_axon_tls, serve_prometheus): scenarios ported from subtensor's
pallets/subtensor/src/tests/serving.rs (each names its Rust test), plus the validation order,
the rate-limit boundary and "a failing call changes nothing"."""

from __future__ import annotations

import pytest

from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.serving.serving import (
    get_axon_info,
    get_prometheus_info,
    is_valid_ip_address,
    is_valid_ip_type,
)
from pysubtensor.pallets.subtensor.serving.storage import (
    Axons,
    NeuronCertificates,
    Prometheus,
    ServingRateLimit,
)
from pysubtensor.pallets.support.dispatch import BadOrigin
from pysubtensor.primitives.externalities import current
from tests.support.subtensor_seed import account, add_network, call, chain, register_neuron, run_to_block

NETUID = 1
HOTKEY = account(1)
AXON = dict(netuid=NETUID, version=2, ip=1676056785, port=128, ip_type=4, protocol=0, placeholder1=0, placeholder2=0)
PROM = dict(netuid=NETUID, version=2, ip=1676056785, port=128, ip_type=4)


def ipv4(a: int, b: int, c: int, d: int) -> int:
    return (a << 24) | (b << 16) | (c << 8) | d


def ipv6(*parts: int) -> int:
    value = 0
    for p in parts:
        value = (value << 16) | p
    return value


@pytest.fixture
def events():
    with chain(block=1) as collected:
        add_network(NETUID, 13)
        register_neuron(NETUID, HOTKEY)
        yield collected



def test_serving_ok(events):
    """Rust: test_serving_ok."""
    assert not isinstance(call("serve_axon", HOTKEY, **AXON), Exception)
    axon = get_axon_info(NETUID, HOTKEY)
    assert (axon.block, axon.version, axon.ip, axon.port, axon.ip_type, axon.protocol, axon.placeholder1,
            axon.placeholder2) == (1, 2, 1676056785, 128, 4, 0, 0, 0)
    assert events == [("SubtensorModule", Event.AxonServed(NETUID, HOTKEY))]


def test_serving_tls_ok(events):
    """Rust: test_serving_tls_ok. The first byte is the algorithm, the rest the public key."""
    assert not isinstance(call("serve_axon_tls", HOTKEY, **AXON, certificate=b"CERT"), Exception)
    cert = NeuronCertificates.get(NETUID, HOTKEY)
    assert (cert.public_key, cert.algorithm) == (b"ERT", ord("C"))
    assert not isinstance(call("serve_axon_tls", HOTKEY, **AXON, certificate=b"UPDATED_CERT"), Exception)
    assert NeuronCertificates.get(NETUID, HOTKEY).public_key == b"PDATED_CERT"


def test_an_unusable_certificate_is_not_stored_but_the_axon_is(events):
    """`NeuronCertificate::try_from` fails for empty or over-65-byte input: the axon is still served."""
    assert not isinstance(call("serve_axon_tls", HOTKEY, **AXON, certificate=b""), Exception)
    assert not isinstance(call("serve_axon_tls", HOTKEY, **AXON, certificate=bytes(66)), Exception)
    assert NeuronCertificates.get(NETUID, HOTKEY) is None
    assert Axons.get(NETUID, HOTKEY) is not None
    assert not isinstance(call("serve_axon_tls", HOTKEY, **AXON, certificate=bytes(65)), Exception)
    assert len(NeuronCertificates.get(NETUID, HOTKEY).public_key) == 64


def test_serving_set_metadata_update(events):
    """Rust: test_serving_set_metadata_update."""
    call("serve_axon", HOTKEY, **AXON)
    update = dict(AXON, version=3, ip=1676056786, port=129, ip_type=6, protocol=1, placeholder1=1, placeholder2=1)
    assert not isinstance(call("serve_axon", HOTKEY, **update), Exception)
    axon = get_axon_info(NETUID, HOTKEY)
    assert (axon.version, axon.ip, axon.port, axon.ip_type, axon.protocol, axon.placeholder1,
            axon.placeholder2) == (3, 1676056786, 129, 6, 1, 1, 1)


def test_axon_serving_rate_limit_exceeded(events):
    """Rust: test_axon_serving_rate_limit_exceeded: no limit, then a limit of 2 one block later."""
    for _ in range(4):
        assert not isinstance(call("serve_axon", HOTKEY, **AXON), Exception)
    ServingRateLimit.insert(NETUID, 2)
    run_to_block(2)
    assert isinstance(call("serve_axon", HOTKEY, **AXON), Error.ServingRateLimitExceeded)
    run_to_block(3)  # exactly the limit apart: allowed
    assert not isinstance(call("serve_axon", HOTKEY, **AXON), Exception)
    assert get_axon_info(NETUID, HOTKEY).block == 3


def test_axon_invalid_port(events):
    """Rust: test_axon_invalid_port."""
    assert isinstance(call("serve_axon", HOTKEY, **dict(AXON, port=0)), Error.InvalidPort)
    assert Axons.get(NETUID, HOTKEY) is None and events == []


def test_prometheus_serving_ok_and_update(events):
    """Rust: test_prometheus_serving_ok, test_prometheus_serving_set_metadata_update."""
    assert not isinstance(call("serve_prometheus", HOTKEY, **PROM), Exception)
    p = get_prometheus_info(NETUID, HOTKEY)
    assert (p.block, p.version, p.ip, p.port, p.ip_type) == (1, 2, 1676056785, 128, 4)
    assert not isinstance(call("serve_prometheus", HOTKEY, **dict(PROM, version=3, ip=1676056786, port=129,
                                                                   ip_type=6)), Exception)
    p = get_prometheus_info(NETUID, HOTKEY)
    assert (p.version, p.ip, p.port, p.ip_type) == (3, 1676056786, 129, 6)
    assert events[-1] == ("SubtensorModule", Event.PrometheusServed(NETUID, HOTKEY))


def test_prometheus_serving_rate_limit_exceeded(events):
    """Rust: test_prometheus_serving_rate_limit_exceeded."""
    for _ in range(4):
        assert not isinstance(call("serve_prometheus", HOTKEY, **PROM), Exception)
    ServingRateLimit.insert(NETUID, 1)
    assert isinstance(call("serve_prometheus", HOTKEY, **PROM), Error.ServingRateLimitExceeded)
    run_to_block(2)
    assert not isinstance(call("serve_prometheus", HOTKEY, **PROM), Exception)


def test_prometheus_invalid_port(events):
    """Rust: test_prometheus_invalid_port."""
    assert isinstance(call("serve_prometheus", HOTKEY, **dict(PROM, port=0)), Error.InvalidPort)
    assert Prometheus.get(NETUID, HOTKEY) is None


def test_serving_ip_type_and_address_rules():
    """Rust: test_serving_is_valid_ip_type_ok_ipv4/_ipv6/_nok, test_serving_is_valid_ip_address_ipv4/_ipv6,
    test_serving_is_invalid_ipv4_address, test_serving_is_invalid_ipv6_address."""
    assert is_valid_ip_type(4) and is_valid_ip_type(6) and not is_valid_ip_type(10)
    assert is_valid_ip_address(4, ipv4(8, 8, 8, 8), False)
    assert is_valid_ip_address(4, ipv4(0, 0, 0, 0), True)
    assert is_valid_ip_address(6, ipv6(1, 2, 3, 4, 5, 6, 7, 8), False)
    assert is_valid_ip_address(6, ipv6(0, 0, 0, 0, 0, 0, 0, 0), True)
    for allow_zero in (False, True):
        assert not is_valid_ip_address(4, ipv4(255, 255, 255, 255), allow_zero)
        assert not is_valid_ip_address(4, ipv4(127, 0, 0, 1), allow_zero)
        assert not is_valid_ip_address(4, ipv6(0xFFFF, 2, 3, 4, 5, 6, 7, 8), allow_zero)
        assert not is_valid_ip_address(4, ipv6(*[0xFFFF] * 8), allow_zero)
    assert not is_valid_ip_address(4, ipv4(0, 0, 0, 0), False)
    assert not is_valid_ip_address(6, 0, False)
    assert not is_valid_ip_address(6, 1, True) and not is_valid_ip_address(6, 2**128 - 1, True)
    assert is_valid_ip_address(4, ipv4(255, 255, 255, 254), False)  # just below u32::MAX


def test_axon_checks_registration_before_ip_and_prometheus_after(events):
    """serve_axon checks the hotkey first; serve_prometheus checks the ip type and address first."""
    stranger = account(99)
    bad = dict(AXON, ip_type=5)
    assert isinstance(call("serve_axon", stranger, **bad), Error.HotKeyNotRegisteredInNetwork)
    assert isinstance(call("serve_prometheus", stranger, **dict(PROM, ip_type=5)), Error.InvalidIpType)
    assert isinstance(call("serve_prometheus", stranger, **dict(PROM, ip=0)), Error.InvalidIpAddress)
    assert isinstance(call("serve_prometheus", stranger, **PROM), Error.HotKeyNotRegisteredInNetwork)
    # serve_axon accepts ip 0, serve_prometheus does not
    assert not isinstance(call("serve_axon", HOTKEY, **dict(AXON, ip=0)), Exception)
    assert isinstance(call("serve_axon", HOTKEY, **dict(AXON, ip=ipv4(127, 0, 0, 1))), Error.InvalidIpAddress)
    assert isinstance(call("serve_axon", None, **AXON), BadOrigin)


def test_a_rate_limited_serve_changes_nothing(events):
    ServingRateLimit.insert(NETUID, 50)
    call("serve_axon_tls", HOTKEY, **AXON, certificate=b"CERT")
    before = (Axons.get(NETUID, HOTKEY), NeuronCertificates.get(NETUID, HOTKEY), len(events))
    run_to_block(50)  # 49 blocks later
    assert isinstance(call("serve_axon_tls", HOTKEY, **dict(AXON, port=9), certificate=b"XNEW"),
                      Error.ServingRateLimitExceeded)
    assert (Axons.get(NETUID, HOTKEY), NeuronCertificates.get(NETUID, HOTKEY), len(events)) == before
    run_to_block(51)
    assert not isinstance(call("serve_axon_tls", HOTKEY, **dict(AXON, port=9), certificate=b"XNEW"), Exception)
    assert NeuronCertificates.get(NETUID, HOTKEY).public_key == b"NEW"


def test_serving_storage_keys_and_values_match_scalecodec(events):
    """The stored axon is what substrate-interface decodes at the key it computes."""
    from tests.support.metadata import oracle_key, scalecodec_encode
    call("serve_axon", HOTKEY, **AXON)
    key = oracle_key("SubtensorModule", "Axons", NETUID, HOTKEY)
    raw = current().get(key)
    assert raw == scalecodec_encode(("pallet_subtensor", "pallet", "AxonInfo"), {
        "block": 1, "version": 2, "ip": 1676056785, "port": 128, "ip_type": 4, "protocol": 0,
        "placeholder1": 0, "placeholder2": 0})
