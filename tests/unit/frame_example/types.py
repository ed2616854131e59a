"""Value types of the slice, each declared once: codec, scale-info type and Python class."""

from __future__ import annotations

from pysubtensor.pallets.support.types import scale_type, u8, u16, u32, u64, u128, value_type
from pysubtensor.primitives.scale import U16, U64

__all__ = ["AxonInfo", "NetUid", "TaoBalance"]

#: `subtensor_runtime_common::NetUid`: a transparent u16 in spec 381.
NetUid = scale_type(U16, int, "NetUid")
TaoBalance = scale_type(U64, int, "TaoBalance")


@value_type("pallet_subtensor", "pallet", "AxonInfo")
class AxonInfo:
    """Where a neuron's axon serves (the struct `Axons` stores)."""

    block: u64
    version: u32
    ip: u128
    port: u16
    ip_type: u8
    protocol: u8
    placeholder1: u8
    placeholder2: u8
