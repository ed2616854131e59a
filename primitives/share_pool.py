"""subtensor's `share-pool` crate: a pool of value (a hotkey's alpha on a subnet) owned
through shares, so that crediting the pool (emission) raises every holder's value pro rata.

`SharePool` is the crate as spec 381 ships it (commit 7d5626d): shared value, shares and
denominator in U64F64, share deltas in I64F64, with the "dust" rule that a withdrawal leaving
under 0.001 % of a key's shares (or a denominator too small for a year of emission) removes
the key's whole stake. `SharePoolV2` is the later crate (opentensor/subtensor main): u64
shared value, SafeFloat shares and denominator (the `AlphaV2` / `TotalHotkeySharesV2` maps).

Both work over a `state` object with the crate's `SharePoolDataOperations` methods
(`get_shared_value`, `get_share`, `try_get_share` (None when absent), `get_denominator`,
`set_shared_value`, `set_share`, `set_denominator`), values in the pool's own types.
"""

from __future__ import annotations

from typing import Any, Protocol

from pysubtensor.primitives.fixed import I64F64, U64F64
from pysubtensor.primitives.safe_float import SafeFloat

__all__ = ["SharePool", "SharePoolDataOperations", "SharePoolV2", "as_i64", "neg_i64"]

_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1
_U64_MAX = (1 << 64) - 1
#: `U64F64::saturating_from_num(0.00001)`: below this fraction of its shares left, a key is cleared.
_DUST_FRACTION = U64F64.saturating_from_f64(0.00001)
#: `U64F64::saturating_from_num(2_628_000_000_000_000_u64)`: about a year of emission, in rao.
_YEAR_OF_EMISSION = U64F64.saturating_from_num(2_628_000_000_000_000)


class SharePoolDataOperations(Protocol):
    def get_shared_value(self) -> Any: ...
    def get_share(self, key: Any) -> Any: ...
    def try_get_share(self, key: Any) -> Any | None: ...
    def get_denominator(self) -> Any: ...
    def set_shared_value(self, value: Any) -> None: ...
    def set_share(self, key: Any, share: Any) -> None: ...
    def set_denominator(self, value: Any) -> None: ...


def as_i64(n: int) -> int:
    """Rust `u64 as i64` (two's complement wrap)."""
    n &= _U64_MAX
    return n - (1 << 64) if n > _I64_MAX else n


def neg_i64(n: int) -> int:
    """Rust `i64::neg` in a release build: `-i64::MIN` wraps to `i64::MIN`."""
    return as_i64(-n)


