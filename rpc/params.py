"""Parameter parsers: JSON values in, Python values out, checked once at the edge.

Each parser takes one JSON value and returns the handler's value or raises `ParamError`
with serde-like wording ("invalid type: integer `5`, expected a hex string"). They accept
what Substrate's deserializers accept:

* bytes (`sp_core::Bytes`, `StorageKey`): hex with or without `0x`, an odd digit count
  read with a leading zero nibble, `""` and `"0x"` as empty (async-substrate-interface
  sends `state_call` data without `0x`);
* hashes: exactly 32 bytes of hex, `0x` optional;
* `NumberOrHex`: a JSON integer (u64) or a `0x` hex string (up to 256 bits);
* `AccountId32`: an SS58 address of any prefix (0x hex of 32 bytes is accepted too).

`Param(name, parse, optional=True)` is `Option<T>`: missing or `null` is `None`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.ss58 import Ss58Error, ss58_decode_account_id

from .errors import ParamError

__all__ = [
    "U32_MAX",
    "U64_MAX",
    "Param",
    "account_id",
    "any_value",
    "boolean",
    "describe",
    "hash32",
    "hex_bytes",
    "list_of",
    "list_or_value",
    "number_or_hex",
    "parse_params",
    "string",
    "u16",
    "u32",
    "u64",
]

U32_MAX = 2**32 - 1
U64_MAX = 2**64 - 1
U256_MAX = 2**256 - 1
_MISSING = object()


@slots_dataclass(frozen=True)
class Param:
    """One positional parameter: its (Rust) name, its parser, whether it is an `Option`."""

    name: str
    parse: Callable[[Any], Any]
    optional: bool = False


def describe(value: Any) -> str:
    """A JSON value as serde names it in `invalid type` errors."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean `{'true' if value else 'false'}`"
    if isinstance(value, int):
        return f"integer `{value}`"
    if isinstance(value, float):
        return f"floating point `{value}`"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'string "{shown}"'
    if isinstance(value, list):
        return "sequence"
    return "map"


def _invalid_type(value: Any, expected: str) -> ParamError:
    return ParamError(f"invalid type: {describe(value)}, expected {expected}")


def hex_bytes(value: Any) -> bytes:
    """`sp_core::Bytes`: hex, `0x` optional."""
    if not isinstance(value, str):
        raise _invalid_type(value, "a hex string")
    digits = value[2:] if value.startswith("0x") else value
    if len(digits) % 2:
        digits = "0" + digits
    try:
        return bytes.fromhex(digits)
    except ValueError:
        bad = next((c for c in digits if c not in "0123456789abcdefABCDEF"), "?")
        raise ParamError(f"invalid hex string {describe(value)}: invalid character {bad!r}") from None


def hash32(value: Any) -> bytes:
    """`H256`: 64 hex digits, `0x` optional."""
    if not isinstance(value, str):
        raise _invalid_type(value, "a 0x-prefixed hex string with length of 64")
    digits = value[2:] if value.startswith("0x") else value
    if len(digits) != 64:
        raise ParamError(f"invalid length {len(digits)}, expected a 0x-prefixed hex string with length of 64")
    try:
        return bytes.fromhex(digits)
    except ValueError:
        raise ParamError(f"invalid hex string {describe(value)}") from None


def _unsigned(value: Any, maximum: int, expected: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid_type(value, expected)
    if value < 0 or value > maximum:
        raise ParamError(f"invalid value: integer `{value}`, expected {expected}")
    return value


def u16(value: Any) -> int:
    return _unsigned(value, 0xFFFF, "u16")


def u32(value: Any) -> int:
    return _unsigned(value, U32_MAX, "u32")


def u64(value: Any) -> int:
    return _unsigned(value, U64_MAX, "u64")


def number_or_hex(value: Any) -> int:
    """`NumberOrHex`: a u64 JSON integer or a `0x` hex string (U256)."""
    if isinstance(value, str):
        if not value.startswith("0x") or len(value) == 2:
            raise ParamError(f"data did not match any variant of untagged enum NumberOrHex: {describe(value)}")
        try:
            number = int(value[2:], 16)
        except ValueError:
            raise ParamError(f"data did not match any variant of untagged enum NumberOrHex: {describe(value)}") from None
        if number > U256_MAX:
            raise ParamError(f"invalid length for a U256: {describe(value)}")
        return number
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > U64_MAX:
        raise ParamError(f"data did not match any variant of untagged enum NumberOrHex: {describe(value)}")
    return value


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _invalid_type(value, "a boolean")
    return value


def string(value: Any) -> str:
    if not isinstance(value, str):
        raise _invalid_type(value, "a string")
    return value


def any_value(value: Any) -> Any:
    return value


def account_id(value: Any) -> bytes:
    """`AccountId32` as Substrate deserializes it (SS58); 32-byte hex is accepted too."""
    if not isinstance(value, str):
        raise _invalid_type(value, "an SS58 address")
    if value.startswith("0x") and len(value) == 66:
        return hash32(value)
    try:
        return ss58_decode_account_id(value)
    except Ss58Error as e:
        raise ParamError(f"invalid SS58 address {describe(value)}: {e}") from None


def list_of(parse: Callable[[Any], Any]) -> Callable[[Any], list[Any]]:
    def parse_list(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise _invalid_type(value, "a sequence")
        out = []
        for i, item in enumerate(value):
            try:
                out.append(parse(item))
            except ParamError as e:
                raise ParamError(f"item {i}: {e}") from None
        return out

    return parse_list


def list_or_value(parse: Callable[[Any], Any]) -> Callable[[Any], tuple[bool, Any]]:
    """`ListOrValue<T>`: `(True, [values])` for a JSON array, `(False, value)` otherwise."""
    many = list_of(parse)

    def parse_list_or_value(value: Any) -> tuple[bool, Any]:
        if isinstance(value, list):
            return True, many(value)
        return False, parse(value)

    return parse_list_or_value


def parse_params(params: Sequence[Param], raw: Any) -> list[Any]:
    """The handler's arguments from the request's `params` (absent, null, an array, or an
    object keyed by parameter name). Missing trailing `Option`s are None; extra positional
    values are ignored, as jsonrpsee does."""
    if raw is None:
        values: Sequence[Any] = ()
    elif isinstance(raw, list):
        values = raw
    elif isinstance(raw, dict):
        values = [raw.get(p.name, _MISSING) for p in params]
    else:
        raise ParamError(f"invalid type: {describe(raw)}, expected an array or an object")
    args = []
    for i, param in enumerate(params):
        value = values[i] if i < len(values) else _MISSING
        if value is _MISSING or (value is None and param.optional):
            if not param.optional:
                raise ParamError(f"missing value for required parameter {i} ({param.name})")
            args.append(None)
            continue
        try:
            args.append(param.parse(value))
        except ParamError as e:
            raise ParamError(f"parameter {i} ({param.name}): {e}") from None
    return args
