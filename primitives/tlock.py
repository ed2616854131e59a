"""drand quicknet's BLS12-381 scheme and timelock encryption (tlock), as subtensor uses them.

Quicknet ("bls-unchained-g1-rfc9380"): the beacon's public key is a G2 point (96 bytes,
compressed), each round's signature a G1 point (48 bytes) over the message
`sha256(round as big-endian u64)`, hashed to G1 with RFC 9380 and the DST below. A pulse is
valid iff e(signature, g2) == e(H(message), public key) (pallet_drand's `QuicknetVerifier`).

Timelock encryption is the `tle` crate's (ideal-lab5/timelock at the revision subtensor pins):
Boneh-Franklin IBE "FullIdent" whose identity is the round's message, so the round's
signature is the identity's secret key. Its ciphertext, arkworks-serialized (compressed; a
`Vec<u8>` is a u64 little-endian length then its bytes), is

    TLECiphertext { header: { u: G2 (96), v: Vec<u8>, w: Vec<u8> },
                    body: Vec<u8> = AESOutput { ciphertext: Vec<u8>, nonce: Vec<u8> },
                    cipher_suite: Vec<u8> = b"AES_GCM_" }

where the 32-byte AES-256-GCM key of the body is what the header encrypts. The curve
arithmetic is arkworks' own (py-arkworks-bls12381), the AEAD `cryptography`'s: nothing here
is hand-written but the scheme's glue. (`cryptography` is imported by the first call that
encrypts or decrypts: ~5 ms of the node's start-up otherwise, and a node serves before any
timelocked commit is revealed.)
"""

from __future__ import annotations

import hashlib
import os

from py_arkworks_bls12381 import GT, G1Point, G2Point, Scalar

from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = [
    "CIPHER_SUITE",
    "QUICKNET_DST",
    "TimelockError",
    "TleCiphertext",
    "decrypt",
    "encrypt",
    "public_key",
    "round_message",
    "sign_round",
    "verify_round",
]

#: The hash-to-curve domain separation tag of quicknet (`tle::curves::drand::QUICKNET_CTX`).
QUICKNET_DST = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"
#: `AESGCMStreamCipherProvider::CIPHER_SUITE`.
CIPHER_SUITE = b"AES_GCM_"
SIGNATURE_SIZE = 48
PUBLIC_KEY_SIZE = 96
_NONCE_SIZE = 12


class TimelockError(ValueError):
    """A point, signature or ciphertext that does not decode, or a decryption that fails."""


def round_message(round_number: int) -> bytes:
    """What quicknet signs for a round: sha256 of the round as a big-endian u64 (unchained)."""
    return hashlib.sha256(round_number.to_bytes(8, "big")).digest()


def _g1(data: bytes) -> G1Point:
    """A compressed G1 point, checked (on the curve, in the subgroup) as arkworks' validated
    `deserialize_compressed` reads it: its first 48 bytes (trailing bytes are not read)."""
    if len(data) < SIGNATURE_SIZE:
        raise TimelockError(f"a G1 point takes {SIGNATURE_SIZE} bytes, got {len(data)}")
    try:
        return G1Point.from_compressed_bytes(bytes(data[:SIGNATURE_SIZE]))
    except Exception as e:  # the binding raises a bare exception for an invalid point
        raise TimelockError(f"invalid G1 point: {e}") from None


def _g2(data: bytes) -> G2Point:
    if len(data) < PUBLIC_KEY_SIZE:
        raise TimelockError(f"a G2 point takes {PUBLIC_KEY_SIZE} bytes, got {len(data)}")
    try:
        return G2Point.from_compressed_bytes(bytes(data[:PUBLIC_KEY_SIZE]))
    except Exception as e:
        raise TimelockError(f"invalid G2 point: {e}") from None


def _hash_to_g1(message: bytes) -> G1Point:
    return G1Point.hash_to_curve(message, QUICKNET_DST)


def verify_round(public_key: bytes, round_number: int, signature: bytes) -> bool:
    """`QuicknetVerifier::verify`: whether `signature` is the beacon's signature of the round.
    Raises `TimelockError` when the key or the signature does not decode."""
    pk = _g2(public_key)
    sig = _g1(signature)
    return GT.pairing(sig, G2Point()) == GT.pairing(_hash_to_g1(round_message(round_number)), pk)


# -- a beacon of our own (dev chains): the secret key is a scalar, as drand's share is


def _scalar(secret: int) -> Scalar:
    return Scalar.from_be_bytes_mod_order(secret.to_bytes(32, "big"))


def public_key(secret: int) -> bytes:
    """The beacon public key (G2, compressed) of a secret scalar."""
    return bytes((G2Point() * _scalar(secret)).to_compressed_bytes())


