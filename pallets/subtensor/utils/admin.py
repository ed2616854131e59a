"""Who may change a subnet's hyperparameters, and when (pallet_subtensor's utils/misc.rs and
utils/rate_limiting.rs, the parts AdminUtils' setters use).

Root may always set; a subnet's owner (its `SubnetOwner` coldkey) may set the hyperparameters
Rust lets it, each at most once per `OwnerHyperparamRateLimit` tempos (`TxRateLimitExceeded`),
and nobody may touch a subnet during the last `AdminFreezeWindow` blocks before its epoch
(`AdminActionProhibitedDuringWeightsWindow`).

A rate-limited kind is named as Rust's `TransactionType`: a `Hyperparameter` variant name
("Kappa", "MaxBurn", ...) stands for `OwnerHyperparamUpdate(that)`, whose last block lives in
`LastRateLimitedBlock[OwnerHyperparamUpdate(netuid, that)]`; "SetWeightsVersionKey" and the
other plain kinds keep theirs in `TransactionKeyLastBlock[(owner, netuid, kind as u16)]`.
"""

from __future__ import annotations

from pysubtensor.pallets.subtensor.coinbase.schedule import MIN_TEMPO, blocks_until_next_auto_epoch
from pysubtensor.pallets.subtensor.constants import Constants
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.serving.storage import TransactionKeyLastBlock
from pysubtensor.pallets.subtensor.storage_beyond_381 import PendingEpochAt
from pysubtensor.pallets.subtensor.subnets.storage import (
    AdminFreezeWindow,
    OwnerHyperparamRateLimit,
    SubnetOwner,
    Tempo,
)
from pysubtensor.pallets.subtensor.types import HYPERPARAMETER
from pysubtensor.pallets.subtensor.utils.neuron_lookup import if_subnet_exist
from pysubtensor.pallets.subtensor.utils.storage import LastRateLimitedBlock
from pysubtensor.pallets.subtensor.weights.storage import WeightsVersionKeyRateLimit
from pysubtensor.pallets.support.dispatch import BadOrigin, Origin, ensure, ensure_signed_or_root
from pysubtensor.pallets.system.pallet import Number

__all__ = [
    "DEFAULT_SET_SN_OWNER_HOTKEY_RATE_LIMIT",
    "MECHANISM_COUNT_SET_RATE_LIMIT",
    "MECHANISM_EMISSION_RATE_LIMIT",
    "current_block",
    "ensure_admin_window_open",
    "ensure_sn_owner_or_root_with_limits",
    "ensure_subnet_owner_or_root",
    "if_subnet_exist",
    "is_in_admin_freeze_window",
    "last_block_on_subnet",
    "passes_rate_limit_on_subnet",
    "record_owner_rl",
    "set_last_block_on_subnet",
]

_U64_MAX = (1 << 64) - 1

#: `TransactionType as u16` of the kinds that are not owner hyperparameter updates.
_TX_TYPE_INDEX = {"SetChildren": 0, "SetChildkeyTake": 1, "Unknown": 2, "RegisterNetwork": 3,
                  "SetWeightsVersionKey": 4, "SetSNOwnerHotkey": 5, "MechanismCountUpdate": 7,
                  "MechanismEmission": 8, "MaxUidsTrimming": 9, "AddStakeBurn": 10, "TempoUpdate": 11}
_HYPERPARAMETERS = frozenset(v.name for v in HYPERPARAMETER.variants)

#: `DefaultSetSNOwnerHotkeyRateLimit`: blocks between two owner-hotkey changes of a subnet.
DEFAULT_SET_SN_OWNER_HOTKEY_RATE_LIMIT = 50_400
#: `MechanismCountSetRateLimit` and `MechanismEmissionRateLimit`: `prod_or_fast!(7_200, 1)`,
#: the fast runtime's value (the dev chain is a fast-runtime localnet).
MECHANISM_COUNT_SET_RATE_LIMIT = 1
MECHANISM_EMISSION_RATE_LIMIT = 1
#: `MaxUidsTrimmingRateLimit`: `prod_or_fast!(30 * 7200, 1)`, the fast runtime's.
MAX_UIDS_TRIMMING_RATE_LIMIT = 1


def current_block() -> int:
    """`get_current_block_as_u64`."""
    return Number.get()


