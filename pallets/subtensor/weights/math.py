"""The fixed-point steps of setting weights, in the integer arithmetic of `I32F32` (a raw i64
holding value * 2^32) exactly as subtensor's `epoch/math.rs` computes them: multiplication
and division truncate, `round()` rounds half away from zero, `to_num::<u16>` truncates and
saturates. Inputs are u16, so every intermediate stays non-negative."""

from __future__ import annotations

__all__ = ["check_vec_max_limited", "vec_u16_max_upscale_to_u16"]

_FRAC = 32
_ONE = 1 << _FRAC
_U16_MAX = 0xFFFF


def _round_to_u16(raw: int) -> int:
    """`.round().saturating_to_num::<u16>()` of a non-negative I32F32."""
    return min((raw + (_ONE >> 1)) >> _FRAC, _U16_MAX)


def vec_u16_max_upscale_to_u16(values: list[int]) -> list[int]:
    """Scale so the largest value becomes u16::MAX (`vec_max_upscale_to_u16` over u16 input)."""
    if not values:
        return []
    top = max(values)
    if top == 0:
        return [0 for _ in values]
    if top > 32768:
        # e * (u16_max / top): the quotient is truncated first, then multiplied.
        quotient = (_U16_MAX << _FRAC) // top
        return [_round_to_u16(e * quotient) for e in values]
    return [_round_to_u16(((e * _U16_MAX) << _FRAC) // top) for e in values]


def check_vec_max_limited(values: list[int], max_limit: int) -> bool:
    """Normalised to sum 1, is the largest value at most `max_limit / u16::MAX`?"""
    if not values:
        return True
    limit_raw = (max_limit << _FRAC) // _U16_MAX
    total = sum(values)
    if total == 0:
        return all(e << _FRAC <= limit_raw for e in values)
    return max((e << _FRAC) // total for e in values) <= limit_raw
