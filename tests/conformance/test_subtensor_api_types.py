"""SubtensorModule's runtime-API value types (pallets/subtensor/rpc_info) against the real runtimes.

Shapes: for every method of the subtensor info APIs in the real spec-381 (V16) and finney 343
(V15) metadata, the type we would encode its output with, and decode its inputs with, is the
real type: paths, type parameters, fields, field type names, Compact, Option, nesting
(`TypeWalker` over the real registry). Finney 343 has the same shapes; its field type names say
`TaoCurrency` / `AlphaCurrency` where spec 381 says `TaoBalance` / `AlphaBalance` (renamed since),
so that one rename, and nothing else, is allowed there.

Bytes: values encoded with our codecs are decoded by bt-decode (the decoder bittensor and
async-substrate-interface use), both through its hand-written bittensor classes and through the
real finney registry, and re-encoded by it to the same bytes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import bt_decode
import pytest

from pysubtensor.pallets.subtensor.rpc_info import (
    AxonInfo,
    DelegateInfo,
    DynamicInfo,
    Metagraph,
    NeuronInfo,
    NeuronInfoLite,
    PrometheusInfo,
    SelectiveMetagraph,
    StakeInfo,
    SubnetHyperparams,
    SubnetHyperparamsV2,
    SubnetIdentityV3,
    SubnetInfo,
    SubnetInfov2,
    SubnetState,
)
from pysubtensor.pallets.support.registry import TypeRegistry
from pysubtensor.primitives import fixed
from pysubtensor.primitives.metadata.registry import TypeDefComposite
from pysubtensor.primitives.scale import (
    BOOL,
    U8,
    U16,
    U64,
    Array,
    Bool,
    Bytes,
    Codec,
    Compact,
    Int,
    Option,
    Struct,
    Tuple,
    Vec,
)
from pysubtensor.primitives.types import ACCOUNT_ID
from tests.support.metadata import DEVNET_381, FINNEY_343_V15, TypeWalker, metadata_blob, real_metadata

NETUID = U16
MECID = U8


def _opt(cls: type) -> Codec:
    return Option(cls.SCALE)  # type: ignore[attr-defined]


def _vec(cls: type) -> Codec:
    return Vec(cls.SCALE)  # type: ignore[attr-defined]


#: Each method: (inputs as (name, codec), output), in the order the real API declares them.
SIGNATURES: dict[str, dict[str, tuple[tuple[tuple[str, Codec], ...], Codec]]] = {
    "DelegateInfoRuntimeApi": {
        "get_delegates": ((), _vec(DelegateInfo)),
        "get_delegate": ((("delegate_account", ACCOUNT_ID),), _opt(DelegateInfo)),
        "get_delegated": ((("delegatee_account", ACCOUNT_ID),),
                          Vec(Tuple(DelegateInfo.SCALE, Tuple(Compact(U16), Compact(U64))))),
    },
    "NeuronInfoRuntimeApi": {
        "get_neurons": ((("netuid", NETUID),), _vec(NeuronInfo)),
        "get_neuron": ((("netuid", NETUID), ("uid", U16)), _opt(NeuronInfo)),
        "get_neurons_lite": ((("netuid", NETUID),), _vec(NeuronInfoLite)),
        "get_neuron_lite": ((("netuid", NETUID), ("uid", U16)), _opt(NeuronInfoLite)),
    },
    "SubnetInfoRuntimeApi": {
        "get_subnet_info": ((("netuid", NETUID),), _opt(SubnetInfo)),
        "get_subnets_info": ((), Vec(_opt(SubnetInfo))),
        "get_subnet_info_v2": ((("netuid", NETUID),), _opt(SubnetInfov2)),
        "get_subnets_info_v2": ((), Vec(_opt(SubnetInfov2))),
        "get_subnet_hyperparams": ((("netuid", NETUID),), _opt(SubnetHyperparams)),
        "get_subnet_hyperparams_v2": ((("netuid", NETUID),), _opt(SubnetHyperparamsV2)),
        "get_all_dynamic_info": ((), Vec(_opt(DynamicInfo))),
        "get_all_metagraphs": ((), Vec(_opt(Metagraph))),
        "get_metagraph": ((("netuid", NETUID),), _opt(Metagraph)),
        "get_all_mechagraphs": ((), Vec(_opt(Metagraph))),
        "get_mechagraph": ((("netuid", NETUID), ("mecid", MECID)), _opt(Metagraph)),
        "get_dynamic_info": ((("netuid", NETUID),), _opt(DynamicInfo)),
        "get_subnet_state": ((("netuid", NETUID),), _opt(SubnetState)),
        "get_selective_metagraph": ((("netuid", NETUID), ("metagraph_indexes", Vec(U16))), _opt(SelectiveMetagraph)),
        "get_coldkey_auto_stake_hotkey": ((("coldkey", ACCOUNT_ID), ("netuid", NETUID)), Option(ACCOUNT_ID)),
        "get_selective_mechagraph": ((("netuid", NETUID), ("subid", MECID), ("metagraph_indexes", Vec(U16))),
                                     _opt(SelectiveMetagraph)),
        "get_subnet_to_prune": ((), Option(NETUID)),
    },
    "StakeInfoRuntimeApi": {
        "get_stake_info_for_coldkey": ((("coldkey_account", ACCOUNT_ID),), _vec(StakeInfo)),
        "get_stake_info_for_coldkeys": ((("coldkey_accounts", Vec(ACCOUNT_ID)),),
                                        Vec(Tuple(ACCOUNT_ID, _vec(StakeInfo)))),
        "get_stake_info_for_hotkey_coldkey_netuid": (
            (("hotkey_account", ACCOUNT_ID), ("coldkey_account", ACCOUNT_ID), ("netuid", NETUID)), _opt(StakeInfo)),
        "get_stake_fee": ((("origin", Option(Tuple(ACCOUNT_ID, NETUID))), ("origin_coldkey_account", ACCOUNT_ID),
                           ("destination", Option(Tuple(ACCOUNT_ID, NETUID))),
                           ("destination_coldkey_account", ACCOUNT_ID), ("amount", U64)), U64),
    },
    "SubnetRegistrationRuntimeApi": {
        "get_network_registration_cost": ((), U64),
    },
}

#: Finney 343's names for the u64 newtypes spec 381 calls `TaoBalance` / `AlphaBalance`.
RENAMED_343 = (("TaoCurrency", "TaoBalance"), ("AlphaCurrency", "AlphaBalance"))


class _Renamed:
    """A real registry seen with field type names renamed (`old` → `new`): nothing else changes."""

    def __init__(self, real: Any, renames: tuple[tuple[str, str], ...]) -> None:
        self.real = real
        self.renames = renames

    def _name(self, name: str | None) -> str | None:
        for old, new in self.renames:
            name = name.replace(old, new) if name else name
        return name

    def type(self, type_id: int) -> Any:
        ty = self.real.type(type_id)
        if isinstance(ty.type_def, TypeDefComposite):
            fields = [dataclasses.replace(f, type_name=self._name(f.type_name)) for f in ty.type_def.fields]
            return dataclasses.replace(ty, type_def=TypeDefComposite(fields))
        return ty


def _real_api(blob: str, name: str) -> Any:
    return next(a for a in real_metadata(blob).apis if a.name == name)


@pytest.mark.parametrize("blob", [DEVNET_381, FINNEY_343_V15])
@pytest.mark.parametrize("api", sorted(SIGNATURES))
def test_api_methods_have_our_types(blob: str, api: str) -> None:
    real = _real_api(blob, api)
    ours = SIGNATURES[api]
    assert [m.name for m in real.methods] == list(ours), f"{api}: methods"
    registry = real_metadata(blob).types
    if blob == FINNEY_343_V15:
        registry = _Renamed(registry, RENAMED_343)
    types = TypeRegistry()
    walk = TypeWalker(types, registry, frozenset())
    for method in real.methods:
        inputs, output = ours[method.name]
        where = f"{api}_{method.name}"
        assert [p.name for p in method.inputs] == [n for n, _ in inputs], f"{where}: input names"
        for (name, codec), param in zip(inputs, method.inputs, strict=True):
            walk.same(types.register(codec), param.ty, f"{where}({name})")
        walk.same(types.register(output), method.output, f"{where} output")


def test_renamed_343_view_changes_only_those_names() -> None:
    """The 343 view differs from 343 exactly where a field type name says TaoCurrency /
    AlphaCurrency, and only there."""
    real = real_metadata(FINNEY_343_V15).types
    view = _Renamed(real, RENAMED_343)
    renamed = 0
    for t in real.types:
        if not isinstance(t.ty.type_def, TypeDefComposite):
            assert view.type(t.id) == real.type(t.id)
            continue
        for f, v in zip(real.type(t.id).type_def.fields, view.type(t.id).type_def.fields, strict=True):
            want = (f.type_name or "").replace("TaoCurrency", "TaoBalance").replace("AlphaCurrency", "AlphaBalance")
            assert (v.type_name or "") == want, (t.ty.path, f.name)
            assert dataclasses.replace(v, type_name=f.type_name) == f
            renamed += v.type_name != f.type_name
    assert renamed >= 30  # fields of NeuronInfo(Lite), SubnetInfo(v2), hyperparams, DynamicInfo, metagraphs, …


@pytest.mark.parametrize(("codec", "path", "frac"), [
    (fixed.I32F32, ("substrate_fixed", "FixedI64"), 32),
    (fixed.I96F32, ("substrate_fixed", "FixedI128"), 32),
    (fixed.I64F64, ("substrate_fixed", "FixedI128"), 64),
    (fixed.U96F32, ("substrate_fixed", "FixedU128"), 32),
    (fixed.U64F64, ("substrate_fixed", "FixedU128"), 64),
])
def test_fixed_point_types_are_substrate_fixeds(codec: Codec, path: tuple[str, ...], frac: int) -> None:
    """Each fixed-point type is the real `substrate_fixed::Fixed…<Frac>` (its typenum `Frac`
    included); the real registry has each of them (storage uses those the APIs do not)."""
    md = real_metadata(DEVNET_381)
    candidates = [t.id for t in md.types.types if list(t.ty.path) == list(path)]
    matches = []
    for real_id in candidates:
        types = TypeRegistry()
        try:
            TypeWalker(types, md.types, frozenset()).same(types.register(codec), real_id, str(path))
        except AssertionError:
            continue
        matches.append(real_id)
    assert len(matches) == 1, f"{codec.display_name}: {len(candidates)} candidates, {matches} match"
    assert codec.encode(-(1 << 40) if codec.inner.signed else 1 << 40) == \
        (-(1 << 40) if codec.inner.signed else 1 << 40).to_bytes(codec.inner.size, "little", signed=codec.inner.signed)
    assert codec.frac == frac


# -- bytes ---------------------------------------------------------------------------------

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")


def _axon(seed: int) -> AxonInfo:
    return AxonInfo(block=1_000_000 + seed, version=900 + seed, ip=(0x7F000001 << 96) + seed, port=8091 + seed,
                    ip_type=4, protocol=seed & 0xFF, placeholder1=1, placeholder2=2)


def _prometheus(seed: int) -> PrometheusInfo:
    return PrometheusInfo(block=2_000_000 + seed, version=7, ip=0xC0A80001 + seed, port=9090 + seed, ip_type=6)


def _neuron_lite() -> NeuronInfoLite:
    # Values in every compact mode (1, 2, 4 bytes and the big-integer mode).
    return NeuronInfoLite(
        hotkey=ALICE, coldkey=BOB, uid=63, netuid=64, active=True, axon_info=_axon(1), prometheus_info=_prometheus(2),
        stake=[(BOB, 2**64 - 1), (ALICE, 16384)], rank=65535, emission=2**30, incentive=16383, consensus=0,
        trust=1, validator_trust=2**14, dividends=300, last_update=2**40 + 5, validator_permit=False,
        pruning_score=4242)


def _compare_neuron(decoded: Any, ours: NeuronInfoLite | NeuronInfo) -> None:
    for name in ("uid", "netuid", "active", "rank", "emission", "incentive", "consensus", "trust", "validator_trust",
                 "dividends", "last_update", "validator_permit", "pruning_score"):
        assert getattr(decoded, name) == getattr(ours, name), name
    assert bytes(decoded.hotkey) == ours.hotkey and bytes(decoded.coldkey) == ours.coldkey
    for name in ("block", "version", "ip", "port", "ip_type", "protocol", "placeholder1", "placeholder2"):
        assert getattr(decoded.axon_info, name) == getattr(ours.axon_info, name), f"axon_info.{name}"
    for name in ("block", "version", "ip", "port", "ip_type"):
        assert getattr(decoded.prometheus_info, name) == getattr(ours.prometheus_info, name), f"prometheus.{name}"
    assert [(bytes(k), v) for k, v in decoded.stake] == ours.stake


def test_neuron_info_lite_bytes_decode_with_bt_decode() -> None:
    ours = _neuron_lite()
    data = ours.encode()
    _compare_neuron(bt_decode.NeuronInfoLite.decode(data), ours)
    both = bt_decode.NeuronInfoLite.decode_vec(Vec(NeuronInfoLite.SCALE).encode([ours, ours]))
    assert len(both) == 2
    _compare_neuron(both[1], ours)  # the second starts exactly where our first one ends
    assert NeuronInfoLite.decode(data) == ours


def test_neuron_info_bytes_decode_with_bt_decode() -> None:
    lite = _neuron_lite()
    ours = NeuronInfo(**{f.name: getattr(lite, f.name) for f in dataclasses.fields(lite)},
                      weights=[(0, 65535), (16383, 64)], bonds=[(1, 2**14)])
    decoded = bt_decode.NeuronInfo.decode(ours.encode())
    _compare_neuron(decoded, ours)
    assert [tuple(w) for w in decoded.weights] == ours.weights
    assert [tuple(b) for b in decoded.bonds] == ours.bonds


def test_subnet_info_bytes_decode_with_bt_decode() -> None:
    ours = SubnetInfo(netuid=3, rho=10, kappa=32767, difficulty=10_000_000_000, immunity_period=4096,
                      max_allowed_validators=64, min_allowed_weights=1, max_weights_limit=65535, scaling_law_power=50,
                      subnetwork_n=256, max_allowed_uids=4096, blocks_since_last_step=77, tempo=360,
                      network_modality=0, network_connect=[(1, 2), (300, 65535)], emission_values=2**33,
                      burn=10**9, owner=ALICE)
    decoded = bt_decode.SubnetInfo.decode(ours.encode())
    for f in dataclasses.fields(ours):
        want = getattr(ours, f.name)
        got = getattr(decoded, f.name)
        if f.name == "owner":
            got = bytes(got)
        elif f.name == "network_connect":
            got = [tuple(pair) for pair in got]
        assert got == want, f.name


# Through the real registry: bt-decode walks the finney 343 type of the real API output.

def _bt_registry() -> Any:
    return bt_decode.PortableRegistry.from_metadata_v15(
        bt_decode.MetadataV15.decode_from_metadata_option(metadata_blob(FINNEY_343_V15)))


def _output_type_id(api: str, method: str) -> int:
    return next(m.output for m in _real_api(FINNEY_343_V15, api).methods if m.name == method)


def _as_bt_decode(codec: Codec, value: Any) -> Any:
    """Our value as bt-decode's Python form of the same SCALE type (dicts, tuples, raw ints)."""
    if codec is ACCOUNT_ID:
        return (tuple(value),)
    if isinstance(codec, fixed.FixedPoint):
        return {"bits": value}
    if isinstance(codec, Struct):
        return {f.name: _as_bt_decode(f.codec, getattr(value, attr)) for f, attr in zip(codec.fields, codec.attrs,
                                                                                       strict=True)}
    if isinstance(codec, Option):
        return None if value is None else _as_bt_decode(codec.inner, value)
    if isinstance(codec, Bytes):
        return tuple(value)
    if isinstance(codec, Vec | Array):
        return tuple(_as_bt_decode(codec.inner, v) for v in value)
    if isinstance(codec, Tuple):
        return tuple(_as_bt_decode(c, v) for c, v in zip(codec.items, value, strict=True))
    assert isinstance(codec, Int | Compact | Bool), codec
    return value


