"""Transaction mortality (`sp_runtime::generic::Era`): immortal, or valid for `period` blocks
from the block whose number is congruent to `phase` modulo `period`.

A mortal era is two bytes: the low 4 bits hold log2(period) - 1, the high 12 bits the
phase divided by the quantisation factor (period / 4096, at least 1).
"""

from __future__ import annotations

from typing import Any

from pysubtensor.primitives.scale import U8, Codec, Field, ScaleDecodeError, ScaleEncodeError, Variant, _need
from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = ["ERA", "Era"]


@slots_dataclass(frozen=True)
class Era:
    """`period == 0` means immortal."""

    period: int = 0
    phase: int = 0

    @property
    def immortal(self) -> bool:
        return self.period == 0

    @classmethod
    def mortal(cls, period: int, current: int) -> Era:
        """The era a client builds for `period` blocks starting at block `current`."""
        period = min(max(1 << max(period - 1, 1).bit_length(), 4), 1 << 16)
        phase = current % period
        quantize = max(period >> 12, 1)
        return cls(period, phase // quantize * quantize)

    def birth(self, current: int) -> int:
        """The first block of the era that contains `current` (0 for immortal)."""
        if self.immortal:
            return 0
        return (max(current, self.phase) - self.phase) // self.period * self.period + self.phase

    def death(self, current: int) -> int:
        """The first block at which the transaction is no longer valid."""
        if self.immortal:
            return 2**64 - 1
        return self.birth(current) + self.period


class EraCodec(Codec):
    """SCALE codec of `Era` (described in metadata as Immortal plus Mortal1…Mortal255)."""

    __slots__ = ()
    immutable = True  # ints / frozen `Era` values

    def __init__(self) -> None:
        super().__init__(path=("sp_runtime", "generic", "era", "Era"))

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, Era):
            raise ScaleEncodeError(f"Era: expected an Era, got {type(value).__name__}")
        if value.immortal:
            out.append(0)
            return
        period, phase = value.period, value.phase
        if period < 4 or period > 1 << 16 or period & (period - 1) or phase >= period:
            raise ScaleEncodeError(f"Era: invalid mortal era period={period} phase={phase}")
        quantize = max(period >> 12, 1)
        encoded = min(15, max(1, (period & -period).bit_length() - 2)) | ((phase // quantize) << 4)
        out += encoded.to_bytes(2, "little")

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[Era, int]:
        _need(data, offset + 1, "Era")
        if data[offset] == 0:
            return Era(), offset + 1
        _need(data, offset + 2, "Era")
        encoded = data[offset] | (data[offset + 1] << 8)
        period = 2 << (encoded % (1 << 4))
        quantize = max(period >> 12, 1)
        phase = (encoded >> 4) * quantize
        if period < 4 or phase >= period:
            raise ScaleDecodeError(f"Era: invalid mortal era bytes 0x{encoded:04x} at offset {offset}")
        return Era(period, phase), offset + 2

    def type_def(self) -> tuple:
        variants = [Variant("Immortal", 0)]
        variants += [Variant(f"Mortal{i}", i, (Field(None, U8),)) for i in range(1, 256)]
        return ("variant", tuple(variants))


ERA = EraCodec()
