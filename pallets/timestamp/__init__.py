"""Timestamp (pallet 2, `pallet_timestamp`): the block time, set by an inherent."""

from .pallet import (
    INHERENT_IDENTIFIER,
    MAX_TIMESTAMP_DRIFT_MILLIS,
    ON_FINALIZE_WEIGHT,
    SET_WEIGHT,
    Config,
    Constants,
    DidUpdate,
    InherentError,
    Now,
    check_inherent,
    config,
    create_inherent,
    get,
    on_finalize,
    on_initialize,
    pallet,
)

__all__ = [
    "INHERENT_IDENTIFIER",
    "MAX_TIMESTAMP_DRIFT_MILLIS",
    "ON_FINALIZE_WEIGHT",
    "SET_WEIGHT",
    "Config",
    "Constants",
    "DidUpdate",
    "InherentError",
    "Now",
    "check_inherent",
    "config",
    "create_inherent",
    "get",
    "on_finalize",
    "on_initialize",
    "pallet",
]
