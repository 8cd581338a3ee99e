"""Small parsers for the values users type, with errors that say what to type instead."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from clipcraft.errors import UsageError
from clipcraft.settings.recipe import NAMED_POINTS, EffectCue, MusicCue

_CLOCK = re.compile(r"^(?:(\d+):)?(\d+):(\d+(?:\.\d*)?)$")


def parse_time(text: str) -> float:
    """Seconds from `7.5`, `0:07.5` or `1:02:07.5`; never negative."""
    raw = text.strip()
    clock = _CLOCK.match(raw)
    if clock:
        hours, minutes, seconds = clock.groups()
        if float(seconds) >= 60:
            raise UsageError(f"invalid time {text!r}: seconds must be below 60 in M:SS")
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(
            f"invalid time {text!r}", "use seconds (7.5) or minutes:seconds (0:07.5)"
        ) from None
    if not math.isfinite(value) or value < 0:
        raise UsageError(f"invalid time {text!r}: it must be a number of seconds ≥ 0")
    return value


def format_time(seconds: float) -> str:
    """`M:SS.ss`, the way times are shown back to users."""
    minutes, rest = divmod(max(seconds, 0.0), 60)
    return f"{int(minutes)}:{rest:05.2f}"


NEAR_POINT = re.compile(rf"({'|'.join(NAMED_POINTS)})([+-]\d+(?:\.\d+)?)?")
"""A named point, and seconds off it: `moment`, `moment+0.1`, `end-0.5`."""


def near_point(sound: str, place: str) -> EffectCue | None:
    """`sound` at a named point and any seconds off it (`moment`, `moment+0.1`), or None
    where `place` names no point."""
    named = NEAR_POINT.fullmatch(place)
    return EffectCue(sound, named.group(1), float(named.group(2) or 0.0)) if named else None


def parse_effect_cue(text: str) -> EffectCue:
    """`ding`, `ding@2.5`, `boing@end`, `bonk@moment+0.1` or `~/sfx/oops.mp3@moment` →
    EffectCue.

    The part after the last `@` is a place only if it reads as one, so a file name with an
    `@` in it still works.
    """
    sound, at, when = text.rpartition("@")
    if not at:
        return EffectCue(text)
    named = near_point(sound, when)
    if named:
        return named
    try:
        return EffectCue(sound, parse_time(when))
    except UsageError:
        if "/" in when or ("." in when and not when.replace(".", "").isdigit()):
            return EffectCue(text)
        raise UsageError(
            f"invalid place {when!r} in --sfx {text!r}",
            f"use seconds on the clip (2.5) or one of {', '.join(NAMED_POINTS)}",
        ) from None


def parse_music_cue(text: str) -> MusicCue:
    """`theme.mp3` or `theme.mp3@0:12` (from 12 s into the track) → MusicCue; as with
    effects, an `@` that is not followed by a time belongs to the file name."""
    sound, at, when = text.rpartition("@")
    if not at or not sound:
        return MusicCue(text)
    try:
        return MusicCue(sound, parse_time(when))
    except UsageError:
        if "/" in when or "." in when:
            return MusicCue(text)
        raise UsageError(
            f"invalid start {when!r} in --music {text!r}",
            "use seconds into the track (12.5) or minutes:seconds (0:12.5)",
        ) from None


def merged_spans(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """(start, end) spans in order, those that overlap or touch joined into one."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
