"""`get_neuron(s)` and `get_neuron(s)_lite`: one neuron of a subnet."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.rpc_info.common import (
    ACCOUNT_PARAM,
    Account,
    AxonInfo,
    CompactAlpha,
    CompactNetUid,
    CompactU16,
    CompactU64,
    PrometheusInfo,
    tuple_of,
)
from pysubtensor.pallets.support.types import Bool, value_type

__all__ = ["NeuronInfo", "NeuronInfoLite"]

#: (coldkey, stake) of the neuron's stakers.
StakeOf = tuple_of(Account, CompactAlpha)
#: (uid, value) of a weight or bond row.
UidValue = tuple_of(CompactU16, CompactU16)


@value_type("pallet_subtensor", "rpc_info", "neuron_info", "NeuronInfo", params=ACCOUNT_PARAM)
class NeuronInfo:
    """A neuron: keys, serving info, stake, scores, weights and bonds."""

    hotkey: Account
    coldkey: Account
    uid: CompactU16
    netuid: CompactNetUid
    active: Bool
    axon_info: AxonInfo
    prometheus_info: PrometheusInfo
    stake: list[StakeOf]
    rank: CompactU16
    emission: CompactAlpha
    incentive: CompactU16
    consensus: CompactU16
    trust: CompactU16
    validator_trust: CompactU16
    dividends: CompactU16
    last_update: CompactU64
    validator_permit: Bool
    weights: list[UidValue]
    bonds: list[UidValue]
    pruning_score: CompactU16


@value_type("pallet_subtensor", "rpc_info", "neuron_info", "NeuronInfoLite", params=ACCOUNT_PARAM)
class NeuronInfoLite:
    """NeuronInfo without weights and bonds."""

    hotkey: Account
    coldkey: Account
    uid: CompactU16
    netuid: CompactNetUid
    active: Bool
    axon_info: AxonInfo
    prometheus_info: PrometheusInfo
    stake: list[StakeOf]
    rank: CompactU16
    emission: CompactAlpha
    incentive: CompactU16
    consensus: CompactU16
    trust: CompactU16
    validator_trust: CompactU16
    dividends: CompactU16
    last_update: CompactU64
    validator_permit: Bool
    pruning_score: CompactU16
