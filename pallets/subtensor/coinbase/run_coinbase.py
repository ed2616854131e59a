"""The per-block coinbase (Rust `coinbase/run_coinbase.rs`, spec 381): the block's TAO split
across the emitting subnets, injected into their pools with alpha (excess TAO buying alpha),
the new alpha set aside for miners, validators, root stakers and the owner, and, at a subnet's
epoch (main's stateful schedule: coinbase/schedule.py), that pending alpha paid out by Yuma
consensus's per-hotkey emissions.

Arithmetic is Rust's U96F32 (`primitives.fixed`), floored to u64 where Rust floors. TAO moves
as `coinbase/tao.py` says (main's accounting): only what enters a subnet account is minted."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import DispatchError
from pysubtensor.pallets.system.block import block_number
from pysubtensor.primitives.fixed import U64F64, U96F32

from ..apis.reads import all_subnet_netuids
from ..epoch.run_epoch import epoch_with_mechanisms, is_epoch_input_state_consistent
from ..events import Event
from ..hierarchy.storage import ChildKeys, ChildkeyTake, Delegates, ParentKeys
from ..neurons.storage import BlockAtRegistration, Uids
from ..pallet import pallet
from ..staking import accounting
from ..staking.claim_root import increase_root_claimable_for_hotkey_and_subnet
from ..staking.stake_utils import swap, swap_tao_for_alpha
from ..staking.stake_weights import get_tao_weight
from ..staking.storage import (
    AutoStakeDestination,
    OwnedHotkeys,
    Owner,
    TotalHotkeyAlpha,
    TotalHotkeyAlphaLastEpoch,
)
from ..storage_beyond_381 import LastEpochBlock, MaxEpochsPerBlock, PendingEpochAt, SubnetEpochIndex
from ..subnets.leasing import distribute_leased_network_dividends
from ..subnets.logic import subnet_account_id
from ..subnets.storage import (
    RecycleOrBurn,
    SubnetOwner,
    SubnetOwnerCut,
    SubnetOwnerHotkey,
    SubnetUidToLeaseId,
)
from .block_emission import get_block_emission, get_block_emission_for_issuance
from .schedule import should_run_epoch
from .storage import (
    AlphaDividendsPerSubnet,
    BlocksSinceLastStep,
    CKBurn,
    LastMechansimStepBlock,
    PendingOwnerCut,
    PendingRootAlphaDivs,
    PendingServerEmission,
    PendingValidatorEmission,
    RootAlphaDividendsPerSubnet,
    SubnetAlphaIn,
    SubnetAlphaInEmission,
    SubnetAlphaOut,
    SubnetAlphaOutEmission,
    SubnetTAO,
    SubnetTaoInEmission,
)
from .subnet_emissions import (
    get_alpha_issuance,
    get_network_root_sell_flag,
    get_subnet_block_emissions,
    get_subnets_to_emit_to,
    root_proportion,
)
from .tao import mint_tao, spend_tao

__all__ = [
    "calculate_dividend_distribution", "distribute_emission", "distribute_emissions_to_subnets", "drain_pending",
    "emit_to_subnets",
    "get_parent_child_dividends_distribution", "get_subnet_terms", "inject_and_maybe_swap",
    "run_coinbase",
]

ROOT = 0
_U64_MAX = (1 << 64) - 1
_HALF = U96F32.from_num(1) >> 1
_U16_MAX_U96 = U96F32.from_num(0xFFFF)
_U64_MAX_U96 = U96F32.from_num(_U64_MAX)


def _u64(bits: int) -> int:
    """`saturating_to_num::<u64>()` of U96F32 bits."""
    return U96F32.saturating_to_num(bits)


def _f(n: int) -> int:
    """`U96F32::saturating_from_num(n)`."""
    return U96F32.saturating_from_num(n)


def _add_u64(item, *key_and_amount) -> None:
    *key, amount = key_and_amount
    item.mutate(*key, lambda total: min(total + amount, _U64_MAX))


# -- the block -------------------------------------------------------------------------------

def run_coinbase(block_emission: int) -> None:
    """`run_coinbase(block_emission)` (U96F32 bits): emit to the subnets, then drain and
    distribute the pending emission of those at their epoch."""
    current_block = block_number()
    subnets = [netuid for netuid in all_subnet_netuids() if netuid != ROOT]
    subnets_to_emit_to = get_subnets_to_emit_to(subnets)
    subnet_emissions = get_subnet_block_emissions(subnets_to_emit_to, block_emission)
    root_sell_flag = get_network_root_sell_flag(subnets_to_emit_to)
    emit_to_subnets(subnets_to_emit_to, subnet_emissions, root_sell_flag, block_emission)
    distribute_emissions_to_subnets(drain_pending(subnets, current_block), current_block)


def get_subnet_terms(subnet_emissions: dict[int, int]) -> tuple[dict, dict, dict, dict]:
    """(tao_in, alpha_in, alpha_out, excess_tao) per subnet, U96F32 bits: the subnet's TAO
    buys `tao/price` alpha into the pool up to min(its alpha emission, the TAO block emission);
    TAO beyond that is the excess, swapped for alpha."""
    tao_in, alpha_in, alpha_out, excess = {}, {}, {}, {}
    tao_block_emission = _f(get_block_emission())
    for netuid, tao_emission in sorted(subnet_emissions.items()):
        alpha_emission = _f(get_block_emission_for_issuance(get_alpha_issuance(netuid)))
        price = U96F32.saturating_from_fixed(U64F64, swap().current_alpha_price(netuid))
        tao_in_i = tao_emission
        alpha_in_i = U96F32.safe_div_or(tao_emission, price, 0)
        cap = min(alpha_emission, tao_block_emission)
        if alpha_in_i > cap:
            alpha_in_i = cap
            tao_in_i = U96F32.saturating_mul(alpha_in_i, price)
        excess[netuid] = U96F32.saturating_sub(tao_emission, tao_in_i)
        tao_in[netuid], alpha_in[netuid], alpha_out[netuid] = tao_in_i, alpha_in_i, alpha_emission
    return tao_in, alpha_in, alpha_out, excess


def inject_and_maybe_swap(subnets_to_emit_to: list[int], tao_in: dict, alpha_in: dict, excess_tao: dict,
                          block_emission: int) -> None:
    """Per subnet: re-weight the pool for the injection, buy alpha with the excess TAO (the
    alpha bought is recycled), then add alpha_in and tao_in to the reserves. The TAO is minted
    into the subnet account as it enters (`coinbase/tao.py`); the rest of the block's is not."""
    budget = mint_tao(_u64(block_emission))
    for netuid in subnets_to_emit_to:
        account = subnet_account_id(netuid)
        tao_in_i = _u64(tao_in.get(netuid, 0))
        alpha_in_i = _u64(alpha_in.get(netuid, 0))
        to_swap = _u64(excess_tao.get(netuid, 0))
        injected_tao, injected_alpha = swap().adjust_protocol_liquidity(netuid, tao_in_i, alpha_in_i)
        if to_swap:
            spent, budget = spend_tao(account, budget, to_swap)
            if spent:
                try:
                    bought = swap_tao_for_alpha(netuid, to_swap, swap().max_price(), True)
                except DispatchError:  # Rust ignores a failed buy (`if let Ok`)
                    pass
                else:
                    accounting.recycle_subnet_alpha(netuid, bought.amount_paid_out)
        SubnetAlphaInEmission.insert(netuid, alpha_in_i)
        _add_u64(SubnetAlphaIn, netuid, injected_alpha)
        SubnetTaoInEmission.insert(netuid, tao_in_i)
        if injected_tao:
            spent, budget = spend_tao(account, budget, injected_tao)
            if spent:
                _add_u64(SubnetTAO, netuid, injected_tao)
                accounting.increase_total_stake(injected_tao)


