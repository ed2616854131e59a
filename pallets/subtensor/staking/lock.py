"""Stake locks and conviction, newer than spec 381 (subtensor main `staking/lock.rs` at 14bc6f9).

A coldkey may lock part of its alpha on a subnet to one hotkey (`lock_stake`). The lock is a
subnet-wide floor: the coldkey cannot unstake, move across subnets, recycle or burn below its
locked mass (`ensure_available_to_unstake`, error `CannotUnstakeLock`, main's
`StakeUnavailable`); a same-subnet `transfer_stake` carries the locked part along
(`transfer_lock`). The locked mass decays with time constant `UnlockRate` (unless the coldkey
made it perpetual, `set_perpetual_lock`) and builds conviction with time constant
`MaturityRate`; a lock to the subnet owner hotkey has full conviction at once. Every read
rolls the lock forward to the current block, so availability is always the live figure.

Besides each coldkey's `Lock`, four aggregates are kept per subnet (the `ConvictionModel`):
non-owner hotkeys' perpetual (`HotkeyLock`) and decaying (`DecayingHotkeyLock`) sums and the
owner hotkey's (`OwnerLock`, `DecayingOwnerLock`); a lock lives in exactly one of them.
A dissolved subnet's locks and aggregates go with it (`destroy_lock_maps`). Not here:
subnet-owner reassignment by conviction and the owner cut's auto-lock (`OwnerCutAutoLockEnabled`
stays false).

Key swaps carry the locks along (`swap_coldkey_locks`, `swap_hotkey_locks`): a coldkey swap moves
each lock, its perpetual flag and the account flags to the new coldkey (which may hold no active
lock); a hotkey swap re-points every coldkey's lock and the hotkey's aggregates at the new hotkey.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pysubtensor.pallets.support.dispatch import ensure
from pysubtensor.pallets.system.block import block_number
from pysubtensor.primitives.fixed import I64F64, U64F64, exp

from ..errors import Error
from ..events import Event
from ..pallet import pallet
from ..storage_beyond_381 import (
    ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA,
    AccountFlags,
    DecayingHotkeyLock,
    DecayingLock,
    DecayingOwnerLock,
    HotkeyLock,
    Lock,
    LockingColdkeys,
    MaturityRate,
    OwnerLock,
    UnlockRate,
)
from ..subnets.storage import NetworksAdded, SubnetOwnerHotkey
from ..types import LockState
from . import accounting
from .storage import Owner, StakingHotkeys

__all__ = [
    "LOCK_STATE_ZERO_THRESHOLD",
    "WALK",
    "ConvictionModel",
    "available_to_unstake",
    "cleanup_lock_if_zero",
    "covers_unstake",
    "do_lock_stake",
    "do_move_lock",
    "do_set_perpetual_lock",
    "ensure_available_to_unstake",
    "ensure_no_active_locks",
    "exp_decay",
    "force_reduce_lock",
    "get_coldkey_lock",
    "get_current_locked",
    "hotkey_conviction",
    "lock_hotkey",
    "roll_forward_lock",
    "set_accept_locked_alpha",
    "stake_availability",
    "subnet_king",
    "swap_coldkey_locks",
    "swap_hotkey_locks",
    "swap_hotkey_locks_on_subnet",
    "total_coldkey_alpha_on_subnet",
    "transfer_lock",
]

#: A lock with less than this locked mass and conviction is dust, stored as nothing.
LOCK_STATE_ZERO_THRESHOLD = 100
_U64_MAX = (1 << 64) - 1
_ONE = U64F64.saturating_from_num(1)
_ZERO_THRESHOLD_FIXED = U64F64.saturating_from_num(LOCK_STATE_ZERO_THRESHOLD)


def _empty(now: int) -> LockState:
    return LockState(locked_mass=0, conviction=0, last_update=now)


def is_zero(lock: LockState) -> bool:
    return lock.locked_mass < LOCK_STATE_ZERO_THRESHOLD and lock.conviction < _ZERO_THRESHOLD_FIXED


def exp_decay(dt: int, tau: int) -> int:
    """`ConvictionModel::exp_decay`: e^(-dt/tau) as U64F64 bits; 1 for dt = 0, 0 for tau = 0,
    the exponent clamped at -40."""
    if tau == 0 or dt == 0:
        return _ONE if dt == 0 else 0
    min_ratio = I64F64.saturating_from_num(-40)
    neg_ratio = I64F64.checked_div(I64F64.saturating_from_num(-dt), I64F64.saturating_from_num(tau))
    clamped = max(min_ratio if neg_ratio is None else neg_ratio, min_ratio)
    decay = exp(I64F64, clamped)
    decay = 0 if decay is None else decay
    return 0 if decay < 0 else U64F64.saturating_from_fixed(I64F64, decay)


def _decayed(locked_mass: int, conviction: int, dt: int, unlock_rate: int, maturity_rate: int,
             perpetual: bool) -> tuple[int, int]:
    """`calculate_decayed_mass_and_conviction`: the mass after `dt` blocks (unchanged when
    perpetual) and the conviction: the old one decayed plus the mass's closed-form maturity."""
    unlock_decay = exp_decay(dt, unlock_rate)
    maturity_decay = exp_decay(dt, maturity_rate)
    mass = U64F64.saturating_from_num(locked_mass)
    new_mass = locked_mass if perpetual else U64F64.saturating_to_num(U64F64.saturating_mul(unlock_decay, mass))
    from_existing = U64F64.saturating_mul(maturity_decay, conviction)
    if perpetual:
        from_mass = U64F64.saturating_mul(mass, U64F64.saturating_sub(_ONE, maturity_decay))
    elif unlock_rate == maturity_rate:
        ratio = U64F64.safe_div(U64F64.saturating_from_num(dt), U64F64.saturating_from_num(maturity_rate))
        from_mass = U64F64.saturating_mul(mass, U64F64.saturating_mul(ratio, maturity_decay))
    elif unlock_rate == 0 or maturity_rate == 0:
        from_mass = 0
    else:
        tau_x = I64F64.saturating_from_num(unlock_rate)
        tau_delta = I64F64.saturating_from_num(unlock_rate - maturity_rate)
        decay_delta = I64F64.saturating_sub(I64F64.saturating_from_fixed(U64F64, unlock_decay),
                                            I64F64.saturating_from_fixed(U64F64, maturity_decay))
        gamma = I64F64.checked_div(I64F64.saturating_mul(tau_x, decay_delta), tau_delta)
        gamma = 0 if gamma is None else gamma
        from_mass = 0 if gamma <= 0 else U64F64.saturating_mul(mass, U64F64.saturating_from_fixed(I64F64, gamma))
    return new_mass, U64F64.saturating_add(from_existing, from_mass)


