"""How the sound around a moment behaves: the level before it, how loud the reaction after it
is, and when it has settled. What `--auto` reads to choose a clip's length and how loud its
effect may be (pure arithmetic on a level curve, and one read of the sound)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clipcraft.media.ffmpeg import read_mono
from clipcraft.media.probe import MediaInfo

RATE = 8000
STEP = 0.1
"""The level curve's step: a reaction is a matter of tenths of a second."""
BEFORE = 3.0
"""Seconds before the moment whose level is the scene's own (the baseline)."""
AFTER = 7.0
"""Seconds after the moment in which the reaction is looked for."""
SETTLED_DB = 4.0
"""Within this much of the baseline, the sound has settled."""
SETTLED_FOR = 0.6
"""...and stays there this long."""
LOUD_REACTION_DB = 12.0
"""A reaction this far over the baseline (a shriek, a crowd) is loud: an effect is softened."""
FIRST_REACTION = 0.3
"""The hit itself is the first 0.3 s after the moment; the reaction comes after it."""


@dataclass(frozen=True)
class Reaction:
    settle: float
    """Seconds after the moment when the sound is back near the scene's own level."""
    loudness_db: float
    """How far the loudest tenth of a second of the reaction rises over the baseline."""

    @property
    def loud(self) -> bool:
        return self.loudness_db >= LOUD_REACTION_DB


def levels_db(samples: np.ndarray, rate: int) -> np.ndarray:
    """RMS level in dB per STEP."""
    hop = max(1, round(STEP * rate))
    count = len(samples) // hop
    if count == 0:
        return np.zeros(0)
    frames = samples[: count * hop].reshape(count, hop).astype(np.float64)
    return 20 * np.log10(np.sqrt((frames**2).mean(axis=1)) + 1e-6)


def reaction_of(before: np.ndarray, after: np.ndarray) -> Reaction:
    """The reaction in a level curve after the moment against the one before it (pure)."""
    baseline = float(np.median(before)) if len(before) else -60.0
    hold = round(SETTLED_FOR / STEP)
    skip = round(FIRST_REACTION / STEP)
    quiet = after <= baseline + SETTLED_DB
    settle = len(after) * STEP
    for index in range(skip, max(skip, len(after) - hold + 1)):
        if quiet[index : index + hold].all():
            settle = index * STEP
            break
    rising = after[skip:]
    loudness = float(rising.max()) - baseline if len(rising) else 0.0
    return Reaction(round(settle, 1), round(loudness, 1))


def measure_reaction(media: MediaInfo, moment: float) -> Reaction | None:
    """The reaction after `moment` in the footage's sound; None for footage with none."""
    if not media.has_audio:
        return None
    start = max(0.0, moment - BEFORE)
    samples = read_mono(str(media.path), RATE, start, moment - start + AFTER)
    levels = levels_db(samples, RATE)
    split = round((moment - start) / STEP)
    return reaction_of(levels[: max(0, split - round(0.5 / STEP))], levels[split:])
