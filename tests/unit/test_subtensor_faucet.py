"""`faucet` (the `pow-faucet` feature of the devnet spec-381 runtime): subtensor's Rust
`test_faucet_ok` (tests/staking.rs) and the checks of `do_faucet`.

The work is found outside our code: the seal rule is recomputed here with hashlib's SHA-256
and eth-utils' Keccak-256 (`keccak(sha256(nonce_le ++ keccak(block_hash ++ coldkey)))`), and
the nonce below was found by searching that rule for difficulty 1_000_000 (about a million
tries, too slow for a test run; the test checks that NONCE passes and NONCE - 1 does not)."""

from __future__ import annotations

import hashlib

import pytest
from eth_utils import keccak

import pysubtensor.pallets.subtensor as st
import pysubtensor.pallets.system as system
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.neurons.faucet import FAUCET_DIFFICULTY
from pysubtensor.pallets.support.dispatch import RuntimePanic
from tests.unit import test_subtensor_registration as registration
from tests.unit.test_subtensor_registration import Chain, acct

chain = registration.chain
S = st.pallet.Storage
BLOCK, BLOCK_HASH, COLDKEY = 5, bytes([7]) * 32, acct(1)
#: The first nonce (searching from 0) whose seal for (BLOCK_HASH, COLDKEY) meets difficulty 1_000_000.
NONCE = 132_678


def seal(block_hash: bytes, nonce: int, coldkey: bytes) -> bytes:
    return keccak(hashlib.sha256(nonce.to_bytes(8, "little") + keccak(block_hash + coldkey)).digest())


def meets(work: bytes) -> bool:
    return int.from_bytes(work, "little") * 1_000_000 < 1 << 256


WORK = seal(BLOCK_HASH, NONCE, COLDKEY)


def setup(current: int) -> None:
    system.pallet.Storage.BlockHash.insert(BLOCK, BLOCK_HASH)
    system.pallet.Storage.Number.put(current)


def test_the_nonce_is_a_real_proof_of_work() -> None:
    assert FAUCET_DIFFICULTY == 1_000_000
    assert meets(WORK) and not meets(seal(BLOCK_HASH, NONCE - 1, COLDKEY))


def test_faucet_ok(chain: Chain) -> None:
    """staking.rs `test_faucet_ok` (pow-faucet): 1000 TAO minted to the caller, SubtensorModule's
    TotalIssuance up by 100 TAO (as the Rust code writes it), the work recorded, Faucet event."""
    setup(BLOCK + 2)
    issuance, total = S.TotalIssuance.get(), fungible.total_issuance()
    chain.call("faucet", COLDKEY, block_number=BLOCK, nonce=NONCE, work=WORK)
    assert fungible.balance(COLDKEY) == 1_000_000_000_000
    assert fungible.total_issuance() == total + 1_000_000_000_000
    assert S.TotalIssuance.get() == issuance + 100_000_000_000
    assert S.UsedWork.get(WORK) == BLOCK + 2
    assert chain.events[-1] == ("SubtensorModule", Event.Faucet(COLDKEY, 1_000_000_000_000))


def test_faucet_work_block_window(chain: Chain) -> None:
    """The work's block is at most 2 blocks old and not in the future: InvalidWorkBlock."""
    setup(BLOCK + 3)
    chain.fails(Error.InvalidWorkBlock, "faucet", COLDKEY, block_number=BLOCK, nonce=NONCE, work=WORK)
    setup(BLOCK - 1)
    chain.fails(Error.InvalidWorkBlock, "faucet", COLDKEY, block_number=BLOCK, nonce=NONCE, work=WORK)
    setup(BLOCK)
    chain.call("faucet", COLDKEY, block_number=BLOCK, nonce=NONCE, work=WORK)


def test_faucet_difficulty_and_seal(chain: Chain) -> None:
    """Work below the difficulty is InvalidDifficulty; work that meets it but is not the
    caller's seal (another coldkey's, or another nonce) is InvalidSeal; work that is not 32
    bytes panics (`H256::from_slice`)."""
    setup(BLOCK + 1)
    easy = seal(BLOCK_HASH, 0, COLDKEY)
    assert not meets(easy)
    chain.fails(Error.InvalidDifficulty, "faucet", COLDKEY, block_number=BLOCK, nonce=0, work=easy)
    chain.fails(Error.InvalidSeal, "faucet", acct(2), block_number=BLOCK, nonce=NONCE, work=WORK)
    chain.fails(Error.InvalidSeal, "faucet", COLDKEY, block_number=BLOCK, nonce=NONCE + 1, work=WORK)
    with pytest.raises(RuntimePanic):
        chain.call("faucet", COLDKEY, block_number=BLOCK, nonce=NONCE, work=WORK + b"\0")
    assert fungible.balance(COLDKEY) == 0 and fungible.balance(acct(2)) == 0


def test_faucet_is_free() -> None:
    info = st.pallet.dispatch_info(("faucet", {"block_number": 0, "nonce": 0, "work": b""}))
    assert info.pays_fee == "No"
    assert info.weight.ref_time == 91_000_000 + 27 * 25_000_000 + 22 * 100_000_000