def roll_forward_lock(lock: LockState, now: int, unlock_rate: int, maturity_rate: int, owner_lock: bool,
                      perpetual_lock: bool) -> tuple[LockState, tuple[int, int]]:
    """`ConvictionModel::roll_forward_lock`: the lock as of `now` and what it lost (mass,
    conviction). An owner lock's conviction is its mass; dust becomes an empty lock."""
    if now > lock.last_update:
        mass, conviction = _decayed(lock.locked_mass, lock.conviction, now - lock.last_update, unlock_rate,
                                    maturity_rate, perpetual_lock)
        rolled = LockState(locked_mass=mass, conviction=conviction, last_update=now)
    else:
        rolled = replace(lock)
    if owner_lock:
        rolled.conviction = U64F64.saturating_from_num(rolled.locked_mass)
    if is_zero(rolled):
        rolled.locked_mass, rolled.conviction = 0, 0
    delta = (max(lock.locked_mass - rolled.locked_mass, 0), max(lock.conviction - rolled.conviction, 0))
    return rolled, delta


def _merge(lhs: LockState, rhs: LockState) -> LockState:
    return LockState(locked_mass=min(lhs.locked_mass + rhs.locked_mass, (1 << 64) - 1),
                     conviction=U64F64.saturating_add(lhs.conviction, rhs.conviction),
                     last_update=max(lhs.last_update, rhs.last_update))


def _reduce(lock: LockState, mass: int, conviction: int) -> LockState:
    return LockState(locked_mass=max(lock.locked_mass - mass, 0),
                     conviction=U64F64.saturating_sub(lock.conviction, conviction), last_update=lock.last_update)


#: The aggregate a lock belongs to, by (owner_lock, perpetual_lock).
_BUCKETS = {(True, True): "perpetual_owner", (True, False): "decaying_owner",
            (False, True): "perpetual_general", (False, False): "decaying_general"}


@dataclass
class ConvictionModel:
    """One coldkey's lock on a subnet and the four aggregates of that subnet (the hotkey's two
    and the owner's two); `dirty` names what `save` writes back."""

    owner_lock: bool
    perpetual_lock: bool
    individual: LockState
    aggregates: dict[str, LockState]
    dirty: set[str]

    @property
    def bucket(self) -> str:
        return _BUCKETS[(self.owner_lock, self.perpetual_lock)]

    def _roll(self, lock: LockState, now: int, unlock_rate: int, maturity_rate: int) -> tuple[LockState, tuple]:
        return roll_forward_lock(lock, now, unlock_rate, maturity_rate, self.owner_lock, self.perpetual_lock)

    def set_rolled_individual_lock(self, lock: LockState, now: int, unlock_rate: int, maturity_rate: int) -> None:
        self.individual = self._roll(lock, now, unlock_rate, maturity_rate)[0]
        self.dirty.add("individual")

    def roll_forward(self, now: int, unlock_rate: int, maturity_rate: int) -> None:
        """The coldkey's lock to `now`; what it lost comes off its aggregate (which is then
        stamped `now`), else the aggregate is rolled on its own."""
        self.individual, (mass_delta, conviction_delta) = self._roll(self.individual, now, unlock_rate, maturity_rate)
        self.dirty.add("individual")
        if mass_delta or conviction_delta:
            reduced = _reduce(self.aggregates[self.bucket], mass_delta, conviction_delta)
            reduced.last_update = now
            self._set_aggregate(reduced)
        else:
            self.roll_forward_aggregate(now, unlock_rate, maturity_rate)

    def roll_forward_aggregate(self, now: int, unlock_rate: int, maturity_rate: int) -> None:
        self._set_aggregate(self._roll(self.aggregates[self.bucket], now, unlock_rate, maturity_rate)[0])

    def add_to_aggregate(self, added: LockState) -> None:
        self._set_aggregate(_merge(self.aggregates[self.bucket], added))

    def reduce_aggregate(self, mass: int, conviction: int) -> None:
        self._set_aggregate(_reduce(self.aggregates[self.bucket], mass, conviction))

    def force_reduce_individual(self, amount: int, now: int) -> None:
        rolled = self.individual
        new_mass = max(rolled.locked_mass - amount, 0)
        mass_diff = rolled.locked_mass - new_mass
        if new_mass == 0:
            self.individual = _empty(now)
            conviction_diff = rolled.conviction
        else:
            removed = U64F64.safe_div(U64F64.saturating_from_num(amount), U64F64.saturating_from_num(rolled.locked_mass))
            new_conviction = U64F64.saturating_mul(rolled.conviction, U64F64.saturating_sub(_ONE, removed))
            self.individual = LockState(locked_mass=new_mass, conviction=new_conviction, last_update=now)
            conviction_diff = U64F64.saturating_sub(rolled.conviction, new_conviction)
        self.dirty.add("individual")
        self.reduce_aggregate(mass_diff, conviction_diff)

    def _set_aggregate(self, lock: LockState) -> None:
        self.aggregates[self.bucket] = lock
        self.dirty.add(self.bucket)


