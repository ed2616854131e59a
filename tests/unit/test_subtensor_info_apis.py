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


# ---------------------------------------------------------------------------
# SubnetInfoRuntimeApi


from pysubtensor.pallets.subtensor.coinbase import storage as coinbase  # noqa: E402
from pysubtensor.pallets.subtensor.epoch import storage as ep  # noqa: E402
from pysubtensor.pallets.subtensor.hierarchy.storage import ChildKeys, IdentitiesV2, ParentKeys  # noqa: E402
from pysubtensor.pallets.subtensor.neurons import storage as neurons  # noqa: E402
from pysubtensor.pallets.subtensor.rpc_info import ChainIdentityV2, SelectiveMetagraph, SubnetIdentityV3  # noqa: E402
from pysubtensor.pallets.subtensor.serving.storage import ServingRateLimit  # noqa: E402
from pysubtensor.pallets.subtensor.staking.storage import AutoStakeDestination, TaoWeight  # noqa: E402
from pysubtensor.pallets.subtensor.subnets import storage as subnets  # noqa: E402
from pysubtensor.pallets.subtensor.weights import storage as weights  # noqa: E402
from pysubtensor.primitives.scale import U8, Option, Some, Vec  # noqa: E402
from pysubtensor.pallets.system.pallet import Number  # noqa: E402

OWNER_HOTKEY, OWNER_COLDKEY = b"\x0a" * 32, b"\x0b" * 32
IDENTITY = SubnetIdentityV3(b"my subnet", b"gh", b"contact", b"url", b"discord", b"desc", b"logo", b"more")
BLOCK = 5000

#: field name -> (storage item, the distinct value seeded into it for NETUID): each field of
#: the info structs must be what its storage item holds.
PARAMS: dict[str, tuple[Any, int | bool]] = {
    "rho": (ep.Rho, 11), "kappa": (ep.Kappa, 12_345), "difficulty": (neurons.Difficulty, 10**12 + 1),
    "immunity_period": (neurons.ImmunityPeriod, 4_097), "max_allowed_validators": (ep.MaxAllowedValidators, 63),
    "min_allowed_weights": (weights.MinAllowedWeights, 7), "scaling_law_power": (ep.ScalingLawPower, 51),
    "max_allowed_uids": (neurons.MaxAllowedUids, 4_000), "blocks_since_last_step": (coinbase.BlocksSinceLastStep, 77),
    "tempo": (subnets.Tempo, 99), "burn": (neurons.Burn, 3 * 10**9 + 5),
    "min_difficulty": (neurons.MinDifficulty, 1_001), "max_difficulty": (neurons.MaxDifficulty, 2**40),
    "weights_version": (weights.WeightsVersionKey, 2**33 + 3), "weights_rate_limit": (weights.WeightsSetRateLimit, 101),
    "adjustment_interval": (neurons.AdjustmentInterval, 113), "activity_cutoff": (ep.ActivityCutoff, 5_003),
    "registration_allowed": (subnets.NetworkRegistrationAllowed, True),
    "target_regs_per_interval": (neurons.TargetRegistrationsPerInterval, 3), "min_burn": (neurons.MinBurn, 500_001),
    "max_burn": (neurons.MaxBurn, 10**11 + 7), "bonds_moving_avg": (ep.BondsMovingAverage, 900_001),
    "max_regs_per_block": (neurons.MaxRegistrationsPerBlock, 5), "serving_rate_limit": (ServingRateLimit, 49),
    "adjustment_alpha": (neurons.AdjustmentAlpha, 58_001), "commit_reveal_period": (weights.RevealPeriodEpochs, 4),
    "commit_reveal_weights_enabled": (weights.CommitRevealWeightsEnabled, True),
    "liquid_alpha_enabled": (ep.LiquidAlphaOn, True),
}
POOL: dict[str, tuple[Any, int]] = {
    "alpha_in": (coinbase.SubnetAlphaIn, 10**12 + 11), "alpha_out": (coinbase.SubnetAlphaOut, 2 * 10**12 + 13),
    "tao_in": (coinbase.SubnetTAO, 3 * 10**12 + 17), "alpha_out_emission": (coinbase.SubnetAlphaOutEmission, 19),
    "alpha_in_emission": (coinbase.SubnetAlphaInEmission, 23), "tao_in_emission": (coinbase.SubnetTaoInEmission, 29),
    "subnet_volume": (coinbase.SubnetVolume, 2**70 + 31),
}
PENDING_VALIDATOR, PENDING_SERVER = 1_000, 234
MOVING_PRICE = (3 << 32) // 2  # 1.5 as I96F32 bits
LAST_STEP, REGISTERED_AT = 4_990, 1_234


