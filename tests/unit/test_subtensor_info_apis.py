"""SubtensorModule's info runtime APIs over seeded storage, called through the runtime API
dispatcher (`runtime.apis.call`) as `state_call` does, the bytes decoded by bt-decode (its
bittensor classes, or the real finney 343 registry for the structs it has no class for).
What each field must be is what storage holds, read as the Rust getters read it
(pallets/subtensor/src/rpc_info/*.rs at spec 381)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import bt_decode
import pytest

from pysubtensor.pallets.subtensor.epoch import storage as epoch
from pysubtensor.pallets.subtensor.neurons.storage import Keys, SubnetworkN, Uids
from pysubtensor.pallets.subtensor.rpc_info import AxonInfo, PrometheusInfo
from pysubtensor.pallets.subtensor.serving.storage import Axons, Prometheus
from pysubtensor.pallets.subtensor.staking.storage import Owner, TotalHotkeyAlpha
from pysubtensor.pallets.subtensor.subnets.storage import NetworksAdded
from pysubtensor.pallets.subtensor.weights.storage import Weights
from pysubtensor.primitives.externalities import Externalities
from pysubtensor.primitives.scale import U16, Tuple
from pysubtensor.runtime.apis import call
from tests.support.frame import frame_env
from tests.support.metadata import FINNEY_343_V15, metadata_blob, real_metadata

NETUID = 1
N = 3


def hotkey(uid: int) -> bytes:
    return bytes([0x10 + uid]) * 32


def coldkey(uid: int) -> bytes:
    return bytes([0xC0 + uid]) * 32


AXON = AxonInfo(block=77, version=9, ip=0x7F000001, port=8091, ip_type=4, protocol=4, placeholder1=0, placeholder2=0)
PROMETHEUS = PrometheusInfo(block=78, version=3, ip=0x0A000002, port=9090, ip_type=4)


def seed_subnet(netuid: int = NETUID, n: int = N) -> None:
    """A subnet with `n` neurons; the per-uid vectors one entry short (the last uid reads the
    getters' fallbacks), uid 0 serving an axon and prometheus."""
    NetworksAdded.insert(netuid, True)
    SubnetworkN.insert(netuid, n)
    for uid in range(n):
        Keys.insert(netuid, uid, hotkey(uid))
        Uids.insert(netuid, hotkey(uid), uid)
        Owner.insert(hotkey(uid), coldkey(uid))
        TotalHotkeyAlpha.insert(hotkey(uid), netuid, 1_000_000_000 * (uid + 1) + 7)
    short = n - 1
    epoch.Rank.insert(netuid, [100 + u for u in range(short)])
    epoch.Trust.insert(netuid, [200 + u for u in range(short)])
    epoch.Emission.insert(netuid, [2**33 + u for u in range(short)])
    epoch.Active.insert(netuid, [u % 2 == 0 for u in range(short)])
    epoch.Consensus.insert(netuid, [300 + u for u in range(short)])
    epoch.Incentive.insert(netuid, [400 + u for u in range(short)])
    epoch.Dividends.insert(netuid, [500 + u for u in range(short)])
    epoch.LastUpdate.insert(netuid, [600 + u for u in range(short)])
    epoch.PruningScores.insert(netuid, [700 + u for u in range(short)])
    epoch.ValidatorTrust.insert(netuid, [800 + u for u in range(short)])
    epoch.ValidatorPermit.insert(netuid, [True] * short)
    Axons.insert(netuid, hotkey(0), AXON)
    Prometheus.insert(netuid, hotkey(0), PROMETHEUS)
    Weights.insert(netuid, 0, [(0, 0), (1, 65535), (2, 3)])
    epoch.Bonds.insert(netuid, 0, [(1, 0), (2, 9)])


@pytest.fixture
def ext() -> Iterator[Externalities]:
    with frame_env() as ext:
        seed_subnet()
        yield ext


def expected_lite(uid: int) -> dict[str, Any]:
    """What NeuronInfoLite of `uid` must hold, straight from what `seed_subnet` stored."""
    last = uid == N - 1
    return {
        "hotkey": hotkey(uid), "coldkey": coldkey(uid), "uid": uid, "netuid": NETUID,
        "active": False if last else uid % 2 == 0,
        "stake": [(coldkey(uid), 1_000_000_000 * (uid + 1) + 7)],
        "rank": 0 if last else 100 + uid, "trust": 0 if last else 200 + uid,
        "emission": 0 if last else 2**33 + uid, "consensus": 0 if last else 300 + uid,
        "incentive": 0 if last else 400 + uid, "dividends": 0 if last else 500 + uid,
        "last_update": 0 if last else 600 + uid, "pruning_score": 65535 if last else 700 + uid,
        "validator_trust": 0 if last else 800 + uid, "validator_permit": not last,
    }


def assert_neuron(decoded: Any, uid: int) -> None:
    for name, want in expected_lite(uid).items():
        got = getattr(decoded, name)
        if name in ("hotkey", "coldkey"):
            got = bytes(got)
        elif name == "stake":
            got = [(bytes(k), v) for k, v in got]
        assert got == want, f"uid {uid}: {name}"
    axon, prometheus = (AXON, PROMETHEUS) if uid == 0 else (AxonInfo(0, 0, 0, 0, 0, 0, 0, 0),
                                                            PrometheusInfo(0, 0, 0, 0, 0))
    for name in AxonInfo.__slots__:
        assert getattr(decoded.axon_info, name) == getattr(axon, name), f"uid {uid}: axon_info.{name}"
    for name in PrometheusInfo.__slots__:
        assert getattr(decoded.prometheus_info, name) == getattr(prometheus, name), f"uid {uid}: prometheus.{name}"


def netuid_arg(netuid: int) -> bytes:
    return U16.encode(netuid)


# ---------------------------------------------------------------------------
# NeuronInfoRuntimeApi


def test_get_neurons_lite_reads_storage(ext: Externalities) -> None:
    decoded = bt_decode.NeuronInfoLite.decode_vec(call("NeuronInfoRuntimeApi_get_neurons_lite", netuid_arg(NETUID), ext))
    assert len(decoded) == N
    for uid, neuron in enumerate(decoded):
        assert_neuron(neuron, uid)


def test_get_neurons_has_nonzero_weights_and_bonds(ext: Externalities) -> None:
    decoded = bt_decode.NeuronInfo.decode_vec(call("NeuronInfoRuntimeApi_get_neurons", netuid_arg(NETUID), ext))
    assert len(decoded) == N
    for uid, neuron in enumerate(decoded):
        assert_neuron(neuron, uid)
    # Rust filters out zero entries of both rows.
    assert [tuple(w) for w in decoded[0].weights] == [(1, 65535), (2, 3)]
    assert [tuple(b) for b in decoded[0].bonds] == [(2, 9)]
    assert decoded[1].weights == [] and decoded[1].bonds == []


def test_get_neuron_and_lite_one_uid(ext: Externalities) -> None:
    args = Tuple(U16, U16).encode((NETUID, 1))
    assert_neuron(bt_decode.NeuronInfo.decode_option(call("NeuronInfoRuntimeApi_get_neuron", args, ext)), 1)
    assert_neuron(bt_decode.NeuronInfoLite.decode_option(call("NeuronInfoRuntimeApi_get_neuron_lite", args, ext)), 1)


@pytest.mark.parametrize(("netuid", "uid"), [(NETUID, N), (2, 0)])
def test_get_neuron_without_neuron_or_subnet_is_none(ext: Externalities, netuid: int, uid: int) -> None:
    args = Tuple(U16, U16).encode((netuid, uid))
    assert call("NeuronInfoRuntimeApi_get_neuron", args, ext) == b"\x00"
    assert call("NeuronInfoRuntimeApi_get_neuron_lite", args, ext) == b"\x00"


def test_get_neurons_of_a_missing_subnet_is_empty(ext: Externalities) -> None:
    assert call("NeuronInfoRuntimeApi_get_neurons_lite", netuid_arg(2), ext) == b"\x00"
    assert call("NeuronInfoRuntimeApi_get_neurons", netuid_arg(2), ext) == b"\x00"
    NetworksAdded.insert(2, False)  # a removed subnet counts as missing
    SubnetworkN.insert(2, 1)
    Keys.insert(2, 0, hotkey(0))
    assert call("NeuronInfoRuntimeApi_get_neurons_lite", netuid_arg(2), ext) == b"\x00"


def test_get_neurons_stops_at_the_first_uid_without_hotkey(ext: Externalities) -> None:
    """Rust `get_neurons(_lite)`: `None => break` at a uid below SubnetworkN with no Keys entry."""
    Keys.remove(NETUID, 1)
    lite = bt_decode.NeuronInfoLite.decode_vec(call("NeuronInfoRuntimeApi_get_neurons_lite", netuid_arg(NETUID), ext))
    assert [n.uid for n in lite] == [0]
    full = bt_decode.NeuronInfo.decode_vec(call("NeuronInfoRuntimeApi_get_neurons", netuid_arg(NETUID), ext))
    assert [n.uid for n in full] == [0]


def bt_registry() -> Any:
    return bt_decode.PortableRegistry.from_metadata_v15(
        bt_decode.MetadataV15.decode_from_metadata_option(metadata_blob(FINNEY_343_V15)))


def decode_output(api: str, method: str, data: bytes) -> Any:
    """`data` decoded by bt-decode as the real finney 343 output type of `api_method`."""
    real = next(a for a in real_metadata(FINNEY_343_V15).apis if a.name == api)
    type_id = next(m.output for m in real.methods if m.name == method)
    return bt_decode.decode(f"scale_info::{type_id}", bt_registry(), data)
