"""Types we declare have the shape the real runtime's metadata (V15, which includes the runtime API types) gives them: same path,
type parameters, field names, type names and variant indices, compared structurally
(recursively, type ids aside) with the real finney spec 343 registry."""

from __future__ import annotations

import pytest

from pysubtensor.pallets.balances.types import ACCOUNT_DATA
from pysubtensor.pallets.support.dispatch import DISPATCH_CLASS, DISPATCH_ERROR, PAYS, WEIGHT
from pysubtensor.pallets.support.registry import TypeRegistry
from pysubtensor.primitives.header import DIGEST, HEADER
from pysubtensor.primitives.keys import MULTI_SIGNATURE
from pysubtensor.primitives.metadata.registry import (
    PortableRegistry,
    TypeDefArray,
    TypeDefCompact,
    TypeDefComposite,
    TypeDefPrimitive,
    TypeDefSequence,
    TypeDefTuple,
    TypeDefVariant,
)
from pysubtensor.primitives.types import ACCOUNT_ID, MULTI_ADDRESS
from pysubtensor.runtime.era import ERA
from pysubtensor.runtime.extrinsic import TRANSACTION_EXTENSIONS
from tests.support.metadata import (
    CALLS_IN_PROGRESS,
    DEVNET_381,
    FINNEY_343_V15,
    FOLLOWS_MAIN,
    ITEMS_BEYOND_381,
    real_metadata,
    real_pallet,
)


def shape(reg: PortableRegistry, type_id: int, depth: int = 0) -> object:
    """A registry type as a nested tuple without ids (named types below the top by path only)."""
    ty = reg.type(type_id)
    if depth > 0 and ty.path:
        return ("named", tuple(ty.path))
    d = ty.type_def
    sub = lambda i: shape(reg, i, depth + 1)  # noqa: E731
    if isinstance(d, TypeDefPrimitive):
        body: object = ("primitive", d.primitive)
    elif isinstance(d, TypeDefCompact):
        body = ("compact", sub(d.type_param))
    elif isinstance(d, TypeDefSequence):
        body = ("sequence", sub(d.type_param))
    elif isinstance(d, TypeDefArray):
        body = ("array", d.len, sub(d.type_param))
    elif isinstance(d, TypeDefTuple):
        body = ("tuple", tuple(sub(i) for i in d.fields))
    elif isinstance(d, TypeDefComposite):
        body = ("composite", tuple((f.name, f.type_name, sub(f.ty)) for f in d.fields))
    elif isinstance(d, TypeDefVariant):
        body = ("variant", tuple((v.name, v.index, tuple((f.name, f.type_name, sub(f.ty)) for f in v.fields))
                                 for v in d.variants))
    else:
        body = (type(d).__name__,)
    params = tuple((p.name, None if p.ty is None else sub(p.ty)) for p in ty.type_params)
    return (tuple(ty.path), params, body)


@pytest.fixture(scope="module")
def real() -> PortableRegistry:
    return real_metadata(FINNEY_343_V15).types


def real_shape(real: PortableRegistry, path: tuple[str, ...]) -> object:
    for portable in real.types:
        if tuple(portable.ty.path) == path:
            return shape(real, portable.id)
    raise AssertionError(f"{'::'.join(path)} not in the real metadata")


DECLARED = {
    "AccountId32": ACCOUNT_ID, "MultiAddress": MULTI_ADDRESS, "MultiSignature": MULTI_SIGNATURE, "Era": ERA,
    "DispatchClass": DISPATCH_CLASS, "Pays": PAYS, "Weight": WEIGHT, "Digest": DIGEST, "Header": HEADER,
    "AccountData": ACCOUNT_DATA,
    # SudoTransactionExtension was added after spec 343 and SubtensorTransactionExtension moved
    # (`pallet_subtensor::extensions::subtensor`); both are checked against spec 381 in
    # test_runtime_metadata, as is main's CheckShieldedTxValidity's place and shape.
    **{ext.identifier: ext.explicit for ext in TRANSACTION_EXTENSIONS
       if ext.identifier not in ("SudoTransactionExtension", "SubtensorTransactionExtension",
                                 "CheckShieldedTxValidity")},
}


@pytest.mark.parametrize("name", list(DECLARED), ids=list(DECLARED))
def test_declared_type_has_the_real_shape(real, name):
    codec = DECLARED[name]
    reg = TypeRegistry()
    type_id = reg.register(codec)
    assert shape(reg.portable_registry(), type_id) == real_shape(real, codec.path)


def test_dispatch_error_matches_real_variants_we_declare(real):
    # The real enum may have variants added by newer sp-runtime (e.g. Trie); ours must be a prefix.
    reg = TypeRegistry()
    type_id = reg.register(DISPATCH_ERROR)
    ours = shape(reg.portable_registry(), type_id)
    theirs = real_shape(real, DISPATCH_ERROR.path)
    assert ours[0] == theirs[0]
    assert ours[2][1] == theirs[2][1][: len(ours[2][1])]