def seed_params(netuid: int = NETUID) -> None:
    for item, value in (*PARAMS.values(), *POOL.values()):
        item.insert(netuid, value)
    ep.AlphaValues.insert(netuid, (1_000, 60_000))
    ep.AlphaSigmoidSteepness.insert(netuid, -7)
    ep.Yuma3On.insert(netuid, True)
    subnets.SubtokenEnabled.insert(netuid, True)
    subnets.TransferToggle.insert(netuid, False)
    ep.BondsResetOn.insert(netuid, True)
    subnets.SubnetOwner.insert(netuid, OWNER_COLDKEY)
    subnets.SubnetOwnerHotkey.insert(netuid, OWNER_HOTKEY)
    subnets.SubnetIdentitiesV3.insert(netuid, IDENTITY)
    subnets.TokenSymbol.insert(netuid, "β".encode())
    subnets.NetworkRegisteredAt.insert(netuid, REGISTERED_AT)
    subnets.NetworkPowRegistrationAllowed.insert(netuid, True)
    coinbase.LastMechansimStepBlock.insert(netuid, LAST_STEP)
    coinbase.PendingValidatorEmission.insert(netuid, PENDING_VALIDATOR)
    coinbase.PendingServerEmission.insert(netuid, PENDING_SERVER)
    coinbase.SubnetMovingPrice.insert(netuid, MOVING_PRICE)


@pytest.fixture
def subnet(ext: Externalities) -> Externalities:
    seed_params()
    Number.put(BLOCK)
    return ext


def output(method: str, data: bytes, ext: Externalities) -> Any:
    return decode_output("SubnetInfoRuntimeApi", method, call(f"SubnetInfoRuntimeApi_{method}", data, ext))


def account(value: Any) -> bytes:
    """bt-decode's AccountId (a 1-tuple of the 32 bytes) as bytes."""
    return bytes(value[0]) if isinstance(value, tuple) else bytes(value)


def test_get_subnet_info_reads_storage(subnet: Externalities) -> None:
    decoded = bt_decode.SubnetInfo.decode_option(call("SubnetInfoRuntimeApi_get_subnet_info", netuid_arg(NETUID),
                                                      subnet))
    for name in ("rho", "kappa", "difficulty", "immunity_period", "max_allowed_validators", "min_allowed_weights",
                 "scaling_law_power", "max_allowed_uids", "blocks_since_last_step", "tempo", "burn"):
        assert getattr(decoded, name) == PARAMS[name][1], name
    assert decoded.netuid == NETUID and decoded.subnetwork_n == N
    assert bytes(decoded.owner) == OWNER_COLDKEY
    # Deprecated in Rust: constants, whatever storage holds.
    assert (decoded.max_weights_limit, decoded.network_modality, decoded.network_connect, decoded.emission_values) \
        == (65535, 0, [], 0)


def test_get_subnet_info_v2_adds_the_identity(subnet: Externalities) -> None:
    # (bt-decode's SubnetInfoV2 class has an older identity layout: decoded by the real type)
    decoded = output("get_subnet_info_v2", netuid_arg(NETUID), subnet)
    assert decoded["tempo"] == PARAMS["tempo"][1] and decoded["kappa"] == PARAMS["kappa"][1]
    assert bytes(decoded["identity"]["subnet_name"]) == b"my subnet"
    assert bytes(decoded["identity"]["additional"]) == b"more"
    assert decoded["emission_value"] == 0 and account(decoded["owner"]) == OWNER_COLDKEY
    subnets.SubnetIdentitiesV3.remove(NETUID)
    assert output("get_subnet_info_v2", netuid_arg(NETUID), subnet)["identity"] is None


