"""Substrate chain spec JSON (sc-chain-spec): loading, validation and raw genesis storage.

Two genesis forms exist: raw (`genesis.raw.top` / `genesis.raw.childrenDefault`, hex keys
and values: what the genesis hash is computed from) and runtime genesis (a config or patch
that our own runtime turns into storage). Specs that only carry `stateRootHash` (light-
client checkpoints) cannot give storage and are refused.

A large raw spec (a 1M-account genesis is ~280 MB of JSON) is not decoded whole and is read
once: `load_chain_spec` finds `genesis.raw.top`, its `:code` and any `:child_storage:` key
with C-level searches (`_locate_top`), decodes the rest of the document with `json` and
leaves the map in the file (`StreamedTop`); the node's genesis build reads it as a stream
into the trie and the database, checking each piece as it goes (`"0x…": "0x…"` entries,
lowercase hex, keys strictly ascending, as sc-chain-spec writes its BTreeMaps). A map not in
that shape (an older spec written from a HashMap, upper-case hex, escapes) raises
`TopNotStreamable` as it is read, and what reads it starts again from the document decoded
by `json` as a whole (`StreamedTop.whole`, node.genesis's `streamed_or_whole`), with the same
result.
"""

from __future__ import annotations

import json
import re
from binascii import Error as BinasciiError
from binascii import unhexlify
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

from xxhash import xxh3_128

from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.trie import CHILD_STORAGE_PREFIX

__all__ = [
    "ChainSpec",
    "ChainSpecError",
    "RawGenesis",
    "StreamedTop",
    "TopNotStreamable",
    "load_chain_spec",
    "parse_chain_spec",
]

CHAIN_TYPES = ("Development", "Local", "Live")


class ChainSpecError(ValueError):
    """A chain spec is unreadable or malformed; the message names the problem."""


#: Raw spec files from this size on are read with their top map streamed (`StreamedTop`).
STREAM_FROM_BYTES = 16 << 20
_READ = 1 << 20
_CODE_HEX = b"3a636f6465"  # ":code"
_CHILD_HEX = CHILD_STORAGE_PREFIX.hex().encode()
_TOP_OPEN = re.compile(rb'"top"\s*:\s*\{')
_JSON_SPACE = b" \t\n\r"
#: Bytes kept from one piece of the file to the next while searching it.
_OVERLAP = 4096
#: The `:code` entry (from its key's opening quote), its value a group.
_CODE_ENTRY = re.compile(rb'"0x3a636f6465"[ \t\n\r]*:[ \t\n\r]*"0x([0-9a-f]*)"')
_HEX = b"0123456789abcdef"
_AFTER_0X = itemgetter(slice(2, None))
#: What stands for the streamed map while the rest of the document is decoded: a string no
#: spec holds at `genesis.raw.top` (which must be an object).
_PLACEHOLDER = "\u0000streamed genesis.raw.top"


class _NotStreamable(Exception):
    """The spec's top map is not in the streamable shape: decode the whole document."""


def _top_pieces(f: BinaryIO, start: int, end: list[int] | None = None) -> Iterator[bytes]:
    """The text of the map whose `{` is at `start`, a piece at a time (read in `_READ`
    pieces, each cut after its last whole entry, and the last given a `,` too, so that every
    piece is a run of `"key": "value",` entries); `end` gets the offset after the map's `}`.
    Hex strings hold no `}` and no `,`: the first `}` closes the map, and a piece cut after a
    `,` holds whole entries (what is not hex is found by `_entries`)."""
    f.seek(start + 1)
    rest, base = b"", start + 1
    while True:
        more = f.read(_READ)
        close = more.find(b"}")
        if close >= 0:
            piece = rest + more[:close]
            if end is not None:
                end.append(base + len(piece) + 1)
            if piece.strip(_JSON_SPACE):
                yield piece + b","
            return
        if not more:
            raise _NotStreamable
        cut = more.rfind(b",")
        if cut < 0:
            rest += more
            continue
        yield rest + more[:cut + 1]
        base += len(rest) + cut + 1
        rest = more[cut + 1:]