# ---------------------------------------------------------------------------
# storage of locks and aggregates


def _rates() -> tuple[int, int]:
    return UnlockRate.get(), MaturityRate.get()


def is_subnet_owner_hotkey(netuid: int, hotkey: bytes) -> bool:
    return hotkey == SubnetOwnerHotkey.get(netuid)


def is_perpetual_lock(coldkey: bytes, netuid: int) -> bool:
    return DecayingLock.get(coldkey, netuid) is False


def _aggregate_nonzero(lock: LockState) -> bool:
    return lock.locked_mass != 0 or lock.conviction > 0


def insert_lock_state(coldkey: bytes, netuid: int, hotkey: bytes, lock: LockState) -> None:
    if is_zero(lock):
        LockingColdkeys.remove(netuid, hotkey, coldkey)
        Lock.remove(coldkey, netuid, hotkey)
    else:
        LockingColdkeys.insert(netuid, hotkey, coldkey, ())
        Lock.insert(coldkey, netuid, hotkey, lock)


def _save_aggregate(bucket: str, netuid: int, hotkey: bytes, lock: LockState) -> None:
    if bucket == "perpetual_general":
        (HotkeyLock.insert(netuid, hotkey, lock) if _aggregate_nonzero(lock) else HotkeyLock.remove(netuid, hotkey))
    elif bucket == "decaying_general":
        (DecayingHotkeyLock.insert(netuid, hotkey, lock) if _aggregate_nonzero(lock)
         else DecayingHotkeyLock.remove(netuid, hotkey))
    elif bucket == "perpetual_owner":
        OwnerLock.insert(netuid, lock) if _aggregate_nonzero(lock) else OwnerLock.remove(netuid)
    else:
        DecayingOwnerLock.insert(netuid, lock) if _aggregate_nonzero(lock) else DecayingOwnerLock.remove(netuid)


def read_conviction_model_for_hotkey(coldkey: bytes, netuid: int, hotkey: bytes, now: int) -> ConvictionModel:
    def _or_empty(lock: LockState | None) -> LockState:
        return _empty(now) if lock is None else lock

    return ConvictionModel(
        owner_lock=is_subnet_owner_hotkey(netuid, hotkey), perpetual_lock=is_perpetual_lock(coldkey, netuid),
        individual=_or_empty(Lock.get(coldkey, netuid, hotkey)),
        aggregates={"perpetual_general": _or_empty(HotkeyLock.get(netuid, hotkey)),
                    "decaying_general": _or_empty(DecayingHotkeyLock.get(netuid, hotkey)),
                    "perpetual_owner": _or_empty(OwnerLock.get(netuid)),
                    "decaying_owner": _or_empty(DecayingOwnerLock.get(netuid))},
        dirty=set())


#: A `lock_hotkey` argument meaning "not looked up yet": the reader walks `Lock` itself.
WALK = object()


def lock_hotkey(coldkey: bytes, netuid: int) -> bytes | None:
    """The hotkey of the coldkey's lock on the subnet (the first `Lock` entry under (coldkey,
    netuid), as `iter_prefix(..).next()` finds it), or None: a prefix walk, the costly part of
    reading a lock (a database iterator on a node). A staking call that reads the lock twice
    with no lock write between (validation, then the roll after the stake change) walks once
    and passes the result on as `lock_hotkey=`."""
    for hotkey in Lock.iter_key_prefix(coldkey, netuid):
        return hotkey
    return None


