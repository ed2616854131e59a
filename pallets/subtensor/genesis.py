"""SubtensorModule's genesis (`#[pallet::genesis_config]` / `#[pallet::genesis_build]`, the
spec-381 source: pallets/subtensor/src/macros/genesis.rs).

The config, as JSON (serde, camelCase, unknown fields refused):

    {"stakes": [], "balancesIssuance": 0, "startCallDelay": null}

`stakes` is accepted and read but, as in the real pallet, the build never uses it. The build
sets `TotalIssuance`, `StartCallDelay` (if given), creates the root network (netuid 0) and a
dynamic subnet 1 owned by the all-zero account with one neuron (its hotkey, uid 0), exactly
the items and values the real build writes. Our runtime is a fast-runtime build, so the
root network's owner is Alice and its owner hotkey `//Alice_hk` (`prod_or_fast!`; a
production build would use the all-zero account for both).
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets import system
from pysubtensor.pallets.subtensor.coinbase.storage import SubnetAlphaIn, SubnetAlphaOut, SubnetTAO
from pysubtensor.pallets.subtensor.epoch.storage import (
    Active,
    Consensus,
    Dividends,
    Emission,
    Incentive,
    LastUpdate,
    MaxAllowedValidators,
    PruningScores,
    Rank,
    Trust,
    ValidatorPermit,
    ValidatorTrust,
)
from pysubtensor.pallets.subtensor.neurons.storage import (
    BlockAtRegistration,
    IsNetworkMember,
    Keys,
    MaxAllowedUids,
    SubnetworkN,
    TargetRegistrationsPerInterval,
    Uids,
)
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.staking.storage import (
    Alpha,
    Owner,
    StakingHotkeys,
    TotalHotkeyAlpha,
    TotalHotkeyShares,
    TotalIssuance,
)
from pysubtensor.pallets.subtensor.subnets.storage import (
    LargestLocked,
    NetworkRegistrationAllowed,
    NetworksAdded,
    StartCallDelay,
    SubnetLocked,
    SubnetMechanism,
    SubnetOwner,
    SubnetOwnerHotkey,
    Tempo,
    TokenSymbol,
    TotalNetworks,
)
from pysubtensor.pallets.subtensor.subnets.symbols import symbol_for_subnet
from pysubtensor.pallets.subtensor.weights.storage import MinAllowedWeights
from pysubtensor.primitives.crypto import Scheme
from pysubtensor.primitives.keyring import Keypair
from pysubtensor.primitives.ss58 import ss58_decode_account_id

__all__ = ["DEFAULT_CONFIG", "ROOT_NETUID", "build_genesis", "root_owner", "root_owner_hotkey"]

ROOT_NETUID = 0
#: `GenesisConfig::default()` as serde writes it (field order of the Rust struct).
DEFAULT_CONFIG: dict[str, Any] = {"stakes": [], "balancesIssuance": 0, "startCallDelay": None}
#: `DefaultAccount` / `DefaultSubnetOwner`: the account decoded from zeroes.
_ZERO_ACCOUNT = bytes(32)
#: U64F64 of a whole number n is `n << 64` (its raw bits).
_U64F64_ONE = 1 << 64


def root_owner() -> bytes:
    """`prod_or_fast!(DefaultSubnetOwner, Alice)`: Alice's sr25519 key in a fast runtime."""
    return Keypair.from_uri("//Alice", Scheme.SR25519).public_key


def root_owner_hotkey() -> bytes:
    """`prod_or_fast!(DefaultSubnetOwner, //Alice_hk)`: sr25519 `//Alice_hk` in a fast runtime."""
    return Keypair.from_uri("//Alice_hk", Scheme.SR25519).public_key


