"""The staking path's shortcuts against what they shorten.

`lock.covers_unstake` (the check behind `ensure_available_to_unstake`) against the general
rule, `available_to_unstake(coldkey, netuid) >= amount` (main's `lock.rs`: the
saturating sum of the coldkey's alpha through every `StakingHotkeys` entry, minus the rolled
lock, saturating at zero).

Random positions are written straight into the share pools (`Alpha`, `TotalHotkeyShares`,
`TotalHotkeyAlpha`), with what the fast path must not get wrong: a repeated `StakingHotkeys`
entry (summed twice), listed hotkeys without a position, a hinted hotkey that holds a position
but is not listed (not summed), locks (perpetual or decaying, on any hotkey), totals past u64
(saturating), amounts at and around the available figure.
"""

from __future__ import annotations

import random
from collections import Counter

from scalecodec.base import RuntimeConfiguration
from scalecodec.type_registry import load_type_registry_preset

from pysubtensor.pallets.subtensor.staking import accounting, lock, stake_utils
from pysubtensor.pallets.subtensor.types import LockState
from pysubtensor.pallets.support.dispatch import DispatchError
from pysubtensor.primitives import externalities
from tests.unit.test_subtensor_registration import acct
from tests.unit.test_subtensor_staking import U64_MAX, S, add_dynamic_network, setup_reserves
from tests.unit.test_subtensor_staking import chain as staking_chain  # noqa: F401 (fixture)

ONE = 1 << 64  # U64F64 one


def _position(rng: random.Random, hotkey: bytes, coldkey: bytes, netuid: int, huge: bool) -> None:
    """The coldkey holds a random fraction of the hotkey's pool (values up to u64 when `huge`)."""
    value = rng.choice([U64_MAX, U64_MAX - rng.randrange(1000)]) if huge else rng.randrange(1, 10**12)
    denominator = rng.randrange(1, 10**6) * ONE
    share = rng.choice([denominator, rng.randrange(1, denominator + 1)])
    S.TotalHotkeyAlpha.insert(hotkey, netuid, value)
    S.TotalHotkeyShares.insert(hotkey, netuid, denominator)
    S.Alpha.insert(hotkey, coldkey, netuid, share)


def test_covers_unstake_matches_the_full_sum(staking_chain):  # noqa: F811
    chain = staking_chain
    netuid = add_dynamic_network(chain, acct(9001), acct(9000))
    setup_reserves(chain, netuid, 10**15, 10**16)
    rng = random.Random(20261205)
    checked = {True: 0, False: 0}
    for case in range(300):
        coldkey = acct(100_000 + case)
        hotkeys = [acct(200_000 + case * 16 + i) for i in range(rng.randrange(1, 7))]
        huge = rng.random() < 0.15
        listed = []
        for hot in hotkeys:
            if rng.random() < 0.8:
                _position(rng, hot, coldkey, netuid, huge)
            if rng.random() < 0.85:
                listed.append(hot)
                if rng.random() < 0.15:
                    listed.append(hot)  # a repeated entry is summed twice by the Rust fold
        rng.shuffle(listed)
        S.StakingHotkeys.insert(coldkey, listed)
        if rng.random() < 0.5:
            S.Lock.insert(coldkey, netuid, rng.choice(hotkeys),
                          LockState(locked_mass=rng.choice([rng.randrange(1, 10**12), U64_MAX]),
                                    conviction=0, last_update=1))
            if rng.random() < 0.5:
                S.DecayingLock.insert(coldkey, netuid, False)  # perpetual
        available = lock.available_to_unstake(coldkey, netuid)
        total, locked, _ = lock.stake_availability(coldkey, netuid)
        amounts = {0, 1, available, available + 1, max(available - 1, 0), U64_MAX, rng.randrange(1, 2 * total + 2)}
        for amount in sorted(amounts):
            for hint in (None, *hotkeys):
                got = lock.covers_unstake(coldkey, netuid, amount, hint)
                assert got == (available >= amount), (case, amount, hint, total, locked)
                checked[got] += 1
    # Both outcomes are exercised many times, including past u64 and with locks.
    assert min(checked.values()) > 500, checked