def emit_to_subnets(subnets_to_emit_to: list[int], subnet_emissions: dict[int, int], root_sell_flag: bool,
                    block_emission: int) -> None:
    """Inject into the pools, then mint each subnet's alpha_out and set it aside: the owner
    cut, half of the rest for miners, the other half for validators less the root stakers'
    part (`root_proportion · half`), which is kept for root (or recycled if root does not sell)."""
    tao_in, alpha_in, alpha_out, excess = get_subnet_terms(subnet_emissions)
    inject_and_maybe_swap(subnets_to_emit_to, tao_in, alpha_in, excess, block_emission)
    cut_percent = U96F32.safe_div(_f(SubnetOwnerCut.get()), _U16_MAX_U96)
    for netuid in subnets_to_emit_to:
        alpha_out_i = alpha_out.get(netuid, 0)
        alpha_created = _u64(alpha_out_i)
        SubnetAlphaOutEmission.insert(netuid, alpha_created)
        _add_u64(SubnetAlphaOut, netuid, alpha_created)
        owner_cut = U96F32.saturating_mul(alpha_out_i, cut_percent)
        alpha_out_i = U96F32.saturating_sub(alpha_out_i, owner_cut)
        _add_u64(PendingOwnerCut, netuid, _u64(owner_cut))
        root_alpha = U96F32.saturating_mul(U96F32.saturating_mul(root_proportion(netuid), alpha_out_i), _HALF)
        server = U96F32.saturating_mul(alpha_out_i, _HALF)
        validator = U96F32.saturating_sub(U96F32.saturating_sub(alpha_out_i, server), root_alpha)
        _add_u64(PendingServerEmission, netuid, _u64(server))
        _add_u64(PendingValidatorEmission, netuid, _u64(validator))
        if root_sell_flag:
            _add_u64(PendingRootAlphaDivs, netuid, _u64(root_alpha))
        else:
            accounting.recycle_subnet_alpha(netuid, _u64(root_alpha))


