"""Balances' calls and genesis, declared on `pallet.pallet` after its items (metadata lists
calls in index order as pallet_balances does)."""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.balances.types import (
    ADJUSTMENT_DIRECTION,
    AccountData,
)
from pysubtensor.pallets.balances.weights import WEIGHTS
from pysubtensor.pallets.support.dispatch import (
    CannotLookup,
    Pays,
    PostDispatchInfo,
    Weight,
    ensure,
    ensure_root,
    ensure_signed,
)
from pysubtensor.pallets.support.pallet import Arg
from pysubtensor.pallets.support.tokens import Fortitude, Precision, Preservation
from pysubtensor.primitives.scale import BOOL, Vec
from pysubtensor.primitives.types import (
    ACCOUNT_ID,
    BALANCE,
    COMPACT_BALANCE,
    MULTI_ADDRESS,
    account_id_of_address,
)

from . import account, currency, fungible
from .pallet import Constants, Error, Event, InactiveIssuance, TotalIssuance, pallet

# ---------------------------------------------------------------------------
# Calls

_DEST = Arg(MULTI_ADDRESS, "AccountIdLookupOf<T>")
_VALUE = Arg(COMPACT_BALANCE, "T::Balance")


def _perbill_from_rational(p: int, q: int) -> int:
    """`Perbill::from_rational(p, q)` in parts per billion (rounds down, as `from_rational`)."""
    return min(p, q) * 1_000_000_000 // q


def _max_weight(a: Weight, b: Weight) -> Weight:
    """`Weight::max`: the larger of each component."""
    return Weight(max(a.ref_time, b.ref_time), max(a.proof_size, b.proof_size))


def _lookup(address: tuple[str, Any]) -> bytes:
    """`T::Lookup::lookup` (`AccountIdLookup<AccountId, ()>`)."""
    who = account_id_of_address(address)
    if who is None:
        raise CannotLookup()
    return who


@pallet.call(0, weight=WEIGHTS.transfer_allow_death)
def transfer_allow_death(origin, dest: _DEST, value: _VALUE) -> None:
    """Transfer some liquid free balance to another account.

    `transfer_allow_death` will set the `FreeBalance` of the sender and receiver.
    If the sender's account is below the existential deposit as a result
    of the transfer, the account will be reaped.

    The dispatch origin for this call must be `Signed` by the transactor.
    """
    source = ensure_signed(origin)
    fungible.transfer(source, _lookup(dest), value, Preservation.EXPENDABLE)


@pallet.call(2, weight=WEIGHTS.force_transfer)
def force_transfer(origin, source: _DEST, dest: _DEST, value: _VALUE) -> None:
    """Exactly as `transfer_allow_death`, except the origin must be root and the source account
    may be specified.
    """
    ensure_root(origin)
    fungible.transfer(_lookup(source), _lookup(dest), value, Preservation.EXPENDABLE)


@pallet.call(3, weight=WEIGHTS.transfer_keep_alive)
def transfer_keep_alive(origin, dest: _DEST, value: _VALUE) -> None:
    """Same as the [`transfer_allow_death`] call, but with a check that the transfer will not
    kill the origin account.

    99% of the time you want [`transfer_allow_death`] instead.

    [`transfer_allow_death`]: struct.Pallet.html#method.transfer
    """
    source = ensure_signed(origin)
    fungible.transfer(source, _lookup(dest), value, Preservation.PRESERVE)


@pallet.call(4, weight=WEIGHTS.transfer_all)
def transfer_all(origin, dest: _DEST, keep_alive: Arg(BOOL, "bool")) -> None:
    """Transfer the entire transferable balance from the caller account.

    NOTE: This function only attempts to transfer _transferable_ balances. This means that
    any locked, reserved, or existential deposits (when `keep_alive` is `true`), will not be
    transferred by this function. To ensure that this function results in a killed account,
    you might need to prepare the account by removing any reference counters, storage
    deposits, etc...

    The dispatch origin of this call must be Signed.

    - `dest`: The recipient of the transfer.
    - `keep_alive`: A boolean to determine if the `transfer_all` operation should send all
      of the funds the account has, causing the sender account to be killed (false), or
      transfer everything except at least the existential deposit, which will guarantee to
      keep the sender account alive (true).
    """
    transactor = ensure_signed(origin)
    preservation = Preservation.PRESERVE if keep_alive else Preservation.EXPENDABLE
    reducible = fungible.reducible_balance(transactor, preservation, Fortitude.POLITE)
    fungible.transfer(transactor, _lookup(dest), reducible, preservation)


@pallet.call(5, weight=WEIGHTS.force_unreserve)
def force_unreserve(origin, who: _DEST, amount: Arg(BALANCE, "T::Balance")) -> None:
    """Unreserve some balance from a user by force.

    Can only be called by ROOT.
    """
    ensure_root(origin)
    currency.unreserve(_lookup(who), amount)