def sign_round(secret: int, round_number: int) -> bytes:
    """The signature (G1, compressed) a beacon with this secret gives `round_number`."""
    return bytes((_hash_to_g1(round_message(round_number)) * _scalar(secret)).to_compressed_bytes())


# -- tlock


def _gt_hash(value: GT) -> bytes:
    """`h2`: sha256 of the target-group element, arkworks-serialized (12 * 48 bytes)."""
    return hashlib.sha256(bytes.fromhex(str(value))).digest()


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def _h3(sigma: bytes, message: bytes) -> Scalar:
    return Scalar.from_be_bytes_mod_order(hashlib.sha256(sigma + message).digest())


def _h4(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()[:len(data)]


def _vec(data: bytes) -> bytes:
    return len(data).to_bytes(8, "little") + data


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = bytes(data)
        self.pos = 0

    def take(self, n: int) -> bytes:
        if n > len(self.data) - self.pos:
            raise TimelockError(f"ciphertext ends at byte {len(self.data)}, {n} more needed at {self.pos}")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def vec(self) -> bytes:
        return self.take(int.from_bytes(self.take(8), "little"))


@slots_dataclass(frozen=True)
class TleCiphertext:
    """`tle::tlock::TLECiphertext<TinyBLS381>` with its AES-GCM body."""

    u: bytes          # G2, compressed
    v: bytes
    w: bytes
    ciphertext: bytes  # AES-GCM output (with its tag)
    nonce: bytes
    cipher_suite: bytes = CIPHER_SUITE

    def encode(self) -> bytes:
        body = _vec(self.ciphertext) + _vec(self.nonce)
        return self.u + _vec(self.v) + _vec(self.w) + _vec(body) + _vec(self.cipher_suite)

    @classmethod
    def decode(cls, data: bytes) -> TleCiphertext:
        """As `CanonicalDeserialize::deserialize_compressed` reads it (validated point;
        trailing bytes after the value are not read)."""
        r = _Reader(data)
        u = r.take(PUBLIC_KEY_SIZE)
        _g2(u)
        v, w, body, suite = r.vec(), r.vec(), r.vec(), r.vec()
        b = _Reader(body)
        return cls(u, v, w, b.vec(), b.vec(), suite)


def decrypt(ciphertext: bytes | TleCiphertext, signature: bytes) -> bytes:
    """`tld::<TinyBLS381, AESGCMStreamCipherProvider>`: the plaintext, given the signature of
    the round the ciphertext was locked to. Raises `TimelockError` when the ciphertext or the
    signature does not decode, the signature is not the round's, or the body does not open."""
    ct = ciphertext if isinstance(ciphertext, TleCiphertext) else TleCiphertext.decode(ciphertext)
    sig = _g1(signature)
    u = _g2(ct.u)
    if len(ct.v) != 32 or len(ct.w) != 32:
        raise TimelockError("the IBE header's v and w take 32 bytes each")
    # IBESecret::decrypt: sigma = v ^ h2(e(sig, u)); key = w ^ h4(sigma); check u == h3(sigma, key)·g2.
    sigma = _xor(ct.v, _gt_hash(GT.pairing(sig, u)))
    key = _xor(ct.w, _h4(sigma))
    if bytes((G2Point() * _h3(sigma, key)).to_compressed_bytes()) != bytes(u.to_compressed_bytes()):
        raise TimelockError("the signature does not open this ciphertext (not its round's)")
    if len(ct.nonce) != _NONCE_SIZE:
        raise TimelockError(f"AES-GCM nonce of {len(ct.nonce)} bytes")
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key).decrypt(ct.nonce, ct.ciphertext, b"")
    except InvalidTag:
        raise TimelockError("the AES-GCM body does not authenticate") from None


def encrypt(public_key_bytes: bytes, round_number: int, message: bytes, *, rng: bytes | None = None) -> bytes:
    """`tle::<TinyBLS381, AESGCMStreamCipherProvider>` to the beacon `public_key_bytes` for
    `round_number`: the ciphertext bytes. `rng` (64 bytes: IBE scalar seed, AES key,
    nonce) makes it deterministic for tests; by default it comes from the OS."""
    seed = rng if rng is not None else os.urandom(64)
    if len(seed) != 64:
        raise ValueError("rng takes 64 bytes")
    p_pub = _g2(public_key_bytes)
    key = seed[20:52]
    nonce = seed[52:64]
    t = Scalar.from_le_bytes_mod_order(seed[:20] + bytes(12))
    sigma = _h4(bytes(t.to_le_bytes()))
    r = _h3(sigma, key)
    u = bytes((G2Point() * r).to_compressed_bytes())
    g_id = GT.pairing(_hash_to_g1(round_message(round_number)), p_pub * r)
    v = _xor(sigma, _gt_hash(g_id))
    w = _xor(key, _h4(sigma))
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    body = AESGCM(key).encrypt(nonce, message, b"")
    return TleCiphertext(u, v, w, body, nonce).encode()
