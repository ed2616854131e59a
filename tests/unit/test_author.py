"""Block authoring (node.author): slots and timestamps, the Aura pre-runtime digest and seal,
transaction selection (full blocks, invalid transactions), parent-state overrides after
time travel, and blocks that the runtime re-executes to the same state root.

`sign` (also used by tests/integration/test_service.py) builds a signed v4 extrinsic with
our keyring and runtime.extrinsic, as clients do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import pysubtensor.pallets.system as system
from pysubtensor.node.author import (
    MAX_SKIPPED_TRANSACTIONS,
    BlockAuthor,
    InherentsFailed,
    OverlayBackend,
    SlotClaim,
    seal_header,
    slot_of,
    verify_seal,
)
from pysubtensor.node.cli import chain_genesis
from pysubtensor.node.config import resolve_chain
from pysubtensor.node.db import ChainDB
from pysubtensor.pallets import aura, timestamp
from pysubtensor.primitives.aura import pre_digest as aura_pre_digest
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.header import Header, PreRuntime, Seal
from pysubtensor.primitives.keyring import DEV_ACCOUNTS, Keypair
from pysubtensor.runtime import construct
from pysubtensor.runtime.era import Era
from pysubtensor.runtime.executive import execute_block
from pysubtensor.runtime.extrinsic import UncheckedExtrinsic, implicit_bytes, signing_payload
from pysubtensor.runtime.version import VERSION
from tests.support.state import DictBackend

ALICE, BOB, CHARLIE = DEV_ACCOUNTS["Alice"], DEV_ACCOUNTS["Bob"], DEV_ACCOUNTS["Charlie"]
SLOT = 250
T0 = 1_800_000_000_000  # a wall-clock time in ms, on a slot boundary


def sign(signer: Keypair, call: Any, *, nonce: int, genesis_hash: bytes, era: Era | None = None, tip: int = 0,
         birth_hash: bytes | None = None) -> bytes:
    """A signed extrinsic (immortal by default) as a client builds it."""
    era = Era() if era is None else era
    call_bytes = construct.RUNTIME_CALL.encode(call)
    extra = {"CheckMortality": era, "CheckNonce": nonce, "ChargeTransactionPayment": tip,
             "CheckMetadataHash": "Disabled"}
    implicit = implicit_bytes(spec_version=VERSION.spec_version, transaction_version=VERSION.transaction_version,
                              genesis_hash=genesis_hash, era_birth_hash=birth_hash or genesis_hash)
    signature = signer.sign_multi(signing_payload(call_bytes, extra, implicit))
    return UncheckedExtrinsic.encode_signed(("Id", signer.account_id), signature, extra, call_bytes)


def transfer(dest: bytes, value: int) -> tuple:
    return ("Balances", ("transfer_keep_alive", {"dest": ("Id", dest), "value": value}))


def remark(data: bytes) -> tuple:
    return ("System", ("remark", {"remark": data}))


@dataclass(frozen=True)
class PoolTx:
    """What the author reads of a pool transaction."""

    data: bytes

    @property
    def hash(self) -> bytes:
        return blake2_256(self.data)


class Reporting:
    """An iterator with `report_invalid`, as the pool's best iterator."""

    def __init__(self, txs: list[PoolTx]) -> None:
        self._it: Iterator[PoolTx] = iter(txs)
        self.reported: list[bytes] = []

    def __iter__(self) -> Reporting:
        return self

    def __next__(self) -> PoolTx:
        return next(self._it)

    def report_invalid(self, tx: PoolTx) -> None:
        self.reported.append(tx.hash)


@pytest.fixture(scope="module")
def dev_genesis() -> Any:
    return chain_genesis(resolve_chain("dev"))


@pytest.fixture
def chain(tmp_path: Path, dev_genesis: Any) -> Iterator[ChainDB]:
    with ChainDB.open(tmp_path / "db") as db:
        db.init_genesis(dev_genesis.header, dev_genesis.raw.top, dev_genesis.raw.children_default,
                        dev_genesis.state_version)
        yield db


def import_(chain: ChainDB, proposal: Any) -> Header:
    chain.import_block(proposal.header, proposal.extrinsics, proposal.pending)
    chain.finalize(proposal.hash)
    return proposal.header


def read(chain: ChainDB, block_hash: bytes, fn: Any) -> Any:
    root = chain.state_root(block_hash)
    with using(Externalities(chain.state.view(root))):
        return fn()