def _sample(codec: Codec, seed: list[int]) -> Any:
    """A value of `codec` whose every leaf differs from its neighbours (so that a field read
    from the wrong place shows), numbers across the compact modes."""
    seed[0] += 1
    k = seed[0]
    if codec is ACCOUNT_ID:
        return bytes((k + i) % 256 for i in range(32))
    if isinstance(codec, fixed.FixedPoint):
        return -(k << 31) if codec.inner.signed else k << 70
    if isinstance(codec, Struct) and codec.cls is not None:
        return codec.cls(*(_sample(f.codec, seed) for f in codec.fields))
    if isinstance(codec, Option):
        return None if k % 5 == 0 else _sample(codec.inner, seed)
    if isinstance(codec, Bytes):
        return bytes(range(k % 7 + 1))
    if isinstance(codec, Vec):
        return [_sample(codec.inner, seed) for _ in range(k % 3 + 1)]
    if isinstance(codec, Array):
        return tuple(_sample(codec.inner, seed) for _ in range(codec.length))
    if isinstance(codec, Tuple):
        return tuple(_sample(c, seed) for c in codec.items)
    if codec is BOOL:
        return k % 2 == 0
    inner = codec.inner if isinstance(codec, Compact) else codec
    assert isinstance(inner, Int) and not inner.signed, codec
    return (k, 63 + k, 16383 + k, 2**30 + k, inner.hi - k)[k % 5] % (inner.hi + 1)


