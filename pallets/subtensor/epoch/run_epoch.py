"""Yuma consensus (subtensor's `epoch/run_epoch.rs` and the mechanism split of
`subnets/mechanism.rs`, spec 381): from stake, weights and bonds, each neuron's consensus,
incentive, dividends, bonds and emission for one epoch of a subnet's mechanism.

Entry points as the Rust names them:
- `epoch_with_mechanisms(netuid, rao_emission)`: the epoch the coinbase runs; the emission
  split across the subnet's mechanisms (`MechanismEmissionSplit`, even by default), one
  `epoch_mechanism` each, per-mechanism terms persisted (`Incentive`, `Bonds` at the
  mechanism's storage index), the terms aggregated per hotkey and persisted per subnet
  (`Active`, `Emission`, `Consensus`, `Dividends`, `ValidatorTrust`, `ValidatorPermit`,
  `StakeWeight`), voting power updated. Returns `[(hotkey, server_emission,
  validator_emission)]` (incentive alpha, dividend alpha) ordered by hotkey.
- `epoch_mechanism(netuid, mecid, rao_emission) -> {hotkey: EpochTerms}`: the computation
  alone, nothing written.
- `epoch(netuid, rao_emission)`: mechanism 0 run and persisted (the Rust tests' entry point).
- `epoch_dense(netuid, rao_emission)`: the dense variant the Rust tests compare with.

Spec 381 writes neither `Rank`, `Trust` nor `PruningScores` (they keep their stored values).
All arithmetic is I32F32 as in the Rust (I64F64 for stake, I96F32 for the rao amounts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pysubtensor.pallets.subtensor.epoch import math
from pysubtensor.pallets.subtensor.epoch.math import SparseMatrix
from pysubtensor.pallets.subtensor.epoch.voting_power import update_voting_power_for_subnet
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.staking.stake_weights import stake_weights_for_network
from pysubtensor.pallets.subtensor.utils.neuron_lookup import (
    current_block,
    get_last_update,
    get_mechanism_storage_index,
    get_netuid_and_mecid,
    get_owner_uid,
)
from pysubtensor.pallets.subtensor.weights.weights import is_commit_expired
from pysubtensor.pallets.support.dispatch import DispatchError
from pysubtensor.primitives.fixed import I32F32, I64F64, I96F32, U64F64

__all__ = [
    "EpochTerms", "alpha_sigmoid", "compute_bonds_sparse", "epoch", "epoch_dense", "epoch_dense_mechanism",
    "epoch_mechanism", "epoch_with_mechanisms", "get_bonds_sparse", "get_float_bonds_penalty", "get_float_kappa",
    "get_weights_sparse", "is_epoch_input_state_consistent", "persist_mechanism_epoch_terms", "persist_netuid_epoch_terms", "split_emissions",
]

S = pallet.Storage
F = I32F32
_U16_MAX = 0xFFFF
_U64_MAX = (1 << 64) - 1
_U16_MAX_FIXED = F.from_num(_U16_MAX)
_HALF = F.from_f64(0.5)
_MINUS_100 = F.from_num(-100)


@dataclass
class EpochTerms:
    """One neuron's epoch results (Rust `EpochTerms`); u16 values are proportions of u16::MAX."""

    uid: int
    dividend: int = 0
    incentive: int = 0
    validator_emission: int = 0
    server_emission: int = 0
    stake_weight: int = 0
    active: bool = False
    emission: int = 0
    consensus: int = 0
    validator_trust: int = 0
    new_validator_permit: bool = False
    bond: list[tuple[int, int]] = field(default_factory=list)
    stake: int = 0


# -- parameters and inputs -------------------------------------------------------------------


def get_float_kappa(netuid: int) -> int:
    return F.safe_div(F.saturating_from_num(S.Kappa.get(netuid)), _U16_MAX_FIXED)


def get_float_bonds_penalty(netuid: int) -> int:
    return F.safe_div(F.saturating_from_num(S.BondsPenalty.get(netuid)), _U16_MAX_FIXED)


def _netuid_of(netuid_index: int) -> int:
    """`get_netuid_and_subid(..).unwrap_or_default().0`: 0 when the mechanism does not exist."""
    try:
        return get_netuid_and_mecid(netuid_index)[0]
    except DispatchError:
        return 0


