"""Chain spec presets (dev, local) and example chain spec JSON files."""
