"""A large raw chain spec is streamed, never held whole: `sorted_trie_root` (the trie from
entries in key order), `StreamedTop` (genesis.raw.top left in the file) and the genesis
build that writes both as they stream. Each gives the public genesis hashes of the real
specs in tests/vectors/chainspecs (EXPECTED.md), and the same database as the whole-JSON path."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from pysubtensor.node import chain_spec
from pysubtensor.node.chain_spec import (
    ChainSpecError,
    RawGenesis,
    StreamedTop,
    TopNotStreamable,
    load_chain_spec,
)
from pysubtensor.node.db import ChainDB, ChainDbError
from pysubtensor.node.genesis import (
    genesis_fingerprint,
    genesis_header,
    genesis_header_with_root,
    genesis_state_version,
    streamed_or_whole,
)
from pysubtensor.node.state import StateDB
from pysubtensor.node.state.db import genesis_root
from pysubtensor.primitives.trie.codec import hexlify
from pysubtensor.primitives.trie.root import build_trie, sorted_trie_root
from pysubtensor.primitives.trie.sorted import SortedTrieBuilder
from tests.conformance.test_chainspec_genesis import CHAINSPECS, ROWS


def _streams(top) -> bool:
    """Whether a spec's top map reads as a stream to its end (sorted, lowercase hex)."""
    try:
        for _ in top.sorted_chunks():
            pass
    except TopNotStreamable:
        return False
    return True


SORTED_SPECS = [row for row in ROWS if _streams(load_chain_spec(CHAINSPECS / row[0], stream_from=0).raw.top)]


def test_the_sorted_real_specs_stream_and_the_others_fall_back_to_json(tmp_path):
    # sc-chain-spec writes BTreeMaps (sorted); the older westend and node-template specs
    # were written from HashMaps: found out of order as the genesis build reads them, they
    # are decoded whole, as before, with the public genesis hash (the node's path, also when
    # the database was being written: it is cleared and written again).
    assert {row[0] for row in SORTED_SPECS} == {"kusama-coretime-raw.json", "polkadot-collectives-raw.json",
                                                "polkadot-coretime-raw.json"}
    for file, genesis_hash, _, _ in ROWS:
        if file in {row[0] for row in SORTED_SPECS}:
            continue
        spec = load_chain_spec(CHAINSPECS / file, stream_from=0)
        assert isinstance(spec.raw.top, StreamedTop) and not _streams(spec.raw.top)
        assert "0x" + genesis_header(spec.raw).hash.hex() == genesis_hash
        assert len(spec.raw.top) == len(load_chain_spec(CHAINSPECS / file).raw.top)
        version = genesis_state_version(spec.raw.top)
        with ChainDB.open(tmp_path / file) as db:
            with pytest.raises(TopNotStreamable):
                db.init_genesis_storage(spec.raw.top, spec.raw.children_default, version,
                                        genesis_header_with_root, lambda: pytest.fail("no root twice"))
            header, created = streamed_or_whole(spec.raw, lambda g, db=db, version=version: db.init_genesis_storage(
                g.top, g.children_default, version, genesis_header_with_root, lambda: pytest.fail("no root twice")))
            assert created and "0x" + header.hash.hex() == genesis_hash


