"""Proxy (index 16): accounts acting for other accounts within the limits of a proxy type,
subtensor's fork of pallet_proxy (`pallet_subtensor_proxy`, subtensor pallets/proxy/src/lib.rs).

A delegator registers delegates (`add_proxy`), each with a `ProxyType` and an announcement
delay, holding a deposit for them; a delegate then dispatches calls as the delegator
(`proxy`), through a fresh Signed origin whose filter is the proxy type's `InstanceFilter`
(the runtime's, bound in `Config.instance_filter`) and which refuses changes to the proxy set
beyond the delegate's own rights. Delegates with a delay first `announce` the call's hash
and `proxy_announced` it once the delay has passed. Pure proxies are keyless accounts whose
only access is their spawner's proxy. The fork adds `LastCallResult` (the result of each
account's last proxied call, cleared at the end of every block).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pysubtensor.pallets import system
from pysubtensor.pallets.support.call import RuntimeCallConfig, RuntimeCalls, dispatch_result
from pysubtensor.pallets.support.dispatch import (
    DISPATCH_RESULT,
    ROCKS_DB_WEIGHT,
    CannotLookup,
    DispatchError,
    Origin,
    Pays,
    PostDispatchInfo,
    ensure,
    ensure_signed,
)
from pysubtensor.pallets.support.pallet import Arg, Pallet, constant, error, event
from pysubtensor.pallets.support.storage import StorageMap
from pysubtensor.pallets.support.tokens import ReservableCurrency
from pysubtensor.pallets.support.types import AccountId, scale_type, u16
from pysubtensor.primitives.hashing import Twox64Concat, blake2_256
from pysubtensor.primitives.scale import H256, U16, U32, Compact, Option
from pysubtensor.primitives.types import ACCOUNT_ID, BALANCE, MULTI_ADDRESS, account_id_of_address

from . import weights
from .types import (
    ANNOUNCEMENTS,
    DEPOSIT_KIND,
    PROXIES,
    PROXY_TYPE,
    PROXY_TYPES,
    Announcement,
    ProxyDefinition,
)

__all__ = [
    "Config",
    "Constants",
    "Error",
    "Event",
    "InstanceFilter",
    "add_proxy_delegate",
    "call_hash",
    "deposit",
    "find_proxy",
    "pallet",
    "pure_account",
    "remove_proxy_delegate",
]

pallet = Pallet("Proxy", 16, crate="pallet_subtensor_proxy")


class InstanceFilter(Protocol):
    """`ProxyType: InstanceFilter<RuntimeCall>`, the runtime's."""

    def filter(self, proxy_type: str, call: Any) -> bool:
        """Whether a proxy of `proxy_type` may dispatch the RuntimeCall value `call`."""
        ...

    def is_superset(self, proxy_type: str, other: str) -> bool:
        """Whether `proxy_type` allows everything `other` allows."""
        ...


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(RuntimeCallConfig):
    """`pallet_subtensor_proxy::Config`: the runtime's calls and origins, `Currency` and the
    `InstanceFilter` of `ProxyType` (`ProxyType` itself is subtensor's, `types.PROXY_TYPE`;
    `CallHasher = BlakeTwo256`, `BlockNumberProvider = System`)."""

    currency: ReservableCurrency
    instance_filter: InstanceFilter


_runtime = RuntimeCalls(pallet)
RUNTIME_CALL = _runtime.call
dispatch, dispatch_info = _runtime.dispatch, _runtime.dispatch_info

#: `T::ProxyType::default()`, the most permissive type.
DEFAULT_PROXY_TYPE = PROXY_TYPES[0]

# ---------------------------------------------------------------------------
# Constants


def _deposit(items: int, num_bytes: int) -> int:
    """The runtime's `deposit(items, bytes)`: 0.02 TAO an item and 0.001 TAO a byte (in RAO)."""
    return items * 2_000 * 10_000 + num_bytes * 100 * 10_000