def _hotkeys(netuid: int, n: int) -> list[bytes | None]:
    return [S.Keys.get(netuid, uid) if S.Keys.contains_key(netuid, uid) else None for uid in range(n)]


def get_block_at_registration(netuid: int, n: int) -> list[int]:
    return [S.BlockAtRegistration.get(netuid, uid) if S.Keys.contains_key(netuid, uid) else 0 for uid in range(n)]


def get_weights_sparse(netuid_index: int) -> SparseMatrix:
    """Stored weights as I32F32 integers (not divided by u16::MAX), rows and columns below n."""
    n = S.SubnetworkN.get(_netuid_of(netuid_index))
    weights: SparseMatrix = [[] for _ in range(n)]
    for uid_i, row in S.Weights.iter_prefix(netuid_index):
        if uid_i < n:
            weights[uid_i].extend((uid_j, F.saturating_from_num(w)) for uid_j, w in row if uid_j < n)
    return weights


def get_weights(netuid_index: int) -> list[list[int]]:
    n = S.SubnetworkN.get(_netuid_of(netuid_index))
    weights = [[0] * n for _ in range(n)]
    for uid_i, row in S.Weights.iter_prefix(netuid_index):
        if uid_i < n:
            for uid_j, w in row:
                if uid_j < n:
                    weights[uid_i][uid_j] = F.saturating_from_num(w)
    return weights


def get_bonds_sparse(netuid_index: int) -> SparseMatrix:
    """Stored bonds as I32F32 integers; rows below n (columns unfiltered, as the Rust)."""
    n = S.SubnetworkN.get(_netuid_of(netuid_index))
    bonds: SparseMatrix = [[] for _ in range(n)]
    for uid_i, row in S.Bonds.iter_prefix(netuid_index):
        if uid_i < n:
            bonds[uid_i].extend((uid_j, math.u16_to_fixed(b)) for uid_j, b in row)
    return bonds


def get_bonds(netuid_index: int) -> list[list[int]]:
    n = S.SubnetworkN.get(_netuid_of(netuid_index))
    bonds = [[0] * n for _ in range(n)]
    for uid_i, row in S.Bonds.iter_prefix(netuid_index):
        if uid_i < n:
            for uid_j, b in row:
                if uid_j < n:
                    bonds[uid_i][uid_j] = math.u16_to_fixed(b)
    return bonds


def get_bonds_sparse_fixed_proportion(netuid_index: int) -> SparseMatrix:
    return [[(j, math.fixed_to_fixed_u16_proportion(b)) for j, b in row] for row in get_bonds_sparse(netuid_index)]


def get_bonds_fixed_proportion(netuid_index: int) -> list[list[int]]:
    return [[math.fixed_to_fixed_u16_proportion(b) for b in row] for row in get_bonds(netuid_index)]


# -- bonds -----------------------------------------------------------------------------------


def _bonds_moving_average_alpha(netuid: int) -> int:
    """1 - BondsMovingAverage / 1e6 (`compute_disabled_liquid_alpha` and the classic EMA's)."""
    bma = I64F64.safe_div(I64F64.saturating_from_num(S.BondsMovingAverage.get(netuid)),
                          I64F64.saturating_from_num(1_000_000))
    return F.saturating_sub(F.one, F.saturating_from_fixed(I64F64, bma))


def get_alpha_values_32(netuid: int) -> tuple[int, int]:
    low, high = S.AlphaValues.get(netuid)
    return (F.safe_div(F.saturating_from_num(low), _U16_MAX_FIXED),
            F.safe_div(F.saturating_from_num(high), _U16_MAX_FIXED))


def alpha_sigmoid(consensus: int, weight: int, bond: int, alpha_low: int, alpha_high: int, steepness: int) -> int:
    """Liquid alpha of one (validator, miner) pair: low + sigmoid * (high - low), the sigmoid of
    how far the weight is above consensus (buying) or below the bond (selling)."""
    return _alpha_sigmoid(consensus, weight, bond, *_sigmoid_params(alpha_low, alpha_high, steepness))


def _sigmoid_params(alpha_low: int, alpha_high: int, steepness: int) -> tuple[int, int, int, int]:
    """What `alpha_sigmoid` computes from its parameters alone, once per epoch."""
    return alpha_low, alpha_high, F.saturating_sub(alpha_high, alpha_low), F.saturating_div(steepness, _MINUS_100)


