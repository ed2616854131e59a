"""`StakeInfoRuntimeApi` (Rust `rpc_info/stake_info.rs`, spec 381): a coldkey's stake
positions (one per subnet and staking hotkey with a non-zero stake, subnets in
`get_all_subnet_netuids` order), one position, and the fee a stake move would cost.

`emission` is the hotkey's `AlphaDividendsPerSubnet`; `locked`, `tao_emission` and `drain`
are always 0 in this runtime. `get_stake_fee` asks the Swap pallet (`Config.swap`'s
`approx_fee_amount`). Beyond spec 381, main's lock reads (staking/lock.py): availability per
coldkey and subnet, a coldkey's lock, a hotkey's conviction, the most convicted hotkey."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.apis.reads import all_subnet_netuids
from pysubtensor.pallets.subtensor.coinbase.storage import AlphaDividendsPerSubnet
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.rpc_info import StakeAvailability, StakeInfo
from pysubtensor.pallets.subtensor.staking import lock
from pysubtensor.pallets.subtensor.staking.accounting import get_stake_for_hotkey_and_coldkey_on_subnet
from pysubtensor.pallets.subtensor.staking.storage import StakingHotkeys
from pysubtensor.pallets.subtensor.types import LOCK_STATE, NETUID, LockState
from pysubtensor.pallets.subtensor.utils.neuron_lookup import if_subnet_exist, is_hotkey_registered_on_network
from pysubtensor.pallets.support.dispatch import RuntimePanic
from pysubtensor.pallets.support.runtime_api import RuntimeApi
from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.scale import U64, BTreeMap, Option, Tuple, Vec
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = ["StakeInfoRuntimeApi"]

StakeInfoRuntimeApi = RuntimeApi("StakeInfoRuntimeApi", 1, ())


def _info(hotkey: bytes, coldkey: bytes, netuid: int, alpha: int) -> StakeInfo:
    return StakeInfo(hotkey=hotkey, coldkey=coldkey, netuid=netuid, stake=alpha, locked=0,
                     emission=AlphaDividendsPerSubnet.get(netuid, hotkey), tao_emission=0, drain=0,
                     is_registered=is_hotkey_registered_on_network(netuid, hotkey))


def _for_coldkey(coldkey: bytes, netuids: list[int]) -> list[StakeInfo]:
    hotkeys = StakingHotkeys.get(coldkey)
    out = []
    for netuid in netuids:
        for hotkey in hotkeys:
            alpha = get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
            if alpha:
                out.append(_info(hotkey, coldkey, netuid, alpha))
    return out


@StakeInfoRuntimeApi.method("get_stake_info_for_coldkey", (("coldkey_account", ACCOUNT_ID),), Vec(StakeInfo.SCALE))
def get_stake_info_for_coldkey(coldkey_account: bytes) -> list[StakeInfo]:
    return _for_coldkey(coldkey_account, all_subnet_netuids())


@StakeInfoRuntimeApi.method("get_stake_info_for_coldkeys", (("coldkey_accounts", Vec(ACCOUNT_ID)),),
                            Vec(Tuple(ACCOUNT_ID, Vec(StakeInfo.SCALE))))
def get_stake_info_for_coldkeys(coldkey_accounts: list[bytes]) -> list[tuple[bytes, list[StakeInfo]]]:
    netuids = all_subnet_netuids()
    return [(coldkey, _for_coldkey(coldkey, netuids)) for coldkey in coldkey_accounts]


@StakeInfoRuntimeApi.method("get_stake_info_for_hotkey_coldkey_netuid",
                            (("hotkey_account", ACCOUNT_ID), ("coldkey_account", ACCOUNT_ID), ("netuid", NETUID)),
                            Option(StakeInfo.SCALE))
def get_stake_info_for_hotkey_coldkey_netuid(hotkey_account: bytes, coldkey_account: bytes,
                                             netuid: int) -> StakeInfo | None:
    """Always a position, also an empty one (the Rust returns `Some` unconditionally)."""
    alpha = get_stake_for_hotkey_and_coldkey_on_subnet(hotkey_account, coldkey_account, netuid)
    return _info(hotkey_account, coldkey_account, netuid, alpha)


@StakeInfoRuntimeApi.method("get_stake_fee", (
    ("origin", Option(Tuple(ACCOUNT_ID, NETUID))), ("origin_coldkey_account", ACCOUNT_ID),
    ("destination", Option(Tuple(ACCOUNT_ID, NETUID))), ("destination_coldkey_account", ACCOUNT_ID),
    ("amount", U64)), U64)
def get_stake_fee(origin: tuple[bytes, int] | None, origin_coldkey_account: bytes,
                  destination: tuple[bytes, int] | None, destination_coldkey_account: bytes, amount: int) -> int:
    """0 when origin and destination are the same (hotkey, netuid) or both absent; otherwise
    the pool's approximate fee for `amount` on the destination's subnet (else the origin's)."""
    if destination == origin:
        return 0
    netuid = (destination or origin or (b"", 0))[1]
    swap = pallet.config.swap
    if swap is None:
        raise RuntimePanic("SubtensorModule: no SwapInterface bound to quote the stake fee")
    return swap.approx_fee_amount(netuid, amount)


# ---------------------------------------------------------------------------
# Newer than spec 381: main's stake-lock reads (rpc_info/stake_info.rs, runtime lib.rs at
# 14bc6f9), after 381's methods (tests/support/metadata.py METHODS_BEYOND_381).


@StakeInfoRuntimeApi.method("get_stake_availability_for_coldkeys",
                            (("coldkey_accounts", Vec(ACCOUNT_ID)), ("netuids", Option(Vec(NETUID)))),
                            BTreeMap(ACCOUNT_ID, BTreeMap(NETUID, StakeAvailability.SCALE)))
def get_stake_availability_for_coldkeys(coldkey_accounts: list[bytes],
                                        netuids: list[int] | None) -> dict[bytes, dict[int, StakeAvailability]]:
    """Per coldkey and subnet (all subnets for `None`): total, locked (rolled to now) and
    available alpha; subnets with neither stake nor lock are left out. A `Some` list that is
    empty or longer than the number of subnets gives each coldkey an empty map; repeats count
    once and subnets that do not exist are skipped."""
    if not coldkey_accounts:
        return {}
    existing = all_subnet_netuids()
    if netuids is None:
        chosen = existing
    else:
        requested = sorted(set(netuids))
        if not requested or len(requested) > len(existing):
            return {coldkey: {} for coldkey in coldkey_accounts}
        chosen = [n for n in requested if if_subnet_exist(n)]
    out: dict[bytes, dict[int, StakeAvailability]] = {}
    for coldkey in coldkey_accounts:
        rows = {}
        for netuid in chosen:
            total, locked, available = lock.stake_availability(coldkey, netuid)
            if total or locked:
                rows[netuid] = StakeAvailability(total=total, locked=locked, available=available)
        out[coldkey] = rows
    return out


@StakeInfoRuntimeApi.method("get_coldkey_lock", (("coldkey", ACCOUNT_ID), ("netuid", NETUID)), Option(LOCK_STATE))
def get_coldkey_lock(coldkey: bytes, netuid: int) -> LockState | None:
    return lock.get_coldkey_lock(coldkey, netuid)


@StakeInfoRuntimeApi.method("get_hotkey_conviction", (("hotkey", ACCOUNT_ID), ("netuid", NETUID)), U64F64)
def get_hotkey_conviction(hotkey: bytes, netuid: int) -> int:
    return lock.hotkey_conviction(hotkey, netuid)


@StakeInfoRuntimeApi.method("get_most_convicted_hotkey_on_subnet", (("netuid", NETUID),), Option(ACCOUNT_ID))
def get_most_convicted_hotkey_on_subnet(netuid: int) -> bytes | None:
    return lock.subnet_king(netuid)
