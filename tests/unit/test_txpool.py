"""Transaction pool: queues by tags, ordering, replacement, bans, limits, maintenance and
the status stream, against a fake runtime that models nonces, priorities and mortality.

A transaction of the fake runtime is `who|nonce|priority|birth|period|salt`; it requires
`(who, nonce - 1)` unless its nonce is the account's on-chain nonce, provides `(who,
nonce)`, and when `period` is set it is valid until block `birth + period`.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pysubtensor.node.txpool import (
    AlreadyImported,
    BadFormat,
    ImmediatelyDropped,
    InvalidTransactionError,
    Limit,
    NoTagsProvided,
    PoolError,
    PoolOptions,
    RejectedFutureTransaction,
    TemporarilyBanned,
    TooLowPriority,
    TransactionPool,
    TransactionStatus,
    Unactionable,
    UnknownTransactionError,
    VerificationFailed,
)
from pysubtensor.node.txpool import listener as listener_module
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.transaction_validity import TransactionValidityError, ValidTransaction

MAX_U64 = (1 << 64) - 1
GENESIS = b"\x00" * 32


def tx(who: str, nonce: int, priority: int = 1, *, birth: int = 0, period: int = 0, salt: str = "") -> bytes:
    return f"{who}|{nonce}|{priority}|{birth}|{period}|{salt}".encode()


def tag(who: str, nonce: int) -> bytes:
    return who.encode() + b":" + nonce.to_bytes(4, "little")


def h(encoded: bytes) -> bytes:
    return blake2_256(encoded)


@dataclass
class Chain:
    """The fake runtime: per-block account nonces; blocks apply transactions in order."""

    states: dict[bytes, dict[str, int]] = field(default_factory=lambda: {GENESIS: {}})
    numbers: dict[bytes, int] = field(default_factory=lambda: {GENESIS: 0})
    best: bytes = GENESIS
    invalid: dict[bytes, TransactionValidityError] = field(default_factory=dict)
    no_provides: set[bytes] = field(default_factory=set)
    changed: dict[bytes, dict] = field(default_factory=dict)  # validity fields that changed since
    parents: dict[bytes, bytes] = field(default_factory=dict)
    calls: int = 0

    def validate(self, source: str, encoded: bytes, at: bytes) -> ValidTransaction:
        self.calls += 1
        if encoded in self.invalid:
            raise self.invalid[encoded]
        if encoded.startswith(b"!"):
            raise BadFormat("Could not decode `Call`")
        if encoded.startswith(b"?"):
            raise RuntimeError("wasm trap: unreachable")
        who, nonce, priority, birth, period, _ = encoded.decode().split("|")
        nonce, priority, birth, period = int(nonce), int(priority), int(birth), int(period)
        number, onchain = self.numbers[at], self.states[at].get(who, 0)
        if nonce < onchain:
            raise TransactionValidityError.invalid("Stale")
        if period and number >= birth + period:
            raise TransactionValidityError.invalid("AncientBirthBlock")
        return dataclasses.replace(ValidTransaction(
            priority=priority,
            requires=[tag(who, nonce - 1)] if nonce > onchain else [],
            provides=[] if encoded in self.no_provides else [tag(who, nonce)],
            longevity=birth + period - number if period else MAX_U64,
        ), **self.changed.get(encoded, {}))

    def build(self, body: list[bytes], parent: bytes | None = None) -> tuple[bytes, int, int]:
        """A block on `parent` (default best) applying `body`; returns hash, number, applied."""
        parent = self.best if parent is None else parent
        state = dict(self.states[parent])
        applied = 0
        for encoded in body:
            who, nonce = encoded.decode().split("|")[:2]
            if int(nonce) == state.get(who, 0):
                state[who] = int(nonce) + 1
                applied += 1
        number = self.numbers[parent] + 1
        block_hash = blake2_256(parent + number.to_bytes(4, "little") + b"".join(body))
        self.states[block_hash], self.numbers[block_hash] = state, number
        self.parents[block_hash] = parent
        if number > self.numbers[self.best]:
            self.best = block_hash
        return block_hash, number, applied


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def new_pool(chain: Chain, **options) -> tuple[TransactionPool, Clock]:
    clock = Clock()
    pool = TransactionPool(
        chain.validate, best_hash=chain.best, best_number=chain.numbers[chain.best],
        options=PoolOptions(**options), clock=clock,
    )
    return pool, clock


def author(pool: TransactionPool, chain: Chain, count: int | None = None, extra: tuple[bytes, ...] = ()):
    """Build the next block from the pool's ready transactions, in order, and import it."""
    body = [t.data for t in pool.ready()][:count] + list(extra)
    block_hash, number, applied = chain.build(body)
    assert applied == len(body), "ready() order must apply cleanly"
    pool.on_block_imported(block_hash, number, body)
    return block_hash, number


def kinds(watcher) -> list:
    return [s.to_json() for s in watcher.drain()]


def order(pool: TransactionPool) -> list[bytes]:
    return [t.data for t in pool.ready()]


# -- submission and errors ---------------------------------------------------------------


def test_submit_returns_blake2_hash_and_is_pending():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0 = tx("alice", 0)
    assert pool.submit(a0) == h(a0)
    assert h(a0) in pool and pool.is_ready(h(a0))
    assert pool.pending() == [a0]
    status = pool.status()
    assert (status.ready, status.ready_bytes, status.future, status.future_bytes) == (1, len(a0), 0, 0)
    assert pool.ready_count == 1 and pool.future_count == 0


def test_already_imported_then_temporarily_banned():
    # Substrate bans the hash of a refused re-submission, so a third attempt gets 1012.
    chain = Chain()
    pool, _ = new_pool(chain)
    a0 = tx("alice", 0)
    pool.submit(a0)
    with pytest.raises(AlreadyImported) as err:
        pool.submit(a0)
    assert err.value.to_rpc() == {"code": 1013, "message": "Transaction Already Imported", "data": "Any { .. }"}
    with pytest.raises(TemporarilyBanned) as err:
        pool.submit(a0)
    assert err.value.to_rpc() == {"code": 1012, "message": "Transaction is temporarily banned"}
    assert pool.ready_count == 1


