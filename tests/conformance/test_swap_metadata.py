"""The Swap pallet's declarations against the real ones (pallets/swap/pallet.py says which):

- every item spec 381's metadata has (14 storage items, 5 constants, the 6 calls, 5 events,
  the first 14 errors) equals the real one item by item and in its order (modifier, hashers,
  key and value types, defaults, docs; constant values; enum variants, fields, docs);
- the items only opentensor main has (SwapBalancer, PalSwapInitialized, HasMigrationRun and
  the errors ReservesOutOfBalance, SwapInputTooLarge, Deprecated) match the Rust source
  (pallets/swap/src/pallet/mod.rs, balancer.rs at opentensor/subtensor 14bc6f9f9), transcribed
  below, and come after 381's, so 381's indices hold;
- the runtime API's types and method signatures are spec 381's (also checked runtime-wide in
  test_runtime_metadata.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from pysubtensor.pallets import swap
from pysubtensor.pallets.support.registry import TypeRegistry
from pysubtensor.pallets.support.storage import StorageItem
from pysubtensor.pallets.swap.api import SwapRuntimeApi
from pysubtensor.primitives.metadata.registry import TypeDefComposite, TypeDefPrimitive, TypeDefSequence
from pysubtensor.primitives.scale import Enum
from tests.support.metadata import (
    DEVNET_381,
    ITEMS_BEYOND_381,
    TypeWalker,
    _assert_storage_matches,
    assert_pallet_matches,
    real_metadata,
    real_pallet,
    summary_pallet,
)

pallet = swap.pallet
MAIN_ONLY_STORAGE = ITEMS_BEYOND_381["Swap"]["storage"]
MAIN_ONLY_ERRORS = (
    (14, "ReservesOutOfBalance", "Swap reserves are too imbalanced"),
    (15, "SwapInputTooLarge", "Swap input is too large relative to input-side liquidity"),
    (16, "Deprecated", "The extrinsic is deprecated"),
)


@dataclass
class _Spec381View:
    """Our pallet with only the storage items spec 381 has (for the item-by-item comparison)."""

    name: str
    storage_items: list[StorageItem]


def _walker() -> tuple[TypeRegistry, TypeWalker]:
    ours = TypeRegistry()
    return ours, TypeWalker(ours, real_metadata(DEVNET_381).types, frozenset())


def test_spec381_storage_items_are_the_real_ones_in_order():
    real = real_pallet(DEVNET_381, "Swap")
    ours, walk = _walker()
    view = _Spec381View("Swap", [i for i in pallet.storage_items if i.name not in MAIN_ONLY_STORAGE])
    _assert_storage_matches(view, real, ours, walk)
    assert [i.name for i in pallet.storage_items] == summary_pallet("Swap")["storage_list"] + list(MAIN_ONLY_STORAGE)


def test_constants_calls_and_events_are_spec381s():
    assert_pallet_matches(pallet, DEVNET_381, sections=("constants", "associated_types"))
    real = real_pallet(DEVNET_381, "Swap")
    ours, walk = _walker()
    walk.same(ours.register(pallet.call_enum), real.calls.ty, "Swap calls")
    walk.same(ours.register(pallet.event_enum), real.event.ty, "Swap events")


def test_errors_are_spec381s_then_mains():
    real = real_pallet(DEVNET_381, "Swap")
    ours, walk = _walker()
    errors = pallet.error_enum
    first = Enum(errors.path, errors.variants[:14], params=errors.params, docs=errors.docs)
    walk.same(ours.register(first), real.error.ty, "Swap errors (381's)")
    assert [(v.index, v.name, list(v.docs)) for v in errors.variants[14:]] == \
        [(i, n, [d]) for i, n, d in MAIN_ONLY_ERRORS]


def test_main_only_storage_items_are_the_rust_sources():
    """mod.rs: `SwapBalancer: StorageMap<_, Twox64Concat, NetUid, Balancer, ValueQuery,
    DefaultBalancer>` (Balancer { quote: Perquintill }, default 1/2), `PalSwapInitialized:
    StorageMap<_, Twox64Concat, NetUid, bool, ValueQuery>`, `HasMigrationRun: StorageMap<_,
    Identity, BoundedVec<u8, ConstU32<128>>, bool, ValueQuery>`."""
    ours = TypeRegistry()
    items = {i.name: i for i in pallet.storage_items}

    def shape(item):
        key = ours.types[ours.register(item.keys[0])].ty
        value = ours.types[ours.register(item.value)].ty
        return [h.name for h in item.hashers], key, value, item.modifier, item.default_bytes

    hashers, key, value, modifier, default = shape(items["SwapBalancer"])
    assert hashers == ["Twox64Concat"] and key.type_def == TypeDefPrimitive("u16") and modifier == "Default"
    assert list(value.path) == ["pallet_subtensor_swap", "pallet", "balancer", "Balancer"]
    (quote,) = value.type_def.fields
    assert (quote.name, quote.type_name) == ("quote", "Perquintill")
    perquintill = ours.types[quote.ty].ty
    assert list(perquintill.path) == ["sp_arithmetic", "per_things", "Perquintill"]
    assert isinstance(perquintill.type_def, TypeDefComposite)
    assert ours.types[perquintill.type_def.fields[0].ty].ty.type_def == TypeDefPrimitive("u64")
    assert default == (500_000_000_000_000_000).to_bytes(8, "little")  # Perquintill::from_rational(1, 2)

    hashers, key, value, modifier, default = shape(items["PalSwapInitialized"])
    assert (hashers, key.type_def, value.type_def, modifier, default) == \
        (["Twox64Concat"], TypeDefPrimitive("u16"), TypeDefPrimitive("bool"), "Default", b"\x00")

    hashers, key, value, modifier, default = shape(items["HasMigrationRun"])
    assert hashers == ["Identity"] and list(key.path) == ["bounded_collections", "bounded_vec", "BoundedVec"]
    inner = ours.types[key.type_def.fields[0].ty].ty.type_def
    assert isinstance(inner, TypeDefSequence)
    assert ours.types[inner.type_param].ty.type_def == TypeDefPrimitive("u8")
    assert (value.type_def, modifier, default) == (TypeDefPrimitive("bool"), "Default", b"\x00")


def test_runtime_api_is_spec381s():
    real = next(api for api in real_metadata(DEVNET_381).apis if api.name == "SwapRuntimeApi")
    ours, walk = _walker()
    assert [m.name for m in SwapRuntimeApi.methods] == [m.name for m in real.methods]
    for method, their in zip(SwapRuntimeApi.methods, real.methods, strict=True):
        assert [p.name for p in method.inputs] == [p.name for p in their.inputs]
        for param, rp in zip(method.inputs, their.inputs, strict=True):
            walk.same(ours.register(param.codec), rp.ty, f"{method.name}({param.name})")
        walk.same(ours.register(method.output), their.output, f"{method.name} output")