def _scalecodec_vec_account_ids(ids: list[bytes]) -> bytes:
    config = RuntimeConfiguration()
    config.update_type_registry(load_type_registry_preset("legacy"))
    obj = config.create_scale_object("Vec<[u8; 32]>")
    return bytes(obj.encode(["0x" + i.hex() for i in ids]).data)


def test_staking_hotkeys_grow_as_rust_writes_them(staking_chain):  # noqa: F811
    """Appending a hotkey to `StakingHotkeys` stores what Rust's push-and-insert stores (the
    bytes scalecodec encodes), once per hotkey, in first-staked order, absent or not before."""
    netuid = add_dynamic_network(staking_chain, acct(9101), acct(9100))
    coldkey, hot = acct(9200), [acct(9300 + i) for i in range(4)]
    order = [hot[2], hot[0], hot[2], hot[1], hot[0], hot[3]]
    key = S.StakingHotkeys.hashed_key(coldkey)
    assert externalities.current().get(key) is None
    for i, h in enumerate(order):
        accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(h, coldkey, netuid, 1000 + i)
    expected = [hot[2], hot[0], hot[1], hot[3]]
    assert externalities.current().get(key) == _scalecodec_vec_account_ids(expected)
    assert S.StakingHotkeys.get(coldkey) == expected
    accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(acct(9399), coldkey, netuid, 0)  # nothing bought
    assert S.StakingHotkeys.get(coldkey) == expected


class _DictBackend:
    def __init__(self, items: dict[bytes, bytes]) -> None:
        self.items, self.keys = items, sorted(items)

    def get(self, key: bytes) -> bytes | None:
        return self.items.get(key)

    def next_key(self, key: bytes) -> bytes | None:
        later = [k for k in self.keys if k > key]
        return later[0] if later else None


def test_clearing_the_rate_limiter_leaves_what_draining_leaves():
    """`clear_stake_operation_limits` removes the prefix; Rust's `on_finalize` drains the map.
    Same changes, over entries from earlier blocks (the backend), this block's, one removed
    and one written again, with other items' keys on both sides of the prefix."""
    limiter = S.StakingOperationRateLimiter
    rng = random.Random(7)
    triples = [(acct(rng.randrange(1 << 20)), acct(rng.randrange(1 << 20)), rng.randrange(64)) for _ in range(40)]
    before = S.TotalHotkeyAlpha.hashed_key(acct(1), 1)
    after = S.TotalStake.hashed_key()
    backend = {limiter.hashed_key(*t): b"\x01" for t in triples[:15]}
    backend.update({before: (5).to_bytes(8, "little"), after: (9).to_bytes(8, "little")})

    def run(clear: bool) -> dict[bytes, bytes | None]:
        ext = externalities.Externalities(_DictBackend(dict(backend)))
        with externalities.using(ext):
            for t in triples[10:]:
                limiter.insert(*t, True)
            limiter.remove(*triples[3])
            limiter.remove(*triples[20])
            limiter.insert(*triples[20], True)
            if clear:
                stake_utils.clear_stake_operation_limits()
            else:
                for _ in limiter.drain():
                    pass
            assert not list(limiter.iter_keys())
            return ext.overlay.changes()

    general, fast = run(False), run(True)
    assert fast == general
    assert before not in fast and after not in fast
    assert sum(v is None for v in fast.values()) == len(set(triples))


# -- one lock walk per unstake ---------------------------------------------------------------

def _outcome(chain, name: str, who: bytes, args: dict) -> tuple:
    """What the call does (its error, every key it leaves changed and the events it deposits),
    undone afterwards."""
    overlay, before, first = chain.ext.overlay, chain.state(), len(chain.events)
    overlay.start_transaction()
    try:
        try:
            chain.call(name, who, **args)
            error = None
        except DispatchError as e:
            error = type(e).__name__
        after = chain.state()
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        changed.update({k: None for k in before if k not in after})
        return error, changed, chain.events[first:]
    finally:
        del chain.events[first:]
        overlay.rollback_transaction()


