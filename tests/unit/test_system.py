"""System (frame_system): declarations against the real runtime's metadata, storage keys and
values against real chain data, and the behaviour of accounts, events, blocks, weights and
calls as frame-system has it."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

import pysubtensor.pallets.system as system
from pysubtensor.pallets.balances.types import AccountData
from pysubtensor.pallets.support.dispatch import (
    BadOrigin,
    DispatchClass,
    DispatchError,
    DispatchInfo,
    Origin,
    Pays,
    PostDispatchInfo,
    RuntimePanic,
    Weight,
)
from pysubtensor.pallets.system import check_weight
from pysubtensor.pallets.system.limits import EXTRINSIC_BASE_WEIGHT, SUBTENSOR_BLOCK_WEIGHTS
from pysubtensor.pallets.system.pallet import (
    Account,
    AuthorizedUpgrade,
    BlockHash,
    BlockWeight,
    Error,
    Event,
    Events,
    EventTopics,
    ExtrinsicCount,
    ExtrinsicData,
    Number,
)
from pysubtensor.pallets.system.types import DispatchEventInfo, EventRecord, apply_extrinsic
from pysubtensor.pallets.timestamp import SET_WEIGHT
from pysubtensor.primitives import header
from pysubtensor.primitives.externalities import current
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import U16
from pysubtensor.primitives.transaction_validity import TransactionValidityError
from pysubtensor.runtime.version import VERSION, RuntimeVersion
from tests.conftest import vectors_dir
from tests.support.frame import frame_env
from tests.support.metadata import BLOBS, assert_pallet_matches, real_pallet, summary_pallet

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
NORMAL, OPERATIONAL, MANDATORY = DispatchClass.NORMAL, DispatchClass.OPERATIONAL, DispatchClass.MANDATORY


def _chopsticks() -> dict:
    path = vectors_dir() / "oracle" / "chopsticks" / "chopsticks_spec218_transfer_session.json"
    return json.loads(path.read_text())


def _storage_result(session: dict, key_prefix: str, at: str | None = None) -> str | None:
    for c in session["calls"]:
        if c["method"] == "state_getStorage" and c["params"][0].startswith(key_prefix) \
                and (at is None or c["params"][1] == at):
            return c["result"]
    raise KeyError(key_prefix)


def _dispatch(call: str, origin: Origin, **args):
    return system.pallet.dispatch(origin, (call, args))


def _start_block(number: int = 1, parent: bytes = b"\x11" * 32) -> None:
    system.initialize(number, parent, header.Digest())
    system.note_finished_initialize()


# ---------------------------------------------------------------------------
# Shape: the real runtime's metadata


@pytest.mark.parametrize("blob", BLOBS)
def test_declarations_match_the_real_metadata(blob):
    with frame_env():
        assert_pallet_matches(system.pallet, blob, skip_constant_values=("Version",))


def test_names_and_indices_match_the_spec_381_summary():
    s = summary_pallet("System")
    p = system.pallet
    assert [(c["index"], c["name"], c["fields"]) for c in s["call_list"]] == \
        [(v.index, v.name, [f.name for f in v.fields]) for v in p.call_enum.variants]
    assert s["event_list"] == [[v.index, v.name] for v in p.event_enum.variants]
    assert s["error_list"] == [[v.index, v.name] for v in p.error_enum.variants]
    assert s["storage_list"] == [i.name for i in p.storage_items]
    assert s["constant_list"] == [c.name for c in p.constant_items]


def test_version_constant_is_the_runtime_version_lazily():
    with frame_env():
        version = next(c for c in system.pallet.constant_items if c.name == "Version")
        real = next(c for c in real_pallet(BLOBS[0], "System").constants if c.name == "Version")
        assert version.lazy and version.current_value is VERSION
        # Same layout as the real constant: the real bytes decode with our codec.
        assert version.codec.decode_all(real.value).spec_name == "node-subtensor"


# ---------------------------------------------------------------------------
# Storage keys and values of the real chain


def test_account_key_is_the_verified_vector():
    expected = ("26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"
                "de1e86a9a8c739864cf3cc5ec2bea59f" + ALICE.hex())
    assert Account.hashed_key(ALICE).hex() == expected


def test_account_values_of_the_real_chain_round_trip():
    session = _chopsticks()
    block3 = [c["result"] for c in session["calls"] if c["method"] == "dev_newBlock"][1]  # after the transfer
    alice = _storage_result(session, "0x" + Account.hashed_key(ALICE).hex(), block3)
    bob = _storage_result(session, "0x" + Account.hashed_key(BOB).hex(), block3)
    a = Account.value.decode_all(bytes.fromhex(alice[2:]))
    b = Account.value.decode_all(bytes.fromhex(bob[2:]))
    assert (a.nonce, a.consumers, a.providers, a.sufficients) == (1, 0, 1, 0)
    assert (b.nonce, b.providers, b.data.free) == (0, 1, 12345678900)
    assert Account.value.encode(a).hex() == alice[2:] and Account.value.encode(b).hex() == bob[2:]


def test_event_records_encode_as_the_real_events_value():
    """The spec-218 block with the timestamp inherent and a transfer: our System event
    records are byte for byte those in the real `System.Events` value."""
    session = _chopsticks()
    raw = bytes.fromhex(_storage_result(session, "0x26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7")[2:])
    with frame_env():
        def record(phase_index: int, event) -> bytes:
            return system.EVENT_RECORD.encode(EventRecord(apply_extrinsic(phase_index), ("System", event), []))

        inherent = record(0, Event.ExtrinsicSuccess(DispatchEventInfo(Weight(265_758_000, 1493), MANDATORY, Pays.YES)))
        transfer = record(1, Event.ExtrinsicSuccess(DispatchEventInfo(Weight(270_233_000, 3593), NORMAL, Pays.YES)))
        new_bob = record(1, Event.NewAccount(BOB))
    assert raw.startswith(bytes([9 << 2]) + inherent)
    assert raw.endswith(transfer)
    assert new_bob in raw


def test_timestamp_inherent_weight_is_set_plus_base_extrinsic_of_spec_218():
    """ExtrinsicSuccess of the real timestamp inherent = `Timestamp.set` weight + the
    Mandatory base extrinsic weight of that runtime (from its BlockWeights constant)."""
    weights = system.pallet.constant_items[0].codec.decode_all(
        next(c for c in real_pallet("spec218_raonet_metadata_v14.hex", "System").constants
             if c.name == "BlockWeights").value)
    assert SET_WEIGHT.saturating_add(weights.per_class.mandatory.base_extrinsic) == Weight(265_758_000, 1493)


def test_genesis_writes_what_the_real_genesis_builder_writes():
    """System's part of the real spec-293 genesis (auradev): everything but the accounts,
    which Balances creates."""
    path = vectors_dir() / "oracle" / "genesis" / "auradev_spec293_genesis_storage_from_genesisbuilder.json"
    top = {bytes.fromhex(k[2:]): bytes.fromhex(v[2:]) for k, v in json.loads(path.read_text())["top"].items()}
    prefix = bytes.fromhex("26aa394eea5630e07c48ae0c9558cef7")
    expected = {k: v for k, v in top.items()
                if (k.startswith(prefix) and not k.startswith(Account.prefix)) or k == b":extrinsic_index"}
    with frame_env(version=RuntimeVersion(spec_version=293)) as ext:
        system.pallet.genesis_build({})
        ext.set(system.pallet.storage_version_key, U16.encode(system.pallet.storage_version))
        ours = ext.overlay.changes()
    assert ours == expected


# ---------------------------------------------------------------------------
# Accounts and their references


def test_first_provider_creates_the_account_and_the_last_reaps_it():
    with frame_env():
        _start_block()
        assert not system.account_exists(ALICE)
        assert system.inc_providers(ALICE) == system.CREATED
        assert system.inc_providers(ALICE) == system.EXISTED
        assert system.providers(ALICE) == 2
        assert system.dec_providers(ALICE) == system.EXISTS
        assert system.dec_providers(ALICE) == system.REAPED
        assert not system.account_exists(ALICE)
        assert [r.event for r in system.read_events()] == [("System", Event.NewAccount(ALICE)),
                                                           ("System", Event.KilledAccount(ALICE))]


def test_consumers_keep_the_last_provider():
    with frame_env():
        _start_block()
        with pytest.raises(DispatchError) as e:
            system.inc_consumers(ALICE)
        assert e.value.value == "NoProviders"
        system.inc_providers(ALICE)
        system.inc_consumers(ALICE)
        with pytest.raises(DispatchError) as e:
            system.dec_providers(ALICE)
        assert e.value.value == "ConsumerRemaining"
        assert system.providers(ALICE) == 1 and not system.can_dec_provider(ALICE)
        system.dec_consumers(ALICE)
        assert system.dec_providers(ALICE) == system.REAPED


def test_consumer_limit_is_sixteen():
    with frame_env():
        system.inc_providers(ALICE)
        for _ in range(16):
            system.inc_consumers(ALICE)
        assert not system.can_inc_consumer(ALICE)
        with pytest.raises(DispatchError) as e:
            system.inc_consumers(ALICE)
        assert e.value.value == "TooManyConsumers"
        system.inc_consumers_without_limit(ALICE)
        assert system.consumers(ALICE) == 17


def test_sufficients_alone_keep_an_account():
    with frame_env():
        _start_block()
        assert system.inc_sufficients(ALICE) == system.CREATED
        assert system.inc_providers(ALICE) == system.EXISTED
        assert system.dec_providers(ALICE) == system.EXISTS  # the sufficient keeps it
        assert system.account(ALICE).providers == 0 and system.account_exists(ALICE)
        assert system.dec_sufficients(ALICE) == system.REAPED
        assert not system.account_exists(ALICE)
        assert len(system.read_events()) == 2  # Event.NewAccount once, Event.KilledAccount once


def test_account_data_store_removes_accounts_without_references():
    with frame_env():
        def set_free(amount):
            return lambda data: (AccountData(free=amount), "done")

        # No provider: the data is not kept and the account does not exist.
        assert system.try_mutate_exists_account_data(ALICE, set_free(10)) == "done"
        assert not system.account_exists(ALICE)
        system.inc_providers(ALICE)
        system.try_mutate_exists_account_data(ALICE, set_free(10))
        assert system.account(ALICE).data.free == 10
        # The callback sees None for default data and may fail without writing.
        seen = []
        system.try_mutate_exists_account_data(ALICE, lambda d: (seen.append(d) or None, None))
        assert system.account(ALICE).data == AccountData() and seen[0].free == 10

        def fail(data):
            raise DispatchError.token("FundsUnavailable")

        with pytest.raises(DispatchError):
            system.try_mutate_exists_account_data(ALICE, fail)


def test_nonces():
    with frame_env():
        assert system.account_nonce(ALICE) == 0
        system.inc_account_nonce(ALICE)
        system.inc_account_nonce(ALICE)
        assert system.account_nonce(ALICE) == 2


def test_no_events_in_the_genesis_block():
    with frame_env():
        system.inc_providers(ALICE)
        assert system.event_count() == 0 and system.read_events() == []


# ---------------------------------------------------------------------------
# Events


def test_events_are_appended_with_phase_count_and_topics():
    topic = b"\x07" * 32
    with frame_env() as ext:
        Number.put(4)
        _start_block(number=5)
        for i in range(40):
            system.deposit_event(("System", Event.Remarked(ALICE, bytes([i]) * 32)), topics=[topic] if i % 2 else ())
        records = system.read_events()
        assert len(records) == 40 == system.event_count()
        assert all(r.phase == apply_extrinsic(0) for r in records)
        # The stored bytes are exactly the SCALE vector of the records (two-byte prefix now).
        assert ext.get(Events.storage_key) == Events.value.encode(records)
        assert EventTopics.get(topic) == [(5, i) for i in range(1, 40, 2)]
        system.reset_events()
        assert system.read_events() == [] and system.event_count() == 0 and EventTopics.get(topic) == []


def test_event_phases_follow_the_block():
    with frame_env():
        system.initialize(1, b"\x11" * 32, header.Digest())
        system.deposit_event(("System", Event.CodeUpdated()))
        system.note_finished_initialize()
        system.note_applied_extrinsic(None, DispatchInfo(Weight(1, 0), MANDATORY))
        system.note_finished_extrinsics()
        system.deposit_event(("System", Event.CodeUpdated()))
        assert [r.phase for r in system.read_events()] == [("Initialization", None), apply_extrinsic(0),
                                                           ("Finalization", None)]


# ---------------------------------------------------------------------------
# Block life cycle


def test_block_life_cycle_leaves_only_what_clients_read():
    parent = b"\x22" * 32
    digest = header.Digest([header.PreRuntime(b"aura", bytes(8))])
    with frame_env() as ext:
        system.pallet.genesis_build({})
        system.initialize(1, parent, digest)
        assert ext.get(b":intrablock_entropy") == blake2_256(b"frame_system::initialize" + parent)
        system.note_finished_initialize()
        for xt in (b"\x01\x02", b"\x03"):
            system.note_extrinsic(xt)
            system.note_applied_extrinsic(None, DispatchInfo(Weight(10, 0)))
        assert system.extrinsic_index() == 2
        system.note_finished_extrinsics()
        assert ExtrinsicCount.get() == 2
        block = system.finalize()
        assert block == system.FinalizedBlock(1, parent, [b"\x01\x02", b"\x03"], digest)
        for temporary in (b":extrinsic_index", b":intrablock_entropy", ExtrinsicCount.storage_key,
                          ExtrinsicData.hashed_key(0), system.pallet.storage_items[16].storage_key):
            assert ext.get(temporary) is None
        assert Number.get() == 1 and system.parent_hash() == parent and system.digest() == digest
        assert system.block_hash(0) == parent and system.event_count() == 2
        # The next block starts from a clean event list.
        system.initialize(2, b"\x33" * 32, header.Digest())
        assert system.event_count() == 0


def test_block_numbers_must_increase_by_one():
    with frame_env():
        system.initialize(1, bytes(32), header.Digest())
        with pytest.raises(RuntimePanic):
            system.initialize(3, bytes(32), header.Digest())


def test_block_hashes_are_pruned_after_block_hash_count():
    with frame_env():
        Number.put(2401)
        for n in (0, 1, 2):
            BlockHash.insert(n, bytes([n + 1]) * 32)
        system.finalize()  # block 2401 removes BlockHash[2401 - 2400 - 1] = [0]: the genesis hash stays
        assert BlockHash.contains_key(0)
        Number.put(2402)
        system.finalize()
        assert not BlockHash.contains_key(1) and BlockHash.contains_key(2)


def test_applied_extrinsic_reports_actual_weight_plus_base():
    info = DispatchInfo(Weight(1_000, 100), NORMAL)
    with frame_env():
        _start_block()
        system.note_applied_extrinsic(PostDispatchInfo(Weight(400, 500)), info)
        system.note_applied_extrinsic(PostDispatchInfo(pays_fee=Pays.NO), DispatchInfo(Weight(7, 0), OPERATIONAL))
        error = DispatchError("BadOrigin").with_post_info(PostDispatchInfo(Weight(1, 1)))
        system.note_applied_extrinsic(error, info)
        base = EXTRINSIC_BASE_WEIGHT.ref_time
        expected = [
            EventRecord(apply_extrinsic(0), ("System", Event.ExtrinsicSuccess(
                DispatchEventInfo(Weight(400 + base, 100), NORMAL, Pays.YES)))),
            EventRecord(apply_extrinsic(1), ("System", Event.ExtrinsicSuccess(
                DispatchEventInfo(Weight(7 + base, 0), OPERATIONAL, Pays.NO)))),
            EventRecord(apply_extrinsic(2), ("System", Event.ExtrinsicFailed(
                "BadOrigin", DispatchEventInfo(Weight(1 + base, 1), NORMAL, Pays.YES)))),
        ]
        assert current().get(Events.storage_key) == Events.value.encode(expected)


# ---------------------------------------------------------------------------
# Weights


def test_block_weight_accounting_and_reclaim():
    with frame_env():
        _start_block()
        system.register_extra_weight_unchecked(SUBTENSOR_BLOCK_WEIGHTS.base_block, MANDATORY)
        info = DispatchInfo(Weight(1_000_000, 10), NORMAL)
        check_weight.validate_and_prepare(info, 100)
        assert system.all_extrinsics_len() == 100
        assert BlockWeight.get().normal == Weight(1_000_000 + EXTRINSIC_BASE_WEIGHT.ref_time, 110)
        post = PostDispatchInfo(Weight(400_000, 10))
        system.reclaim_weight(info, post)
        system.reclaim_weight(info, post)  # only once per extrinsic
        assert BlockWeight.get().normal == Weight(400_000 + EXTRINSIC_BASE_WEIGHT.ref_time, 110)
        system.note_applied_extrinsic(post, info)  # the next extrinsic may reclaim again
        assert system.remaining_block_weight().ref_time == (
            4_000_000_000_000 - SUBTENSOR_BLOCK_WEIGHTS.base_block.ref_time - 400_000 - EXTRINSIC_BASE_WEIGHT.ref_time)


def test_check_weight_limits_per_class():
    limits = SUBTENSOR_BLOCK_WEIGHTS
    normal_max = limits.per_class.normal.max_extrinsic
    with frame_env():
        _start_block()
        with pytest.raises(TransactionValidityError, match="ExhaustsResources"):
            check_weight.do_validate(DispatchInfo(normal_max + Weight(1, 0), NORMAL), 0)
        check_weight.do_validate(DispatchInfo(normal_max, NORMAL), 0)
        # Fill the normal share; a further normal extrinsic no longer fits, an operational one does.
        fill = limits.per_class.normal.max_total.ref_time - 2 * EXTRINSIC_BASE_WEIGHT.ref_time
        check_weight.validate_and_prepare(DispatchInfo(Weight(normal_max.ref_time, 0), NORMAL), 0)
        check_weight.validate_and_prepare(DispatchInfo(Weight(fill - normal_max.ref_time, 0), NORMAL), 0)
        assert BlockWeight.get().normal.ref_time == limits.per_class.normal.max_total.ref_time
        with pytest.raises(TransactionValidityError, match="ExhaustsResources"):
            check_weight.validate_and_prepare(DispatchInfo(Weight(1, 0), NORMAL), 0)
        check_weight.validate_and_prepare(DispatchInfo(Weight(1, 0), OPERATIONAL), 0)
        # Mandatory extrinsics are never limited.
        check_weight.validate_and_prepare(DispatchInfo(Weight(10 ** 15, 0), MANDATORY), 0)


def test_check_weight_limits_block_length():
    with frame_env():
        _start_block()
        check_weight.validate_and_prepare(DispatchInfo(Weight(0, 0), NORMAL), 7_864_320)
        with pytest.raises(TransactionValidityError, match="ExhaustsResources"):
            check_weight.do_validate(DispatchInfo(Weight(0, 0), NORMAL), 1)
        check_weight.validate_and_prepare(DispatchInfo(Weight(0, 0), OPERATIONAL), 1)
        assert system.all_extrinsics_len() == 7_864_321


# ---------------------------------------------------------------------------
# Calls


def test_call_weights_and_classes():
    calls = system.pallet.calls
    assert calls["remark"].info({"remark": b"xy"}) == DispatchInfo(Weight(2_119_780, 0), NORMAL, Pays.YES)
    assert calls["set_code"].info({"code": b""}).dispatch_class == OPERATIONAL
    assert calls["kill_prefix"].weight_of({"prefix": b"", "subkeys": 0xFFFF_FFFF}).ref_time > 0
    assert all(calls[n].dispatch_class == OPERATIONAL for n in (
        "set_heap_pages", "set_code", "set_code_without_checks", "set_storage", "kill_storage", "kill_prefix",
        "authorize_upgrade", "authorize_upgrade_without_checks", "apply_authorized_upgrade"))


def test_root_calls_refuse_other_origins():
    with frame_env():
        for name, args in (("set_heap_pages", {"pages": 1}), ("set_code", {"code": b""}),
                           ("set_storage", {"items": []}), ("kill_storage", {"keys": []}),
                           ("kill_prefix", {"prefix": b"", "subkeys": 0}),
                           ("authorize_upgrade", {"code_hash": bytes(32)})):
            with pytest.raises(BadOrigin):
                _dispatch(name, Origin.signed(ALICE), **args)
        with pytest.raises(BadOrigin):
            _dispatch("remark_with_event", Origin.root(), remark=b"")


def test_storage_calls():
    # `subkeys` limits the committed keys removed (sp-io); keys written in this block all go.
    with frame_env(state={b"ab1": b"x", b"ab2": b"y"}) as ext:
        _start_block()
        _dispatch("remark", Origin.none(), remark=b"anything")
        _dispatch("set_storage", Origin.root(), items=[(b"ab0", b"w"), (b"ab3", b"v"), (b"c", b"z")])
        _dispatch("kill_storage", Origin.root(), keys=[b"c"])
        assert ext.get(b"c") is None and ext.get(b"ab0") == b"w"
        _dispatch("kill_prefix", Origin.root(), prefix=b"ab", subkeys=1)
        assert [ext.get(k) for k in (b"ab0", b"ab1", b"ab2", b"ab3")] == [None, None, b"y", None]
        _dispatch("set_heap_pages", Origin.root(), pages=64)
        assert ext.get(b":heappages") == (64).to_bytes(8, "little")
        assert system.digest().logs == [header.RuntimeEnvironmentUpdated()]
        _dispatch("remark_with_event", Origin.signed(ALICE), remark=b"hello")
        assert system.read_events()[-1].event == ("System", Event.Remarked(ALICE, blake2_256(b"hello")))


def test_set_code_checks_the_version_and_stores_code():
    newer = RuntimeVersion(spec_version=VERSION.spec_version + 1)
    with frame_env() as ext:
        _start_block()
        with pytest.raises(Error.FailedToExtractRuntimeVersion):
            _dispatch("set_code", Origin.root(), code=b"wasm")
        system.pallet.bind(replace(system.pallet.config, read_runtime_version=lambda code: VERSION))
        with pytest.raises(Error.SpecVersionNeedsToIncrease):
            _dispatch("set_code", Origin.root(), code=b"wasm")
        system.pallet.bind(replace(system.pallet.config, read_runtime_version=lambda code: newer))
        post = _dispatch("set_code", Origin.root(), code=b"wasm")
        assert post.actual_weight == SUBTENSOR_BLOCK_WEIGHTS.max_block
        assert ext.get(b":code") == b"wasm"
        assert system.read_events()[-1].event == ("System", Event.CodeUpdated())
        assert system.digest().logs == [header.RuntimeEnvironmentUpdated()]
        _dispatch("set_code_without_checks", Origin.root(), code=b"other")
        assert ext.get(b":code") == b"other"


def test_authorized_upgrades():
    code = b"new runtime"
    code_hash = blake2_256(code)
    with frame_env() as ext:
        _start_block()
        with pytest.raises(Error.NothingAuthorized):
            _dispatch("apply_authorized_upgrade", Origin.signed(BOB), code=code)
        _dispatch("authorize_upgrade", Origin.root(), code_hash=code_hash)
        assert system.read_events()[-1].event == ("System", Event.UpgradeAuthorized(code_hash, True))
        with pytest.raises(Error.Unauthorized):
            _dispatch("apply_authorized_upgrade", Origin.signed(BOB), code=b"other code")
        # The version check fails: not the caller's fault; the authorization is used up.
        post = _dispatch("apply_authorized_upgrade", Origin.signed(BOB), code=code)
        assert post == PostDispatchInfo(pays_fee=Pays.NO)
        rejected = system.read_events()[-1].event[1]
        assert isinstance(rejected, Event.RejectedInvalidAuthorizedUpgrade)
        assert rejected.error == ("Module", {"index": 0, "error": bytes([2, 0, 0, 0])})
        assert AuthorizedUpgrade.get() is None and ext.get(b":code") is None
        # Without checks the code is applied, by any origin, free of charge.
        _dispatch("authorize_upgrade_without_checks", Origin.root(), code_hash=code_hash)
        post = _dispatch("apply_authorized_upgrade", Origin.none(), code=code)
        assert post == PostDispatchInfo(SUBTENSOR_BLOCK_WEIGHTS.max_block, Pays.NO)
        assert ext.get(b":code") == code