@pytest.mark.parametrize(("api", "method", "codec"), [
    ("SubnetInfoRuntimeApi", "get_all_dynamic_info", Vec(Option(DynamicInfo.SCALE))),
    ("SubnetInfoRuntimeApi", "get_subnets_info_v2", Vec(Option(SubnetInfov2.SCALE))),
    ("SubnetInfoRuntimeApi", "get_subnet_hyperparams", Option(SubnetHyperparams.SCALE)),
    ("SubnetInfoRuntimeApi", "get_subnet_hyperparams_v2", Option(SubnetHyperparamsV2.SCALE)),
    ("SubnetInfoRuntimeApi", "get_all_metagraphs", Vec(Option(Metagraph.SCALE))),
    ("SubnetInfoRuntimeApi", "get_selective_metagraph", Option(SelectiveMetagraph.SCALE)),
    ("SubnetInfoRuntimeApi", "get_subnet_state", Option(SubnetState.SCALE)),
    ("NeuronInfoRuntimeApi", "get_neurons", Vec(NeuronInfo.SCALE)),
    ("DelegateInfoRuntimeApi", "get_delegated", Vec(Tuple(DelegateInfo.SCALE, Tuple(Compact(U16), Compact(U64))))),
    ("StakeInfoRuntimeApi", "get_stake_info_for_coldkeys", Vec(Tuple(ACCOUNT_ID, Vec(StakeInfo.SCALE)))),
])
def test_output_bytes_decode_with_bt_decode_over_the_real_registry(api: str, method: str, codec: Codec) -> None:
    """Two values in a row (bt-decode ignores trailing bytes, so the second one shows that the
    first ends where the real type ends)."""
    registry = _bt_registry()
    type_string = f"Vec<scale_info::{_output_type_id(api, method)}>"
    for start in range(3):
        values = [_sample(codec, [start]), _sample(codec, [start + 10])]
        data = Vec(codec).encode(values)
        decoded = bt_decode.decode(type_string, registry, data)
        assert decoded == tuple(_as_bt_decode(codec, v) for v in values)
        assert Vec(codec).decode_all(data) == values


