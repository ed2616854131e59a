"""Substrate chain spec JSON (sc-chain-spec): loading, validation and raw genesis storage.

Two genesis forms exist: raw (`genesis.raw.top` / `genesis.raw.childrenDefault`, hex keys
and values: what the genesis hash is computed from) and runtime genesis (a config or patch
that our own runtime turns into storage). Specs that only carry `stateRootHash` (light-
client checkpoints) cannot give storage and are refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pysubtensor.primitives.trie import CHILD_STORAGE_PREFIX

__all__ = [
    "ChainSpec",
    "ChainSpecError",
    "RawGenesis",
    "load_chain_spec",
    "parse_chain_spec",
]

CHAIN_TYPES = ("Development", "Local", "Live")


class ChainSpecError(ValueError):
    """A chain spec is unreadable or malformed; the message names the problem."""


@dataclass(slots=True)
class RawGenesis:
    """Genesis storage as raw key/value bytes."""

    top: dict[bytes, bytes]
    children_default: dict[bytes, dict[bytes, bytes]] = field(default_factory=dict)


@dataclass(slots=True)
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
    top = _raw_map(raw["top"], "genesis.raw.top", consume)
    for key in top:
        if key.startswith(CHILD_STORAGE_PREFIX):
            raise ChainSpecError(f"{source}: genesis.raw.top holds the reserved child-storage key 0x{key.hex()}; "
                                 "child tries belong in genesis.raw.childrenDefault")
    children_obj = raw.get("childrenDefault", {})
    if not isinstance(children_obj, dict):
        raise ChainSpecError(f"{source}: genesis.raw.childrenDefault must be an object")
    children = {
        _hex_bytes(ck, "genesis.raw.childrenDefault key"): _raw_map(v, f"genesis.raw.childrenDefault[{ck}]")
        for ck, v in children_obj.items()
    }
    return RawGenesis(top=top, children_default=children)


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


def load_chain_spec(path: str | Path) -> ChainSpec:
    """Read and validate a chain spec file."""
    path = Path(path)
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
