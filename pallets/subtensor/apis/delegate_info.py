"""`DelegateInfoRuntimeApi` (Rust `rpc_info/delegate_info.rs`): delegate hotkeys (`Delegates`
keys) with their take, nominators' stake per subnet, registrations, validator permits and
return figures computed from what storage holds (`Emission`, `Tempo`, root stake).

Arithmetic as the Rust on U64F64 (`primitives.fixed`); a nominator's stake is its share of
the hotkey's pool (`staking.accounting.share_value`).
"""

from __future__ import annotations

from pysubtensor.pallets.subtensor.apis.reads import all_subnet_netuids
from pysubtensor.pallets.subtensor.epoch.storage import Emission, ValidatorPermit
from pysubtensor.pallets.subtensor.hierarchy.storage import Delegates
from pysubtensor.pallets.subtensor.neurons.storage import IsNetworkMember, Uids
from pysubtensor.pallets.subtensor.rpc_info import DelegateInfo
from pysubtensor.pallets.subtensor.staking.accounting import share_value
from pysubtensor.pallets.subtensor.staking.storage import Alpha, Owner, TotalHotkeyAlpha
from pysubtensor.pallets.subtensor.subnets.storage import Tempo
from pysubtensor.pallets.support.runtime_api import RuntimeApi
from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.scale import U16, U64, Compact, Option, Tuple, Vec
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = ["DelegateInfoRuntimeApi"]

DelegateInfoRuntimeApi = RuntimeApi("DelegateInfoRuntimeApi", 1, ())

ROOT = 0
#: `U64F64::saturating_from_num(1000.0 * 1e9)`: 1000 TAO in rao.
_THOUSAND_TAO = U64F64.saturating_from_f64(1000.0 * 1e9)
#: Blocks per day in the return figures.
_BLOCKS_PER_DAY = 7_200


def _return_per_1000_tao(take: int, total_stake: int, emissions_per_day: int) -> int:
    without_take = U64F64.saturating_sub(U64F64.one, U64F64.safe_div(U64F64.saturating_from_num(take),
                                                                       U64F64.saturating_from_num(0xFFFF)))
    if total_stake > 0:
        return U64F64.safe_div(U64F64.saturating_mul(emissions_per_day, without_take),
                               U64F64.safe_div(total_stake, _THOUSAND_TAO))
    return 0


def _delegate(delegate: bytes, skip_nominators: bool) -> DelegateInfo:
    """`get_delegate_by_existing_account`."""
    nominators: dict[bytes, list[tuple[int, int]]] = {}
    if not skip_nominators:
        # Rust indexes the pools, built in `get_all_subnet_netuids` order, by netuid.
        pools = all_subnet_netuids()
        for (nominator, netuid), share in Alpha.iter_prefix(delegate):
            if share == 0 or netuid >= len(pools):
                continue
            nominators.setdefault(nominator, []).append((netuid, share_value(delegate, pools[netuid], share)))
    registrations = [netuid for netuid, member in IsNetworkMember.iter_prefix(delegate) if member]
    validator_permits = []
    emissions_per_day = 0
    for netuid in registrations:
        uid = Uids.get(netuid, delegate)
        if uid is None:
            continue
        permits = ValidatorPermit.get(netuid)
        if uid < len(permits) and permits[uid]:
            validator_permits.append(netuid)
        emissions = Emission.get(netuid)
        emission = U64F64.saturating_from_num(emissions[uid] if uid < len(emissions) else 0)
        tempo = U64F64.saturating_from_num(Tempo.get(netuid))
        if tempo > 0:
            epochs_per_day = U64F64.safe_div(U64F64.saturating_from_num(_BLOCKS_PER_DAY), tempo)
            emissions_per_day = U64F64.saturating_add(emissions_per_day, U64F64.saturating_mul(emission, epochs_per_day))
    take = Delegates.get(delegate)
    total_stake = U64F64.saturating_from_num(TotalHotkeyAlpha.get(delegate, ROOT))
    return DelegateInfo(
        delegate_ss58=delegate, take=take, nominators=sorted(nominators.items()),  # a BTreeMap in Rust
        owner_ss58=Owner.get(delegate), registrations=registrations, validator_permits=validator_permits,
        return_per_1000=U64F64.saturating_to_num(_return_per_1000_tao(take, total_stake, emissions_per_day)),
        total_daily_return=U64F64.saturating_to_num(emissions_per_day))


@DelegateInfoRuntimeApi.method("get_delegates", (), Vec(DelegateInfo.SCALE))
def get_delegates() -> list[DelegateInfo]:
    return [_delegate(delegate, False) for delegate in Delegates.iter_keys()]


@DelegateInfoRuntimeApi.method("get_delegate", (("delegate_account", ACCOUNT_ID),), Option(DelegateInfo.SCALE))
def get_delegate(delegate_account: bytes) -> DelegateInfo | None:
    if not Delegates.contains_key(delegate_account):
        return None
    return _delegate(delegate_account, False)


@DelegateInfoRuntimeApi.method("get_delegated", (("delegatee_account", ACCOUNT_ID),),
                               Vec(Tuple(DelegateInfo.SCALE, Tuple(Compact(U16), Compact(U64)))))
def get_delegated(delegatee_account: bytes) -> list[tuple[DelegateInfo, tuple[int, int]]]:
    """Each delegate the account stakes to, once per subnet it stakes on there, with that stake."""
    out = []
    for delegate in Delegates.iter_keys():
        for netuid, share in Alpha.iter_prefix(delegate, delegatee_account):
            out.append((_delegate(delegate, True), (netuid, share_value(delegate, netuid, share))))
    return out
