"""A hotkey's stake weight on a subnet (Rust `staking/stake_utils.rs`): its alpha and its root
TAO, each after what it passes to its children and inherits from its parents (`ChildKeys` /
`ParentKeys` proportions out of u64::MAX), and their sum with the TAO part scaled by
`TaoWeight / u64::MAX`.

The arithmetic is the Rust one, in `primitives.fixed`: U96F32 for the inheritance, I64F64 for
the weighted sum, every operation saturating, proportions by `safe_div`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.hierarchy.storage import ChildKeys, ParentKeys
from pysubtensor.pallets.subtensor.staking.storage import TaoWeight, TotalHotkeyAlpha
from pysubtensor.primitives.fixed import I64F64, U96F32

__all__ = ["get_tao_weight", "inherited_alpha", "inherited_tao", "stake_weights_for_hotkey", "stake_weights_for_network", "tao_weight",
           "to_u64"]

ROOT = 0
U64_MAX = (1 << 64) - 1
_U64_MAX_U96 = U96F32.saturating_from_num(U64_MAX)


def _normalized(proportion: int) -> int:
    """`U96F32(proportion).safe_div(U96F32(u64::MAX))`."""
    return U96F32.safe_div(U96F32.saturating_from_num(proportion), _U64_MAX_U96)


def _inherit(own: int, children: list[tuple[int, bytes]], parents: list[tuple[int, bytes]],
             stake_netuid: int) -> int:
    """`own` (u64) less what goes to the `children`, plus what the `parents` pass of their
    stake on `stake_netuid`; u64."""
    initial = U96F32.saturating_from_num(own)
    to_children = 0
    for proportion, _child in children:
        to_children = U96F32.saturating_add(to_children, U96F32.saturating_mul(initial, _normalized(proportion)))
    from_parents = 0
    for proportion, parent in parents:
        parent_stake = U96F32.saturating_from_num(TotalHotkeyAlpha.get(parent, stake_netuid))
        from_parents = U96F32.saturating_add(from_parents,
                                             U96F32.saturating_mul(parent_stake, _normalized(proportion)))
    return U96F32.saturating_to_num(U96F32.saturating_add(U96F32.saturating_sub(initial, to_children), from_parents))


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


def get_tao_weight() -> int:
    """`get_tao_weight`: `TaoWeight / u64::MAX` in U96F32 bits."""
    return U96F32.safe_div(U96F32.saturating_from_num(TaoWeight.get()), _U64_MAX_U96)


def tao_weight() -> int:
    """`I64F64::saturating_from_num(get_tao_weight())`, bits."""
    return I64F64.saturating_from_fixed(U96F32, get_tao_weight())


def _weighted(alpha: int, tao: int, weight: int) -> int:
    """I64F64 `alpha.saturating_add(tao.saturating_mul(weight))`."""
    return I64F64.saturating_add(alpha, I64F64.saturating_mul(tao, weight))


def to_u64(bits: int) -> int:
    """`fixed64_to_u64`: I64F64 bits to u64, saturating."""
    return I64F64.saturating_to_num(bits)


def stake_weights_for_hotkey(hotkey: bytes, netuid: int) -> tuple[int, int, int]:
    """`get_stake_weights_for_hotkey_on_subnet`: (total, alpha, tao) stake, I64F64 bits."""
    alpha, tao = (I64F64.saturating_from_num(x) for x in _inherited_both(hotkey, netuid))
    return _weighted(alpha, tao, tao_weight()), alpha, tao


def stake_weights_for_network(netuid: int, hotkeys: list[bytes | None]) -> tuple[list[int], list[int], list[int]]:
    """`get_stake_weights_for_network` over `hotkeys` (the `Keys` of uids 0..SubnetworkN, None
    where a uid has none, which weighs zero): (total, alpha, tao) per uid, I64F64 bits."""
    weight = tao_weight()
    alpha, tao = [], []
    for h in hotkeys:
        a, t = _inherited_both(h, netuid) if h is not None else (0, 0)
        alpha.append(I64F64.saturating_from_num(a))
        tao.append(I64F64.saturating_from_num(t))
    total = [_weighted(a, t, weight) for a, t in zip(alpha, tao, strict=True)]
    return total, alpha, tao
