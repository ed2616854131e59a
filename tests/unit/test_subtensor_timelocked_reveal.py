"""Timelocked weights revealed by block_step (`reveal_crv3_commits`), ported from subtensor's
pallets/subtensor/src/tests/weights.rs (each names its Rust test). The commits are tlock
ciphertexts for drand quicknet round 1000 under quicknet's real public key, opened with the
real round-1000 signature the Rust tests use (so a pulse stored for that round opens them);
a second, local beacon (primitives/tlock.py's keys) gives a round whose signature does not
open them.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pysubtensor.pallets import system
from pysubtensor.pallets.subtensor import pallet as st_pallet
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.hooks import on_initialize
from pysubtensor.pallets.subtensor.staking.accounting import increase_stake_for_hotkey_and_coldkey_on_subnet
from pysubtensor.pallets.subtensor.storage_beyond_381 import LastEpochBlock, SubnetEpochIndex
from pysubtensor.pallets.subtensor.weights import reveal
from pysubtensor.pallets.subtensor.weights import weights as W
from pysubtensor.pallets.subtensor.weights.storage import (
    RevealPeriodEpochs,
    StakeThreshold,
    TimelockedWeightCommits,
    Weights,
    WeightsSetRateLimit,
    WeightsVersionKey,
)
from pysubtensor.primitives import tlock
from pysubtensor.primitives.scale import BYTES, U16, U64, Vec
from tests.support.subtensor_seed import (
    account,
    add_network,
    call,
    chain,
    register_neuron,
    run_to_block,
    set_permit,
)

NETUID = 1
ROUND = 1000
#: drand quicknet's public key and its signature of round 1000 (weights.rs, e.g.
#: `test_reveal_crv3_commits_success`).
QUICKNET_PK = bytes.fromhex(
    "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d"
    "1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a")
SIG_1000 = bytes.fromhex(
    "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39")


def payload(hotkey: bytes, uids: list[int], values: list[int], version_key: int) -> bytes:
    """`WeightsTlockPayload { hotkey: hotkey.encode(), uids, values, version_key }.encode()`,
    field by field."""
    return BYTES.encode(hotkey) + Vec(U16).encode(uids) + Vec(U16).encode(values) + U64.encode(version_key)


def legacy_payload(uids: list[int], values: list[int], version_key: int) -> bytes:
    return Vec(U16).encode(uids) + Vec(U16).encode(values) + U64.encode(version_key)


def seal(plain: bytes, round_number: int = ROUND) -> bytes:
    return tlock.encrypt(QUICKNET_PK, round_number, plain)


@pytest.fixture
def pulses():
    """`pallet_drand::Pulses` for SubtensorModule's `pulse_of`; starts empty."""
    stored: dict[int, SimpleNamespace] = {}
    with st_pallet.bound(pulse_of=stored.get), chain(block=100) as events:
        yield stored, events


def store_pulse(stored: dict, round_number: int = ROUND, signature: bytes = SIG_1000) -> None:
    stored[round_number] = SimpleNamespace(round=round_number, randomness=bytes(32), signature=signature)


def step_block(n: int = 1) -> None:
    """The mock's `step_block`: the next block and its `on_initialize` (block_step)."""
    for _ in range(n):
        number = system.block_number() + 1
        run_to_block(number)
        on_initialize(number)


def step_epochs(count: int) -> None:
    """main's mock `step_epochs`: blocks until `count` more epoch slots of the subnet ran."""
    target = SubnetEpochIndex.get(NETUID) + count
    while SubnetEpochIndex.get(NETUID) < target:
        step_block()


def two_validators() -> tuple[bytes, bytes]:
    add_network(NETUID, 5)
    h1, h2 = account(1), account(2)
    register_neuron(NETUID, h1)
    register_neuron(NETUID, h2)
    StakeThreshold.put(0)
    WeightsSetRateLimit.insert(NETUID, 0)
    RevealPeriodEpochs.insert(NETUID, 3)
    set_permit(NETUID, 0)
    set_permit(NETUID, 1)
    # As the Rust tests do: 1 alpha each, so that the epochs the coinbase runs on the way to
    # the reveal epoch keep both validator permits (stake 0 gets none).
    increase_stake_for_hotkey_and_coldkey_on_subnet(h1, account(3), NETUID, 1)
    increase_stake_for_hotkey_and_coldkey_on_subnet(h2, account(4), NETUID, 1)
    return h1, h2