def test_dynamic_info_fields_by_name() -> None:
    """DynamicInfo as bittensor reads it (`DynamicInfo.from_dict` keys): a hand-built value."""
    ours = DynamicInfo(
        netuid=7, owner_hotkey=ALICE, owner_coldkey=BOB, subnet_name=list(b"apex"), token_symbol=list("\u03b1".encode()),
        tempo=360, last_step=2**32, blocks_since_last_step=63, emission=64, alpha_in=16384, alpha_out=2**30,
        tao_in=2**64 - 1, alpha_out_emission=1, alpha_in_emission=0, tao_in_emission=10**9,
        pending_alpha_emission=5, pending_root_emission=6, subnet_volume=2**127 + 1, network_registered_at=12,
        subnet_identity=SubnetIdentityV3(b"apex", b"gh", b"c", b"u", b"d", b"desc", b"logo", b""),
        moving_price=-(3 << 31))  # -1.5 as I96F32
    decoded = bt_decode.decode(f"scale_info::{_output_type_id('SubnetInfoRuntimeApi', 'get_dynamic_info')}",
                               _bt_registry(), b"\x01" + ours.encode())
    assert decoded["netuid"] == 7 and decoded["tempo"] == 360 and decoded["last_step"] == 2**32
    assert bytes(decoded["owner_hotkey"][0]) == ALICE and bytes(decoded["owner_coldkey"][0]) == BOB
    assert bytes(decoded["subnet_name"]) == b"apex" and bytes(decoded["token_symbol"]) == "\u03b1".encode()
    assert (decoded["alpha_in"], decoded["alpha_out"], decoded["tao_in"]) == (16384, 2**30, 2**64 - 1)
    assert decoded["subnet_volume"] == 2**127 + 1 and decoded["network_registered_at"] == 12
    assert bytes(decoded["subnet_identity"]["description"]) == b"desc"
    assert decoded["moving_price"] == {"bits": -(3 << 31)}
