"""SS58 addresses: how accounts and public keys are written for people.

`base58(prefix ++ payload ++ checksum)`, where the checksum is the first bytes of
`blake2b-512(b"SS58PRE" ++ prefix ++ payload)`. Prefixes 0..=63 take one byte; 64..=16383
take two (the "simple/full" layout of the SS58 registry). 32- and 33-byte payloads (account
ids, ecdsa public keys) carry a 2-byte checksum; 1-, 2-, 4- and 8-byte payloads (account
indices) carry one byte. These are the lengths sp-core, polkadot.js and scalecodec write.

Prefixes 46 and 47 are reserved: sp-core refuses to decode them, polkadot.js and scalecodec
refuse both ways, and so do we. Decoding is strict and every failure is an `Ss58Error`
saying what is wrong: a character outside the alphabet, a bad prefix, a length that fits no
payload, or a checksum mismatch.
"""

from __future__ import annotations

import hashlib

import base58

__all__ = [
    "DEFAULT_PREFIX",
    "MAX_PREFIX",
    "RESERVED_PREFIXES",
    "Ss58Error",
    "ss58_decode",
    "ss58_decode_account_id",
    "ss58_encode",
]


class Ss58Error(ValueError):
    """A string that is not a valid SS58 address, or a payload SS58 cannot carry."""


DEFAULT_PREFIX = 42  # the generic "substrate" prefix; subtensor's ss58Format
MAX_PREFIX = 16383  # 14 bits: the largest two-byte prefix
RESERVED_PREFIXES = frozenset({46, 47})

_CHECKSUM_CONTEXT = b"SS58PRE"
# payload length -> checksum length
_CHECKSUM_LENGTH: dict[int, int] = {1: 1, 2: 1, 4: 1, 8: 1, 32: 2, 33: 2}
# payload ++ checksum length -> payload length
_PAYLOAD_LENGTH: dict[int, int] = {n + c: n for n, c in _CHECKSUM_LENGTH.items()}
_ALPHABET = base58.BITCOIN_ALPHABET.decode()


def _checksum(body: bytes, length: int) -> bytes:
    return hashlib.blake2b(_CHECKSUM_CONTEXT + body, digest_size=64).digest()[:length]


def _check_prefix(prefix: int) -> None:
    if not isinstance(prefix, int) or isinstance(prefix, bool):
        raise Ss58Error(f"SS58 prefix must be an int, got {type(prefix).__name__}")
    if not 0 <= prefix <= MAX_PREFIX:
        raise Ss58Error(f"SS58 prefix {prefix} is out of range 0..={MAX_PREFIX}")
    if prefix in RESERVED_PREFIXES:
        raise Ss58Error(f"SS58 prefix {prefix} is reserved")


def _encode_prefix(prefix: int) -> bytes:
    if prefix < 64:
        return bytes((prefix,))
    # Two bytes: 0b01 then bits 2..7 of the prefix; then bits 0..1 (high) and 8..13 (low).
    return bytes((
        0b0100_0000 | ((prefix >> 2) & 0b0011_1111),
        ((prefix & 0b11) << 6) | (prefix >> 8),
    ))


def ss58_encode(payload: bytes, prefix: int = DEFAULT_PREFIX) -> str:
    """The SS58 address of `payload` (usually a 32-byte account id) under `prefix`."""
    _check_prefix(prefix)
    if not isinstance(payload, bytes | bytearray | memoryview):
        raise Ss58Error(f"SS58 payload must be bytes, got {type(payload).__name__}")
    checksum_length = _CHECKSUM_LENGTH.get(len(payload))
    if checksum_length is None:
        raise Ss58Error(f"SS58 cannot carry a {len(payload)}-byte payload "
                        f"(lengths: {', '.join(map(str, _CHECKSUM_LENGTH))})")
    body = _encode_prefix(prefix) + bytes(payload)
    return base58.b58encode(body + _checksum(body, checksum_length)).decode()


def _decode_prefix(raw: bytes) -> tuple[int, int]:
    """Return (prefix, number of prefix bytes)."""
    first = raw[0]
    if first < 64:
        return first, 1
    if first < 128:
        if len(raw) < 2:
            raise Ss58Error("SS58 address is too short for its two-byte prefix")
        second = raw[1]
        prefix = ((first & 0b0011_1111) << 2) | (second >> 6) | ((second & 0b0011_1111) << 8)
        if prefix < 64:
            raise Ss58Error(f"SS58 prefix {prefix} is written in the two-byte form, which is "
                            f"only for prefixes 64..={MAX_PREFIX}")
        return prefix, 2
    raise Ss58Error(f"SS58 address starts with byte 0x{first:02x}, which is not a valid prefix "
                    f"(the top bit is reserved)")


def ss58_decode(address: str, *, expected_prefix: int | None = None,
                expected_length: int | None = None) -> tuple[bytes, int]:
    """Decode an SS58 address into `(payload, prefix)`, checking everything it carries.

    `expected_prefix` / `expected_length` additionally require that prefix or payload
    length (pass 32 for an account id).
    """
    if not isinstance(address, str):
        raise Ss58Error(f"SS58 address must be a str, got {type(address).__name__}")
    if not address:
        raise Ss58Error("SS58 address is empty")
    for position, char in enumerate(address):
        if char not in _ALPHABET:
            raise Ss58Error(f"SS58 address has {char!r} at position {position}, "
                            f"which is not a base58 character")
    raw = base58.b58decode(address)
    if not raw:
        raise Ss58Error("SS58 address decodes to no bytes")
    prefix, prefix_length = _decode_prefix(raw)
    payload_length = _PAYLOAD_LENGTH.get(len(raw) - prefix_length)
    if payload_length is None:
        raise Ss58Error(f"SS58 address decodes to {len(raw)} bytes, which fits no payload length "
                        f"with a {prefix_length}-byte prefix")
    body_end = prefix_length + payload_length
    if _checksum(raw[:body_end], len(raw) - body_end) != raw[body_end:]:
        raise Ss58Error("SS58 address has a bad checksum (mistyped or corrupted)")
    if prefix in RESERVED_PREFIXES:
        raise Ss58Error(f"SS58 prefix {prefix} is reserved")
    if expected_prefix is not None and prefix != expected_prefix:
        raise Ss58Error(f"SS58 address has prefix {prefix}, expected {expected_prefix}")
    if expected_length is not None and payload_length != expected_length:
        raise Ss58Error(f"SS58 address carries {payload_length} bytes, expected {expected_length}")
    return raw[prefix_length:body_end], prefix


def ss58_decode_account_id(address: str, *, expected_prefix: int | None = None) -> bytes:
    """The 32-byte account id written by an SS58 address."""
    payload, _ = ss58_decode(address, expected_prefix=expected_prefix, expected_length=32)
    return payload