@pallet.call(6, weight=lambda who: WEIGHTS.upgrade_accounts(len(who)))
def upgrade_accounts(origin, who: Arg(Vec(ACCOUNT_ID), "Vec<T::AccountId>")) -> PostDispatchInfo:
    """Upgrade a specified account.

    - `origin`: Must be `Signed`.
    - `who`: The account to be upgraded.

    This will waive the transaction fee if at least all but 10% of the accounts needed to
    be upgraded. (We let some not have to be upgraded just in order to allow for the
    possibility of churn).
    """
    ensure_signed(origin)
    if not who:
        return PostDispatchInfo(pays_fee=Pays.YES)
    upgraded = sum(1 for w in who if account.ensure_upgraded(w))
    # `Perbill::from_rational(upgraded, len) >= 90%`, with Perbill's rounding.
    proportion = _perbill_from_rational(upgraded, len(who))
    return PostDispatchInfo(pays_fee=Pays.NO if proportion >= 900_000_000 else Pays.YES)


@pallet.call(8, weight=_max_weight(WEIGHTS.force_set_balance_creating, WEIGHTS.force_set_balance_killing))
def force_set_balance(origin, who: _DEST, new_free: _VALUE) -> None:
    """Set the regular balance of a given account.

    The dispatch origin for this call is `root`.
    """
    ensure_root(origin)
    target = _lookup(who)
    wipeout = new_free < Constants.ExistentialDeposit
    new_free = 0 if wipeout else new_free

    def apply(a: AccountData) -> int:
        old = a.free
        a.free = new_free
        return old

    old_free = account.mutate_account_handling_dust(target, apply)
    # Square up total issuance, which `mutate_account` leaves alone.
    if new_free > old_free:
        currency.PositiveImbalance(new_free - old_free).drop()
    elif new_free < old_free:
        currency.NegativeImbalance(old_free - new_free).drop()
    pallet.deposit_event(Event.BalanceSet(target, new_free))


@pallet.call(9, weight=WEIGHTS.force_adjust_total_issuance)
def force_adjust_total_issuance(origin, direction: Arg(ADJUSTMENT_DIRECTION, "AdjustmentDirection"),
                                delta: _VALUE) -> None:
    """Adjust the total issuance in a saturating way.

    Can only be called by root and always needs a positive `delta`.

    # Example
    """
    ensure_root(origin)
    ensure(delta > 0, Error.DeltaZero)
    old = TotalIssuance.get()
    new = min(old + delta, fungible.U64_MAX) if direction == "Increase" else max(old - delta, 0)
    ensure(InactiveIssuance.get() <= new, Error.IssuanceDeactivated)
    TotalIssuance.put(new)
    pallet.deposit_event(Event.TotalIssuanceForced(old, new))


# Rust's annotation gives a `keep_alive` burn the `burn_allow_death` weight and vice versa.
@pallet.call(10, weight=lambda value, keep_alive: WEIGHTS.burn_allow_death if keep_alive
             else WEIGHTS.burn_keep_alive)
def burn(origin, value: _VALUE, keep_alive: Arg(BOOL, "bool")) -> None:
    """Burn the specified liquid free balance from the origin account.

    If the origin's account ends up below the existential deposit as a result
    of the burn and `keep_alive` is false, the account will be reaped.

    Unlike sending funds to a _burn_ address, which merely makes the funds inaccessible,
    this `burn` operation will reduce total issuance by the amount _burned_.
    """
    source = ensure_signed(origin)
    preservation = Preservation.PRESERVE if keep_alive else Preservation.EXPENDABLE
    fungible.burn_from(source, value, preservation, Precision.EXACT, Fortitude.POLITE)


# ---------------------------------------------------------------------------
# Genesis


@pallet.genesis
def build_genesis(config: dict[str, Any]) -> None:
    """`balances`: `[[account, free], …]` (account as 32 bytes or SS58); every balance must
    reach the existential deposit. `devAccounts` / `dev_accounts`: `[count, balance,
    derivation or None]` endows `//Sender/{i}` (sr25519) accounts, as the Rust builder does."""
    from pysubtensor.primitives.ss58 import ss58_decode_account_id

    entries = []
    for who, free in config.get("balances") or []:
        who = ss58_decode_account_id(who) if isinstance(who, str) else bytes(who)
        entries.append((who, int(free)))
    TotalIssuance.put(sum(free for _, free in entries))
    for _, free in entries:
        if free < Constants.ExistentialDeposit:
            raise ValueError("the balance of any account should always be at least the existential deposit.")
    if len({who for who, _ in entries}) != len(entries):
        raise ValueError("duplicate balances in genesis.")
    dev = config.get("devAccounts", config.get("dev_accounts"))
    if dev:
        _derive_dev_accounts(int(dev[0]), int(dev[1]), dev[2] if len(dev) > 2 and dev[2] else "//Sender/{}")
    store = pallet.config.account_store
    for who, free in entries:
        store.inc_providers(who)
        store.try_mutate_exists_account_data(who, lambda _, free=free: (AccountData(free=free), None))


def _derive_dev_accounts(count: int, balance: int, derivation: str) -> None:
    from pysubtensor.primitives.keyring import Keypair

    if count <= 0:
        raise ValueError("num_accounts must be greater than zero")
    if balance < Constants.ExistentialDeposit:
        raise ValueError("the balance of any account should always be at least the existential deposit.")
    if "{}" not in derivation:
        raise ValueError("Invalid derivation, expected `{}` as part of the derivation")
    for i in range(count):
        who = Keypair.from_uri(derivation.replace("{}", str(i))).account_id

        def set_free(a: AccountData) -> None:
            a.free = balance

        account.mutate_account_handling_dust(who, set_free)
