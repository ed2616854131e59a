"""Registry: declarations against the real spec-381 metadata, and the rules of subtensor's
pallet_registry (its tests.rs at spec 381 is empty: the scenarios follow lib.rs)."""

from __future__ import annotations

import pysubtensor.pallets.registry as registry
import pysubtensor.runtime  # noqa: F401  (binds every pallet's Config)
from tests.support.metadata import DEVNET_381, RUNTIME_WIDE, assert_pallet_matches, summary_pallet


def test_registry_metadata_equals_spec_381() -> None:
    assert_pallet_matches(registry.pallet, DEVNET_381, stop=RUNTIME_WIDE)
    s = summary_pallet("Registry")
    assert (s["calls"], s["events"], s["errors"], s["storage"], s["constants"]) == (2, 2, 3, 1, 3)
