"""SubtensorModule neurons."""
