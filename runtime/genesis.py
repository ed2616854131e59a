"""Genesis storage and the `GenesisBuilder` runtime API: the runtime genesis config as JSON
(`RuntimeGenesisConfig`, pallet fields in camelCase), the presets, and the genesis build.

    genesis_storage(dev_genesis_config())        # {key: value} of the top trie
    build_state(b'{"balances": {...}}')          # GenesisBuilder_build_state: JSON -> storage
    get_preset("development")                    # GenesisBuilder_get_preset: JSON bytes or None
    preset_names()                               # ["development", "local_testnet"]

A config is read as a patch over the default (`get_preset(None)`), merged as sc-chain-spec
merges a `runtimeGenesis.patch` (RFC 7386: objects merge, `null` removes). Each pallet's
genesis build then runs in runtime order on an empty state, and every pallet's in-code
storage version is written under `twox128(pallet) ++ twox128(":__STORAGE_VERSION__:")`, as
frame-support's genesis does for all pallets.

Differences from the real runtime's genesis:
- no `:code` (our runtime is Python; the node supplies the state version itself: 1);
- pallets this runtime does not have yet (EVM, Ethereum, EVMChainId, BaseFee,
  AdminUtils, Commitments, …) write nothing; their config sections are accepted and ignored;
- `LastRuntimeUpgrade` holds our spec version;
- the real runtime's only preset is "benchmark" (node-subtensor builds its dev and local chain
  specs in the node); "development" and "local_testnet" here are those chain specs' genesis
  (subtensor `node/src/chain_spec/localnet.rs`), and "benchmark" is the runtime's own.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from typing import Any

from pysubtensor.pallets import subtensor
from pysubtensor.primitives import externalities
from pysubtensor.primitives.crypto import Scheme
from pysubtensor.primitives.externalities import Externalities, OverlayedChanges
from pysubtensor.primitives.keyring import Keypair
from pysubtensor.primitives.scale import U16
from pysubtensor.primitives.ss58 import ss58_encode
from pysubtensor.runtime import construct

__all__ = [
    "DEV_ETH_ACCOUNTS",
    "GenesisBuildError",
    "build_state",
    "default_config",
    "dev_genesis_config",
    "genesis_storage",
    "get_preset",
    "local_testnet_config",
    "merge_patch",
    "preset_names",
]

TAO = 10**9
#: The ETH dev accounts Alith and Baltathar (as SS58), funded by subtensor's local chain specs.
DEV_ETH_ACCOUNTS: tuple[str, ...] = (
    "5Fghzk1AJt88PeFEzuRfXzbPchiBbsVGTTXcdx599VdZzkTA",
    "5GeqNhKWj1KG78VHzbmo3ZjZgUTrCuWeamdgiA114XHGdaEr",
)

#: `RuntimeGenesisConfig` field of each composed pallet that has a genesis config.
_FIELDS = {
    "system": "System",
    "aura": "Aura",
    "grandpa": "Grandpa",
    "balances": "Balances",
    "transactionPayment": "TransactionPayment",
    "subtensorModule": "SubtensorModule",
    "sudo": "Sudo",
}
#: Fields of the real `RuntimeGenesisConfig` for pallets not composed here: accepted, ignored.
_NOT_YET = frozenset({
    "evmChainId", "evm", "ethereum", "baseFee", "adminUtils", "commitments",
    "safeMode", "drand", "crowdloan", "swap", "contracts", "mevShield", "alphaAssets", "limitOrders",
    "preimage", "scheduler", "proxy", "multisig", "utility",
})


class GenesisBuildError(ValueError):
    """A genesis config that cannot be built (the message is what the Rust builder says)."""


def default_config() -> dict[str, Any]:
    """`RuntimeGenesisConfig::default()` as JSON, for the composed pallets."""
    return {
        "system": {},
        "aura": {"authorities": []},
        "grandpa": {"authorities": []},
        "balances": {"balances": [], "devAccounts": None},
        "transactionPayment": {"multiplier": "1000000000000000000"},
        "subtensorModule": dict(subtensor.genesis.DEFAULT_CONFIG),
        "sudo": {"key": None},
    }


def merge_patch(base: Any, patch: Any) -> Any:
    """RFC 7386 merge of `patch` into a copy of `base` (sc-chain-spec's `json_merge`)."""
    if not isinstance(base, dict) or not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def _sr25519(name: str) -> str:
    return Keypair.from_uri(f"//{name}", Scheme.SR25519).ss58_address


def _ed25519(name: str) -> str:
    return ss58_encode(Keypair.from_uri(f"//{name}", Scheme.ED25519).public_key)


def dev_genesis_config(extra_endowed: Sequence[tuple[str | bytes, int]] = (), *,
                       eth_dev_accounts: bool = True) -> dict[str, Any]:
    """The development chain: Alice, Bob, Charlie 1,000,000 TAO each; Dave, Eve, Ferdie
    2,000 TAO (and the ETH dev accounts Alith and Baltathar 2,000 TAO, as subtensor's local
    specs fund them); Alice is sudo, the Aura authority (sr25519 //Alice) and the Grandpa
    authority (ed25519 //Alice). `extra_endowed`: more (account, rao) pairs, the account as
    SS58 or 32 bytes."""
    balances: list[list[Any]] = [[_sr25519(n), 1_000_000 * TAO] for n in ("Alice", "Bob", "Charlie")]
    balances += [[_sr25519(n), 2_000 * TAO] for n in ("Dave", "Eve", "Ferdie")]
    if eth_dev_accounts:
        balances += [[a, 2_000 * TAO] for a in DEV_ETH_ACCOUNTS]
    for who, amount in extra_endowed:
        address = ss58_encode(bytes(who)) if isinstance(who, bytes | bytearray) else who
        balances.append([address, int(amount)])
    return {
        "balances": {"balances": balances},
        "aura": {"authorities": [_sr25519("Alice")]},
        "grandpa": {"authorities": [[_ed25519("Alice"), 1]]},
        "sudo": {"key": _sr25519("Alice")},
    }


def local_testnet_config() -> dict[str, Any]:
    """subtensor's localnet: authorities //One, //Two, //Three; the dev accounts funded as in
    development plus One, Two and Three (2,000 TAO); Alice is sudo."""
    config = dev_genesis_config()
    authorities = ("One", "Two", "Three")
    balances = config["balances"]["balances"]
    eth = balances[6:]
    balances[6:] = [[_sr25519(n), 2_000 * TAO] for n in authorities] + eth
    config["aura"] = {"authorities": [_sr25519(n) for n in authorities]}
    config["grandpa"] = {"authorities": [[_ed25519(n), 1] for n in authorities]}
    return config


def _benchmark_config() -> dict[str, Any]:
    """The real runtime's "benchmark" preset (`generate_genesis_json`)."""
    alice, bob = _sr25519("Alice"), _sr25519("Bob")
    return {
        "aura": {"authorities": [alice]},
        "balances": {"balances": [[alice, 1_000_000 * TAO], [bob, 1_000_000 * TAO]]},
        "grandpa": {"authorities": [["5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu", 1]]},
        "sudo": {"key": alice},
        "subtensorModule": {"balancesIssuance": 0, "stakes": []},
    }


_PRESETS = {
    "development": dev_genesis_config,
    "local_testnet": local_testnet_config,
    "benchmark": _benchmark_config,
}


def preset_names() -> list[str]:
    """`GenesisBuilder_preset_names`."""
    return list(_PRESETS)


def get_preset(preset_id: str | None = None) -> bytes | None:
    """`GenesisBuilder_get_preset`: the default config for None, a preset's patch by name,
    or None for an unknown name (JSON bytes)."""
    if preset_id is None:
        return json.dumps(default_config()).encode()
    make = _PRESETS.get(preset_id)
    return None if make is None else json.dumps(make()).encode()


def _resolve(config: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(config, dict):
        raise GenesisBuildError("Invalid JSON blob: invalid type: expected struct RuntimeGenesisConfig")
    unknown = [k for k in config if k not in _FIELDS and k not in _NOT_YET]
    if unknown:
        expected = ", ".join(f"`{f}`" for f in _FIELDS)
        raise GenesisBuildError(f"Invalid JSON blob: unknown field `{unknown[0]}`, expected one of {expected}")
    return merge_patch(default_config(), {k: v for k, v in config.items() if k in _FIELDS})


def _build(config: dict[str, Any]) -> None:
    """Every pallet's genesis build in runtime order, then the storage versions."""
    resolved = _resolve(config)
    by_pallet = {pallet: resolved.get(field) or {} for field, pallet in _FIELDS.items()}
    ext = externalities.current()
    for pallet in construct.PALLETS:
        if pallet.genesis_build is not None:
            pallet.genesis_build(by_pallet.get(pallet.name, {}))
    for pallet in construct.PALLETS:
        ext.set(pallet.storage_version_key, U16.encode(pallet.storage_version))


class _Empty:
    def get(self, key: bytes) -> bytes | None:
        return None

    def next_key(self, key: bytes) -> bytes | None:
        return None


def genesis_storage(config: dict[str, Any]) -> dict[bytes, bytes]:
    """The genesis top-trie storage of a runtime genesis config (a patch over the default)."""
    ext = Externalities(_Empty(), OverlayedChanges(), decode_cache=False)
    try:
        with externalities.using(ext):
            _build(config)
    except GenesisBuildError:
        raise
    except (ValueError, TypeError, KeyError, IndexError) as e:
        raise GenesisBuildError(f"Invalid JSON blob: {e}") from None
    return {k: v for k, v in sorted(ext.overlay.changes().items()) if v is not None}


def build_state(config_json: bytes | str) -> dict[bytes, bytes]:
    """`GenesisBuilder_build_state`: build the storage of a JSON genesis config."""
    try:
        config = json.loads(config_json)
    except (ValueError, UnicodeDecodeError) as e:
        raise GenesisBuildError(f"Invalid JSON blob: {e}") from None
    return genesis_storage(config)