def _ignoring_hand_overs(m) -> None:
    """The general path: every reader looks up the lock and the position itself, whatever the
    caller hands over (`lock_hotkey=`, `hotkey_alpha=`, `current=`)."""
    cleanup, locked, covers = lock.cleanup_lock_if_zero, lock.get_current_locked, lock.covers_unstake
    reduced = accounting.calculate_reduced_stake_on_subnet
    m.setattr(stake_utils, "cleanup_lock_if_zero", lambda coldkey, netuid, *_: cleanup(coldkey, netuid))
    m.setattr(lock, "get_current_locked", lambda coldkey, netuid, *_: locked(coldkey, netuid))
    m.setattr(lock, "covers_unstake", lambda coldkey, netuid, amount, hotkey=None, *_: covers(coldkey, netuid, amount,
                                                                                            hotkey))
    m.setattr(accounting, "calculate_reduced_stake_on_subnet",
              lambda hotkey, coldkey, netuid, decrement, *_: reduced(hotkey, coldkey, netuid, decrement))


def test_unstakes_reading_the_lock_once_match_walking_each_time(staking_chain, monkeypatch):  # noqa: F811
    """remove_stake and unstake_all walk `Lock` once and hand the result to the availability
    check and to the roll after the stake change (`lock_hotkey=`), and the position's alpha to
    the checks (`current=`); the general path ignores what is handed over, every reader looks
    it up itself. Same error, same writes, same events, over coldkeys with no lock, a lock
    through the unstaked hotkey or another one, decaying or perpetual, mature or fresh,
    amounts inside and past what the lock leaves, positions worth less than the minimum stake,
    on two subnets."""
    chain = staking_chain
    netuids = [add_dynamic_network(chain, acct(9500 + 2 * i), acct(9501 + 2 * i)) for i in range(2)]
    for netuid in netuids:
        setup_reserves(chain, netuid, 10**16, 10**17)
    rng = random.Random(11)
    hotkeys = [acct(9600 + i) for i in range(3)]
    for hot in hotkeys:
        S.Owner.insert(hot, acct(9700))
    seen: Counter[str] = Counter()
    for case in range(60):
        coldkey = acct(120_000 + case)
        chain.fund(coldkey, 10**13)
        for netuid in netuids:
            for hot in rng.sample(hotkeys, rng.randrange(1, 4)):
                # Some positions sell for less than the minimum stake: only a whole sale passes.
                tao = rng.choice([rng.randrange(10**10, 10**12), rng.randrange(5 * 10**5, 2 * 10**6)])
                stake_utils.stake_into_subnet(hot, coldkey, netuid, tao, stake_utils.swap().max_price(), False, False)
            if rng.random() < 0.7:
                held = lock.total_coldkey_alpha_on_subnet(coldkey, netuid)
                mass = rng.choice([rng.randrange(1, held // 8 + 2), rng.randrange(held // 2, held + 1)])
                S.Lock.insert(coldkey, netuid, rng.choice(hotkeys),
                              LockState(locked_mass=mass, conviction=rng.randrange(1 << 70),
                                        last_update=rng.randrange(0, 3)))
                if rng.random() < 0.5:
                    S.DecayingLock.insert(coldkey, netuid, False)
        chain.set_block(3 + rng.randrange(2000))
        hot, netuid = rng.choice(hotkeys), rng.choice(netuids)
        held = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hot, coldkey, netuid)
        calls = [("unstake_all", {"hotkey": hot}),
                 ("remove_stake", {"hotkey": hot, "netuid": netuid,
                                   "amount_unstaked": rng.choice([held, held // 2, held // 10 + 1, held + 5])})]
        for name, args in calls:
            fast = _outcome(chain, name, coldkey, args)
            with monkeypatch.context() as m:
                _ignoring_hand_overs(m)
                general = _outcome(chain, name, coldkey, args)
            assert fast == general, (case, name)
            locked = any(k.startswith(S.Lock.prefix) for k in fast[1])  # a lock rolled by the call
            seen[fast[0] if fast[0] else "rolled a lock" if locked else "moved" if fast[1] else "skipped"] += 1
    # Unstakes that moved stake (and rolled the coldkey's lock), unstake_all skipping a locked
    # subnet, remove_stake refused.
    assert min(seen[k] for k in ("moved", "rolled a lock", "skipped", "CannotUnstakeLock")) > 3, seen


def test_covers_unstake_with_what_the_caller_read_matches_reading_it(staking_chain):  # noqa: F811
    """`covers_unstake` given the lock's hotkey and the position's alpha (as an unstake that
    has just read them passes them) answers as when it reads them itself."""
    chain = staking_chain
    netuid = add_dynamic_network(chain, acct(9801), acct(9800))
    setup_reserves(chain, netuid, 10**15, 10**16)
    rng = random.Random(5)
    for case in range(120):
        coldkey = acct(130_000 + case)
        hotkeys = [acct(140_000 + case * 8 + i) for i in range(rng.randrange(1, 5))]
        for hot in hotkeys:
            _position(rng, hot, coldkey, netuid, rng.random() < 0.1)
        S.StakingHotkeys.insert(coldkey, hotkeys)
        if rng.random() < 0.6:
            S.Lock.insert(coldkey, netuid, rng.choice(hotkeys),
                          LockState(locked_mass=rng.randrange(1, 10**12), conviction=0, last_update=1))
        available = lock.available_to_unstake(coldkey, netuid)
        for amount in (1, available, available + 1, rng.randrange(1, 2 * available + 2)):
            for hot in hotkeys:
                alpha = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hot, coldkey, netuid)
                got = lock.covers_unstake(coldkey, netuid, amount, hot, lock.lock_hotkey(coldkey, netuid), alpha)
                assert got == lock.covers_unstake(coldkey, netuid, amount, hot) == (available >= amount)


def test_a_stake_and_an_unstake_move_the_pool_totals_by_the_swap(staking_chain):  # noqa: F811
    """stake_utils.rs `swap_tao_for_alpha` / `swap_alpha_for_tao`: the reserves, outstanding
    alpha, `TotalStake`, `SubnetVolume` (TAO in, then TAO out) and `SubnetTaoFlow` follow the
    swap's result (no block author: no fee swap after the sale)."""
    chain = staking_chain
    hotkey, coldkey = acct(9901), acct(9902)
    netuid = add_dynamic_network(chain, hotkey, acct(9900))
    setup_reserves(chain, netuid, 10**15, 3 * 10**15)
    chain.fund(coldkey, 10**12)

    def totals() -> tuple[int, ...]:
        return (S.SubnetTAO.get(netuid), S.SubnetAlphaIn.get(netuid), S.SubnetAlphaOut.get(netuid), S.TotalStake.get(),
                S.SubnetVolume.get(netuid), S.SubnetTaoFlow.get(netuid))

    before, amount = totals(), 7 * 10**10
    buy = stake_utils.swap().sim_swap_tao_for_alpha(netuid, amount)
    chain.call("add_stake", coldkey, hotkey=hotkey, netuid=netuid, amount_staked=amount)
    assert totals() == (before[0] + buy.amount_paid_in, before[1] - buy.amount_paid_out,
                        before[2] + buy.amount_paid_out, before[3] + amount, before[4] + amount,
                        before[5] + buy.amount_paid_in)
    chain.step_block()
    before = totals()
    alpha = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid) // 3
    sell = stake_utils.swap().sim_swap_alpha_for_tao(netuid, alpha)
    chain.call("remove_stake", coldkey, hotkey=hotkey, netuid=netuid, amount_unstaked=alpha)
    assert totals() == (before[0] - sell.amount_paid_out, before[1] + sell.amount_paid_in,
                        before[2] - sell.amount_paid_in, before[3] - sell.amount_paid_out,
                        before[4] + sell.amount_paid_out, before[5] - sell.amount_paid_out)
