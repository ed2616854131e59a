"""`SubtensorTransactionExtension` (pallet_subtensor::extensions::subtensor, spec 381):
SubtensorModule's guards on signed transactions, run when the pool validates them and again
when a block applies them (a failure makes the transaction invalid: it is not included).

First the coldkey-swap guard (`CheckColdkeySwap`): the account is the signer, or the real
account of a `Proxy.proxy` / `proxy_announced`; while it has a pending swap announcement it may
only announce again, perform the swap or dispute it (or submit a `MevShield.submit_encrypted`);
once disputed it may do nothing until root resets it. Then, by call: weights calls need the
minimum stake (reveals a matching commit in its reveal epoch; timelocked commits a future drand
round), registrations stop at three times the interval's target, `serve_axon` is checked in
full, `register_network` against the network rate limit, `associate_evm_key` needs a uid and
its rate limit, and `add_stake_burn` the subnet owner (and gets a priority boost). Errors are
`InvalidTransaction::Custom` with the real `CustomTransactionError` codes.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.drand import LastStoredRound
from pysubtensor.pallets.runtime_common import CustomTransactionError
from pysubtensor.pallets.support.dispatch import DispatchError, Origin, Weight
from pysubtensor.pallets.support.extension import TransactionExtension
from pysubtensor.pallets.system.limits import ROCKS_DB_WEIGHT
from pysubtensor.primitives.transaction_validity import (
    InvalidTransaction,
    TransactionValidityError,
    ValidTransaction,
)
from pysubtensor.primitives.types import account_id_of_address

from .errors import Error
from .pallet import pallet
from .serving.serving import validate_serve_axon
from .subnets.logic import ensure_subnet_owner, passes_network_rate_limit
from .swap_keys.storage import ColdkeySwapAnnouncements, ColdkeySwapDisputes
from .utils.evm import ensure_evm_key_associate_rate_limit
from .weights.storage import WeightCommits
from .weights.weights import check_weights_min_stake, get_commit_hash, is_reveal_block_range

__all__ = ["CHECK_COLDKEY_SWAP_WEIGHT", "CustomTransactionError", "SubtensorTransactionExtension"]

#: The benchmark weight of `check_coldkey_swap_extension` (CheckColdkeySwap), charged for every
#: call: 17.583 µs, 4198 bytes of proof, two database reads.
CHECK_COLDKEY_SWAP_WEIGHT = Weight(17_583_000, 4198).saturating_add(ROCKS_DB_WEIGHT.reads_writes(2, 0))

#: The calls a coldkey with a pending swap announcement may still make.
_ALLOWED_DURING_SWAP = frozenset({"announce_coldkey_swap", "swap_coldkey_announced", "dispute_coldkey_swap"})


#: `add_stake_burn`'s priority boost (`ADD_STAKE_BURN_PRIORITY_BOOST`).
ADD_STAKE_BURN_PRIORITY_BOOST = 100

#: `result_to_validity`: the module errors a check may raise and their custom codes (any other
#: error is BadRequest).
_ERROR_CODES = {
    "AmountTooLow": CustomTransactionError.StakeAmountTooLow,
    "SubnetNotExists": CustomTransactionError.SubnetNotExists,
    "NotEnoughBalanceToStake": CustomTransactionError.BalanceTooLow,
    "HotKeyAccountNotExists": CustomTransactionError.HotkeyAccountDoesntExist,
    "NotEnoughStakeToWithdraw": CustomTransactionError.NotEnoughStakeToWithdraw,
    "InsufficientLiquidity": CustomTransactionError.InsufficientLiquidity,
    "SlippageTooHigh": CustomTransactionError.SlippageTooHigh,
    "TransferDisallowed": CustomTransactionError.TransferDisallowed,
    "HotKeyNotRegisteredInNetwork": CustomTransactionError.HotKeyNotRegisteredInNetwork,
    "InvalidIpAddress": CustomTransactionError.InvalidIpAddress,
    "ServingRateLimitExceeded": CustomTransactionError.ServingRateLimitExceeded,
    "InvalidPort": CustomTransactionError.InvalidPort,
}


class SubtensorTransactionExtension(TransactionExtension):
    identifier = "SubtensorTransactionExtension"

    def weight(self, call: Any) -> Weight:
        return CHECK_COLDKEY_SWAP_WEIGHT

    def validate(self, origin: Origin, call: Any, info: Any, length: int, source: str) -> tuple[ValidTransaction, Any]:
        if origin.kind != Origin.SIGNED:
            return ValidTransaction(), None
        check_coldkey_swap(origin.account, call)
        pallet_name, (call_name, args) = call
        if pallet_name != pallet.name:
            return ValidTransaction(), None
        check = _CALL_CHECKS.get(call_name)
        priority = check(origin, args or {}) if check is not None else 0
        return ValidTransaction(priority=priority or 0), None


def check_coldkey_swap(who: bytes, call: Any) -> None:
    """`CheckColdkeySwap::validate` for the signer `who` and the runtime call `call`."""
    pallet_name, (call_name, args) = call
    if pallet_name == "Proxy" and call_name in ("proxy", "proxy_announced"):
        real = account_id_of_address(args["real"])
        if real is None:
            raise CustomTransactionError.InvalidRealAccount.error()
        who, (pallet_name, (call_name, args)) = real, args["call"]
    if not ColdkeySwapAnnouncements.contains_key(who):
        return
    if ColdkeySwapDisputes.contains_key(who):
        raise CustomTransactionError.ColdkeySwapDisputed.error()
    allowed = pallet_name == pallet.name and call_name in _ALLOWED_DURING_SWAP
    mev_protected = (pallet_name, call_name) == ("MevShield", "submit_encrypted")
    if not (allowed or mev_protected):
        raise CustomTransactionError.ColdkeySwapAnnounced.error()


# -- per call ------------------------------------------------------------------------------

def _min_stake(who: bytes, netuid: int) -> None:
    if not check_weights_min_stake(who, netuid):
        raise CustomTransactionError.StakeAmountTooLow.error()


def _weights(origin: Origin, args: dict) -> None:
    """`set_weights`, `commit_weights`: the minimum stake."""
    _min_stake(origin.account, args["netuid"])


def _find_commit_epoch_via_hash(commit_hash: bytes) -> int | None:
    """The epoch of the first commit with this hash, over every subnet and account in storage
    order (`WeightCommits::iter().find_map`)."""
    for _key, commits in WeightCommits.iter():
        for stored_hash, commit_epoch, _block, _unused in commits:
            if stored_hash == commit_hash:
                return commit_epoch
    return None


def _reveal_weights(origin: Origin, args: dict) -> None:
    who, netuid = origin.account, args["netuid"]
    _min_stake(who, netuid)
    commit_hash = get_commit_hash(who, netuid, args["uids"], args["values"], args["salt"], args["version_key"])
    commit_epoch = _find_commit_epoch_via_hash(commit_hash)
    if commit_epoch is None:
        raise CustomTransactionError.CommitNotFound.error()
    if not is_reveal_block_range(netuid, commit_epoch):
        raise CustomTransactionError.CommitBlockNotInRevealRange.error()


def _batch_reveal_weights(origin: Origin, args: dict) -> None:
    who, netuid = origin.account, args["netuid"]
    _min_stake(who, netuid)
    uids, values, salts, keys = args["uids_list"], args["values_list"], args["salts_list"], args["version_keys"]
    if not len(uids) == len(values) == len(salts) == len(keys):
        raise CustomTransactionError.InputLengthsUnequal.error()
    hashes = [get_commit_hash(who, netuid, uids[i], values[i], salts[i], keys[i]) for i in range(len(uids))]
    epochs = [e for e in map(_find_commit_epoch_via_hash, hashes) if e is not None]
    if len(epochs) != len(hashes):
        raise CustomTransactionError.CommitNotFound.error()
    if not all(is_reveal_block_range(netuid, e) for e in epochs):
        raise CustomTransactionError.CommitBlockNotInRevealRange.error()


def _commit_timelocked_weights(origin: Origin, args: dict) -> None:
    _min_stake(origin.account, args["netuid"])
    if args["reveal_round"] < LastStoredRound.get():
        raise CustomTransactionError.InvalidRevealRound.error()


def _registration(origin: Origin, args: dict) -> None:
    """`register` / `burned_register`: at most three times the interval's target."""
    netuid = args["netuid"]
    if pallet.Storage.RegistrationsThisInterval.get(netuid) >= \
            3 * pallet.Storage.TargetRegistrationsPerInterval.get(netuid):
        raise CustomTransactionError.RateLimitExceeded.error()


