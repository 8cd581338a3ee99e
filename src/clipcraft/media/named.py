"""Files and folders the user names (a recipe, a preset, captions, a sound, music, a font, a
speech model's folder), checked before they are read: one that is missing, a folder, cannot
be read or is empty is the user's to mend, so it is one line naming it (exit 2), never an
OS error from deep inside a reader."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from clipcraft.errors import UsageError

PERMISSIONS = "check its permissions (ls -l), or copy it somewhere you can read"


def named_file(path: Path, what: str) -> Path:
    """`path`, a file that can be read and holds something, or an error naming it as `what`
    ("recipe file", "captions file", …). Nothing but its first byte is read."""
    mode = _mode(path, what)
    if stat.S_ISDIR(mode):
        raise UsageError(f"{path}: is a folder, not a {what}", f"give the {what} itself")
    if not stat.S_ISREG(mode):  # a pipe or a device: reading it could wait for ever
        raise UsageError(f"{path}: is not a regular file, not a {what}", f"give a {what}")
    try:
        with path.open("rb") as stream:
            first = stream.read(1)
    except OSError as error:
        raise UsageError(f"{path}: cannot be read ({error.strerror})", PERMISSIONS) from None
    if not first:
        raise UsageError(f"{path}: is empty (0 bytes), not a {what}", f"give a {what}")
    return path


def named_folder(path: Path, what: str) -> Path:
    """`path`, a folder that can be read and holds something, or an error naming it as
    `what` ("speech model folder")."""
    if not stat.S_ISDIR(_mode(path, what)):
        raise UsageError(f"{path}: is not a folder, not a {what}", f"give the {what}")
    try:
        with os.scandir(path) as entries:
            empty = next(entries, None) is None
    except OSError as error:
        raise UsageError(f"{path}: cannot be read ({error.strerror})", PERMISSIONS) from None
    if empty:
        raise UsageError(f"{path}: is empty, not a {what}", f"give a {what} with its files")
    return path


def _mode(path: Path, what: str) -> int:
    """The file type and permission bits of `path` (following links)."""
    try:
        return path.stat().st_mode
    except FileNotFoundError:
        dangling = " (a link to nothing)" if path.is_symlink() else ""
        raise UsageError(
            f"{path}: no such file{dangling}", "check the path and its spelling"
        ) from None
    except OSError as error:
        raise UsageError(f"{path}: cannot be read ({error.strerror})", PERMISSIONS) from None
