"""The three signature schemes of Substrate (sp-core `ed25519`, `sr25519`, `ecdsa`).

Each scheme turns a 32-byte seed into a key pair, signs and verifies exactly as sp-core
does, so signatures made here are accepted by a Rust node and the other way round:

- sr25519: schnorrkel with the `substrate` signing context (py-sr25519-bindings); the seed
  is a mini secret key expanded in Ed25519 mode. Signatures are randomised.
- ed25519: RFC 8032 signing with pynacl (the seed is the 32-byte secret); verification with
  ed25519-zebra, as sp-core does (ZIP-215).
- ecdsa: secp256k1 (coincurve). The message is hashed with blake2-256 and signed with a
  recoverable signature, 65 bytes `r ++ s ++ v` with `v` the recovery id (0 or 1). The
  public key is the 33-byte compressed point, and the account id is its blake2-256.

Malformed keys or signatures never surface as a library error: verification returns
False, and key construction raises `CryptoError` naming what is wrong.
"""

from __future__ import annotations

from enum import StrEnum

import coincurve
import ed25519_zebra
import nacl.signing
import sr25519

from pysubtensor.primitives.hashing import blake2_256

__all__ = [
    "PUBLIC_KEY_LENGTH",
    "SEED_LENGTH",
    "SIGNATURE_LENGTH",
    "CryptoError",
    "Scheme",
    "account_id_of",
    "ecdsa_recover_prehashed",
    "ecdsa_sign_prehashed",
    "pair_from_seed",
    "sign",
    "verify",
]


class CryptoError(ValueError):
    """Key or signature material that is malformed for its scheme."""