def test_a_spec_found_out_of_order_late_leaves_the_database_the_whole_spec_builds(tmp_path, monkeypatch):
    # Sorted but for its last two keys: the bulk load has written most of the state (in 4 KiB
    # pieces) when the stream fails; the database built again from the decoded spec is the one
    # the decoded spec builds from scratch.
    monkeypatch.setattr(chain_spec, "_READ", 4096)
    text = (CHAINSPECS / "polkadot-coretime-raw.json").read_text()
    top = json.loads(text)["genesis"]["raw"]["top"]
    *_, (k1, v1), (k2, v2) = sorted(top.items())
    late = text.replace(f'"{k1}": "{v1}",\n', "").replace(f'"{k2}": "{v2}"', f'"{k2}": "{v2}",\n"{k1}": "{v1}"')
    path = tmp_path / "late.json"
    path.write_text(late)
    spec, whole = load_chain_spec(path, stream_from=0), load_chain_spec(path)
    assert isinstance(spec.raw.top, StreamedTop) and whole.raw.top == load_chain_spec(
        CHAINSPECS / "polkadot-coretime-raw.json").raw.top
    version = genesis_state_version(whole.raw.top)
    with ChainDB.open(tmp_path / "db") as db:
        header, _ = streamed_or_whole(spec.raw, lambda g: db.init_genesis_storage(
            g.top, g.children_default, version, genesis_header_with_root, lambda: pytest.fail("no root twice")))
        stored = list(db.db.iterator(prefix=b"s"))
    with ChainDB.open(tmp_path / "plain") as db:
        assert db.init_genesis_storage(whole.raw.top, {}, version, genesis_header_with_root,
                                       lambda: pytest.fail("no root twice"))[0] == header
        plain = list(db.db.iterator(prefix=b"s"))
    assert {k for k, _ in stored} - {k for k, _ in plain} and all(k[1:2] == b"n" for k, _ in stored
                                                                  if (k, _) not in plain)
    assert [(k, v) for k, v in stored if k[1:2] != b"n"] == [(k, v) for k, v in plain if k[1:2] != b"n"]


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
        assert isinstance(spec.raw.top, StreamedTop) and not _streams(spec.raw.top)
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


# -- the sorted builder fed in chunks, the spec read in small pieces, the bulk load, restarts --


