"""AdminUtils' calls (spec 381, pallet_admin_utils): setters of SubtensorModule's
hyperparameters and global parameters.

Who may call: root for every call; a subnet's owner too where Rust lets it (the calls going
through `admin.ensure_sn_owner_or_root_with_limits`), each hyperparameter at most once per
`OwnerHyperparamRateLimit` tempos. Most per-subnet setters refuse to run in the subnet's
admin freeze window (the last `AdminFreezeWindow` blocks before its epoch), for root too.
Checks run in Rust's order and raise before anything is written; each setter deposits the
SubtensorModule event Rust deposits (`TempoSet`, `MaxAllowedUidsSet`, ...), or none where
Rust has none.

Weights are the `#[pallet::weight]` values of spec 381's source over `RocksDbWeight`.
`swap_authorities` and `schedule_grandpa_change` go through the pallet's `Config` (`aura`,
`grandpa`), which the runtime binds to Aura's and GRANDPA's pallets as subtensor's runtime does.
`sudo_set_evm_chain_id` writes `EVMChainId.ChainId` as the real call does, although the EVM
pallets are not composed here (the value is in state, where an EVM client would read it).
Main's `sudo_set_burn_half_life` and `sudo_set_burn_increase_mult` (newer than spec 381) set
the burn rule of neurons/logic.py; main's `sudo_set_max_epochs_per_block` the per-block epoch
cap of its stateful schedule (subtensor coinbase/schedule.py).
"""

from __future__ import annotations

from pysubtensor.pallets.aura.pallet import _AUTHORITIES as AURA_AUTHORITIES
from pysubtensor.pallets.grandpa.pallet import AUTHORITY_LIST as GRANDPA_AUTHORITY_LIST
from pysubtensor.pallets.subtensor.coinbase.schedule import (
    apply_tempo_with_cycle_reset,
    set_max_epochs_per_block,
)
from pysubtensor.pallets.subtensor.coinbase.storage import EMAPriceHalvingBlocks, SubnetMovingAlpha
from pysubtensor.pallets.subtensor.constants import Constants as SubtensorConstants
from pysubtensor.pallets.subtensor.epoch.storage import MinActivityCutoff
from pysubtensor.pallets.subtensor.errors import Error as SubtensorError
from pysubtensor.pallets.subtensor.event_types import BlockNumberFor, i16
from pysubtensor.pallets.subtensor.neurons.storage import (
    MaxAllowedUids,
    MaxBurn,
    MinAllowedUids,
    MinBurn,
    SubnetworkN,
)
from pysubtensor.pallets.subtensor.neurons.trim import trim_to_max_allowed_uids
from pysubtensor.pallets.subtensor.staking.stake_utils import (
    clear_small_nominations,
    get_nominator_min_required_stake,
)
from pysubtensor.pallets.subtensor.staking.storage import NominatorMinRequiredStake
from pysubtensor.pallets.subtensor.storage_beyond_381 import (
    MAX_BURN_HALF_LIFE,
    BurnHalfLife,
    BurnIncreaseMult,
)
from pysubtensor.pallets.subtensor.subnets.storage import MechanismCountCurrent, SubtokenEnabled
from pysubtensor.pallets.subtensor.types import RECYCLE_OR_BURN, MechId, NetUid, TaoBalance
from pysubtensor.pallets.subtensor.utils import admin
from pysubtensor.pallets.subtensor.utils import hyperparams as hp
from pysubtensor.pallets.support.dispatch import DispatchClass, Weight, ensure, ensure_root
from pysubtensor.pallets.support.types import Bool, scale_type, u8, u16, u64
from pysubtensor.pallets.system.limits import ROCKS_DB_WEIGHT
from pysubtensor.primitives import externalities
from pysubtensor.primitives.fixed import I64F64, I96F32, U64F64
from pysubtensor.primitives.hashing import storage_prefix
from pysubtensor.primitives.scale import U16, U32, U64, Option, Vec
from pysubtensor.primitives.types import ACCOUNT_ID

from .pallet import Error, Event, PrecompileEnable, PrecompileEnum, pallet

_U16_MAX = 0xFFFF
#: The highest bonds moving average a subnet owner may set (root may set more).
_OWNER_MAX_BONDS_MOVING_AVERAGE = 975_000
#: 1 as a `U64F64` (raw bits).
_U64F64_ONE = 1 << 64

_I96F32 = scale_type(I96F32, int, "I96F32")
_I64F64 = scale_type(I64F64, int, "I64F64")
_U64F64 = scale_type(U64F64, int, "U64F64")
_ACCOUNT = scale_type(ACCOUNT_ID, bytes, "<T as frame_system::Config>::AccountId")
_RECYCLE_OR_BURN = scale_type(RECYCLE_OR_BURN, str, "pallet_subtensor::RecycleOrBurnEnum")
_PRECOMPILE = PrecompileEnum
_OPTION_SPLIT = scale_type(Option(Vec(U16)), list, "Option<Vec<u16>>")
_AURA_AUTHORITIES = scale_type(AURA_AUTHORITIES, list, "BoundedVec<<T as Config>::AuthorityId, T::MaxAuthorities>")
_GRANDPA_AUTHORITIES = scale_type(GRANDPA_AUTHORITY_LIST, list, "AuthorityList")
#: `EVMChainId.ChainId` (pallet_evm_chain_id at index 23 in the real runtime, not composed here).
EVM_CHAIN_ID_KEY = storage_prefix("EVMChainId", "ChainId")
_FORCED = scale_type(Option(U32), int, "Option<BlockNumberFor<T>>")


def _w(ref_time: int, proof_size: int, reads: int, writes: int) -> Weight:
    """`Weight::from_parts(ref_time, proof_size)` plus `reads` reads and `writes` writes."""
    return Weight(ref_time, proof_size).saturating_add(ROCKS_DB_WEIGHT.reads_writes(reads, writes))


