"""Storage reads the info APIs share (Rust `utils/misc.rs` getters, `subnets/serving.rs`,
`subnets/subnet.rs`): what a missing entry reads as is the Rust getter's fallback."""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.subtensor.epoch.storage import (
    Active,
    Consensus,
    Dividends,
    Emission,
    Incentive,
    LastUpdate,
    PruningScores,
    Rank,
    Trust,
    ValidatorPermit,
    ValidatorTrust,
)
from pysubtensor.pallets.subtensor.rpc_info.common import AxonInfo, PrometheusInfo
from pysubtensor.pallets.subtensor.serving.storage import Axons, Prometheus
from pysubtensor.pallets.subtensor.subnets.storage import NetworksAdded
from pysubtensor.pallets.subtensor.utils.neuron_lookup import if_subnet_exist
from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = ["U16_MAX", "UidVectors", "added_netuids", "all_subnet_netuids", "axon_info", "if_subnet_exist", "padded",
           "prometheus_info"]

U16_MAX = 0xFFFF


def all_subnet_netuids() -> list[int]:
    """`get_all_subnet_netuids`: every `NetworksAdded` key, added or not, in storage key order
    (the little-endian netuid's bytes: 256 comes before 1)."""
    return [netuid for netuid, _ in NetworksAdded.iter()]


def added_netuids() -> list[int]:
    """The netuids `NetworksAdded` marks true, ascending (the `get_subnets_info*` order)."""
    return sorted(netuid for netuid, added in NetworksAdded.iter() if added)


def axon_info(netuid: int, hotkey: bytes) -> AxonInfo:
    """The served axon, or all zeros."""
    axon = Axons.get(netuid, hotkey)
    return axon if axon is not None else AxonInfo(0, 0, 0, 0, 0, 0, 0, 0)


def prometheus_info(netuid: int, hotkey: bytes) -> PrometheusInfo:
    prometheus = Prometheus.get(netuid, hotkey)
    return prometheus if prometheus is not None else PrometheusInfo(0, 0, 0, 0, 0)


def padded(values: list[Any], n: int, default: Any) -> list[Any]:
    """`values` read at uids 0..n the Rust getters' way: `vec.get(uid).unwrap_or(default)`."""
    return values[:n] + [default] * (n - len(values)) if len(values) < n else values


@slots_dataclass
class UidVectors:
    """A subnet's per-uid vectors for uids 0..n, read once and padded with the getters'
    fallbacks (the Rust getters re-read them per uid; the values are the same).
    `Incentive` and `LastUpdate` are mechanism 0's (keyed by the netuid itself)."""

    rank: list[int]
    trust: list[int]
    emission: list[int]
    active: list[bool]
    consensus: list[int]
    incentive: list[int]
    dividends: list[int]
    last_update: list[int]
    pruning_score: list[int]
    validator_trust: list[int]
    validator_permit: list[bool]

    @classmethod
    def read(cls, netuid: int, n: int) -> UidVectors:
        return cls(rank=padded(Rank.get(netuid), n, 0), trust=padded(Trust.get(netuid), n, 0),
                   emission=padded(Emission.get(netuid), n, 0), active=padded(Active.get(netuid), n, False),
                   consensus=padded(Consensus.get(netuid), n, 0), incentive=padded(Incentive.get(netuid), n, 0),
                   dividends=padded(Dividends.get(netuid), n, 0), last_update=padded(LastUpdate.get(netuid), n, 0),
                   pruning_score=padded(PruningScores.get(netuid), n, U16_MAX),
                   validator_trust=padded(ValidatorTrust.get(netuid), n, 0),
                   validator_permit=padded(ValidatorPermit.get(netuid), n, False))
