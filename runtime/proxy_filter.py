"""`impl InstanceFilter<RuntimeCall> for ProxyType` (subtensor runtime/src/lib.rs): which
calls each proxy type may dispatch for its delegator, and which types include others.

Calls are matched by pallet and call name, so a SubtensorModule call this node does not
implement yet is classified as the real runtime classifies it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SMALL_ALPHA_TRANSFER_LIMIT", "SMALL_TRANSFER_LIMIT", "ProxyTypeFilter", "filter_call", "is_superset"]

#: `subtensor_runtime_common::SMALL_TRANSFER_LIMIT`: 0.5 TAO.
SMALL_TRANSFER_LIMIT = 500_000_000
#: `SMALL_ALPHA_TRANSFER_LIMIT`: 0.5 alpha.
SMALL_ALPHA_TRANSFER_LIMIT = 500_000_000


def _subtensor(*names: str) -> frozenset[tuple[str, str]]:
    return frozenset(("SubtensorModule", n) for n in names)


def _admin(*names: str) -> frozenset[tuple[str, str]]:
    return frozenset(("AdminUtils", n) for n in names)


_NON_TRANSFER_DENIED = _subtensor("transfer_stake", "schedule_swap_coldkey", "swap_coldkey")
_NON_FUNGIBLE_DENIED = _subtensor(
    "add_stake", "add_stake_limit", "remove_stake", "remove_stake_limit", "remove_stake_full_limit", "unstake_all",
    "unstake_all_alpha", "swap_stake", "swap_stake_limit", "move_stake", "transfer_stake", "burned_register",
    "root_register", "schedule_swap_coldkey", "swap_coldkey", "swap_hotkey")
_TRANSFER = frozenset({("Balances", "transfer_keep_alive"), ("Balances", "transfer_allow_death"),
                       ("Balances", "transfer_all")}) | _subtensor("transfer_stake")
_OWNER = _subtensor("set_subnet_identity", "update_symbol")
_NON_CRITICAL_DENIED = _subtensor("dissolve_network", "root_register", "burned_register")
_STAKING = _subtensor(
    "add_stake", "remove_stake", "unstake_all", "unstake_all_alpha", "swap_stake", "swap_stake_limit", "move_stake",
    "add_stake_limit", "remove_stake_limit", "remove_stake_full_limit", "set_root_claim_type")
_REGISTRATION = _subtensor("burned_register", "register")
_CHILD_KEYS = _subtensor("set_children", "set_childkey_take")
_SUBNET_LEASE_BENEFICIARY = _subtensor("start_call") | _admin(
    "sudo_set_serving_rate_limit", "sudo_set_min_difficulty", "sudo_set_max_difficulty",
    "sudo_set_weights_version_key", "sudo_set_adjustment_alpha", "sudo_set_immunity_period",
    "sudo_set_min_allowed_weights", "sudo_set_kappa", "sudo_set_rho", "sudo_set_activity_cutoff",
    "sudo_set_network_registration_allowed", "sudo_set_network_pow_registration_allowed", "sudo_set_max_burn",
    "sudo_set_bonds_moving_average", "sudo_set_bonds_penalty", "sudo_set_commit_reveal_weights_enabled",
    "sudo_set_liquid_alpha_enabled", "sudo_set_alpha_values", "sudo_set_commit_reveal_weights_interval",
    "sudo_set_toggle_transfer")


def _small_transfer(pallet_name: str, call_name: str, args: dict[str, Any]) -> bool:
    if (pallet_name, call_name) in (("Balances", "transfer_keep_alive"), ("Balances", "transfer_allow_death")):
        return args["value"] < SMALL_TRANSFER_LIMIT
    if (pallet_name, call_name) == ("SubtensorModule", "transfer_stake"):
        return args["alpha_amount"] < SMALL_ALPHA_TRANSFER_LIMIT
    return False


def _sudo_unchecked_set_code(pallet_name: str, call_name: str, args: dict[str, Any]) -> bool:
    if (pallet_name, call_name) != ("Sudo", "sudo_unchecked_weight"):
        return False
    inner_pallet, (inner_call, _) = args["call"]
    return (inner_pallet, inner_call) == ("System", "set_code")


def filter_call(proxy_type: str, call: Any) -> bool:
    """`ProxyType::filter`: whether a proxy of `proxy_type` may dispatch the RuntimeCall value `call`."""
    pallet_name, (call_name, args) = call
    args = args or {}
    key = (pallet_name, call_name)
    match proxy_type:
        case "Any":
            return True
        case "NonTransfer":
            return pallet_name != "Balances" and key not in _NON_TRANSFER_DENIED
        case "NonFungible":
            return pallet_name != "Balances" and key not in _NON_FUNGIBLE_DENIED
        case "Transfer":
            return key in _TRANSFER
        case "SmallTransfer":
            return _small_transfer(pallet_name, call_name, args)
        case "Owner":
            return ((pallet_name == "AdminUtils" or key in _OWNER)
                    and key != ("AdminUtils", "sudo_set_sn_owner_hotkey"))
        case "NonCritical":
            return pallet_name != "Sudo" and key not in _NON_CRITICAL_DENIED
        case "Triumvirate" | "Senate" | "Governance" | "RootWeights":  # deprecated
            return False
        case "Staking":
            return key in _STAKING
        case "Registration":
            return key in _REGISTRATION
        case "ChildKeys":
            return key in _CHILD_KEYS
        case "SudoUncheckedSetCode":
            return _sudo_unchecked_set_code(pallet_name, call_name, args)
        case "SwapHotkey":
            return key == ("SubtensorModule", "swap_hotkey")
        case "SubnetLeaseBeneficiary":
            return key in _SUBNET_LEASE_BENEFICIARY
        case "RootClaim":
            return key == ("SubtensorModule", "claim_root")
    raise ValueError(f"unknown proxy type {proxy_type!r}")


def is_superset(proxy_type: str, other: str) -> bool:
    """`ProxyType::is_superset`: whether `proxy_type` allows everything `other` allows."""
    if proxy_type == other or proxy_type == "Any":
        return True
    if other == "Any":
        return False
    if proxy_type == "NonTransfer":
        return other not in ("Transfer", "SmallTransfer")
    return (proxy_type, other) == ("Transfer", "SmallTransfer")


class ProxyTypeFilter:
    """The runtime's `InstanceFilter` as the Proxy pallet's `Config` takes it."""

    filter = staticmethod(filter_call)
    is_superset = staticmethod(is_superset)