def _alpha_sigmoid(consensus: int, weight: int, bond: int, low: int, high: int, span: int, rate: int) -> int:
    # clamp(x.saturating_sub(y), 0, 1) is clamp(x - y, 0, 1): the saturation is outside [0, 1]
    if weight >= bond:
        combined = weight - consensus
    else:
        combined = bond - weight
    combined = 0 if combined < 0 else F.one if combined > F.one else combined
    exponent = F.saturating_mul(rate, combined - _HALF)  # combined - 0.5 is within [-0.5, 0.5]
    sigmoid = F.saturating_div(F.one, F.saturating_add(F.one, math.exp_safe(exponent)))
    alpha = F.saturating_add(low, F.saturating_mul(sigmoid, span))
    return math.clamp_value(alpha, low, high)


def _liquid_alpha_params(netuid: int) -> tuple[int, int, int, int]:
    low, high = get_alpha_values_32(netuid)
    return _sigmoid_params(low, high, F.saturating_from_num(S.AlphaSigmoidSteepness.get(netuid)))


def compute_liquid_alpha_values_sparse(netuid: int, weights: SparseMatrix, bonds: SparseMatrix,
                                       consensus: list[int]) -> list[list[int]]:
    """A dense matrix of liquid alphas, the sparse rows read by the Rust's merge over ascending
    columns. Only the entries `mat_ema_alpha_sparse` reads (columns with a weight or a bond in
    that row) are computed; the others are left 0, and a row with neither is left empty."""
    if len(weights) != len(bonds):
        return []
    params = _liquid_alpha_params(netuid)
    alphas = []
    for w_row, b_row in zip(weights, bonds, strict=True):
        if not w_row and not b_row:
            alphas.append([])
            continue
        needed = {j for j, _ in w_row} | {j for j, _ in b_row}
        row_alphas = [0] * len(consensus)
        wi = bi = 0
        for j, c in enumerate(consensus):
            weight = 0
            while wi < len(w_row):
                i, val = w_row[wi]
                if i < j:
                    wi += 1
                else:
                    if i == j:
                        weight = val
                    break
            bond = 0
            while bi < len(b_row):
                i, val = b_row[bi]
                if i < j:
                    bi += 1
                else:
                    if i == j:
                        bond = val
                    break
            if j in needed:
                row_alphas[j] = _alpha_sigmoid(c, weight, bond, *params)
        alphas.append(row_alphas)
    return alphas


def compute_liquid_alpha_values(netuid: int, weights: list[list[int]], bonds: list[list[int]],
                                consensus: list[int]) -> list[list[int]]:
    if len(weights) != len(bonds):
        return []
    params = _liquid_alpha_params(netuid)
    return [[_alpha_sigmoid(c, w, b, *params) for w, b, c in zip(w_row, b_row, consensus, strict=False)]
            for w_row, b_row in zip(weights, bonds, strict=True)]


def _liquid_alpha_applies(netuid: int, consensus: list[int]) -> bool:
    return S.LiquidAlphaOn.get(netuid) and any(c != 0 for c in consensus)


def compute_bonds_sparse(netuid_index: int, weights: SparseMatrix, bonds: SparseMatrix,
                         consensus: list[int]) -> SparseMatrix:
    """Yuma3 bonds: the liquid-alpha EMA when liquid alpha is on (and some consensus is
    non-zero), else the EMA with 1 - BondsMovingAverage."""
    netuid = _netuid_of(netuid_index)
    if _liquid_alpha_applies(netuid, consensus):
        alphas = compute_liquid_alpha_values_sparse(netuid, weights, bonds, consensus)
        return math.mat_ema_alpha_sparse(weights, bonds, alphas)
    return math.mat_ema_sparse(weights, bonds, _bonds_moving_average_alpha(netuid))


def compute_bonds(netuid: int, weights: list[list[int]], bonds: list[list[int]],
                  consensus: list[int]) -> list[list[int]]:
    if _liquid_alpha_applies(netuid, consensus):
        alphas = compute_liquid_alpha_values(netuid, weights, bonds, consensus)
        return math.mat_ema_alpha(weights, bonds, alphas)
    return math.mat_ema(weights, bonds, _bonds_moving_average_alpha(netuid))


