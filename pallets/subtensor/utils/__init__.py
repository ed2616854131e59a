"""SubtensorModule utils."""
