"""FRAME-like pallets; `pallets.support` is the framework they are declared with."""