def test_block_has_the_aura_slot_timestamp_and_a_seal_by_the_author(chain):
    author = BlockAuthor(chain.state, ALICE, slot_duration=SLOT)
    genesis = chain.header(chain.best_hash)
    claim = author.claim_slot(genesis.state_root, T0 + 17)
    assert claim == SlotClaim(T0 // SLOT, T0 + 17, {})
    p = author.propose(genesis, claim)
    logs = p.header.digest.logs
    assert logs[0] == aura_pre_digest(T0 // SLOT) and slot_of(p.header) == T0 // SLOT
    assert isinstance(logs[-1], Seal) and logs[-1].engine == b"aura" and len(logs[-1].data) == 64
    assert verify_seal(p.header, ALICE.public_key) and not verify_seal(p.header, BOB.public_key)
    unsealed = Header(p.header.parent_hash, 1, p.header.state_root, p.header.extrinsics_root,
                      type(p.header.digest)(logs[:-1]))
    assert unsealed.hash == p.pre_hash != p.hash
    # The seal signs the pre-seal hash: re-sealing gives another (random) signature over it.
    assert verify_seal(seal_header(unsealed, ALICE), ALICE.public_key)
    import_(chain, p)
    assert read(chain, p.hash, timestamp.get) == T0 + 17
    assert read(chain, p.hash, aura.CurrentSlot.get) == T0 // SLOT
    assert p.header.state_root == chain.state.head_root
    # Timestamp.set and MevShield.announce_next_key: the block's two inherents.
    assert len(p.extrinsics) == 2 and p.included == [] and p.invalid == []


def test_timestamps_advance_a_slot_per_block_and_never_go_back(chain):
    author = BlockAuthor(chain.state, ALICE, slot_duration=SLOT)
    stamps = []
    # The clock stands still, then goes backwards: blocks still advance one slot each.
    for now in (T0, T0, T0 - 10_000, T0 + 100, T0 + 5_000):
        parent = chain.header(chain.best_hash)
        claim = author.claim_slot(parent.state_root, now)
        assert claim.pre_overrides == {}
        import_(chain, author.propose(parent, claim))
        stamps.append(claim.timestamp)
    assert stamps == [T0, T0 + 250, T0 + 500, T0 + 750, T0 + 5_000]


def test_an_author_in_a_larger_authority_set_takes_only_its_own_slots(tmp_path):
    genesis = chain_genesis(resolve_chain("local"))  # authorities //One, //Two, //Three
    two = Keypair.from_uri("//Two")
    with ChainDB.open(tmp_path / "db") as chain:
        chain.init_genesis(genesis.header, genesis.raw.top, genesis.raw.children_default, genesis.state_version)
        author = BlockAuthor(chain.state, two, slot_duration=SLOT)
        assert author.owns_slots(chain.header(chain.best_hash).state_root)
        slots = []
        for _ in range(3):
            parent = chain.header(chain.best_hash)
            claim = author.claim_slot(parent.state_root, T0)
            assert claim.slot % 3 == 1 and claim.timestamp == claim.slot * SLOT
            slots.append(claim.slot)
            import_(chain, author.propose(parent, claim))
        assert slots[1] - slots[0] == slots[2] - slots[1] == 3
        # The runtime's author for those slots is //Two: the fees of a transfer go there.
        assert read(chain, chain.best_hash, lambda: aura.find_author(system.digest().logs)) == 1
        outsider = BlockAuthor(chain.state, ALICE, slot_duration=SLOT)
        assert not outsider.owns_slots(chain.header(chain.best_hash).state_root)


def test_transactions_are_applied_and_invalid_ones_reported(chain):
    author = BlockAuthor(chain.state, ALICE, slot_duration=SLOT)
    genesis = chain.header(chain.best_hash)
    g = chain.genesis_hash
    ok = PoolTx(sign(BOB, transfer(CHARLIE.account_id, 10**9), nonce=0, genesis_hash=g))
    stale = PoolTx(sign(BOB, transfer(CHARLIE.account_id, 10**9), nonce=0, genesis_hash=g, tip=1))  # nonce used
    wrong_genesis = PoolTx(sign(CHARLIE, transfer(BOB.account_id, 1), nonce=0, genesis_hash=bytes(32)))
    garbage = PoolTx(b"\x08\x01\x02")
    txs = Reporting([ok, stale, wrong_genesis, garbage])
    p = author.propose(genesis, author.claim_slot(genesis.state_root, T0), txs)
    assert p.included == [ok.hash]
    assert p.invalid == txs.reported == [stale.hash, wrong_genesis.hash, garbage.hash]
    assert p.extrinsics[2] == ok.data  # after the two inherents
    import_(chain, p)
    events = read(chain, p.hash, system.read_events)
    assert [f"{e.event[0]}.{type(e.event[1]).__name__}" for e in events if e.phase == ("ApplyExtrinsic", 1)][-1] \
        == "System.ExtrinsicSuccess"
    # On a fork the refused ones are not given back for removal from the pool.
    genesis2 = chain.header(chain.genesis_hash)
    again = author.propose(genesis2, author.claim_slot(genesis2.state_root, T0),
                           Reporting([stale]), remove_invalid=False)
    assert again.included == [stale.hash] and again.invalid == []


def test_a_full_block_skips_at_most_eight_transactions_then_closes(chain):
    author = BlockAuthor(chain.state, ALICE, slot_duration=SLOT)
    genesis = chain.header(chain.best_hash)
    g = chain.genesis_hash
    big = 4 * 1024 * 1024  # two of these exceed the 7.5 MiB a block gives normal extrinsics
    first = PoolTx(sign(ALICE, remark(b"\x00" * big), nonce=0, genesis_hash=g))
    too_big = [PoolTx(sign(ALICE, remark(bytes([i]) * big), nonce=1, genesis_hash=g)) for i in range(1, 10)]
    small = PoolTx(sign(BOB, remark(b"hi"), nonce=0, genesis_hash=g))
    claim = author.claim_slot(genesis.state_root, T0)

    p = author.propose(genesis, claim, Reporting([first, too_big[0], small]))
    assert p.included == [first.hash, small.hash] and p.invalid == []  # skipped, not invalid

    txs = Reporting([first, *too_big, small])
    p = author.propose(genesis, claim, txs)
    assert len(too_big) == MAX_SKIPPED_TRANSACTIONS + 1
    assert p.included == [first.hash] and p.invalid == []
    # Each one left out is reported, so the pool's iterator skips what depends on it.
    assert txs.reported == [t.hash for t in too_big]


def test_time_travel_back_overrides_the_parent_timestamp_and_slot(chain):
    author = BlockAuthor(chain.state, ALICE, slot_duration=SLOT)
    genesis = chain.header(chain.best_hash)
    import_(chain, author.propose(genesis, author.claim_slot(genesis.state_root, T0)))
    parent = chain.header(chain.best_hash)
    back = T0 - 3_600_000
    claim = author.claim_slot(parent.state_root, back, exact=True)
    assert claim.timestamp == back and claim.slot == back // SLOT
    assert claim.pre_overrides == {aura.CurrentSlot.storage_key: (back // SLOT - 1).to_bytes(8, "little"),
                                   timestamp.Now.storage_key: (back - SLOT).to_bytes(8, "little")}
    p = author.propose(parent, claim)
    import_(chain, p)
    assert read(chain, p.hash, timestamp.get) == back
    # Without the overrides the runtime refuses to go back.
    with pytest.raises(InherentsFailed, match=r"Slot must increase|Timestamp"):
        author.propose(parent, SlotClaim(claim.slot, claim.timestamp))
    # Forward travel needs no override.
    ahead = author.claim_slot(chain.header(chain.best_hash).state_root, T0 + 86_400_000, exact=True)
    assert ahead.pre_overrides == {} and ahead.timestamp == T0 + 86_400_000


def test_storage_overrides_land_after_the_block(chain):
    author = BlockAuthor(chain.state, ALICE, slot_duration=SLOT)
    genesis = chain.header(chain.best_hash)
    key = b"\xee" * 8
    p = author.propose(genesis, author.claim_slot(genesis.state_root, T0),
                       storage_overrides={key: b"value", timestamp.Now.storage_key: (7).to_bytes(8, "little")})
    import_(chain, p)
    view = chain.state.view(p.header.state_root)
    assert view.get(key) == b"value" and view.get(timestamp.Now.storage_key) == (7).to_bytes(8, "little")


def test_proposed_blocks_re_execute_to_the_same_state_root(chain):
    author = BlockAuthor(chain.state, ALICE, slot_duration=SLOT)
    g = chain.genesis_hash
    for nonce in range(3):
        parent = chain.header(chain.best_hash)
        tx = PoolTx(sign(BOB, transfer(CHARLIE.account_id, 10**9 + nonce), nonce=nonce, genesis_hash=g))
        p = author.propose(parent, author.claim_slot(parent.state_root, T0), [tx])
        view = chain.state.view(parent.state_root)
        executed = execute_block(view, p.header, p.extrinsics,
                                 lambda changes, root=parent.state_root: chain.state.apply(root, changes).root)
        assert executed.changes == p.changes
        import_(chain, p)


def test_overlay_backend_merges_sets_and_deletions():
    base = DictBackend({b"a": b"1", b"c": b"3", b"e": b"5"})
    over = OverlayBackend(base, {b"b": b"2", b"c": None, b"e": b"55", b"f": None})
    assert [over.get(k) for k in (b"a", b"b", b"c", b"e", b"f")] == [b"1", b"2", None, b"55", None]
    keys, k = [], b""
    while (k := over.next_key(k)) is not None:
        keys.append(k)
    assert keys == [b"a", b"b", b"e"]
    assert isinstance(aura_pre_digest(5), PreRuntime)
