"""Serving: axon, prometheus and certificate endpoints and their rate limits.

Storage items as the real metadata (spec 381) lists them: names, hashers, key and value
types, query kinds, defaults and docs. Each is declared on the SubtensorModule `pallet`;
the metadata order of all of them is given in `pallets/subtensor/order.py`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.constants import Constants
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.types import NETUID, AxonInfo, NeuronCertificate, PrometheusInfo
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageMap, StorageNMap
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity
from pysubtensor.primitives.scale import U16, U64
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "Axons", "NeuronCertificates", "Prometheus", "ServingRateLimit", "TransactionKeyLastBlock",
]

ServingRateLimit = pallet.storage("ServingRateLimit", StorageMap(Identity, NETUID, U64, default=Constants.InitialServingRateLimit),
    docs="--- MAP ( netuid ) --> serving_rate_limit")
Axons = pallet.storage("Axons", StorageDoubleMap(Identity, NETUID, Blake2_128Concat, ACCOUNT_ID, AxonInfo.SCALE, optional=True),
    docs="--- MAP ( netuid, hotkey ) --> axon_info")
NeuronCertificates = pallet.storage("NeuronCertificates", StorageDoubleMap(Identity, NETUID, Blake2_128Concat, ACCOUNT_ID, NeuronCertificate.SCALE, optional=True),
    docs="--- MAP ( netuid, hotkey ) --> certificate")
Prometheus = pallet.storage("Prometheus", StorageDoubleMap(Identity, NETUID, Blake2_128Concat, ACCOUNT_ID, PrometheusInfo.SCALE, optional=True),
    docs="--- MAP ( netuid, hotkey ) --> prometheus_info")
TransactionKeyLastBlock = pallet.storage("TransactionKeyLastBlock", StorageNMap(((Blake2_128Concat, ACCOUNT_ID), (Identity, NETUID), (Identity, U16)), U64, default=0), docs="""
    =================================
    ==== Axon / Promo Endpoints =====
    =================================
    --- NMAP ( hot, netuid, name ) --> last_block | Returns the last block of a transaction for a given key, netuid, and name.
""")
