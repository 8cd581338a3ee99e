"""Typed errors the library raises; the CLI turns them into one line and an exit code.

Exit codes follow docs/contract.md (Exit codes and errors): 2 when what the user typed is
wrong (a path that does not exist, an option value, a window outside the footage, an output
that would be overwritten), 1 when the media itself is unusable or a render fails.
"""

from __future__ import annotations

USAGE_EXIT = 2
FAILURE_EXIT = 1


class ClipcraftError(Exception):
    """An error with a message for the user and an optional hint on what to do."""

    exit_code = FAILURE_EXIT

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class UsageError(ClipcraftError):
    """What the user asked for cannot be done as asked (bad value, missing path, overwrite)."""

    exit_code = USAGE_EXIT


class MediaError(ClipcraftError):
    """An input file exists but is not usable media (corrupt, no video, zero length)."""


class AssetError(ClipcraftError):
    """A bundled or named asset (sound, font, preset) could not be found."""

    exit_code = USAGE_EXIT


class RenderError(ClipcraftError):
    """Encoding or decoding failed while making the clip."""


class Interrupted(BaseException):
    """Raised from a signal handler so every cleanup path runs before we exit."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum
