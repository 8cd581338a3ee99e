"""The story after the fail, part by part (pure): how fast an after video plays to fit its
part, and the time that passed, in words, for its caption ("2 minutes later…")."""

from __future__ import annotations

from dataclasses import dataclass

from clipcraft.errors import UsageError
from clipcraft.settings.recipe import Speed

MOST_SPEED = 64.0
"""`auto` plays a long video at most this fast (a 160-s cleanup in a 2.5-s part): beyond it,
a kitchen's minutes flicker by too fast to follow, and every frame must still be decoded."""
ELAPSED_FIELD = "elapsed"
ELAPSED = f"{{{ELAPSED_FIELD}}}"
SPED_CAPTION = f"{ELAPSED} later…"
"""The caption a sped-up part gets unless it has one of its own ("" for none)."""


@dataclass(frozen=True)
class Pace:
    """How an after video fills its part: at `speed`, from its start to `end` (seconds on
    the video), on `frames` output frames (fewer than asked where the video runs out)."""

    speed: float
    end: float
    frames: int
    warning: str | None = None


def pace(asked: Speed, start: float, duration: float, frames: int, fps: int) -> Pace:
    """The speed asked for, or with `auto` the whole video from `start` fitted into `frames`
    (never slowed down, at most MOST_SPEED), and where the part ends on the video."""
    left = duration - start
    warning = None
    if asked == "auto":
        fitted = left * fps / frames
        if fitted > MOST_SPEED:
            warning = (
                f"{left:.0f} s of video is more than {MOST_SPEED:g}x its part: the part shows "
                f"its first {MOST_SPEED * frames / fps:.0f} s; give --after-start to choose"
            )
        speed = round(min(max(fitted, 1.0), MOST_SPEED), 3)
    else:
        speed = float(asked)
    end = min(start + frames / fps * speed, duration)
    shown = min(frames, max(1, round((end - start) / speed * fps)))
    return Pace(speed, round(end, 3), shown, warning)


def elapsed_words(seconds: float) -> str:
    """A length of time as a caption says it: "40 seconds", "2 minutes", "1 hour 5 minutes"."""

    def count(number: int, unit: str) -> str:
        return f"{number} {unit}{'' if number == 1 else 's'}"

    if seconds < 59.5:
        return count(max(1, round(seconds)), "second")
    minutes = round(seconds / 60)
    if minutes < 60:
        return count(minutes, "minute")
    hours, minutes = divmod(minutes, 60)
    return count(hours, "hour") + (f" {count(minutes, 'minute')}" if minutes else "")


def part_caption(own: str | None, sped: bool, shown: float | None) -> str | None:
    """An after part's caption: its own, or for a sped-up part the time that passed; with
    {elapsed} as the `shown` video's length (None: a photo, which has none)."""
    text = own if own is not None else (SPED_CAPTION if sped else None)
    if not text:
        return None
    if ELAPSED in text and shown is None:
        raise UsageError(
            f"the after caption {text!r} uses {ELAPSED}, the length of an after video; "
            "this part is a photo",
            "write the time yourself, or use {elapsed} on a video's part",
        )
    return text.replace(ELAPSED, elapsed_words(shown)) if shown is not None else text