def read_conviction_model(coldkey: bytes, netuid: int, now: int,
                          hotkey: object = WALK) -> tuple[bytes, ConvictionModel] | None:
    """The coldkey's lock on the subnet with its model, or None; `hotkey`: what `lock_hotkey`
    returned for it, if the caller already walked."""
    found = lock_hotkey(coldkey, netuid) if hotkey is WALK else hotkey
    if found is None:
        return None
    return found, read_conviction_model_for_hotkey(coldkey, netuid, found, now)  # type: ignore[arg-type]


def save_conviction_model(coldkey: bytes, netuid: int, hotkey: bytes, model: ConvictionModel) -> None:
    if "individual" in model.dirty:
        insert_lock_state(coldkey, netuid, hotkey, model.individual)
    for bucket in ("perpetual_general", "decaying_general", "perpetual_owner", "decaying_owner"):
        if bucket in model.dirty:
            _save_aggregate(bucket, netuid, hotkey, model.aggregates[bucket])


def add_aggregate_lock(coldkey: bytes, hotkey: bytes, netuid: int, added: LockState) -> None:
    now = block_number()
    model = read_conviction_model_for_hotkey(coldkey, netuid, hotkey, now)
    model.roll_forward_aggregate(now, *_rates())
    model.add_to_aggregate(added)
    model.roll_forward_aggregate(now, *_rates())
    save_conviction_model(coldkey, netuid, hotkey, model)


def reduce_aggregate_lock(coldkey: bytes, hotkey: bytes, netuid: int, mass: int, conviction: int) -> None:
    now = block_number()
    model = read_conviction_model_for_hotkey(coldkey, netuid, hotkey, now)
    model.roll_forward_aggregate(now, *_rates())
    model.reduce_aggregate(mass, conviction)
    save_conviction_model(coldkey, netuid, hotkey, model)


# ---------------------------------------------------------------------------
# reads


def total_coldkey_alpha_on_subnet(coldkey: bytes, netuid: int) -> int:
    """The coldkey's alpha on the subnet summed over its staking hotkeys."""
    total = sum(accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
                for hotkey in StakingHotkeys.get(coldkey))
    return min(total, (1 << 64) - 1)


def _rolled_individual(coldkey: bytes, netuid: int, hotkey: object = WALK) -> LockState | None:
    found = lock_hotkey(coldkey, netuid) if hotkey is WALK else hotkey
    if found is None:
        return None  # no lock: nothing to roll (nor any block number to read)
    now = block_number()
    model = read_conviction_model(coldkey, netuid, now, found)[1]  # type: ignore[index]
    model.roll_forward(now, *_rates())
    return model.individual


def get_current_locked(coldkey: bytes, netuid: int, lock_hotkey: object = WALK) -> int:
    lock = _rolled_individual(coldkey, netuid, lock_hotkey)
    return 0 if lock is None else lock.locked_mass


def get_coldkey_lock(coldkey: bytes, netuid: int) -> LockState | None:
    """The coldkey's lock on the subnet rolled forward to now (runtime API `get_coldkey_lock`)."""
    return _rolled_individual(coldkey, netuid)


def stake_availability(coldkey: bytes, netuid: int) -> tuple[int, int, int]:
    """(total, locked, available): the lock is subnet-wide, over every hotkey's position."""
    total = total_coldkey_alpha_on_subnet(coldkey, netuid)
    locked = get_current_locked(coldkey, netuid)
    return total, locked, max(total - locked, 0)


def available_to_unstake(coldkey: bytes, netuid: int) -> int:
    return stake_availability(coldkey, netuid)[2]


def covers_unstake(coldkey: bytes, netuid: int, amount: int, hotkey: bytes | None = None,
                   lock_hotkey: object = WALK, hotkey_alpha: int | None = None) -> bool:
    """`available_to_unstake(coldkey, netuid) >= amount`, valuing no more positions than it
    takes to decide. Positions are never negative, so the (saturating) total covers the lock
    plus `amount` as soon as a partial sum does; `hotkey`'s positions (the one being unstaked,
    usually enough on its own) are valued first. The Rust sum over every `StakingHotkeys`
    entry costs a share-pool valuation per hotkey the coldkey ever staked through.
    `lock_hotkey`: `lock_hotkey(coldkey, netuid)`, `hotkey_alpha`: the coldkey's alpha through
    `hotkey` on `netuid`, when the caller has just looked them up."""
    if amount <= 0:
        return True  # availability is never negative
    need = amount + get_current_locked(coldkey, netuid, lock_hotkey)
    if need > _U64_MAX:
        return False  # the total saturates at u64
    hotkeys = StakingHotkeys.peek(coldkey)  # read only
    total = 0
    if hotkey is not None:
        count = hotkeys.count(hotkey)  # each entry is summed, even a repeated one
        if count:
            if hotkey_alpha is None:
                hotkey_alpha = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
            total = count * hotkey_alpha
            if total >= need:
                return True
    for other in hotkeys:
        if other != hotkey:
            total += accounting.get_stake_for_hotkey_and_coldkey_on_subnet(other, coldkey, netuid)
            if total >= need:
                return True
    return False


