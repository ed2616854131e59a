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

from pysubtensor.pallets.subtensor.coinbase import storage as coinbase
from pysubtensor.pallets.subtensor.epoch import storage as epoch
from pysubtensor.pallets.subtensor.hierarchy import storage as hierarchy
from pysubtensor.pallets.subtensor.hierarchy.storage import ChildKeys, IdentitiesV2, ParentKeys
from pysubtensor.pallets.subtensor.neurons import storage as neurons
from pysubtensor.pallets.subtensor.neurons.storage import Keys, SubnetworkN, Uids
from pysubtensor.pallets.subtensor.rpc_info import (
    AxonInfo,
    ChainIdentityV2,
    PrometheusInfo,
    SelectiveMetagraph,
    SubnetIdentityV3,
)
from pysubtensor.pallets.subtensor.serving.storage import Axons, Prometheus, ServingRateLimit
from pysubtensor.pallets.subtensor.staking import stake_weights
from pysubtensor.pallets.subtensor.staking import storage as staking
from pysubtensor.pallets.subtensor.staking.storage import (
    AutoStakeDestination,
    Owner,
    TaoWeight,
    TotalHotkeyAlpha,
)
from pysubtensor.pallets.subtensor.subnets import storage as subnets
from pysubtensor.pallets.subtensor.subnets.storage import NetworksAdded
from pysubtensor.pallets.subtensor.weights import storage as weights
from pysubtensor.pallets.subtensor.weights.storage import Weights
from pysubtensor.pallets.system.pallet import Number
from pysubtensor.primitives.externalities import Externalities
from pysubtensor.primitives.scale import U8, U16, Option, Some, Tuple, Vec
from pysubtensor.primitives.types import ACCOUNT_ID
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



OWNER_HOTKEY, OWNER_COLDKEY = b"\x0a" * 32, b"\x0b" * 32
IDENTITY = SubnetIdentityV3(b"my subnet", b"gh", b"contact", b"url", b"discord", b"desc", b"logo", b"more")
BLOCK = 5000

