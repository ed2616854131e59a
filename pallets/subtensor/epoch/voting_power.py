"""Voting-power tracking switches (subtensor's `utils/voting_power.rs`, spec 381): a subnet's
owner (or root) turns tracking on, or schedules it off after a 14-day grace period; root sets
the EMA's alpha; each epoch (`epoch_with_mechanisms`) moves every permitted validator's
voting power towards its stake (`update_voting_power_for_subnet`)."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Origin, Weight, ensure, ensure_root
from pysubtensor.pallets.support.types import u64

from ..errors import Error
from ..events import Event
from ..pallet import pallet
from ..types import NetUid
from ..utils.admin import current_block, ensure_subnet_owner_or_root

__all__ = [
    "MAX_VOTING_POWER_EMA_ALPHA",
    "VOTING_POWER_DISABLE_GRACE_PERIOD_BLOCKS",
    "calculate_voting_power_ema",
    "disable_voting_power_tracking",
    "enable_voting_power_tracking",
    "sudo_set_voting_power_ema_alpha",
    "update_voting_power_for_subnet",
]

S = pallet.Storage
#: 14 days of 12-second blocks.
VOTING_POWER_DISABLE_GRACE_PERIOD_BLOCKS = 100_800
#: 1.0 with 18 decimals.
MAX_VOTING_POWER_EMA_ALPHA = 10**18
_U64_MAX = (1 << 64) - 1


@pallet.call(129, weight=Weight(10_000, 0) + ROCKS_DB_WEIGHT.reads_writes(2, 2))
def enable_voting_power_tracking(origin: Origin, netuid: NetUid) -> None:
    """Enables voting power tracking for a subnet.

    This function can be called by the subnet owner or root.
    When enabled, voting power EMA is updated every epoch for all validators.
    Voting power starts at 0 and increases over epochs.

    # Arguments:
    * `origin` - The origin of the call, must be subnet owner or root.
    * `netuid` - The subnet to enable voting power tracking for.

    # Errors:
    * `SubnetNotExist` - If the subnet does not exist.
    * `NotSubnetOwner` - If the caller is not the subnet owner or root.
    """
    ensure_subnet_owner_or_root(origin, netuid)
    S.VotingPowerTrackingEnabled.insert(netuid, True)
    S.VotingPowerDisableAtBlock.remove(netuid)
    pallet.deposit_event(Event.VotingPowerTrackingEnabled(netuid=netuid))


@pallet.call(130, weight=Weight(10_000, 0) + ROCKS_DB_WEIGHT.reads_writes(2, 1))
def disable_voting_power_tracking(origin: Origin, netuid: NetUid) -> None:
    """Schedules disabling of voting power tracking for a subnet.

    This function can be called by the subnet owner or root.
    Voting power tracking will continue for 14 days (grace period) after this call,
    then automatically disable and clear all VotingPower entries for the subnet.

    # Arguments:
    * `origin` - The origin of the call, must be subnet owner or root.
    * `netuid` - The subnet to schedule disabling voting power tracking for.

    # Errors:
    * `SubnetNotExist` - If the subnet does not exist.
    * `NotSubnetOwner` - If the caller is not the subnet owner or root.
    * `VotingPowerTrackingNotEnabled` - If voting power tracking is not enabled.
    """
    ensure_subnet_owner_or_root(origin, netuid)
    ensure(S.VotingPowerTrackingEnabled.get(netuid), Error.VotingPowerTrackingNotEnabled)
    disable_at_block = min(current_block() + VOTING_POWER_DISABLE_GRACE_PERIOD_BLOCKS, _U64_MAX)
    S.VotingPowerDisableAtBlock.insert(netuid, disable_at_block)
    pallet.deposit_event(Event.VotingPowerTrackingDisableScheduled(netuid=netuid, disable_at_block=disable_at_block))


@pallet.call(131, weight=Weight(6_000, 0) + ROCKS_DB_WEIGHT.reads_writes(1, 1))
def sudo_set_voting_power_ema_alpha(origin: Origin, netuid: NetUid, alpha: u64) -> None:
    """Sets the EMA alpha value for voting power calculation on a subnet.

    This function can only be called by root (sudo).
    Higher alpha = faster response to stake changes.
    Alpha is stored as u64 with 18 decimal precision (1.0 = 10^18).

    # Arguments:
    * `origin` - The origin of the call, must be root.
    * `netuid` - The subnet to set the alpha for.
    * `alpha` - The new alpha value (u64 with 18 decimal precision).

    # Errors:
    * `BadOrigin` - If the origin is not root.
    * `SubnetNotExist` - If the subnet does not exist.
    * `InvalidVotingPowerEmaAlpha` - If alpha is greater than 10^18 (1.0).
    """
    ensure_root(origin)
    ensure(alpha <= MAX_VOTING_POWER_EMA_ALPHA, Error.InvalidVotingPowerEmaAlpha)
    S.VotingPowerEmaAlpha.insert(netuid, alpha)
    pallet.deposit_event(Event.VotingPowerEmaAlphaSet(netuid=netuid, alpha=alpha))


# ---------------------------------------------------------------------------
# Epoch processing


def calculate_voting_power_ema(current_stake: int, previous_ema: int, alpha: int) -> int:
    """`alpha * stake + (1 - alpha) * previous`, alpha in parts of 10^18, floored, u64."""
    one_minus_alpha = max(MAX_VOTING_POWER_EMA_ALPHA - alpha, 0)
    return min((alpha * current_stake + one_minus_alpha * previous_ema) // MAX_VOTING_POWER_EMA_ALPHA, _U64_MAX)


def update_voting_power_for_subnet(netuid: int, epoch_output: dict) -> None:
    """After an epoch (`EpochTerms` per hotkey): when tracking is on, validators with a new
    permit move their voting power towards their stake, others lose theirs, deregistered
    hotkeys are cleared; past the scheduled disable block everything is cleared and tracking
    turned off."""
    if not S.VotingPowerTrackingEnabled.get(netuid):
        return
    disable_at = S.VotingPowerDisableAtBlock.get(netuid)
    if disable_at > 0 and current_block() >= disable_at:
        S.VotingPower.clear_prefix(netuid)
        S.VotingPowerTrackingEnabled.insert(netuid, False)
        S.VotingPowerDisableAtBlock.remove(netuid)
        pallet.deposit_event(Event.VotingPowerTrackingDisabled(netuid=netuid))
        return
    alpha = S.VotingPowerEmaAlpha.get(netuid)
    min_stake = S.StakeThreshold.get()
    for hotkey, terms in epoch_output.items():
        if not terms.new_validator_permit:
            S.VotingPower.remove(netuid, hotkey)
            continue
        previous = S.VotingPower.get(netuid, hotkey)
        new_ema = calculate_voting_power_ema(terms.stake, previous, alpha)
        if new_ema < min_stake <= previous:
            S.VotingPower.remove(netuid, hotkey)
        elif new_ema > 0:
            S.VotingPower.insert(netuid, hotkey, new_ema)
    for hotkey in [h for h, _ in S.VotingPower.iter_prefix(netuid) if not S.IsNetworkMember.get(h, netuid)]:
        S.VotingPower.remove(netuid, hotkey)