@pallet.constants
class Constants:
    # One storage item: key sizeof(AccountId) = 32, value sizeof(Balance) = 8.
    ProxyDepositBase = constant(BALANCE, _deposit(1, 40), """
        The base amount of currency needed to reserve for creating a proxy.

        This is held for an additional storage item whose value size is
        `sizeof(Balance)` bytes and whose key size is `sizeof(AccountId)` bytes.""")
    # 32 bytes + sizeof(ProxyType) = 1.
    ProxyDepositFactor = constant(BALANCE, _deposit(0, 33), """
        The amount of currency needed per proxy added.

        This is held for adding 32 bytes plus an instance of `ProxyType` more into a
        pre-existing storage value. Thus, when configuring `ProxyDepositFactor` one should take
        into account `32 + proxy_type.encode().len()` bytes of data.""")
    MaxProxies = constant(U32, 20, "The maximum amount of proxies allowed for a single account.")
    MaxPending = constant(U32, 15 * 5,
                          "The maximum amount of time-delayed announcements that are allowed to be pending.")
    AnnouncementDepositBase = constant(BALANCE, _deposit(1, 16), """
        The base amount of currency needed to reserve for creating an announcement.

        This is held when a new storage item holding a `Balance` is created (typically 16
        bytes).""")
    AnnouncementDepositFactor = constant(BALANCE, _deposit(0, 68), """
        The amount of currency needed per announcement made.

        This is held for adding an `AccountId`, `Hash` and `BlockNumber` (typically 68 bytes)
        into a pre-existing storage value.""")


pallet.associated_type("RuntimeCall", RUNTIME_CALL, "The overarching call type.")
pallet.associated_type("ProxyType", PROXY_TYPE, """
    A kind of proxy; specified with the proxy and passed in to the `IsProxyable` filter.
    The instance filter determines whether a given call may be proxied under this type.

    IMPORTANT: `Default` must be provided and MUST BE the the *most permissive* value.""")

# ---------------------------------------------------------------------------
# Storage

Proxies = pallet.storage("Proxies", StorageMap(Twox64Concat, ACCOUNT_ID, PROXIES, default=([], 0)), docs="""
    The set of account proxies. Maps the account which has delegated to the accounts
    which are being delegated to, together with the amount held on deposit.""")
Announcements = pallet.storage("Announcements", StorageMap(Twox64Concat, ACCOUNT_ID, ANNOUNCEMENTS, default=([], 0)),
                               docs="The announcements made by the proxy (key).")
LastCallResult = pallet.storage("LastCallResult", StorageMap(Twox64Concat, ACCOUNT_ID, DISPATCH_RESULT, optional=True),
                                docs="The result of the last call made by the proxy (key).")

# ---------------------------------------------------------------------------
# Events

_ProxyType = scale_type(PROXY_TYPE, str, "T::ProxyType")
_BlockNumber = scale_type(U32, int, "BlockNumberFor<T>")
_CallHash = scale_type(H256, bytes, "CallHashOf<T>")
_Balance = scale_type(BALANCE, int, "BalanceOf<T>")


@pallet.events
class Event:
    @event(0)
    class ProxyExecuted:
        """A proxy was executed correctly, with the given."""

        result: scale_type(DISPATCH_RESULT, tuple, "DispatchResult")

    @event(1)
    class PureCreated:
        """A pure account has been created by new proxy with given
        disambiguation index and proxy type."""

        pure: AccountId
        who: AccountId
        proxy_type: _ProxyType
        disambiguation_index: u16

    @event(2)
    class PureKilled:
        """A pure proxy was killed by its spawner."""

        pure: AccountId
        spawner: AccountId
        proxy_type: _ProxyType
        disambiguation_index: u16

    @event(3)
    class Announced:
        """An announcement was placed to make a call in the future."""

        real: AccountId
        proxy: AccountId
        call_hash: _CallHash

    @event(4)
    class ProxyAdded:
        """A proxy was added."""

        delegator: AccountId
        delegatee: AccountId
        proxy_type: _ProxyType
        delay: _BlockNumber

    @event(5)
    class ProxyRemoved:
        """A proxy was removed."""

        delegator: AccountId
        delegatee: AccountId
        proxy_type: _ProxyType
        delay: _BlockNumber

    @event(6)
    class DepositPoked:
        """A deposit stored for proxies or announcements was poked / updated."""

        who: AccountId
        kind: scale_type(DEPOSIT_KIND, str, "DepositKind")
        old_deposit: _Balance
        new_deposit: _Balance