# -- shared steps ----------------------------------------------------------------------------


@dataclass
class _Inputs:
    n: int
    current_block: int
    tempo: int
    last_update: list[int]
    inactive: list[bool]
    active: list[bool]
    block_at_registration: list[int]
    total_stake: list[int]
    stake: list[int]
    validator_permits: list[bool]
    validator_forbids: list[bool]
    new_validator_permits: list[bool]
    active_stake: list[int]


def _inputs(netuid: int, netuid_index: int) -> _Inputs:
    """Activity, stake (threshold-filtered, normalised), old and new validator permits, active stake."""
    n = S.SubnetworkN.get(netuid)
    now = current_block()
    tempo = S.Tempo.get(netuid)
    activity_cutoff = S.ActivityCutoff.get(netuid)
    last_update = get_last_update(netuid_index)
    inactive = [min(u + activity_cutoff, _U64_MAX) < now for u in last_update]
    block_at_registration = get_block_at_registration(netuid, n)

    total_stake, _alpha, _tao = stake_weights_for_network(netuid, _hotkeys(netuid, n))
    min_stake = S.StakeThreshold.get()
    filtered = [0 if math.fixed64_to_u64(s) < min_stake else s for s in total_stake]
    math.inplace_normalize_64(filtered)
    stake = math.vec_fixed64_to_fixed32(filtered)

    validator_permits = S.ValidatorPermit.get(netuid)
    validator_forbids = [not b for b in validator_permits]
    new_validator_permits = math.is_topk_nonzero(stake, S.MaxAllowedValidators.get(netuid))

    active_stake = list(stake)
    math.inplace_mask_vector(inactive, active_stake)
    math.inplace_mask_vector(validator_forbids, active_stake)
    math.inplace_normalize(active_stake)
    return _Inputs(n, now, tempo, last_update, inactive, [not b for b in inactive], block_at_registration,
                   total_stake, stake, validator_permits, validator_forbids, new_validator_permits, active_stake)


def _emissions(incentive: list[int], dividends: list[int], stake: list[int], active_stake: list[int],
               rao_emission: int) -> tuple[list[int], list[int], list[int]]:
    """(server, validator, combined) rao per uid: incentive and dividends normalised on their
    joint sum; with nothing to pay by weights, validators get it by (active) stake."""
    combined = [F.saturating_add(i, d) for i, d in zip(incentive, dividends, strict=False)]
    emission_sum = math.fixed_sum(combined)
    server = list(incentive)
    validator = list(dividends)
    normalized_combined = list(combined)
    math.inplace_normalize_using_sum(server, emission_sum)
    math.inplace_normalize_using_sum(validator, emission_sum)
    math.inplace_normalize(normalized_combined)
    if emission_sum == 0:
        source = stake if math.is_zero(active_stake) else active_stake
        validator = list(source)
        normalized_combined = list(source)
    rao = I96F32.saturating_from_num(rao_emission)

    def to_rao(values: list[int]) -> list[int]:
        return [I96F32.saturating_to_num(I96F32.saturating_mul(I96F32.saturating_from_fixed(F, v), rao))
                for v in values]

    return to_rao(server), to_rao(validator), to_rao(normalized_combined)


# -- epoch -----------------------------------------------------------------------------------


