"""RandomnessCollectiveFlip (pallet 1, `pallet_insecure_randomness_collective_flip`): the
parent hashes of the last 81 blocks, a ring buffer updated in `on_initialize`, and the
low-influence `random` function drawn from them (insecure: block authors influence it).
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import Weight
from pysubtensor.pallets.support.pallet import Pallet
from pysubtensor.pallets.support.storage import StorageValue
from pysubtensor.pallets.system.limits import ROCKS_DB_WEIGHT
from pysubtensor.pallets.system.pallet import Number, ParentHash
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import BYTES, H256, I8, Field, Struct, Vec

__all__ = ["RANDOM_MATERIAL_LEN", "RandomMaterial", "on_initialize", "pallet", "random", "triplet_mix"]

pallet = Pallet("RandomnessCollectiveFlip", 1, crate="pallet_insecure_randomness_collective_flip")

RANDOM_MATERIAL_LEN = 81

#: `BoundedVec<H256, ConstU32<81>>`.
_HASHES = Struct(("bounded_collections", "bounded_vec", "BoundedVec"), (Field(None, Vec(H256), "Vec<T>"),),
                 params=(("T", H256), ("S", None)))

RandomMaterial = pallet.storage("RandomMaterial", StorageValue(_HASHES, default=list), docs="""
    Series of block headers from the last 81 blocks that acts as random seed material. This
    is arranged as a ring buffer with `block_number % 81` being the index into the `Vec` of
    the oldest hash.
""")


def _index(block_number: int) -> int:
    # on_initialize first runs in block 1.
    return (block_number - 1) % RANDOM_MATERIAL_LEN


@pallet.hook_on_initialize
def on_initialize(block_number: int) -> Weight:
    """Add the parent hash to the material, overwriting the oldest once 81 are kept."""
    parent_hash = ParentHash.get()
    values = RandomMaterial.get()
    if len(values) < RANDOM_MATERIAL_LEN:
        values.append(parent_hash)
    else:
        values[_index(block_number)] = parent_hash
    RandomMaterial.put(values)
    return ROCKS_DB_WEIGHT.reads_writes(1, 1)


def triplet_mix(seeds: list[bytes]) -> bytes:
    """sp-runtime's `TripletMix` over 32-byte hashes: majority votes of triples, bitwise, up
    the largest power of three that fits (at most 3^17)."""
    max_depth = 17
    accum = [[0, 0, 0] for _ in range(max_depth)]
    result = 0
    for i, seed in enumerate(seeds):
        accum[0][i % 3] = int.from_bytes(seed, "big")
        index_at_depth = i
        for depth in range(max_depth):
            if index_at_depth % 3 != 2:
                break
            index_at_depth //= 3
            a, b, c = accum[depth]
            result = (a & b) | (b & c) | (a & c)
            if depth == max_depth - 1:
                break
            accum[depth + 1][index_at_depth % 3] = result
    return result.to_bytes(32, "big")


def random(subject: bytes) -> tuple[bytes, int]:
    """`Randomness::random`: a seed for `subject` and the block number since which it is known."""
    block_number = Number.get()
    hashes = RandomMaterial.get()
    if hashes:
        start = _index(block_number)
        seeds = []
        for i in range(RANDOM_MATERIAL_LEN):
            h = hashes[(start + i) % len(hashes)]
            seeds.append(blake2_256(I8.encode(i) + BYTES.encode(subject) + h))
        seed = triplet_mix(seeds)
    else:
        seed = bytes(32)
    return seed, max(block_number - RANDOM_MATERIAL_LEN, 0)
