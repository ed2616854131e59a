"""The staking calls of SubtensorModule against spec 381's metadata: each call variant's
index, name, docs, field names, type names and the type graph below each field; their relative
metadata order; and their weights (the `#[pallet::weight]` values of dispatches.rs at spec
381, read from the source text, not from our declarations)."""

from __future__ import annotations

import pytest

import pysubtensor.pallets.subtensor as subtensor
from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Weight
from pysubtensor.pallets.support.registry import TypeRegistry
from tests.support.metadata import DEVNET_381, TypeWalker, real_metadata, real_pallet

PALLET = subtensor.pallet

CALLS = [
    "add_stake", "remove_stake", "unstake_all", "unstake_all_alpha", "move_stake", "transfer_stake", "swap_stake",
    "add_stake_limit", "remove_stake_limit", "swap_stake_limit", "recycle_alpha", "burn_alpha",
    "remove_stake_full_limit", "claim_root", "set_root_claim_type", "add_stake_burn",
]

#: dispatches.rs at 14b7928 (spec 381): (ref_time, proof_size, reads, writes) per call.
RUST_WEIGHTS = {
    "add_stake": (523_200_000, 0, 20, 14), "remove_stake": (196_800_000, 0, 19, 10),
    "unstake_all": (28_830_000, 0, 6, 0), "unstake_all_alpha": (486_500_000, 0, 35, 23),
    "move_stake": (168_200_000, 0, 16, 7), "transfer_stake": (163_400_000, 0, 14, 6),
    "swap_stake": (453_800_000, 0, 31, 21), "add_stake_limit": (713_200_000, 0, 20, 14),
    "remove_stake_limit": (611_100_000, 0, 23, 12), "swap_stake_limit": (661_800_000, 0, 31, 21),
    "recycle_alpha": (113_400_000, 0, 7, 4), "burn_alpha": (112_200_000, 0, 7, 3),
    "remove_stake_full_limit": (615_000_000, 10142, 23, 12), "add_stake_burn": (757_700_000, 8556, 23, 15),
    "set_root_claim_type": (19_420_000, 0, 2, 4), "claim_root": (117_000_000, 7767, 12, 4),
}


def _real_call_variants() -> dict:
    md = real_metadata(DEVNET_381)
    real = real_pallet(DEVNET_381, "SubtensorModule")
    return {v.name: v for v in md.types.type(real.calls.ty).type_def.variants}


def test_the_calls_are_listed_in_the_real_relative_order():
    md = real_metadata(DEVNET_381)
    real = real_pallet(DEVNET_381, "SubtensorModule")
    real_order = [v.name for v in md.types.type(real.calls.ty).type_def.variants]
    assert CALLS == [n for n in real_order if n in CALLS]
    ours_order = [n for n in PALLET.call_enum.by_name if n in CALLS]
    assert sorted(ours_order) == sorted(CALLS)


@pytest.mark.parametrize("name", CALLS)
def test_call_variant_equals_the_real_one(name):
    md = real_metadata(DEVNET_381)
    rv = _real_call_variants()[name]
    ours = PALLET.call_enum.by_name[name]
    assert (ours.index, list(ours.docs)) == (rv.index, list(rv.docs))
    reg = TypeRegistry()
    walk = TypeWalker(reg, md.types, frozenset())
    assert [(f.name, f.type_name) for f in ours.fields] == [(f.name, f.type_name) for f in rv.fields]
    for field, real_field in zip(ours.fields, rv.fields, strict=True):
        walk.same(reg.register(field.codec), real_field.ty, f"{name}.{real_field.name}")


@pytest.mark.parametrize("name", CALLS)
def test_weights_are_the_rust_ones(name):
    ref_time, proof, reads, writes = RUST_WEIGHTS[name]
    info = PALLET.calls[name]
    expected = Weight(ref_time, proof) + ROCKS_DB_WEIGHT.reads_writes(reads, writes)
    weight = info.weight(*([None] * len(PALLET.call_enum.by_name[name].fields))) if callable(info.weight) \
        else info.weight
    assert weight == expected
    assert (info.pays, info.dispatch_class) == ("Yes", "Normal")
