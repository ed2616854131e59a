"""SubtensorModule coinbase."""