# -- the epoch's drain -------------------------------------------------------------------------

def drain_pending(subnets: list[int], current_block: int) -> dict[int, tuple[int, int, int, int]]:
    """Every subnet counts a block since its last successful step. Each subnet whose slot is
    due (coinbase/schedule.py) consumes it, unless `MaxEpochsPerBlock` slots already ran this
    block: then it is deferred to the next block (`PendingEpochAt`, `EpochDeferred`). A consumed
    slot with consistent keys restarts the count and hands over the pending (server, validator,
    root, owner) alpha; one without is skipped (`EpochSkipped`, the alpha stays pending). Either
    way the schedule advances: `LastEpochBlock` = this block, no trigger, `SubnetEpochIndex` + 1."""
    drained = {}
    cap = MaxEpochsPerBlock.get()
    run = 0
    for netuid in subnets:
        _add_u64(BlocksSinceLastStep, netuid, 1)
        if not should_run_epoch(netuid, current_block):
            continue
        if run >= cap:
            next_block = min(current_block + 1, _U64_MAX)
            PendingEpochAt.insert(netuid, next_block)
            pallet.deposit_event(Event.EpochDeferred(netuid, current_block, next_block))
            continue
        if is_epoch_input_state_consistent(netuid):
            BlocksSinceLastStep.insert(netuid, 0)
            drained[netuid] = tuple(item.take(netuid) for item in (
                PendingServerEmission, PendingValidatorEmission, PendingRootAlphaDivs, PendingOwnerCut))
            run += 1
        else:
            pallet.deposit_event(Event.EpochSkipped(netuid, current_block))
        LastEpochBlock.insert(netuid, current_block)
        PendingEpochAt.insert(netuid, 0)
        SubnetEpochIndex.mutate(netuid, lambda index: min(index + 1, _U64_MAX))
    return drained


