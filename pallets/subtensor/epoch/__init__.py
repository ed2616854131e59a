"""SubtensorModule epoch."""
