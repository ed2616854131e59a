"""RandomnessCollectiveFlip (pallet 1): recent parent hashes as insecure random material."""

from .pallet import RANDOM_MATERIAL_LEN, RandomMaterial, on_initialize, pallet, random, triplet_mix

__all__ = ["RANDOM_MATERIAL_LEN", "RandomMaterial", "on_initialize", "pallet", "random", "triplet_mix"]
