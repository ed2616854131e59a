"""The pallet framework (the analog of frame-support)."""