# ---------------------------------------------------------------------------
# Errors


@pallet.errors
class Error:
    TooMany = error(0, "There are too many proxies registered or too many announcements pending.")
    NotFound = error(1, "Proxy registration not found.")
    NotProxy = error(2, "Sender is not a proxy of the account to be proxied.")
    Unproxyable = error(3, "A call which is incompatible with the proxy type's filter was attempted.")
    Duplicate = error(4, "Account is already a proxy.")
    NoPermission = error(5, "Call may not be made by proxy because it may escalate its privileges.")
    Unannounced = error(6, "Announcement, if made at all, was made too recently.")
    NoSelfProxy = error(7, "Cannot add self as proxy.")
    AnnouncementDepositInvariantViolated = error(
        8, "Invariant violated: deposit recomputation returned None after updating announcements.")
    InvalidDerivedAccountId = error(9, "Failed to derive a valid account id from the provided entropy.")


# ---------------------------------------------------------------------------
# Hooks


@pallet.hook_on_finalize
def on_finalize(_n: int) -> None:
    """`LastCallResult` only describes the block it was written in."""
    LastCallResult.clear()


# ---------------------------------------------------------------------------
# Helpers (the pallet's public functions)

LOOKUP = Arg(MULTI_ADDRESS, "AccountIdLookupOf<T>")
CALL = Arg(RUNTIME_CALL, "Box<<T as Config>::RuntimeCall>")
FORCE_PROXY_TYPE = Arg(Option(PROXY_TYPE), "Option<T::ProxyType>")
PROXY_TYPE_ARG = Arg(PROXY_TYPE, "T::ProxyType")
DELAY = Arg(U32, "BlockNumberFor<T>")
CALL_HASH = Arg(H256, "CallHashOf<T>")


def _lookup(address: Any) -> bytes:
    account = account_id_of_address(address)
    if account is None:
        raise CannotLookup()
    return account


def _currency() -> ReservableCurrency:
    return pallet.config.currency


def _filter() -> InstanceFilter:
    return pallet.config.instance_filter


def call_hash(call: Any) -> bytes:
    """`T::CallHasher::hash_of(call)`: BlakeTwo256 of the encoded RuntimeCall."""
    return blake2_256(RUNTIME_CALL.encode(call))


def pure_account(who: bytes, proxy_type: str, index: int, when: tuple[int, int] | None = None) -> bytes:
    """The keyless account `who` spawns with `create_pure(proxy_type, _, index)` at block
    height and extrinsic index `when` (default: now): blake2_256 of SCALE
    `(b"modlpy/proxy____", who, height, ext_index, proxy_type, index)`."""
    if when is None:
        when = (system.block_number(), system.extrinsic_index() or 0)
    height, ext_index = when
    entropy = (b"modlpy/proxy____" + who + U32.encode(height) + U32.encode(ext_index)
               + PROXY_TYPE.encode(proxy_type) + U16.encode(index))
    # An AccountId32 decoded from `TrailingZeroInput` over 32 bytes is those bytes.
    return blake2_256(entropy)


def deposit(num_proxies: int) -> int:
    """The deposit held for `num_proxies` proxies (none for none)."""
    if num_proxies == 0:
        return 0
    return Constants.ProxyDepositBase + Constants.ProxyDepositFactor * num_proxies


def _adjust_reserve(who: bytes, old: int, new: int) -> None:
    if new > old:
        _currency().reserve(who, new - old)
    elif new < old:
        _currency().unreserve(who, old - new)


def _rejig_deposit(who: bytes, old_deposit: int, base: int, factor: int, length: int) -> int | None:
    """Reserve or release the difference to the deposit `length` items need; None for none."""
    new_deposit = 0 if length == 0 else base + factor * length
    _adjust_reserve(who, old_deposit, new_deposit)
    return None if length == 0 else new_deposit


