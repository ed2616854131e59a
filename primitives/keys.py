"""Signatures and signers as the runtime sees them: sp_runtime's `MultiSignature` and
`MultiSigner`, and signature verification against an `AccountId32`.

Both are SCALE enums with one variant per scheme — Ed25519 = 0, Sr25519 = 1, Ecdsa = 2 —
whose payload is a fixed-size byte array (no length prefix): 64, 64 and 65 bytes for
signatures, 32, 32 and 33 bytes for public keys. A signed extrinsic carries a
`MultiSignature`; the runtime checks it against the signer's account id with
`verify_multisignature`, the analog of `<MultiSignature as Verify>::verify`.

`MULTI_SIGNATURE` and `MULTI_SIGNER` are the codecs (and scale-info descriptions) of the
two enums; the dataclasses are what the rest of the code passes around.
"""

from __future__ import annotations

from dataclasses import dataclass

from pysubtensor.primitives.crypto import (
    PUBLIC_KEY_LENGTH,
    SIGNATURE_LENGTH,
    CryptoError,
    Scheme,
    account_id_of,
    ecdsa_recover_prehashed,
    verify,
)
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import Enum, Field, FixedBytes, Variant

__all__ = ["MULTI_SIGNATURE", "MULTI_SIGNER", "MultiSignature", "MultiSigner", "verify_multisignature"]

# Variant names as in sp_runtime (and its metadata), keyed by scheme.
_VARIANT_NAME: dict[Scheme, str] = {Scheme.ED25519: "Ed25519", Scheme.SR25519: "Sr25519", Scheme.ECDSA: "Ecdsa"}
_SCHEME_BY_NAME: dict[str, Scheme] = {name: scheme for scheme, name in _VARIANT_NAME.items()}


def _enum(name: str, lengths: dict[Scheme, int], kind: str) -> Enum:
    # Each variant holds a bare `[u8; N]` whose type name is e.g. `sr25519::Signature`,
    # exactly as the real metadata describes these types.
    return Enum(("sp_runtime", name), [
        Variant(_VARIANT_NAME[s], s.variant_index, [Field(None, FixedBytes(lengths[s]), f"{s.value}::{kind}")])
        for s in Scheme
    ])


MULTI_SIGNATURE = _enum("MultiSignature", SIGNATURE_LENGTH, "Signature")
MULTI_SIGNER = _enum("MultiSigner", PUBLIC_KEY_LENGTH, "Public")


def _check_length(type_name: str, scheme: Scheme, value: object, length: int) -> bytes:
    if not isinstance(value, bytes | bytearray | memoryview):
        raise CryptoError(f"{type_name}::{_VARIANT_NAME[scheme]}: expected bytes, got {type(value).__name__}")
    if len(value) != length:
        raise CryptoError(f"{type_name}::{_VARIANT_NAME[scheme]}: expected {length} bytes, got {len(value)}")
    return bytes(value)


@dataclass(frozen=True, slots=True)
class MultiSignature:
    """`sp_runtime::MultiSignature`: a signature tagged with its scheme."""

    scheme: Scheme
    signature: bytes

    def __post_init__(self) -> None:
        scheme = Scheme.parse(self.scheme)
        object.__setattr__(self, "scheme", scheme)
        object.__setattr__(self, "signature", _check_length(
            "MultiSignature", scheme, self.signature, SIGNATURE_LENGTH[scheme]))

    def encode(self) -> bytes:
        return MULTI_SIGNATURE.encode((_VARIANT_NAME[self.scheme], self.signature))

    @classmethod
    def decode(cls, data: bytes | memoryview, offset: int = 0) -> tuple[MultiSignature, int]:
        """Decode one MultiSignature at `offset`; return (signature, offset after it).

        Raises `ScaleDecodeError` on an unknown variant or too few bytes.
        """
        (name, signature), end = MULTI_SIGNATURE.decode(data, offset)
        return cls(_SCHEME_BY_NAME[name], signature), end


@dataclass(frozen=True, slots=True)
class MultiSigner:
    """`sp_runtime::MultiSigner`: a public key tagged with its scheme."""

    scheme: Scheme
    public_key: bytes

    def __post_init__(self) -> None:
        scheme = Scheme.parse(self.scheme)
        object.__setattr__(self, "scheme", scheme)
        object.__setattr__(self, "public_key", _check_length(
            "MultiSigner", scheme, self.public_key, PUBLIC_KEY_LENGTH[scheme]))

    @property
    def account_id(self) -> bytes:
        """`IdentifyAccount::into_account`: the key itself, or blake2-256 of an ecdsa key."""
        return account_id_of(self.scheme, self.public_key)

    def encode(self) -> bytes:
        return MULTI_SIGNER.encode((_VARIANT_NAME[self.scheme], self.public_key))

    @classmethod
    def decode(cls, data: bytes | memoryview, offset: int = 0) -> tuple[MultiSigner, int]:
        """Decode one MultiSigner at `offset`; return (signer, offset after it).

        Raises `ScaleDecodeError` on an unknown variant or too few bytes.
        """
        (name, public_key), end = MULTI_SIGNER.decode(data, offset)
        return cls(_SCHEME_BY_NAME[name], public_key), end


def verify_multisignature(sig: MultiSignature, message: bytes, account_id: bytes) -> bool:
    """True if `sig` signs `message` for `account_id`, as `<MultiSignature as Verify>::verify`.

    For ed25519 and sr25519 the account id is the public key. For ecdsa the public key is
    recovered from the signature over blake2-256(message) (v may be 0..=3 or 27..=30) and
    its blake2-256 must equal the account id.
    """
    if not isinstance(sig, MultiSignature):
        raise CryptoError(f"expected a MultiSignature, got {type(sig).__name__}")
    if not isinstance(message, bytes | bytearray | memoryview):
        raise CryptoError(f"message: expected bytes, got {type(message).__name__}")
    if not isinstance(account_id, bytes | bytearray | memoryview) or len(account_id) != 32:
        raise CryptoError("account_id: expected 32 bytes")
    if sig.scheme is Scheme.ECDSA:
        public = ecdsa_recover_prehashed(sig.signature, blake2_256(bytes(message)))
        return public is not None and blake2_256(public) == bytes(account_id)
    return verify(sig.scheme, sig.signature, message, account_id)
