"""SubtensorModule serving."""
