"""Built-in chains (`--chain dev|local`) and the chain spec JSON that `build-spec` writes.

The presets mirror node-subtensor's `load_spec`: both `dev` and `local` are its localnet
spec (`node/src/chain_spec/localnet.rs`: name "Bittensor", id "bittensor", chain type
Development, protocol id "bittensor", TAO with 9 decimals, SS58 42). Their genesis storage
comes from the runtime's GenesisBuilder presets (`genesis_preset` names the preset); this
module holds only the chain's identity, which the CLI needs before any runtime is loaded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pysubtensor.node.chain_spec import ChainSpec, RawGenesis

__all__ = [
    "PRESETS",
    "TAO_PROPERTIES",
    "ChainPreset",
    "chain_spec_json",
    "document_of",
    "raw_genesis_json",
    "spec_document",
]

#: Sorted as serde_json writes a map.
TAO_PROPERTIES: Mapping[str, Any] = {"ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO"}


@dataclass(frozen=True, slots=True)
class ChainPreset:
    """A chain the node knows by name."""

    key: str
    name: str
    id: str
    chain_type: str
    #: The runtime GenesisBuilder preset that gives this chain's genesis storage.
    genesis_preset: str
    protocol_id: str | None = None
    properties: Mapping[str, Any] = field(default_factory=lambda: dict(TAO_PROPERTIES))


PRESETS: Mapping[str, ChainPreset] = {
    "dev": ChainPreset("dev", "Bittensor", "bittensor", "Development", "development", "bittensor"),
    "local": ChainPreset("local", "Bittensor", "bittensor", "Development", "local_testnet", "bittensor"),
}


def raw_genesis_json(raw: RawGenesis) -> dict[str, Any]:
    """`genesis.raw` as Substrate writes it: 0x-hex keys in byte order."""
    def hex_map(items: Mapping[bytes, bytes]) -> dict[str, str]:
        return {"0x" + k.hex(): "0x" + v.hex() for k, v in sorted(items.items())}

    return {"raw": {"top": hex_map(raw.top),
                    "childrenDefault": {"0x" + ck.hex(): hex_map(kv)
                                        for ck, kv in sorted(raw.children_default.items())}}}


def spec_document(*, name: str, id: str, chain_type: str, genesis: Mapping[str, Any],
                  boot_nodes: list[str] | None = None, properties: Mapping[str, Any] | None = None,
                  protocol_id: str | None = None, extra: Mapping[str, Any] | None = None,
                  code_substitutes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A chain spec JSON object with sc-chain-spec's field order."""
    doc: dict[str, Any] = {
        "name": name,
        "id": id,
        "chainType": chain_type,
        "bootNodes": list(boot_nodes or []),
        "telemetryEndpoints": None,
        "protocolId": protocol_id,
        "properties": dict(properties) if properties else None,
    }
    doc.update(extra or {})
    doc["codeSubstitutes"] = dict(code_substitutes or {})
    doc["genesis"] = dict(genesis)
    return doc


def chain_spec_json(doc: Mapping[str, Any]) -> str:
    """Serialize a spec document as `build-spec` prints it."""
    return json.dumps(doc, indent=2, ensure_ascii=False)


def document_of(spec: ChainSpec, genesis: Mapping[str, Any], boot_nodes: list[str] | None = None) -> dict[str, Any]:
    """The document of a loaded spec with `genesis` (raw or runtime form) in place."""
    extra = {k: v for k, v in spec.extra.items() if k not in ("telemetryEndpoints", "codeSubstitutes")}
    return spec_document(name=spec.name, id=spec.id, chain_type=spec.chain_type, genesis=genesis,
                         boot_nodes=spec.boot_nodes if boot_nodes is None else boot_nodes,
                         properties=spec.properties, protocol_id=spec.protocol_id, extra=extra)
