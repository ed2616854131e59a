"""The extrinsic wire format, version 4 (sp_runtime::generic::UncheckedExtrinsic).

    compact(len) ++ version ++ [address ++ signature ++ extra]  ++ call
                    0x04 bare, 0x84 signed

`extra` is the explicit part of each transaction extension, in the runtime's order; the
signed payload is `call ++ extra ++ implicit` (implicit = what each extension adds without
sending it: spec version, genesis hash, …), replaced by its blake2-256 when longer than
256 bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.keys import MultiSignature
from pysubtensor.primitives.scale import (
    H256,
    U32,
    UNIT,
    Codec,
    Compact,
    Enum,
    Field,
    Option,
    ScaleDecodeError,
    Struct,
    Variant,
    decode_compact,
    encode_compact,
)
from pysubtensor.primitives.scale import FixedBytes as _FixedBytes
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.types import BALANCE, MULTI_ADDRESS, NONCE
from pysubtensor.runtime.era import ERA

__all__ = [
    "EXTRINSIC_FORMAT_VERSION",
    "TRANSACTION_EXTENSIONS",
    "ExtrinsicFormatError",
    "Signed",
    "TransactionExtension",
    "UncheckedExtrinsic",
    "signing_payload",
]

EXTRINSIC_FORMAT_VERSION = 4
_SIGNED_BIT = 0x80


class ExtrinsicFormatError(ScaleDecodeError):
    """Bytes that are not a well-formed extrinsic of this runtime."""


@slots_dataclass(frozen=True)
class TransactionExtension:
    """One transaction extension as metadata lists it: identifier, the type of its explicit
    part (sent in the extrinsic) and of its implicit part (signed, never sent)."""

    identifier: str
    explicit: Codec
    implicit: Codec


def _marker(*path: str, fields: Sequence[Field] = (), params: Sequence[tuple[str, Codec | None]] = (("T", None),)
            ) -> Struct:
    return Struct(path, fields, params=params)


#: `frame_metadata_hash_extension::Mode`: whether the signer committed to a metadata hash.
METADATA_HASH_MODE = Enum(("frame_metadata_hash_extension", "Mode"), (Variant("Disabled", 0), Variant("Enabled", 1)))
METADATA_HASH = Option(_FixedBytes(32))

#: The runtime type `node_subtensor_runtime::Runtime`, a type parameter of subtensor's own
#: extensions.
RUNTIME_MARKER = Struct(("node_subtensor_runtime", "Runtime"), ())

# Subtensor's transaction extensions, in the runtime's order: spec 381's, and MevShield's
# CheckShieldedTxValidity where main's runtime has it (MevShield follows main).
TRANSACTION_EXTENSIONS: tuple[TransactionExtension, ...] = (
    TransactionExtension("CheckNonZeroSender", _marker(
        "frame_system", "extensions", "check_non_zero_sender", "CheckNonZeroSender"), UNIT),
    TransactionExtension("CheckSpecVersion", _marker(
        "frame_system", "extensions", "check_spec_version", "CheckSpecVersion"), U32),
    TransactionExtension("CheckTxVersion", _marker(
        "frame_system", "extensions", "check_tx_version", "CheckTxVersion"), U32),
    TransactionExtension("CheckGenesis", _marker(
        "frame_system", "extensions", "check_genesis", "CheckGenesis"), H256),
    TransactionExtension("CheckMortality", _marker(
        "frame_system", "extensions", "check_mortality", "CheckMortality",
        fields=(Field(None, ERA, "Era"),)), H256),
    TransactionExtension("CheckNonce", _marker(
        "node_subtensor_runtime", "check_nonce", "CheckNonce",
        fields=(Field(None, Compact(NONCE), "T::Nonce"),)), UNIT),
    TransactionExtension("CheckWeight", _marker(
        "frame_system", "extensions", "check_weight", "CheckWeight"), UNIT),
    TransactionExtension("ChargeTransactionPayment", _marker(
        "pallet_transaction_payment", "ChargeTransactionPayment",
        fields=(Field(None, Compact(BALANCE), "BalanceOf<T>"),)), UNIT),
    TransactionExtension("SudoTransactionExtension", _marker(
        "node_subtensor_runtime", "sudo_wrapper", "SudoTransactionExtension", params=(("T", RUNTIME_MARKER),)), UNIT),
    TransactionExtension("CheckShieldedTxValidity", _marker(
        "pallet_shield", "extension", "CheckShieldedTxValidity", params=(("T", RUNTIME_MARKER),)), UNIT),
    TransactionExtension("SubtensorTransactionExtension", _marker(
        "pallet_subtensor", "extensions", "subtensor", "SubtensorTransactionExtension",
        params=(("T", RUNTIME_MARKER),)), UNIT),
    TransactionExtension("DrandPriority", _marker(
        "pallet_drand", "drand_priority", "DrandPriority", params=(("T", RUNTIME_MARKER),)), UNIT),
    TransactionExtension("CheckMetadataHash", _marker(
        "frame_metadata_hash_extension", "CheckMetadataHash",
        fields=(Field("mode", METADATA_HASH_MODE, "Mode"),)), METADATA_HASH),
)

_IDENTIFIERS = tuple(e.identifier for e in TRANSACTION_EXTENSIONS)


@slots_dataclass(frozen=True)
class Signed:
    """The signature part of a signed extrinsic. `extra` maps identifier → explicit value
    (`CheckMortality` → Era, `CheckNonce` → nonce, `ChargeTransactionPayment` → tip,
    `CheckMetadataHash` → mode name); extensions without explicit data are absent."""

    address: Any
    signature: MultiSignature
    extra: dict[str, Any]

    @property
    def era(self) -> Any:
        return self.extra["CheckMortality"]

    @property
    def nonce(self) -> int:
        return self.extra["CheckNonce"]

    @property
    def tip(self) -> int:
        return self.extra["ChargeTransactionPayment"]

    @property
    def metadata_hash_mode(self) -> str:
        return self.extra["CheckMetadataHash"]


def _decode_extra(data: bytes, pos: int) -> tuple[dict[str, Any], int]:
    extra: dict[str, Any] = {}
    for ext in TRANSACTION_EXTENSIONS:
        codec: Struct = ext.explicit  # type: ignore[assignment]
        if not codec.fields:
            continue
        value, pos = codec.fields[0].codec.decode(data, pos)
        if ext.identifier == "CheckMetadataHash":
            value = value[0] if isinstance(value, tuple) else value
        extra[ext.identifier] = value
    return extra, pos


def _encode_extra(extra: dict[str, Any]) -> bytes:
    out = bytearray()
    for ext in TRANSACTION_EXTENSIONS:
        codec: Struct = ext.explicit  # type: ignore[assignment]
        if codec.fields:
            codec.fields[0].codec.encode_into(extra[ext.identifier], out)
    return bytes(out)


@slots_dataclass(frozen=True)
class UncheckedExtrinsic:
    """A decoded extrinsic. `call` is the RuntimeCall value; `call_bytes` its encoding as
    received (what was signed), `encoded` the whole extrinsic with its length prefix."""

    signed: Signed | None
    call: Any
    call_bytes: bytes
    encoded: bytes

    @property
    def is_signed(self) -> bool:
        return self.signed is not None

    @classmethod
    def decode(cls, data: bytes, call_codec: Codec) -> UncheckedExtrinsic:
        """Decode `compact(len) ++ body`; every malformation is an ExtrinsicFormatError."""
        try:
            length, pos = decode_compact(data, 0)
        except ScaleDecodeError as e:
            raise ExtrinsicFormatError(f"extrinsic length prefix: {e}") from None
        if pos + length != len(data):
            raise ExtrinsicFormatError(f"extrinsic length prefix says {length} bytes, {len(data) - pos} follow")
        if length == 0:
            raise ExtrinsicFormatError("empty extrinsic")
        version = data[pos]
        pos += 1
        if version & 0x7F != EXTRINSIC_FORMAT_VERSION:
            raise ExtrinsicFormatError(f"unsupported extrinsic version byte 0x{version:02x} "
                                       f"(this runtime takes 0x04 bare and 0x84 signed)")
        signed = None
        try:
            if version & _SIGNED_BIT:
                address, pos = MULTI_ADDRESS.decode(data, pos)
                signature, pos = MultiSignature.decode(data, pos)
                extra, pos = _decode_extra(data, pos)
                signed = Signed(address, signature, extra)
            call_start = pos
            call, pos = call_codec.decode(data, pos)
        except ScaleDecodeError as e:
            raise ExtrinsicFormatError(f"cannot decode extrinsic: {e}") from None
        if pos != len(data):
            raise ExtrinsicFormatError(f"{len(data) - pos} trailing bytes after the call")
        return cls(signed, call, bytes(data[call_start:pos]), bytes(data))

    @staticmethod
    def encode_bare(call_bytes: bytes) -> bytes:
        body = bytes((EXTRINSIC_FORMAT_VERSION,)) + call_bytes
        return encode_compact(len(body)) + body

    @staticmethod
    def encode_signed(address: Any, signature: MultiSignature, extra: dict[str, Any], call_bytes: bytes) -> bytes:
        body = (bytes((EXTRINSIC_FORMAT_VERSION | _SIGNED_BIT,)) + MULTI_ADDRESS.encode(address)
                + signature.encode() + _encode_extra(extra) + call_bytes)
        return encode_compact(len(body)) + body


def implicit_bytes(*, spec_version: int, transaction_version: int, genesis_hash: bytes, era_birth_hash: bytes,
                   metadata_hash: bytes | None = None) -> bytes:
    """The implicit parts of all extensions, in order (what the signer commits to unsent)."""
    values: dict[str, Any] = {
        "CheckSpecVersion": spec_version,
        "CheckTxVersion": transaction_version,
        "CheckGenesis": genesis_hash,
        "CheckMortality": era_birth_hash,
        "CheckMetadataHash": metadata_hash,
    }
    out = bytearray()
    for ext in TRANSACTION_EXTENSIONS:
        ext.implicit.encode_into(values.get(ext.identifier), out)
    return bytes(out)


def signing_payload(call_bytes: bytes, extra: dict[str, Any], implicit: bytes) -> bytes:
    """What the signature covers: hashed with blake2-256 when longer than 256 bytes."""
    payload = call_bytes + _encode_extra(extra) + implicit
    return blake2_256(payload) if len(payload) > 256 else payload

