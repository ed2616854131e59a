"""SubtensorModule's block hook (Rust `macros/hooks.rs`: `on_initialize` runs `block_step`).

Of `block_step` this runs what is implemented: the registration prices' update (main's burn
decay by half-life and the per-block / root per-interval counters), the block emission's record,
the reveal of timelocked weight commits (weights/reveal.py) and the pending children's
application on each subnet's epoch block. Coinbase, epochs and the other steps are
later issues'.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Weight

from .hierarchy.children import try_set_pending_children
from .neurons.logic import update_registration_prices_for_networks
from .pallet import pallet
from .staking.stake_utils import clear_stake_operation_limits
from .subnets.logic import get_block_emission
from .swap_keys.hotkey import clean_up_hotkey_swap_records
from .weights.reveal import reveal_crv3_commits

__all__ = ["on_finalize", "on_initialize"]

#: The weight Rust's `on_initialize` declares for a block step (the hotkey-swap clean-up's is added).
BLOCK_STEP_WEIGHT = Weight(110_634_229_000, 0) + ROCKS_DB_WEIGHT.reads_writes(8304, 110)


@pallet.hook_on_initialize
def on_initialize(block_number: int) -> Weight:
    clean_up_weight = clean_up_hotkey_swap_records(block_number)
    update_registration_prices_for_networks()
    get_block_emission()  # records `BlockEmission`, as block_step's first use of it does
    reveal_crv3_commits()  # step 3: timelocked weights whose drand pulse has arrived
    try_set_pending_children(block_number)  # step 7, after the (not yet built) coinbase steps
    return BLOCK_STEP_WEIGHT.saturating_add(clean_up_weight)


@pallet.hook_on_finalize
def on_finalize(block_number: int) -> None:
    # The staking rate limiter lasts one block.
    clear_stake_operation_limits()
