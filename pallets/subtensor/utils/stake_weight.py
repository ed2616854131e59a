"""A hotkey's stake weight on a subnet (subtensor's `get_stake_weights_for_hotkey_on_subnet`):
its alpha after child/parent inheritance plus its root stake (likewise inherited) times the
global `TaoWeight`, in the fixed-point arithmetic Rust uses: U96F32 for the inheritance
(raw u128 with 32 fractional bits, saturating), I64F64 for the sum (raw i128, 64 bits).
Multiplication and division truncate; dividing by zero gives zero (`safe_div`)."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.hierarchy.storage import ChildKeys, ParentKeys
from pysubtensor.pallets.subtensor.staking.storage import TaoWeight, TotalHotkeyAlpha

__all__ = ["get_inherited_for_hotkey_on_subnet", "get_stake_weights_for_hotkey_on_subnet", "get_tao_weight_raw"]

_U96F32_MAX = (1 << 128) - 1
_I64F64_MAX = (1 << 127) - 1
_U64_MAX = (1 << 64) - 1
ROOT = 0


def _u96(n: int) -> int:
    return n << 32


def _u96_div(a: int, b: int) -> int:
    return 0 if b == 0 else min((a << 32) // b, _U96F32_MAX)


def _u96_mul(a: int, b: int) -> int:
    return min((a * b) >> 32, _U96F32_MAX)


def _proportion(p: int) -> int:
    """`proportion / u64::MAX` as U96F32."""
    return _u96_div(_u96(p), _u96(_U64_MAX))


def get_tao_weight_raw() -> int:
    """`get_tao_weight()`: `TaoWeight / u64::MAX`, a U96F32 raw value."""
    return _u96_div(_u96(TaoWeight.get()), _u96(_U64_MAX))


def get_inherited_for_hotkey_on_subnet(hotkey: bytes, netuid: int) -> int:
    """Own stake on `netuid`, less the shares given to children, plus the shares taken from
    parents (each parent's own stake times its proportion); on root, own stake only."""
    initial = _u96(TotalHotkeyAlpha.get(hotkey, netuid))
    if netuid == ROOT:
        return min(initial >> 32, _U64_MAX)
    return min(_inherited(hotkey, netuid, netuid, initial) >> 32, _U64_MAX)


def _tao_inherited_for_hotkey_on_subnet(hotkey: bytes, netuid: int) -> int:
    """The same over root stake, following the subnet's child/parent relations."""
    initial = _u96(TotalHotkeyAlpha.get(hotkey, ROOT))
    return min(_inherited(hotkey, netuid, ROOT, initial) >> 32, _U64_MAX)


def _inherited(hotkey: bytes, netuid: int, stake_netuid: int, initial: int) -> int:
    to_children = 0
    for proportion, _ in ChildKeys.get(hotkey, netuid):
        to_children = min(to_children + _u96_mul(initial, _proportion(proportion)), _U96F32_MAX)
    from_parents = 0
    for proportion, parent in ParentKeys.get(hotkey, netuid):
        parent_stake = _u96(TotalHotkeyAlpha.get(parent, stake_netuid))
        from_parents = min(from_parents + _u96_mul(parent_stake, _proportion(proportion)), _U96F32_MAX)
    return min(max(initial - to_children, 0) + from_parents, _U96F32_MAX)


def get_stake_weights_for_hotkey_on_subnet(hotkey: bytes, netuid: int) -> tuple[int, int, int]:
    """(total, alpha, tao) stake weights as I64F64 raw values (value * 2^64)."""
    tao_weight = min(get_tao_weight_raw() << 32, _I64F64_MAX)
    alpha = get_inherited_for_hotkey_on_subnet(hotkey, netuid) << 64
    tao = _tao_inherited_for_hotkey_on_subnet(hotkey, netuid) << 64
    total = min(alpha + min((tao * tao_weight) >> 64, _I64F64_MAX), _I64F64_MAX)
    return total, alpha, tao
