"""clipcraft: kitchen-mishap footage in, upload-ready vertical clips out."""

__version__ = "0.1.0"
"""The one place the version is written; pyproject.toml reads it from here (importlib.metadata
would cost every run 15 ms of start-up to look it up)."""