def test_runtime_version_shape_and_api_versions(real):
    from pysubtensor.runtime.version import RUNTIME_VERSION, VERSION

    reg = TypeRegistry()
    type_id = reg.register(RUNTIME_VERSION)
    assert shape(reg.portable_registry(), type_id) == real_shape(real, RUNTIME_VERSION.path)
    system = real_pallet(FINNEY_343_V15, "System")
    real_version = RUNTIME_VERSION.decode_all(next(c.value for c in system.constants if c.name == "Version"))
    assert real_version.spec_name == "node-subtensor" and real_version.spec_version == 343
    real_apis = dict(real_version.apis)
    assert VERSION.apis
    for api, version in VERSION.apis:
        assert real_apis[api] == version, api.hex()


#: What changed in the real runtime between spec 343 and spec 381 (the newest metadata we
#: have, which our declarations follow): (aggregate enum, pallet variant) compared with 381 only.
CHANGED_SINCE_343 = frozenset({
    ("RuntimeCall", "System"), ("RuntimeCall", "Utility"),  # System.authorize_upgrade…, Utility.if_else…
    ("RuntimeEvent", "SubtensorModule"), ("RuntimeError", "SubtensorModule"),  # events/errors added since
    ("RuntimeCall", "AdminUtils"),  # 70 calls in 343, 74 in 381
    ("RuntimeCall", "Swap"), ("RuntimeEvent", "Swap"),  # disable_lp added, LiquidityModified's i64 fields
    ("RuntimeCall", "SubtensorModule"),  # swap_coldkey (TaoCurrency -> TaoBalance, docs), the announcement calls
})
#: Calls whose arguments changed since spec 343 (u64 amounts became `TaoBalance` /
#: `AlphaBalance`) or that it lacks, compared with 381 only; the pallet's other calls with 343 too.
CALLS_CHANGED_SINCE_343 = {
    "SubtensorModule": frozenset({
        "add_stake", "remove_stake", "move_stake", "transfer_stake", "swap_stake", "add_stake_limit",
        "remove_stake_limit", "swap_stake_limit", "recycle_alpha", "burn_alpha", "remove_stake_full_limit",
        "add_stake_burn",
    }),
}


#: The ITEMS_BEYOND_381 kind of each runtime-wide enum.
_KINDS = {"RuntimeCall": "calls", "RuntimeEvent": "events", "RuntimeError": "errors"}


@pytest.mark.parametrize("blob", [DEVNET_381, FINNEY_343_V15])
@pytest.mark.parametrize("enum_name", ["RuntimeCall", "RuntimeEvent", "RuntimeError", "OriginCaller"])
def test_runtime_aggregate_enums_are_a_subset_of_the_real_ones(blob, enum_name):
    """Every pallet variant we compose sits at the real index with the real type name, and its
    pallet enum (Call/Event/Error) has the real shape (variants, fields, type names): in spec
    381 for every pallet, in spec 343 for what has not changed since."""
    import pysubtensor.runtime.construct as construct
    real = real_metadata(blob).types
    ours_codec = getattr(construct, {"RuntimeCall": "RUNTIME_CALL", "RuntimeEvent": "RUNTIME_EVENT",
                                     "RuntimeError": "RUNTIME_ERROR", "OriginCaller": "ORIGIN_CALLER"}[enum_name])
    reg = TypeRegistry()
    type_id = reg.register(ours_codec)
    ours = reg.portable_registry().type(type_id).type_def.variants
    real_id = next(p.id for p in real.types if p.ty.path == ["node_subtensor_runtime", enum_name])
    theirs = {v.index: v for v in real.type(real_id).type_def.variants}
    assert ours
    for variant in ours:
        if variant.name in FOLLOWS_MAIN:  # not in spec 381's shape (nor 343's)
            continue
        real_variant = theirs[variant.index]
        assert (variant.name, variant.fields[0].type_name) == (real_variant.name, real_variant.fields[0].type_name)
        if blob == FINNEY_343_V15 and (enum_name, variant.name) in CHANGED_SINCE_343:
            continue
        theirs_shape = shape(real, real_variant.fields[0].ty)
        if enum_name == "RuntimeCall":  # less the calls still being built (issue 9), by name
            path, params, (kind, variants) = theirs_shape
            absent = CALLS_IN_PROGRESS.get(variant.name, frozenset())
            changed = CALLS_CHANGED_SINCE_343.get(variant.name, frozenset()) if blob == FINNEY_343_V15 else frozenset()
            theirs_shape = (path, params, (kind, tuple(v for v in variants if v[0] not in absent | changed)))
        ours_shape = shape(reg.portable_registry(), variant.fields[0].ty)
        if enum_name == "RuntimeCall" and blob == FINNEY_343_V15:
            path, params, (kind, variants) = ours_shape
            changed = CALLS_CHANGED_SINCE_343.get(variant.name, frozenset())
            ours_shape = (path, params, (kind, tuple(v for v in variants if v[0] not in changed)))
        if enum_name in _KINDS:  # less the items declared beyond spec 381 (after its own)
            path, params, (kind, variants) = ours_shape
            beyond = ITEMS_BEYOND_381.get(variant.name, {}).get(_KINDS[enum_name], ())
            ours_shape = (path, params, (kind, tuple(v for v in variants if v[0] not in beyond)))
        assert ours_shape == theirs_shape