def _entries(piece: bytes) -> tuple[list[bytes], list[bytes]]:
    """The hex keys and hex values (without `0x`) of a piece of `"0x…": "0x…",` entries, or
    raises _NotStreamable where it holds anything else (an escape, upper-case hex, another
    separator): C-level splits and translations, a few C calls per entry."""
    parts = piece.split(b'"')
    if len(parts) % 4 != 1:
        raise _NotStreamable
    hex_keys, hex_values = parts[1::4], parts[3::4]
    if not (all(map(bytes.startswith, hex_keys, repeat(b"0x")))
            and all(map(bytes.startswith, hex_values, repeat(b"0x")))):
        raise _NotStreamable
    keys, values = list(map(_AFTER_0X, hex_keys)), list(map(_AFTER_0X, hex_values))
    if (b"".join(keys).translate(None, _HEX) or b"".join(values).translate(None, _HEX)
            or parts[0].strip(_JSON_SPACE)
            or any(sep.strip(_JSON_SPACE) != b":" for sep in set(parts[2::4]))
            or any(sep.strip(_JSON_SPACE) != b"," for sep in set(parts[4::4]))):
        raise _NotStreamable
    return keys, values


def _check_sorted(keys: list[bytes], last: bytes | None) -> None:
    # Strictly ascending (lowercase hex sorts as the bytes do), across pieces too; else, as
    # also for a repeated key, the whole document is decoded as json does.
    if (last is not None and not last < keys[0]) or not all(map(bytes.__lt__, keys, keys[1:])):
        raise _NotStreamable


def _check_no_child_key(keys: list[bytes]) -> None:
    i = bisect_left(keys, _CHILD_HEX)
    if i < len(keys) and keys[i].startswith(_CHILD_HEX):
        raise ChainSpecError(f"genesis.raw.top holds the reserved child-storage key 0x{keys[i].decode()}; "
                             "child tries belong in genesis.raw.childrenDefault")


def _find_key(text: bytes, needle: bytes) -> int:
    """Where `needle` (a quoted string's start) first stands as a key in `text`: not after a
    `:` (a value). Raises _NotStreamable when what comes before is out of sight."""
    at = text.find(needle)
    while at >= 0:
        before = text[:at].rstrip(_JSON_SPACE)
        if not before:
            raise _NotStreamable
        if before[-1] != 0x3A:  # ":"
            return at
        at = text.find(needle, at + 1)
    return -1


def _locate_top(f: BinaryIO) -> tuple[int, int, bytes | None]:
    """Find the spec file's `genesis.raw.top` map without reading its entries one by one:
    (offset of its `{`, offset after its `}`, the `:code` value). C-level searches over the
    file (the map's first `}`, the `:code` key, any `:child_storage:` key); the entries are
    checked as the genesis build reads them (`StreamedTop.sorted_chunks`). Raises
    _NotStreamable where the map has no lowercase `:code` entry (every runtime's spec has one:
    what else is odd in the map is then found by the full check of `_index_top`)."""
    head = f.read(_READ)
    m = _TOP_OPEN.search(head)
    if m is None:
        raise _NotStreamable
    start = m.end() - 1
    f.seek(start)
    tail, base = b"", start  # `tail`: the end of the piece before (keys cut in two, what precedes them)
    code_at = None
    while True:
        more = f.read(_READ)
        if not more:
            raise _NotStreamable
        text = tail + more
        close = text.find(b"}")
        scope = text if close < 0 else text[:close]
        child = _find_key(scope, b'"0x' + _CHILD_HEX)
        if child >= 0:
            key = scope[child + 3:scope.find(b'"', child + 1)]
            raise ChainSpecError(f"genesis.raw.top holds the reserved child-storage key 0x{key.decode()}; "
                                 "child tries belong in genesis.raw.childrenDefault")
        if code_at is None:
            at = _find_key(scope, b'"0x' + _CODE_HEX + b'"')
            code_at = None if at < 0 else base + at
        if close >= 0:
            end = base + close + 1
            break
        tail, base = text[-_OVERLAP:], base + len(text) - len(text[-_OVERLAP:])
    if code_at is None:
        raise _NotStreamable
    f.seek(code_at)
    piece = f.read(_READ)
    while piece.count(b'"') < 4:  # the value runs past the piece: read on
        more = f.read(_READ)
        if not more:
            raise _NotStreamable
        piece += more
    m = _CODE_ENTRY.match(piece)
    if m is None:
        raise _NotStreamable
    return start, end, _unhex(m.group(1))


def _index_top(f: BinaryIO) -> tuple[int, int, int, bytes | None, bytes]:
    """Find and check the spec file's `genesis.raw.top` map entry by entry: (offset of its
    `{`, offset after its `}`, entries, `:code` value or None, the digest of the map's text).
    Raises _NotStreamable. (What `_locate_top` does not settle: a spec without `:code`.)"""
    head = f.read(_READ)
    m = _TOP_OPEN.search(head)
    if m is None:
        raise _NotStreamable
    start = m.end() - 1
    end: list[int] = []
    count, code, last = 0, None, None
    digest = xxh3_128()
    for piece in _top_pieces(f, start, end):
        digest.update(piece)
        keys, values = _entries(piece)
        if not keys:
            continue
        _check_sorted(keys, last)
        _check_no_child_key(keys)
        i = bisect_left(keys, _CODE_HEX)
        if i < len(keys) and keys[i] == _CODE_HEX:
            code = _unhex(values[i])
        last = keys[-1]
        count += len(keys)
    return start, end[0], count, code, digest.digest()