def ensure_available_to_unstake(coldkey: bytes, netuid: int, amount: int, hotkey: bytes | None = None,
                                lock_hotkey: object = WALK, hotkey_alpha: int | None = None) -> None:
    """main's `StakeUnavailable`, spec 381's `CannotUnstakeLock` (the same variant, renamed).
    `hotkey`, the position being unstaked, only orders the reads; `lock_hotkey` and
    `hotkey_alpha` are what the caller already looked up (`covers_unstake`)."""
    ensure(covers_unstake(coldkey, netuid, amount, hotkey, lock_hotkey, hotkey_alpha), Error.CannotUnstakeLock)


def _aggregate_conviction(lock: LockState | None, now: int, owner: bool, perpetual: bool) -> int:
    if lock is None:
        return 0
    return roll_forward_lock(lock, now, *_rates(), owner, perpetual)[0].conviction


def hotkey_conviction(hotkey: bytes, netuid: int) -> int:
    """The hotkey's rolled conviction over every coldkey locking to it (U64F64 bits)."""
    now = block_number()
    total = U64F64.saturating_add(_aggregate_conviction(HotkeyLock.get(netuid, hotkey), now, False, True),
                                  _aggregate_conviction(DecayingHotkeyLock.get(netuid, hotkey), now, False, False))
    if hotkey == SubnetOwnerHotkey.get(netuid):
        total = U64F64.saturating_add(total, _aggregate_conviction(OwnerLock.get(netuid), now, True, True))
        total = U64F64.saturating_add(total, _aggregate_conviction(DecayingOwnerLock.get(netuid), now, True, False))
    return total


def subnet_king(netuid: int) -> bytes | None:
    """The hotkey with the highest conviction on the subnet (main's `subnet_king`; on a tie
    Rust's `max_by` keeps the last in key order)."""
    now = block_number()
    scores: dict[bytes, int] = {}
    for hotkey, lock in HotkeyLock.iter_prefix(netuid):
        scores[hotkey] = U64F64.saturating_add(scores.get(hotkey, 0), _aggregate_conviction(lock, now, False, True))
    for hotkey, lock in DecayingHotkeyLock.iter_prefix(netuid):
        scores[hotkey] = U64F64.saturating_add(scores.get(hotkey, 0), _aggregate_conviction(lock, now, False, False))
    owner_hotkey = SubnetOwnerHotkey.get(netuid)
    for lock, perpetual in ((OwnerLock.get(netuid), True), (DecayingOwnerLock.get(netuid), False)):
        if lock is not None:
            scores[owner_hotkey] = U64F64.saturating_add(scores.get(owner_hotkey, 0),
                                                         _aggregate_conviction(lock, now, True, perpetual))
    best: tuple[bytes, int] | None = None
    for hotkey in sorted(scores):  # a BTreeMap: keys in order, `max_by` keeps the last maximum
        if best is None or scores[hotkey] >= best[1]:
            best = (hotkey, scores[hotkey])
    return None if best is None else best[0]


# ---------------------------------------------------------------------------
# changes


def account_rejects_locked_alpha(coldkey: bytes) -> bool:
    return AccountFlags.get(coldkey) & ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA != 1


def set_accept_locked_alpha(coldkey: bytes, enabled: bool) -> None:
    flags = AccountFlags.get(coldkey)
    flags = flags | ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA if enabled else flags & ~ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA
    if flags == 0:
        AccountFlags.remove(coldkey)
    else:
        AccountFlags.insert(coldkey, flags)


def ensure_can_receive_locked_alpha(coldkey: bytes, amount: int) -> None:
    if amount:
        ensure(not account_rejects_locked_alpha(coldkey), Error.AccountRejectsLockedAlpha)


def _hotkey_account_exists(hotkey: bytes) -> bool:
    return Owner.contains_key(hotkey)


def do_lock_stake(coldkey: bytes, netuid: int, hotkey: bytes, amount: int) -> None:
    """Lock `amount` more of the coldkey's alpha on the subnet to `hotkey` (a new lock, or a
    top-up of the existing one, whose hotkey must match)."""
    ensure(amount != 0, Error.AmountTooLow)
    ensure(_hotkey_account_exists(hotkey), Error.HotKeyAccountNotExists)
    total = total_coldkey_alpha_on_subnet(coldkey, netuid)
    now = block_number()
    unlock_rate, maturity_rate = _rates()
    found = read_conviction_model(coldkey, netuid, now)
    if found is not None:
        ensure(hotkey == found[0], Error.LockHotkeyMismatch)
        model = found[1]
    else:
        model = read_conviction_model_for_hotkey(coldkey, netuid, hotkey, now)
    model.roll_forward(now, unlock_rate, maturity_rate)
    if model.individual.locked_mass == 0 and model.individual.conviction == 0:
        ensure(total >= amount, Error.InsufficientStakeForLock)
        model.set_rolled_individual_lock(LockState(locked_mass=amount, conviction=0, last_update=now), now,
                                         unlock_rate, maturity_rate)
    else:
        lock = replace(model.individual, locked_mass=min(model.individual.locked_mass + amount, (1 << 64) - 1))
        ensure(total >= lock.locked_mass, Error.InsufficientStakeForLock)
        model.set_rolled_individual_lock(lock, now, unlock_rate, maturity_rate)
    model.roll_forward_aggregate(now, unlock_rate, maturity_rate)
    model.add_to_aggregate(LockState(locked_mass=amount, conviction=0, last_update=now))
    model.roll_forward_aggregate(now, unlock_rate, maturity_rate)
    save_conviction_model(coldkey, netuid, hotkey, model)
    pallet.deposit_event(Event.StakeLocked(coldkey=coldkey, hotkey=hotkey, netuid=netuid, amount=amount))


