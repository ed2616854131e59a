"""What SubtensorModule provides to the Swap pallet's Config (Rust lib.rs: `impl SubnetInfo
for Pallet<T>`, `TaoBalanceReserve`, `AlphaBalanceReserve`): which subnets exist and their
mechanism, and the pool's two reserves, `SubnetTAO` and `SubnetAlphaIn`."""

from __future__ import annotations

from .apis.reads import all_subnet_netuids
from .coinbase.storage import SubnetAlphaIn, SubnetTAO
from .subnets.storage import NetworksAdded, SubnetMechanism

__all__ = ["ALPHA_RESERVE", "SUBNET_INFO", "TAO_RESERVE"]

_U64_MAX = (1 << 64) - 1


class _SubnetInfo:
    def exists(self, netuid: int) -> bool:
        return NetworksAdded.get(netuid)

    def mechanism(self, netuid: int) -> int:
        return SubnetMechanism.get(netuid)

    def netuids(self) -> list[int]:
        return all_subnet_netuids()


class _Reserve:
    """`increase_provided` / `decrease_provided_*_reserve`: saturating, and no write for 0."""

    def __init__(self, item) -> None:
        self.item = item

    def reserve(self, netuid: int) -> int:
        return self.item.get(netuid)

    def increase_provided(self, netuid: int, amount: int) -> None:
        if amount:
            self.item.mutate(netuid, lambda total: min(total + amount, _U64_MAX))

    def decrease_provided(self, netuid: int, amount: int) -> None:
        if amount:
            self.item.mutate(netuid, lambda total: max(total - amount, 0))


SUBNET_INFO = _SubnetInfo()
TAO_RESERVE = _Reserve(SubnetTAO)
ALPHA_RESERVE = _Reserve(SubnetAlphaIn)
