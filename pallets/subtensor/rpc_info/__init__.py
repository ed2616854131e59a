"""The value types SubtensorModule's runtime APIs return (Rust `pallet_subtensor::rpc_info`),
one module per concern. The runtime APIs that fill them from storage are in
`pallets/subtensor/apis`.
"""

from pysubtensor.pallets.subtensor.rpc_info.common import (
    AxonInfo,
    ChainIdentityV2,
    PrometheusInfo,
    SubnetIdentityV3,
)
from pysubtensor.pallets.subtensor.rpc_info.delegate_info import DelegateInfo
from pysubtensor.pallets.subtensor.rpc_info.dynamic_info import DynamicInfo
from pysubtensor.pallets.subtensor.rpc_info.metagraph import Metagraph, SelectiveMetagraph
from pysubtensor.pallets.subtensor.rpc_info.neuron_info import NeuronInfo, NeuronInfoLite
from pysubtensor.pallets.subtensor.rpc_info.stake_info import StakeAvailability, StakeInfo
from pysubtensor.pallets.subtensor.rpc_info.subnet_info import (
    HyperparamEntry,
    SubnetHyperparams,
    SubnetHyperparamsV2,
    SubnetInfo,
    SubnetInfov2,
)
from pysubtensor.pallets.subtensor.rpc_info.subnet_state import SubnetState

__all__ = ["AxonInfo", "ChainIdentityV2", "DelegateInfo", "DynamicInfo", "HyperparamEntry", "Metagraph", "NeuronInfo", "NeuronInfoLite",
           "PrometheusInfo", "SelectiveMetagraph", "StakeAvailability", "StakeInfo", "SubnetHyperparams", "SubnetHyperparamsV2",
           "SubnetIdentityV3", "SubnetInfo", "SubnetInfov2", "SubnetState"]