def _insert_sorted(items: list[ProxyDefinition], item: ProxyDefinition) -> None:
    """`binary_search` then `try_insert`: Duplicate if present, TooMany when full."""
    keys = [p.sort_key() for p in items]
    key = item.sort_key()
    if key in keys:
        raise Error.Duplicate()
    if len(items) >= Constants.MaxProxies:
        raise Error.TooMany()
    items.insert(sum(1 for k in keys if k < key), item)


def add_proxy_delegate(delegator: bytes, delegatee: bytes, proxy_type: str, delay: int) -> None:
    """Register `delegatee` as a proxy of `delegator` (also used by SubtensorModule's leases)."""
    ensure(delegator != delegatee, Error.NoSelfProxy)

    def add(value: tuple[list[ProxyDefinition], int]) -> tuple[list[ProxyDefinition], int]:
        proxies, held = list(value[0]), value[1]
        _insert_sorted(proxies, ProxyDefinition(delegatee, proxy_type, delay))
        new_deposit = deposit(len(proxies))
        _adjust_reserve(delegator, held, new_deposit)
        pallet.deposit_event(Event.ProxyAdded(delegator, delegatee, proxy_type, delay))
        return proxies, new_deposit

    Proxies.try_mutate(delegator, add)


def remove_proxy_delegate(delegator: bytes, delegatee: bytes, proxy_type: str, delay: int) -> None:
    """Unregister `delegatee`'s proxy of `delegator` (exactly this type and delay)."""

    def remove(value: tuple[list[ProxyDefinition], int] | None) -> tuple[list[ProxyDefinition], int] | None:
        if value is None:
            raise Error.NotFound()
        proxies, old_deposit = list(value[0]), value[1]
        definition = ProxyDefinition(delegatee, proxy_type, delay)
        if definition not in proxies:
            raise Error.NotFound()
        proxies.remove(definition)
        new_deposit = deposit(len(proxies))
        _adjust_reserve(delegator, old_deposit, new_deposit)
        pallet.deposit_event(Event.ProxyRemoved(delegator, delegatee, proxy_type, delay))
        return (proxies, new_deposit) if proxies else None

    Proxies.try_mutate_exists(delegator, remove)


def find_proxy(real: bytes, delegate: bytes, force_proxy_type: str | None) -> ProxyDefinition:
    """The first of `real`'s proxies for `delegate` (of `force_proxy_type`, if given)."""
    for definition in Proxies.get(real)[0]:
        if definition.delegate == delegate and force_proxy_type in (None, definition.proxy_type):
            return definition
    raise Error.NotProxy()


def _edit_announcements(delegate: bytes, keep: Callable[[Announcement], bool]) -> None:
    """Drop the announcements of `delegate` that `keep` refuses (NotFound if none) and adjust
    the deposit."""

    def edit(value: tuple[list[Announcement], int] | None) -> tuple[list[Announcement], int] | None:
        if value is None:
            raise Error.NotFound()
        pending, old_deposit = value
        kept = [a for a in pending if keep(a)]
        ensure(len(pending) > len(kept), Error.NotFound)
        new_deposit = _rejig_deposit(delegate, old_deposit, Constants.AnnouncementDepositBase,
                                     Constants.AnnouncementDepositFactor, len(kept))
        return None if new_deposit is None else (kept, new_deposit)

    Announcements.try_mutate_exists(delegate, edit)


def _proxy_filter(definition: ProxyDefinition) -> Callable[[Any], bool]:
    """The filter of the origin a proxied call runs with: the proxy type's `InstanceFilter`,
    and no change to the proxy set beyond the delegate's own rights."""
    instance = _filter()

    def allow(call: Any) -> bool:
        pallet_name, (call_name, args) = call
        if pallet_name == pallet.name:
            if call_name in ("add_proxy", "remove_proxy") and \
                    not instance.is_superset(definition.proxy_type, args["proxy_type"]):
                return False
            if call_name in ("remove_proxies", "kill_pure") and definition.proxy_type != DEFAULT_PROXY_TYPE:
                return False
        return instance.filter(definition.proxy_type, call)

    return allow


