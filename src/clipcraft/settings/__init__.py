"""Every setting: its schema and kinds of value, layers and presets, the resolved Recipe."""
