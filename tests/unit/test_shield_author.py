"""The author side of MEV Shield (node.author + node.shield) on the dev chain, in process:
the key pipeline filled by the `announce_next_key` inherent, a carrier opened and its inner
extrinsic applied right after it (sc-basic-authorship's `unshield_and_push_inner_tx`), and
the outcomes of bad input: a ciphertext that does not decrypt, one for another key, an inner
extrinsic with a bad signature or nonce, a carrier whose era is born in the parent block."""

from __future__ import annotations

import pytest

import pysubtensor.pallets.shield as shield
import pysubtensor.pallets.system as system
from pysubtensor.node.author import BlockAuthor
from pysubtensor.node.cli import chain_genesis
from pysubtensor.node.config import resolve_chain
from pysubtensor.node.db import ChainDB
from pysubtensor.node.shield import DevShieldKeystore, MemoryShieldKeystore, shield_inherent_data
from pysubtensor.pallets.system.pallet import Account
from pysubtensor.primitives.shield import generate_keypair, key_hash
from pysubtensor.runtime.era import Era
from tests.support.shield import encrypt
from tests.unit.test_author import (
    ALICE,
    BOB,
    CHARLIE,
    SLOT,
    T0,
    PoolTx,
    Reporting,
    import_,
    read,
    sign,
    transfer,
)

AMOUNT = 10**9


def submit(ciphertext: bytes) -> tuple:
    return ("MevShield", ("submit_encrypted", {"ciphertext": ciphertext}))


@pytest.fixture(scope="module")
def dev_genesis():
    return chain_genesis(resolve_chain("dev"))


@pytest.fixture
def chain(tmp_path, dev_genesis):
    with ChainDB.open(tmp_path / "db") as db:
        db.init_genesis(dev_genesis.header, dev_genesis.raw.top, dev_genesis.raw.children_default,
                        dev_genesis.state_version)
        yield db


@pytest.fixture
def ready(chain):
    """Three blocks by Alice: NextKey (block 2) has reached PendingKey (block 3)."""
    author = BlockAuthor(chain.state, ALICE, slot_duration=SLOT, shield_keystore=DevShieldKeystore())
    for i in range(3):
        parent = chain.header(chain.best_hash)
        import_(chain, author.propose(parent, author.claim_slot(parent.state_root, T0 + i * SLOT)))
    return chain, author


def propose(chain, author, txs):
    parent = chain.header(chain.best_hash)
    it = Reporting([PoolTx(t) for t in txs])
    p = author.propose(parent, author.claim_slot(parent.state_root, T0 + 10 * SLOT), it)
    import_(chain, p)
    return p, it


def state(chain, fn):
    return read(chain, chain.best_hash, fn)


def event_names(chain) -> list[str]:
    return [f"{e.event[0]}.{type(e.event[1]).__name__}" for e in state(chain, system.read_events)]


def free(chain, who) -> int:
    return state(chain, lambda: Account.get(who.account_id).data.free)


def nonce(chain, who) -> int:
    return state(chain, lambda: Account.get(who.account_id).nonce)


def test_the_inherent_fills_the_key_pipeline_with_the_authors_key(chain):
    """Block 1 registers Alice's key, block 2 hands it out as NextKey, block 3 stages it as
    PendingKey, block 4 makes it CurrentKey: the `announce_next_key` inherent of each block."""
    keystore = DevShieldKeystore()
    author = BlockAuthor(chain.state, ALICE, slot_duration=SLOT, shield_keystore=keystore)
    seen = []
    for i in range(4):
        parent = chain.header(chain.best_hash)
        p = author.propose(parent, author.claim_slot(parent.state_root, T0 + i * SLOT))
        import_(chain, p)
        assert len(p.extrinsics) == 2  # Timestamp.set, MevShield.announce_next_key
        seen.append(state(chain, lambda: (shield.CurrentKey.get(), shield.PendingKey.get(), shield.NextKey.get())))
    k = keystore.next_enc_key()
    assert seen == [(None, None, None), (None, None, k), (None, k, k), (k, k, k)]
    assert state(chain, lambda: shield.AuthorKeys.get(ALICE.public_key)) == k
    assert state(chain, lambda: (shield.PendingKeyExpiresAt.get(), shield.NextKeyExpiresAt.get())) == (6, 7)


def test_keystores_roll_as_stc_shield_does():
    """MemoryShieldKeystore rolls next into current; the dev keystore keeps one pair."""
    memory = MemoryShieldKeystore()
    announced = memory.next_enc_key()
    memory.roll_for_next_slot()
    assert memory.next_enc_key() != announced
    dev = DevShieldKeystore()
    before = (dev.next_enc_key(), dev.current_dec_key())
    dev.roll_for_next_slot()
    assert (dev.next_enc_key(), dev.current_dec_key()) == before
    assert shield_inherent_data(None) == {b"shieldpk": b"\x00"}