def _do_proxy(definition: ProxyDefinition, real: bytes, call: Any) -> None:
    # A freshly authenticated origin: the caller's own origin filters do not carry over.
    origin = Origin.signed(real).add_filter(_proxy_filter(definition))
    result = dispatch_result(dispatch(origin, call))
    LastCallResult.insert(real, result)
    pallet.deposit_event(Event.ProxyExecuted(result))


def _proxy_weight(call: Any) -> Any:
    return (weights.proxy(Constants.MaxProxies)
            .saturating_add(ROCKS_DB_WEIGHT.reads_writes(1, 1))  # the inner origin's account data
            .saturating_add(dispatch_info(call).weight))


def _proxy_announced_weight(call: Any) -> Any:
    return (weights.proxy_announced(Constants.MaxPending, Constants.MaxProxies)
            .saturating_add(ROCKS_DB_WEIGHT.reads_writes(1, 1))
            .saturating_add(dispatch_info(call).weight))


# ---------------------------------------------------------------------------
# Calls


@pallet.call(0, weight=lambda call: _proxy_weight(call), pays=lambda call: dispatch_info(call).pays_fee)
def proxy(origin: Origin, real: LOOKUP, force_proxy_type: FORCE_PROXY_TYPE, call: CALL) -> None:
    """Dispatch the given `call` from an account that the sender is authorised for through
    `add_proxy`.

    The dispatch origin for this call must be _Signed_.

    Parameters:
    - `real`: The account that the proxy will make a call on behalf of.
    - `force_proxy_type`: Specify the exact proxy type to be used and checked for this call.
    - `call`: The call to be made by the `real` account."""
    who = ensure_signed(origin)
    real_account = _lookup(real)
    definition = find_proxy(real_account, who, force_proxy_type)
    ensure(definition.delay == 0, Error.Unannounced)
    _do_proxy(definition, real_account, call)


@pallet.call(1, weight=weights.add_proxy(Constants.MaxProxies))
def add_proxy(origin: Origin, delegate: LOOKUP, proxy_type: PROXY_TYPE_ARG, delay: DELAY) -> None:
    """Register a proxy account for the sender that is able to make calls on its behalf.

    The dispatch origin for this call must be _Signed_.

    Parameters:
    - `proxy`: The account that the `caller` would like to make a proxy.
    - `proxy_type`: The permissions allowed for this proxy account.
    - `delay`: The announcement period required of the initial proxy. Will generally be
    zero."""
    who = ensure_signed(origin)
    add_proxy_delegate(who, _lookup(delegate), proxy_type, delay)


@pallet.call(2, weight=weights.remove_proxy(Constants.MaxProxies))
def remove_proxy(origin: Origin, delegate: LOOKUP, proxy_type: PROXY_TYPE_ARG, delay: DELAY) -> None:
    """Unregister a proxy account for the sender.

    The dispatch origin for this call must be _Signed_.

    Parameters:
    - `proxy`: The account that the `caller` would like to remove as a proxy.
    - `proxy_type`: The permissions currently enabled for the removed proxy account."""
    who = ensure_signed(origin)
    remove_proxy_delegate(who, _lookup(delegate), proxy_type, delay)


@pallet.call(3, weight=weights.remove_proxies(Constants.MaxProxies))
def remove_proxies(origin: Origin) -> None:
    """Unregister all proxy accounts for the sender.

    The dispatch origin for this call must be _Signed_.

    WARNING: This may be called on accounts created by `create_pure`, however if done, then
    the unreserved fees will be inaccessible. **All access to this account will be lost.**"""
    who = ensure_signed(origin)
    _, held = Proxies.take(who)
    _currency().unreserve(who, held)


