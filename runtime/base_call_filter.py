"""The runtime's base call filter (subtensor runtime/src/base_call_filter.rs and
`frame_system::Config::BaseCallFilter = InsideBoth<SafeMode, NoNestingCallFilter>`).

Every dispatch by a non-Root origin passes it (extrinsics, and calls other pallets
dispatch without bypassing the filter: Utility's batches, scheduled tasks): a call is
admitted only if SafeMode admits it (all calls, or the whitelist below while safe-mode is
entered) and it does not nest a batching call inside another.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets import safe_mode

__all__ = ["base_call_filter", "no_nesting", "safe_mode_whitelisted"]

#: Calls that carry other calls, by pallet, and which of their arguments hold them
#: (pallets not composed yet are listed so the rule stays whole when they are).
_CARRIERS: dict[str, dict[str, str]] = {
    "Utility": {"force_batch": "calls", "batch": "calls", "batch_all": "calls"},
    "Proxy": {"proxy": "call", "proxy_announced": "call"},
    "Multisig": {"as_multi": "call", "as_multi_threshold_1": "call"},
    "Crowdloan": {"create": "call"},
    "Scheduler": {"schedule": "call", "schedule_after": "call", "schedule_named": "call",
                  "schedule_named_after": "call"},
}
#: Calls that may not be nested inside a carrier.
_NESTERS: dict[str, frozenset[str]] = {
    "Utility": frozenset({"force_batch", "batch_all", "batch"}),
    "Proxy": frozenset({"proxy", "proxy_announced"}),
    "Multisig": frozenset({"as_multi", "as_multi_threshold_1"}),
    "Crowdloan": frozenset({"create"}),
    "Scheduler": frozenset({"schedule", "schedule_after", "schedule_named", "schedule_named_after"}),
    "Sudo": frozenset({"sudo", "sudo_as", "sudo_unchecked_weight"}),
}


def no_nesting(call: Any) -> bool:
    """`NoNestingCallFilter`: a batch, proxy, multisig, crowdloan-create or schedule call whose
    inner call(s) are themselves one of the nesting calls above (or a sudo) is refused."""
    pallet_name, (call_name, args) = call
    field = _CARRIERS.get(pallet_name, {}).get(call_name)
    if field is None:
        return True
    inner = (args or {}).get(field)
    if inner is None:  # `Crowdloan::create { call: None }`
        return True
    inner_calls = inner if field == "calls" else [inner]
    return not any(name in _NESTERS.get(p, ()) for p, (name, _) in inner_calls)


def safe_mode_whitelisted(call: Any) -> bool:
    """`SafeModeWhitelistedCalls`: what runs while safe-mode is entered."""
    pallet_name, (call_name, _) = call
    if pallet_name in ("Sudo", "Multisig", "System", "SafeMode", "Timestamp"):
        return True
    if pallet_name == "SubtensorModule":
        return call_name in ("set_weights", "serve_axon")
    return pallet_name == "Commitments" and call_name == "set_commitment"


def base_call_filter(call: Any) -> bool:
    """`InsideBoth<SafeMode, NoNestingCallFilter>`."""
    return safe_mode.is_allowed(call) and no_nesting(call)
