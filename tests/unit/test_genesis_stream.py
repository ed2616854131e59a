"""A large raw chain spec is streamed, never held whole: `sorted_trie_root` (the trie from
entries in key order), `StreamedTop` (genesis.raw.top left in the file) and the genesis
build that writes both as they stream. Each gives the public genesis hashes of the real
specs in tests/vectors/chainspecs (EXPECTED.md), and the same database as the whole-JSON path."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from pysubtensor.node.chain_spec import ChainSpecError, StreamedTop, load_chain_spec
from pysubtensor.node.db import ChainDB
from pysubtensor.node.genesis import genesis_header, genesis_header_with_root, genesis_state_version
from pysubtensor.node.state import StateDB
from pysubtensor.node.state.db import genesis_root
from pysubtensor.primitives.trie.codec import hexlify
from pysubtensor.primitives.trie.root import build_trie, sorted_trie_root
from tests.conformance.test_chainspec_genesis import CHAINSPECS, ROWS

SORTED_SPECS = [row for row in ROWS if isinstance(load_chain_spec(CHAINSPECS / row[0], stream_from=0).raw.top,
                                                  StreamedTop)]


def test_the_sorted_real_specs_stream_and_the_others_do_not():
    # sc-chain-spec writes BTreeMaps (sorted); the older westend and node-template specs
    # were written from HashMaps: those are decoded whole, as before.
    assert {row[0] for row in SORTED_SPECS} == {"kusama-coretime-raw.json", "polkadot-collectives-raw.json",
                                                "polkadot-coretime-raw.json"}
    assert isinstance(load_chain_spec(CHAINSPECS / "westend-raw.json", stream_from=0).raw.top, dict)


@pytest.mark.parametrize(("file", "genesis_hash", "version_text", "state_root"), SORTED_SPECS,
                         ids=[r[0] for r in SORTED_SPECS])
def test_a_streamed_spec_gives_the_public_genesis_hash(file, genesis_hash, version_text, state_root, tmp_path):
    spec = load_chain_spec(CHAINSPECS / file, stream_from=0)
    assert isinstance(spec.raw.top, StreamedTop)
    assert "0x" + genesis_header(spec.raw).hash.hex() == genesis_hash
    # ... and the database the node builds from it (the genesis trie built once, streamed).
    version = genesis_state_version(spec.raw.top)
    with ChainDB.open(tmp_path / "db") as db:
        header, created = db.init_genesis_storage(spec.raw.top, spec.raw.children_default, version,
                                                  genesis_header_with_root, lambda: pytest.fail("no root twice"))
        assert created and "0x" + header.hash.hex() == genesis_hash
        assert "0x" + header.state_root.hex() == state_root


def test_streamed_and_decoded_specs_store_the_same_state(tmp_path):
    file = CHAINSPECS / "polkadot-collectives-raw.json"
    whole, streamed = load_chain_spec(file), load_chain_spec(file, stream_from=0)
    assert isinstance(whole.raw.top, dict) and isinstance(streamed.raw.top, StreamedTop)
    assert dict(streamed.raw.top.items()) == whole.raw.top and len(streamed.raw.top) == len(whole.raw.top)
    assert streamed.raw.top[b":code"] == whole.raw.top[b":code"]
    assert (streamed.name, streamed.id, streamed.properties, streamed.boot_nodes) == \
        (whole.name, whole.id, whole.properties, whole.boot_nodes)
    version = genesis_state_version(whole.raw.top)
    stored = []
    for name, spec in (("whole", whole), ("streamed", streamed)):
        with StateDB(tmp_path / name) as state:
            root = state.build_genesis(spec.raw.top, spec.raw.children_default, version)
            stored.append((root, list(state.db.iterator())))
    assert stored[0] == stored[1]


def _rewrite(source: Path, dest: Path, edit) -> Path:
    doc = json.loads(source.read_text())
    edit(doc["genesis"]["raw"])
    dest.write_text(json.dumps(doc, indent=1))
    return dest


def test_a_spec_the_stream_cannot_read_is_decoded_whole_with_the_same_genesis(tmp_path):
    source = CHAINSPECS / "kusama-coretime-raw.json"
    expected = genesis_header(load_chain_spec(source).raw).hash

    def upper_case_key(raw):
        key = next(k for k in raw["top"] if k != "0x3a636f6465")
        raw["top"] = {(k.upper().replace("0X", "0x") if k == key else k): v for k, v in raw["top"].items()}

    def shuffled(raw):
        items = list(raw["top"].items())
        random.Random(3).shuffle(items)
        raw["top"] = dict(items)

    def with_child(raw):  # childrenDefault present: its root is merged into the stream
        raw["childrenDefault"] = {"0x6b6964": {"0x01": "0x02", "0x0102": "0x" + "ab" * 40}}

    for name, edit in (("upper", upper_case_key), ("shuffled", shuffled)):
        spec = load_chain_spec(_rewrite(source, tmp_path / f"{name}.json", edit), stream_from=0)
        assert isinstance(spec.raw.top, dict)
        assert genesis_header(spec.raw).hash == expected
    path = _rewrite(source, tmp_path / "child.json", with_child)
    whole, streamed = load_chain_spec(path), load_chain_spec(path, stream_from=0)
    assert isinstance(streamed.raw.top, StreamedTop)
    assert genesis_header(streamed.raw) == genesis_header(whole.raw) != genesis_header(load_chain_spec(source).raw)


def test_a_child_storage_key_in_a_streamed_top_is_refused(tmp_path):
    path = _rewrite(CHAINSPECS / "kusama-coretime-raw.json", tmp_path / "bad.json",
                    lambda raw: raw["top"].update({"0x" + b":child_storage:default:x".hex(): "0x00"}))
    doc = json.loads(path.read_text())
    doc["genesis"]["raw"]["top"] = dict(sorted(doc["genesis"]["raw"]["top"].items()))
    path.write_text(json.dumps(doc))
    with pytest.raises(ChainSpecError, match="reserved child-storage key"):
        load_chain_spec(path, stream_from=0)
    with pytest.raises(ChainSpecError, match="reserved child-storage key"):
        load_chain_spec(path)


def _random_items(rnd: random.Random) -> dict[bytes, bytes]:
    items = {}
    for _ in range(rnd.choice([1, 2, 3, 7, 40, 300])):
        key = bytes(rnd.choice(b"\x00\x01\x10\x11\xf0\xff") for _ in range(rnd.randint(0, 5)))
        items[key] = bytes(rnd.getrandbits(8) for _ in range(rnd.choice([0, 1, 31, 32, 33, 70])))
    return items


@pytest.mark.parametrize("state_version", [0, 1])
def test_sorted_trie_root_builds_the_trie_build_trie_builds(state_version):
    # Short keys over few nibble values: keys that are prefixes of others (branch values),
    # the empty key, single entries, inline and hashed children and values.
    rnd = random.Random(state_version)
    for _ in range(400):
        items = _random_items(rnd)
        sink: dict[bytes, bytes] = {}
        expected = build_trie(items, state_version, sink)
        emitted: dict[bytes, bytes] = {}
        root = sorted_trie_root(((hexlify(k), items[k]) for k in sorted(items)), state_version,
                                emitted.__setitem__)
        assert root == expected and emitted == sink


def test_sorted_trie_root_refuses_entries_out_of_order():
    with pytest.raises(ValueError, match="out of order"):
        sorted_trie_root([(b"01", b"a"), (b"00", b"b")], 1)
    with pytest.raises(ValueError, match="out of order"):
        sorted_trie_root([(b"01", b"a"), (b"01", b"b")], 1)


def test_genesis_root_of_a_streamed_top_is_the_header_root():
    spec = load_chain_spec(CHAINSPECS / "polkadot-coretime-raw.json", stream_from=0)
    version = genesis_state_version(spec.raw.top)
    assert genesis_root(spec.raw.top, {}, version) == genesis_header(spec.raw).state_root


def test_a_top_map_elsewhere_in_the_spec_is_not_taken_for_the_genesis(tmp_path):
    # "properties" comes before "genesis": the first `"top": {` in the file is not genesis.raw.top.
    doc = json.loads((CHAINSPECS / "polkadot-coretime-raw.json").read_text())
    doc = {"properties": {"top": {"0x00": "0x01"}}, **{k: v for k, v in doc.items() if k != "properties"}}
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(doc))
    spec, whole = load_chain_spec(path, stream_from=0), load_chain_spec(path)
    assert spec.properties == {"top": {"0x00": "0x01"}}
    assert dict(spec.raw.top.items()) == whole.raw.top and b"\x00" not in whole.raw.top
    assert genesis_header(spec.raw) == genesis_header(whole.raw)