def test_invalid_is_rejected_synchronously_and_banned():
    chain = Chain()
    chain.states[GENESIS] = {"alice": 1}
    pool, _ = new_pool(chain)
    stale = tx("alice", 0)
    with pytest.raises(InvalidTransactionError) as err:
        pool.submit(stale)
    assert err.value.to_rpc() == {"code": 1010, "message": "Invalid Transaction", "data": "Transaction is outdated"}
    assert stale not in pool.pending() and pool.status().is_empty
    with pytest.raises(TemporarilyBanned):
        pool.submit(stale)

    custom = tx("bob", 0)
    chain.invalid[custom] = TransactionValidityError.invalid("Custom", 7)
    with pytest.raises(InvalidTransactionError) as err:
        pool.submit_and_watch(custom)
    assert err.value.data == "Custom error: 7"
    assert pool.is_banned(h(custom))


def test_unknown_validity_is_1011_and_not_banned():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0 = tx("alice", 0)
    chain.invalid[a0] = TransactionValidityError.unknown("CannotLookup")
    for _ in range(2):
        with pytest.raises(UnknownTransactionError) as err:
            pool.submit(a0)
        assert err.value.to_rpc() == {"code": 1011, "message": "Unknown Transaction Validity", "data": "CannotLookup"}
    assert not pool.is_banned(h(a0))
    chain.invalid[a0] = TransactionValidityError.unknown("Custom", 3)
    with pytest.raises(UnknownTransactionError) as err:
        pool.submit(a0)
    assert err.value.data == "Custom(3)"


def test_undecodable_runtime_failure_and_no_tags():
    chain = Chain()
    pool, _ = new_pool(chain)
    with pytest.raises(BadFormat) as err:
        pool.submit(b"!garbage")
    assert err.value.to_rpc() == {"code": 1001, "message": "Extrinsic has invalid format: Could not decode `Call`"}
    with pytest.raises(VerificationFailed) as err:
        pool.submit(b"?trap")
    assert err.value.code == 1002 and err.value.message.startswith("Verification Error: RuntimeError")
    a0 = tx("alice", 0)
    chain.no_provides.add(a0)
    with pytest.raises(NoTagsProvided) as err:
        pool.submit(a0)
    assert err.value.code == 1019
    assert pool.status().is_empty


def test_reject_future_and_unactionable_options():
    chain = Chain()
    pool, _ = new_pool(chain, reject_future_transactions=True)
    with pytest.raises(RejectedFutureTransaction) as err:
        pool.submit(tx("alice", 1))
    assert err.value.code == 1021
    pool.submit(tx("alice", 0))

    class NoPropagate(Chain):
        def validate(self, source, encoded, at):
            validity = super().validate(source, encoded, at)
            validity.propagate = False
            return validity

    chain = NoPropagate()
    pool, _ = new_pool(chain, is_validator=False)
    with pytest.raises(Unactionable) as err:
        pool.submit(tx("alice", 0))
    assert err.value.code == 1018


def test_cli_options_match_substrate():
    options = PoolOptions.from_cli()
    assert options.ready == Limit(8192, 20 * 1024 * 1024)
    assert options.future == Limit(819, 2 * 1024 * 1024)
    assert options.ban_time == 1800
    assert PoolOptions.from_cli(is_dev=True).ban_time == 0
    assert PoolOptions.from_cli(is_dev=True, tx_ban_seconds=5).ban_time == 5
    # The node bounds revalidation per block (the library default revalidates everything).
    assert options.revalidation_limit == 256
    assert dataclasses.replace(options, revalidation_limit=None) == PoolOptions()


# -- ordering ----------------------------------------------------------------------------


def test_ready_order_priority_then_dependencies():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0, a1 = tx("alice", 0, 1), tx("alice", 1, 10)
    b0, c0 = tx("bob", 0, 5), tx("charlie", 0, 3)
    for x in (a1, a0, b0, c0):
        pool.submit(x)
    # a1 (priority 10) still waits for a0, the lowest root.
    assert order(pool) == [b0, c0, a0, a1]


def test_ready_order_ties_shorter_longevity_then_older():
    chain = Chain()
    pool, _ = new_pool(chain)
    old, new = tx("alice", 0, 2), tx("bob", 0, 2)
    mortal = tx("charlie", 0, 2, period=8)
    for x in (old, new, mortal):
        pool.submit(x)
    assert order(pool) == [mortal, old, new]


def test_best_iterator_skips_dependants_of_reported_invalid():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0, a1, a2, b0 = tx("alice", 0, 5), tx("alice", 1, 5), tx("alice", 2, 5), tx("bob", 0, 1)
    for x in (a0, a1, a2, b0):
        pool.submit(x)
    it = pool.iter_ready()
    first = next(it)
    assert first.data == a0
    it.report_invalid(first)
    assert [t.data for t in it] == [b0]
    assert pool.ready_count == 4  # reporting does not touch the pool


# -- replacement -------------------------------------------------------------------------


def test_replacement_needs_strictly_higher_priority():
    chain = Chain()
    pool, _ = new_pool(chain)
    old = tx("alice", 0, 5)
    watcher = pool.submit_and_watch(old)
    for priority in (5, 4):
        with pytest.raises(TooLowPriority) as err:
            pool.submit(tx("alice", 0, priority, salt="x"))
        assert err.value.to_rpc() == {
            "code": 1014,
            "message": f"Priority is too low: (5 vs {priority})",
            "data": "The transaction has too low priority to replace another transaction already in the pool.",
        }
    assert pool.pending() == [old]
    new = tx("alice", 0, 6, salt="x")
    pool.submit(new)
    assert pool.pending() == [new] and old not in pool.pending()
    assert kinds(watcher) == ["ready", {"usurped": "0x" + h(new).hex()}]
    assert watcher.done


def test_replacement_keeps_dependants_when_tags_are_reprovided():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0, a1 = tx("alice", 0, 1), tx("alice", 1, 1)
    pool.submit(a0)
    watch_a1 = pool.submit_and_watch(a1)
    better = tx("alice", 0, 9, salt="fee")
    pool.submit(better)
    assert order(pool) == [better, a1]
    assert kinds(watch_a1) == ["ready"]


# -- future queue ------------------------------------------------------------------------