def test_the_dev_keystore_generates_its_pair_when_first_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not while the node starts (ML-KEM key generation is pure Python): at the first block."""
    import pysubtensor.node.shield as node_shield

    made = []
    monkeypatch.setattr(node_shield, "generate_keypair", lambda: made.append(generate_keypair()) or made[-1])
    dev = DevShieldKeystore()
    assert made == []
    assert dev.next_enc_key() == made[0][0] and dev.current_dec_key() == made[0][1] and len(made) == 1


def test_a_carrier_is_opened_and_its_inner_transfer_applied_right_after_it(ready):
    chain, author = ready
    g = chain.genesis_hash
    next_key = state(chain, shield.NextKey.get)
    inner = sign(BOB, transfer(CHARLIE.account_id, AMOUNT), nonce=1, genesis_hash=g)
    outer = sign(BOB, submit(encrypt(next_key, inner)), nonce=0, genesis_hash=g)
    charlie = free(chain, CHARLIE)
    p, it = propose(chain, author, [outer])
    assert p.extrinsics[2:] == [outer, inner] and p.included == [PoolTx(outer).hash] and it.reported == []
    assert free(chain, CHARLIE) - charlie == AMOUNT and nonce(chain, BOB) == 2
    names = event_names(chain)
    assert "MevShield.EncryptedSubmitted" in names and "Balances.Transfer" in names
    assert names.count("TransactionPayment.TransactionFeePaid") == 2  # the carrier and the inner one


def test_a_ciphertext_that_does_not_decrypt_costs_the_carrier_fee_and_nothing_else(ready):
    chain, author = ready
    g = chain.genesis_hash
    next_key = state(chain, shield.NextKey.get)
    garbage = key_hash(next_key) + (1088).to_bytes(2, "little") + bytes(1088) + bytes(24) + b"\x01" * 80
    outer = sign(BOB, submit(garbage), nonce=0, genesis_hash=g)
    bob, charlie = free(chain, BOB), free(chain, CHARLIE)
    p, it = propose(chain, author, [outer])
    assert p.extrinsics[2:] == [outer] and it.reported == []
    assert nonce(chain, BOB) == 1 and free(chain, CHARLIE) == charlie and free(chain, BOB) < bob
    assert "MevShield.EncryptedSubmitted" in event_names(chain)


def test_a_carrier_for_another_key_stays_in_the_pool(ready):
    """`is_shielded_using_current_key` false: skipped, neither included nor reported invalid."""
    chain, author = ready
    g = chain.genesis_hash
    stale_key = generate_keypair()[0]
    inner = sign(BOB, transfer(CHARLIE.account_id, AMOUNT), nonce=1, genesis_hash=g)
    outer = sign(BOB, submit(encrypt(stale_key, inner)), nonce=0, genesis_hash=g)
    p, it = propose(chain, author, [outer])
    assert p.extrinsics[2:] == [] and p.included == [] and p.invalid == [] and it.reported == []
    assert nonce(chain, BOB) == 0


@pytest.mark.parametrize("bad", ["signature", "nonce"])
def test_an_inner_extrinsic_the_runtime_refuses_is_left_out(ready, bad):
    chain, author = ready
    g = chain.genesis_hash
    next_key = state(chain, shield.NextKey.get)
    if bad == "signature":  # signed for another chain: the signature does not verify here
        inner = sign(BOB, transfer(CHARLIE.account_id, AMOUNT), nonce=1, genesis_hash=bytes(32))
    else:  # the carrier's own nonce: stale once the carrier is applied
        inner = sign(BOB, transfer(CHARLIE.account_id, AMOUNT), nonce=0, genesis_hash=g)
    outer = sign(BOB, submit(encrypt(next_key, inner)), nonce=0, genesis_hash=g)
    charlie = free(chain, CHARLIE)
    p, it = propose(chain, author, [outer])
    assert p.extrinsics[2:] == [outer] and it.reported == []
    assert nonce(chain, BOB) == 1 and free(chain, CHARLIE) == charlie
    assert "Balances.Transfer" not in event_names(chain)


def test_a_carrier_born_in_the_parent_block_is_applied_as_a_plain_transaction(ready):
    """`try_decode_shielded_tx` runs on the parent's state, where `BlockHash[parent]` is not
    yet stored: a carrier whose mortal era starts at the parent fails `check`
    (AncientBirthBlock), so the real proposer applies it as an ordinary transaction and its
    inner extrinsic is never opened. Anchored one block earlier it is opened."""
    chain, author = ready
    g = chain.genesis_hash
    next_key = state(chain, shield.NextKey.get)
    parent = chain.header(chain.best_hash)
    inner = sign(BOB, transfer(CHARLIE.account_id, AMOUNT), nonce=1, genesis_hash=g)
    at_parent = sign(BOB, submit(encrypt(next_key, inner)), nonce=0, genesis_hash=g,
                     era=Era.mortal(8, parent.number), birth_hash=parent.hash)
    p, _ = propose(chain, author, [at_parent])
    assert p.extrinsics[2:] == [at_parent] and nonce(chain, BOB) == 1
    grandparent = chain.header(chain.best_hash)
    older = chain.header(grandparent.parent_hash)
    inner2 = sign(BOB, transfer(CHARLIE.account_id, AMOUNT), nonce=2, genesis_hash=g)
    earlier = sign(BOB, submit(encrypt(next_key, inner2)), nonce=1, genesis_hash=g,
                   era=Era.mortal(8, older.number), birth_hash=older.hash)
    p, _ = propose(chain, author, [earlier])
    assert p.extrinsics[2:] == [earlier, inner2] and nonce(chain, BOB) == 3
