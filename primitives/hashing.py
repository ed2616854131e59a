"""Hash functions and the storage hashers of FRAME (sp-core hashing, frame-support hashers).

Blake2b and SHA-256 come from hashlib, xxHash from the `xxhash` package, Keccak-256 (the
pre-standard SHA-3 that Ethereum and sp-core's `keccak_256` use; hashlib's sha3_256 differs in
padding) from pycryptodome: nothing is hand-rolled.
The hasher names match the `StorageHasher` variants of scale-info metadata exactly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import xxhash

from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = [
    "HASHERS",
    "Blake2_128",
    "Blake2_128Concat",
    "Blake2_256",
    "Identity",
    "StorageHasher",
    "Twox64Concat",
    "Twox128",
    "Twox256",
    "blake2_64",
    "blake2_128",
    "blake2_256",
    "keccak_256",
    "sha2_256",
    "storage_prefix",
    "twox64",
    "twox128",
    "twox256",
]


def blake2_64(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=8).digest()


def blake2_128(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def blake2_256(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def keccak_256(data: bytes) -> bytes:
    # Imported on first use: pycryptodome loads its C code through cffi, whose declaration
    # parser costs ~40 ms at import, and only the faucet and EVM-key checks hash with Keccak.
    from Crypto.Hash import keccak

    return keccak.new(data=data, digest_bits=256).digest()


def sha2_256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def twox64(data: bytes) -> bytes:
    # Substrate writes each 64-bit xxh64 lane little-endian.
    return xxhash.xxh64_intdigest(data, seed=0).to_bytes(8, "little")


def twox128(data: bytes) -> bytes:
    return (
        xxhash.xxh64_intdigest(data, seed=0).to_bytes(8, "little")
        + xxhash.xxh64_intdigest(data, seed=1).to_bytes(8, "little")
    )


def twox256(data: bytes) -> bytes:
    return b"".join(xxhash.xxh64_intdigest(data, seed=s).to_bytes(8, "little") for s in range(4))


@slots_dataclass(frozen=True)
class StorageHasher:
    """A FRAME storage hasher: how an encoded map key becomes part of a storage key.

    `index` is the variant index of `StorageHasher` in metadata; `hash_len` is the
    number of hash bytes before the key (for concat hashers) or the whole output.
    """

    name: str
    index: int
    function: Callable[[bytes], bytes]
    hash_len: int
    concat: bool

    def __call__(self, encoded_key: bytes) -> bytes:
        if self.concat:
            return self.function(encoded_key) + encoded_key
        return self.function(encoded_key)

    @property
    def reversible(self) -> bool:
        """True when the original encoded key can be read back out of the storage key."""
        return self.concat


def _identity(data: bytes) -> bytes:
    return b""


# Variant order of frame_metadata::StorageHasher (V14+).
Blake2_128 = StorageHasher("Blake2_128", 0, blake2_128, 16, False)
Blake2_256 = StorageHasher("Blake2_256", 1, blake2_256, 32, False)
Blake2_128Concat = StorageHasher("Blake2_128Concat", 2, blake2_128, 16, True)
Twox128 = StorageHasher("Twox128", 3, twox128, 16, False)
Twox256 = StorageHasher("Twox256", 4, twox256, 32, False)
Twox64Concat = StorageHasher("Twox64Concat", 5, twox64, 8, True)
Identity = StorageHasher("Identity", 6, _identity, 0, True)

HASHERS: dict[str, StorageHasher] = {
    h.name: h for h in (Blake2_128, Blake2_256, Blake2_128Concat, Twox128, Twox256, Twox64Concat, Identity)
}


def storage_prefix(pallet: str, item: str) -> bytes:
    """`twox128(pallet) ++ twox128(item)`: the 32-byte prefix of every key of a storage item."""
    return twox128(pallet.encode()) + twox128(item.encode())
