"""`NeuronInfoRuntimeApi`: a subnet's neurons, full (weights and bonds) or lite (Rust
`rpc_info/neuron_info.rs`). Both walk uids 0..SubnetworkN and stop at the first uid without
a hotkey; each neuron's stake is one entry, its owner coldkey with the hotkey's
`TotalHotkeyAlpha` on the subnet."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.apis.reads import (
    UidVectors,
    axon_info,
    if_subnet_exist,
    prometheus_info,
)
from pysubtensor.pallets.subtensor.epoch.storage import Bonds
from pysubtensor.pallets.subtensor.neurons.storage import Keys, SubnetworkN
from pysubtensor.pallets.subtensor.rpc_info import NeuronInfo, NeuronInfoLite
from pysubtensor.pallets.subtensor.staking.storage import Owner, TotalHotkeyAlpha
from pysubtensor.pallets.subtensor.types import NETUID
from pysubtensor.pallets.subtensor.weights.storage import Weights
from pysubtensor.pallets.support.runtime_api import RuntimeApi
from pysubtensor.primitives.scale import U16, Option, Vec

__all__ = ["NeuronInfoRuntimeApi", "neuron", "neuron_lite", "neurons", "neurons_lite"]

NeuronInfoRuntimeApi = RuntimeApi("NeuronInfoRuntimeApi", 1, ())


def _lite(netuid: int, uid: int, v: UidVectors) -> NeuronInfoLite | None:
    """Neuron `uid` (< the vectors' length) or None when it has no hotkey."""
    hotkey = Keys.try_get(netuid, uid)
    if hotkey is None:
        return None
    coldkey = Owner.get(hotkey)
    return NeuronInfoLite(
        hotkey, coldkey, uid, netuid, v.active[uid], axon_info(netuid, hotkey), prometheus_info(netuid, hotkey),
        [(coldkey, TotalHotkeyAlpha.get(hotkey, netuid))], v.rank[uid], v.emission[uid], v.incentive[uid],
        v.consensus[uid], v.trust[uid], v.validator_trust[uid], v.dividends[uid], v.last_update[uid],
        v.validator_permit[uid], v.pruning_score[uid])


def _nonzero(row: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(i, v) for i, v in row if v > 0]


def _full(netuid: int, uid: int, vectors: UidVectors) -> NeuronInfo | None:
    lite = _lite(netuid, uid, vectors)
    if lite is None:
        return None
    fields = {name: getattr(lite, name) for name in NeuronInfoLite.__slots__}
    return NeuronInfo(**fields, weights=_nonzero(Weights.get(netuid, uid)), bonds=_nonzero(Bonds.get(netuid, uid)))


def _all(netuid: int, one) -> list:  # type: ignore[no-untyped-def]
    if not if_subnet_exist(netuid):
        return []
    n = SubnetworkN.get(netuid)
    vectors = UidVectors.read(netuid, n)
    out = []
    for uid in range(n):
        info = one(netuid, uid, vectors)
        if info is None:
            break  # no more neurons
        out.append(info)
    return out


@NeuronInfoRuntimeApi.method("get_neurons", (("netuid", NETUID),), Vec(NeuronInfo.SCALE))
def neurons(netuid: int) -> list[NeuronInfo]:
    return _all(netuid, _full)


@NeuronInfoRuntimeApi.method("get_neuron", (("netuid", NETUID), ("uid", U16)), Option(NeuronInfo.SCALE))
def neuron(netuid: int, uid: int) -> NeuronInfo | None:
    if not if_subnet_exist(netuid):
        return None
    return _full(netuid, uid, UidVectors.read(netuid, uid + 1))


@NeuronInfoRuntimeApi.method("get_neurons_lite", (("netuid", NETUID),), Vec(NeuronInfoLite.SCALE))
def neurons_lite(netuid: int) -> list[NeuronInfoLite]:
    return _all(netuid, _lite)


@NeuronInfoRuntimeApi.method("get_neuron_lite", (("netuid", NETUID), ("uid", U16)), Option(NeuronInfoLite.SCALE))
def neuron_lite(netuid: int, uid: int) -> NeuronInfoLite | None:
    if not if_subnet_exist(netuid):
        return None
    return _lite(netuid, uid, UidVectors.read(netuid, uid + 1))
