"""RandomnessCollectiveFlip: shape against the real metadata, and the ring buffer of parent
hashes filled in `on_initialize` (the Rust pallet's own test scenarios)."""

from __future__ import annotations

import pytest

import pysubtensor.pallets.randomness_collective_flip as flip
import pysubtensor.pallets.system as system
from pysubtensor.pallets.support.dispatch import Weight
from pysubtensor.primitives import header
from pysubtensor.primitives.hashing import blake2_256
from tests.support.frame import frame_env
from tests.support.metadata import BLOBS, assert_pallet_matches, summary_pallet


@pytest.mark.parametrize("blob", BLOBS)
def test_declarations_match_the_real_metadata(blob):
    assert_pallet_matches(flip.pallet, blob)


def test_summary_names():
    s = summary_pallet("RandomnessCollectiveFlip")
    assert s["storage_list"] == ["RandomMaterial"] and s["calls"] == s["events"] == s["errors"] == 0


def _run_blocks(count: int) -> bytes:
    """Blocks 1..count: initialize, the pallet's on_initialize, finalize; returns genesis' hash."""
    system.pallet.genesis_build({})
    genesis = system.parent_hash()
    parent = genesis
    for n in range(1, count + 1):
        system.initialize(n, parent, header.Digest())
        assert flip.on_initialize(n) == Weight(125_000_000, 0)
        block = system.finalize()
        parent = blake2_256(block.number.to_bytes(4, "little") + block.parent_hash)  # any distinct hash
    return genesis


def test_material_fills_then_wraps():
    with frame_env():
        genesis = _run_blocks(38)
        material = flip.RandomMaterial.get()
        assert len(material) == 38 and material[0] == genesis
    with frame_env():
        genesis = _run_blocks(81)
        material = flip.RandomMaterial.get()
        assert len(material) == 81 and material[0] == genesis and material[0] != material[1]
    with frame_env():
        genesis = _run_blocks(162)
        material = flip.RandomMaterial.get()
        assert len(material) == 81 and material[0] != genesis


def test_random():
    with frame_env():
        _run_blocks(162)
        assert system.block_number() == 162
        assert flip.random(b"random_1") == flip.random(b"random_1")
        assert flip.random(b"random_1") != flip.random(b"random_2")
        seed, known_since = flip.random(b"")
        assert known_since == 162 - 81
        assert seed != bytes(32) and seed not in flip.RandomMaterial.get()


def test_triplet_mix_is_a_bitwise_majority():
    a, b, c = (bytes([x]) * 32 for x in (0b1100, 0b1010, 0b0110))
    assert flip.triplet_mix([a, b, c]) == bytes([0b1110]) * 32
    assert flip.triplet_mix([]) == bytes(32)
    assert flip.triplet_mix([a, b]) == bytes(32)  # fewer than three seeds mix to nothing
