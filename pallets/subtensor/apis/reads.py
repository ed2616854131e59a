"""Storage reads the info APIs share (Rust `utils/misc.rs` getters, `subnets/serving.rs`,
`subnets/subnet.rs`): what a missing entry reads as is the Rust getter's fallback."""

from __future__ import annotations

from dataclasses import dataclass
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

__all__ = ["UidVectors", "added_netuids", "all_subnet_netuids", "at", "axon_info", "if_subnet_exist", "prometheus_info"]

U16_MAX = 0xFFFF


def if_subnet_exist(netuid: int) -> bool:
    return NetworksAdded.get(netuid)


def all_subnet_netuids() -> list[int]:
    """`get_all_subnet_netuids`: every `NetworksAdded` key, added or not, in storage key order
    (the little-endian netuid's bytes: 256 comes before 1)."""
    return [netuid for netuid, _ in NetworksAdded.iter()]


def added_netuids() -> list[int]:
    """The netuids `NetworksAdded` marks true, ascending (the `get_subnets_info*` order)."""
    return sorted(netuid for netuid, added in NetworksAdded.iter() if added)


def at(values: list[Any], uid: int, default: Any) -> Any:
    """`vec.get(uid).copied().unwrap_or(default)`."""
    return values[uid] if uid < len(values) else default


def axon_info(netuid: int, hotkey: bytes) -> AxonInfo:
    """The served axon, or all zeros."""
    axon = Axons.get(netuid, hotkey)
    return axon if axon is not None else AxonInfo(0, 0, 0, 0, 0, 0, 0, 0)


def prometheus_info(netuid: int, hotkey: bytes) -> PrometheusInfo:
    prometheus = Prometheus.get(netuid, hotkey)
    return prometheus if prometheus is not None else PrometheusInfo(0, 0, 0, 0, 0)


@dataclass(slots=True)
class UidVectors:
    """A subnet's per-uid vectors, read once (the Rust getters re-read them per uid; the values
    are the same). `storage_index` keys `Incentive` and `LastUpdate` (mechanism 0: the netuid)."""

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
    def read(cls, netuid: int, storage_index: int | None = None) -> UidVectors:
        index = netuid if storage_index is None else storage_index
        return cls(rank=Rank.get(netuid), trust=Trust.get(netuid), emission=Emission.get(netuid),
                   active=Active.get(netuid), consensus=Consensus.get(netuid), incentive=Incentive.get(index),
                   dividends=Dividends.get(netuid), last_update=LastUpdate.get(index),
                   pruning_score=PruningScores.get(netuid), validator_trust=ValidatorTrust.get(netuid),
                   validator_permit=ValidatorPermit.get(netuid))
