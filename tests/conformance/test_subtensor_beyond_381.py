"""SubtensorModule's storage items newer than spec 381 (pallets/subtensor/storage_beyond_381.py)
against what we did not write:

- name and value type equal bittensor 11.3.0's generated layer (`bittensor/_generated/storage.py`,
  written by its codegen from the newer runtime's metadata), read from the client's own venv;
- they come after spec 381's items, and the rest of the pallet is spec 381's (test_subtensor_storage);
- hashers and defaults are the newer runtime's (see the module docstring for sources): keys as
  substrate-interface's scalecodec hashes them, default bytes, and the value read when absent.
"""

from __future__ import annotations

import ast

from substrateinterface.utils import hasher as hasher_lib

from pysubtensor.pallets.subtensor import pallet
from pysubtensor.pallets.subtensor.storage_beyond_381 import STORAGE_BEYOND_381
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.runtime.metadata import metadata_v15
from tests.conformance.test_shield_metadata import generated
from tests.support.metadata import ITEMS_BEYOND_381, summary_pallet
from tests.support.state import DictBackend

ALICE = bytes(range(32))


def ours():
    md = metadata_v15()
    return md, next(p for p in md.pallets if p.name == "SubtensorModule")


def sdk_items() -> dict[str, str]:
    cls = next(n for n in generated("storage").body if isinstance(n, ast.ClassDef) and n.name == "SubtensorModule")
    return {a.value.args[1].value: a.value.args[2].value for a in cls.body if isinstance(a, ast.Assign)}


def test_names_and_value_types_are_the_sdks():
    md, pal = ours()
    entries = {e.name: e for e in pal.storage.entries}
    theirs = sdk_items()

    def type_ident(type_id: int) -> str:
        ty = md.types.type(type_id)
        return ty.path[-1] if ty.path else str(ty.type_def.primitive)

    for name in STORAGE_BEYOND_381:
        assert type_ident(entries[name].ty.value) == theirs[name], name


def test_they_follow_spec381s_items():
    _, pal = ours()
    names = [e.name for e in pal.storage.entries]
    assert tuple(ITEMS_BEYOND_381["SubtensorModule"]["storage"]) == STORAGE_BEYOND_381
    assert names == summary_pallet("SubtensorModule")["storage_list"] + list(STORAGE_BEYOND_381)


def _entry(name: str):
    return next(e for e in ours()[1].storage.entries if e.name == name)


def test_hashers_modifiers_and_defaults():
    """CollateralLockShare: Identity NetUid -> u16, ValueQuery, 0; SubnetEpochConsensus:
    Identity NetUid -> EpochConsensus, ValueQuery, Yuma (variant 0 of Yuma, Null);
    LastPowRegistrationBlock: Blake2_128Concat AccountId -> u64, OptionQuery."""
    md = metadata_v15()
    share, mode, pow_block = (_entry(n) for n in STORAGE_BEYOND_381)
    assert (list(share.ty.hashers), share.modifier, share.default) == (["Identity"], "Default", b"\0\0")
    assert (list(mode.ty.hashers), mode.modifier, mode.default) == (["Identity"], "Default", b"\0")
    assert [v.name for v in md.types.type(mode.ty.value).type_def.variants] == ["Yuma", "Null"]
    assert (list(pow_block.ty.hashers), pow_block.modifier, pow_block.default) == (["Blake2_128Concat"], "Optional", b"\0")


def test_keys_are_the_ones_substrate_interface_hashes():
    """Each key is `xxh128(pallet) ++ xxh128(item) ++ hasher(SCALE key)` with substrate-interface's
    hashers, for the hasher our served metadata names."""
    for name, raw, args in (("CollateralLockShare", (7).to_bytes(2, "little"), (7,)),
                            ("SubnetEpochConsensus", (513).to_bytes(2, "little"), (513,)),
                            ("LastPowRegistrationBlock", ALICE, (ALICE,))):
        (hasher,) = _entry(name).ty.hashers
        fn = {"Identity": hasher_lib.identity, "Blake2_128Concat": hasher_lib.blake2_128_concat}[hasher]
        expected = hasher_lib.xxh128(b"SubtensorModule") + hasher_lib.xxh128(name.encode()) + fn(raw)
        assert getattr(pallet.Storage, name).hashed_key(*args) == expected, name


def test_absent_values_read_as_the_defaults():
    """No collateral (the whole price burned), the Yuma epoch, no PoW registration."""
    with using(Externalities(DictBackend())):
        assert pallet.Storage.CollateralLockShare.get(1) == 0
        assert pallet.Storage.SubnetEpochConsensus.get(1) == "Yuma"
        assert pallet.Storage.LastPowRegistrationBlock.get(ALICE) is None
