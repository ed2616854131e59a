"""SubtensorModule hierarchy."""