def epoch_mechanism(netuid: int, mecid: int, rao_emission: int) -> dict[bytes, EpochTerms]:
    """One Yuma epoch of mechanism `mecid` paying `rao_emission` alpha: the terms per hotkey
    (sorted by hotkey), nothing persisted."""
    netuid_index = get_mechanism_storage_index(netuid, mecid)
    terms_map = {hotkey: EpochTerms(uid=uid) for uid, hotkey in S.Keys.iter_prefix(netuid)}
    x = _inputs(netuid, netuid_index)
    n = x.n

    # Weights: permitted validators' rows, no self-weight (but the owner's), none set before
    # the target registered, none hidden by a live commit older than the target's registration.
    weights = math.mask_rows_sparse(x.validator_forbids, get_weights_sparse(netuid_index))
    owner_uid = get_owner_uid(netuid)
    if owner_uid is not None:
        weights = math.mask_diag_sparse_except_index(weights, owner_uid)
    else:
        weights = math.mask_diag_sparse(weights)
    weights = math.vec_mask_sparse_matrix(weights, x.last_update, x.block_at_registration, lambda u, r: u <= r)
    if S.CommitRevealWeightsEnabled.get(netuid):
        weights = math.vec_mask_sparse_matrix(weights, _commit_blocks(netuid, netuid_index, n, terms_map),
                                              x.block_at_registration, lambda cb, r: cb < r)
    math.inplace_row_normalize_sparse(weights)

    # Consensus, clipping, validator trust, incentive.
    consensus = math.weighted_median_col_sparse(x.active_stake, weights, n, get_float_kappa(netuid))
    clipped_weights = math.col_clip_sparse(weights, consensus)
    validator_trust = math.row_sum_sparse(clipped_weights)
    ranks = math.matmul_sparse(clipped_weights, x.active_stake, n)
    math.inplace_normalize(ranks)
    incentive = ranks

    # Bonds and dividends.
    weights_for_bonds = math.interpolate_sparse(weights, clipped_weights, n, get_float_bonds_penalty(netuid))
    last_tempo = _last_tempo(netuid, x)
    if S.Yuma3On.get(netuid):
        bonds = math.scalar_vec_mask_sparse_matrix(get_bonds_sparse_fixed_proportion(netuid_index), last_tempo,
                                                   x.block_at_registration, lambda t, r: t <= r)
        ema_bonds = compute_bonds_sparse(netuid_index, weights_for_bonds, bonds, consensus)
        ema_bonds_norm = [list(r) for r in ema_bonds]
        math.inplace_col_normalize_sparse(ema_bonds_norm, n)
        total_bonds_per_validator = math.row_sum_sparse(math.mat_vec_mul_sparse(ema_bonds_norm, incentive))
        dividends = math.vec_mul(total_bonds_per_validator, x.active_stake)
        math.inplace_normalize(dividends)
    else:
        bonds = math.scalar_vec_mask_sparse_matrix(get_bonds_sparse(netuid_index), last_tempo,
                                                   x.block_at_registration, lambda t, r: t <= r)
        math.inplace_col_normalize_sparse(bonds, n)
        bonds_delta = math.row_hadamard_sparse(weights_for_bonds, x.active_stake)
        math.inplace_col_normalize_sparse(bonds_delta, n)
        ema_bonds = math.mat_ema_sparse(bonds_delta, bonds, _bonds_moving_average_alpha(_netuid_of(netuid_index)))
        math.inplace_col_normalize_sparse(ema_bonds, n)
        dividends = math.matmul_transpose_sparse(ema_bonds, incentive)
        math.inplace_normalize(dividends)
        math.inplace_col_max_upscale_sparse(ema_bonds, n)

    server_emission, validator_emission, combined_emission = _emissions(
        incentive, dividends, x.stake, x.active_stake, rao_emission)

    def u16s(values: list[int]) -> list[int]:
        return [math.fixed_proportion_to_u16(v) for v in values]

    def at(values: list, i: int, default=0):
        return values[i] if i < len(values) else default

    stake_weight, consensus16, incentive16 = u16s(x.stake), u16s(consensus), u16s(incentive)
    dividends16, validator_trust16 = u16s(dividends), u16s(validator_trust)
    raw_stake = [I64F64.saturating_to_num(s) for s in x.total_stake]
    for terms in terms_map.values():
        uid = terms.uid
        terms.dividend = at(dividends16, uid)
        terms.incentive = at(incentive16, uid)
        terms.validator_emission = at(validator_emission, uid)
        terms.server_emission = at(server_emission, uid)
        terms.stake_weight = at(stake_weight, uid)
        terms.active = at(x.active, uid, False)
        terms.emission = at(combined_emission, uid)
        terms.consensus = at(consensus16, uid)
        terms.validator_trust = at(validator_trust16, uid)
        terms.new_validator_permit = at(x.new_validator_permits, uid, False)
        terms.stake = at(raw_stake, uid)
        if terms.new_validator_permit:
            terms.bond = [(j, math.fixed_proportion_to_u16(v)) for j, v in at(ema_bonds, uid, [])]
        elif at(x.validator_permits, uid, False):
            terms.bond = []
    return dict(sorted(terms_map.items()))


