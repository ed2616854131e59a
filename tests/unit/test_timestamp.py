"""Timestamp (pallet_timestamp): shape against the real metadata, the real inherent's
encoding and weight, and the once-per-block and minimum-period rules."""

from __future__ import annotations

import json

import pytest

import pysubtensor.pallets.system as system
import pysubtensor.pallets.timestamp as timestamp
from pysubtensor.pallets.support.dispatch import (
    BadOrigin,
    DispatchClass,
    DispatchInfo,
    Origin,
    Pays,
    RuntimePanic,
    Weight,
)
from pysubtensor.primitives import header
from pysubtensor.primitives.scale import decode_compact
from tests.conftest import vectors_dir
from tests.support.frame import frame_env
from tests.support.metadata import BLOBS, assert_pallet_matches, real_pallet, summary_pallet


def _set(now: int, origin: Origin | None = None) -> None:
    timestamp.pallet.dispatch(origin or Origin.none(), ("set", {"now": now}))


@pytest.fixture
def block():
    # The pallet alone: its Config's defaults (`OnTimestampSet = ()`), not the runtime's Aura hook.
    with frame_env(timestamp.pallet) as ext, \
            timestamp.pallet.bound(timestamp.Config(deposit_event=timestamp.pallet.config.deposit_event)):
        system.initialize(1, bytes(32), header.Digest())
        yield ext


@pytest.mark.parametrize("blob", BLOBS)
def test_declarations_match_the_real_metadata(blob):
    # finney runs 12 s blocks (MinimumPeriod 6000); we run devnet's fast blocks.
    skip = () if blob == BLOBS[0] else ("MinimumPeriod",)
    assert_pallet_matches(timestamp.pallet, blob, skip_constant_values=skip)


def test_minimum_period_is_the_fast_runtime_value_of_spec_381():
    real = next(c for c in real_pallet(BLOBS[0], "Timestamp").constants if c.name == "MinimumPeriod")
    assert int.from_bytes(real.value, "little") == timestamp.Constants.MinimumPeriod == 125


def test_summary_names():
    s = summary_pallet("Timestamp")
    assert s["call_list"] == [{"index": 0, "name": "set", "fields": ["now"]}]
    assert s["storage_list"] == ["Now", "DidUpdate"] and s["constant_list"] == ["MinimumPeriod"]


def test_real_inherent_decodes_to_set():
    """The timestamp inherent of the real spec-218 block: `0x04` (bare v4) + call bytes."""
    path = vectors_dir() / "oracle" / "chopsticks" / "chopsticks_spec218_transfer_session.json"
    session = json.loads(path.read_text())
    block = next(c["result"]["block"] for c in session["calls"] if c["method"] == "chain_getBlock")
    xt = bytes.fromhex(block["extrinsics"][0][2:])
    length, start = decode_compact(xt)
    assert length == len(xt) - start and xt[start] == 0x04
    pallet_index, call = xt[start + 1], xt[start + 2:]
    assert pallet_index == timestamp.pallet.index
    value = timestamp.pallet.call_enum.decode_all(call)
    assert value[0] == "set" and value[1]["now"] == 1_795_874_954_408
    assert timestamp.pallet.call_enum.encode(value) == call


def test_weights_and_class():
    info = timestamp.pallet.calls["set"].info({"now": 1})
    assert info == DispatchInfo(timestamp.SET_WEIGHT, DispatchClass.MANDATORY, Pays.YES)
    assert timestamp.SET_WEIGHT == Weight(158_684_000, 1493)  # + base extrinsic = the real event weight
    assert timestamp.pallet.on_initialize(1) == Weight(4_118_000, 0)


def test_set_once_per_block(block):
    _set(1_000)
    assert timestamp.get() == 1_000 and timestamp.DidUpdate.get()
    with pytest.raises(RuntimePanic, match="only once"):
        _set(2_000)
    timestamp.on_finalize(1)
    assert not timestamp.DidUpdate.exists()
    with pytest.raises(RuntimePanic, match="updated once"):
        timestamp.on_finalize(2)


def test_minimum_period_between_blocks(block):
    _set(10_000)
    timestamp.on_finalize(1)
    with pytest.raises(RuntimePanic, match="MinimumPeriod"):
        _set(10_000 + timestamp.Constants.MinimumPeriod - 1)
    _set(10_000 + timestamp.Constants.MinimumPeriod)


def test_origin_must_be_none(block):
    with pytest.raises(BadOrigin):
        _set(1, Origin.signed(bytes(32)))
    with pytest.raises(BadOrigin):
        _set(1, Origin.root())


def test_on_timestamp_set_is_called(block):
    seen = []
    with timestamp.pallet.bound(on_timestamp_set=seen.append):
        _set(5_000)
    assert seen == [5_000]


def test_inherent_creation_and_checks(block):
    assert timestamp.create_inherent(1_000) == 1_000
    timestamp.Now.put(5_000)
    assert timestamp.create_inherent(5_001) == 5_000 + timestamp.Constants.MinimumPeriod
    timestamp.check_inherent(5_200, 5_000)
    with pytest.raises(timestamp.InherentError) as e:
        timestamp.check_inherent(5_100, 5_000)
    assert e.value.kind == "TooEarly"
    with pytest.raises(timestamp.InherentError) as e:
        timestamp.check_inherent(5_000 + 30_001 + 1_000, 6_000)
    assert e.value.kind == "TooFarInFuture"
