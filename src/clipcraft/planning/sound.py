"""Placing sound effects on the output timeline, and where the original sound ducks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from clipcraft.errors import UsageError
from clipcraft.settings.recipe import EffectCue
from clipcraft.sound.library import Sound

DUCK_RAMP = 0.06
"""Seconds the original takes to dip before an effect and to come back after it."""
EFFECT_OVER_BED_DB = 10.0
"""Effects are set this much above the footage's own sound, so they read at any recording level."""
SILENCE_DBFS = -60.0
"""Sound at or under this RMS level is silence: an effect over it keeps its own level, music
with only silence under it takes its level alone, and a track silent there is left out."""


@dataclass(frozen=True)
class PlacedEffect:
    name: str
    path: str
    start: float
    duration: float
    gain_db: float


def place_effects(
    cues: tuple[EffectCue, ...],
    sounds: Mapping[str, Sound],
    points: Mapping[str, float | None],
    total: float,
    gain_db: float,
) -> tuple[PlacedEffect, ...]:
    """Each cue at its time on a clip of `total` seconds, cut where the clip ends.

    `sounds` maps each cue's sound to the resolved Sound; `points` gives the output time of
    `moment`, `start` and `after` (None when the clip has no such point).
    """
    placed = []
    for cue in cues:
        sound = sounds[cue.sound]
        length = sound.duration
        if cue.when == "end":
            start = max(total - length, 0.0) + cue.offset
        elif isinstance(cue.when, str):
            point = points.get(cue.when)
            if point is None:
                raise UsageError(
                    f"--sfx {cue.sound}@{cue.place}: this clip has no {cue.when} part",
                    "add --after FILE, or place the effect elsewhere",
                )
            start = point + cue.offset
        else:
            start = cue.when
        if not 0.0 <= start < total:
            side = f"after the clip ends ({total:.2f} s)" if start > 0 else "before the clip starts"
            raise UsageError(f"--sfx {cue.sound}@{cue.place}: starts at {start:.2f} s, {side}")
        placed.append(
            PlacedEffect(
                sound.name,
                str(sound.path),
                round(start, 3),
                round(min(length, total - start), 3),
                gain_db,
            )
        )
    return tuple(placed)