def _unhex(text: bytes) -> bytes:
    try:
        return unhexlify(text)
    except BinasciiError:
        raise ChainSpecError(f"genesis.raw.top: 0x{text[:40].decode()} is not valid hex") from None


class TopNotStreamable(Exception):
    """A streamed `genesis.raw.top` turned out, as the genesis build read it, not to be in the
    streamable shape (keys out of order, upper-case hex, escapes): what reads it starts again
    from `StreamedTop.whole()`, the map decoded with the document by `json`."""


class StreamedTop(Mapping[bytes, bytes]):
    """`genesis.raw.top` of a spec file, left in the file: its entries are read from it in
    key order each time they are wanted (`sorted_chunks`, what the genesis build streams),
    and checked as they are read (shape and order: `TopNotStreamable` otherwise). `:code` is
    kept; other single-key lookups read the file. `digest` is the XXH3-128 of the map's text:
    the same digest, the same storage (what a restart checks). Not a cryptographic hash: it
    tells a spec edited since the database was built (by accident: 2^-128) from the same one,
    at 20 GB/s (blake2b took 0.3 s of a 1M-account start); whoever can craft a collision can
    edit the spec and the database alike."""

    def __init__(self, path: Path, start: int, end: int, count: int | None, code: bytes | None,
                 digest: bytes | None = None) -> None:
        self.path, self._start, self._end, self._count, self._code = path, start, end, count, code
        self._digest = digest

    @property
    def digest(self) -> bytes:
        """XXH3-128 of the map's text (taken by a full `sorted_chunks` pass, else read)."""
        if self._digest is None:
            digest = xxh3_128()
            with open(self.path, "rb") as f:
                for piece in _top_pieces(f, self._start):
                    digest.update(piece)
            self._digest = digest.digest()
        return self._digest

    def sorted_chunks(self) -> Iterator[tuple[list[bytes], list[bytes], list[bytes]]]:
        """(ASCII-hex nibble paths, keys, values) of the entries in ascending key order, a
        piece of the file (`_READ` bytes) at a time. Raises TopNotStreamable (before the
        chunk with the problem) where the map is not in the streamable shape."""
        digest = xxh3_128()
        count, last = 0, None
        with open(self.path, "rb") as f:
            for piece in _top_pieces(f, self._start):
                digest.update(piece)
                try:
                    paths, values = _entries(piece)
                    _check_sorted(paths, last)
                except _NotStreamable:
                    raise TopNotStreamable(f"{self.path}: genesis.raw.top is not a run of sorted, lowercase "
                                           '"0x…": "0x…" entries') from None
                _check_no_child_key(paths)
                last = paths[-1]
                count += len(paths)
                try:
                    yield paths, list(map(unhexlify, paths)), list(map(unhexlify, values))
                except BinasciiError:  # an odd number of digits
                    for text in (*paths, *values):
                        _unhex(text)
                    raise
        self._count, self._digest = count, digest.digest()

    def sorted_entries(self) -> Iterator[tuple[bytes, bytes, bytes]]:
        """(ASCII-hex nibble path, key, value) in ascending key order."""
        for paths, keys, values in self.sorted_chunks():
            yield from zip(paths, keys, values, strict=True)

    def whole(self) -> dict[bytes, bytes]:
        """The map decoded with the whole document by `json` (what a spec not in the streamable
        shape needs: as much memory as the document takes)."""
        raw = load_chain_spec(self.path, stream_from=1 << 62).raw
        assert raw is not None
        return raw.top  # type: ignore[return-value]

    def _as_dict(self) -> dict[bytes, bytes]:
        try:
            return dict(self.items())
        except TopNotStreamable:
            return self.whole()

    def __getitem__(self, key: bytes) -> bytes:
        if key == b":code" and self._code is not None:
            return self._code
        try:
            for _, k, v in self.sorted_entries():
                if k == key:
                    return v
        except TopNotStreamable:
            return self.whole()[key]
        raise KeyError(key)

    def __iter__(self) -> Iterator[bytes]:
        if self._count is not None:  # read to its end once: it streams
            return (k for _, k, _ in self.sorted_entries())
        return iter(self._as_dict())

    def __len__(self) -> int:
        if self._count is None:
            try:
                for _ in self.sorted_chunks():  # counts as it reads
                    pass
            except TopNotStreamable:
                self._count = len(self.whole())
        assert self._count is not None
        return self._count

    def items(self) -> Iterator[tuple[bytes, bytes]]:  # type: ignore[override]
        """(key, value) in key order; raises TopNotStreamable as `sorted_chunks` does."""
        return ((k, v) for _, k, v in self.sorted_entries())


