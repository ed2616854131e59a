"""The README's "Writing a pallet" example is real code: it is taken from README.md, run, and
each thing it declares does what the README says (storage, call with its weight and error,
event, constant, Config binding, hook, genesis, runtime API)."""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterator

import pytest
from substrateinterface.utils import hasher as si_hasher

from pysubtensor.pallets.support.dispatch import DispatchError, Origin, Weight
from pysubtensor.pallets.support.runtime_api import RuntimeApi
from pysubtensor.primitives.keyring import DEV_ACCOUNTS
from pysubtensor.primitives.scale import U16
from pysubtensor.runtime.api_traits import RUNTIME_APIS
from pysubtensor.runtime.apis import call, methods_of
from pysubtensor.runtime.version import version_with
from tests.conftest import REPO_ROOT
from tests.support.events import capture_events
from tests.support.frame import frame_env

ALICE = DEV_ACCOUNTS["Alice"].account_id


@pytest.fixture(scope="module")
def example() -> Iterator[types.ModuleType]:
    text = (REPO_ROOT / "README.md").read_text()
    section = text[text.index("## Writing a pallet"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    module = types.ModuleType("readme_example")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    try:
        exec(compile(code, "README.md#writing-a-pallet", "exec", dont_inherit=True), module.__dict__)
        yield module
    finally:
        del sys.modules[module.__name__]


def test_the_example_declares_what_the_readme_says(example) -> None:
    p = example.pallet.check()
    assert [i.name for i in p.storage_items] == ["Tempo", "TotalStake"]
    assert [c.name for c in p.constant_items] == ["MaxTempo"] and example.Constants.MaxTempo == 1000
    assert [v.name for v in p.call_enum.variants] == ["set_tempo"]
    assert [(v.name, v.index) for v in p.event_enum.variants] == [("TempoSet", 0)]
    assert [(v.name, v.index) for v in p.error_enum.variants] == [("TempoTooLarge", 0)]
    # Keys as frame-support lays them out (hashes by substrate-interface): twox128(pallet) ++
    # twox128(item) ++ identity(u16).
    prefix = bytes(si_hasher.xxh128(b"Example"))
    assert example.Tempo.hashed_key(7) == prefix + bytes(si_hasher.xxh128(b"Tempo")) + bytes([7, 0])
    assert example.TotalStake.storage_key == prefix + bytes(si_hasher.xxh128(b"TotalStake"))
    assert p.dispatch_info(("set_tempo", {"netuid": 1, "tempo": 5})).weight == Weight(10_000_005, 0)


def test_the_example_call_event_error_binding_genesis_and_api(example) -> None:
    seen: list[tuple[int, int]] = []
    config = example.Config(deposit_event=lambda pallet, event: None,
                            on_tempo_set=lambda netuid, tempo: seen.append((netuid, tempo)))
    assert isinstance(example.ExampleApi, RuntimeApi)
    methods = methods_of((*RUNTIME_APIS, example.ExampleApi))
    with example.pallet.bound(config), frame_env(example.pallet, version=version_with(
            (*RUNTIME_APIS, example.ExampleApi))) as ext:
        example.build_genesis({"totalStake": 42})
        with capture_events(example.pallet) as events:
            example.pallet.dispatch(Origin.signed(ALICE), ("set_tempo", {"netuid": 3, "tempo": 99}))
        assert example.Tempo.get(3) == 99 and seen == [(3, 99)]
        assert events == [("Example", example.Event.TempoSet(3, 99))]
        with pytest.raises(DispatchError) as failed:
            example.pallet.dispatch(Origin.signed(ALICE), ("set_tempo", {"netuid": 3, "tempo": 1001}))
        assert type(failed.value) is example.Error.TempoTooLarge
        assert example.Tempo.get(3) == 99
        assert example.on_initialize(1) == Weight(0, 0)
        out = call("ExampleApi_info", U16.encode(3), ext, methods)
        assert example.Info.decode(out) == example.Info(99, 42)
