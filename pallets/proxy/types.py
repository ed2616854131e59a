"""The values Proxy stores and names: `subtensor_runtime_common::ProxyType` (the runtime's
proxy type, which subtensor's proxy pallet is composed with), `ProxyDefinition`,
`Announcement` and `DepositKind` (`pallet_subtensor_proxy`)."""

from __future__ import annotations

from pysubtensor.pallets.support.types import bounded_vec
from pysubtensor.primitives.scale import H256, U32, Field, NameEnum, Struct, Tuple
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.types import ACCOUNT_ID, BALANCE

__all__ = [
    "ANNOUNCEMENT",
    "ANNOUNCEMENTS",
    "DEPOSIT_KIND",
    "PROXIES",
    "PROXY_DEFINITION",
    "PROXY_TYPE",
    "PROXY_TYPES",
    "Announcement",
    "ProxyDefinition",
    "proxy_type_index",
]

#: `subtensor_runtime_common::ProxyType` variants in declaration (= SCALE index) order. `Any`,
#: the first, is the `Default` and the most permissive.
PROXY_TYPES = ("Any", "Owner", "NonCritical", "NonTransfer", "Senate", "NonFungible", "Triumvirate", "Governance",
               "Staking", "Registration", "Transfer", "SmallTransfer", "RootWeights", "ChildKeys",
               "SudoUncheckedSetCode", "SwapHotkey", "SubnetLeaseBeneficiary", "RootClaim")
#: Python values are the variant names (`"Any"`), as encoded and as decoded.
PROXY_TYPE = NameEnum(("subtensor_runtime_common", "ProxyType"), PROXY_TYPES)


def proxy_type_index(proxy_type: str) -> int:
    """The variant's index, which is also its place in the derived `Ord`."""
    return PROXY_TYPES.index(proxy_type)


@slots_dataclass(frozen=True)
class ProxyDefinition:
    """The parameters under which `delegate` may act for an account."""

    delegate: bytes
    proxy_type: str
    delay: int

    def sort_key(self) -> tuple[bytes, int, int]:
        """The derived `Ord`: delegate, then proxy type, then delay (a proxy list is kept sorted)."""
        return (self.delegate, proxy_type_index(self.proxy_type), self.delay)


PROXY_DEFINITION = Struct(
    ("pallet_subtensor_proxy", "ProxyDefinition"),
    (Field("delegate", ACCOUNT_ID, "AccountId"), Field("proxy_type", PROXY_TYPE, "ProxyType"),
     Field("delay", U32, "BlockNumber")),
    cls=ProxyDefinition,
    params=(("AccountId", ACCOUNT_ID), ("ProxyType", PROXY_TYPE), ("BlockNumber", U32)),
)


@slots_dataclass(frozen=True)
class Announcement:
    """A delegate's announced call: for whom, its hash, and the block it was announced at."""

    real: bytes
    call_hash: bytes
    height: int


ANNOUNCEMENT = Struct(
    ("pallet_subtensor_proxy", "Announcement"),
    (Field("real", ACCOUNT_ID, "AccountId"), Field("call_hash", H256, "Hash"), Field("height", U32, "BlockNumber")),
    cls=Announcement,
    params=(("AccountId", ACCOUNT_ID), ("Hash", H256), ("BlockNumber", U32)),
)

#: `(BoundedVec<ProxyDefinition, MaxProxies>, Balance)`: the proxies and the deposit held for them.
PROXIES = Tuple(bounded_vec(PROXY_DEFINITION), BALANCE)
#: `(BoundedVec<Announcement, MaxPending>, Balance)`: pending announcements and their deposit.
ANNOUNCEMENTS = Tuple(bounded_vec(ANNOUNCEMENT), BALANCE)

DEPOSIT_KIND = NameEnum(("pallet_subtensor_proxy", "DepositKind"), ("Proxies", "Announcements"))
