"""`recycle_alpha`, `burn_alpha`, `add_stake_burn` (Rust `staking/recycle_alpha.rs`, spec 381):
a coldkey gives up alpha it holds through a hotkey; recycled alpha leaves the outstanding
supply (`SubnetAlphaOut`), burned alpha does not."""

from __future__ import annotations

from collections.abc import Callable

from pysubtensor.pallets.support.dispatch import Origin, ensure, ensure_signed
from pysubtensor.pallets.system.block import block_number

from ..coinbase.storage import SubnetAlphaOut
from ..errors import Error
from ..events import Event
from ..pallet import pallet
from ..subnets.storage import Tempo
from ..utils.neuron_lookup import if_subnet_exist
from ..utils.storage import LastRateLimitedBlock
from . import accounting
from .lock import ensure_available_to_unstake
from .stake_utils import ROOT, ensure_subtoken_enabled, hotkey_account_exists

__all__ = ["do_add_stake_burn", "do_burn_alpha", "do_recycle_alpha"]


def _give_up_alpha(origin: Origin, hotkey: bytes, amount: int, netuid: int,
                   dispose: Callable[[int, int], None], event: type) -> None:
    coldkey = ensure_signed(origin)
    ensure(if_subnet_exist(netuid), Error.SubnetNotExists)
    ensure(netuid != ROOT, Error.CannotBurnOrRecycleOnRootSubnet)
    ensure_subtoken_enabled(netuid)
    ensure(hotkey_account_exists(hotkey), Error.HotKeyAccountNotExists)
    amount = min(amount, accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid))
    ensure(SubnetAlphaOut.get(netuid) >= amount, Error.InsufficientLiquidity)
    ensure_available_to_unstake(coldkey, netuid, amount, hotkey)  # main: locked alpha stays
    decrease = accounting.decrease_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid, amount)
    ensure(decrease <= amount, Error.PrecisionLoss)
    dispose(netuid, decrease)
    pallet.deposit_event(event(coldkey, hotkey, decrease, netuid))


def do_recycle_alpha(origin: Origin, hotkey: bytes, amount: int, netuid: int) -> None:
    _give_up_alpha(origin, hotkey, amount, netuid, accounting.recycle_subnet_alpha, Event.AlphaRecycled)


def do_burn_alpha(origin: Origin, hotkey: bytes, amount: int, netuid: int) -> None:
    _give_up_alpha(origin, hotkey, amount, netuid, accounting.burn_subnet_alpha, Event.AlphaBurned)


def do_add_stake_burn(origin: Origin, hotkey: bytes, netuid: int, amount: int, limit: int | None) -> None:
    """The subnet owner buys alpha with `amount` TAO (at any price, or within `limit`) and
    burns it; once per tempo (`LastRateLimitedBlock[AddStakeBurn(netuid)]`)."""
    from ..subnets.logic import ensure_subnet_owner
    from .add_stake import do_add_stake, do_add_stake_limit

    ensure_subnet_owner(origin, netuid)
    current_block = block_number()
    key = ("AddStakeBurn", netuid)
    last_block = LastRateLimitedBlock.get(key)
    ensure(last_block == 0 or max(current_block - last_block, 0) >= Tempo.get(netuid),
           Error.AddStakeBurnRateLimitExceeded)
    if limit is not None:
        alpha = do_add_stake_limit(origin, hotkey, netuid, amount, limit, False)
    else:
        alpha = do_add_stake(origin, hotkey, netuid, amount)
    do_burn_alpha(origin, hotkey, alpha, netuid)
    LastRateLimitedBlock.insert(key, current_block)
    pallet.deposit_event(Event.AddStakeBurn(netuid, hotkey, amount, alpha))
