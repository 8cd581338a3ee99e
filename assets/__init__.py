"""Bundled sounds, fonts and presets, installed as the `clipcraft.assets` package."""
