"""clipcraft: kitchen-mishap footage in, upload-ready vertical clips out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("clipcraft")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