def _u64(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << 64:
        raise ValueError(f"invalid value for `{field}`: expected u64, got {value!r}")
    return value


def _u16(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << 16:
        raise ValueError(f"invalid value for `{field}`: expected u16, got {value!r}")
    return value


def _account(value: Any) -> bytes:
    return ss58_decode_account_id(value) if isinstance(value, str) else bytes(value)


def _stakes(value: Any) -> list[tuple[bytes, list[tuple[bytes, tuple[int, int]]]]]:
    """`Vec<(AccountId, Vec<(AccountId, (u64, u16))>)>`: read (and so checked) as serde would."""
    out = []
    for coldkey, entries in value:
        out.append((_account(coldkey), [(_account(hotkey), (_u64(stake, "stakes"), _u16(uid, "stakes")))
                                        for hotkey, (stake, uid) in entries]))
    return out


@pallet.genesis
def build_genesis(config: dict[str, Any]) -> None:
    """`BuildGenesisConfig::build`: the root network and subnet 1, as the real pallet."""
    unknown = [k for k in config if k not in DEFAULT_CONFIG]
    if unknown:
        expected = ", ".join(f"`{k}`" for k in DEFAULT_CONFIG)
        raise ValueError(f"unknown field `{unknown[0]}`, expected one of {expected}")
    _stakes(config.get("stakes") or [])  # not used by the build
    balances_issuance = _u64(config.get("balancesIssuance", 0), "balancesIssuance")
    start_call_delay = config.get("startCallDelay")

    TotalIssuance.put(balances_issuance)
    if start_call_delay is not None:
        StartCallDelay.put(_u64(start_call_delay, "startCallDelay"))

    # The root network.
    root = ROOT_NETUID
    NetworksAdded.insert(root, True)
    TotalNetworks.mutate(lambda n: min(n + 1, 0xFFFF))
    SubnetOwner.insert(root, root_owner())
    SubnetOwnerHotkey.insert(root, root_owner_hotkey())
    SubnetworkN.insert(root, 0)
    MaxAllowedUids.insert(root, 64)
    MaxAllowedValidators.insert(root, 64)
    MinAllowedWeights.insert(root, 0)
    Tempo.insert(root, 100)
    NetworkRegistrationAllowed.insert(root, True)
    TargetRegistrationsPerInterval.insert(root, 1)
    TokenSymbol.insert(root, symbol_for_subnet(root))

    # Subnet 1: dynamic, owned by the all-zero account, which holds its initial stake.
    netuid, hotkey = 1, _ZERO_ACCOUNT
    SubnetMechanism.insert(netuid, 1)
    Owner.insert(hotkey, hotkey)
    SubnetAlphaIn.insert(netuid, 10_000_000_000)
    SubnetTAO.insert(netuid, 10_000_000_000)
    NetworksAdded.insert(netuid, True)
    TotalNetworks.mutate(lambda n: min(n + 1, 0xFFFF))
    SubnetworkN.insert(netuid, 0)
    MaxAllowedUids.insert(netuid, 256)
    MaxAllowedValidators.insert(netuid, 64)
    MinAllowedWeights.insert(netuid, 0)
    Tempo.insert(netuid, 100)
    NetworkRegistrationAllowed.insert(netuid, True)
    SubnetOwner.insert(netuid, hotkey)
    SubnetLocked.insert(netuid, 1)
    LargestLocked.insert(netuid, 1)
    Alpha.insert(hotkey, hotkey, netuid, 1_000_000_000 * _U64F64_ONE)
    TotalHotkeyAlpha.insert(hotkey, netuid, 1_000_000_000)
    TotalHotkeyShares.insert(hotkey, netuid, 1_000_000_000 * _U64F64_ONE)
    SubnetAlphaOut.insert(netuid, 1_000_000_000)
    staking_hotkeys = StakingHotkeys.get(hotkey)
    if hotkey not in staking_hotkeys:
        StakingHotkeys.insert(hotkey, [*staking_hotkeys, hotkey])

    block_number = system.block_number()
    SubnetworkN.insert(netuid, 1)
    for vector, item in ((Rank, 0), (Trust, 0), (Active, True), (Emission, 0), (Consensus, 0),
                         (Incentive, 0), (Dividends, 0), (LastUpdate, block_number), (PruningScores, 0),
                         (ValidatorTrust, 0), (ValidatorPermit, False)):
        vector.mutate(netuid, lambda v, item=item: [*v, item])
    Keys.insert(netuid, 0, hotkey)
    Uids.insert(netuid, hotkey, 0)
    BlockAtRegistration.insert(netuid, 0, block_number)
    IsNetworkMember.insert(hotkey, netuid, True)
    TokenSymbol.insert(netuid, symbol_for_subnet(netuid))