def is_in_admin_freeze_window(netuid: int, block: int) -> bool:
    """The last `AdminFreezeWindow` blocks before the next automatic epoch, and the whole
    countdown to an owner-triggered one."""
    tempo = Tempo.get(netuid)
    if tempo == 0:
        return False
    pending = PendingEpochAt.get(netuid)
    if pending > 0 and pending > block:
        return True
    return blocks_until_next_auto_epoch(netuid, tempo, block) < AdminFreezeWindow.get()


def ensure_admin_window_open(netuid: int) -> None:
    ensure(not is_in_admin_freeze_window(netuid, current_block()),
           Error.AdminActionProhibitedDuringWeightsWindow)


def ensure_subnet_owner_or_root(origin: Origin, netuid: int) -> bytes | None:
    """The owner's coldkey for a signed origin that owns `netuid`, None for root; BadOrigin else."""
    who = ensure_signed_or_root(origin)
    if who is not None and SubnetOwner.get(netuid) != who:
        raise BadOrigin()
    return who


def _rate_limit_on_subnet(tx: str, netuid: int) -> int:
    """`TransactionType::rate_limit_on_subnet` for the kinds AdminUtils uses."""
    if tx == "SetWeightsVersionKey":
        return min(Tempo.get(netuid) * WeightsVersionKeyRateLimit.get(), _U64_MAX)
    if tx in _HYPERPARAMETERS:
        return Tempo.get(netuid) * OwnerHyperparamRateLimit.get()
    if tx == "SetSNOwnerHotkey":
        return DEFAULT_SET_SN_OWNER_HOTKEY_RATE_LIMIT
    if tx == "MechanismCountUpdate":
        return MECHANISM_COUNT_SET_RATE_LIMIT
    if tx == "MechanismEmission":
        return MECHANISM_EMISSION_RATE_LIMIT
    if tx == "MaxUidsTrimming":
        return MAX_UIDS_TRIMMING_RATE_LIMIT
    if tx == "TempoUpdate":
        return MIN_TEMPO
    raise ValueError(f"no subnet rate limit for {tx}")


def last_block_on_subnet(tx: str, who: bytes, netuid: int) -> int:
    if tx == "SetSNOwnerHotkey":
        return LastRateLimitedBlock.get(("SetSNOwnerHotkey", netuid))
    if tx in _HYPERPARAMETERS:
        return LastRateLimitedBlock.get(("OwnerHyperparamUpdate", (netuid, tx)))
    return TransactionKeyLastBlock.get(who, netuid, _TX_TYPE_INDEX[tx])


def set_last_block_on_subnet(tx: str, who: bytes, netuid: int, block: int) -> None:
    if tx == "SetSNOwnerHotkey":
        LastRateLimitedBlock.insert(("SetSNOwnerHotkey", netuid), block)
    elif tx in _HYPERPARAMETERS:
        LastRateLimitedBlock.insert(("OwnerHyperparamUpdate", (netuid, tx)), block)
    else:
        TransactionKeyLastBlock.insert(who, netuid, _TX_TYPE_INDEX[tx], block)


def passes_rate_limit_on_subnet(tx: str, who: bytes, netuid: int) -> bool:
    """The first time (no last block) always passes; after that, `limit` blocks must have passed."""
    last = last_block_on_subnet(tx, who, netuid)
    return last == 0 or max(current_block() - last, 0) >= _rate_limit_on_subnet(tx, netuid)


def ensure_sn_owner_or_root_with_limits(origin: Origin, netuid: int, limits: tuple[str, ...]) -> bytes | None:
    """Root, or `netuid`'s owner if every kind in `limits` is past its rate limit."""
    who = ensure_subnet_owner_or_root(origin, netuid)
    if who is not None:
        for tx in limits:
            ensure(passes_rate_limit_on_subnet(tx, who, netuid), Error.TxRateLimitExceeded)
    return who


def record_owner_rl(owner: bytes | None, netuid: int, limits: tuple[str, ...]) -> None:
    """Note the current block for the owner's rate limits (root's changes are not limited)."""
    if owner is not None:
        now = current_block()
        for tx in limits:
            set_last_block_on_subnet(tx, owner, netuid, now)


def default_max_allowed_uids() -> int:
    """`DefaultMaxAllowedUids`: the runtime's `InitialMaxAllowedUids`."""
    return Constants.InitialMaxAllowedUids