def commit(hotkey: bytes, data: bytes, round_number: int = ROUND) -> None:
    result = call("commit_timelocked_weights", hotkey, netuid=NETUID, commit=data, reveal_round=round_number,
                  commit_reveal_version=4)
    assert not isinstance(result, Exception), result


def revealed(events) -> list:
    return [e for p, e in events if isinstance(e, Event.TimelockedWeightsRevealed)]


def test_reveal_crv3_commits_success(pulses):
    """`test_reveal_crv3_commits_success`: values [10, 20] come back in proportion (x30 / total
    rounds to them), upscaled so the largest is u16::MAX."""
    stored, events = pulses
    h1, _ = two_validators()
    commit(h1, seal(payload(h1, [0, 1], [10, 20], WeightsVersionKey.get(NETUID))))
    store_pulse(stored)
    step_epochs(2)
    assert Weights.get(NETUID, 0) == []  # the pulse is there, but the reveal epoch is not yet
    step_epochs(1)
    weights = Weights.get(NETUID, 0)
    assert [u for u, _ in weights] == [0, 1]
    total = sum(w for _, w in weights)
    assert [round(w * 30 / total) for _, w in weights] == [10, 20]
    assert weights == [(0, 32768), (1, 65535)]
    assert [(e.netuid, e.who) for e in revealed(events)] == [(NETUID, h1)]


def test_reveal_crv3_commits_retry_on_missing_pulse(pulses):
    """`test_reveal_crv3_commits_retry_on_missing_pulse`: in the reveal epoch without the
    round's pulse the commit stays queued; once the pulse is stored the next block reveals it."""
    stored, _ = pulses
    h1, _ = two_validators()
    commit(h1, seal(payload(h1, [0], [10], WeightsVersionKey.get(NETUID))))
    (stored_epoch,) = [e for e, _ in TimelockedWeightCommits.iter_prefix(NETUID)]
    first_reveal_epoch = stored_epoch + 3
    while W.get_epoch_index(NETUID, system.block_number()) < first_reveal_epoch:
        step_block()
    step_block()
    assert TimelockedWeightCommits.get(NETUID, stored_epoch) != []
    assert Weights.get(NETUID, 0) == []
    store_pulse(stored)
    step_block()
    assert Weights.get(NETUID, 0) == [(0, 65535)]
    assert TimelockedWeightCommits.get(NETUID, stored_epoch) == []


def test_reveal_crv3_commits_legacy_payload_success(pulses):
    """`test_reveal_crv3_commits_legacy_payload_success`: the payload without a hotkey."""
    stored, events = pulses
    h1, _ = two_validators()
    commit(h1, seal(legacy_payload([0, 1], [10, 20], WeightsVersionKey.get(NETUID))))
    store_pulse(stored)
    step_epochs(3)
    assert Weights.get(NETUID, 0) == [(0, 32768), (1, 65535)]
    assert len(revealed(events)) == 1


def test_reveal_crv3_commits_hotkey_check(pulses):
    """`test_reveal_crv3_commits_hotkey_check`: a payload naming another hotkey than the
    committer's is dropped; naming the committer it is applied."""
    stored, events = pulses
    h1, h2 = two_validators()
    commit(h1, seal(payload(h2, [0, 1], [10, 20], WeightsVersionKey.get(NETUID))))
    store_pulse(stored)
    step_epochs(3)
    assert Weights.get(NETUID, 0) == [] and revealed(events) == []
    assert all(v == [] for _, v in TimelockedWeightCommits.iter_prefix(NETUID))
    commit(h1, seal(payload(h1, [0, 1], [10, 20], WeightsVersionKey.get(NETUID))))
    step_epochs(3)
    assert Weights.get(NETUID, 0) == [(0, 32768), (1, 65535)]


def test_reveal_crv3_commits_decryption_failure(pulses):
    """`test_reveal_crv3_commits_decryption_failure`: bytes that are no ciphertext are dropped."""
    stored, events = pulses
    h1, _ = two_validators()
    commit(h1, b"invalid_commit_data")
    store_pulse(stored)
    step_epochs(3)
    assert Weights.get(NETUID, 0) == [] and revealed(events) == []
    assert all(v == [] for _, v in TimelockedWeightCommits.iter_prefix(NETUID))