def _last_tempo(netuid: int, x: _Inputs) -> int:
    """The first block of the period the masks treat as this epoch's: the block after the
    subnet's previous successful epoch (`LastMechansimStepBlock + 1`, main's rule under its
    stateful schedule), or `tempo` blocks back before the first."""
    last_step = S.LastMechansimStepBlock.get(netuid)
    return max(x.current_block - x.tempo, 0) if last_step == 0 else last_step + 1


def _commit_blocks(netuid: int, netuid_index: int, n: int, terms_map: dict[bytes, EpochTerms]) -> list[int]:
    """Per uid, the block of its earliest live weight commit (v2 and timelocked), u64::MAX if none."""
    commit_blocks = [_U64_MAX] * n

    def note(who: bytes, block: int) -> None:
        terms = terms_map.get(who)
        if terms is not None and terms.uid < n:
            commit_blocks[terms.uid] = min(commit_blocks[terms.uid], block)

    # v2: `(hash, commit_epoch, commit_block, _)`, expiry by the epoch, the mask by the block.
    for who, queue in S.WeightCommits.iter_prefix(netuid_index):
        for _hash, commit_epoch, commit_block, _unused in queue or []:
            if not is_commit_expired(netuid, commit_epoch):
                note(who, commit_block)
                break
    # v4: keyed by the commit's epoch; the tuple carries its block.
    for commit_epoch, queue in S.TimelockedWeightCommits.iter_prefix(netuid_index):
        if is_commit_expired(netuid, commit_epoch):
            continue
        for who, commit_block, _data, _round in queue:
            note(who, commit_block)
    return commit_blocks


def _sorted_by_uid(output: dict[bytes, EpochTerms]) -> list[EpochTerms]:
    return sorted(output.values(), key=lambda t: t.uid)


def persist_mechanism_epoch_terms(netuid: int, mecid: int, output: dict[bytes, EpochTerms]) -> None:
    """`Incentive` and `Bonds` at the mechanism's storage index; the miners' incentive event."""
    netuid_index = get_mechanism_storage_index(netuid, mecid)
    terms_sorted = _sorted_by_uid(output)
    S.Incentive.insert(netuid_index, [t.incentive for t in terms_sorted])
    pallet.deposit_event(Event.IncentiveAlphaEmittedToMiners(
        netuid=netuid_index, emissions=[t.server_emission for t in terms_sorted]))
    for position, terms in enumerate(terms_sorted):  # the Rust keys the rows by position
        S.Bonds.insert(netuid_index, min(position, _U16_MAX), terms.bond)


def persist_netuid_epoch_terms(netuid: int, output: dict[bytes, EpochTerms]) -> None:
    terms_sorted = _sorted_by_uid(output)
    S.Active.insert(netuid, [t.active for t in terms_sorted])
    S.Emission.insert(netuid, [t.emission for t in terms_sorted])
    S.Consensus.insert(netuid, [t.consensus for t in terms_sorted])
    S.Dividends.insert(netuid, [t.dividend for t in terms_sorted])
    S.ValidatorTrust.insert(netuid, [t.validator_trust for t in terms_sorted])
    S.ValidatorPermit.insert(netuid, [t.new_validator_permit for t in terms_sorted])
    S.StakeWeight.insert(netuid, [t.stake_weight for t in terms_sorted])


def epoch(netuid: int, rao_emission: int) -> list[tuple[bytes, int, int]]:
    """Mechanism 0's epoch, persisted; `[(hotkey, server_emission, validator_emission)]`."""
    output = epoch_mechanism(netuid, 0, rao_emission)
    persist_mechanism_epoch_terms(netuid, 0, output)
    persist_netuid_epoch_terms(netuid, output)
    return [(hotkey, t.server_emission, t.validator_emission) for hotkey, t in output.items()]


def is_epoch_input_state_consistent(netuid: int) -> bool:
    """The epoch's assumption the coinbase checks before running it: no hotkey holds two uids
    of the subnet in `Keys`."""
    seen: set[bytes] = set()
    for _uid, hotkey in S.Keys.iter_prefix(netuid):
        if hotkey in seen:
            return False
        seen.add(hotkey)
    return True