def do_move_lock(coldkey: bytes, destination_hotkey: bytes, netuid: int) -> None:
    """Point the coldkey's lock at another hotkey: the mass stays; the conviction is kept only
    when both hotkeys have the same owner."""
    ensure(_hotkey_account_exists(destination_hotkey), Error.HotKeyAccountNotExists)
    now = block_number()
    found = read_conviction_model(coldkey, netuid, now)
    ensure(found is not None, Error.NoExistingLock)
    origin_hotkey, model = found
    unlock_rate, maturity_rate = _rates()
    model.roll_forward(now, unlock_rate, maturity_rate)
    lock = replace(model.individual)
    removed = replace(lock)
    if Owner.get(origin_hotkey) != Owner.get(destination_hotkey):
        lock.conviction = 0
    lock = roll_forward_lock(lock, now, unlock_rate, maturity_rate, is_subnet_owner_hotkey(netuid, destination_hotkey),
                             is_perpetual_lock(coldkey, netuid))[0]
    Lock.remove(coldkey, netuid, origin_hotkey)
    LockingColdkeys.remove(netuid, origin_hotkey, coldkey)
    insert_lock_state(coldkey, netuid, destination_hotkey, lock)
    reduce_aggregate_lock(coldkey, origin_hotkey, netuid, removed.locked_mass, removed.conviction)
    add_aggregate_lock(coldkey, destination_hotkey, netuid, lock)
    pallet.deposit_event(Event.LockMoved(coldkey=coldkey, origin_hotkey=origin_hotkey,
                                         destination_hotkey=destination_hotkey, netuid=netuid))


def do_set_perpetual_lock(coldkey: bytes, netuid: int, enabled: bool) -> None:
    """Switch the coldkey's lock on the subnet between decaying (default) and perpetual; the
    lock is rolled to now under the old mode and moves to the other mode's aggregate."""
    now = block_number()
    current = is_perpetual_lock(coldkey, netuid)
    found = read_conviction_model(coldkey, netuid, now)
    if found is not None:
        hotkey, model = found
        model.roll_forward(now, *_rates())
        rolled = model.individual
        save_conviction_model(coldkey, netuid, hotkey, model)
        if current != enabled:
            reduce_aggregate_lock(coldkey, hotkey, netuid, rolled.locked_mass, rolled.conviction)
    if enabled:
        DecayingLock.insert(coldkey, netuid, False)
    else:
        DecayingLock.remove(coldkey, netuid)
    if current != enabled:
        found = read_conviction_model(coldkey, netuid, now)
        if found is not None:
            add_aggregate_lock(coldkey, found[0], netuid, found[1].individual)
    pallet.deposit_event(Event.PerpetualLockUpdated(coldkey=coldkey, netuid=netuid, enabled=enabled))


def force_reduce_lock(coldkey: bytes, netuid: int, amount: int) -> None:
    """Take `amount` off the coldkey's lock (and its conviction proportionally)."""
    now = block_number()
    found = read_conviction_model(coldkey, netuid, now)
    if found is not None:
        hotkey, model = found
        model.roll_forward(now, *_rates())
        model.roll_forward_aggregate(now, *_rates())
        model.force_reduce_individual(amount, now)
        save_conviction_model(coldkey, netuid, hotkey, model)


def cleanup_lock_if_zero(coldkey: bytes, netuid: int, lock_hotkey: object = WALK) -> None:
    """Roll the coldkey's lock to now and store it (dust is removed); after every stake change.
    `lock_hotkey`: `lock_hotkey(coldkey, netuid)` if the caller walked since the last lock write."""
    now = block_number()
    found = read_conviction_model(coldkey, netuid, now, lock_hotkey)
    if found is not None:
        hotkey, model = found
        model.roll_forward(now, *_rates())
        save_conviction_model(coldkey, netuid, hotkey, model)


