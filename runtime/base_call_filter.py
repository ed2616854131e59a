"""subtensor's `NoNestingCallFilter` (runtime/src/base_call_filter.rs), half of the runtime's
`BaseCallFilter = InsideBoth<SafeMode, NoNestingCallFilter>`: a call that carries calls
(a batch, a proxied or multisig call, a crowdloan's or a schedule's call) may not carry
another such call, nor a sudo call. Calls are matched by pallet and call name.
"""

from __future__ import annotations

from typing import Any

__all__ = ["no_nesting_call_filter"]

#: The calls whose inner calls are checked, and the argument holding them.
_CARRIERS = {
    ("Utility", "batch"): "calls", ("Utility", "batch_all"): "calls", ("Utility", "force_batch"): "calls",
    ("Proxy", "proxy"): "call", ("Proxy", "proxy_announced"): "call",
    ("Multisig", "as_multi"): "call", ("Multisig", "as_multi_threshold_1"): "call",
    ("Crowdloan", "create"): "call",
    ("Scheduler", "schedule"): "call", ("Scheduler", "schedule_after"): "call",
    ("Scheduler", "schedule_named"): "call", ("Scheduler", "schedule_named_after"): "call",
}
#: The calls none of those may carry.
_NOT_NESTED = frozenset({
    ("Utility", "force_batch"), ("Utility", "batch_all"), ("Utility", "batch"),
    ("Proxy", "proxy"), ("Proxy", "proxy_announced"),
    ("Multisig", "as_multi"), ("Multisig", "as_multi_threshold_1"),
    ("Crowdloan", "create"),
    ("Scheduler", "schedule"), ("Scheduler", "schedule_after"), ("Scheduler", "schedule_named"),
    ("Scheduler", "schedule_named_after"),
    ("Sudo", "sudo"), ("Sudo", "sudo_as"), ("Sudo", "sudo_unchecked_weight"),
})


def no_nesting_call_filter(call: Any) -> bool:
    """`NoNestingCallFilter::contains`: False for a carrier call that carries a refused call."""
    pallet_name, (call_name, args) = call
    field = _CARRIERS.get((pallet_name, call_name))
    if field is None:
        return True
    inner = (args or {}).get(field)
    if inner is None:  # a crowdloan without a call
        return True
    inner_calls = inner if isinstance(inner, list) else [inner]
    return not any((p, c) in _NOT_NESTED for p, (c, _) in inner_calls)