@pallet.call(4, weight=weights.create_pure(Constants.MaxProxies))
def create_pure(origin: Origin, proxy_type: PROXY_TYPE_ARG, delay: DELAY, index: Arg(U16, "u16")) -> None:
    """Spawn a fresh new account that is guaranteed to be otherwise inaccessible, and
    initialize it with a proxy of `proxy_type` for `origin` sender.

    Requires a `Signed` origin.

    - `proxy_type`: The type of the proxy that the sender will be registered as over the
    new account. This will almost always be the most permissive `ProxyType` possible to
    allow for maximum flexibility.
    - `index`: A disambiguation index, in case this is called multiple times in the same
    transaction (e.g. with `utility::batch`). Unless you're using `batch` you probably just
    want to use `0`.
    - `delay`: The announcement period required of the initial proxy. Will generally be
    zero.

    Fails with `Duplicate` if this has already been called in this transaction, from the
    same sender, with the same parameters.

    Fails if there are insufficient funds to pay for deposit."""
    who = ensure_signed(origin)
    pure = pure_account(who, proxy_type, index)
    ensure(not Proxies.contains_key(pure), Error.Duplicate)
    held = Constants.ProxyDepositBase + Constants.ProxyDepositFactor
    _currency().reserve(who, held)
    Proxies.insert(pure, ([ProxyDefinition(who, proxy_type, delay)], held))
    pallet.deposit_event(Event.PureCreated(pure, who, proxy_type, index))


@pallet.call(5, weight=weights.kill_pure(Constants.MaxProxies))
def kill_pure(origin: Origin, spawner: LOOKUP, proxy_type: PROXY_TYPE_ARG, index: Arg(U16, "u16"),
              height: Arg(Compact(U32), "BlockNumberFor<T>"), ext_index: Arg(Compact(U32), "u32")) -> None:
    """Removes a previously spawned pure proxy.

    WARNING: **All access to this account will be lost.** Any funds held in it will be
    inaccessible.

    Requires a `Signed` origin, and the sender account must have been created by a call to
    `create_pure` with corresponding parameters.

    - `spawner`: The account that originally called `create_pure` to create this account.
    - `index`: The disambiguation index originally passed to `create_pure`. Probably `0`.
    - `proxy_type`: The proxy type originally passed to `create_pure`.
    - `height`: The height of the chain when the call to `create_pure` was processed.
    - `ext_index`: The extrinsic index in which the call to `create_pure` was processed.

    Fails with `NoPermission` in case the caller is not a previously created pure
    account whose `create_pure` call has corresponding parameters."""
    who = ensure_signed(origin)
    spawner_account = _lookup(spawner)
    ensure(pure_account(spawner_account, proxy_type, index, (height, ext_index)) == who, Error.NoPermission)
    _, held = Proxies.take(who)
    _currency().unreserve(spawner_account, held)
    pallet.deposit_event(Event.PureKilled(who, spawner_account, proxy_type, index))


@pallet.call(6, weight=weights.announce(Constants.MaxPending, Constants.MaxProxies))
def announce(origin: Origin, real: LOOKUP, call_hash: CALL_HASH) -> None:
    """Publish the hash of a proxy-call that will be made in the future.

    This must be called some number of blocks before the corresponding `proxy` is attempted
    if the delay associated with the proxy relationship is greater than zero.

    No more than `MaxPending` announcements may be made at any one time.

    This will take a deposit of `AnnouncementDepositFactor` as well as
    `AnnouncementDepositBase` if there are no other pending announcements.

    The dispatch origin for this call must be _Signed_ and a proxy of `real`.

    Parameters:
    - `real`: The account that the proxy will make a call on behalf of.
    - `call_hash`: The hash of the call to be made by the `real` account."""
    who = ensure_signed(origin)
    real_account = _lookup(real)
    if not any(p.delegate == who for p in Proxies.get(real_account)[0]):
        raise Error.NotProxy()
    announcement = Announcement(real_account, call_hash, system.block_number())

    def push(value: tuple[list[Announcement], int]) -> tuple[list[Announcement], int]:
        pending, held = list(value[0]), value[1]
        ensure(len(pending) < Constants.MaxPending, Error.TooMany)
        pending.append(announcement)
        new_deposit = _rejig_deposit(who, held, Constants.AnnouncementDepositBase,
                                     Constants.AnnouncementDepositFactor, len(pending))
        if new_deposit is None:
            raise Error.AnnouncementDepositInvariantViolated()
        return pending, new_deposit

    Announcements.try_mutate(who, push)
    pallet.deposit_event(Event.Announced(real_account, who, call_hash))


