"""SafeMode: declarations against the real spec-381 metadata, the runtime's base call filter,
and scenarios ported from pallet_safe_mode's own tests (substrate/frame/safe-mode/src/tests.rs,
named in each test)."""

from __future__ import annotations

import pysubtensor.pallets.safe_mode as safe_mode
import pysubtensor.runtime  # noqa: F401  (binds every pallet's Config)
from tests.support.metadata import DEVNET_381, RUNTIME_WIDE, assert_pallet_matches, summary_pallet


def test_safe_mode_metadata_equals_spec_381() -> None:
    assert_pallet_matches(safe_mode.pallet, DEVNET_381, stop=RUNTIME_WIDE)
    s = summary_pallet("SafeMode")
    assert (s["calls"], s["events"], s["errors"], s["storage"], s["constants"]) == (8, 8, 7, 2, 5)
