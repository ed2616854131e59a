"""SubtensorModule's block hook (Rust `macros/hooks.rs`: `on_initialize` runs `block_step`,
`coinbase/block_step.rs`), in the real order: (1) registration prices (main's burn decay by
half-life and the per-block / root per-interval counters), (2) the block emission, (3) the reveal
of timelocked weight commits (weights/reveal.py), (4) the coinbase with the epochs due (spec
381), (5) moving prices, (6) root proportions, (7) pending children of the subnets at their
epoch, (8) the automatic root claim, (9) the root coldkey index population (not built: staking
already indexes every root staker's coldkey as it stakes).
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Weight
from pysubtensor.pallets.system.block import parent_hash
from pysubtensor.primitives.fixed import U96F32

from .coinbase.block_emission import get_block_emission
from .coinbase.run_coinbase import run_coinbase
from .coinbase.subnet_emissions import update_moving_prices, update_root_prop
from .coinbase.tao import mint_tao
from .hierarchy.children import try_set_pending_children
from .neurons.logic import update_registration_prices_for_networks
from .pallet import pallet
from .staking.claim_root import run_auto_claim_root_divs
from .staking.stake_utils import clear_stake_operation_limits
from .swap_keys.hotkey import clean_up_hotkey_swap_records
from .weights.reveal import reveal_crv3_commits

__all__ = ["on_finalize", "on_initialize"]

#: The weight Rust's `on_initialize` declares for a block step (the hotkey-swap clean-up's is added).
BLOCK_STEP_WEIGHT = Weight(110_634_229_000, 0) + ROCKS_DB_WEIGHT.reads_writes(8304, 110)


@pallet.hook_on_initialize
def on_initialize(block_number: int) -> Weight:
    clean_up_weight = clean_up_hotkey_swap_records(block_number)
    update_registration_prices_for_networks()
    # Main's `get_block_emission` mints the emission capped at what is left of the 21M supply,
    # and the coinbase splits that: near the cap the subnets share the rest instead of none.
    block_emission = U96F32.saturating_from_num(mint_tao(get_block_emission()))
    reveal_crv3_commits()  # step 3: timelocked weights whose drand pulse has arrived
    run_coinbase(block_emission)
    update_moving_prices()
    update_root_prop()
    try_set_pending_children(block_number)
    run_auto_claim_root_divs(parent_hash())
    return BLOCK_STEP_WEIGHT.saturating_add(clean_up_weight)


@pallet.hook_on_finalize
def on_finalize(block_number: int) -> None:
    # The staking rate limiter lasts one block.
    clear_stake_operation_limits()