@pallet.call(0, weight=_w(4_629_000, 0, 0, 1))
def swap_authorities(origin, new_authorities: _AURA_AUTHORITIES) -> None:
    """The extrinsic sets the new authorities for Aura consensus.
    It is only callable by the root account.
    The extrinsic will call the Aura pallet to change the authorities.
    """
    ensure_root(origin)
    pallet.config.aura.change_authorities(list(new_authorities))


@pallet.call(1, weight=_w(5_420_000, 0, 0, 1))
def sudo_set_default_take(origin, default_take: u16) -> None:
    """The extrinsic sets the default take for the network.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the default take.
    """
    ensure_root(origin)
    hp.set_max_delegate_take(default_take)


@pallet.call(2, weight=_w(5_400_000, 0, 0, 1))
def sudo_set_tx_rate_limit(origin, tx_rate_limit: u64) -> None:
    """The extrinsic sets the transaction rate limit for the network.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the transaction rate limit.
    """
    ensure_root(origin)
    hp.set_tx_rate_limit(tx_rate_limit)


@pallet.call(3, weight=_w(22_980_000, 0, 2, 1))
def sudo_set_serving_rate_limit(origin, netuid: NetUid, serving_rate_limit: u64) -> None:
    """The extrinsic sets the serving rate limit for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the serving rate limit.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("ServingRateLimit",))
    admin.ensure_admin_window_open(netuid)
    hp.set_serving_rate_limit(netuid, serving_rate_limit)
    admin.record_owner_rl(owner, netuid, ("ServingRateLimit",))


@pallet.call(4, weight=_w(26_390_000, 0, 3, 1))
def sudo_set_min_difficulty(origin, netuid: NetUid, min_difficulty: u64) -> None:
    """The extrinsic sets the minimum difficulty for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the minimum difficulty.
    """
    ensure_root(origin)
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_min_difficulty(netuid, min_difficulty)


@pallet.call(5, weight=_w(26_990_000, 0, 3, 1))
def sudo_set_max_difficulty(origin, netuid: NetUid, max_difficulty: u64) -> None:
    """The extrinsic sets the maximum difficulty for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the maximum difficulty.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("MaxDifficulty",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_max_difficulty(netuid, max_difficulty)
    admin.record_owner_rl(owner, netuid, ("MaxDifficulty",))


@pallet.call(6, weight=_w(26_220_000, 0, 3, 1))
def sudo_set_weights_version_key(origin, netuid: NetUid, weights_version_key: u64) -> None:
    """The extrinsic sets the weights version key for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the weights version key.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("SetWeightsVersionKey",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_weights_version_key(netuid, weights_version_key)
    admin.record_owner_rl(owner, netuid, ("SetWeightsVersionKey",))


@pallet.call(7, weight=_w(15_060_000, 0, 1, 1))
def sudo_set_weights_set_rate_limit(origin, netuid: NetUid, weights_set_rate_limit: u64) -> None:
    """The extrinsic sets the weights set rate limit for a subnet.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the weights set rate limit.
    """
    ensure_root(origin)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_weights_set_rate_limit(netuid, weights_set_rate_limit)


@pallet.call(8, weight=_w(21_320_000, 0, 1, 1))
def sudo_set_adjustment_interval(origin, netuid: NetUid, adjustment_interval: u16) -> None:
    """The extrinsic sets the adjustment interval for a subnet.
    It is only callable by the root account, not changeable by the subnet owner.
    The extrinsic will call the Subtensor pallet to set the adjustment interval.
    """
    ensure_root(origin)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_adjustment_interval(netuid, adjustment_interval)


@pallet.call(9, weight=_w(14_000_000, 0, 1, 1))
def sudo_set_adjustment_alpha(origin, netuid: NetUid, adjustment_alpha: u64) -> None:
    """The extrinsic sets the adjustment alpha for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the adjustment alpha.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("AdjustmentAlpha",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_adjustment_alpha(netuid, adjustment_alpha)
    admin.record_owner_rl(owner, netuid, ("AdjustmentAlpha",))


@pallet.call(13, weight=_w(26_620_000, 0, 3, 1))
def sudo_set_immunity_period(origin, netuid: NetUid, immunity_period: u16) -> None:
    """The extrinsic sets the immunity period for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the immunity period.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("ImmunityPeriod",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_immunity_period(netuid, immunity_period)
    admin.record_owner_rl(owner, netuid, ("ImmunityPeriod",))


@pallet.call(14, weight=_w(26_630_000, 0, 3, 1))
def sudo_set_min_allowed_weights(origin, netuid: NetUid, min_allowed_weights: u16) -> None:
    """The extrinsic sets the minimum allowed weights for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the minimum allowed weights.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("MinAllowedWeights",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_min_allowed_weights(netuid, min_allowed_weights)
    admin.record_owner_rl(owner, netuid, ("MinAllowedWeights",))


@pallet.call(15, weight=_w(32_140_000, 0, 6, 1))
def sudo_set_max_allowed_uids(origin, netuid: NetUid, max_allowed_uids: u16) -> None:
    """The extrinsic sets the maximum allowed UIDs for a subnet.
    It is only callable by the root account and subnet owner.
    The extrinsic will call the Subtensor pallet to set the maximum allowed UIDs for a subnet.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("MaxAllowedUids",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    ensure(max_allowed_uids >= MinAllowedUids.get(netuid), Error.MaxAllowedUidsLessThanMinAllowedUids)
    ensure(SubnetworkN.get(netuid) <= max_allowed_uids, Error.MaxAllowedUIdsLessThanCurrentUIds)
    ensure(max_allowed_uids <= admin.default_max_allowed_uids(), Error.MaxAllowedUidsGreaterThanDefaultMaxAllowedUids)
    # Prevent chain bloat: the UIDs over all of the subnet's mechanisms are bounded too.
    ensure(min(max_allowed_uids * MechanismCountCurrent.get(netuid), _U16_MAX) <= admin.default_max_allowed_uids(),
           SubtensorError.TooManyUIDsPerMechanism)
    hp.set_max_allowed_uids(netuid, max_allowed_uids)
    admin.record_owner_rl(owner, netuid, ("MaxAllowedUids",))


@pallet.call(16, weight=_w(15_390_000, 0, 1, 1))
def sudo_set_kappa(origin, netuid: NetUid, kappa: u16) -> None:
    """The extrinsic sets the kappa for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the kappa.
    """
    ensure_root(origin)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_kappa(netuid, kappa)


@pallet.call(17, weight=_w(23_360_000, 0, 3, 1))
def sudo_set_rho(origin, netuid: NetUid, rho: u16) -> None:
    """The extrinsic sets the rho for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the rho.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("Rho",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_rho(netuid, rho)
    admin.record_owner_rl(owner, netuid, ("Rho",))


@pallet.call(18, weight=_w(28_720_000, 0, 4, 1))
def sudo_set_activity_cutoff(origin, netuid: NetUid, activity_cutoff: u16) -> None:
    """The extrinsic sets the activity cutoff for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the activity cutoff.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("ActivityCutoff",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    ensure(activity_cutoff >= MinActivityCutoff.get(), SubtensorError.ActivityCutoffTooLow)
    hp.set_activity_cutoff(netuid, activity_cutoff)
    admin.record_owner_rl(owner, netuid, ("ActivityCutoff",))


@pallet.call(19, weight=_w(7_343_000, 0, 0, 1))
def sudo_set_network_registration_allowed(origin, netuid: NetUid, registration_allowed: Bool) -> None:
    """The extrinsic sets the network registration allowed for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the network registration allowed.
    """
    ensure_root(origin)
    hp.set_network_registration_allowed(netuid, registration_allowed)


@pallet.call(20, weight=_w(14_000_000, 0, 0, 1))
def sudo_set_network_pow_registration_allowed(origin, netuid: NetUid, registration_allowed: Bool) -> None:
    """The extrinsic sets the network PoW registration allowed for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the network PoW registration allowed.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("PowRegistrationAllowed",))
    admin.ensure_admin_window_open(netuid)
    hp.set_network_pow_registration_allowed(netuid, registration_allowed)
    admin.record_owner_rl(owner, netuid, ("PowRegistrationAllowed",))


@pallet.call(21, weight=_w(25_980_000, 0, 3, 1))
def sudo_set_target_registrations_per_interval(origin, netuid: NetUid, target_registrations_per_interval: u16) -> None:
    """The extrinsic sets the target registrations per interval for a subnet.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the target registrations per interval.
    """
    ensure_root(origin)
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_target_registrations_per_interval(netuid, target_registrations_per_interval)


@pallet.call(22, weight=_w(29_970_000, 0, 4, 1))
def sudo_set_min_burn(origin, netuid: NetUid, min_burn: TaoBalance) -> None:
    """The extrinsic sets the minimum burn for a subnet.
    It is only callable by root and subnet owner.
    The extrinsic will call the Subtensor pallet to set the minimum burn.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("MinBurn",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    ensure(min_burn < SubtensorConstants.MinBurnUpperBound, Error.ValueNotInBounds)
    # Min burn must be less than max burn
    ensure(min_burn < MaxBurn.get(netuid), Error.ValueNotInBounds)
    hp.set_min_burn(netuid, min_burn)
    admin.record_owner_rl(owner, netuid, ("MinBurn",))


@pallet.call(23, weight=_w(30_510_000, 0, 4, 1))
def sudo_set_max_burn(origin, netuid: NetUid, max_burn: TaoBalance) -> None:
    """The extrinsic sets the maximum burn for a subnet.
    It is only callable by root and subnet owner.
    The extrinsic will call the Subtensor pallet to set the maximum burn.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("MaxBurn",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    ensure(max_burn > SubtensorConstants.MaxBurnLowerBound, Error.ValueNotInBounds)
    # Max burn must be greater than min burn
    ensure(max_burn > MinBurn.get(netuid), Error.ValueNotInBounds)
    hp.set_max_burn(netuid, max_burn)
    admin.record_owner_rl(owner, netuid, ("MaxBurn",))


@pallet.call(24, weight=_w(38_500_000, 0, 3, 1))
def sudo_set_difficulty(origin, netuid: NetUid, difficulty: u64) -> None:
    """The extrinsic sets the difficulty for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the difficulty.
    """
    ensure_root(origin)
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_difficulty(netuid, difficulty)


@pallet.call(25, weight=_w(30_930_000, 0, 4, 1))
def sudo_set_max_allowed_validators(origin, netuid: NetUid, max_allowed_validators: u16) -> None:
    """The extrinsic sets the maximum allowed validators for a subnet.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the maximum allowed validators.
    """
    ensure_root(origin)
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    ensure(max_allowed_validators <= MaxAllowedUids.get(netuid), Error.MaxValidatorsLargerThanMaxUIds)
    hp.set_max_allowed_validators(netuid, max_allowed_validators)


@pallet.call(26, weight=_w(26_270_000, 0, 3, 1))
def sudo_set_bonds_moving_average(origin, netuid: NetUid, bonds_moving_average: u64) -> None:
    """The extrinsic sets the bonds moving average for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the bonds moving average.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("BondsMovingAverage",))
    admin.ensure_admin_window_open(netuid)
    if owner is not None:  # root may go beyond the owners' ceiling
        ensure(bonds_moving_average <= _OWNER_MAX_BONDS_MOVING_AVERAGE, Error.BondsMovingAverageMaxReached)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_bonds_moving_average(netuid, bonds_moving_average)
    admin.record_owner_rl(owner, netuid, ("BondsMovingAverage",))


@pallet.call(60, weight=_w(26_890_000, 0, 3, 1))
def sudo_set_bonds_penalty(origin, netuid: NetUid, bonds_penalty: u16) -> None:
    """The extrinsic sets the bonds penalty for a subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the bonds penalty.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("BondsPenalty",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_bonds_penalty(netuid, bonds_penalty)
    admin.record_owner_rl(owner, netuid, ("BondsPenalty",))


@pallet.call(27, weight=_w(26_970_000, 0, 3, 1))
def sudo_set_max_registrations_per_block(origin, netuid: NetUid, max_registrations_per_block: u16) -> None:
    """The extrinsic sets the maximum registrations per block for a subnet.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the maximum registrations per block.
    """
    ensure_root(origin)
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_max_registrations_per_block(netuid, max_registrations_per_block)


@pallet.call(28, weight=_w(14_000_000, 0, 0, 1))
def sudo_set_subnet_owner_cut(origin, subnet_owner_cut: u16) -> None:
    """The extrinsic sets the subnet owner cut for a subnet.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the subnet owner cut.
    """
    ensure_root(origin)
    hp.set_subnet_owner_cut(subnet_owner_cut)


@pallet.call(29, weight=_w(14_000_000, 0, 0, 1))
def sudo_set_network_rate_limit(origin, rate_limit: u64) -> None:
    """The extrinsic sets the network rate limit for the network.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the network rate limit.
    """
    ensure_root(origin)
    hp.set_network_rate_limit(rate_limit)


@pallet.call(30, weight=_w(25_790_000, 0, 3, 1))
def sudo_set_tempo(origin, netuid: NetUid, tempo: u16) -> None:
    """The extrinsic sets the tempo for a subnet.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the tempo.
    """
    ensure_root(origin)
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    apply_tempo_with_cycle_reset(netuid, tempo)  # main: the next epoch is `tempo` blocks away


@pallet.call(33, weight=_w(2_875_000, 0, 0, 1))
def sudo_set_total_issuance(origin, total_issuance: TaoBalance) -> None:
    """The extrinsic sets the total issuance for the network.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the issuance for the network.
    """
    ensure_root(origin)
    hp.set_total_issuance(total_issuance)


@pallet.call(35, weight=_w(14_000_000, 0, 0, 1))
def sudo_set_network_immunity_period(origin, immunity_period: u64) -> None:
    """The extrinsic sets the immunity period for the network.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the immunity period for the network.
    """
    ensure_root(origin)
    hp.set_network_immunity_period(immunity_period)


@pallet.call(36, weight=_w(14_000_000, 0, 0, 1))
def sudo_set_network_min_lock_cost(origin, lock_cost: TaoBalance) -> None:
    """The extrinsic sets the min lock cost for the network.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the min lock cost for the network.
    """
    ensure_root(origin)
    hp.set_network_min_lock(lock_cost)


@pallet.call(37, weight=_w(14_000_000, 0, 0, 1))
def sudo_set_subnet_limit(origin, max_subnets: u16) -> None:
    """The extrinsic sets the subnet limit for the network.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the subnet limit.
    """
    ensure_root(origin)
    hp.set_max_subnets(max_subnets)


@pallet.call(38, weight=_w(14_000_000, 0, 0, 1))
def sudo_set_lock_reduction_interval(origin, interval: u64) -> None:
    """The extrinsic sets the lock reduction interval for the network.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the lock reduction interval.
    """
    ensure_root(origin)
    hp.set_lock_reduction_interval(interval)


@pallet.call(39, weight=_w(15_060_000, 4045, 1, 1))
def sudo_set_rao_recycled(origin, netuid: NetUid, rao_recycled: TaoBalance) -> None:
    """The extrinsic sets the recycled RAO for a subnet.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the recycled RAO.
    """
    ensure_root(origin)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_rao_recycled(netuid, rao_recycled)


@pallet.call(42, weight=_w(5_000_000, 0, 0, 1))
def sudo_set_stake_threshold(origin, min_stake: u64) -> None:
    """The extrinsic sets the weights min stake.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the weights min stake.
    """
    ensure_root(origin)
    hp.set_stake_threshold(min_stake)


@pallet.call(43, weight=_w(28_050_000, 6792, 4, 1))
def sudo_set_nominator_min_required_stake(origin, min_stake: u64) -> None:
    """The extrinsic sets the minimum stake required for nominators.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the minimum stake required for nominators.
    """
    ensure_root(origin)
    # As Rust: the new factor is compared with the previous minimum in rao (not the factor).
    previous = get_nominator_min_required_stake()
    NominatorMinRequiredStake.put(min_stake)
    if min_stake > previous:
        clear_small_nominations()


@pallet.call(45, weight=_w(5_019_000, 0, 0, 1))
def sudo_set_tx_delegate_take_rate_limit(origin, tx_rate_limit: u64) -> None:
    """The extrinsic sets the rate limit for delegate take transactions.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the rate limit for delegate take transactions.
    """
    ensure_root(origin)
    hp.set_tx_delegate_take_rate_limit(tx_rate_limit)


@pallet.call(46, weight=_w(7_214_000, 0, 0, 1))
def sudo_set_min_delegate_take(origin, take: u16) -> None:
    """The extrinsic sets the minimum delegate take.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the minimum delegate take.
    """
    ensure_root(origin)
    hp.set_min_delegate_take(take)


@pallet.call(49, weight=_w(26_730_000, 0, 3, 1))
def sudo_set_commit_reveal_weights_enabled(origin, netuid: NetUid, enabled: Bool) -> None:
    """The extrinsic enabled/disables commit/reaveal for a given subnet.
    It is only callable by the root account or subnet owner.
    The extrinsic will call the Subtensor pallet to set the value.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("CommitRevealEnabled",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_commit_reveal_weights_enabled(netuid, enabled)
    admin.record_owner_rl(owner, netuid, ("CommitRevealEnabled",))


@pallet.call(50, weight=_w(18_300_000, 0, 2, 1))
def sudo_set_liquid_alpha_enabled(origin, netuid: NetUid, enabled: Bool) -> None:
    """Enables or disables Liquid Alpha for a given subnet.

    # Parameters
    - `origin`: The origin of the call, which must be the root account or subnet owner.
    - `netuid`: The unique identifier for the subnet.
    - `enabled`: A boolean flag to enable or disable Liquid Alpha.

    # Weight
    This function has a fixed weight of 0 and is classified as an operational transaction that does not incur any fees.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("LiquidAlphaEnabled",))
    admin.ensure_admin_window_open(netuid)
    hp.set_liquid_alpha_enabled(netuid, enabled)
    admin.record_owner_rl(owner, netuid, ("LiquidAlphaEnabled",))


@pallet.call(51, weight=_w(25_280_000, 4089, 3, 1))
def sudo_set_alpha_values(origin, netuid: NetUid, alpha_low: u16, alpha_high: u16) -> None:
    """Sets values for liquid alpha
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("AlphaValues",))
    admin.ensure_admin_window_open(netuid)
    hp.do_set_alpha_values(origin, netuid, alpha_low, alpha_high)
    admin.record_owner_rl(owner, netuid, ("AlphaValues",))


@pallet.call(55, weight=_w(5_000_000, 0, 0, 1))
def sudo_set_dissolve_network_schedule_duration(origin, duration: BlockNumberFor) -> None:
    """Sets the duration of the dissolve network schedule.

    This extrinsic allows the root account to set the duration for the dissolve network schedule.
    The dissolve network schedule determines how long it takes for a network dissolution operation to complete.

    # Arguments
    * `origin` - The origin of the call, which must be the root account.
    * `duration` - The new duration for the dissolve network schedule, in number of blocks.

    # Errors
    * `BadOrigin` - If the caller is not the root account.

    # Weight
    Weight is handled by the `#[pallet::weight]` attribute.
    """
    ensure_root(origin)
    hp.set_dissolve_network_schedule_duration(duration)


@pallet.call(57, weight=_w(26_950_000, 0, 3, 1))
def sudo_set_commit_reveal_weights_interval(origin, netuid: NetUid, interval: u64) -> None:
    """Sets the commit-reveal weights periods for a specific subnet.

    This extrinsic allows the subnet owner or root account to set the duration (in epochs) during which committed weights must be revealed.
    The commit-reveal mechanism ensures that users commit weights in advance and reveal them only within a specified period.

    # Arguments
    * `origin` - The origin of the call, which must be the subnet owner or the root account.
    * `netuid` - The unique identifier of the subnet for which the periods are being set.
    * `periods` - The number of epochs that define the commit-reveal period.

    # Errors
    * `BadOrigin` - If the caller is neither the subnet owner nor the root account.
    * `SubnetDoesNotExist` - If the specified subnet does not exist.

    # Weight
    Weight is handled by the `#[pallet::weight]` attribute.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("WeightCommitInterval",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    hp.set_reveal_period(netuid, interval)
    admin.record_owner_rl(owner, netuid, ("WeightCommitInterval",))


@pallet.call(58, weight=_w(27_199_000, 0, 1, 1))
def sudo_set_evm_chain_id(origin, chain_id: u64) -> None:
    """Sets the EVM ChainID.

    # Arguments
    * `origin` - The origin of the call, which must be the subnet owner or the root account.
    * `chainId` - The u64 chain ID

    # Errors
    * `BadOrigin` - If the caller is neither the subnet owner nor the root account.

    # Weight
    Weight is handled by the `#[pallet::weight]` attribute.
    """
    ensure_root(origin)
    # `pallet_evm_chain_id::ChainId::<T>::set(chain_id)`: a u64 StorageValue.
    externalities.current().set(EVM_CHAIN_ID_KEY, U64.encode(chain_id))


@pallet.call(59, weight=_w(7_779_000, 0, 1, 1))
def schedule_grandpa_change(origin, next_authorities: _GRANDPA_AUTHORITIES, in_blocks: BlockNumberFor,
                            forced: _FORCED) -> None:
    """A public interface for `pallet_grandpa::Pallet::schedule_grandpa_change`.

    Schedule a change in the authorities.

    The change will be applied at the end of execution of the block `in_blocks` after the
    current block. This value may be 0, in which case the change is applied at the end of
    the current block.

    If the `forced` parameter is defined, this indicates that the current set has been
    synchronously determined to be offline and that after `in_blocks` the given change
    should be applied. The given block number indicates the median last finalized block
    number and it should be used as the canon block when starting the new grandpa voter.

    No change should be signaled while any change is pending. Returns an error if a change
    is already pending.
    """
    ensure_root(origin)
    pallet.config.grandpa.schedule_change(list(next_authorities), in_blocks, forced)


@pallet.call(61, weight=_w(20_460_000, 0, 2, 1))
def sudo_set_toggle_transfer(origin, netuid: NetUid, toggle: Bool) -> None:
    """Enable or disable atomic alpha transfers for a given subnet.

    # Parameters
    - `origin`: The origin of the call, which must be the root account or subnet owner.
    - `netuid`: The unique identifier for the subnet.
    - `enabled`: A boolean flag to enable or disable Liquid Alpha.

    # Weight
    This function has a fixed weight of 0 and is classified as an operational transaction that does not incur any fees.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("TransferEnabled",))
    admin.ensure_admin_window_open(netuid)
    hp.toggle_transfer(netuid, toggle)
    admin.record_owner_rl(owner, netuid, ("TransferEnabled",))


@pallet.call(80, weight=_w(20_000_000, 0, 2, 2))
def sudo_set_recycle_or_burn(origin, netuid: NetUid, recycle_or_burn: _RECYCLE_OR_BURN) -> None:
    """Set the behaviour of the "burn" UID(s) for a given subnet.
    If set to `Burn`, the miner emission sent to the burn UID(s) will be burned.
    If set to `Recycle`, the miner emission sent to the burn UID(s) will be recycled.

    # Parameters
    - `origin`: The origin of the call, which must be the root account or subnet owner.
    - `netuid`: The unique identifier for the subnet.
    - `recycle_or_burn`: The desired behaviour of the "burn" UID(s) for the subnet.

    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("RecycleOrBurn",))
    admin.ensure_admin_window_open(netuid)
    hp.set_recycle_or_burn(netuid, recycle_or_burn)
    admin.record_owner_rl(owner, netuid, ("RecycleOrBurn",))


@pallet.call(62, weight=_w(5_744_000, 3507, 1, 0))
def sudo_toggle_evm_precompile(origin, precompile_id: _PRECOMPILE, enabled: Bool) -> None:
    """Toggles the enablement of an EVM precompile.

    # Arguments
    * `origin` - The origin of the call, which must be the root account.
    * `precompile_id` - The identifier of the EVM precompile to toggle.
    * `enabled` - The new enablement state of the precompile.

    # Errors
    * `BadOrigin` - If the caller is not the root account.

    # Weight
    Weight is handled by the `#[pallet::weight]` attribute.
    """
    ensure_root(origin)
    if PrecompileEnable.get(precompile_id) != enabled:
        PrecompileEnable.insert(precompile_id, enabled)
        pallet.deposit_event(Event.PrecompileUpdated(precompile_id=precompile_id, enabled=enabled))


@pallet.call(63, weight=_w(3_000_000, 0, 0, 1), docs=('', '', '# Arguments', '* `origin` - The origin of the call, which must be the root account.', '* `alpha` - The new moving alpha value for the SubnetMovingAlpha.', '', '# Errors', '* `BadOrigin` - If the caller is not the root account.', '', '# Weight', 'Weight is handled by the `#[pallet::weight]` attribute.'))
def sudo_set_subnet_moving_alpha(origin, alpha: _I96F32) -> None:
    ensure_root(origin)
    SubnetMovingAlpha.put(alpha)


@pallet.call(64, weight=_w(3_918_000, 0, 0, 1))
def sudo_set_subnet_owner_hotkey(origin, netuid: NetUid, hotkey: _ACCOUNT) -> None:
    """Change the SubnetOwnerHotkey for a given subnet.

    # Arguments
    * `origin` - The origin of the call, which must be the subnet owner.
    * `netuid` - The unique identifier for the subnet.
    * `hotkey` - The new hotkey for the subnet owner.

    # Errors
    * `BadOrigin` - If the caller is not the subnet owner or root account.

    # Weight
    Weight is handled by the `#[pallet::weight]` attribute.
    """
    hp.do_set_sn_owner_hotkey(origin, netuid, hotkey)


@pallet.call(65, weight=_w(6_201_000, 0, 0, 1), docs=('', '', '# Arguments', '* `origin` - The origin of the call, which must be the root account.', '* `ema_alpha_period` - Number of blocks for EMA price to halve', '', '# Errors', '* `BadOrigin` - If the caller is not the root account.', '', '# Weight', 'Weight is handled by the `#[pallet::weight]` attribute.'))
def sudo_set_ema_price_halving_period(origin, netuid: NetUid, ema_halving: u64) -> None:
    ensure_root(origin)
    EMAPriceHalvingBlocks.insert(netuid, ema_halving)


@pallet.call(68, weight=_w(23_140_000, 4045, 3, 1), docs=('', '', '# Arguments', '* `origin` - The origin of the call, which must be the root account.', '* `netuid` - The unique identifier for the subnet.', '* `steepness` - The Steepness for the alpha sigmoid function. (range is 0-int16::MAX,', 'negative values are reserved for future use)', '', '# Errors', '* `BadOrigin` - If the caller is not the root account.', '* `SubnetDoesNotExist` - If the specified subnet does not exist.', '* `NegativeSigmoidSteepness` - If the steepness is negative and the caller is', 'root.', '# Weight', 'Weight is handled by the `#[pallet::weight]` attribute.'))
def sudo_set_alpha_sigmoid_steepness(origin, netuid: NetUid, steepness: i16) -> None:
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("AlphaSigmoidSteepness",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    ensure(owner is None or steepness >= 0, Error.NegativeSigmoidSteepness)
    hp.set_alpha_sigmoid_steepness(netuid, steepness)
    admin.record_owner_rl(owner, netuid, ("AlphaSigmoidSteepness",))


@pallet.call(69, weight=_w(20_460_000, 0, 2, 1))
def sudo_set_yuma3_enabled(origin, netuid: NetUid, enabled: Bool) -> None:
    """Enables or disables Yuma3 for a given subnet.

    # Parameters
    - `origin`: The origin of the call, which must be the root account or subnet owner.
    - `netuid`: The unique identifier for the subnet.
    - `enabled`: A boolean flag to enable or disable Yuma3.

    # Weight
    This function has a fixed weight of 0 and is classified as an operational transaction that does not incur any fees.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("Yuma3Enabled",))
    admin.ensure_admin_window_open(netuid)
    hp.set_yuma3_enabled(netuid, enabled)
    pallet.deposit_event(Event.Yuma3EnableToggled(netuid=netuid, enabled=enabled))
    admin.record_owner_rl(owner, netuid, ("Yuma3Enabled",))


@pallet.call(70, weight=_w(32_930_000, 0, 2, 1))
def sudo_set_bonds_reset_enabled(origin, netuid: NetUid, enabled: Bool) -> None:
    """Enables or disables Bonds Reset for a given subnet.

    # Parameters
    - `origin`: The origin of the call, which must be the root account or subnet owner.
    - `netuid`: The unique identifier for the subnet.
    - `enabled`: A boolean flag to enable or disable Bonds Reset.

    # Weight
    This function has a fixed weight of 0 and is classified as an operational transaction that does not incur any fees.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("BondsResetEnabled",))
    admin.ensure_admin_window_open(netuid)
    hp.set_bonds_reset(netuid, enabled)
    pallet.deposit_event(Event.BondsResetToggled(netuid=netuid, enabled=enabled))
    admin.record_owner_rl(owner, netuid, ("BondsResetEnabled",))


@pallet.call(67, weight=_w(20_570_000, 4204, 2, 2))
def sudo_set_sn_owner_hotkey(origin, netuid: NetUid, hotkey: _ACCOUNT) -> None:
    """Sets or updates the hotkey account associated with the owner of a specific subnet.

    This function allows either the root origin or the current subnet owner to set or update
    the hotkey for a given subnet. The subnet must already exist. To prevent abuse, the call is
    rate-limited to once per configured interval (default: one week) per subnet.

    # Parameters
    - `origin`: The dispatch origin of the call. Must be either root or the current owner of the subnet.
    - `netuid`: The unique identifier of the subnet whose owner hotkey is being set.
    - `hotkey`: The new hotkey account to associate with the subnet owner.

    # Returns
    - `DispatchResult`: Returns `Ok(())` if the hotkey was successfully set, or an appropriate error otherwise.

    # Errors
    - `Error::SubnetNotExists`: If the specified subnet does not exist.
    - `Error::TxRateLimitExceeded`: If the function is called more frequently than the allowed rate limit.

    # Access Control
    Only callable by:
    - Root origin, or
    - The coldkey account that owns the subnet.

    # Storage
    - Updates [`SubnetOwnerHotkey`] for the given `netuid`.
    - Reads and updates [`LastRateLimitedBlock`] for rate-limiting.
    - Reads [`DefaultSetSNOwnerHotkeyRateLimit`] to determine the interval between allowed updates.

    # Rate Limiting
    This function is rate-limited to one call per subnet per interval (e.g., one week).
    """
    hp.do_set_sn_owner_hotkey(origin, netuid, hotkey)


@pallet.call(66, weight=_w(17_980_000, 0, 2, 1))
def sudo_set_subtoken_enabled(origin, netuid: NetUid, subtoken_enabled: Bool) -> None:
    """Enables or disables subtoken trading for a given subnet.

    # Arguments
    * `origin` - The origin of the call, which must be the root account.
    * `netuid` - The unique identifier of the subnet.
    * `subtoken_enabled` - A boolean indicating whether subtoken trading should be enabled or disabled.

    # Errors
    * `BadOrigin` - If the caller is not the root account.

    # Weight
    Weight is handled by the `#[pallet::weight]` attribute.
    """
    ensure_root(origin)
    admin.ensure_admin_window_open(netuid)
    SubtokenEnabled.insert(netuid, subtoken_enabled)


@pallet.call(71, weight=_w(7_114_000, 0, 0, 1))
def sudo_set_commit_reveal_version(origin, version: u16) -> None:
    """Sets the commit-reveal weights version for all subnets
    """
    ensure_root(origin)
    hp.set_commit_reveal_weights_version(version)


@pallet.call(72, weight=_w(18_020_000, 0, 2, 1))
def sudo_set_owner_immune_neuron_limit(origin, netuid: NetUid, immune_neurons: u16) -> None:
    """Sets the number of immune owner neurons
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("ImmuneNeuronLimit",))
    admin.ensure_admin_window_open(netuid)
    hp.set_owner_immune_neuron_limit(netuid, immune_neurons)
    admin.record_owner_rl(owner, netuid, ("ImmuneNeuronLimit",))


@pallet.call(73, weight=_w(15_650_000, 0, 1, 1))
def sudo_set_ck_burn(origin, burn: u64) -> None:
    """Sets the childkey burn for a subnet.
    It is only callable by the root account.
    The extrinsic will call the Subtensor pallet to set the childkey burn.
    """
    ensure_root(origin)
    hp.set_ck_burn(burn)


@pallet.call(74, weight=_w(5_510_000, 0, 0, 1))
def sudo_set_admin_freeze_window(origin, window: u16) -> None:
    """Sets the admin freeze window length (in blocks) at the end of a tempo.
    Only callable by root.
    """
    ensure_root(origin)
    hp.set_admin_freeze_window(window)


@pallet.call(75, weight=_w(5_701_000, 0, 0, 1))
def sudo_set_owner_hparam_rate_limit(origin, epochs: u16) -> None:
    """Sets the owner hyperparameter rate limit in epochs (global multiplier).
    Only callable by root.
    """
    ensure_root(origin)
    hp.set_owner_hyperparam_rate_limit(epochs)


@pallet.call(76, weight=_w(15_000_000, 0, 1, 1))
def sudo_set_mechanism_count(origin, netuid: NetUid, mechanism_count: MechId) -> None:
    """Sets the desired number of mechanisms in a subnet
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("MechanismCountUpdate",))
    admin.ensure_admin_window_open(netuid)
    hp.do_set_mechanism_count(netuid, mechanism_count)
    admin.record_owner_rl(owner, netuid, ("MechanismCountUpdate",))


@pallet.call(77, weight=_w(15_000_000, 0, 1, 1))
def sudo_set_mechanism_emission_split(origin, netuid: NetUid, maybe_split: _OPTION_SPLIT) -> None:
    """Sets the emission split between mechanisms in a subnet
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("MechanismEmission",))
    admin.ensure_admin_window_open(netuid)
    hp.do_set_emission_split(netuid, maybe_split)
    admin.record_owner_rl(owner, netuid, ("MechanismEmission",))


@pallet.call(78, weight=_w(32_880_000, 0, 6, 1))
def sudo_trim_to_max_allowed_uids(origin, netuid: NetUid, max_n: u16) -> None:
    """Trims the maximum number of UIDs for a subnet.

    The trimming is done by sorting the UIDs by emission descending and then trimming
    the lowest emitters while preserving temporally and owner immune UIDs. The UIDs are
    then compressed to the left and storage is migrated to the new compressed UIDs.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("MaxUidsTrimming",))
    admin.ensure_admin_window_open(netuid)
    trim_to_max_allowed_uids(netuid, max_n)
    admin.record_owner_rl(owner, netuid, ("MaxUidsTrimming",))


@pallet.call(79, weight=_w(31_550_000, 0, 5, 1))
def sudo_set_min_allowed_uids(origin, netuid: NetUid, min_allowed_uids: u16) -> None:
    """The extrinsic sets the minimum allowed UIDs for a subnet.
    It is only callable by the root account.
    """
    ensure_root(origin)
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    ensure(min_allowed_uids < MaxAllowedUids.get(netuid), Error.MinAllowedUidsGreaterThanMaxAllowedUids)
    ensure(min_allowed_uids < SubnetworkN.get(netuid), Error.MinAllowedUidsGreaterThanCurrentUids)
    hp.set_min_allowed_uids(netuid, min_allowed_uids)


@pallet.call(81, weight=_w(7_343_000, 0, 0, 1))
def sudo_set_tao_flow_cutoff(origin, flow_cutoff: _I64F64) -> None:
    """Sets TAO flow cutoff value (A)
    """
    ensure_root(origin)
    hp.set_tao_flow_cutoff(flow_cutoff)


@pallet.call(82, weight=_w(7_343_000, 0, 0, 1))
def sudo_set_tao_flow_normalization_exponent(origin, exponent: _U64F64) -> None:
    """Sets TAO flow normalization exponent (p)
    """
    ensure_root(origin)
    ensure(_U64F64_ONE <= exponent <= 2 * _U64F64_ONE, Error.InvalidValue)
    hp.set_tao_flow_normalization_exponent(exponent)


@pallet.call(83, weight=_w(7_343_000, 0, 0, 1))
def sudo_set_tao_flow_smoothing_factor(origin, smoothing_factor: u64) -> None:
    """Sets TAO flow smoothing factor (alpha)
    """
    ensure_root(origin)
    hp.set_tao_flow_smoothing_factor(smoothing_factor)


@pallet.call(88, weight=_w(15_000_000, 0, 1, 1))
def sudo_set_max_mechanism_count(origin, max_mechanism_count: MechId) -> None:
    """Sets the global maximum number of mechanisms in a subnet
    """
    ensure_root(origin)
    hp.do_set_max_mechanism_count(max_mechanism_count)


@pallet.call(84, weight=_w(7_114_000, 0, 0, 1))
def sudo_set_min_non_immune_uids(origin, netuid: NetUid, min: u16) -> None:
    """Sets the minimum number of non-immortal & non-immune UIDs that must remain in a subnet
    """
    ensure_root(origin)
    hp.set_min_non_immune_uids(netuid, min)


@pallet.call(85, weight=_w(14_000_000, 0, 0, 1))
def sudo_set_start_call_delay(origin, delay: u64) -> None:
    """Sets the delay before a subnet can call start
    """
    ensure_root(origin)
    hp.set_start_call_delay(delay)


@pallet.call(86, weight=_w(5_000_000, 0, 0, 1))
def sudo_set_coldkey_swap_announcement_delay(origin, duration: BlockNumberFor) -> None:
    """Sets the announcement delay for coldkey swap.
    """
    ensure_root(origin)
    hp.set_coldkey_swap_announcement_delay(duration)


@pallet.call(87, weight=_w(5_000_000, 0, 0, 1))
def sudo_set_coldkey_swap_reannouncement_delay(origin, duration: BlockNumberFor) -> None:
    """Sets the coldkey swap reannouncement delay.
    """
    ensure_root(origin)
    hp.set_coldkey_swap_reannouncement_delay(duration)


# ---------------------------------------------------------------------------
# Newer than spec 381: main's setters of the burn rule (tests/support/metadata.py ITEMS_BEYOND_381).


@pallet.call(89, weight=_w(25_000_000, 0, 4, 1), dispatch_class=DispatchClass.OPERATIONAL)
def sudo_set_burn_half_life(origin, netuid: NetUid, burn_half_life: u16) -> None:
    """Set BurnHalfLife for a subnet.
    It is only callable by root and subnet owner.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("BurnHalfLife",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    ensure(netuid != 0, Error.NotPermittedOnRootSubnet)
    ensure(0 < burn_half_life <= MAX_BURN_HALF_LIFE, Error.InvalidValue)
    BurnHalfLife.insert(netuid, burn_half_life)
    pallet.deposit_event(Event.BurnHalfLifeSet(netuid, burn_half_life))
    admin.record_owner_rl(owner, netuid, ("BurnHalfLife",))


@pallet.call(90, weight=_w(25_000_000, 0, 4, 1), dispatch_class=DispatchClass.OPERATIONAL)
def sudo_set_burn_increase_mult(origin, netuid: NetUid, burn_increase_mult: _U64F64) -> None:
    """Set BurnIncreaseMult for a subnet.
    It is only callable by root and subnet owner.
    """
    owner = admin.ensure_sn_owner_or_root_with_limits(origin, netuid, ("BurnIncreaseMult",))
    admin.ensure_admin_window_open(netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetDoesNotExist)
    ensure(netuid != 0, Error.NotPermittedOnRootSubnet)
    # Rust's `(1..=3).contains(&mult)`: 1.0 to 3.0 inclusive, compared as fixed point.
    ensure(_U64F64_ONE <= burn_increase_mult <= 3 * _U64F64_ONE, Error.InvalidValue)
    BurnIncreaseMult.insert(netuid, burn_increase_mult)
    pallet.deposit_event(Event.BurnIncreaseMultSet(netuid, burn_increase_mult))
    admin.record_owner_rl(owner, netuid, ("BurnIncreaseMult",))


@pallet.call(96, weight=_w(5_530_000, 0, 0, 1))
def sudo_set_max_epochs_per_block(origin, max_epochs_per_block: u8) -> None:
    """Sets the per-block cap on subnet epochs (dynamic tempo throttle)."""
    ensure_root(origin)
    ensure(max_epochs_per_block >= 1, Error.ValueNotInBounds)  # a cap of 0 would stop every epoch
    set_max_epochs_per_block(max_epochs_per_block)
