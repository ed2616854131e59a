"""The serving and weights calls of SubtensorModule against spec 381's metadata: each call
variant's index, name, docs, field names, type names and the type graph below each field;
their relative metadata order; and a call's encoding against scalecodec reading finney."""

from __future__ import annotations

import pytest

import pysubtensor.pallets.subtensor as subtensor
from pysubtensor.pallets.support.registry import TypeRegistry
from tests.support.metadata import DEVNET_381, TypeWalker, real_metadata, real_pallet

PALLET = subtensor.pallet

#: The serving and weights calls (pallets/subtensor/serving/calls.py, weights/calls.py).
CALLS = [
    "set_weights", "set_mechanism_weights", "batch_set_weights", "commit_weights", "commit_mechanism_weights",
    "batch_commit_weights", "reveal_weights", "reveal_mechanism_weights", "commit_crv3_mechanism_weights",
    "batch_reveal_weights", "serve_axon", "serve_axon_tls", "serve_prometheus", "commit_timelocked_weights",
    "commit_timelocked_mechanism_weights",
]


def _real_call_variants() -> dict:
    md = real_metadata(DEVNET_381)
    real = real_pallet(DEVNET_381, "SubtensorModule")
    return {v.name: v for v in md.types.type(real.calls.ty).type_def.variants}


def test_the_calls_are_listed_in_the_real_relative_order():
    md = real_metadata(DEVNET_381)
    real = real_pallet(DEVNET_381, "SubtensorModule")
    real_order = [v.name for v in md.types.type(real.calls.ty).type_def.variants]
    assert CALLS == [n for n in real_order if n in CALLS]
    assert set(CALLS) <= set(PALLET.calls)


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


def test_the_calls_are_free_and_normal():
    """`Pays::No`, `DispatchClass::Normal` for every one of them, as declared in Rust."""
    for name in CALLS:
        info = PALLET.calls[name]
        assert (info.pays, info.dispatch_class) == ("No", "Normal"), name
