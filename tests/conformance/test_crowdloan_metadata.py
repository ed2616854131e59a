"""Crowdloan's declarations against the real spec-381 runtime's metadata, item by item: calls,
events, errors (names, indices, fields, type names, docs), storage (modifier, hashers, key and
value types, defaults, docs), constants (types and the runtime's values) and the associated
`RuntimeCall`."""

from __future__ import annotations

import pysubtensor.runtime  # noqa: F401  (binds the pallet as the runtime composes it)
from pysubtensor.pallets import crowdloan
from pysubtensor.runtime.construct import PALLETS_BY_INDEX
from tests.support.metadata import DEVNET_381, assert_pallet_matches, real_metadata, summary_pallet


def test_crowdloan_matches_spec_381_item_by_item():
    assert_pallet_matches(crowdloan.pallet, DEVNET_381)


def test_crowdloan_lists_match_the_spec_381_summary():
    summary = summary_pallet("Crowdloan")
    pallet = crowdloan.pallet
    assert PALLETS_BY_INDEX[27] is pallet and summary["index"] == 27
    assert summary["call_list"] == [{"index": v.index, "name": v.name, "fields": [f.name for f in v.fields]}
                                    for v in pallet.call_enum.variants]
    assert summary["event_list"] == [[v.index, v.name] for v in pallet.event_enum.variants]
    assert summary["error_list"] == [[v.index, v.name] for v in pallet.error_enum.variants]
    assert summary["storage_list"] == [s.name for s in pallet.storage_items]
    assert summary["constant_list"] == [c.name for c in pallet.constant_items]


def test_constant_values_are_the_fast_runtime_parameter_types():
    """Decoded from the real metadata, not from our declarations."""
    real = {c.name: c.value for c in next(p for p in real_metadata(DEVNET_381).pallets
                                          if p.name == "Crowdloan").constants}
    assert real["PalletId"] == b"bt/cloan"
    assert int.from_bytes(real["MinimumDeposit"], "little") == 10_000_000_000
    assert int.from_bytes(real["AbsoluteMinimumContribution"], "little") == 100_000_000
    assert int.from_bytes(real["MinimumBlockDuration"], "little") == 50
    assert int.from_bytes(real["MaximumBlockDuration"], "little") == 20_000
    assert int.from_bytes(real["RefundContributorsLimit"], "little") == 50
    assert int.from_bytes(real["MaxContributors"], "little") == 500
