"""The executive: block life cycle over a dict backend (initialize, inherent, signed
transactions, finalize), events and phases, a failed call keeping fee and nonce, weights and
limits, re-executing a block, and the genesis builder against a real runtime's genesis.

`Chain` (also used by test_validation and the integration test) keeps a state as a dict,
builds blocks with `BlockBuilder`, computes state roots with the node's trie and signs
extrinsics with our keyring.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.system as system
import pysubtensor.pallets.transaction_payment as tp
import pysubtensor.runtime as runtime
from pysubtensor.pallets import aura, sudo, timestamp
from pysubtensor.pallets.support.dispatch import DISPATCH_ERROR, DispatchClass, Pays, RuntimePanic, Weight
from pysubtensor.pallets.system.limits import SUBTENSOR_BLOCK_WEIGHTS
from pysubtensor.pallets.system.pallet import BlockWeight, ExtrinsicCount, LastRuntimeUpgrade
from pysubtensor.pallets.system.types import DispatchEventInfo
from pysubtensor.pallets.transaction_payment import fees
from pysubtensor.primitives.aura import pre_digest as aura_pre_digest
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.primitives.hashing import storage_prefix, twox128
from pysubtensor.primitives.header import EMPTY_TRIE_ROOT, Digest, Header, Seal
from pysubtensor.primitives.inherents import timestamp_inherent_data
from pysubtensor.primitives.keyring import DEV_ACCOUNTS, Keypair
from pysubtensor.primitives.scale import U64
from pysubtensor.primitives.transaction_validity import InvalidTransaction
from pysubtensor.primitives.trie import ordered_trie_root, trie_root
from pysubtensor.runtime import construct
from pysubtensor.runtime.era import Era
from pysubtensor.runtime.executive import (
    APPLY_EXTRINSIC_RESULT,
    TRANSACTION_VALIDITY,
    ApplyExtrinsicResult,
    BlockBuilder,
    BlockExecutionError,
    FinishedBlock,
    encode_transaction_validity,
    execute_block,
    validate_transaction,
)
from pysubtensor.runtime.extensions import EXTENSION_WEIGHTS, Pipeline
from pysubtensor.runtime.extrinsic import UncheckedExtrinsic, implicit_bytes, signing_payload
from pysubtensor.runtime.genesis import (
    build_state,
    dev_genesis_config,
    genesis_storage,
    get_preset,
    preset_names,
)
from pysubtensor.runtime.version import VERSION
from tests.conftest import vectors_dir
from tests.support.state import DictBackend

ALICE, BOB, CHARLIE, DAVE = (DEV_ACCOUNTS[n] for n in ("Alice", "Bob", "Charlie", "Dave"))
SLOT_MS = 250
IMMORTAL = Era()


def transfer(dest: bytes, value: int, *, keep_alive: bool = True) -> tuple:
    name = "transfer_keep_alive" if keep_alive else "transfer_allow_death"
    return ("Balances", (name, {"dest": ("Id", dest), "value": value}))


class Chain:
    """A chain held in memory: genesis from a config, blocks built by the runtime."""

    def __init__(self, config: dict | None = None) -> None:
        runtime.wire()
        self.state: dict[bytes, bytes] = genesis_storage(config if config is not None else dev_genesis_config())
        genesis = Header(bytes(32), 0, trie_root(self.state, 1), EMPTY_TRIE_ROOT)
        self.headers: list[Header] = [genesis]
        self.bodies: list[list[bytes]] = [[]]
        self.states: list[dict[bytes, bytes]] = [dict(self.state)]

    @property
    def genesis_hash(self) -> bytes:
        return self.headers[0].hash

    @property
    def best(self) -> Header:
        return self.headers[-1]

    def backend(self, number: int | None = None) -> DictBackend:
        return DictBackend(self.state if number is None else self.states[number])

    def read(self, fn: Callable[[], Any], number: int | None = None) -> Any:
        """Run `fn` on a read-only view of the state (best, or after block `number`)."""
        with using(Externalities(self.backend(number))):
            return fn()

    def root_after(self, changes: dict[bytes, bytes | None]) -> bytes:
        return trie_root(apply_changes(self.state, changes), 1)

    def builder(self, slot: int | None = None) -> BlockBuilder:
        number = self.best.number + 1
        slot = number if slot is None else slot
        return BlockBuilder(self.backend(), parent_hash=self.best.hash, number=number, digest=[aura_pre_digest(slot)])

    def build(self, *extrinsics: bytes, slot: int | None = None
              ) -> tuple[FinishedBlock, list[ApplyExtrinsicResult]]:
        """Initialize, Timestamp.set, the given extrinsics, finalize; the block is imported."""
        number = self.best.number + 1
        slot = number if slot is None else slot
        b = self.builder(slot)
        results = [b.apply_extrinsic(x) for x in b.inherent_extrinsics(timestamp_inherent_data(slot * SLOT_MS))]
        results += [b.apply_extrinsic(x) for x in extrinsics]
        block = b.finalize_block(self.root_after)
        self.import_block(block)
        return block, results

    def import_block(self, block: FinishedBlock) -> None:
        self.state = apply_changes(self.state, block.changes)
        self.headers.append(block.header)
        self.bodies.append(block.extrinsics)
        self.states.append(dict(self.state))

    def events(self, number: int | None = None) -> list[system.EventRecord]:
        return self.read(system.read_events, number)

    def account(self, who: bytes) -> Any:
        return self.read(lambda: system.account(who))

    def sign(self, signer: Keypair, call: Any, *, nonce: int, era: Era = IMMORTAL, tip: int = 0,
             birth_hash: bytes | None = None, genesis_hash: bytes | None = None, spec_version: int | None = None,
             tx_version: int | None = None, mode: str = "Disabled", metadata_hash: bytes | None = None) -> bytes:
        """A signed extrinsic as clients build it (the implicit data can be overridden to
        simulate a client with wrong chain data)."""
        genesis = self.genesis_hash if genesis_hash is None else genesis_hash
        if birth_hash is None:
            birth_hash = genesis if era.immortal else self.headers[era.birth(self.best.number)].hash
        call_bytes = construct.RUNTIME_CALL.encode(call)
        extra = {"CheckMortality": era, "CheckNonce": nonce, "ChargeTransactionPayment": tip,
                 "CheckMetadataHash": mode}
        implicit = implicit_bytes(
            spec_version=VERSION.spec_version if spec_version is None else spec_version,
            transaction_version=VERSION.transaction_version if tx_version is None else tx_version,
            genesis_hash=genesis, era_birth_hash=birth_hash, metadata_hash=metadata_hash)
        signature = signer.sign_multi(signing_payload(call_bytes, extra, implicit))
        return UncheckedExtrinsic.encode_signed(("Id", signer.account_id), signature, extra, call_bytes)

    def validate(self, encoded: bytes, source: str = "External") -> Any:
        return validate_transaction(self.backend(), source, encoded, self.best.hash)


def apply_changes(state: dict[bytes, bytes], changes: dict[bytes, bytes | None]) -> dict[bytes, bytes]:
    out = dict(state)
    for k, v in changes.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def named(records: list[system.EventRecord]) -> list[tuple[Any, str]]:
    return [(r.phase, f"{r.event[0]}.{type(r.event[1]).__name__}") for r in records]


@pytest.fixture
def chain() -> Iterator[Chain]:
    yield Chain()
    runtime.wire()


def signed_extension_weight() -> Weight:
    return Pipeline.from_extra({"CheckMortality": Era(), "CheckNonce": 0, "ChargeTransactionPayment": 0,
                                "CheckMetadataHash": "Disabled"}).weight(transfer(BOB.account_id, 1))


# ---------------------------------------------------------------------------
# Block life cycle


def test_empty_block_has_the_timestamp_inherent_and_its_events(chain):
    block, results = chain.build()
    assert results == [ApplyExtrinsicResult()]
    header = block.header
    assert header.number == 1 and header.parent_hash == chain.genesis_hash
    assert header.digest.logs == [aura_pre_digest(1)]
    assert header.extrinsics_root == ordered_trie_root(block.extrinsics, 0)
    assert header.state_root == trie_root(chain.state, 1)
    assert block.extrinsics[0][1] == 0x04  # bare v4
    records = chain.events()
    assert named(records) == [(("ApplyExtrinsic", 0), "System.ExtrinsicSuccess")]
    info = records[0].event[1].dispatch_info
    assert info == DispatchEventInfo(timestamp.SET_WEIGHT.saturating_add(
        SUBTENSOR_BLOCK_WEIGHTS.get(DispatchClass.MANDATORY).base_extrinsic), ("Mandatory", None), ("Yes", None))
    assert chain.read(timestamp.get) == SLOT_MS
    assert chain.read(lambda: aura.CurrentSlot.get()) == 1
    # Per-block temporaries are gone; number, parent hash and digest stay for clients.
    assert chain.read(system.block_number) == 1
    assert chain.read(lambda: system.block_hash(0)) == chain.genesis_hash
    assert chain.read(ExtrinsicCount.get) is None  # ExtrinsicCount taken


def test_apply_extrinsic_result_codec():
    assert ApplyExtrinsicResult().encode() == b"\x00\x00"
    failed = ApplyExtrinsicResult(dispatch_error=("Module", {"index": 5, "error": bytes([2, 0, 0, 0])}))
    assert failed.encode() == bytes([0, 1, 3, 5, 2, 0, 0, 0])
    from pysubtensor.primitives.transaction_validity import TransactionValidityError

    refused = ApplyExtrinsicResult(validity_error=TransactionValidityError.invalid(InvalidTransaction.STALE))
    assert refused.encode() == bytes([1, 0, 3])
    assert APPLY_EXTRINSIC_RESULT.decode_all(refused.encode()) == ("Err", ("Invalid", ("Stale", None)))
    unknown = TransactionValidityError.unknown("NoUnsignedValidator")
    assert encode_transaction_validity(unknown) == bytes([1, 1, 1])
    valid = TRANSACTION_VALIDITY.decode_all(encode_transaction_validity(
        __import__("pysubtensor.primitives.transaction_validity", fromlist=["x"]).ValidTransaction(priority=7)))
    assert valid[0] == "Ok" and valid[1].priority == 7


def test_signed_transfer_events_phases_fee_and_nonce(chain):
    # Dave is not the block author (Alice is), so his fee goes to Alice.
    xt = chain.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=0)
    alice_before, bob_before, dave_before = (chain.account(k.account_id).data.free for k in (ALICE, BOB, DAVE))
    _, results = chain.build(xt)
    assert results[1] == ApplyExtrinsicResult()
    call_info = construct.dispatch_info(transfer(BOB.account_id, 10**9))
    info = call_info.__class__(call_info.weight.saturating_add(signed_extension_weight()))
    fee = chain.read(lambda: fees.compute_fee(len(xt), info, 0))
    records = chain.events()
    assert named(records) == [
        (("ApplyExtrinsic", 0), "System.ExtrinsicSuccess"),
        (("ApplyExtrinsic", 1), "Balances.Withdraw"),
        (("ApplyExtrinsic", 1), "Balances.Transfer"),
        (("ApplyExtrinsic", 1), "Balances.Deposit"),
        (("ApplyExtrinsic", 1), "Balances.Deposit"),
        (("ApplyExtrinsic", 1), "TransactionPayment.TransactionFeePaid"),
        (("ApplyExtrinsic", 1), "System.ExtrinsicSuccess"),
    ]
    assert records[1].event[1] == balances.Event.Withdraw(DAVE.account_id, fee)
    assert records[3].event[1] == balances.Event.Deposit(DAVE.account_id, 0)        # refund: nothing unused
    assert records[4].event[1] == balances.Event.Deposit(ALICE.account_id, fee)     # the block author
    assert records[5].event[1] == tp.Event.TransactionFeePaid(DAVE.account_id, fee, 0)
    success = records[6].event[1].dispatch_info
    base = SUBTENSOR_BLOCK_WEIGHTS.get(DispatchClass.NORMAL).base_extrinsic
    assert success == DispatchEventInfo(info.weight.saturating_add(base), ("Normal", None), ("Yes", None))
    assert chain.account(DAVE.account_id).nonce == 1
    assert chain.account(DAVE.account_id).data.free == dave_before - 10**9 - fee
    assert chain.account(BOB.account_id).data.free == bob_before + 10**9
    assert chain.account(ALICE.account_id).data.free == alice_before + fee
    # The fee: base (108.157 µs -> 54_078) + one rao per byte + weight fee of call and extensions.
    assert fee == 54_078 + len(xt) + tp.linear_weight_to_fee(info.weight)


def test_extension_weights_are_the_runtime_table():
    w = signed_extension_weight()
    expected = Weight(0, 0)
    for name in ("check_non_zero_sender", "check_spec_version", "check_tx_version", "check_genesis",
                 "check_mortality", "check_weight", "charge_transaction_payment_wrapper",
                 "check_shielded_tx_validity", "check_coldkey_swap_extension"):
        expected = expected.saturating_add(EXTENSION_WEIGHTS[name])
    assert w == expected
    assert EXTENSION_WEIGHTS["charge_transaction_payment_wrapper"] == Weight(
        51_786_000 + 7 * 25_000_000 + 100_000_000, 3593)


def test_failed_call_keeps_fee_and_nonce_and_rolls_back_the_call(chain):
    dave = DAVE.account_id
    before = chain.account(dave).data.free
    # Too much: the transfer fails (keep-alive), after the fee was taken.
    xt = chain.sign(DAVE, transfer(BOB.account_id, before), nonce=0)
    _, results = chain.build(xt)
    assert results[1].included and results[1].dispatch_error is not None
    assert results[1].dispatch_error[0] in ("Token", "Module")
    records = chain.events()
    names = [n for _, n in named(records)]
    assert names == ["System.ExtrinsicSuccess", "Balances.Withdraw", "Balances.Deposit", "Balances.Deposit",
                     "TransactionPayment.TransactionFeePaid", "System.ExtrinsicFailed"]
    failed = records[-1].event[1]
    assert DISPATCH_ERROR.encode(failed.dispatch_error) == DISPATCH_ERROR.encode(results[1].dispatch_error)
    assert DISPATCH_ERROR.encode(failed.dispatch_error) == bytes([7, 0])  # Token(FundsUnavailable)
    assert failed.dispatch_info.pays_fee == ("Yes", None)
    fee = records[1].event[1].amount
    assert chain.account(dave).nonce == 1
    assert chain.account(dave).data.free == before - fee
    assert chain.account(BOB.account_id).data.free == 1_000_000 * 10**9


def test_failed_call_events_are_rolled_back_with_its_writes(chain):
    # A remark_with_event from Root-only set_storage fails: no Remarked, storage untouched.
    key = b"\x01some-key"
    call = ("System", ("set_storage", {"items": [(key, b"v")]}))
    xt = chain.sign(DAVE, call, nonce=0)
    _, results = chain.build(xt)
    assert results[1].dispatch_error == "BadOrigin"
    assert key not in chain.state
    assert [n for _, n in named(chain.events())][-1] == "System.ExtrinsicFailed"


def test_sudo_call_by_the_key_pays_no_fee_and_runs_as_root(chain):
    key = b"\x01sudo-key"
    inner = ("System", ("set_storage", {"items": [(key, b"v")]}))
    xt = chain.sign(ALICE, ("Sudo", ("sudo", {"call": inner})), nonce=0)
    _, results = chain.build(xt)
    assert results[1] == ApplyExtrinsicResult()
    assert chain.state[key] == b"v"
    records = chain.events()
    assert records[-1].event[1].dispatch_info.pays_fee == ("No", None)
    assert records[-2].event[1] == tp.Event.TransactionFeePaid(ALICE.account_id, 0, 0)
    assert chain.read(lambda: sudo.Key.get()) == ALICE.account_id


def test_nonces_in_one_block_and_a_refused_future_nonce(chain):
    xts = [chain.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=n) for n in (0, 1, 3)]
    block, results = chain.build(*xts)
    assert results[1].included and results[2].included
    assert results[3].validity_error.value == ("Invalid", ("Future", None))
    assert len(block.extrinsics) == 3  # the refused one is not in the block
    assert chain.account(DAVE.account_id).nonce == 2
    # Replaying an included transaction is stale.
    _, results = chain.build(xts[0])
    assert results[1].validity_error.value == ("Invalid", ("Stale", None))


def test_mortal_transaction_within_its_era(chain):
    for _ in range(3):
        chain.build()
    era = Era.mortal(64, chain.best.number)
    xt = chain.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=0, era=era)
    valid = chain.validate(xt)
    # Longevity: the era's death less the block being validated.
    assert valid.longevity == era.death(chain.best.number + 1) - (chain.best.number + 1)
    _, results = chain.build(xt)
    assert results[1] == ApplyExtrinsicResult()


def test_second_timestamp_in_a_block_panics(chain):
    b = chain.builder()
    inherent = b.inherent_extrinsics(timestamp_inherent_data(SLOT_MS))[0]
    assert b.apply_extrinsic(inherent).included
    with pytest.raises(RuntimePanic):
        b.apply_extrinsic(inherent)


def test_block_without_timestamp_panics_at_finalize(chain):
    b = chain.builder()
    with pytest.raises(RuntimePanic, match="Timestamp must be updated once"):
        b.finalize_block()


def test_timestamp_must_match_the_aura_slot(chain):
    b = chain.builder(slot=5)
    xt = b.inherent_extrinsics(timestamp_inherent_data(SLOT_MS))[0]  # slot 1's time in slot 5
    with pytest.raises(RuntimePanic, match="Timestamp slot must match"):
        b.apply_extrinsic(xt)


def test_inherent_signed_is_bad_mandatory_and_leaves_no_trace(chain):
    b = chain.builder()
    call = ("Timestamp", ("set", {"now": SLOT_MS}))
    xt = chain.sign(DAVE, call, nonce=0)
    result = b.apply_extrinsic(xt)
    assert result.validity_error.value == ("Invalid", ("BadMandatory", None))
    for x in b.inherent_extrinsics(timestamp_inherent_data(SLOT_MS)):
        assert b.apply_extrinsic(x).included
    block = b.finalize_block()
    assert len(block.extrinsics) == 1
    assert not any(k.startswith(storage_prefix("System", "Account")) and v is not None
                   for k, v in block.changes.items() if DAVE.account_id in k)


def test_bare_non_inherent_call_in_a_block_fails_with_bad_origin(chain):
    b = chain.builder()
    for x in b.inherent_extrinsics(timestamp_inherent_data(SLOT_MS)):
        b.apply_extrinsic(x)
    bare = UncheckedExtrinsic.encode_bare(construct.RUNTIME_CALL.encode(transfer(BOB.account_id, 1)))
    assert b.apply_extrinsic(bare) == ApplyExtrinsicResult(dispatch_error="BadOrigin")


def test_block_weight_and_length_limits(chain):
    b = chain.builder()
    for x in b.inherent_extrinsics(timestamp_inherent_data(SLOT_MS)):
        b.apply_extrinsic(x)
    # A remark longer than the normal-class block length (75% of 10 MiB).
    big = chain.sign(DAVE, ("System", ("remark", {"remark": bytes(8 * 1024 * 1024)})), nonce=0)
    assert b.apply_extrinsic(big).validity_error.value == ("Invalid", ("ExhaustsResources", None))
    # Fill the normal class, then one more transfer does not fit.
    with using(b.ext):
        consumed = system.block_weight()
        normal_max = SUBTENSOR_BLOCK_WEIGHTS.get(DispatchClass.NORMAL).max_total
        BlockWeight.put(consumed.with_value(
            DispatchClass.NORMAL, Weight(normal_max.ref_time - 1000, 0)))
    xt = chain.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=0)
    assert b.apply_extrinsic(xt).validity_error.value == ("Invalid", ("ExhaustsResources", None))
    with using(b.ext):
        assert system.account(DAVE.account_id).nonce == 0  # the refused attempt left nothing


def test_execute_block_reproduces_an_authored_block(chain):
    xt = chain.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=0)
    parent_state = dict(chain.state)
    block, _ = chain.build(xt)

    def root(changes: dict) -> bytes:
        return trie_root(apply_changes(parent_state, changes), 1)

    sealed = Header(block.header.parent_hash, block.header.number, block.header.state_root,
                    block.header.extrinsics_root, Digest([*block.header.digest.logs, Seal(b"aura", bytes(64))]))
    again = execute_block(DictBackend(parent_state), sealed, block.extrinsics, root)
    assert again.changes == block.changes
    # Tampering is caught.
    with pytest.raises(BlockExecutionError, match="Transaction trie root"):
        bad = Header(block.header.parent_hash, 1, block.header.state_root, bytes(32), block.header.digest)
        execute_block(DictBackend(parent_state), bad, block.extrinsics, root)
    with pytest.raises(BlockExecutionError, match="Storage root"):
        bad = Header(block.header.parent_hash, 1, bytes(32), block.header.extrinsics_root, block.header.digest)
        execute_block(DictBackend(parent_state), bad, block.extrinsics, root)
    with pytest.raises(BlockExecutionError, match="BadProof"):  # CheckGenesis now implies another chain
        bad = Header(bytes(32), 1, block.header.state_root, block.header.extrinsics_root, block.header.digest)
        execute_block(DictBackend(parent_state), bad, block.extrinsics, root)
    with pytest.raises(BlockExecutionError, match="inherent position"):
        execute_block(DictBackend(parent_state), block.header, list(reversed(block.extrinsics)), root)


def test_blocks_on_a_leveldb_state(tmp_path):
    from pysubtensor.node.state import StateDB

    chain = Chain()
    with StateDB(str(tmp_path / "state")) as db:
        root = db.build_genesis(chain.state, state_version=1)
        assert root == chain.headers[0].state_root
        for n in range(1, 4):
            xt = chain.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=n - 1)
            b = BlockBuilder(db.view(root), parent_hash=chain.best.hash, number=n, digest=[aura_pre_digest(n)])
            for x in b.inherent_extrinsics(timestamp_inherent_data(n * SLOT_MS)):
                b.apply_extrinsic(x)
            assert b.apply_extrinsic(xt).included
            pending = {}

            def state_root(changes: dict, root: bytes = root, pending: dict = pending) -> bytes:
                pending["commit"] = db.apply(root, changes, state_version=1)
                return pending["commit"].root

            block = b.finalize_block(state_root)
            root = db.commit(pending["commit"])
            chain.import_block(block)
            assert root == trie_root(chain.state, 1)
        assert chain.account(DAVE.account_id).nonce == 3
        with using(Externalities(db.view(root))):
            assert system.account(DAVE.account_id).nonce == 3


def test_runtime_upgrade_hook_runs_when_the_version_moves(chain):
    key = storage_prefix("System", "LastRuntimeUpgrade")
    chain.state[key] = bytes.fromhex("9504386e6f64652d73756274656e736f72")  # spec 293, as a real genesis
    chain.build()
    info = chain.read(LastRuntimeUpgrade.get)
    assert info.spec_version == VERSION.spec_version


def test_runtime_upgrade_runs_the_hooks_pallets_declare(chain):
    """When the version moved, `initialize_block` runs each composed pallet's declared
    `on_runtime_upgrade`: Aura recomputes `CurrentSlot` from the time (no slot digest follows
    here to overwrite it). Without an upgrade the slot is left alone."""
    chain.build(slot=8)  # Timestamp.set(2000): slot 8
    chain.state[aura.CurrentSlot.storage_key] = U64.encode(3)
    b = BlockBuilder(chain.backend(), parent_hash=chain.best.hash, number=2)
    with using(b.ext):
        assert aura.CurrentSlot.get() == 3  # no upgrade: the hook did not run
    chain.state[storage_prefix("System", "LastRuntimeUpgrade")] = bytes.fromhex("9504386e6f64652d73756274656e736f72")
    b = BlockBuilder(chain.backend(), parent_hash=chain.best.hash, number=2)
    with using(b.ext):
        assert aura.CurrentSlot.get() == 2000 // aura.Constants.SlotDuration == 8
        assert LastRuntimeUpgrade.get().spec_version == VERSION.spec_version


# ---------------------------------------------------------------------------
# Genesis


def test_genesis_equals_the_real_runtime_genesis_for_our_pallets():
    """The real spec-293 genesis (GenesisBuilder of the real runtime, aura-dev preset: the
    dev accounts, Alith and Baltathar, Alice as sudo, Aura and Grandpa authority): every key
    under our pallets and `:extrinsic_index` is the same, with the same value, except
    LastRuntimeUpgrade's spec version and what SubtensorModule's genesis build changed between
    spec 293 and spec 381 (opentensor/subtensor pallets/subtensor/src/macros/genesis.rs):
    `SubnetOwner` and `SubnetOwnerHotkey` of the root network are new (1ab5d4df7 "set root
    owner for fast time", 8fb032469 "add root owner hotkey"), `MaxWeightsLimit` of netuids 0
    and 1 is no longer written (be7c2d467 "remove max weight limit => u16::MAX")."""
    path = vectors_dir() / "oracle/genesis/auradev_spec293_genesis_storage_from_genesisbuilder.json"
    real = {bytes.fromhex(k[2:]): bytes.fromhex(v[2:]) for k, v in json.loads(path.read_text())["top"].items()}
    ours = genesis_storage(dev_genesis_config())
    prefixes = [twox128(p.name.encode()) for p in construct.PALLETS]

    def mine(key: bytes) -> bool:
        return key == b":extrinsic_index" or any(key.startswith(p) for p in prefixes)

    def netuid_key(item: str, netuid: int) -> bytes:  # Identity-hashed u16 netuid
        return storage_prefix("SubtensorModule", item) + netuid.to_bytes(2, "little")

    # MevShield (30) joined the runtime after spec 293: its genesis writes only its storage version (0).
    shield_version = construct.PALLETS_BY_NAME["MevShield"].storage_version_key
    assert ours[shield_version] == bytes(2)
    new_since_293 = {netuid_key("SubnetOwner", 0), netuid_key("SubnetOwnerHotkey", 0), shield_version}
    gone_since_293 = {netuid_key("MaxWeightsLimit", 0), netuid_key("MaxWeightsLimit", 1)}
    assert {k: real[k] for k in gone_since_293} == dict.fromkeys(gone_since_293, (0xFFFF).to_bytes(2, "little"))
    real_ours = {k: v for k, v in real.items() if mine(k) and k not in gone_since_293}
    assert set(ours) - new_since_293 == set(real_ours)
    last_upgrade = storage_prefix("System", "LastRuntimeUpgrade")
    assert {k for k in real_ours if ours[k] != real_ours[k]} == {last_upgrade}
    assert real_ours[last_upgrade] == bytes.fromhex("9504") + ours[last_upgrade][2:]  # Compact(293) vs ours
    assert b":code" not in ours
    # Storage versions of every pallet (System 0 … Grandpa 5, Balances 1).
    for pallet in construct.PALLETS:
        if pallet.name != "MevShield":
            assert ours[pallet.storage_version_key] == real[pallet.storage_version_key]


def test_genesis_builder_api():
    assert preset_names() == ["development", "local_testnet", "benchmark"]
    assert get_preset("nope") is None
    default = json.loads(get_preset(None))
    assert default["sudo"] == {"key": None} and default["balances"]["balances"] == []
    dev = json.loads(get_preset("development"))
    assert build_state(json.dumps(dev).encode()) == genesis_storage(dev_genesis_config())
    local = genesis_storage(json.loads(get_preset("local_testnet")))
    with using(Externalities(DictBackend(local))):
        assert len(aura.Authorities.get()) == 3
        assert system.account(Keypair.from_uri("//One").account_id).data.free == 2_000 * 10**9
    # Sections for pallets we do not have yet are accepted; unknown ones are not.
    assert build_state(b'{"adminUtils": {"nope": []}}') == genesis_storage({})
    assert build_state(b'{"subtensorModule": {"stakes": []}}') == genesis_storage({})
    from pysubtensor.runtime.genesis import GenesisBuildError

    with pytest.raises(GenesisBuildError, match="unknown field `nope`"):
        build_state(b'{"nope": {}}')
    with pytest.raises(GenesisBuildError, match="Invalid JSON blob"):
        build_state(b"{not json")
    with pytest.raises(GenesisBuildError, match="existential deposit"):
        build_state(json.dumps({"balances": {"balances": [[ALICE.ss58_address, 1]]}}).encode())


def test_extra_endowed_account_and_pays_fee_flags():
    extra = Keypair.from_uri("//Extra")
    chain = Chain(dev_genesis_config([(extra.ss58_address, 5 * 10**9)], eth_dev_accounts=False))
    assert chain.account(extra.account_id).data.free == 5 * 10**9
    with using(Externalities(chain.backend())):
        assert balances.pallet.dispatch_info(transfer(BOB.account_id, 1)[1]).pays_fee == Pays.YES
    runtime.wire()