class SharePool:
    """The spec-381 crate: U64F64 bits everywhere (see the module docstring)."""

    __slots__ = ("state",)

    def __init__(self, state: SharePoolDataOperations) -> None:
        self.state = state

    def get_value_from_shares(self, share: int) -> int:
        """u64 value of `share`: `shared / denominator * share`, or (when that quotient
        overflows or the denominator is 0) `shared * share / denominator`, or 0."""
        return self._value(self.state.get_shared_value(), self.state.get_denominator(), share)

    @staticmethod
    def _value(shared: int, denominator: int, share: int) -> int:
        """`get_value_from_shares` on values already read."""
        per_share = U64F64.checked_div(shared, denominator)
        if per_share is not None:
            value = U64F64.saturating_mul(per_share, share)
        else:
            value = U64F64.checked_div(U64F64.saturating_mul(shared, share), denominator) or 0
        return U64F64.saturating_to_num(value)

    def get_value(self, key: Any) -> int:
        return self.get_value_from_shares(self.state.get_share(key))

    def try_get_value(self, key: Any) -> int | None:
        """None when the key holds no share entry (Rust `Err(())`)."""
        share = self.state.try_get_share(key)
        return None if share is None else self.get_value_from_shares(share)

    def update_value_for_all(self, update: int) -> None:
        """Credit (or debit) the whole pool by an i64 `update`."""
        self._update_all(self.state.get_shared_value(), update)

    def _update_all(self, shared: int, update: int) -> None:
        if update >= 0:
            self.state.set_shared_value(U64F64.saturating_add(shared, U64F64.saturating_from_num(update)))
        else:
            self.state.set_shared_value(U64F64.saturating_sub(shared, U64F64.saturating_from_num(neg_i64(update))))

    def _shares_per_update(self, update: int, shared: int, denominator: int) -> int:
        """`get_shares_per_update`: I64F64 shares for an i64 `update`."""
        per_share = U64F64.checked_div(shared, denominator)
        if per_share is not None:
            return I64F64.checked_div(I64F64.saturating_from_num(update),
                                      I64F64.saturating_from_fixed(U64F64, per_share)) or 0
        quotient = I64F64.checked_div(I64F64.saturating_from_num(update),
                                      I64F64.saturating_from_fixed(U64F64, shared)) or 0
        return I64F64.saturating_mul(quotient, I64F64.saturating_from_fixed(U64F64, denominator))

    def sim_update_value_for_one(self, update: int) -> bool:
        """Whether `update_value_for_one(_, update)` would move a non-zero number of shares."""
        denominator = self.state.get_denominator()
        if denominator == 0:
            return True
        return self._shares_per_update(update, self.state.get_shared_value(), denominator) != 0

    def update_value_for_one(self, key: Any, update: int) -> int:
        """Buy (`update > 0`) or sell shares worth `update`; returns the i64 change actually
        made to the pool's value (`-value` when the dust rule clears the key)."""
        # Each value is read once: nothing is written before the last use of what was read.
        shared = self.state.get_shared_value()
        current = self.state.get_share(key)
        denominator = self.state.get_denominator()
        initial_value = as_i64(self._value(shared, denominator, current))
        actual = update
        if denominator == 0:
            # The first key gets all.
            fixed = U64F64.saturating_from_num(update)
            self.state.set_denominator(fixed)
            self.state.set_share(key, fixed)
        else:
            spu = self._shares_per_update(update, shared, denominator)
            if spu >= 0:
                delta = U64F64.saturating_from_fixed(I64F64, spu)
                self.state.set_denominator(U64F64.saturating_add(denominator, delta))
                self.state.set_share(key, U64F64.saturating_add(current, delta))
            else:
                delta = U64F64.saturating_from_fixed(I64F64, I64F64.wrapping_sub(0, spu))
                new_denominator = U64F64.saturating_sub(denominator, delta)
                new_share = U64F64.saturating_sub(current, delta)
                if (U64F64.safe_div(new_share, current) < _DUST_FRACTION
                        or U64F64.checked_div(U64F64.saturating_add(shared, _YEAR_OF_EMISSION), new_denominator) is None):
                    new_share = 0
                    new_denominator = U64F64.saturating_sub(denominator, current)
                    actual = neg_i64(initial_value)
                self.state.set_denominator(new_denominator)
                self.state.set_share(key, new_share)
        self._update_all(shared, actual)
        return actual


class SharePoolV2:
    """The later crate: u64 shared value, SafeFloat shares and denominator."""

    __slots__ = ("state",)

    def __init__(self, state: SharePoolDataOperations) -> None:
        self.state = state

    def get_value_from_shares(self, share: SafeFloat) -> int:
        shared = SafeFloat.new(self.state.get_shared_value(), 0) or SafeFloat.zero()
        return (shared.mul_div(share, self.state.get_denominator()) or SafeFloat.zero()).to_u64()

    def get_value(self, key: Any) -> int:
        return self.get_value_from_shares(self.state.get_share(key))

    def try_get_value(self, key: Any) -> int | None:
        return None if self.state.try_get_share(key) is None else self.get_value(key)

    def update_value_for_all(self, update: int) -> None:
        shared = self.state.get_shared_value()
        self.state.set_shared_value(min(shared + update, _U64_MAX) if update >= 0 else max(shared + update, 0))

    def _shares_per_update(self, update: int, shared: int, denominator: SafeFloat) -> SafeFloat:
        shared_sf = SafeFloat.new(shared, 0) or SafeFloat.zero()
        update_sf = SafeFloat.new(abs(update), 0) or SafeFloat.zero()
        return update_sf.mul_div(denominator, shared_sf) or SafeFloat.zero()

    def sim_update_value_for_one(self, update: int) -> bool:
        denominator = self.state.get_denominator()
        if denominator.mantissa == 0:
            return True
        return not self._shares_per_update(update, self.state.get_shared_value(), denominator).is_zero()

    def update_value_for_one(self, key: Any, update: int) -> None:
        """Buy or sell shares worth `update` (no dust rule; a failed SafeFloat step keeps
        the old value, as the Rust logs and does)."""
        shared = self.state.get_shared_value()
        current = self.state.get_share(key)
        denominator = self.state.get_denominator()
        if denominator.is_zero():
            first = SafeFloat.new(abs(update), 0) or SafeFloat.zero()
            self.state.set_denominator(first)
            self.state.set_share(key, first)
        else:
            spu = self._shares_per_update(update, shared, denominator)
            if update > 0:
                new_denominator = denominator.add(spu) or denominator
                new_share = current.add(spu) or current
            else:
                new_denominator = denominator.sub(spu) or denominator
                new_share = current.sub(spu) or current
            self.state.set_denominator(new_denominator)
            self.state.set_share(key, new_share)
        self.update_value_for_all(update)
