"""Where clipcraft keeps what it remembers for a creator: the platform's data folder
(`CLIPCRAFT_DATA_DIR` overrides it), holding the series counters and the creator's sounds; and
what it can make again, in the platform's cache folder."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_DIR_VARIABLE = "CLIPCRAFT_CACHE_DIR"


def data_folder() -> Path:
    from platformdirs import user_data_dir  # only a run that looks there pays for it

    override = os.environ.get("CLIPCRAFT_DATA_DIR")
    return Path(override) if override else Path(user_data_dir("clipcraft"))


def cache_folder() -> Path:
    """What clipcraft can make again (the joined multilingual speech model):
    `CLIPCRAFT_CACHE_DIR` overrides the platform's cache folder."""
    from platformdirs import user_cache_dir

    override = os.environ.get(CACHE_DIR_VARIABLE)
    return Path(override) if override else Path(user_cache_dir("clipcraft"))
