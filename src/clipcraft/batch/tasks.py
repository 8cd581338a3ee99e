"""What the batch and its workers hand each other: a clip to make, and how it went.

Both the batch (which plans and settles) and a worker (which makes one clip) import these;
neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from clipcraft.batch.pairing import Job
from clipcraft.settings.layers import Layer


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # ok | skipped | failed
    seconds: float
    detail: str
    episode: int | None = None
    afters: tuple[str, ...] = ()
    paired_by: str | None = None
    moment: float | None = None
    """Where the moment is on the source, in seconds (None for a photo)."""
    basis: str | None = None
    length: float | None = None
    output: str | None = None
    cover: str | None = None
    transcript: str | None = None
    """The transcript written beside the clip (captions from speech), if one was."""
    taken: str | None = None
    """When the clip's source was taken (ISO 8601), if the pairing read it."""
    story: tuple[str, ...] = ()
    """The clip's parts in order (Plan.story)."""
    warnings: tuple[str, ...] = ()
    """What making the clip warned of (an unsure moment, a hook left out), and the batch of
    it (its episode made but not recorded)."""


@dataclass(frozen=True)
class Task:
    """One clip to make: its job, the layers it resolves (pairing and cover included) and
    the key the manifest keeps for it."""

    job: Job
    layers: list[Layer]
    key: str
    turn: int = 0
    """The clip's place in the roll: with --auto, clips in a row take turns (effects, hooks)."""
