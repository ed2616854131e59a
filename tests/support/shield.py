"""Client-side MEV Shield encryption for tests: what bittensor 11.3.0 and btcli 9.21.2 do
(`encrypt_mlkem768(NextKey, signed_extrinsic, include_key_hash=True)`), with kyber-py's
ML-KEM-768 encapsulation and libsodium's XChaCha20-Poly1305. The end-to-end tests use the
clients' own functions; this serves the in-process scenarios."""

from __future__ import annotations

import os

from kyber_py.ml_kem import ML_KEM_768
from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt
from substrateinterface.utils.hasher import xxh128

__all__ = ["encrypt"]


def encrypt(enc_key: bytes, plaintext: bytes, *, tag: bytes | None = None) -> bytes:
    """`key_hash || u16 kem_len || kem_ct || nonce24 || aead_ct`; `tag` overrides the key hash,
    by default `xxhash128(key)` as substrate-interface computes it (not our hasher)."""
    shared_secret, kem_ct = ML_KEM_768.encaps(enc_key)
    nonce = os.urandom(24)
    aead_ct = crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, b"", nonce, shared_secret)
    head = xxh128(enc_key) if tag is None else tag
    return head + len(kem_ct).to_bytes(2, "little") + kem_ct + nonce + aead_ct
