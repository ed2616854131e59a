"""The block author's MEV Shield keys (subtensor's `stc-shield` keystores and inherent data).

Each block the author announces, through the `announce_next_key` inherent, the encapsulation
key of its `next` pair; the chain hands that key out as `NextKey` for the block it will author
two slots later, and the author opens the carriers made for it with the `current` pair's
decapsulation key.

* `MemoryShieldKeystore` (a validator among several): rolls `next` into `current` after each
  block it authors, so that it stays in step with the on-chain pipeline when it authors every
  K-th block, K ≥ 3.
* `DevShieldKeystore` (a node that authors every block, as `--dev` and manual sealing do):
  one fixed pair for both roles, as node-subtensor's `DevShieldKeystore`, because rolling on
  every block would run two pairs ahead of `PendingKey`.

Keys are generated with `kyber-py` (ML-KEM-768, FIPS 203); they live in memory only.
"""

from __future__ import annotations

from typing import Protocol

from pysubtensor.primitives.inherents import InherentData
from pysubtensor.primitives.scale import BYTES, Option
from pysubtensor.primitives.shield import INHERENT_IDENTIFIER, generate_keypair

__all__ = ["DevShieldKeystore", "MemoryShieldKeystore", "ShieldKeystore", "shield_inherent_data"]


class ShieldKeystore(Protocol):
    """`stp_shield::ShieldKeystore`."""

    def roll_for_next_slot(self) -> None: ...

    def next_enc_key(self) -> bytes: ...

    def current_dec_key(self) -> bytes: ...


class MemoryShieldKeystore:
    """Two ML-KEM-768 pairs, `current` and `next`; `roll_for_next_slot` moves `next` to
    `current` and generates a fresh `next`."""

    def __init__(self) -> None:
        self._current = generate_keypair()
        self._next = generate_keypair()

    def roll_for_next_slot(self) -> None:
        self._current, self._next = self._next, generate_keypair()

    def next_enc_key(self) -> bytes:
        return self._next[0]

    def current_dec_key(self) -> bytes:
        return self._current[1]


class DevShieldKeystore:
    """One fixed pair: what is announced is what decrypts; rolling does nothing. The pair is
    generated when first asked for (the first block authored), not while the node starts:
    ML-KEM key generation is pure Python (~3 ms) and a node serves RPC before it authors."""

    def __init__(self) -> None:
        self._pair: tuple[bytes, bytes] | None = None

    def _keys(self) -> tuple[bytes, bytes]:
        if self._pair is None:
            self._pair = generate_keypair()
        return self._pair

    def roll_for_next_slot(self) -> None:
        """Nothing: the pair is fixed."""

    def next_enc_key(self) -> bytes:
        return self._keys()[0]

    def current_dec_key(self) -> bytes:
        return self._keys()[1]


def shield_inherent_data(keystore: ShieldKeystore | None) -> InherentData:
    """`stc_shield::InherentDataProvider`: `Option<ShieldEncKey>` (the next key) under
    `shieldpk`; `None` when the node has no keystore (it leaves the rotation)."""
    key = keystore.next_enc_key() if keystore is not None else None
    return {INHERENT_IDENTIFIER: Option(BYTES).encode(key)}