# -- mechanisms ------------------------------------------------------------------------------


def split_emissions(netuid: int, alpha: int) -> list[int]:
    """`alpha` across the subnet's mechanisms by `MechanismEmissionSplit` (parts of u16::MAX),
    evenly when unset; what truncation loses goes to mechanism 0."""
    count = S.MechanismCountCurrent.get(netuid)
    split = S.MechanismEmissionSplit.get(netuid)
    if split is not None:
        result = [alpha * s // _U16_MAX for s in split]
    else:
        result = [alpha // count if count else 0] * count
    result = (result + [0] * count)[:count]
    if result:
        result[0] = min(result[0] + max(alpha - sum(result), 0), _U64_MAX)
    return result


def _weighted_acc(existing: int, added: int, weight: int, int_bits: int) -> int:
    """`existing + added * weight` in U64F64, saturated to u16 / u64."""
    total = U64F64.saturating_add(U64F64.saturating_from_num(existing),
                                  U64F64.saturating_mul(U64F64.saturating_from_num(added), weight))
    return U64F64.saturating_to_num(total, int_bits)


def epoch_with_mechanisms(netuid: int, rao_emission: int) -> list[tuple[bytes, int, int]]:
    """The subnet's epoch across its mechanisms (what `drain_pending` calls):
    `[(hotkey, incentive alpha, dividend alpha)]` ordered by hotkey."""
    aggregated: dict[bytes, EpochTerms] = {}
    for mecid, sub_emission in enumerate(split_emissions(netuid, rao_emission)):
        output = epoch_mechanism(netuid, mecid, sub_emission)
        persist_mechanism_epoch_terms(netuid, mecid, output)
        sub_weight = U64F64.safe_div_or(U64F64.saturating_from_num(sub_emission),
                                        U64F64.saturating_from_num(rao_emission),
                                        U64F64.saturating_from_num(1 if mecid == 0 else 0))
        for hotkey, t in output.items():
            acc = aggregated.get(hotkey)
            if acc is None:
                aggregated[hotkey] = EpochTerms(
                    uid=t.uid,
                    dividend=_weighted_acc(0, t.dividend, sub_weight, 16),
                    incentive=_weighted_acc(0, t.incentive, sub_weight, 16),
                    validator_emission=t.validator_emission,
                    server_emission=t.server_emission,
                    stake_weight=_weighted_acc(0, t.stake_weight, sub_weight, 16),
                    active=t.active,
                    emission=_weighted_acc(0, t.emission, sub_weight, 64),
                    consensus=_weighted_acc(0, t.consensus, sub_weight, 16),
                    validator_trust=_weighted_acc(0, t.validator_trust, sub_weight, 16),
                    new_validator_permit=t.new_validator_permit,
                    bond=[],
                    stake=t.stake,
                )
            else:  # incentive and uid stay those of the first mechanism, as in the Rust
                acc.validator_emission = min(acc.validator_emission + t.validator_emission, _U64_MAX)
                acc.server_emission = min(acc.server_emission + t.server_emission, _U64_MAX)
                acc.dividend = _weighted_acc(acc.dividend, t.dividend, sub_weight, 16)
                acc.stake_weight = _weighted_acc(acc.stake_weight, t.stake_weight, sub_weight, 16)
                acc.active = acc.active or t.active
                acc.emission = _weighted_acc(acc.emission, t.emission, sub_weight, 64)
                acc.consensus = _weighted_acc(acc.consensus, t.consensus, sub_weight, 16)
                acc.validator_trust = _weighted_acc(acc.validator_trust, t.validator_trust, sub_weight, 16)
                acc.new_validator_permit = acc.new_validator_permit or t.new_validator_permit
                acc.stake = min(acc.stake + t.stake, _U64_MAX)
    aggregated = dict(sorted(aggregated.items()))
    persist_netuid_epoch_terms(netuid, aggregated)
    update_voting_power_for_subnet(netuid, aggregated)
    return [(hotkey, t.server_emission, t.validator_emission) for hotkey, t in aggregated.items()]


# -- dense (the Rust tests' cross-check) -----------------------------------------------------


def epoch_dense(netuid: int, rao_emission: int) -> list[tuple[bytes, int, int]]:
    return epoch_dense_mechanism(netuid, 0, rao_emission)


def epoch_dense_mechanism(netuid: int, mecid: int, rao_emission: int) -> list[tuple[bytes, int, int]]:
    """The dense epoch, which persists as it goes (`Incentive` at the subnet's own index, bonds
    only for uids with a new or an old permit) and returns the emissions in `Keys` order."""
    netuid_index = get_mechanism_storage_index(netuid, mecid)
    x = _inputs(netuid, netuid_index)
    n = x.n
    outdated = [[u <= r for r in x.block_at_registration] for u in x.last_update]
    last_tempo = _last_tempo(netuid, x)
    recently_registered = [last_tempo <= r for r in x.block_at_registration]
    hotkeys = list(S.Keys.iter_prefix(netuid))

    weights = get_weights(netuid_index)
    math.inplace_mask_rows(x.validator_forbids, weights)
    owner_uid = get_owner_uid(netuid)
    if owner_uid is not None:
        math.inplace_mask_diag_except_index(weights, owner_uid)
    else:
        math.inplace_mask_diag(weights)
    math.inplace_mask_diag(weights)  # the Rust masks the whole diagonal again here
    math.inplace_mask_matrix(outdated, weights)
    math.inplace_row_normalize(weights)

    consensus = math.weighted_median_col(x.active_stake, weights, get_float_kappa(netuid))
    clipped_weights = [list(r) for r in weights]
    math.inplace_col_clip(clipped_weights, consensus)
    validator_trust = math.row_sum(clipped_weights)
    ranks = math.matmul(clipped_weights, x.active_stake)
    math.inplace_normalize(ranks)
    incentive = ranks

    weights_for_bonds = math.interpolate(weights, clipped_weights, get_float_bonds_penalty(netuid))
    if S.Yuma3On.get(netuid):
        bonds = get_bonds_fixed_proportion(netuid_index)
        math.inplace_mask_cols(recently_registered, bonds)
        ema_bonds = compute_bonds(netuid, weights_for_bonds, bonds, consensus)
        ema_bonds_norm = [list(r) for r in ema_bonds]
        math.inplace_col_normalize(ema_bonds_norm)
        total_bonds_per_validator = math.row_sum(math.mat_vec_mul(ema_bonds_norm, incentive))
        dividends = math.vec_mul(total_bonds_per_validator, x.active_stake)
        math.inplace_normalize(dividends)
    else:
        bonds = get_bonds(netuid_index)
        math.inplace_mask_cols(recently_registered, bonds)
        math.inplace_col_normalize(bonds)
        bonds_delta = math.row_hadamard(weights_for_bonds, x.active_stake)
        math.inplace_col_normalize(bonds_delta)
        ema_bonds = math.mat_ema(bonds_delta, bonds, _bonds_moving_average_alpha(netuid))
        math.inplace_col_normalize(ema_bonds)
        dividends = math.matmul_transpose(ema_bonds, incentive)
        math.inplace_normalize(dividends)
        math.inplace_col_max_upscale(ema_bonds)

    server_emission, validator_emission, combined_emission = _emissions(
        incentive, dividends, x.stake, x.active_stake, rao_emission)

    def u16s(values: list[int]) -> list[int]:
        return [math.fixed_proportion_to_u16(v) for v in values]

    S.StakeWeight.insert(netuid, u16s(x.stake))
    S.Active.insert(netuid, list(x.active))
    S.Emission.insert(netuid, combined_emission)
    S.Consensus.insert(netuid, u16s(consensus))
    S.Incentive.insert(netuid, u16s(incentive))
    S.Dividends.insert(netuid, u16s(dividends))
    S.ValidatorTrust.insert(netuid, u16s(validator_trust))
    S.ValidatorPermit.insert(netuid, list(x.new_validator_permits))
    for i, (new_permit, old_permit, ema_bond) in enumerate(zip(x.new_validator_permits, x.validator_permits,
                                                               ema_bonds, strict=False)):
        if new_permit:
            S.Bonds.insert(netuid_index, i, list(zip(range(n), u16s(ema_bond), strict=False)))
        elif old_permit:
            S.Bonds.insert(netuid_index, i, [])
    return [(hotkey, server_emission[uid], validator_emission[uid]) for uid, hotkey in hotkeys]