@pytest.mark.parametrize("method", ["get_subnet_hyperparams", "get_subnet_hyperparams_v2"])
def test_get_subnet_hyperparams_reads_storage(subnet: Externalities, method: str) -> None:
    decoded = output(method, netuid_arg(NETUID), subnet)
    for name, (_, value) in PARAMS.items():
        if name in decoded:
            assert decoded[name] == value, name
    assert set(PARAMS) - set(decoded) == {"scaling_law_power", "max_allowed_uids", "blocks_since_last_step",
                                          "burn", "max_allowed_validators"}
    assert decoded["max_validators"] == PARAMS["max_allowed_validators"][1]
    assert (decoded["alpha_low"], decoded["alpha_high"]) == (1_000, 60_000)
    assert decoded["max_weights_limit"] == 65535
    if method.endswith("v2"):
        assert decoded["alpha_sigmoid_steepness"] == {"bits": -7 << 32}
        assert decoded["yuma_version"] == 3
        assert (decoded["subnet_is_active"], decoded["transfers_enabled"], decoded["bonds_reset_enabled"],
                decoded["user_liquidity_enabled"]) == (True, False, True, False)
        ep.Yuma3On.insert(NETUID, False)
        assert output(method, netuid_arg(NETUID), subnet)["yuma_version"] == 2


@pytest.mark.parametrize("method", ["get_subnet_info", "get_subnet_info_v2", "get_subnet_hyperparams",
                                    "get_subnet_hyperparams_v2", "get_dynamic_info", "get_metagraph",
                                    "get_subnet_state"])
def test_a_subnet_not_added_is_none(subnet: Externalities, method: str) -> None:
    assert call(f"SubnetInfoRuntimeApi_{method}", netuid_arg(7), subnet) == b"\x00"
    NetworksAdded.insert(7, False)
    seed_params(7)
    assert call(f"SubnetInfoRuntimeApi_{method}", netuid_arg(7), subnet) == b"\x00"


def test_get_subnets_info_lists_added_subnets_by_netuid(subnet: Externalities) -> None:
    NetworksAdded.insert(256, True)  # stored before netuid 1 (keys are little-endian)
    NetworksAdded.insert(3, False)
    v1 = bt_decode.SubnetInfo.decode_vec_option(call("SubnetInfoRuntimeApi_get_subnets_info", b"", subnet))
    assert [info.netuid for info in v1] == [1, 256]
    assert [info["netuid"] for info in output("get_subnets_info_v2", b"", subnet)] == [1, 256]


def test_get_dynamic_info_reads_storage(subnet: Externalities) -> None:
    decoded = output("get_dynamic_info", netuid_arg(NETUID), subnet)
    for name, (_, value) in POOL.items():
        assert decoded[name] == value, name
    assert decoded["netuid"] == NETUID and decoded["tempo"] == PARAMS["tempo"][1]
    assert account(decoded["owner_hotkey"]) == OWNER_HOTKEY and account(decoded["owner_coldkey"]) == OWNER_COLDKEY
    assert bytes(decoded["subnet_name"]) == b"my subnet" and bytes(decoded["token_symbol"]) == "β".encode()
    assert (decoded["last_step"], decoded["blocks_since_last_step"]) == (LAST_STEP, BLOCK - LAST_STEP)
    assert decoded["pending_alpha_emission"] == PENDING_VALIDATOR + PENDING_SERVER
    assert (decoded["emission"], decoded["pending_root_emission"]) == (0, 0)
    assert decoded["network_registered_at"] == REGISTERED_AT
    assert bytes(decoded["subnet_identity"]["description"]) == b"desc"
    assert decoded["moving_price"] == {"bits": MOVING_PRICE}


@pytest.mark.parametrize(("netuid", "identity", "name"), [
    (1, None, b"apex"), (0, None, b"root"), (2, SubnetIdentityV3(b"", b"", b"", b"", b"", b"", b"", b""), b"omron"),
    (438, None, b"ra"), (439, None, b"unknown"), (1, IDENTITY, b"my subnet"),
])
def test_subnet_name_is_the_identity_name_or_the_default(ext: Externalities, netuid: int, identity: Any,
                                                         name: bytes) -> None:
    """Rust `get_name_for_subnet` (subnets/symbols.rs): an empty identity name falls back too."""
    NetworksAdded.insert(netuid, True)
    subnets.SubnetIdentitiesV3.remove(netuid)
    if identity is not None:
        subnets.SubnetIdentitiesV3.insert(netuid, identity)
    assert bytes(output("get_dynamic_info", netuid_arg(netuid), ext)["subnet_name"]) == name


def test_get_all_dynamic_info_follows_storage_order(subnet: Externalities) -> None:
    """`get_all_subnet_netuids`: every NetworksAdded key, even one marked false (it reads None),
    in storage order."""
    NetworksAdded.insert(256, True)
    NetworksAdded.insert(2, False)
    decoded = output("get_all_dynamic_info", b"", subnet)
    assert [d["netuid"] if d is not None else None for d in decoded] == [256, NETUID, None]