def test_nonce_gap_waits_in_future_then_becomes_ready():
    chain = Chain()
    pool, _ = new_pool(chain)
    a2 = tx("alice", 2)
    watcher = pool.submit_and_watch(a2)
    assert pool.is_future(h(a2)) and pool.missing_tags(h(a2)) == {tag("alice", 1)}
    pool.submit(tx("alice", 0))
    assert pool.is_future(h(a2))
    pool.submit(tx("alice", 1))
    assert pool.is_ready(h(a2)) and pool.future_count == 0
    assert kinds(watcher) == ["future", "ready"]
    assert order(pool) == [tx("alice", 0), tx("alice", 1), a2]


def test_block_fills_the_gap_on_chain():
    chain = Chain()
    pool, _ = new_pool(chain)
    a1 = tx("alice", 1)
    watcher = pool.submit_and_watch(a1)
    # alice's nonce 0 is used by a transaction the pool never saw.
    author(pool, chain, extra=(tx("alice", 0, salt="elsewhere"),))
    assert pool.is_ready(h(a1))
    assert kinds(watcher) == ["future", "ready"]


def test_foreign_inclusion_prunes_same_nonce_and_keeps_dependant():
    chain = Chain()
    pool, _ = new_pool(chain)
    ours, next_one = tx("alice", 0), tx("alice", 1)
    watch_ours = pool.submit_and_watch(ours)
    watch_next = pool.submit_and_watch(next_one)
    block, _ = author(pool, chain, count=0, extra=(tx("alice", 0, salt="other"),))
    # Substrate learns the foreign tag at the parent, prunes ours (now stale: reported as
    # included) and keeps the dependant, which is ready on its own now.
    assert ours not in pool.pending() and pool.pending() == [next_one]
    assert kinds(watch_ours) == ["ready", {"inBlock": "0x" + block.hex()}]
    assert kinds(watch_next) == ["ready"]


# -- maintenance -------------------------------------------------------------------------


def test_included_transactions_leave_and_are_banned():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0, a1, b0 = tx("alice", 0), tx("alice", 1), tx("bob", 0)
    for x in (a0, a1, b0):
        pool.submit(x)
    assert order(pool) == [a0, a1, b0]  # equal priority: a1 was inserted before b0
    author(pool, chain, count=2)
    assert pool.pending() == [b0]
    for included in (a0, a1):
        with pytest.raises(TemporarilyBanned):
            pool.submit(included)


def test_dev_ban_time_lifts_at_the_next_block():
    chain = Chain()
    pool, clock = new_pool(chain, ban_time=0.0)
    a0 = tx("alice", 0)
    pool.submit(a0)
    with pytest.raises(AlreadyImported):
        pool.submit(a0)
    with pytest.raises(TemporarilyBanned):
        pool.submit(a0)
    clock.now += 0.01
    author(pool, chain)
    with pytest.raises(InvalidTransactionError) as err:  # unbanned: now it is simply stale
        pool.submit(a0)
    assert err.value.data == "Transaction is outdated"


def test_ban_lasts_ban_time_measured_by_the_clock():
    chain = Chain()
    pool, clock = new_pool(chain, ban_time=60.0)
    bad = tx("alice", 0)
    chain.invalid[bad] = TransactionValidityError.invalid("Payment")
    with pytest.raises(InvalidTransactionError):
        pool.submit(bad)  # banned until 1060
    del chain.invalid[bad]
    clock.now += 30
    author(pool, chain)
    with pytest.raises(TemporarilyBanned):  # a refused attempt renews the ban (Substrate): 1090
        pool.submit(bad)
    clock.now += 45
    author(pool, chain)
    assert pool.is_banned(h(bad))
    clock.now += 16
    assert pool.is_banned(h(bad))  # lifted at the next maintenance only, as in Substrate
    author(pool, chain)
    assert not pool.is_banned(h(bad))
    assert pool.submit(bad) == h(bad)


def test_mortal_transaction_expires():
    chain = Chain()
    pool, _ = new_pool(chain)
    mortal = tx("alice", 5, period=2)  # waits for a gap that is never filled
    immortal = tx("bob", 1)
    watch_mortal = pool.submit_and_watch(mortal)
    pool.submit(immortal)
    assert pool.get(h(mortal)).valid_till == 2
    author(pool, chain)
    assert h(mortal) in pool
    author(pool, chain)
    assert h(mortal) not in pool and h(immortal) in pool
    assert kinds(watch_mortal) == ["future", "invalid"]
    assert pool.is_banned(h(mortal))


def test_revalidation_removes_what_became_invalid_with_dependants():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0, a1, b0 = tx("alice", 0), tx("alice", 1), tx("bob", 0)
    watchers = [pool.submit_and_watch(x) for x in (a0, a1, b0)]
    chain.invalid[a0] = TransactionValidityError.invalid("Payment")
    calls = chain.calls
    author(pool, chain, count=0)
    assert chain.calls - calls >= 3  # every transaction was revalidated
    assert pool.pending() == [b0]
    assert [kinds(w) for w in watchers] == [["ready", "invalid"], ["ready", "invalid"], ["ready"]]
    assert pool.is_banned(h(a0)) and not pool.is_banned(h(a1))


def test_revalidation_unknown_keeps_the_transaction():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0 = tx("alice", 0)
    pool.submit(a0)
    chain.invalid[a0] = TransactionValidityError.unknown("CannotLookup")
    author(pool, chain, count=0)
    assert pool.pending() == [a0]


def test_revalidation_limit_rotates():
    chain = Chain()
    pool, _ = new_pool(chain, revalidation_limit=1)
    a0, b0 = tx("alice", 0), tx("bob", 0)
    pool.submit(a0)
    pool.submit(b0)
    calls = chain.calls
    author(pool, chain, count=0)
    assert chain.calls - calls == 1


def test_remove_extrinsic_removes_dependants_and_bans():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0, a1 = tx("alice", 0), tx("alice", 1)
    w0, w1 = pool.submit_and_watch(a0), pool.submit_and_watch(a1)
    assert set(pool.remove([h(a0)])) == {h(a0), h(a1)}
    assert pool.status().is_empty
    assert kinds(w0) == ["ready", "invalid"] and kinds(w1) == ["ready", "invalid"]
    assert pool.is_banned(h(a0)) and not pool.is_banned(h(a1))
    assert pool.remove([b"\x01" * 32]) == []