def _load_streamed(path: Path) -> Any:
    """The spec document with `genesis.raw.top` left in the file (a `StreamedTop`), or
    raises _NotStreamable."""
    with open(path, "rb") as f:
        try:
            start, end, code = _locate_top(f)
            count = digest = None
        except _NotStreamable:
            f.seek(0)
            start, end, count, code, digest = _index_top(f)
        f.seek(0)
        head = f.read(start)
        f.seek(end)
        tail = f.read()
    try:
        doc = json.loads(head + json.dumps(_PLACEHOLDER).encode() + tail)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _NotStreamable from None
    raw = doc.get("genesis", {}).get("raw") if isinstance(doc, dict) and isinstance(doc.get("genesis"), dict) \
        else None
    if not isinstance(raw, dict) or raw.get("top") != _PLACEHOLDER:
        raise _NotStreamable  # the match was not genesis.raw.top
    raw["top"] = StreamedTop(path, start, end, count, code, digest)
    return doc


@dataclass(slots=True)
class RawGenesis:
    """Genesis storage as raw key/value bytes (`top` a dict, or a large spec's
    `StreamedTop`)."""

    top: dict[bytes, bytes] | StreamedTop
    children_default: dict[bytes, dict[bytes, bytes]] = field(default_factory=dict)


@slots_dataclass
class ChainSpec:
    name: str
    id: str
    chain_type: str
    properties: dict[str, Any]
    boot_nodes: list[str]
    protocol_id: str | None
    raw: RawGenesis | None
    #: `genesis.runtimeGenesis` (code + patch or config) for specs in the non-raw form.
    runtime_genesis: dict[str, Any] | None
    extra: dict[str, Any]
    source: str = "<memory>"

    #: Set once the genesis storage was handed to the database and let go (`release_genesis`).
    released: bool = False

    @property
    def is_raw(self) -> bool:
        return self.raw is not None

    def release_genesis(self) -> None:
        """Forget the genesis storage (a 1M-account raw spec is hundreds of MB) once the
        database holds it; what else the spec says (name, properties, …) stays."""
        self.raw = None
        self.runtime_genesis = None
        self.released = True


def _hex_bytes(value: Any, where: str) -> bytes:
    if not isinstance(value, str):
        raise ChainSpecError(f"{where}: expected a hex string, got {type(value).__name__}")
    text = value[2:] if value.startswith(("0x", "0X")) else value
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise ChainSpecError(f"{where}: {value[:40]!r} is not valid hex") from None


def _raw_map(obj: Any, where: str, consume: bool = False) -> dict[bytes, bytes]:
    """Hex map -> bytes map. With `consume` the JSON strings are taken out of `obj` as they are
    converted, so a large spec never holds both forms whole (a 1M-entry map is ~0.5 GB of str)."""
    if not isinstance(obj, dict):
        raise ChainSpecError(f"{where}: expected an object of hex key -> hex value")
    if not consume:
        return {_hex_bytes(k, f"{where} key"): _hex_bytes(v, f"{where}[{k[:24]}…]") for k, v in obj.items()}
    out: dict[bytes, bytes] = {}
    keys = list(obj)
    for i, k in enumerate(keys):
        keys[i] = None
        v = obj.pop(k)
        out[_hex_bytes(k, f"{where} key")] = _hex_bytes(v, f"{where}[{k[:24]}…]")
    return out


def _parse_raw(raw: Any, source: str, consume: bool = False) -> RawGenesis:
    if not isinstance(raw, dict) or "top" not in raw:
        raise ChainSpecError(f"{source}: genesis.raw must be an object with a 'top' map")
    if isinstance(raw["top"], StreamedTop):  # checked when it was indexed (_index_top)
        return RawGenesis(top=raw["top"], children_default=_children(raw, source))
    top = _raw_map(raw["top"], "genesis.raw.top", consume)
    for key in top:
        if key.startswith(CHILD_STORAGE_PREFIX):
            raise ChainSpecError(f"{source}: genesis.raw.top holds the reserved child-storage key 0x{key.hex()}; "
                                 "child tries belong in genesis.raw.childrenDefault")
    return RawGenesis(top=top, children_default=_children(raw, source))