def distribute_emissions_to_subnets(emissions: dict[int, tuple[int, int, int, int]], current_block: int) -> None:
    """Pay each drained subnet's epoch, then note it as the subnet's last successful step
    (after the epoch, whose masks read the previous one)."""
    for netuid, pending in sorted(emissions.items()):
        distribute_emission(netuid, *pending)
        LastMechansimStepBlock.insert(netuid, current_block)


def distribute_emission(netuid: int, pending_server: int, pending_validator: int, pending_root: int,
                        pending_owner_cut: int) -> None:
    """Run the epoch with the server + validator + root alpha and pay it out. With no
    incentive at all, validators get the miners' half too."""
    tao_weight = get_tao_weight()
    total = min(pending_server + pending_validator + pending_root, _U64_MAX)
    hotkey_emission = epoch_with_mechanisms(netuid, total)
    incentive_sum = min(sum(incentive for _, incentive, _ in hotkey_emission), _U64_MAX)
    validator_alpha = pending_validator if incentive_sum else min(pending_validator + pending_server, _U64_MAX)
    incentives, dividends = calculate_dividends_and_incentives(netuid, hotkey_emission)
    stake_map = get_stake_map(netuid, list(dividends))
    alpha_dividends, root_alpha_dividends = calculate_dividend_distribution(
        validator_alpha, pending_root, tao_weight, stake_map, dividends)
    distribute_dividends_and_incentives(netuid, pending_owner_cut, incentives, alpha_dividends, root_alpha_dividends)


def calculate_dividends_and_incentives(netuid: int, hotkey_emission: list[tuple[bytes, int, int]]
                                       ) -> tuple[dict[bytes, int], dict[bytes, int]]:
    """Incentive per hotkey (u64) and dividends per hotkey after the childkey split (U96F32)."""
    incentives: dict[bytes, int] = {}
    dividends: dict[bytes, int] = {}
    for hotkey, incentive, dividend in hotkey_emission:
        incentives[hotkey] = min(incentives.get(hotkey, 0) + incentive, _U64_MAX)
        for parent, parent_div in get_parent_child_dividends_distribution(hotkey, netuid, dividend):
            dividends[parent] = U96F32.saturating_add(dividends.get(parent, 0), _f(parent_div))
    return dict(sorted(incentives.items())), dict(sorted(dividends.items()))


def get_stake_map(netuid: int, hotkeys: list[bytes]) -> dict[bytes, tuple[int, int]]:
    """(alpha on the subnet, TAO on root) per hotkey."""
    return {hotkey: (TotalHotkeyAlpha.get(hotkey, netuid), TotalHotkeyAlpha.get(hotkey, ROOT)) for hotkey in hotkeys}


def calculate_dividend_distribution(pending_alpha: int, pending_root_alpha: int, tao_weight: int,
                                    stake_map: dict[bytes, tuple[int, int]], dividends: dict[bytes, int]
                                    ) -> tuple[dict[bytes, int], dict[bytes, int]]:
    """Split each hotkey's epoch dividend into an alpha part and a root part by its alpha and
    weighted root stake, then rescale: the alpha parts share `pending_alpha`, the root parts
    `pending_root_alpha` (U96F32 bits per hotkey)."""
    total_root = total_alpha = 0
    root_divs: dict[bytes, int] = {}
    alpha_divs: dict[bytes, int] = {}
    for hotkey, dividend in sorted(dividends.items()):
        if hotkey not in stake_map:
            continue
        alpha_stake, root_stake = (_f(x) for x in stake_map[hotkey])
        root_alpha = U96F32.saturating_mul(root_stake, tao_weight)
        total = U96F32.saturating_add(alpha_stake, root_alpha)
        root_prop = U96F32.checked_div(root_alpha, total)
        root_div = U96F32.saturating_mul(dividend, 0 if root_prop is None else root_prop)
        alpha_div = U96F32.saturating_sub(dividend, root_div)
        alpha_divs[hotkey] = U96F32.saturating_add(alpha_divs.get(hotkey, 0), alpha_div)
        total_alpha = U96F32.saturating_add(total_alpha, alpha_div)
        root_divs[hotkey] = U96F32.saturating_add(root_divs.get(hotkey, 0), root_div)
        total_root = U96F32.saturating_add(total_root, root_div)

    def rescale(parts: dict[bytes, int], part_total: int, amount: int) -> dict[bytes, int]:
        out = {}
        for hotkey, part in parts.items():
            share = U96F32.checked_div(part, part_total)
            out[hotkey] = U96F32.saturating_mul(_f(amount), 0 if share is None else share)
        return out

    return rescale(alpha_divs, total_alpha, pending_alpha), rescale(root_divs, total_root, pending_root_alpha)


