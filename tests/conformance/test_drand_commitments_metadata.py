"""Drand (26) and Commitments (18): storage (order, modifiers, hashers, key and value types,
defaults, docs), constants (types, values, docs) and the Call, Event and Error enums equal
the real spec-381 metadata item by item (tests/vectors/oracle), and their storage keys are
the ones scalecodec computes from the real metadata."""

from __future__ import annotations

import pytest

from pysubtensor.pallets import commitments, drand
from tests.support.metadata import DEVNET_381, assert_pallet_matches, summary_pallet


@pytest.mark.parametrize("module", [commitments, drand], ids=lambda m: m.pallet.name)
def test_pallet_matches_spec381(module) -> None:
    assert_pallet_matches(module.pallet, DEVNET_381)


@pytest.mark.parametrize("module", [commitments, drand], ids=lambda m: m.pallet.name)
def test_pallet_summary_matches_spec381(module) -> None:
    real = summary_pallet(module.pallet.name)
    p = module.pallet
    assert p.index == real["index"]
    assert [(c.index, c.name, [f.name for f in c.fields]) for c in p.calls.values()] == \
        [(c["index"], c["name"], c["fields"]) for c in real["call_list"]]
    assert [[v.index, v.name] for v in p.event_enum.variants] == real["event_list"]
    assert [[v.index, v.name] for v in p.error_enum.variants] == real["error_list"]
    assert [s.name for s in p.storage_items] == real["storage_list"]
    assert [c.name for c in p.constant_items] == real["constant_list"]