def _children(raw: dict[str, Any], source: str) -> dict[bytes, dict[bytes, bytes]]:
    children_obj = raw.get("childrenDefault", {})
    if not isinstance(children_obj, dict):
        raise ChainSpecError(f"{source}: genesis.raw.childrenDefault must be an object")
    return {
        _hex_bytes(ck, "genesis.raw.childrenDefault key"): _raw_map(v, f"genesis.raw.childrenDefault[{ck}]")
        for ck, v in children_obj.items()
    }


_KNOWN_FIELDS = {"name", "id", "chainType", "bootNodes", "telemetryEndpoints", "protocolId", "properties",
                 "genesis", "codeSubstitutes"}


def parse_chain_spec(doc: Any, source: str = "<memory>", *, consume: bool = False) -> ChainSpec:
    """Validate a decoded chain spec JSON document (`consume`: empty its raw storage maps as
    they are converted; the document is not to be used afterwards)."""
    if not isinstance(doc, dict):
        raise ChainSpecError(f"{source}: a chain spec is a JSON object")
    for required in ("name", "id", "genesis"):
        if required not in doc:
            raise ChainSpecError(f"{source}: missing required field '{required}'")
    name, spec_id = doc["name"], doc["id"]
    if not isinstance(name, str) or not isinstance(spec_id, str):
        raise ChainSpecError(f"{source}: 'name' and 'id' must be strings")
    chain_type = doc.get("chainType", "Live")
    if chain_type not in CHAIN_TYPES:
        raise ChainSpecError(f"{source}: chainType {chain_type!r} is not one of {', '.join(CHAIN_TYPES)}")
    properties = doc.get("properties") or {}
    if not isinstance(properties, dict):
        raise ChainSpecError(f"{source}: 'properties' must be an object")
    boot_nodes = doc.get("bootNodes") or []
    if not isinstance(boot_nodes, list):
        raise ChainSpecError(f"{source}: 'bootNodes' must be a list")
    genesis = doc["genesis"]
    if not isinstance(genesis, dict):
        raise ChainSpecError(f"{source}: 'genesis' must be an object")
    raw = runtime_genesis = None
    if "raw" in genesis:
        raw = _parse_raw(genesis["raw"], source, consume)
    elif "runtimeGenesis" in genesis:
        runtime_genesis = genesis["runtimeGenesis"]
        if not isinstance(runtime_genesis, dict):
            raise ChainSpecError(f"{source}: genesis.runtimeGenesis must be an object")
    elif "stateRootHash" in genesis:
        raise ChainSpecError(f"{source}: genesis holds only a stateRootHash (a light-client checkpoint spec); "
                             "it carries no storage to build a chain from")
    else:
        raise ChainSpecError(f"{source}: genesis has neither 'raw' nor 'runtimeGenesis' "
                             f"(found: {', '.join(genesis) or 'nothing'})")
    return ChainSpec(
        name=name,
        id=spec_id,
        chain_type=chain_type,
        properties=properties,
        boot_nodes=boot_nodes,
        protocol_id=doc.get("protocolId"),
        raw=raw,
        runtime_genesis=runtime_genesis,
        extra={k: v for k, v in doc.items() if k not in _KNOWN_FIELDS},
        source=source,
    )


def load_chain_spec(path: str | Path, *, stream_from: int = STREAM_FROM_BYTES) -> ChainSpec:
    """Read and validate a chain spec file; from `stream_from` bytes on, a raw spec's sorted
    top map stays in the file (`StreamedTop`, see the module docstring)."""
    path = Path(path)
    try:
        if path.stat().st_size >= stream_from:
            try:
                return parse_chain_spec(_load_streamed(path), str(path))
            except _NotStreamable:
                pass
            except ChainSpecError as e:
                raise ChainSpecError(f"{path}: {e}") from None
    except OSError as e:
        raise ChainSpecError(f"cannot read chain spec {path}: {e.strerror or e}") from None
    try:
        text = path.read_bytes()
    except OSError as e:
        raise ChainSpecError(f"cannot read chain spec {path}: {e.strerror or e}") from None
    try:  # not orjson: it reads integers over 64 bits (a u128 balance) as floats
        doc = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ChainSpecError(f"{path}: not valid JSON: {e}") from None
    del text  # the file's bytes are not needed once decoded
    return parse_chain_spec(doc, str(path), consume=True)
