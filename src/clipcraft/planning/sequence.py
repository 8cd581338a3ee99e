"""The parts of a clip in order and how many frames each gets (pure).

Everything that is not the fail — freeze, replay, after, outro — has a fixed length, and the
fail part gets what they leave of --duration; a transition that overlaps two parts (crossfade,
wipe, slide) gives its overlap back to the fail. With --start and --end the fail part is fixed
instead and the total follows.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    """Frame counts of each part, and of the overlap between the before and the after."""

    fail: int
    freeze: int = 0
    replay: int = 0
    after: int = 0
    outro: int = 0
    overlap: int = 0

    @property
    def total(self) -> int:
        return self.fail + self.freeze + self.replay + self.after + self.outro - self.overlap


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
    after: float,
    outro: float,
    overlap: int,
    fixed_fail: float | None,
) -> Budget:
    """Share --duration between the parts; the fail part gets what is left (at least 2 s)."""
    parts = Budget(
        fail=0,
        freeze=round(freeze * fps),
        replay=round(REPLAY_SOURCE_SECONDS / REPLAY_SPEED * fps) if replay else 0,
        after=round(after * fps),
        outro=round(outro * fps),
        overlap=overlap,
    )
    others = parts.total  # everything but the fail, less the overlap it gives back
    if fixed_fail is not None:
        return Budget(
            round(fixed_fail * fps),
            parts.freeze,
            parts.replay,
            parts.after,
            parts.outro,
            parts.overlap,
        )
    fail = round(total_seconds * fps) - others
    if others and fail < MIN_FAIL_SECONDS * fps:
        named = [
            f"{name} {getattr(parts, name) / fps:.1f} s"
            for name in ("freeze", "replay", "after", "outro")
            if getattr(parts, name)
        ]
        raise UsageError(
            f"--duration {total_seconds:g} leaves {max(fail, 0) / fps:.1f} s for the fail after "
            f"{', '.join(named)}; the fail needs at least {MIN_FAIL_SECONDS:g} s",
            f"raise --duration to {(others / fps) + MIN_FAIL_SECONDS:.1f} or more, or drop a part",
        )
    return Budget(max(fail, 1), parts.freeze, parts.replay, parts.after, parts.outro, parts.overlap)
