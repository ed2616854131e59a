"""The composed subtensor runtime: pallets by index, executive, extrinsic format, runtime APIs."""