def test_adjust_nonce_counts_ready_chain():
    chain = Chain()
    pool, _ = new_pool(chain)
    for x in (tx("alice", 0), tx("alice", 1), tx("alice", 3), tx("bob", 0)):
        pool.submit(x)
    assert pool.adjust_nonce(lambda n: tag("alice", n), 0) == 2
    assert pool.adjust_nonce(lambda n: tag("bob", n), 0) == 1
    assert pool.adjust_nonce(lambda n: tag("carol", n), 4) == 4


# -- limits ------------------------------------------------------------------------------


def test_ready_limit_evicts_lowest_priority():
    chain = Chain()
    pool, _ = new_pool(chain, ready=Limit(3, 1 << 20))
    watchers = {p: pool.submit_and_watch(tx(f"acct{p}", 0, p)) for p in (2, 1, 3)}
    pool.submit(tx("acct5", 0, 5))
    assert pool.ready_count == 3 and h(tx("acct1", 0, 1)) not in pool
    assert kinds(watchers[1]) == ["ready", "dropped"]
    assert pool.is_banned(h(tx("acct1", 0, 1)))
    with pytest.raises(ImmediatelyDropped) as err:
        pool.submit(tx("acct0", 0, 0))
    assert err.value.to_rpc()["code"] == 1016
    assert pool.ready_count == 3


def test_a_full_pool_refuses_a_transaction_no_better_than_its_worst():
    # As the fork-aware pool's mempool (`try_insert`): a newcomer of equal priority does not
    # push out what was accepted before it; it is refused with 1016 and nothing changes.
    chain = Chain()
    pool, _ = new_pool(chain, ready=Limit(2, 1 << 20))
    first, second, third = tx("a", 0), tx("b", 0), tx("c", 0)
    watchers = [pool.submit_and_watch(x) for x in (first, second)]
    with pytest.raises(ImmediatelyDropped) as err:
        pool.submit(third)
    assert err.value.to_rpc() == {"code": 1016, "message": "Immediately Dropped",
                                  "data": "The transaction couldn't enter the pool because of the limit"}
    assert pool.pending() == [first, second] and h(third) not in pool
    assert [kinds(w) for w in watchers] == [["ready"], ["ready"]]
    # A dependant of a full queue's member is refused too; the sender's chain stays whole.
    with pytest.raises(ImmediatelyDropped):
        pool.submit(tx("a", 1))
    assert pool.pending() == [first, second]


def test_a_better_transaction_evicts_the_worst_with_its_dependants_reported_dropped():
    chain = Chain()
    pool, _ = new_pool(chain, ready=Limit(3, 1 << 20))
    low0, low1, mid = tx("low", 0, 1), tx("low", 1, 3), tx("mid", 0, 2)
    watchers = {x: pool.submit_and_watch(x) for x in (low0, low1, mid)}
    pool.submit(tx("hi", 0, 5))  # one place needed: the worst (low0) goes, and low1, built on it
    assert set(pool.pending()) == {mid, tx("hi", 0, 5)}
    assert kinds(watchers[low0]) == ["ready", "dropped"] and kinds(watchers[low1]) == ["ready", "dropped"]
    assert kinds(watchers[mid]) == ["ready"]
    pool.submit(tx("more", 0, 3))  # room left by the subtree
    with pytest.raises(ImmediatelyDropped):  # equal to the worst now (mid, 2): refused
        pool.submit(tx("other", 0, 2))
    assert set(pool.pending()) == {mid, tx("hi", 0, 5), tx("more", 0, 3)}


def test_worst_is_lowest_priority_then_newest_and_survives_removals():
    chain = Chain()
    pool, _ = new_pool(chain, ready=Limit(100, 1 << 20))
    for who, p in (("a", 3), ("b", 1), ("c", 1), ("d", 2)):
        pool.submit(tx(who, 0, p))
    ready = pool._pool.ready
    assert ready.worst().hash == h(tx("c", 0, 1))
    assert [t.hash for t in ready.worst_first()] == [h(tx(w, 0, p)) for w, p in (("c", 1), ("b", 1), ("d", 2),
                                                                                  ("a", 3))]
    pool.remove([h(tx("c", 0, 1))])
    assert ready.worst().hash == h(tx("b", 0, 1))


def test_byte_limit_and_future_limit():
    chain = Chain()
    a0, b0 = tx("alice", 0), tx("bob", 0)
    pool, _ = new_pool(chain, ready=Limit(100, len(a0) + len(b0)))
    pool.submit(a0)
    pool.submit(b0)
    with pytest.raises(ImmediatelyDropped):  # the lowest priority is the newcomer's
        pool.submit(tx("carol", 0, 0))
    with pytest.raises(ImmediatelyDropped):  # equal priority: refused, the accepted stay
        pool.submit(tx("dave", 0))
    # Better: the newest of the worst goes (bob's, 12 bytes), not room enough for erin's 14
    # bytes, so alice's goes too.
    pool.submit(tx("erin", 0, 2))
    assert pool.pending() == [tx("erin", 0, 2)]

    pool, _ = new_pool(chain, future=Limit(2, 1 << 20))
    gaps = [tx(who, 3) for who in ("a", "b", "c")]
    watchers = [pool.submit_and_watch(x) for x in gaps[:2]]
    with pytest.raises(ImmediatelyDropped):
        pool.submit_and_watch(gaps[2])
    assert pool.future_count == 2 and h(gaps[2]) not in pool
    pool.submit(tx("d", 3, 9))  # a better future takes the oldest future's place
    assert h(gaps[0]) not in pool and kinds(watchers[0]) == ["future", "dropped"]
    assert kinds(watchers[1]) == ["future"]


def test_a_pool_full_in_both_queues_refuses_before_validating():
    chain = Chain()
    pool, _ = new_pool(chain, ready=Limit(1, 1 << 20), future=Limit(1, 1 << 20))
    pool.submit(tx("a", 0))
    pool.submit(tx("b", 1))  # a future
    calls = chain.calls
    for submit in (pool.submit, pool.submit_and_watch):
        with pytest.raises(ImmediatelyDropped):
            submit(tx("c", 0, 9))
    assert isinstance(pool.submit_many([tx("d", 0, 9)])[0], ImmediatelyDropped)
    assert chain.calls == calls  # no runtime call for a submission there is no room for
    assert not pool.is_banned(h(tx("c", 0, 9)))  # refused for room, not banned: it may come back


