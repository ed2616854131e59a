"""SubtensorModule swap_keys."""
