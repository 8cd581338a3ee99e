"""Episode numbers for a recurring series, safe when several renders finish at once.

The counter for a series lives in the user data directory. An episode is *claimed* before a
render (so two renders at once never get the same number) and *recorded* when its render
succeeds; a failed render releases its claim. Every change happens under a file lock; a dry
run or a preview only reads the counter (renames make every write whole, so a read without
the lock sees a whole file). A counter that cannot be read stops the render: numbering on
from a guess could publish a second "episode 12".
filelock and platformdirs are imported where they are used: most clips belong to no series,
and the two cost every run 10 ms of start-up.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from clipcraft.errors import ClipcraftError, UsageError
from clipcraft.media.outputs import atomic_output
from clipcraft.settings.folders import data_folder
from clipcraft.settings.values import plain_name


class Series:
    def __init__(self, name: str) -> None:
        self.name = plain_name(name)
        self.path = data_folder() / "series" / f"{name}.json"

    def _read(self) -> dict[str, Any]:
        """The counter as stored (a new series starts at 1); a damaged one is exit 2."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = "{}"
        except (OSError, UnicodeDecodeError) as error:
            raise self._damaged(getattr(error, "strerror", None) or "not text") from None
        try:
            state = json.loads(text)
        except json.JSONDecodeError as error:
            raise self._damaged(f"not JSON: {error.msg}, line {error.lineno}") from None
        if not isinstance(state, dict):
            raise self._damaged("not a JSON object")
        state.setdefault("next", 1)
        state.setdefault("claimed", {})
        if not _counts(state):
            raise self._damaged('"next" is not a whole number from 1, or "claimed" is not a map')
        return state

    def _damaged(self, why: str) -> UsageError:
        return UsageError(
            f"{self.path}: the counter of the series {self.name!r} cannot be read ({why})",
            'mend it: write {"next": N} in it, N the next episode\'s number, '
            "or delete it to count from 1",
        )

    @contextmanager
    def _state(self) -> Iterator[dict[str, Any]]:
        from filelock import FileLock

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path) + ".lock", timeout=30):
            state = self._read()
            yield state
            with atomic_output(self.path) as temporary:
                temporary.write_text(json.dumps(state, indent=2))

    def peek(self, after: int | None = None) -> int:
        """The number the next render would get (for a dry run or a preview), or the next
        free one from `after` (a preview batch's later clips): read only, without the lock,
        so it writes nothing anywhere."""
        state = self._read()
        return _free(state, max(state["next"], after or 0))

    def claim(self, wanted: int | None = None) -> int:
        """Reserve an episode number: `wanted` (from --episode) or the next free one."""
        with self._state() as state:
            _forget_the_dead(state)
            episode = wanted if wanted is not None else _free(state, state["next"])
            state["claimed"][str(episode)] = os.getpid()
            return episode

    def record(self, episode: int) -> None:
        """The render of `episode` succeeded: the next one comes after it."""
        with self._state() as state:
            state["claimed"].pop(str(episode), None)
            state["next"] = max(state["next"], episode + 1)

    def recorded(self, episode: int) -> str | None:
        """Record `episode`, whose clip is already in place: a counter that cannot be written
        now (a lock held too long, a full disk) is a warning saying how to mend it, not a
        failure of a clip that exists."""
        try:
            self.record(episode)
        except (OSError, ClipcraftError) as error:
            return (
                f"episode {episode} is made but {self.path} could not record it ({error}); "
                f'write {{"next": {episode + 1}}} in it, or the next clip is numbered {episode} too'
            )
        return None

    def release(self, episode: int) -> None:
        """The render of `episode` failed: its number is free again."""
        with self._state() as state:
            state["claimed"].pop(str(episode), None)


def _counts(state: dict[str, Any]) -> bool:
    """Whether a counter read back holds what this module writes: a next number and claims
    of numbers by process ids."""
    whole = type(state["next"]) is int and state["next"] >= 1
    claimed = state["claimed"]
    return (
        whole
        and isinstance(claimed, dict)
        and all(key.isdigit() and type(pid) is int for key, pid in claimed.items())
    )


def _free(state: dict[str, Any], start: int) -> int:
    episode = start
    while str(episode) in state["claimed"]:
        episode += 1
    return episode


def _forget_the_dead(state: dict[str, Any]) -> None:
    """Drop claims of processes that ended without recording or releasing (killed)."""
    for episode, pid in list(state["claimed"].items()):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            del state["claimed"][episode]
        except PermissionError:
            pass