def transfer_lock(origin_coldkey: bytes, destination_coldkey: bytes, netuid: int, amount: int) -> None:
    """Locked stake follows a same-subnet transfer to another coldkey: what exceeds the
    origin's unlocked alpha moves with its lock (same hotkey, conviction pro rata); the
    receiver must accept locked alpha and, if it has a lock, to the same hotkey."""
    now = block_number()
    if origin_coldkey == destination_coldkey or amount == 0:
        return
    total_alpha = total_coldkey_alpha_on_subnet(origin_coldkey, netuid)
    found = read_conviction_model(origin_coldkey, netuid, now)
    if found is None:
        return
    source_hotkey, source_model = found
    unlock_rate, maturity_rate = _rates()
    source_model.roll_forward(now, unlock_rate, maturity_rate)
    source_lock = replace(source_model.individual)
    destination = read_conviction_model(destination_coldkey, netuid, now)
    if destination is not None:
        destination[1].roll_forward(now, unlock_rate, maturity_rate)
        destination_hotkey, destination_lock = destination[0], replace(destination[1].individual)
    else:
        destination_hotkey, destination_lock = source_hotkey, _empty(now)
    available = max(total_alpha - source_lock.locked_mass, 0)
    remaining = amount - min(amount, available)
    locked_transfer = conviction_transfer = 0
    if remaining:
        if destination is not None:
            ensure(destination[0] == source_hotkey, Error.LockHotkeyMismatch)
        locked_transfer = min(remaining, source_lock.locked_mass)
        if locked_transfer and source_lock.locked_mass:
            proportion = U64F64.safe_div(U64F64.saturating_from_num(locked_transfer),
                                         U64F64.saturating_from_num(source_lock.locked_mass))
            conviction_transfer = U64F64.saturating_mul(source_lock.conviction, proportion)
        source_lock.locked_mass -= locked_transfer
        source_lock.conviction = U64F64.saturating_sub(source_lock.conviction, conviction_transfer)
        destination_lock.locked_mass = min(destination_lock.locked_mass + locked_transfer, (1 << 64) - 1)
        destination_lock.conviction = U64F64.saturating_add(destination_lock.conviction, conviction_transfer)
    ensure_can_receive_locked_alpha(destination_coldkey, locked_transfer)
    source_lock = roll_forward_lock(source_lock, now, unlock_rate, maturity_rate,
                                    is_subnet_owner_hotkey(netuid, source_hotkey),
                                    is_perpetual_lock(origin_coldkey, netuid))[0]
    destination_lock = roll_forward_lock(destination_lock, now, unlock_rate, maturity_rate,
                                         is_subnet_owner_hotkey(netuid, destination_hotkey),
                                         is_perpetual_lock(destination_coldkey, netuid))[0]
    insert_lock_state(origin_coldkey, netuid, source_hotkey, source_lock)
    insert_lock_state(destination_coldkey, netuid, destination_hotkey, destination_lock)
    if locked_transfer:
        reduce_aggregate_lock(origin_coldkey, source_hotkey, netuid, locked_transfer, conviction_transfer)
        add_aggregate_lock(destination_coldkey, destination_hotkey, netuid,
                           LockState(locked_mass=locked_transfer, conviction=conviction_transfer, last_update=now))


def destroy_lock_maps(netuid: int) -> None:
    """Every lock on the subnet and its aggregates, when the subnet is dissolved (main calls it
    from `destroy_alpha_in_out_stakes` and `remove_network`)."""
    for hotkey, coldkey in list(LockingColdkeys.iter_key_prefix(netuid)):
        Lock.remove(coldkey, netuid, hotkey)
    LockingColdkeys.clear_prefix(netuid)
    HotkeyLock.clear_prefix(netuid)
    DecayingHotkeyLock.clear_prefix(netuid)
    OwnerLock.remove(netuid)
    DecayingOwnerLock.remove(netuid)
    for coldkey, n in list(DecayingLock.iter_keys()):
        if n == netuid:
            DecayingLock.remove(coldkey, netuid)


# ---------------------------------------------------------------------------
# key swaps


def ensure_no_active_locks(coldkey: bytes) -> None:
    """`ActiveLockExists` when any of the coldkey's locks, rolled to now, still holds mass (a
    conviction-only lock is not active)."""
    now = block_number()
    unlock_rate, maturity_rate = _rates()
    for (netuid, hotkey), lock_state in Lock.iter_prefix(coldkey):
        rolled = roll_forward_lock(lock_state, now, unlock_rate, maturity_rate, is_subnet_owner_hotkey(netuid, hotkey),
                                   is_perpetual_lock(coldkey, netuid))[0]
        ensure(rolled.locked_mass == 0, Error.ActiveLockExists)


def swap_coldkey_locks(old_coldkey: bytes, new_coldkey: bytes) -> None:
    """Every lock of the old coldkey becomes the new coldkey's (same hotkey and subnet), with its
    perpetual flag and the old coldkey's account flags. The new coldkey may hold no active lock,
    so the locks move as they are; the hotkeys' aggregates are taken out under the old flags and
    put back under the moved ones."""
    ensure_no_active_locks(new_coldkey)
    now = block_number()
    unlock_rate, maturity_rate = _rates()
    new_coldkey_rejects = account_rejects_locked_alpha(new_coldkey)
    decaying = list(DecayingLock.iter_prefix(old_coldkey))
    rolled: list[tuple[int, bytes, LockState, bool]] = []
    for (netuid, hotkey), lock_state in list(Lock.iter_prefix(old_coldkey)):
        perpetual = any(n == netuid and not flag for n, flag in decaying)
        old_lock = roll_forward_lock(lock_state, now, unlock_rate, maturity_rate,
                                     is_subnet_owner_hotkey(netuid, hotkey), perpetual)[0]
        if old_lock.locked_mass:
            ensure(not new_coldkey_rejects, Error.AccountRejectsLockedAlpha)
        rolled.append((netuid, hotkey, old_lock, perpetual))

    # Out of the old aggregates before the perpetual flags move: the flag picks the bucket.
    for netuid, hotkey, old_lock, _ in rolled:
        Lock.remove(old_coldkey, netuid, hotkey)
        LockingColdkeys.remove(netuid, hotkey, old_coldkey)
        reduce_aggregate_lock(old_coldkey, hotkey, netuid, old_lock.locked_mass, old_lock.conviction)

    for netuid, _ in decaying:
        flag = DecayingLock.take(old_coldkey, netuid)
        if flag is not None:
            DecayingLock.insert(new_coldkey, netuid, flag)

    flags = AccountFlags.get(old_coldkey)
    AccountFlags.remove(old_coldkey)
    if flags:
        AccountFlags.insert(new_coldkey, flags)
    else:
        AccountFlags.remove(new_coldkey)

    for netuid, hotkey, old_lock, perpetual in rolled:
        new_lock = roll_forward_lock(old_lock, now, unlock_rate, maturity_rate, is_subnet_owner_hotkey(netuid, hotkey),
                                     perpetual)[0]
        insert_lock_state(new_coldkey, netuid, hotkey, new_lock)
        add_aggregate_lock(new_coldkey, hotkey, netuid, new_lock)


