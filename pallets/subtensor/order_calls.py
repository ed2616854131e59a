"""SubtensorModule's calls: each concern's `calls` module declares them; their metadata order
is spec 381's (the real pallet lists calls in source order, not by index). Calls still being
built are absent from both (tests/support/metadata.py CALLS_IN_PROGRESS)."""

from pysubtensor.pallets.subtensor.epoch import voting_power as _voting_power_calls  # noqa: F401 (declares)
from pysubtensor.pallets.subtensor.hierarchy import calls as _hierarchy_calls  # noqa: F401 (declares)
from pysubtensor.pallets.subtensor.neurons import calls as _neuron_calls  # noqa: F401 (declares)
from pysubtensor.pallets.subtensor.neurons import faucet as _faucet_call  # noqa: F401 (declares)
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.serving import calls as _serving_calls  # noqa: F401 (declares)
from pysubtensor.pallets.subtensor.staking import auto_stake as _auto_stake_calls  # noqa: F401 (declares)
from pysubtensor.pallets.subtensor.staking import calls as _staking_calls  # noqa: F401 (declares)
from pysubtensor.pallets.subtensor.staking import lock_calls as _lock_calls  # noqa: F401 (declares)
from pysubtensor.pallets.subtensor.subnets import calls as _subnet_calls  # noqa: F401 (declares)
from pysubtensor.pallets.subtensor.swap_keys import calls as _swap_key_calls  # noqa: F401 (declares)
from pysubtensor.pallets.subtensor.utils import evm as _evm_calls  # noqa: F401 (declares)
from pysubtensor.pallets.subtensor.weights import calls as _weights_calls  # noqa: F401 (declares)

CALLS = [
    "set_weights", "set_mechanism_weights", "batch_set_weights", "commit_weights", "commit_mechanism_weights",
    "batch_commit_weights", "reveal_weights", "reveal_mechanism_weights", "commit_crv3_mechanism_weights",
    "batch_reveal_weights", "decrease_take", "increase_take", "add_stake", "remove_stake", "serve_axon",
    "serve_axon_tls", "serve_prometheus", "register", "root_register", "burned_register", "swap_hotkey",
    "swap_coldkey", "set_childkey_take", "sudo_set_tx_childkey_take_rate_limit", "sudo_set_min_childkey_take",
    "sudo_set_max_childkey_take", "register_network", "faucet", "dissolve_network", "set_children",
    "schedule_swap_coldkey", "set_identity", "set_subnet_identity", "register_network_with_identity",
    "unstake_all", "unstake_all_alpha", "move_stake", "transfer_stake", "swap_stake", "add_stake_limit",
    "remove_stake_limit", "swap_stake_limit", "try_associate_hotkey", "start_call", "associate_evm_key", "recycle_alpha",
    "burn_alpha", "set_pending_childkey_cooldown", "remove_stake_full_limit", "register_leased_network", "terminate_lease", "update_symbol",
    "commit_timelocked_weights", "set_coldkey_auto_stake_hotkey", "commit_timelocked_mechanism_weights",
    "root_dissolve_network", "claim_root", "set_root_claim_type", "sudo_set_num_root_claims", "sudo_set_root_claim_threshold",
    "announce_coldkey_swap",
    "swap_coldkey_announced", "dispute_coldkey_swap", "reset_coldkey_swap", "enable_voting_power_tracking",
    "disable_voting_power_tracking", "sudo_set_voting_power_ema_alpha", "add_stake_burn",
    "register_limit",  # newer than 381 (tests/support/metadata.py ITEMS_BEYOND_381)
    "lock_stake", "move_lock", "set_perpetual_lock", "set_reject_locked_alpha", "move_stake_limit",  # newer than 381
]

pallet.metadata_order(calls=CALLS)