def test_promotions_over_the_limit_stay_and_the_pool_refuses_until_it_drains():
    # A transaction that unlocks futures may take the ready queue over its limit after
    # admission: the promoted stay (they were accepted; evicting them would lose them
    # silently for a sender that does not watch); new submissions are refused meanwhile.
    chain = Chain()
    pool, _ = new_pool(chain, ready=Limit(2, 1 << 20))
    w1, w2 = pool.submit_and_watch(tx("a", 1)), pool.submit_and_watch(tx("a", 2))
    pool.submit(tx("a", 0))  # admitted (ready had room); it promotes a1 and a2: one over
    assert pool.pending() == [tx("a", 0), tx("a", 1), tx("a", 2)]
    assert kinds(w1) == ["future", "ready"] and kinds(w2) == ["future", "ready"]
    with pytest.raises(ImmediatelyDropped):
        pool.submit(tx("b", 0))
    author(pool, chain, count=2)
    pool.submit(tx("b", 0))  # under the limit again


def test_stale_transactions_leave_without_a_scan_of_the_pool():
    chain = Chain()
    pool, _ = new_pool(chain, revalidation_limit=0)  # expiry alone, not revalidation, removes it
    mortal = pool.submit_and_watch(tx("m", 0, birth=0, period=2))
    for who in "abcdefgh":
        pool.submit(tx(who, 0))
    author(pool, chain, count=0)
    assert h(tx("m", 0, birth=0, period=2)) in pool
    author(pool, chain, count=0)  # block 2: valid till 2, gone
    assert h(tx("m", 0, birth=0, period=2)) not in pool and kinds(mortal) == ["ready", "invalid"]
    assert pool.ready_count == 8
    assert len(pool._expiry) <= 2 * 8 + 1024


def test_ban_expiry_visits_only_expired_bans():
    from pysubtensor.node.txpool.rotator import PoolRotator

    clock = Clock()
    rotator = PoolRotator(10.0, clock)
    rotator.ban([b"1", b"2"])
    clock.now += 5
    rotator.ban([b"3", b"1"])  # a re-ban moves to the end
    clock.now += 6
    rotator.clear_timeouts()
    assert [rotator.is_banned(x) for x in (b"1", b"2", b"3")] == [True, False, True]
    clock.now += 10
    rotator.clear_timeouts()
    assert len(rotator) == 0


def test_revalidation_stops_at_the_deadline():
    chain = Chain()
    pool, _ = new_pool(chain)
    for who in "abc":
        pool.submit(tx(who, 0))
    block_hash, number, _ = chain.build([])
    calls = chain.calls
    pool.on_block_imported(block_hash, number, [], revalidate_until=0.0)  # no time left
    assert chain.calls == calls
    block_hash, number, _ = chain.build([])
    pool.on_block_imported(block_hash, number, [], revalidate_until=None)
    assert chain.calls - calls == 3


# -- status stream -----------------------------------------------------------------------


def test_stream_ready_in_block_finalized_then_ends():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0 = tx("alice", 0)
    watcher = pool.submit_and_watch(a0)
    block, _ = author(pool, chain)
    pool.on_block_finalized(block)

    async def collect():
        return [s.to_json() async for s in watcher]

    assert asyncio.run(collect()) == ["ready", {"inBlock": "0x" + block.hex()}, {"finalized": "0x" + block.hex()}]
    assert watcher.done


def test_stream_waits_for_events_asynchronously():
    chain = Chain()
    pool, _ = new_pool(chain)

    async def scenario():
        watcher = pool.submit_and_watch(tx("alice", 0))
        seen = []

        async def consume():
            async for status in watcher:
                seen.append(status.kind)

        task = asyncio.create_task(consume())
        await asyncio.sleep(0)
        assert seen == ["ready"]
        block, _ = author(pool, chain)
        await asyncio.sleep(0)
        assert seen == ["ready", "inBlock"]
        pool.on_block_finalized(block)
        await asyncio.wait_for(task, 1)
        return seen

    assert asyncio.run(scenario()) == ["ready", "inBlock", "finalized"]


def test_in_block_index_and_finalizing_a_descendant_finalizes_ancestors():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0, b0 = tx("alice", 0, 2), tx("bob", 0, 1)
    wa, wb = pool.submit_and_watch(a0), pool.submit_and_watch(b0)
    first, _ = author(pool, chain, count=1)
    second, _ = author(pool, chain, count=1)
    author(pool, chain)
    pool.on_block_finalized(chain.best)
    sa, sb = wa.drain(), wb.drain()
    assert [s.kind for s in sa] == ["ready", "inBlock", "finalized"]
    assert sa[1] == TransactionStatus.in_block(first, 0) and sa[2] == TransactionStatus.finalized(first, 0)
    assert sb[1:] == [TransactionStatus.in_block(second, 0), TransactionStatus.finalized(second, 0)]


def test_retracted_block_resubmits_its_transactions():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0 = tx("alice", 0)
    watcher = pool.submit_and_watch(a0)
    block_a, _ = author(pool, chain)
    assert pool.status().is_empty
    # A longer fork from genesis without the transaction becomes best.
    fork1, n1, _ = chain.build([], parent=GENESIS)
    fork2, n2, _ = chain.build([], parent=fork1)
    pool.on_block_retracted(block_a)
    pool.on_block_imported(fork1, n1, [], resubmit_retracted=False)
    assert h(a0) not in pool
    pool.on_block_imported(fork2, n2, [])
    assert pool.pending() == [a0]
    block_c, _ = author(pool, chain)
    pool.on_block_finalized(block_c)
    assert kinds(watcher) == [
        "ready",
        {"inBlock": "0x" + block_a.hex()},
        {"retracted": "0x" + block_a.hex()},
        "ready",
        {"inBlock": "0x" + block_c.hex()},
        {"finalized": "0x" + block_c.hex()},
    ]


def test_retracted_transaction_included_by_the_new_chain_is_not_resubmitted():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0 = tx("alice", 0)
    watcher = pool.submit_and_watch(a0)
    block_a, _ = author(pool, chain)
    fork1, n1, _ = chain.build([], parent=GENESIS)
    fork2, n2, _ = chain.build([a0], parent=fork1)
    pool.on_block_retracted(block_a)
    pool.on_block_imported(fork1, n1, [], resubmit_retracted=False)
    pool.on_block_imported(fork2, n2, [a0])
    assert pool.status().is_empty
    assert kinds(watcher) == [
        "ready",
        {"inBlock": "0x" + block_a.hex()},
        {"retracted": "0x" + block_a.hex()},
        {"inBlock": "0x" + fork2.hex()},
    ]