def get_self_contribution(hotkey: bytes, netuid: int) -> int:
    """The hotkey's own alpha + weighted root stake, less what its children take (u64)."""
    remaining = U96F32.from_num(1)
    for proportion, _child in ChildKeys.get(hotkey, netuid):
        remaining = U96F32.saturating_sub(remaining, U96F32.safe_div(_f(proportion), _U64_MAX_U96))
    root_stake = _f(TotalHotkeyAlpha.get(hotkey, ROOT))
    alpha_stake = _f(TotalHotkeyAlpha.get(hotkey, netuid))
    alpha_contribution = U96F32.saturating_mul(alpha_stake, remaining)
    root_contribution = U96F32.saturating_mul(U96F32.saturating_mul(root_stake, remaining), get_tao_weight())
    return _u64(U96F32.saturating_add(alpha_contribution, root_contribution))


def get_parent_child_dividends_distribution(hotkey: bytes, netuid: int, dividends: int) -> list[tuple[bytes, int]]:
    """The hotkey's dividend split between its parents (by their contributed stake; a parent
    of another coldkey pays the child take and the CK burn) and itself (the rest plus takes)."""
    validating = _f(dividends)
    remaining = validating
    burn_take_proportion = U96F32.safe_div(_f(CKBurn.get()), _U64_MAX_U96)
    child_take_proportion = U96F32.safe_div(_f(ChildkeyTake.get(hotkey, netuid)), _U16_MAX_U96)
    childkey_owner = Owner.get(hotkey)
    tao_weight = get_tao_weight()
    total_child_take = 0
    total_contribution = _f(get_self_contribution(hotkey, netuid))
    contributions = []
    for proportion, parent in ParentKeys.get(hotkey, netuid):
        parent_proportion = U96F32.safe_div(_f(proportion), _U64_MAX_U96)
        parent_root = _f(TotalHotkeyAlpha.get(parent, ROOT))
        parent_alpha = _f(TotalHotkeyAlpha.get(parent, netuid))
        combined = U96F32.saturating_add(
            U96F32.saturating_mul(parent_alpha, parent_proportion),
            U96F32.saturating_mul(U96F32.saturating_mul(parent_root, parent_proportion), tao_weight))
        total_contribution = U96F32.saturating_add(total_contribution, combined)
        contributions.append((parent, combined))
    tuples = []
    for parent, contribution in contributions:
        factor = U96F32.checked_div(contribution, total_contribution)
        parent_emission = U96F32.saturating_mul(validating, 0 if factor is None else factor)
        remaining = U96F32.saturating_sub(remaining, parent_emission)
        if Owner.get(parent) != childkey_owner:
            burn_take = U96F32.saturating_mul(burn_take_proportion, parent_emission)
            child_take = U96F32.saturating_mul(child_take_proportion, parent_emission)
            parent_emission = U96F32.saturating_sub(U96F32.saturating_sub(parent_emission, burn_take), child_take)
            total_child_take = U96F32.saturating_add(total_child_take, child_take)
            accounting.recycle_subnet_alpha(netuid, _u64(burn_take))
        tuples.append((parent, _u64(parent_emission)))
    tuples.append((hotkey, _u64(U96F32.saturating_add(remaining, total_child_take))))
    return tuples