def swap_hotkey_locks(old_hotkey: bytes, new_hotkey: bytes) -> tuple[int, int]:
    """Every lock to the old hotkey, on every subnet, now names the new hotkey; returns the
    (reads, writes) main accrues."""
    return _swap_hotkey_locks_for_netuids(old_hotkey, new_hotkey, list(NetworksAdded.iter_keys()))


def swap_hotkey_locks_on_subnet(old_hotkey: bytes, new_hotkey: bytes, netuid: int) -> tuple[int, int]:
    return _swap_hotkey_locks_for_netuids(old_hotkey, new_hotkey, [netuid])


def _swap_hotkey_locks_for_netuids(old_hotkey: bytes, new_hotkey: bytes, netuids: list[int]) -> tuple[int, int]:
    """The coldkey-to-hotkey lock relation is 1:1 and the hotkey keeps its owner, so the locks
    move as they are (conviction kept); an aggregate follows to the owner's buckets when either
    hotkey is the subnet owner hotkey, else to the new hotkey's."""
    reads = writes = 0
    # (netuid, old hotkey is the owner hotkey, either is)
    to_transfer: list[tuple[int, bool, bool]] = []
    for netuid in netuids:
        old_is_owner = is_subnet_owner_hotkey(netuid, old_hotkey)
        new_is_owner = is_subnet_owner_hotkey(netuid, new_hotkey)
        if (old_is_owner or new_is_owner or HotkeyLock.contains_key(netuid, old_hotkey)
                or DecayingHotkeyLock.contains_key(netuid, old_hotkey)):
            # (main also tests OwnerLock/DecayingOwnerLock, only when the old hotkey is the owner's)
            to_transfer.append((netuid, old_is_owner, old_is_owner or new_is_owner))
        reads += 5

    # The reverse index may name coldkeys whose lock is gone: those entries are pruned.
    locks: list[tuple[bytes, int, LockState]] = []
    for netuid, _, _ in to_transfer:
        for coldkey in list(LockingColdkeys.iter_key_prefix(netuid, old_hotkey)):
            lock_state = Lock.get(coldkey, netuid, old_hotkey)
            if lock_state is not None:
                locks.append((coldkey, netuid, lock_state))
            else:
                LockingColdkeys.remove(netuid, old_hotkey, coldkey)
                writes += 1
            reads += 1

    now = block_number()
    unlock_rate, maturity_rate = _rates()
    for coldkey, netuid, lock_state in locks:
        old_owner = any(n == netuid and is_owner for n, is_owner, _ in to_transfer)
        new_owner = any(n == netuid and is_owner for n, _, is_owner in to_transfer)
        perpetual = is_perpetual_lock(coldkey, netuid)
        rolled = roll_forward_lock(lock_state, now, unlock_rate, maturity_rate, old_owner, perpetual)[0]
        moved = roll_forward_lock(rolled, now, unlock_rate, maturity_rate, new_owner, perpetual)[0]
        Lock.remove(coldkey, netuid, old_hotkey)
        LockingColdkeys.remove(netuid, old_hotkey, coldkey)
        insert_lock_state(coldkey, netuid, new_hotkey, moved)
        writes += 2

    for netuid, old_was_owner, new_is_owner in to_transfer:
        if old_was_owner:
            perpetual_lock, decaying_lock = OwnerLock.take(netuid), DecayingOwnerLock.take(netuid)
        else:
            perpetual_lock = HotkeyLock.take(netuid, old_hotkey)
            decaying_lock = DecayingHotkeyLock.take(netuid, old_hotkey)
        for taken, perpetual in ((perpetual_lock, True), (decaying_lock, False)):
            if taken is None:
                continue
            taken = roll_forward_lock(taken, now, unlock_rate, maturity_rate, old_was_owner, perpetual)[0]
            moved = roll_forward_lock(taken, now, unlock_rate, maturity_rate, new_is_owner, perpetual)[0]
            _save_aggregate(_BUCKETS[(new_is_owner, perpetual)], netuid, new_hotkey, moved)
        writes += 6
    return reads, writes