def _serve_axon(origin: Origin, args: dict) -> None:
    try:
        validate_serve_axon(origin.account, args["netuid"], args["version"], args["ip"], args["port"],
                            args["ip_type"], args["protocol"], args["placeholder1"], args["placeholder2"])
    except DispatchError as exc:
        raise _ERROR_CODES.get(type(exc).__name__, CustomTransactionError.BadRequest).error() from None


def _register_network(origin: Origin, args: dict) -> None:
    if not passes_network_rate_limit():
        raise CustomTransactionError.RateLimitExceeded.error()


def _associate_evm_key(origin: Origin, args: dict) -> None:
    netuid = args["netuid"]
    uid = pallet.Storage.Uids.get(netuid, origin.account)
    if uid is None:
        raise CustomTransactionError.UidNotFound.error()
    try:
        ensure_evm_key_associate_rate_limit(netuid, uid)
    except Error.EvmKeyAssociateRateLimitExceeded:
        raise CustomTransactionError.EvmKeyAssociateRateLimitExceeded.error() from None


def _add_stake_burn(origin: Origin, args: dict) -> int:
    try:
        ensure_subnet_owner(origin, args["netuid"])
    except DispatchError:
        raise TransactionValidityError.invalid(InvalidTransaction.BAD_SIGNER) from None
    return ADD_STAKE_BURN_PRIORITY_BOOST


_CALL_CHECKS = {
    "commit_weights": _weights,
    "set_weights": _weights,
    "reveal_weights": _reveal_weights,
    "batch_reveal_weights": _batch_reveal_weights,
    "commit_timelocked_weights": _commit_timelocked_weights,
    "register": _registration,
    "burned_register": _registration,
    "serve_axon": _serve_axon,
    "register_network": _register_network,
    "associate_evm_key": _associate_evm_key,
    "add_stake_burn": _add_stake_burn,
}