def test_finality_timeout(monkeypatch):
    monkeypatch.setattr(listener_module, "MAX_FINALITY_WATCHERS", 2)
    chain = Chain()
    pool, _ = new_pool(chain)
    watchers = []
    blocks = []
    for n in range(3):
        watchers.append(pool.submit_and_watch(tx("alice", n)))
        blocks.append(author(pool, chain)[0])
    assert kinds(watchers[0])[-1] == {"finalityTimeout": "0x" + blocks[0].hex()}
    assert watchers[0].done and not watchers[1].done
    pool.on_block_finalized(blocks[2])
    assert kinds(watchers[1])[-1] == {"finalized": "0x" + blocks[1].hex()}


def test_close_stops_the_stream_and_callbacks_see_every_status():
    chain = Chain()
    pool, _ = new_pool(chain)
    seen, everything = [], []
    remove = pool.add_status_listener(lambda tx_hash, status: everything.append((tx_hash, status.kind)))
    imported = []
    pool.add_import_listener(imported.append)
    a1, a0 = tx("alice", 1), tx("alice", 0)
    watcher = pool.submit_and_watch(a1, callback=lambda s: seen.append(s.kind))
    pool.submit(a0)
    assert seen == ["future", "ready"] and imported == [h(a0)]
    watcher.close()
    author(pool, chain)
    assert seen == ["future", "ready"] and watcher.drain() == [] and watcher.done
    assert (h(a1), "inBlock") in everything
    remove()
    assert asyncio.run(_anext_or_none(watcher)) is None


def test_import_listeners_hear_of_every_transaction_that_becomes_ready():
    # Instant sealing waits for these: a future transaction made ready by a block, or by a
    # revalidation that runs after the block (the node's validation worker answers later),
    # must wake it, or the chain waits for the next submission.
    chain = Chain()
    pool, _ = new_pool(chain)
    imported = []
    pool.add_import_listener(imported.append)
    a1, b1 = tx("alice", 1), tx("bob", 1)
    pool.submit(a1)
    pool.submit(b1)
    assert imported == [] and pool.future_count == 2
    author(pool, chain, count=0, extra=(tx("alice", 0, salt="foreign"),))  # a0 on chain: a1 promoted
    assert imported == [h(a1)] and pool.is_ready(h(a1))
    chain.changed[b1] = {"requires": []}
    author(pool, chain, count=0)  # revalidated: b1 requires nothing now
    assert imported == [h(a1), h(b1)] and pool.is_ready(h(b1))


async def _anext_or_none(watcher):
    async for status in watcher:
        return status
    return None


def test_watch_existing_transaction():
    chain = Chain()
    pool, _ = new_pool(chain)
    a0 = tx("alice", 0)
    pool.submit(a0)
    watcher = pool.watch(h(a0))
    author(pool, chain)
    assert [s.kind for s in watcher.drain()] == ["inBlock"]
    with pytest.raises(LookupError):
        pool.watch(b"\x02" * 32)


def test_status_json_shapes_and_finality():
    block = b"\xab" * 32
    hexed = "0x" + block.hex()
    assert TransactionStatus.future().to_json() == "future"
    assert TransactionStatus.ready().to_json() == "ready"
    assert TransactionStatus.dropped().to_json() == "dropped"
    assert TransactionStatus.invalid().to_json() == "invalid"
    assert TransactionStatus.broadcast(["peer"]).to_json() == {"broadcast": ["peer"]}
    assert TransactionStatus.in_block(block, 3).to_json() == {"inBlock": hexed}
    assert TransactionStatus.retracted(block).to_json() == {"retracted": hexed}
    assert TransactionStatus.finality_timeout(block).to_json() == {"finalityTimeout": hexed}
    assert TransactionStatus.finalized(block, 3).to_json() == {"finalized": hexed}
    assert TransactionStatus.usurped(block).to_json() == {"usurped": hexed}
    finals = {s.kind for s in (
        TransactionStatus.finalized(block, 0), TransactionStatus.finality_timeout(block),
        TransactionStatus.usurped(block), TransactionStatus.dropped(), TransactionStatus.invalid(),
    ) if s.is_final}
    assert finals == {"finalized", "finalityTimeout", "usurped", "dropped", "invalid"}
    assert not any(s.is_final for s in (
        TransactionStatus.future(), TransactionStatus.ready(), TransactionStatus.in_block(block, 0),
        TransactionStatus.retracted(block), TransactionStatus.broadcast([]),
    ))
    with pytest.raises(ValueError):
        TransactionStatus("inBlock")


def test_every_pool_error_has_an_rpc_code():
    errors = [
        AlreadyImported(b"\x00"), TemporarilyBanned(), TooLowPriority(1, 1), ImmediatelyDropped(),
        InvalidTransactionError("Payment"), UnknownTransactionError("NoUnsignedValidator"),
        NoTagsProvided(), RejectedFutureTransaction(), Unactionable(), BadFormat("x"), VerificationFailed("y"),
    ]
    codes = sorted(e.to_rpc()["code"] for e in errors)
    assert codes == [1001, 1002, 1010, 1011, 1012, 1013, 1014, 1016, 1018, 1019, 1021]
    assert all(isinstance(e, PoolError) for e in errors)
    assert InvalidTransactionError("Payment").data == "Inability to pay some fees (e.g. account balance too low)"


# -- invariants under random use ---------------------------------------------------------

ACCOUNTS = ("a", "b", "c")
_ops = st.one_of(
    st.tuples(st.just("submit"), st.sampled_from(ACCOUNTS), st.integers(0, 4), st.integers(0, 3), st.integers(0, 1)),
    st.tuples(st.just("block"), st.integers(0, 3)),
    st.tuples(st.just("foreign"), st.sampled_from(ACCOUNTS)),
    st.tuples(st.just("remove"), st.integers(0, 8)),
    st.tuples(st.just("finalize")),
    st.tuples(st.just("reorg"), st.integers(0, 2)),
)


