"""SubtensorModule's runtime APIs (Rust `subtensor_custom_rpc_runtime_api`, implemented over
`pallet_subtensor::rpc_info`): declared and implemented here, composed by the runtime in
`runtime.api_traits.RUNTIME_APIS`. Each method only reads storage; the value types it returns
are in `pallets/subtensor/rpc_info`."""
