"""Episode numbers for a recurring series, safe when several renders finish at once.

The counter for a series lives in the user data directory. An episode is *claimed* before a
render (so two renders at once never get the same number) and *recorded* when its render
succeeds; a failed render releases its claim. Every change happens under a file lock.
filelock and platformdirs are imported where they are used: most clips belong to no series,
and the two cost every run 10 ms of start-up.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager

from clipcraft.media.outputs import atomic_output
from clipcraft.settings.folders import data_folder


class Series:
    def __init__(self, name: str) -> None:
        self.name = name
        self.path = data_folder() / "series" / f"{name}.json"

    @contextmanager
    def _state(self) -> Iterator[dict]:
        from filelock import FileLock

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path) + ".lock", timeout=30):
            state = json.loads(self.path.read_text()) if self.path.exists() else {}
            state.setdefault("next", 1)
            state.setdefault("claimed", {})
            yield state
            with atomic_output(self.path) as temporary:
                temporary.write_text(json.dumps(state, indent=2))

    def peek(self) -> int:
        """The number the next render would get (for a dry run or a preview)."""
        with self._state() as state:
            return _free(state, state["next"])

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

    def release(self, episode: int) -> None:
        """The render of `episode` failed: its number is free again."""
        with self._state() as state:
            state["claimed"].pop(str(episode), None)


def _free(state: dict, start: int) -> int:
    episode = start
    while str(episode) in state["claimed"]:
        episode += 1
    return episode


def _forget_the_dead(state: dict) -> None:
    """Drop claims of processes that ended without recording or releasing (killed)."""
    for episode, pid in list(state["claimed"].items()):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            del state["claimed"][episode]
        except PermissionError:
            pass