def test_reveal_crv3_commits_with_incorrect_identity_message(pulses):
    """`test_reveal_crv3_commits_with_incorrect_identity_message`: a ciphertext locked to
    another round does not open with this round's signature: dropped."""
    stored, events = pulses
    h1, _ = two_validators()
    commit(h1, seal(payload(h1, [0], [10], WeightsVersionKey.get(NETUID)), round_number=ROUND + 1))
    store_pulse(stored)
    step_epochs(3)
    assert Weights.get(NETUID, 0) == [] and revealed(events) == []


def test_reveal_crv3_commits_signature_deserialization_failure(pulses):
    """`test_reveal_crv3_commits_signature_deserialization_failure`: a stored signature that is
    no G1 point drops the commit."""
    stored, events = pulses
    h1, _ = two_validators()
    commit(h1, seal(payload(h1, [0], [10], WeightsVersionKey.get(NETUID))))
    store_pulse(stored, signature=b"\x00" * 48)
    step_epochs(3)
    assert Weights.get(NETUID, 0) == [] and revealed(events) == []


def test_reveal_crv3_commits_payload_decoding_failure(pulses):
    """`test_reveal_crv3_commits_payload_decoding_failure`: a plaintext that is neither payload
    is dropped."""
    stored, events = pulses
    h1, _ = two_validators()
    commit(h1, seal(b"\x01"))
    store_pulse(stored)
    step_epochs(3)
    assert Weights.get(NETUID, 0) == [] and revealed(events) == []


def test_reveal_crv3_commits_do_set_weights_failure(pulses):
    """`test_reveal_crv3_commits_do_set_weights_failure`: weights `set_weights` would refuse
    (here a version key below the subnet's) are dropped, nothing written."""
    stored, events = pulses
    h1, _ = two_validators()
    WeightsVersionKey.insert(NETUID, 7)
    commit(h1, seal(payload(h1, [0], [10], 6)))  # below the subnet's 7
    store_pulse(stored)
    step_epochs(3)
    assert Weights.get(NETUID, 0) == [] and revealed(events) == []


def test_reveal_crv3_commits_removes_past_epoch_commits(pulses):
    """`test_reveal_crv3_commits_removes_past_epoch_commits`: commits of epochs before the
    reveal epoch are removed."""
    _, _ = pulses
    two_validators()
    # As main's test: a non-zero epoch counter, the next epoch slot not due in the next block.
    cur = 10
    SubnetEpochIndex.insert(NETUID, cur)
    LastEpochBlock.insert(NETUID, system.block_number())
    for epoch in (cur - 5, cur - 4):
        TimelockedWeightCommits.insert(NETUID, epoch, [(account(1), 1, b"x", ROUND)])
    step_block()
    assert [e for e, _ in TimelockedWeightCommits.iter_prefix(NETUID)] == []


def test_reveal_crv3_commits_cannot_reveal_after_reveal_epoch(pulses):
    """`test_reveal_crv3_commits_cannot_reveal_after_reveal_epoch`: a pulse stored only after
    the reveal epoch is too late; the commit is gone."""
    stored, events = pulses
    h1, _ = two_validators()
    commit(h1, seal(payload(h1, [0], [10], WeightsVersionKey.get(NETUID))))
    step_epochs(4)
    store_pulse(stored)
    step_epochs(1)
    assert Weights.get(NETUID, 0) == [] and revealed(events) == []
    assert all(v == [] for _, v in TimelockedWeightCommits.iter_prefix(NETUID))


def test_decode_payload_prefers_the_current_payload_and_reads_prefixes():
    """Rust `Decode::decode` reads the front of the bytes: trailing bytes are ignored; a hotkey
    shorter than an account falls back to the legacy payload."""
    who = account(1)
    assert reveal.decode_payload(payload(who, [1], [2], 3) + b"\xff", who) == ([1], [2], 3)
    assert reveal.decode_payload(payload(account(2), [1], [2], 3), who) is None
    assert reveal.decode_payload(legacy_payload([4], [5], 6), who) == ([4], [5], 6)
    assert reveal.decode_payload(b"", who) is None