#: field name -> (storage item, the distinct value seeded into it for NETUID): each field of
#: the info structs must be what its storage item holds.
PARAMS: dict[str, tuple[Any, int | bool]] = {
    "rho": (epoch.Rho, 11), "kappa": (epoch.Kappa, 12_345), "difficulty": (neurons.Difficulty, 10**12 + 1),
    "immunity_period": (neurons.ImmunityPeriod, 4_097), "max_allowed_validators": (epoch.MaxAllowedValidators, 63),
    "min_allowed_weights": (weights.MinAllowedWeights, 7), "scaling_law_power": (epoch.ScalingLawPower, 51),
    "max_allowed_uids": (neurons.MaxAllowedUids, 4_000), "blocks_since_last_step": (coinbase.BlocksSinceLastStep, 77),
    "tempo": (subnets.Tempo, 99), "burn": (neurons.Burn, 3 * 10**9 + 5),
    "min_difficulty": (neurons.MinDifficulty, 1_001), "max_difficulty": (neurons.MaxDifficulty, 2**40),
    "weights_version": (weights.WeightsVersionKey, 2**33 + 3), "weights_rate_limit": (weights.WeightsSetRateLimit, 101),
    "adjustment_interval": (neurons.AdjustmentInterval, 113), "activity_cutoff": (epoch.ActivityCutoff, 5_003),
    "registration_allowed": (subnets.NetworkRegistrationAllowed, True),
    "target_regs_per_interval": (neurons.TargetRegistrationsPerInterval, 3), "min_burn": (neurons.MinBurn, 500_001),
    "max_burn": (neurons.MaxBurn, 10**11 + 7), "bonds_moving_avg": (epoch.BondsMovingAverage, 900_001),
    "max_regs_per_block": (neurons.MaxRegistrationsPerBlock, 5), "serving_rate_limit": (ServingRateLimit, 49),
    "adjustment_alpha": (neurons.AdjustmentAlpha, 58_001), "commit_reveal_period": (weights.RevealPeriodEpochs, 4),
    "commit_reveal_weights_enabled": (weights.CommitRevealWeightsEnabled, True),
    "liquid_alpha_enabled": (epoch.LiquidAlphaOn, True),
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
    epoch.AlphaValues.insert(netuid, (1_000, 60_000))
    epoch.AlphaSigmoidSteepness.insert(netuid, -7)
    epoch.Yuma3On.insert(netuid, True)
    subnets.SubtokenEnabled.insert(netuid, True)
    subnets.TransferToggle.insert(netuid, False)
    epoch.BondsResetOn.insert(netuid, True)
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
        epoch.Yuma3On.insert(NETUID, False)
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


# ---------------------------------------------------------------------------
# Stake weights (Rust staking/stake_utils.rs), ports of pallets/subtensor/src/tests/children.rs

U64_MAX = (1 << 64) - 1


def set_children(netuid: int, parent: bytes, children: list[tuple[int, bytes]]) -> None:
    """What Rust's `mock_set_children_no_epochs` leaves in storage."""
    ChildKeys.insert(parent, netuid, children)
    for proportion, child in children:
        ParentKeys.insert(child, netuid, [*ParentKeys.get(child, netuid), (proportion, parent)])


def test_children_stake_values(ext: Externalities) -> None:
    """Port of children.rs `test_children_stake_values`: three children of u64::MAX / 4 each."""
    parent, children = b"\x02" * 32, [bytes([3 + i]) * 32 for i in range(3)]
    TotalHotkeyAlpha.insert(parent, 5, 100_000_000_000_000)
    set_children(5, parent, [(U64_MAX // 4, child) for child in children])
    assert stake_weights.inherited_alpha(parent, 5) == 25_000_000_069_849
    assert [stake_weights.inherited_alpha(child, 5) for child in children] == [24_999_999_976_716] * 3
    assert stake_weights.inherited_alpha(parent, 5) + 3 * 24_999_999_976_716 == 99_999_999_999_997


def test_get_stake_for_hotkey_on_subnet_single_parent_child(ext: Externalities) -> None:
    """Port of children.rs `test_get_stake_for_hotkey_on_subnet_single_parent_child`."""
    parent, child = b"\x01" * 32, b"\x02" * 32
    TotalHotkeyAlpha.insert(parent, 5, 1_000_000_000)
    set_children(5, parent, [(U64_MAX, child)])
    assert (stake_weights.inherited_alpha(parent, 5), stake_weights.inherited_alpha(child, 5)) == (0, 1_000_000_000)


def test_get_stake_for_hotkey_on_subnet_multiple_parents_single_child(ext: Externalities) -> None:
    """Port of children.rs `test_get_stake_for_hotkey_on_subnet_multiple_parents_single_child`
    (Rust checks within 10 of 500, 1000, 1499)."""
    parent1, parent2, child = b"\x01" * 32, b"\x02" * 32, b"\x03" * 32
    TotalHotkeyAlpha.insert(parent1, 5, 1000)
    TotalHotkeyAlpha.insert(parent2, 5, 2000)
    set_children(5, parent1, [(U64_MAX // 2, child)])
    set_children(5, parent2, [(U64_MAX // 2, child)])
    got = [stake_weights.inherited_alpha(h, 5) for h in (parent1, parent2, child)]
    assert all(abs(g - want) <= 10 for g, want in zip(got, (500, 1000, 1499), strict=True)), got


def test_root_alpha_is_not_inherited_and_tao_follows_the_subnet_relations(ext: Externalities) -> None:
    parent, child = b"\x01" * 32, b"\x02" * 32
    TotalHotkeyAlpha.insert(parent, 0, 7_000)
    set_children(0, parent, [(U64_MAX, child)])
    assert stake_weights.inherited_alpha(parent, 0) == 7_000  # root: own stake, whatever the children
    _, alpha, _ = stake_weights.stake_weights_for_network(0, [parent, child])
    assert [stake_weights.to_u64(a) for a in alpha] == [7_000, 0]
    set_children(5, parent, [(U64_MAX, child)])
    # TAO on subnet 5: the parent's root stake passes along subnet 5's relations.
    assert (stake_weights.inherited_tao(parent, 5), stake_weights.inherited_tao(child, 5)) == (0, 7_000)


@pytest.mark.parametrize(("tao_weight", "total"), [
    (0, lambda a, t: a), (U64_MAX, lambda a, t: a + t), (1 << 63, lambda a, t: a + t // 2),
])
def test_total_stake_weighs_root_tao_by_tao_weight(ext: Externalities, tao_weight: int, total: Any) -> None:
    """TaoWeight / u64::MAX: 0, exactly 1 and exactly 1/2 (the quotient truncates to 2^31 / 2^32)."""
    TaoWeight.put(tao_weight)
    hotkeys = [hotkey(uid) for uid in range(N)]
    for uid, h in enumerate(hotkeys):
        TotalHotkeyAlpha.insert(h, 0, 10**12 + 3 * uid + 1)
    weights_total, alpha, tao = stake_weights.stake_weights_for_network(NETUID, [*hotkeys, None])
    alpha, tao, weights_total = ([stake_weights.to_u64(x) for x in v] for v in (alpha, tao, weights_total))
    assert alpha == [1_000_000_000 * (uid + 1) + 7 for uid in range(N)] + [0]
    assert tao == [10**12 + 3 * uid + 1 for uid in range(N)] + [0]
    assert weights_total == [total(a, t) for a, t in zip(alpha, tao, strict=True)]


# ---------------------------------------------------------------------------
# Metagraph, mechagraph, selective metagraph, subnet state


IDENTITY_V2 = ChainIdentityV2(b"val", b"https://v", b"gh", b"img", b"dc", b"d", b"x")


def seed_metagraph() -> None:
    for uid in range(N):
        neurons.BlockAtRegistration.insert(NETUID, uid, 100 + uid)
        coinbase.AlphaDividendsPerSubnet.insert(NETUID, hotkey(uid), 9_000 + uid)
        TotalHotkeyAlpha.insert(hotkey(uid), 0, 5_000 * (uid + 1))
        coinbase.LastHotkeyEmissionOnNetuid.insert(hotkey(uid), NETUID, 70 + uid)
    IdentitiesV2.insert(coldkey(1), IDENTITY_V2)
    TaoWeight.put(U64_MAX)  # exactly 1: total = alpha + tao


@pytest.fixture
def metagraph_env(subnet: Externalities) -> Externalities:
    seed_metagraph()
    return subnet


VECTORS = {  # Metagraph field -> the storage item it carries verbatim
    "active": epoch.Active, "validator_permit": epoch.ValidatorPermit, "pruning_score": epoch.PruningScores,
    "last_update": epoch.LastUpdate, "emission": epoch.Emission, "dividends": epoch.Dividends,
    "incentives": epoch.Incentive, "consensus": epoch.Consensus, "trust": epoch.Trust, "rank": epoch.Rank,
}


def assert_metagraph(decoded: dict[str, Any], netuid: int = NETUID) -> None:
    assert decoded["netuid"] == netuid
    assert bytes(decoded["name"]) == b"my subnet" and bytes(decoded["symbol"]) == "β".encode()
    assert bytes(decoded["identity"]["github_repo"]) == b"gh"
    assert account(decoded["owner_hotkey"]) == OWNER_HOTKEY and account(decoded["owner_coldkey"]) == OWNER_COLDKEY
    assert (decoded["block"], decoded["last_step"], decoded["blocks_since_last_step"]) == \
        (BLOCK, LAST_STEP, BLOCK - LAST_STEP)
    assert decoded["network_registered_at"] == REGISTERED_AT and decoded["tempo"] == PARAMS["tempo"][1]
    for name, (_, value) in POOL.items():
        assert decoded[name] == value, name
    assert decoded["pending_alpha_emission"] == PENDING_VALIDATOR + PENDING_SERVER
    assert decoded["moving_price"] == {"bits": MOVING_PRICE}
    assert (decoded["subnet_emission"], decoded["pending_root_emission"], decoded["max_weights_limit"]) == (0, 0, 65535)
    renamed = {"max_validators": "max_allowed_validators", "max_uids": "max_allowed_uids"}
    for name in ("rho", "kappa", "min_allowed_weights", "weights_version", "weights_rate_limit", "activity_cutoff",
                 "max_validators", "max_uids", "burn", "difficulty", "registration_allowed", "immunity_period",
                 "min_difficulty", "max_difficulty", "min_burn", "max_burn", "adjustment_alpha",
                 "adjustment_interval", "target_regs_per_interval", "max_regs_per_block", "serving_rate_limit",
                 "commit_reveal_weights_enabled", "commit_reveal_period", "liquid_alpha_enabled", "bonds_moving_avg"):
        assert decoded[name] == PARAMS[renamed.get(name, name)][1], name
    assert decoded["pow_registration_allowed"] is True and decoded["num_uids"] == N
    assert (decoded["alpha_low"], decoded["alpha_high"]) == (1_000, 60_000)
    assert [account(h) for h in decoded["hotkeys"]] == [hotkey(uid) for uid in range(N)]
    assert [account(c) for c in decoded["coldkeys"]] == [coldkey(uid) for uid in range(N)]
    assert [i and bytes(i["name"]) for i in decoded["identities"]] == [None, b"val", None]
    assert decoded["axons"][0]["port"] == AXON.port and decoded["axons"][1]["port"] == 0
    for name, item in VECTORS.items():
        want = item.get(NETUID)
        assert list(decoded[name]) == want, name
    assert list(decoded["block_at_registration"]) == [100 + uid for uid in range(N)]
    assert list(decoded["alpha_stake"]) == [1_000_000_000 * (uid + 1) + 7 for uid in range(N)]
    assert list(decoded["tao_stake"]) == [5_000 * (uid + 1) for uid in range(N)]
    assert list(decoded["total_stake"]) == [1_000_000_000 * (uid + 1) + 7 + 5_000 * (uid + 1) for uid in range(N)]
    assert [(account(h), d) for h, d in decoded["tao_dividends_per_hotkey"]] == [(hotkey(uid), 0) for uid in range(N)]
    assert [(account(h), d) for h, d in decoded["alpha_dividends_per_hotkey"]] == \
        [(hotkey(uid), 9_000 + uid) for uid in range(N)]


def test_get_metagraph_reads_storage(metagraph_env: Externalities) -> None:
    assert_metagraph(output("get_metagraph", netuid_arg(NETUID), metagraph_env))


def test_get_all_metagraphs_over_storage_order(metagraph_env: Externalities) -> None:
    NetworksAdded.insert(2, False)
    decoded = output("get_all_metagraphs", b"", metagraph_env)
    assert len(decoded) == 2 and decoded[1] is None
    assert_metagraph(decoded[0])


def test_metagraph_of_a_uid_without_hotkey(metagraph_env: Externalities) -> None:
    """`Keys::get` of a missing uid is the zero account (and weighs no stake)."""
    Keys.remove(NETUID, 1)
    TotalHotkeyAlpha.insert(bytes(32), NETUID, 123)
    decoded = output("get_metagraph", netuid_arg(NETUID), metagraph_env)
    assert account(decoded["hotkeys"][1]) == bytes(32) and decoded["alpha_stake"][1] == 0


def test_get_mechagraph(metagraph_env: Externalities) -> None:
    """Mechanism 1 of subnet 1: storage index 4096 + 1 for incentives and last updates."""
    subnets.MechanismCountCurrent.insert(NETUID, 2)
    epoch.Incentive.insert(4097, [5, 6, 7])
    epoch.LastUpdate.insert(4097, [8, 9])
    decoded = output("get_mechagraph", Tuple(U16, U8).encode((NETUID, 1)), metagraph_env)
    assert decoded["netuid"] == 4097 and list(decoded["incentives"]) == [5, 6, 7] and list(decoded["last_update"]) == [8, 9]
    assert list(decoded["emission"]) == epoch.Emission.get(NETUID)
    mech0 = output("get_mechagraph", Tuple(U16, U8).encode((NETUID, 0)), metagraph_env)
    assert_metagraph(mech0)
    assert call("SubnetInfoRuntimeApi_get_mechagraph", Tuple(U16, U8).encode((NETUID, 2)), metagraph_env) == b"\x00"
    assert [m["netuid"] for m in output("get_all_mechagraphs", b"", metagraph_env)] == [NETUID, 4097]


def selective(netuid: int, indexes: list[int], ext: Externalities) -> SelectiveMetagraph | None:
    return Option(SelectiveMetagraph.SCALE).decode_all(
        call("SubnetInfoRuntimeApi_get_selective_metagraph", Tuple(U16, Vec(U16)).encode((netuid, indexes)), ext))


def test_selective_metagraph_index_order_is_the_rust_enum() -> None:
    """A few `SelectiveMetagraphIndex::from_index` entries (rpc_info/metagraph.rs)."""
    from pysubtensor.pallets.subtensor.apis.subnet_info import SELECTIVE_FIELDS
    assert len(SELECTIVE_FIELDS) == 74
    assert (SELECTIVE_FIELDS[0], SELECTIVE_FIELDS[3], SELECTIVE_FIELDS[21], SELECTIVE_FIELDS[29],
            SELECTIVE_FIELDS[52], SELECTIVE_FIELDS[71], SELECTIVE_FIELDS[72], SELECTIVE_FIELDS[73]) == \
        ("netuid", "identity", "moving_price", "max_validators", "hotkeys", "alpha_dividends_per_hotkey",
         "validators", "commitments")


def test_selective_metagraph_has_what_was_asked(metagraph_env: Externalities) -> None:
    full = output("get_metagraph", netuid_arg(NETUID), metagraph_env)
    # Every index asks for the field the full metagraph has (bt-decode over the real type).
    data = call("SubnetInfoRuntimeApi_get_selective_metagraph",
                Tuple(U16, Vec(U16)).encode((NETUID, list(range(72)))), metagraph_env)
    every = decode_output("SubnetInfoRuntimeApi", "get_selective_metagraph", data)
    for name, value in full.items():
        assert every[name] == value, name
    # Only what was asked; netuid stays root unless index 0 is asked for (Rust merge_value).
    some = selective(NETUID, [8, 52, 999], metagraph_env)
    assert some.netuid == 0 and some.tempo == PARAMS["tempo"][1]
    assert some.hotkeys == [hotkey(uid) for uid in range(N)]
    assert all(getattr(some, f) is None for f in SelectiveMetagraph.__slots__ if f not in ("netuid", "tempo", "hotkeys"))
    assert selective(NETUID, [0], metagraph_env).netuid == NETUID
    assert selective(NETUID, [], metagraph_env) == SelectiveMetagraph(0, *([None] * 73))
    assert selective(7, [0], metagraph_env) is None


def test_selective_metagraph(metagraph_env: Externalities) -> None:
    """Port of rpc_info/metagraph.rs `test_selective_metagraph`: index 100 merges nothing,
    index 1 the name, index 50 alpha_low (through the API rather than `merge_value`)."""
    assert selective(NETUID, [100], metagraph_env) == SelectiveMetagraph(0, *([None] * 73))
    assert selective(NETUID, [1], metagraph_env).name == list(b"my subnet")
    result = selective(NETUID, [100, 1, 50], metagraph_env)
    assert (result.name, result.alpha_low, result.alpha_high) == (list(b"my subnet"), 1_000, None)


def test_selective_identity_is_an_option_in_an_option(metagraph_env: Externalities) -> None:
    """Index 3: `Some(SubnetIdentitiesV3::get(netuid))`, `Some(None)` without an identity."""
    assert selective(NETUID, [3], metagraph_env).identity == IDENTITY
    subnets.SubnetIdentitiesV3.remove(NETUID)
    data = call("SubnetInfoRuntimeApi_get_selective_metagraph", Tuple(U16, Vec(U16)).encode((NETUID, [3])),
                metagraph_env)
    assert data[:5] == b"\x01" + bytes([NETUID * 0]) + b"\x00\x00\x01"  # Some(meta), netuid 0, name, symbol: None
    assert data[5] == 0  # then the identity's inner None
    assert selective(NETUID, [3], metagraph_env).identity == Some(None)


def test_selective_validators_and_commitments(metagraph_env: Externalities) -> None:
    """Index 72: permitted uids whose stake weight exceeds StakeThreshold, by ascending stake;
    index 73: commitments (none: this runtime has no commitments pallet)."""
    epoch.ValidatorPermit.insert(NETUID, [True, True, True])
    TotalHotkeyAlpha.insert(hotkey(0), NETUID, 9 * 10**9)  # uid 0 now the largest
    weights.StakeThreshold.put(2 * 10**9 + 7 + 10_000)  # uid 1's total exactly: not above
    result = selective(NETUID, [72, 73], metagraph_env)
    assert result.validators == [2, 0] and result.commitments == []
    weights.StakeThreshold.put(0)
    assert selective(NETUID, [72], metagraph_env).validators == [1, 2, 0]
    epoch.ValidatorPermit.insert(NETUID, [True, False])
    assert selective(NETUID, [72], metagraph_env).validators == [0]


def test_selective_mechagraph(metagraph_env: Externalities) -> None:
    epoch.Incentive.insert(4097, [5, 6, 7])
    epoch.LastUpdate.insert(4097, [8])
    data = call("SubnetInfoRuntimeApi_get_selective_mechagraph",
                Tuple(U16, U8, Vec(U16)).encode((NETUID, 1, [59, 62, 8])), metagraph_env)
    result = Option(SelectiveMetagraph.SCALE).decode_all(data)
    assert (result.netuid, result.incentives, result.last_update, result.tempo) == (NETUID, [5, 6, 7], [8],
                                                                                     PARAMS["tempo"][1])
    assert decode_output("SubnetInfoRuntimeApi", "get_selective_mechagraph", data)["incentives"] == (5, 6, 7)


def test_get_subnet_state_reads_storage(metagraph_env: Externalities) -> None:
    NetworksAdded.insert(2, True)
    coinbase.LastHotkeyEmissionOnNetuid.insert(hotkey(0), 2, 555)
    decoded = output("get_subnet_state", netuid_arg(NETUID), metagraph_env)
    full = output("get_metagraph", netuid_arg(NETUID), metagraph_env)
    for name in ("hotkeys", "coldkeys", *VECTORS, "block_at_registration", "alpha_stake", "tao_stake", "total_stake"):
        assert decoded[name] == full[name], name
    assert decoded["netuid"] == NETUID
    # Per subnet in storage order, each hotkey's last emission there.
    assert [list(row) for row in decoded["emission_history"]] == [[70, 71, 72], [555, 0, 0]]


def test_get_coldkey_auto_stake_hotkey(ext: Externalities) -> None:
    args = Tuple(ACCOUNT_ID, U16).encode((coldkey(0), NETUID))
    assert call("SubnetInfoRuntimeApi_get_coldkey_auto_stake_hotkey", args, ext) == b"\x00"
    AutoStakeDestination.insert(coldkey(0), NETUID, hotkey(2))
    assert call("SubnetInfoRuntimeApi_get_coldkey_auto_stake_hotkey", args, ext) == b"\x01" + hotkey(2)


# ---------------------------------------------------------------------------
# get_subnet_to_prune: ports of pallets/subtensor/src/tests/networks.rs prune_* tests

IMMUNITY = 1_000


def add_dynamic_network(netuid: int) -> int:
    """What Rust's `add_dynamic_network` leaves that pruning reads: added, dynamic mechanism,
    registered at the current block."""
    NetworksAdded.insert(netuid, True)
    subnets.SubnetMechanism.insert(netuid, 1)
    subnets.NetworkRegisteredAt.insert(netuid, Number.get())
    return netuid


def price(netuid: int, value: int) -> None:
    coinbase.SubnetMovingPrice.insert(netuid, value << 32)


def to_prune(ext: Externalities) -> int | None:
    return Option(U16).decode_all(call("SubnetInfoRuntimeApi_get_subnet_to_prune", b"", ext))


@pytest.fixture
def chain() -> Iterator[Externalities]:
    with frame_env() as ext:
        subnets.NetworkImmunityPeriod.put(IMMUNITY)
        NetworksAdded.insert(0, True)  # root is never pruned
        yield ext


def test_prune_none_with_no_networks(chain: Externalities) -> None:
    assert to_prune(chain) is None


def test_prune_none_when_all_networks_immune(chain: Externalities) -> None:
    add_dynamic_network(1)
    add_dynamic_network(2)
    assert to_prune(chain) is None


def test_prune_selects_network_with_lowest_price(chain: Externalities) -> None:
    n1, n2 = add_dynamic_network(1), add_dynamic_network(2)
    Number.put(IMMUNITY + 10)
    price(n1, 1)
    price(n2, 10)
    assert to_prune(chain) == n1


def test_prune_ignores_immune_network_even_if_lower_price(chain: Externalities) -> None:
    n1 = add_dynamic_network(1)
    Number.put(IMMUNITY + 5)
    n2 = add_dynamic_network(2)
    price(n1, 5)
    price(n2, 1)
    Number.put(IMMUNITY + 10)
    assert to_prune(chain) == n1


def test_prune_tie_on_price_earlier_registration_wins(chain: Externalities) -> None:
    n1 = add_dynamic_network(1)
    Number.put(1)
    n2 = add_dynamic_network(2)
    Number.put(IMMUNITY + 20)
    price(n1, 7)
    price(n2, 7)
    assert to_prune(chain) == n1


def test_prune_selection_complex_state_exhaustive(chain: Externalities) -> None:
    """Port of `prune_selection_complex_state_exhaustive` (dissolving n5: its NetworksAdded
    entry removed)."""
    n1, n2 = add_dynamic_network(1), add_dynamic_network(2)
    Number.put(1)
    n3 = add_dynamic_network(3)
    Number.put(2)
    n4 = add_dynamic_network(4)
    Number.put(IMMUNITY + 5)
    n5 = add_dynamic_network(5)
    Number.put(IMMUNITY + 6)
    n6 = add_dynamic_network(6)
    for netuid, value in ((n1, 25), (n2, 25), (n3, 100), (n4, 1), (n5, 0), (n6, 0)):
        price(netuid, value)
    Number.put(IMMUNITY + 10)
    assert to_prune(chain) == n4  # A: lowest among mature
    price(n4, 25)
    assert to_prune(chain) == n1  # B: tie, same registration: first in storage order
    price(n3, 25)
    assert to_prune(chain) == n1  # C: tie: earliest registration
    assert to_prune(chain) == n1  # D: immune n5, n6 ignored though cheaper
    Number.put(0)
    assert to_prune(chain) is None  # E: all immune
    Number.put(2 * IMMUNITY + 10)
    assert to_prune(chain) == n5  # F: n5, n6 mature at price 0, n5 registered first
    NetworksAdded.remove(n5)
    assert to_prune(chain) == n6  # G
    price(n6, 100)
    price(n3, 1)
    assert to_prune(chain) == n3  # H
    price(n2, 1)
    assert to_prune(chain) == n2  # I: tie, earlier registration
    NetworksAdded.insert(n2, False)
    assert to_prune(chain) != n2
    NetworksAdded.insert(n2, True)
    assert to_prune(chain) != 0


def test_prune_stable_mechanism_prices_one(chain: Externalities) -> None:
    """`get_moving_alpha_price`: 1.0 for mechanism 0, whatever SubnetMovingPrice holds; a
    negative moving price is 0 as U96F32."""
    n1, n2 = add_dynamic_network(1), add_dynamic_network(2)
    subnets.SubnetMechanism.insert(n1, 0)
    price(n1, 0)
    price(n2, 2)
    Number.put(IMMUNITY)
    assert to_prune(chain) == n1
    coinbase.SubnetMovingPrice.insert(n2, -(5 << 32))
    assert to_prune(chain) == n2


# ---------------------------------------------------------------------------
# DelegateInfoRuntimeApi (Rust rpc_info/delegate_info.rs; tests/delegate_info.rs)


def stake(hotkey_: bytes, coldkey_: bytes, netuid: int, amount: int) -> None:
    """`amount` alpha staked by `coldkey_` to `hotkey_`, one share per alpha (what add_stake
    leaves in a fresh pool)."""
    staking.Alpha.insert(hotkey_, coldkey_, netuid, amount << 64)
    TotalHotkeyAlpha.insert(hotkey_, netuid, TotalHotkeyAlpha.get(hotkey_, netuid) + amount)
    staking.TotalHotkeyShares.insert(hotkey_, netuid, staking.TotalHotkeyShares.get(hotkey_, netuid) + (amount << 64))


def test_return_per_1000_tao() -> None:
    """Port of delegate_info.rs `test_return_per_1000_tao`: 18% take, 10,000 TAO stake,
    1,000 TAO a day: 82 TAO per 1,000 (within 0.0005 TAO), exactly 10^11 * (1 - take)."""
    from pysubtensor.pallets.subtensor.apis.delegate_info import _return_per_1000_tao
    take = int(0.18 * 65535)  # U64F64::from_num(0.18 * u16::MAX).to_num::<u16>() = 11796
    got = _return_per_1000_tao(take, 10_000 * 10**9 << 64, 1_000 * 10**9 << 64)
    assert abs(got / 2**64 / 1e9 - 82.0) <= 0.0005e9
    assert got >> 64 == (10**11 * ((1 << 64) - (take << 64) // 65535)) >> 64 == 82_000_457_770


def test_get_delegated(ext: Externalities) -> None:
    """Port of delegate_info.rs `test_get_delegated` over seeded stake: each (delegate, subnet)
    a delegatee stakes on, with that stake."""
    netuids = (1, 2)
    delegates = (b"\xd0" * 32, b"\xd1" * 32)
    for d in delegates:
        hierarchy.Delegates.insert(d, 11_796)
    delegatees = [bytes([0xe0 + i]) * 32 for i in range(5)]
    plans = [
        [(netuids[0], 0, 1_000_000_000), (netuids[1], 0, 2_000_000_000), (netuids[0], 1, 1_000_000_000),
         (netuids[1], 1, 2_000_000_000)],
        [(netuids[0], 0, 1_000_000_000), (netuids[0], 1, 2_000_000_000)],
        [(netuids[0], 0, 1_000_000_000), (netuids[1], 1, 2_000_000_000)],
        [(netuids[0], 0, 1_000_000_000)],
        [],
    ]
    for delegatee, plan in zip(delegatees, plans, strict=True):
        for netuid, d, amount in plan:
            stake(delegates[d], delegatee, netuid, amount)
    for delegatee, plan in zip(delegatees, plans, strict=True):
        # (bt-decode's DelegateInfo class has an older layout: decoded by the real type)
        decoded = decode_output("DelegateInfoRuntimeApi", "get_delegated",
                                call("DelegateInfoRuntimeApi_get_delegated", delegatee, ext))
        got = sorted((account(info["delegate_ss58"]), netuid, staked) for info, (netuid, staked) in decoded)
        assert got == sorted((delegates[d], netuid, amount) for netuid, d, amount in plan)
        for info, _ in decoded:
            assert list(info["nominators"]) == []  # skipped for get_delegated


def test_get_delegate_reads_storage(ext: Externalities) -> None:
    """Take, owner, nominators (by account, subnets in storage order), registrations, permits,
    and the daily return: Emission of its uid times 7200 / tempo per registered subnet."""
    d = hotkey(0)  # uid 0 of NETUID (seeded: emission 2^33, validator permit)
    hierarchy.Delegates.insert(d, 6_553)
    neurons.IsNetworkMember.insert(d, NETUID, True)
    neurons.IsNetworkMember.insert(d, 2, True)  # member but no uid there: no emission, no permit
    neurons.IsNetworkMember.insert(d, 3, False)
    subnets.Tempo.insert(NETUID, 360)
    TotalHotkeyAlpha.remove(d, NETUID)  # a fresh pool: one alpha per share
    stake(d, b"\xbb" * 32, NETUID, 5 * 10**9)
    stake(d, b"\xaa" * 32, NETUID, 3 * 10**9)
    stake(d, b"\xaa" * 32, 0, 10**13)  # root stake: the return's denominator
    staking.Alpha.insert(d, b"\xcc" * 32, NETUID, 0)  # a zero share is no nominator
    NetworksAdded.insert(0, True)
    info = decode_output("DelegateInfoRuntimeApi", "get_delegate",
                         call("DelegateInfoRuntimeApi_get_delegate", d, ext))
    assert account(info["delegate_ss58"]) == d and account(info["owner_ss58"]) == coldkey(0) and info["take"] == 6_553
    assert [(account(n), [tuple(x) for x in s]) for n, s in info["nominators"]] == \
        [(b"\xaa" * 32, [(0, 10**13), (NETUID, 3 * 10**9)]), (b"\xbb" * 32, [(NETUID, 5 * 10**9)])]
    assert list(info["registrations"]) == [NETUID, 2] and list(info["validator_permits"]) == [NETUID]
    daily = 2**33 * 20  # 7200 / 360 epochs a day
    assert info["total_daily_return"] == daily
    without_take = (1 << 64) - (6_553 << 64) // 65535
    assert info["return_per_1000"] == ((daily * without_take) // 10) >> 64  # 10^13 rao = 10 x 1000 TAO
    assert call("DelegateInfoRuntimeApi_get_delegate", hotkey(1), ext) == b"\x00"
    everyone = decode_output("DelegateInfoRuntimeApi", "get_delegates",
                             call("DelegateInfoRuntimeApi_get_delegates", b"", ext))
    assert [account(i["delegate_ss58"]) for i in everyone] == [d]


def test_nominator_stake_is_its_share_of_the_pool(ext: Externalities) -> None:
    """SharePool `get_value_from_shares`: TotalHotkeyAlpha / TotalHotkeyShares per share
    (1.5 here: the pool grew by emission), truncated; nominators by account (a BTreeMap),
    not in storage order (blake2 of the coldkey puts 0x22… before 0x11…)."""
    d, first, second = b"\xd0" * 32, b"\x11" * 32, b"\x22" * 32
    hierarchy.Delegates.insert(d, 0)
    staking.Alpha.insert(d, first, NETUID, (3 * 10**9) << 64)
    staking.Alpha.insert(d, second, NETUID, ((5 * 10**9) << 64) + (1 << 63))  # and half a share
    staking.TotalHotkeyShares.insert(d, NETUID, (8 * 10**9) << 64)
    TotalHotkeyAlpha.insert(d, NETUID, 12 * 10**9)
    assert [k[0] for k, _ in staking.Alpha.iter_prefix(d)] == [second, first]
    decoded = decode_output("DelegateInfoRuntimeApi", "get_delegated",
                            call("DelegateInfoRuntimeApi_get_delegated", second, ext))
    assert [tuple(stake_) for _, stake_ in decoded] == [(NETUID, 7_500_000_000)]  # 5e9 + 0.5 shares x 1.5

    def nominators() -> list[tuple[bytes, list[tuple[int, int]]]]:
        info = decode_output("DelegateInfoRuntimeApi", "get_delegate",
                             call("DelegateInfoRuntimeApi_get_delegate", d, ext))
        return [(account(n), [tuple(x) for x in s]) for n, s in info["nominators"]]

    # Rust picks the pool by indexing the list of NetworksAdded keys (storage order) with the
    # netuid: with only netuid 1 added there is no pools[1], and the nominators are left out.
    assert nominators() == []
    NetworksAdded.insert(0, True)
    assert nominators() == [(first, [(NETUID, 4_500_000_000)]), (second, [(NETUID, 7_500_000_000)])]
    # With 256 added the keys are 0, 256, 1: pools[1] is subnet 256's pool (2 alpha a share).
    NetworksAdded.insert(256, True)
    staking.TotalHotkeyShares.insert(d, 256, (8 * 10**9) << 64)
    TotalHotkeyAlpha.insert(d, 256, 16 * 10**9)
    assert nominators() == [(first, [(NETUID, 6_000_000_000)]), (second, [(NETUID, 10_000_000_001)])]
    NetworksAdded.remove(256)
    staking.TotalHotkeyShares.insert(d, NETUID, 0)  # no denominator: nothing
    assert nominators() == [(first, [(NETUID, 0)]), (second, [(NETUID, 0)])]
