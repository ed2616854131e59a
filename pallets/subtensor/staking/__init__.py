"""SubtensorModule staking."""
