"""The key swap, subnet dissolution and other owner/coldkey settings calls of SubtensorModule against spec 381's metadata: each call variant's
index, name, docs, field names, type names and the type graph below each field, and their
relative metadata order."""

from __future__ import annotations

import pytest

import pysubtensor.pallets.subtensor as subtensor
from pysubtensor.pallets.support.registry import TypeRegistry
from tests.support.metadata import DEVNET_381, TypeWalker, real_metadata, real_pallet

PALLET = subtensor.pallet

#: The key swap calls (pallets/subtensor/swap_keys/calls.py), the dissolution calls and
#: `update_symbol` (subnets/calls.py), `set_coldkey_auto_stake_hotkey` (staking/auto_stake.py)
#: and the voting-power switches (epoch/voting_power.py), in the real relative order.
CALLS = [
    "swap_hotkey", "swap_coldkey", "dissolve_network", "schedule_swap_coldkey", "update_symbol",
    "set_coldkey_auto_stake_hotkey", "root_dissolve_network", "announce_coldkey_swap", "swap_coldkey_announced",
    "dispute_coldkey_swap", "reset_coldkey_swap", "enable_voting_power_tracking", "disable_voting_power_tracking",
    "sudo_set_voting_power_ema_alpha",
]


def _real_call_variants() -> dict:
    md = real_metadata(DEVNET_381)
    real = real_pallet(DEVNET_381, "SubtensorModule")
    return {v.name: v for v in md.types.type(real.calls.ty).type_def.variants}


def test_the_calls_are_listed_in_the_real_relative_order():
    real_order = list(_real_call_variants())
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


def test_swap_hotkey_is_free_the_others_pay():
    """`swap_hotkey` is declared `Pays::No` in Rust; the others `Pays::Yes` (or the default)."""
    assert PALLET.calls["swap_hotkey"].pays == "No"
    for name in CALLS[1:]:
        assert (PALLET.calls[name].pays, PALLET.calls[name].dispatch_class) == ("Yes", "Normal"), name
