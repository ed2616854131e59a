"""SubtensorModule subnets."""