def _check_invariants(pool: TransactionPool, chain: Chain, watchers: dict[bytes, list]) -> None:
    ready, futures = pool.ready(), pool.futures()
    ready_hashes = [t.hash for t in ready]
    future_hashes = {t.hash for t in futures}
    assert not set(ready_hashes) & future_hashes
    assert len(set(ready_hashes)) == len(ready_hashes) == pool.ready_count
    status = pool.status()
    assert status.ready_bytes == sum(t.bytes for t in ready)
    assert status.future_bytes == sum(t.bytes for t in futures)
    assert status.future == len(futures)

    onchain = chain.states[chain.best]

    def on_chain(required: bytes) -> bool:
        who, nonce = required.split(b":")
        return onchain.get(who.decode(), 0) > int.from_bytes(nonce, "little")

    provided: set[bytes] = set()
    for t in ready:  # ready order respects dependencies
        assert all(r in provided or on_chain(r) for r in t.requires), t
        assert not provided & set(t.provides), "two ready transactions provide one tag"
        provided.update(t.provides)
    for t in futures:
        assert any(r not in provided and not on_chain(r) for r in t.requires), t

    for tx_hash, history in watchers.items():
        for statuses in history:
            finals = [i for i, s in enumerate(statuses) if s.is_final]
            assert not finals or finals[0] == len(statuses) - 1, statuses
        last = history[-1][-1].kind if history[-1] else None
        if tx_hash in future_hashes:
            assert last == "future"
        elif tx_hash in ready_hashes:
            assert last == "ready"
        else:
            assert last in {"inBlock", "finalized", "usurped", "dropped", "invalid", "finalityTimeout"}, last


def _is_parent(chain: Chain, parent: bytes, child: bytes) -> bool:
    return chain.parents.get(child) == parent


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ops, max_size=30))
def test_random_sequences_keep_invariants(ops):
    chain = Chain()
    pool, clock = new_pool(chain, ready=Limit(6, 1 << 20), future=Limit(4, 1 << 20))
    watchers: dict[bytes, list[list[TransactionStatus]]] = {}
    finalized = 0
    for op in ops:
        clock.now += 1
        if op[0] == "submit":
            _, who, nonce, priority, salt = op
            encoded = tx(who, nonce, priority, salt=str(salt))
            record: list[TransactionStatus] = []
            try:
                pool.submit_and_watch(encoded, callback=record.append)
            except (AlreadyImported, TemporarilyBanned):
                pass  # the same bytes may well be in the pool
            except PoolError:
                assert h(encoded) not in pool
            else:
                watchers.setdefault(h(encoded), []).append(record)
        elif op[0] == "block":
            author(pool, chain, count=op[1])
        elif op[0] == "foreign":
            who = op[1]
            nonce = chain.states[chain.best].get(who, 0)
            author(pool, chain, count=0, extra=(tx(who, nonce, salt="foreign"),))
        elif op[0] == "remove":
            everything = pool.ready() + pool.futures()
            if everything:
                pool.remove([everything[op[1] % len(everything)].hash])
        elif op[0] == "reorg":
            # The best block is replaced by a longer fork from its parent, which includes
            # the first `op[1]` ready transactions in its second block.
            best, number = chain.best, chain.numbers[chain.best]
            if number <= finalized:
                continue
            parent = next(b for b, n in chain.numbers.items() if n == number - 1 and _is_parent(chain, b, best))
            pool.on_block_retracted(best)
            fork1, n1, _ = chain.build([], parent=parent)
            pool.on_block_imported(fork1, n1, [], resubmit_retracted=False)
            fork2, n2, _ = chain.build([], parent=fork1)
            pool.on_block_imported(fork2, n2, [])
            author(pool, chain, count=op[1])
        else:
            pool.on_block_finalized(chain.best)
            finalized = chain.numbers[chain.best]
        _check_invariants(pool, chain, watchers)


# -- a burst: nothing accepted is lost ---------------------------------------------------


def test_a_later_submission_does_not_evict_what_promotions_took_over_the_limit():
    # The 20,000-transfer burst's lost transfers: a0 promotes a1 and a2 past the ready limit
    # (allowed: they were accepted). A later submission that goes to the future queue (there
    # is room there) used to enforce the ready limit on what was already in, evicting the
    # newest ready transaction (a2): `dropped` to a watcher, but nothing at all to a client
    # that submitted with `author_submitExtrinsic`, and every later nonce of that sender
    # waited in the future queue for it, for ever.
    chain = Chain()
    pool, _ = new_pool(chain, ready=Limit(2, 1 << 20))
    events: list[tuple[bytes, str]] = []
    pool.add_status_listener(lambda tx_hash, status: events.append((tx_hash, status.kind)))
    for x in (tx("a", 1), tx("a", 2), tx("a", 0)):
        pool.submit(x)
    assert pool.ready_count == 3  # one over, by promotion
    pool.submit(tx("a", 4))  # a future (a3 is not in yet): the future queue has room
    pool.submit(tx("b", 1))
    assert pool.pending() == [tx("a", 0), tx("a", 1), tx("a", 2)]
    assert pool.future_count == 2
    assert not [kind for _, kind in events if kind in ("dropped", "invalid", "usurped")]
    with pytest.raises(ImmediatelyDropped):  # the ready queue is still over its limit
        pool.submit(tx("a", 3))
    author(pool, chain, count=3)
    pool.submit(tx("a", 3))  # now in: it promotes a4
    author(pool, chain)
    assert chain.states[chain.best] == {"a": 5}
    assert pool.future_count == 1  # b1 waits for b0, which nobody sent


def _burst(pool: TransactionPool, chain: Chain, *, senders: int, per_sender: int, window: int,
           block_every: int, block_size: int, retry_after: int) -> tuple[set[bytes], set[bytes], list[str]]:
    """The rpc_bench burst in miniature, deterministic: each sender's transfers go out in
    nonce order over `window` lanes (a lane takes the next nonce once its transfer is
    answered); a transfer refused with 1016 is resubmitted `retry_after` steps later; every
    `block_every` steps a block takes up to `block_size` ready transactions. Returns the
    accepted hashes, the included hashes and the final statuses the pool reported."""
    names = [f"s{i}" for i in range(senders)]
    next_nonce = dict.fromkeys(names, 0)
    lanes = [[who, None, 0] for who in names for _ in range(window)]  # [sender, nonce in hand, wait]
    accepted: set[bytes] = set()
    included: set[bytes] = set()
    final: list[str] = []
    pool.add_status_listener(
        lambda tx_hash, status: final.append(status.kind) if status.kind in ("dropped", "invalid", "usurped") else None)
    for step in range(10_000):
        for lane in lanes:
            who, nonce, wait = lane
            if wait:
                lane[2] -= 1
                continue
            if nonce is None:
                if next_nonce[who] == per_sender:
                    continue
                nonce = lane[1] = next_nonce[who]
                next_nonce[who] += 1
            try:
                accepted.add(pool.submit(tx(who, nonce)))
            except ImmediatelyDropped:
                lane[2] = retry_after
            else:
                lane[1] = None
        if step % block_every == 0:
            body = [t.data for t in pool.ready()][:block_size]
            block_hash, number, applied = chain.build(body)
            assert applied == len(body)
            pool.on_block_imported(block_hash, number, body)
            included.update(h(x) for x in body)
        if len(included) == senders * per_sender:
            break
    return accepted, included, final


