"""The parts of a clip in order and how many frames each gets (pure).

Everything that is not the fail — freeze, replay, each after, lesson, outro — has a fixed
length, and the fail part gets what they leave of --duration; a transition that overlaps two
parts (crossfade, wipe, slide) gives its overlap back to the fail. With --start and --end the
fail part is fixed instead and the total follows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from clipcraft.errors import UsageError

MIN_FAIL_SECONDS = 2.0
FREEZE_ZOOM = 1.06
"""A freeze-frame pushes in this far over its length: the classic "record scratch" beat."""
PHOTO_ZOOM = 1.08
"""A photo zooms this far over its time, so it is never a dead still."""
REPLAY_SPEED = 0.5
REPLAY_SOURCE_SECONDS = 1.5
OVERLAPPING = {"crossfade": 0.3, "wipe": 0.3, "slide": 0.3}
"""Transitions that show both parts at once, and for how long (seconds)."""
FLASH_SECONDS = 0.27


@dataclass(frozen=True)
class Budget:
    """Frame counts of each part, the afters in order, and how many frames each after's
    transition in shares with the part before it."""

    fail: int
    freeze: int = 0
    replay: int = 0
    afters: tuple[int, ...] = ()
    lesson: int = 0
    outro: int = 0
    overlaps: tuple[int, ...] = ()

    @property
    def after(self) -> int:
        """The first after's frames: the part the cut from the fail leads into."""
        return self.afters[0] if self.afters else 0

    @property
    def overlap(self) -> int:
        """The frames the fail shares with the first after."""
        return self.overlaps[0] if self.overlaps else 0

    @property
    def total(self) -> int:
        parts = self.fail + self.freeze + self.replay + sum(self.afters)
        return parts + self.lesson + self.outro - sum(self.overlaps)


def transition_frames(kind: str, fps: int) -> tuple[int, int]:
    """(frames the transition lasts, frames of it where both parts show)."""
    if kind in OVERLAPPING:
        frames = round(OVERLAPPING[kind] * fps)
        return frames, frames
    if kind == "flash":
        return round(FLASH_SECONDS * fps), 0
    return 0, 0


def plan_budget(
    total_seconds: float,
    fps: int,
    *,
    freeze: float,
    replay: bool,
    afters: Sequence[float],
    lesson: float,
    outro: float,
    overlaps: Sequence[int],
    fixed_fail: float | None,
) -> Budget:
    """Share --duration between the parts; the fail part gets what is left (at least 2 s)."""
    parts = Budget(
        fail=0,
        freeze=round(freeze * fps),
        replay=round(REPLAY_SOURCE_SECONDS / REPLAY_SPEED * fps) if replay else 0,
        afters=tuple(round(seconds * fps) for seconds in afters),
        lesson=round(lesson * fps),
        outro=round(outro * fps),
        overlaps=tuple(overlaps),
    )
    if fixed_fail is not None:
        return replace(parts, fail=round(fixed_fail * fps))
    others = parts.total  # everything but the fail, less the overlaps given back
    fail = round(total_seconds * fps) - others
    if others and fail < MIN_FAIL_SECONDS * fps:
        raise UsageError(
            f"--duration {total_seconds:g} leaves {max(fail, 0) / fps:.1f} s for the fail once "
            f"the other parts have theirs ({', '.join(_named_parts(parts, fps))}); the fail "
            f"needs at least {MIN_FAIL_SECONDS:g} s",
            f"raise --duration to {(others / fps) + MIN_FAIL_SECONDS:.1f} or more, or drop a part",
        )
    return replace(parts, fail=max(fail, 1))


def _named_parts(parts: Budget, fps: int) -> list[str]:
    """Each part but the fail with its length, as an error lists them."""
    numbered = len(parts.afters) > 1
    afters = [
        (f"after {index}" if numbered else "after", frames)
        for index, frames in enumerate(parts.afters, 1)
    ]
    named = [("freeze", parts.freeze), ("replay", parts.replay), *afters]
    named += [("lesson", parts.lesson), ("outro", parts.outro)]
    return [f"{name} {frames / fps:.1f} s" for name, frames in named if frames]