class Scheme(StrEnum):
    """A signature scheme, named as subkey and the `--scheme` flags spell it."""

    ED25519 = "ed25519"
    SR25519 = "sr25519"
    ECDSA = "ecdsa"

    @classmethod
    def parse(cls, value: Scheme | str) -> Scheme:
        """Accept a `Scheme` or its name in any case; reject anything else clearly."""
        try:
            return cls(str(value).lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise CryptoError(f"unknown signature scheme {value!r} (expected one of {names})") from None

    @property
    def variant_index(self) -> int:
        """Index of this scheme's variant in sp_runtime's MultiSignature and MultiSigner."""
        return _VARIANT_INDEX[self]


# sp_runtime::MultiSignature / MultiSigner: Ed25519 = 0, Sr25519 = 1, Ecdsa = 2.
_VARIANT_INDEX: dict[Scheme, int] = {Scheme.ED25519: 0, Scheme.SR25519: 1, Scheme.ECDSA: 2}

SEED_LENGTH = 32
PUBLIC_KEY_LENGTH: dict[Scheme, int] = {Scheme.ED25519: 32, Scheme.SR25519: 32, Scheme.ECDSA: 33}
SIGNATURE_LENGTH: dict[Scheme, int] = {Scheme.ED25519: 64, Scheme.SR25519: 64, Scheme.ECDSA: 65}
_SR25519_SECRET_LENGTH = 64  # schnorrkel secret key: 32-byte scalar ++ 32-byte nonce


def _check_bytes(what: str, value: object, length: int) -> bytes:
    if not isinstance(value, bytes | bytearray | memoryview):
        raise CryptoError(f"{what}: expected bytes, got {type(value).__name__}")
    if len(value) != length:
        raise CryptoError(f"{what}: expected {length} bytes, got {len(value)}")
    return bytes(value)


def pair_from_seed(scheme: Scheme | str, seed: bytes) -> tuple[bytes, bytes]:
    """Return `(public_key, secret)` for a 32-byte seed, as sp-core's `Pair::from_seed`.

    `secret` is what `sign` needs: the 64-byte schnorrkel secret key for sr25519, the seed
    itself for ed25519 and ecdsa.
    """
    scheme = Scheme.parse(scheme)
    seed = _check_bytes(f"{scheme} seed", seed, SEED_LENGTH)
    if scheme is Scheme.SR25519:
        public, secret = sr25519.pair_from_seed(seed)
        return bytes(public), bytes(secret)
    if scheme is Scheme.ED25519:
        return bytes(nacl.signing.SigningKey(seed).verify_key), seed
    try:
        key = coincurve.PrivateKey(seed)
    except ValueError:
        raise CryptoError("ecdsa seed: not a valid secp256k1 secret (zero or not below the group order)") from None
    return key.public_key.format(compressed=True), seed


def sign(scheme: Scheme | str, secret: bytes, public_key: bytes, message: bytes) -> bytes:
    """Sign `message`; `secret` and `public_key` as returned by `pair_from_seed`."""
    scheme = Scheme.parse(scheme)
    if scheme is Scheme.SR25519:
        secret = _check_bytes("sr25519 secret", secret, _SR25519_SECRET_LENGTH)
        public_key = _check_bytes("sr25519 public key", public_key, PUBLIC_KEY_LENGTH[scheme])
        return bytes(sr25519.sign((public_key, secret), _message(message)))
    secret = _check_bytes(f"{scheme} secret", secret, SEED_LENGTH)
    if scheme is Scheme.ED25519:
        return nacl.signing.SigningKey(secret).sign(_message(message)).signature
    return ecdsa_sign_prehashed(secret, blake2_256(_message(message)))


def verify(scheme: Scheme | str, signature: bytes, message: bytes, public_key: bytes) -> bool:
    """True if `signature` is `public_key`'s signature of `message` (sp-core `Pair::verify`).

    Wrong lengths, invalid points and unmarked sr25519 signatures all give False.
    """
    scheme = Scheme.parse(scheme)
    message = _message(message)
    if not _is_bytes(signature, SIGNATURE_LENGTH[scheme]) or not _is_bytes(public_key, PUBLIC_KEY_LENGTH[scheme]):
        return False
    signature, public_key = bytes(signature), bytes(public_key)
    if scheme is Scheme.SR25519:
        try:
            return bool(sr25519.verify(signature, message, public_key))
        except ValueError:  # not a schnorrkel signature, or not a ristretto point
            return False
    if scheme is Scheme.ED25519:
        # sp-core verifies with ed25519-zebra (ZIP-215 rules), which accepts some encodings
        # libsodium rejects (small-order or non-canonical points): consensus must agree.
        try:
            return bool(ed25519_zebra.ed_verify(signature, message, public_key))
        except ValueError:
            return False
    # sp-core's ecdsa::Signature::recover takes the recovery id as is: 0..=3 only.
    if signature[64] > 3:
        return False
    return ecdsa_recover_prehashed(signature, blake2_256(message)) == public_key


def _message(message: object) -> bytes:
    # bytes(5) would silently be five zero bytes: insist on a bytes-like message.
    if not isinstance(message, bytes | bytearray | memoryview):
        raise CryptoError(f"message: expected bytes, got {type(message).__name__}")
    return bytes(message)


def _is_bytes(value: object, length: int) -> bool:
    return isinstance(value, bytes | bytearray | memoryview) and len(value) == length


def ecdsa_sign_prehashed(secret: bytes, digest: bytes) -> bytes:
    """Recoverable secp256k1 signature of a 32-byte digest: `r ++ s ++ v`, v in {0, 1}.

    Deterministic (RFC 6979 nonces, as libsecp256k1 in sp-core), so it matches Rust byte
    for byte.
    """
    secret = _check_bytes("ecdsa secret", secret, SEED_LENGTH)
    digest = _check_bytes("ecdsa digest", digest, 32)
    try:
        key = coincurve.PrivateKey(secret)
    except ValueError:
        raise CryptoError("ecdsa secret: not a valid secp256k1 secret") from None
    return key.sign_recoverable(digest, hasher=None)


def ecdsa_recover_prehashed(signature: bytes, digest: bytes) -> bytes | None:
    """The compressed public key that made `signature` over `digest`, or None.

    Accepts `v` as 0..=3 or 27..=30, as `sp_io::crypto::secp256k1_ecdsa_recover_compressed`
    does (the Ethereum-style offset of 27 is stripped).
    """
    if not _is_bytes(signature, SIGNATURE_LENGTH[Scheme.ECDSA]) or not _is_bytes(digest, 32):
        return None
    v = signature[64]
    if v > 26:
        v -= 27
    if v > 3:
        return None
    try:
        public = coincurve.PublicKey.from_signature_and_message(
            bytes(signature[:64]) + bytes((v,)), bytes(digest), hasher=None
        )
    except ValueError:  # r or s out of range, or no point for this recovery id
        return None
    return public.format(compressed=True)


def account_id_of(scheme: Scheme | str, public_key: bytes) -> bytes:
    """The 32-byte AccountId of a public key (sp_runtime `MultiSigner::into_account`)."""
    scheme = Scheme.parse(scheme)
    public_key = _check_bytes(f"{scheme} public key", public_key, PUBLIC_KEY_LENGTH[scheme])
    if scheme is Scheme.ECDSA:
        return blake2_256(public_key)
    return public_key
