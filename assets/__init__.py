"""Bundled sounds, fonts and presets, installed as the `clipcraft.assets` package.

The files live at the top of the repository (assets/) and ship inside the wheel; code finds
them through importlib.resources, so an installed copy works from any folder.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def asset_dir(kind: str) -> Path:
    """The installed folder of one kind of asset (`sounds`, `music`, `fonts`, `presets`)."""
    return Path(str(files(__name__) / kind))
