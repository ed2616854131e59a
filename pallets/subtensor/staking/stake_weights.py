"""A hotkey's stake weight on a subnet (Rust `staking/stake_utils.rs`): its alpha and its root
TAO, each after what it passes to its children and inherits from its parents (`ChildKeys` /
`ParentKeys` proportions out of u64::MAX), and their sum with the TAO part scaled by
`TaoWeight / u64::MAX`.

The arithmetic is the Rust one on raw fixed-point bits: U96F32 (32 fractional bits) for the
inheritance, I64F64 (64) for the weighted sum; products and quotients truncate, every
operation saturates, a division by zero or that overflows gives zero (`safe_div`)."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.hierarchy.storage import ChildKeys, ParentKeys
from pysubtensor.pallets.subtensor.staking.storage import TaoWeight, TotalHotkeyAlpha

__all__ = ["inherited_alpha", "inherited_tao", "stake_weights_for_hotkey", "stake_weights_for_network", "tao_weight"]

ROOT = 0
U64_MAX = (1 << 64) - 1
_U96F32_MAX = (1 << 128) - 1
_I64F64_MAX = (1 << 127) - 1


def _u96(n: int) -> int:
    """`U96F32::saturating_from_num(u64)`."""
    return n << 32


def _u96_mul(a: int, b: int) -> int:
    return min((a * b) >> 32, _U96F32_MAX)


def _u96_div(a: int, b: int) -> int:
    """`safe_div`: `checked_div` or zero (division by zero and overflow alike)."""
    if not b:
        return 0
    q = (a << 32) // b
    return q if q <= _U96F32_MAX else 0


def _u96_to_u64(a: int) -> int:
    return min(a >> 32, U64_MAX)


def _normalized(proportion: int) -> int:
    return _u96_div(_u96(proportion), _u96(U64_MAX))


def _inherit(own: int, children: list[tuple[int, bytes]], parents: list[tuple[int, bytes]],
             stake_netuid: int) -> int:
    """`own` (u64) less what goes to the `children`, plus what the `parents` pass of their
    stake on `stake_netuid`."""
    initial = _u96(own)
    to_children = 0
    for proportion, _child in children:
        to_children = min(to_children + _u96_mul(initial, _normalized(proportion)), _U96F32_MAX)
    from_parents = 0
    for proportion, parent in parents:
        parent_stake = _u96(TotalHotkeyAlpha.get(parent, stake_netuid))
        from_parents = min(from_parents + _u96_mul(parent_stake, _normalized(proportion)), _U96F32_MAX)
    return _u96_to_u64(min(max(initial - to_children, 0) + from_parents, _U96F32_MAX))


def inherited_alpha(hotkey: bytes, netuid: int) -> int:
    """`get_inherited_for_hotkey_on_subnet`: on root, the hotkey's own stake."""
    own = TotalHotkeyAlpha.get(hotkey, netuid)
    if netuid == ROOT:
        return own
    return _inherit(own, ChildKeys.get(hotkey, netuid), ParentKeys.get(hotkey, netuid), netuid)


def inherited_tao(hotkey: bytes, netuid: int) -> int:
    """`get_tao_inherited_for_hotkey_on_subnet`: root stake, passed along `netuid`'s relations."""
    return _inherit(TotalHotkeyAlpha.get(hotkey, ROOT), ChildKeys.get(hotkey, netuid), ParentKeys.get(hotkey, netuid),
                    ROOT)


def _inherited_both(hotkey: bytes, netuid: int) -> tuple[int, int]:
    """(`inherited_alpha`, `inherited_tao`), the relations read once."""
    children, parents = ChildKeys.get(hotkey, netuid), ParentKeys.get(hotkey, netuid)
    own = TotalHotkeyAlpha.get(hotkey, netuid)
    alpha = own if netuid == ROOT else _inherit(own, children, parents, netuid)
    return alpha, _inherit(TotalHotkeyAlpha.get(hotkey, ROOT), children, parents, ROOT)


def tao_weight() -> int:
    """`get_tao_weight` as I64F64 bits (`I64F64::saturating_from_num` of the U96F32 quotient)."""
    return min(_u96_div(_u96(TaoWeight.get()), _u96(U64_MAX)) << 32, _I64F64_MAX)


def _i64f64(n: int) -> int:
    return min(n << 64, _I64F64_MAX)


def _weighted(alpha: int, tao: int, weight: int) -> int:
    """I64F64 `alpha + tao * weight`, saturating (all operands non-negative)."""
    return min(alpha + min((tao * weight) >> 64, _I64F64_MAX), _I64F64_MAX)


def to_u64(bits: int) -> int:
    """`fixed64_to_u64`: I64F64 bits to u64, saturating."""
    return 0 if bits < 0 else min(bits >> 64, U64_MAX)


def stake_weights_for_hotkey(hotkey: bytes, netuid: int) -> tuple[int, int, int]:
    """(total, alpha, tao) stake of one hotkey, I64F64 bits."""
    alpha, tao = (_i64f64(x) for x in _inherited_both(hotkey, netuid))
    return _weighted(alpha, tao, tao_weight()), alpha, tao


def stake_weights_for_network(netuid: int, hotkeys: list[bytes | None]) -> tuple[list[int], list[int], list[int]]:
    """`get_stake_weights_for_network` over `hotkeys` (the `Keys` of uids 0..SubnetworkN, None
    where a uid has none, which weighs zero): (total, alpha, tao) per uid, I64F64 bits."""
    weight = tao_weight()
    alpha, tao = [], []
    for h in hotkeys:
        a, t = _inherited_both(h, netuid) if h is not None else (0, 0)
        alpha.append(_i64f64(a))
        tao.append(_i64f64(t))
    total = [_weighted(a, t, weight) for a, t in zip(alpha, tao, strict=True)]
    return total, alpha, tao