def test_a_burst_of_equal_priority_transfers_loses_nothing():
    # What `bench/rpc_bench.py --transfers 20000 --window 2000` does, at a scale the pool's
    # limits bind: six senders, far more in flight than the queues hold, 1016 retried.
    # Every accepted transfer is included; none is dropped; all nonces end up on chain.
    chain = Chain()
    pool, _ = new_pool(chain, ready=Limit(24, 1 << 20), future=Limit(4, 1 << 20), revalidation_limit=8)
    accepted, included, final = _burst(pool, chain, senders=6, per_sender=60, window=8, block_every=3,
                                       block_size=10, retry_after=2)
    assert final == []
    assert accepted - included == set()
    assert len(included) == 6 * 60
    assert chain.states[chain.best] == {f"s{i}": 60 for i in range(6)}
    assert pool.status().is_empty


def test_a_retracted_transaction_the_full_pool_cannot_take_back_is_reported_dropped():
    chain = Chain()
    pool, _ = new_pool(chain, ready=Limit(1, 1 << 20))
    watcher = pool.submit_and_watch(tx("a", 0))
    block, _ = author(pool, chain)
    pool.submit(tx("b", 0))  # the ready queue is full again
    pool.on_block_retracted(block)
    fork1, n1, _ = chain.build([], parent=GENESIS)
    pool.on_block_imported(fork1, n1, [], resubmit_retracted=False)
    fork2, n2, _ = chain.build([], parent=fork1)
    pool.on_block_imported(fork2, n2, [])  # a0 is resubmitted here: no room, refused
    statuses = kinds(watcher)
    assert statuses[0] == "ready" and "inBlock" in statuses[1] and "retracted" in statuses[2]
    assert statuses[3:] == ["dropped"]
    assert pool.pending() == [tx("b", 0)]


def test_revalidation_reimports_only_what_changed_place():
    # Revalidating a ready transaction whose validity is unchanged re-imports nothing (not
    # it, nor the chain of nonces built on it); one whose priority changed is re-imported
    # and takes its new place.
    chain = Chain()
    pool, _ = new_pool(chain)
    chain_a = [tx("a", n) for n in range(6)]
    for x in [*chain_a, tx("b", 0)]:
        pool.submit(x)
    ready = pool._pool.ready
    before = {h(x): ready.insertion_id(h(x)) for x in chain_a}
    events: list[str] = []
    pool.add_status_listener(lambda tx_hash, status: events.append(status.kind))
    author(pool, chain, count=0)  # an empty block: everything is revalidated
    assert {h(x): ready.insertion_id(h(x)) for x in chain_a} == before
    assert events == []
    chain.changed[tx("b", 0)] = {"priority": 5}
    author(pool, chain, count=0)
    assert pool.pending()[0] == tx("b", 0)  # re-imported with its new priority
    assert {h(x): ready.insertion_id(h(x)) for x in chain_a} == before
    # A changed expiry or a changed tag re-imports the transaction (and what depends on it).
    chain.changed[tx("a", 5)] = {"longevity": 100}
    chain.changed[tx("a", 4)] = {"provides": [tag("a", 4), b"extra"]}
    author(pool, chain, count=0)
    assert pool.get(h(tx("a", 5))).valid_till == chain.numbers[chain.best] + 100
    assert ready.provided_tags.get(b"extra") == h(tx("a", 4))
    assert {h(x): ready.insertion_id(h(x)) for x in chain_a[:4]} == {h(x): before[h(x)] for x in chain_a[:4]}
    del chain.changed[tx("a", 5)], chain.changed[tx("a", 4)]
    author(pool, chain, count=0)  # changed back: re-imported once more
    before = {h(x): ready.insertion_id(h(x)) for x in chain_a}
    author(pool, chain, count=3)  # b0, a0, a1; a2 now requires nothing: still first of a's
    assert pool.pending() == chain_a[2:]
    assert {h(x): ready.insertion_id(h(x)) for x in chain_a[2:]} == {h(x): before[h(x)] for x in chain_a[2:]}


def test_revalidation_after_a_reorg_reimports_what_lost_its_on_chain_requirement():
    # c2 became ready when a foreign block included c1; a reorg takes that block away, so
    # c2 must wait behind the resubmitted c1: keeping its place (a root of the ready queue,
    # its requirement counted as met on chain) would put it first in the next block, where
    # it cannot apply.
    chain = Chain()
    pool, _ = new_pool(chain)
    c2 = tx("c", 2)
    pool.submit(c2)
    author(pool, chain, count=0, extra=(tx("c", 0, salt="foreign"),))
    author(pool, chain, count=0, extra=(tx("c", 1, salt="foreign"),))
    assert pool.is_ready(h(c2))
    best = chain.best
    pool.on_block_retracted(best)
    fork1, n1, _ = chain.build([], parent=chain.parents[best])
    pool.on_block_imported(fork1, n1, [], resubmit_retracted=False)
    fork2, n2, _ = chain.build([], parent=fork1)
    pool.on_block_imported(fork2, n2, [])  # the retracted c1 is resubmitted
    assert pool.pending() == [tx("c", 1, salt="foreign"), c2]
    author(pool, chain)


def test_a_future_that_revalidation_finds_ready_is_reimported_into_ready():
    chain = Chain()
    pool, _ = new_pool(chain)
    c1 = tx("c", 1)
    pool.submit(c1)
    assert pool.is_future(h(c1))
    chain.changed[c1] = {"requires": []}  # its requirement met by other means than a block of ours
    author(pool, chain, count=0)
    assert pool.is_ready(h(c1))
