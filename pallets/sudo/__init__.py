"""Sudo (index 12): one key that may dispatch any call as Root (`pallet_sudo`, polkadot-sdk
substrate/frame/sudo/src/lib.rs, as subtensor's polkadot-sdk fork builds it).

The key's calls do not pay fees (`Pays::No` after dispatch); the outcome of the inner call
is reported in an event (`Sudid`, `SudoAsDone`) while the sudo call itself succeeds.
Validation-time refusal of non-key signers is `extension.SudoTransactionExtension`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pysubtensor.pallets.support.call import RuntimeCallConfig, RuntimeCalls, dispatch_result
from pysubtensor.pallets.support.dispatch import (
    DISPATCH_RESULT,
    WEIGHT,
    CannotLookup,
    Origin,
    Pays,
    PostDispatchInfo,
    ensure,
    ensure_signed_or_root,
)
from pysubtensor.pallets.support.pallet import Arg, Pallet, error, event
from pysubtensor.pallets.support.storage import StorageValue
from pysubtensor.pallets.support.types import AccountId, Doc, scale_type
from pysubtensor.primitives.ss58 import ss58_decode_account_id
from pysubtensor.primitives.types import ACCOUNT_ID, MULTI_ADDRESS, account_id_of_address

from . import weights

__all__ = ["Config", "Error", "Event", "Key", "ensure_sudo", "pallet"]

pallet = Pallet("Sudo", 12, crate="pallet_sudo", error_docs="Error for the Sudo pallet.")

#: `pallet_sudo::Config`: `RuntimeEvent`, `RuntimeCall`, bound by the runtime.
Config = pallet.config_type(RuntimeCallConfig)
_runtime = RuntimeCalls(pallet)
RUNTIME_CALL, dispatch, dispatch_info = _runtime.call, _runtime.dispatch, _runtime.dispatch_info

# ---------------------------------------------------------------------------
# Storage

Key = pallet.storage("Key", StorageValue(ACCOUNT_ID, optional=True), docs="The `AccountId` of the sudo key.")

# ---------------------------------------------------------------------------
# Events

_RESULT = Annotated[scale_type(DISPATCH_RESULT, tuple, "DispatchResult"),
                    Doc("The result of the call made by the sudo user.")]


@pallet.events
class Event:
    @event(0)
    class Sudid:
        """A sudo call just took place."""

        sudo_result: _RESULT

    @event(1)
    class KeyChanged:
        """The sudo key has been updated."""

        old: Annotated[AccountId | None, Doc("The old sudo key (if one was previously set).")]
        new: Annotated[AccountId, Doc("The new sudo key (if one was set).")]

    @event(2)
    class KeyRemoved:
        """The key was permanently removed."""

    @event(3)
    class SudoAsDone:
        """A [sudo_as](Pallet::sudo_as) call just took place."""

        sudo_result: _RESULT


# ---------------------------------------------------------------------------
# Errors


@pallet.errors
class Error:
    RequireSudo = error(0, "Sender must be the Sudo account.")


# ---------------------------------------------------------------------------
# Genesis


@pallet.genesis
def build_genesis(config: dict[str, Any]) -> None:
    """`GenesisConfig { key: Option<AccountId> }`; the key as 32 bytes or an SS58 address."""
    key = config.get("key")
    if key is not None:
        Key.put(ss58_decode_account_id(key) if isinstance(key, str) else bytes(key))


# ---------------------------------------------------------------------------
# Helpers

CALL = Arg(RUNTIME_CALL, "Box<<T as Config>::RuntimeCall>")
LOOKUP = Arg(MULTI_ADDRESS, "AccountIdLookupOf<T>")
NO_FEE = PostDispatchInfo(pays_fee=Pays.NO)  # the sudo key does not pay a fee


def ensure_sudo(origin: Origin) -> None:
    """Root, or a signed origin that is the sudo key (else `RequireSudo`)."""
    sender = ensure_signed_or_root(origin)
    if sender is not None:
        ensure(Key.get() == sender, Error.RequireSudo)


def _lookup(address: Any) -> bytes:
    account = account_id_of_address(address)
    if account is None:
        raise CannotLookup()
    return account


def _inner_class(call: Any, **_: Any) -> str:
    """The sudo call takes the dispatch class of the call it wraps."""
    return dispatch_info(call).dispatch_class


# ---------------------------------------------------------------------------
# Calls


@pallet.call(0, weight=lambda call: weights.sudo().saturating_add(dispatch_info(call).weight),
             dispatch_class=_inner_class)
def sudo(origin: Origin, call: CALL) -> PostDispatchInfo:
    """Authenticates the sudo key and dispatches a function call with `Root` origin."""
    ensure_sudo(origin)
    result = dispatch(Origin.root(), call, bypass_filter=True)
    pallet.deposit_event(Event.Sudid(dispatch_result(result)))
    return NO_FEE


@pallet.call(1, weight=lambda call, weight: weight, dispatch_class=_inner_class)
def sudo_unchecked_weight(origin: Origin, call: CALL, weight: Arg(WEIGHT, "Weight")) -> PostDispatchInfo:
    """Authenticates the sudo key and dispatches a function call with `Root` origin.
    This function does not check the weight of the call, and instead allows the
    Sudo user to specify the weight of the call.

    The dispatch origin for this call must be _Signed_."""
    ensure_sudo(origin)  # the weight witness is not checked: it is a root call
    result = dispatch(Origin.root(), call, bypass_filter=True)
    pallet.deposit_event(Event.Sudid(dispatch_result(result)))
    return NO_FEE


@pallet.call(2, weight=weights.set_key())
def set_key(origin: Origin, new: LOOKUP) -> PostDispatchInfo:
    """Authenticates the current sudo key and sets the given AccountId (`new`) as the new sudo
    key."""
    ensure_sudo(origin)
    new_key = _lookup(new)
    pallet.deposit_event(Event.KeyChanged(Key.get(), new_key))
    Key.put(new_key)
    return NO_FEE


@pallet.call(3, weight=lambda who, call: weights.sudo_as().saturating_add(dispatch_info(call).weight),
             dispatch_class=_inner_class)
def sudo_as(origin: Origin, who: LOOKUP, call: CALL) -> PostDispatchInfo:
    """Authenticates the sudo key and dispatches a function call with `Signed` origin from
    a given account.

    The dispatch origin for this call must be _Signed_."""
    ensure_sudo(origin)
    account = _lookup(who)
    result = dispatch(Origin.signed(account), call, bypass_filter=True)
    pallet.deposit_event(Event.SudoAsDone(dispatch_result(result)))
    return NO_FEE


@pallet.call(4, weight=weights.remove_key())
def remove_key(origin: Origin) -> PostDispatchInfo:
    """Permanently removes the sudo key.

    **This cannot be un-done.**"""
    ensure_sudo(origin)
    pallet.deposit_event(Event.KeyRemoved())
    Key.kill()
    return NO_FEE