def get_owner_hotkeys(netuid: int, coldkey: bytes) -> list[bytes]:
    """The owner coldkey's hotkeys registered on the subnet, newest registration first (then
    by uid), with the subnet owner hotkey in front."""
    triples = []
    for hotkey in OwnedHotkeys.get(coldkey):
        uid = Uids.get(netuid, hotkey)
        if uid is not None:
            triples.append((BlockAtRegistration.get(netuid, uid), uid, hotkey))
    triples.sort(key=lambda t: (-t[0], t[1]))
    owner_hotkeys = [hotkey for _, _, hotkey in triples]
    owner_hotkey = SubnetOwnerHotkey.try_get(netuid)
    if owner_hotkey is not None and Uids.get(netuid, owner_hotkey) is not None and owner_hotkey not in owner_hotkeys:
        owner_hotkeys.insert(0, owner_hotkey)
    return owner_hotkeys


def _hotkey_take_float(hotkey: bytes) -> int:
    return U96F32.safe_div(_f(Delegates.get(hotkey)), _U16_MAX_U96)


def distribute_dividends_and_incentives(netuid: int, owner_cut: int, incentives: dict[bytes, int],
                                        alpha_dividends: dict[bytes, int], root_alpha_dividends: dict[bytes, int]) -> None:
    """Stake the owner cut to the owner; incentives to each miner's coldkey (burned for the
    owner's own hotkeys); alpha dividends: the delegate take to the validator's coldkey and the
    rest to all its stakers; root dividends: the take likewise, the rest claimable by root stakers."""
    owner_coldkey = SubnetOwner.try_get(netuid)
    owner_hotkey = SubnetOwnerHotkey.try_get(netuid)
    if owner_coldkey is not None and owner_hotkey is not None:
        real_owner_cut = accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(owner_hotkey, owner_coldkey,
                                                                                    netuid, owner_cut)
        # A leased subnet's owner cut is shared with the lease's contributors.
        lease_id = SubnetUidToLeaseId.get(netuid)
        if lease_id is not None:
            distribute_leased_network_dividends(lease_id, real_owner_cut)

    owner_hotkeys = get_owner_hotkeys(netuid, SubnetOwner.get(netuid))
    for hotkey, incentive in incentives.items():
        if hotkey in owner_hotkeys:
            if RecycleOrBurn.try_get(netuid) == "Recycle":
                accounting.recycle_subnet_alpha(netuid, incentive)
            else:
                accounting.burn_subnet_alpha(netuid, incentive)
            continue
        owner = Owner.get(hotkey)
        dest = AutoStakeDestination.get(owner, netuid)
        if dest is not None:
            pallet.deposit_event(Event.AutoStakeAdded(netuid, dest, hotkey, owner, incentive))
        accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(dest if dest is not None else hotkey, owner,
                                                                   netuid, incentive)

    AlphaDividendsPerSubnet.clear_prefix(netuid)
    for hotkey, divs in alpha_dividends.items():
        take = U96F32.saturating_mul(_hotkey_take_float(hotkey), divs)
        divs = U96F32.saturating_sub(divs, take)
        accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, Owner.get(hotkey), netuid, _u64(take))
        accounting.increase_stake_for_hotkey_on_subnet(hotkey, netuid, _u64(divs))
        _add_u64(AlphaDividendsPerSubnet, netuid, hotkey, _u64(divs))
        TotalHotkeyAlphaLastEpoch.insert(hotkey, netuid, TotalHotkeyAlpha.get(hotkey, netuid))

    RootAlphaDividendsPerSubnet.clear_prefix(netuid)
    for hotkey, root_alpha in root_alpha_dividends.items():
        take = U96F32.saturating_mul(_hotkey_take_float(hotkey), root_alpha)
        root_alpha = U96F32.saturating_sub(root_alpha, take)
        accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, Owner.get(hotkey), netuid, _u64(take))
        increase_root_claimable_for_hotkey_and_subnet(hotkey, netuid, _u64(root_alpha))
        _add_u64(RootAlphaDividendsPerSubnet, netuid, hotkey, _u64(root_alpha))

