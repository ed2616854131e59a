"""The proof-of-work faucet (`faucet`, subtensor's `do_faucet` in `subnets/registration.rs`).

The call exists only in runtimes built with the `pow-faucet` feature; the devnet spec-381
runtime whose metadata we follow (and `scripts/localnet.sh`'s builds) have it, so this runtime
does too. The caller proves work done within the last 3 blocks: the seal
`keccak_256(sha2_256(nonce_le ++ keccak_256(BlockHash[block_number] ++ coldkey)))` must equal
`work` and, read as a little-endian U256, times the base difficulty 1_000_000, must not
overflow. It mints 1000 TAO to the caller; SubtensorModule's `TotalIssuance` rises by 100 TAO
only, as the real pallet writes it. `UsedWork` records the work (and is not checked, as in
spec 381).
"""

from __future__ import annotations

from pysubtensor.pallets import system
from pysubtensor.pallets.support.dispatch import (
    ROCKS_DB_WEIGHT,
    Origin,
    Pays,
    RuntimePanic,
    Weight,
    ensure,
    ensure_signed,
)
from pysubtensor.pallets.support.tokens import Precision
from pysubtensor.pallets.support.types import VecU8, u64
from pysubtensor.primitives.hashing import keccak_256, sha2_256

from ..errors import Error
from ..events import Event
from ..pallet import pallet

__all__ = ["FAUCET_AMOUNT", "FAUCET_DIFFICULTY", "create_seal_hash", "do_faucet", "faucet", "hash_meets_difficulty"]

S = pallet.Storage
#: The faucet's base difficulty.
FAUCET_DIFFICULTY = 1_000_000
#: What the faucet pays, in rao (1000 TAO).
FAUCET_AMOUNT = 1_000_000_000_000
#: What `increase_issuance` adds to SubtensorModule's `TotalIssuance` (100 TAO: not the amount paid).
_ISSUANCE_INCREASE = 100_000_000_000
_U256_LIMIT = 1 << 256
_U64_MAX = (1 << 64) - 1


def hash_meets_difficulty(hash_: bytes, difficulty: int) -> bool:
    """The hash, a little-endian U256, times `difficulty` does not overflow."""
    return int.from_bytes(hash_, "little") * difficulty < _U256_LIMIT


def create_seal_hash(block_number: int, nonce: int, hotkey: bytes) -> bytes:
    block_and_hotkey = keccak_256(system.block.block_hash(block_number) + hotkey[:32])
    return keccak_256(sha2_256(nonce.to_bytes(8, "little") + block_and_hotkey))


def do_faucet(origin: Origin, block_number: int, nonce: int, work: bytes) -> None:
    coldkey = ensure_signed(origin)
    current = system.block_number()
    ensure(block_number <= current, Error.InvalidWorkBlock)
    ensure(current - block_number < 3, Error.InvalidWorkBlock)
    if len(work) != 32:
        # `H256::from_slice` panics on any other length.
        raise RuntimePanic(f"faucet: work of {len(work)} bytes is not an H256")
    ensure(hash_meets_difficulty(work, FAUCET_DIFFICULTY), Error.InvalidDifficulty)
    ensure(create_seal_hash(block_number, nonce, coldkey) == work, Error.InvalidSeal)
    S.UsedWork.insert(work, current)

    S.TotalIssuance.put(min(S.TotalIssuance.get() + _ISSUANCE_INCREASE, _U64_MAX))
    pallet.config.currency.deposit(coldkey, FAUCET_AMOUNT, Precision.BEST_EFFORT).drop()
    pallet.deposit_event(Event.Faucet(coldkey, FAUCET_AMOUNT))


@pallet.call(60, weight=Weight(91_000_000, 0) + ROCKS_DB_WEIGHT.reads_writes(27, 22), pays=Pays.NO)
def faucet(origin: Origin, block_number: u64, nonce: u64, work: VecU8) -> None:
    """Facility extrinsic for user to get taken from faucet
    It is only available when pow-faucet feature enabled
    Just deployed in testnet and devnet for testing purpose"""
    do_faucet(origin, block_number, nonce, work)
