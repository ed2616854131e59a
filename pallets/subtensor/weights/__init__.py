"""SubtensorModule weights."""
