"""MEV Shield primitives (subtensor's `stp-shield`): the wire format of a shielded
transaction and its decryption, shared by the MevShield pallet and the author's keystore.

A client reads `MevShield.NextKey` (an ML-KEM-768 encapsulation key, 1184 bytes), signs its
inner extrinsic, and sends `MevShield.submit_encrypted(ciphertext)` with

    ciphertext = key_hash(16) || kem_len(u16 LE) || kem_ct(kem_len) || nonce(24) || aead_ct

where `key_hash = twox_128(NextKey)`, `kem_ct` encapsulates a 32-byte shared secret to that
key, and `aead_ct` is the signed extrinsic sealed with XChaCha20-Poly1305 under the shared
secret itself (no KDF, empty associated data). This is what bittensor 11.3.0
(`bittensor_core.encrypt_mlkem768(..., include_key_hash=True)`) and btcli 9.21.2
(`bittensor_drand.encrypt_mlkem768`) produce.

ML-KEM-768 is FIPS 203 from `kyber-py` (no hand-written KEM here); the AEAD is libsodium's
through PyNaCl.
"""

from __future__ import annotations

from kyber_py.ml_kem import ML_KEM_768
from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_decrypt
from nacl.exceptions import CryptoError

from pysubtensor.primitives.hashing import twox128
from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = [
    "INHERENT_IDENTIFIER",
    "KEY_HASH_LEN",
    "MLKEM768_DEC_KEY_LEN",
    "MLKEM768_ENC_KEY_LEN",
    "NONCE_LEN",
    "ParsingError",
    "ShieldedTransaction",
    "generate_keypair",
    "key_hash",
    "unshield",
]

#: The inherent data key of the author's announced key (`stp_shield::INHERENT_IDENTIFIER`).
INHERENT_IDENTIFIER = b"shieldpk"
#: ML-KEM-768 encapsulation (public) and decapsulation (secret) key lengths.
MLKEM768_ENC_KEY_LEN = 1184
MLKEM768_DEC_KEY_LEN = 2400
KEY_HASH_LEN = 16
NONCE_LEN = 24
#: `ShieldEncKey = BoundedVec<u8, ConstU32<2048>>`.
MAX_ENC_KEY_LEN = 2048


class ParsingError(ValueError):
    """`stp_shield::ParsingError`: why a ciphertext is not a shielded transaction."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(kind)


@slots_dataclass(frozen=True)
class ShieldedTransaction:
    """`stp_shield::ShieldedTransaction`: a parsed `submit_encrypted` ciphertext."""

    key_hash: bytes
    kem_ct: bytes
    aead_ct: bytes
    nonce: bytes

    @classmethod
    def parse(cls, ciphertext: bytes) -> ShieldedTransaction:
        """Split the wire format; a truncated one raises `ParsingError` naming the part."""
        data = bytes(ciphertext)
        if len(data) < KEY_HASH_LEN:
            raise ParsingError("TruncatedKeyHash")
        cursor = KEY_HASH_LEN
        if cursor + 2 > len(data):
            raise ParsingError("TruncatedKemLen")
        kem_len = int.from_bytes(data[cursor:cursor + 2], "little")
        cursor += 2
        if cursor + kem_len > len(data):
            raise ParsingError("KemLenExceedsRemaining")
        kem_ct = data[cursor:cursor + kem_len]
        cursor += kem_len
        if cursor + NONCE_LEN > len(data):
            raise ParsingError("TruncatedNonce")
        nonce = data[cursor:cursor + NONCE_LEN]
        cursor += NONCE_LEN
        aead_ct = data[cursor:]
        if not aead_ct:
            raise ParsingError("MissingAead")
        return cls(data[:KEY_HASH_LEN], kem_ct, aead_ct, nonce)


def key_hash(enc_key: bytes) -> bytes:
    """The 16-byte tag a ciphertext carries for the key it was made for: `twox_128(key)`."""
    return twox128(bytes(enc_key))


def unshield(dec_key: bytes, tx: ShieldedTransaction) -> bytes | None:
    """The plaintext of `tx` under the ML-KEM-768 decapsulation key `dec_key`, or None when
    the key or the KEM ciphertext is malformed, or the AEAD tag does not verify (a ciphertext
    for another key decapsulates to an unrelated secret: ML-KEM's implicit rejection)."""
    try:
        shared_secret = ML_KEM_768.decaps(bytes(dec_key), tx.kem_ct)
    except ValueError:
        return None
    try:
        return crypto_aead_xchacha20poly1305_ietf_decrypt(tx.aead_ct, b"", tx.nonce, shared_secret)
    except CryptoError:
        return None


def generate_keypair() -> tuple[bytes, bytes]:
    """A fresh ML-KEM-768 key pair: (encapsulation key, decapsulation key)."""
    return ML_KEM_768.keygen()