@pytest.mark.parametrize("state_version", [0, 1])
def test_the_builder_fed_in_chunks_builds_the_trie_build_trie_builds(state_version):
    # Any cut of the stream into chunks; runs of equal values (a value node emitted once per
    # run: the same set of nodes); long keys (partial keys of over 1,024 nibbles).
    rnd = random.Random(10 + state_version)
    for trial in range(300):
        items = _random_items(rnd)
        if trial % 50 == 0:
            items[bytes([rnd.getrandbits(8)]) * 700] = b"long"
            items[bytes(range(256)) * 3] = b"x" * 33
        same = bytes(rnd.getrandbits(8) for _ in range(40))
        if trial % 3 == 0:  # a run of equal values
            items.update({k: same for k in sorted(items)[:len(items) // 2 + 1]})
        sink: dict[bytes, bytes] = {}
        expected = build_trie(items, state_version, sink)
        keys = sorted(items)
        nodes: list[tuple[bytes, bytes]] = []
        builder = SortedTrieBuilder(state_version, nodes)
        i = 0
        while i < len(keys):
            j = i + rnd.choice([1, 2, 5, 1000])
            builder.feed([hexlify(k) for k in keys[i:j]], [items[k] for k in keys[i:j]])
            i = j
        assert builder.finish() == expected and builder.count == len(keys)
        assert dict(nodes) == sink
        assert sum(enc == same for _, enc in nodes) == (state_version == 1 and same in items.values())


def test_the_builder_refuses_a_chunk_that_goes_back():
    builder = SortedTrieBuilder(1)
    builder.feed([b"0102", b"0103"], [b"a", b"b"])
    with pytest.raises(ValueError, match="out of order"):
        builder.feed([b"0101"], [b"c"])
    with pytest.raises(ValueError, match="out of order"):
        SortedTrieBuilder(1).feed([b"01", b"0100", b"01"], [b"a", b"b", b"c"])


@pytest.mark.parametrize("read", [4096, 65536])
def test_a_spec_read_in_small_pieces_gives_the_public_genesis_hashes(read, monkeypatch):
    # Pieces much smaller than `:code` (read on until a piece holds a whole entry) and entries
    # cut at every place a piece can end.
    monkeypatch.setattr(chain_spec, "_READ", read)
    for file, genesis_hash, _, _ in SORTED_SPECS:
        spec = load_chain_spec(CHAINSPECS / file, stream_from=0)
        assert isinstance(spec.raw.top, StreamedTop)
        assert "0x" + genesis_header(spec.raw).hash.hex() == genesis_hash
        assert len(spec.raw.top) == len(load_chain_spec(CHAINSPECS / file).raw.top)


def test_text_the_stream_does_not_read_falls_back_to_json(tmp_path):
    source = CHAINSPECS / "polkadot-coretime-raw.json"
    expected = genesis_header(load_chain_spec(source).raw).hash
    text = source.read_text()
    key = next(k for k in json.loads(text)["genesis"]["raw"]["top"] if k != "0x3a636f6465")
    for name, edit in (("no-0x", f'"{key[2:]}"'), ("escaped", f'"0x\\u00{ord(key[2]):02x}{key[3:]}"'),
                       ("spaced", f'"{key}"  \t')):
        path = tmp_path / f"{name}.json"
        path.write_text(text.replace(f'"{key}"', edit, 1))
        spec = load_chain_spec(path, stream_from=0)
        assert isinstance(spec.raw.top, StreamedTop) and _streams(spec.raw.top) == (name == "spaced"), name
        assert genesis_header(spec.raw).hash == expected, name


def test_an_odd_length_hex_value_in_a_streamed_spec_is_a_clear_error(tmp_path):
    text = (CHAINSPECS / "polkadot-coretime-raw.json").read_text()
    value = next(v for k, v in json.loads(text)["genesis"]["raw"]["top"].items() if k != "0x3a636f6465")
    path = tmp_path / "odd.json"
    path.write_text(text.replace(f'"{value}"', f'"{value}0"', 1))
    spec = load_chain_spec(path, stream_from=0)
    with pytest.raises(ChainSpecError, match="not valid hex"):
        genesis_header(spec.raw)
    with pytest.raises(ChainSpecError, match="not valid hex"):
        load_chain_spec(path)


def test_the_bulk_load_stores_what_the_state_db_stores_and_leaves_the_database_usable(tmp_path):
    file = CHAINSPECS / "kusama-coretime-raw.json"
    spec = load_chain_spec(file, stream_from=0)
    version = genesis_state_version(spec.raw.top)
    with StateDB(tmp_path / "plain") as state:
        root = state.build_genesis(load_chain_spec(file).raw.top, {}, version)
        plain = list(state.db.iterator(include_value=True))
    with ChainDB.open(tmp_path / "db") as db:
        header, created = db.init_genesis_storage(spec.raw.top, {}, version, genesis_header_with_root,
                                                  lambda: pytest.fail("no root twice"))
        assert created and header.state_root == root
        # Reopened with the node's options: the state and the chain read and write as before.
        assert [(k[1:], v) for k, v in db.db.iterator(prefix=b"s")] == plain
        assert db.state.view().get(b":code") == spec.raw.top[b":code"]
        assert db.best_hash == db.genesis_hash == header.hash
        new_root = db.state.commit(db.state.apply(header.state_root, {b"\x01": b"v"}, state_version=version))
        assert db.state.view(new_root).get(b"\x01") == b"v"


def test_a_restart_from_the_same_spec_does_not_build_the_trie_again(tmp_path):
    file = CHAINSPECS / "polkadot-coretime-raw.json"
    spec = load_chain_spec(file, stream_from=0)
    version = genesis_state_version(spec.raw.top)
    fingerprint = genesis_fingerprint(spec.raw, version)
    assert fingerprint is not None and genesis_fingerprint(load_chain_spec(file).raw, version) is None
    with ChainDB.open(tmp_path / "db") as db:
        header, _ = db.init_genesis_storage(spec.raw.top, {}, version, genesis_header_with_root,
                                            lambda: pytest.fail("no root twice"), lambda: fingerprint)
    with ChainDB.open(tmp_path / "db") as db:
        again, created = db.init_genesis_storage(spec.raw.top, {}, version, genesis_header_with_root,
                                                 lambda: pytest.fail("the trie built again"), lambda: fingerprint)
        assert (again, created) == (header, False)


def _one_value_changed(source: Path, dest: Path) -> Path:
    """The spec with one value's last digit changed (same length, same shape, other storage)."""
    text = source.read_text()
    key, value = next((k, v) for k, v in json.loads(text)["genesis"]["raw"]["top"].items() if k != "0x3a636f6465")
    changed = value[:-1] + ("1" if value[-1] != "1" else "2")
    dest.write_text(text.replace(f'"{key}": "{value}"', f'"{key}": "{changed}"', 1))
    return dest


def test_a_restart_from_another_spec_or_an_older_database_builds_the_root(tmp_path):
    file = CHAINSPECS / "polkadot-coretime-raw.json"
    spec = load_chain_spec(file, stream_from=0)
    version = genesis_state_version(spec.raw.top)
    fingerprint = genesis_fingerprint(spec.raw, version)
    roots = []

    def root_of(s):
        def compute():
            roots.append(1)
            return genesis_root(s.raw.top, s.raw.children_default, version)
        return compute

    with ChainDB.open(tmp_path / "db") as db:  # a database that recorded no fingerprint
        header, _ = db.init_genesis_storage(spec.raw.top, {}, version, genesis_header_with_root, root_of(spec))
    with ChainDB.open(tmp_path / "db") as db:  # ... has its root checked, then records it
        assert db.init_genesis_storage(spec.raw.top, {}, version, genesis_header_with_root, root_of(spec),
                                       lambda: fingerprint) == (header, False)
        assert roots == [1]
    with ChainDB.open(tmp_path / "db") as db:
        assert db.init_genesis_storage(spec.raw.top, {}, version, genesis_header_with_root, root_of(spec),
                                       lambda: fingerprint) == (header, False)
        assert roots == [1]
    other = load_chain_spec(_one_value_changed(file, tmp_path / "other.json"), stream_from=0)
    other_fingerprint = genesis_fingerprint(other.raw, version)
    assert other_fingerprint != fingerprint
    with ChainDB.open(tmp_path / "db") as db, pytest.raises(ChainDbError, match="holds the chain with genesis"):
        db.init_genesis_storage(other.raw.top, {}, version, genesis_header_with_root, root_of(other),
                                lambda: other_fingerprint)
    # The child tries and the state version are part of the fingerprint.
    assert genesis_fingerprint(RawGenesis(spec.raw.top, {b"kid": {b"\x01": b"\x02"}}), version) != fingerprint
    assert genesis_fingerprint(spec.raw, 1 - version) != fingerprint


def test_values_that_look_like_reserved_keys_are_values(tmp_path):
    # The load finds `:code` and `:child_storage:` keys by searching the text: a value with
    # those bytes (after a `:`) is not a key.
    child_value = "0x" + b":child_storage:default:x".hex()
    path = _rewrite(CHAINSPECS / "polkadot-coretime-raw.json", tmp_path / "values.json",
                    lambda raw: raw["top"].update({"0x00": child_value, "0x01": "0x3a636f6465"}))
    doc = json.loads(path.read_text())
    doc["genesis"]["raw"]["top"] = dict(sorted(doc["genesis"]["raw"]["top"].items()))
    path.write_text(json.dumps(doc, indent=1))
    spec, whole = load_chain_spec(path, stream_from=0), load_chain_spec(path)
    assert isinstance(spec.raw.top, StreamedTop) and _streams(spec.raw.top)
    assert spec.raw.top[b"\x00"] == b":child_storage:default:x" and spec.raw.top[b":code"] == whole.raw.top[b":code"]
    assert genesis_header(spec.raw) == genesis_header(whole.raw)
