"""clipcraft: kitchen-mishap footage in, upload-ready vertical clips out."""

import os

__version__ = "0.2.0"
"""The one place the version is written; pyproject.toml reads it from here (importlib.metadata
would cost every run 15 ms of start-up to look it up)."""

# clipcraft multiplies no matrices, yet numpy's OpenBLAS starts a thread per core at import
# that spins for a while (docs/design.md), taking a core from the ffmpeg processes that
# are starting at the same time. It must be set before numpy loads; a user's own value wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