@pallet.call(7, weight=weights.remove_announcement(Constants.MaxPending, Constants.MaxProxies))
def remove_announcement(origin: Origin, real: LOOKUP, call_hash: CALL_HASH) -> None:
    """Remove a given announcement.

    May be called by a proxy account to remove a call they previously announced and return
    the deposit.

    The dispatch origin for this call must be _Signed_.

    Parameters:
    - `real`: The account that the proxy will make a call on behalf of.
    - `call_hash`: The hash of the call to be made by the `real` account."""
    who = ensure_signed(origin)
    real_account = _lookup(real)
    _edit_announcements(who, lambda a: a.real != real_account or a.call_hash != call_hash)


@pallet.call(8, weight=weights.reject_announcement(Constants.MaxPending, Constants.MaxProxies))
def reject_announcement(origin: Origin, delegate: LOOKUP, call_hash: CALL_HASH) -> None:
    """Remove the given announcement of a delegate.

    May be called by a target (proxied) account to remove a call that one of their delegates
    (`delegate`) has announced they want to execute. The deposit is returned.

    The dispatch origin for this call must be _Signed_.

    Parameters:
    - `delegate`: The account that previously announced the call.
    - `call_hash`: The hash of the call to be made."""
    who = ensure_signed(origin)
    _edit_announcements(_lookup(delegate), lambda a: a.real != who or a.call_hash != call_hash)


@pallet.call(9, weight=lambda call: _proxy_announced_weight(call))
def proxy_announced(origin: Origin, delegate: LOOKUP, real: LOOKUP, force_proxy_type: FORCE_PROXY_TYPE,
                    call: CALL) -> None:
    """Dispatch the given `call` from an account that the sender is authorized for through
    `add_proxy`.

    Removes any corresponding announcement(s).

    The dispatch origin for this call must be _Signed_.

    Parameters:
    - `real`: The account that the proxy will make a call on behalf of.
    - `force_proxy_type`: Specify the exact proxy type to be used and checked for this call.
    - `call`: The call to be made by the `real` account."""
    ensure_signed(origin)
    delegate_account = _lookup(delegate)
    real_account = _lookup(real)
    definition = find_proxy(real_account, delegate_account, force_proxy_type)
    hashed = call_hash(call)
    now = system.block_number()
    try:
        _edit_announcements(delegate_account, lambda a: (a.real != real_account or a.call_hash != hashed
                                                         or max(0, now - a.height) < definition.delay))
    except DispatchError:
        raise Error.Unannounced() from None
    _do_proxy(definition, real_account, call)


@pallet.call(10, weight=weights.poke_deposit())
def poke_deposit(origin: Origin) -> PostDispatchInfo:
    """Poke / Adjust deposits made for proxies and announcements based on current values.
    This can be used by accounts to possibly lower their locked amount.

    The dispatch origin for this call must be _Signed_.

    The transaction fee is waived if the deposit amount has changed.

    Emits `DepositPoked` if successful."""
    who = ensure_signed(origin)
    updated = False
    for item, kind, base, factor in (
            (Proxies, "Proxies", Constants.ProxyDepositBase, Constants.ProxyDepositFactor),
            (Announcements, "Announcements", Constants.AnnouncementDepositBase, Constants.AnnouncementDepositFactor)):
        entries, old_deposit = item.try_get(who) or ([], 0)
        new_deposit = _rejig_deposit(who, old_deposit, base, factor, len(entries))
        if new_deposit is None:
            if item.contains_key(who):
                item.remove(who)
            if old_deposit != 0:
                updated = True
                pallet.deposit_event(Event.DepositPoked(who, kind, old_deposit, 0))
        elif new_deposit != old_deposit:
            item.insert(who, (entries, new_deposit))
            updated = True
            pallet.deposit_event(Event.DepositPoked(who, kind, old_deposit, new_deposit))
        elif item.contains_key(who):
            item.insert(who, (entries, old_deposit))
    return PostDispatchInfo(pays_fee=Pays.NO if updated else Pays.YES)
