"""How sure the finder is: a mishap stands out; a busy clip's hits are many and alike.

A clip of steady chopping, hammering or a tennis rally has many hits that sound the same and
are about as loud; whichever one wins, the next could as well have. A fail usually has one
hit unlike the rest of the clip (the talk, the music, the reaction). So each rival candidate
counts against the winner by how much it sounds like it (its spectral shape over the clip's
usual sound) times how close it comes: in score, or in loudness where the picture showed
something move there too. The confidence is the winner's strength over one plus the rivals'
sum: one equal, alike rival halves it, three quarter it.
"""

from __future__ import annotations

import numpy as np

SHAPE_HZ = (100.0, 8000.0)
SHAPE_BANDS = 16
"""A sound's shape: its level in this many log-spaced bands over SHAPE_HZ."""
SHAPE_SECONDS = 0.1
"""An onset's shape is taken over this much sound from it: the hit itself."""
FLAT_DB = 2.0
"""A shape departing less than this (dB, RMS over the bands) from the clip's usual sound is
that sound made louder: it has no shape of its own to compare."""
STRONG_Z = 8.0
"""An onset this unusual for its clip (robust z-score) or more is a strong one."""


def band_levels(spectrum: np.ndarray, frequencies: np.ndarray) -> np.ndarray:
    """(frames, SHAPE_BANDS) level in dB of each log-spaced band of power `spectrum`."""
    edges = np.geomspace(*SHAPE_HZ, SHAPE_BANDS + 1)
    band = np.clip(np.searchsorted(edges, frequencies, side="right") - 1, -1, SHAPE_BANDS)
    inside = (band >= 0) & (band < SHAPE_BANDS)
    power = np.zeros((len(spectrum), SHAPE_BANDS))
    for index in range(SHAPE_BANDS):
        power[:, index] = spectrum[:, inside & (band == index)].sum(axis=1)
    return 10 * np.log10(power + 1e-12)


def likeness(bands: np.ndarray, first: int, second: int, hop: float) -> float:
    """How alike the sounds from frames `first` and `second` of `bands` are (0 to 1): the
    correlation of their shapes once the clip's usual sound (its median) is taken out."""
    span = max(round(SHAPE_SECONDS / hop), 1)
    usual = np.median(bands, axis=0)
    shapes = []
    for start in (first, second):
        shape = bands[start : start + span].mean(axis=0) - usual
        shapes.append(shape - shape.mean())
    sizes = [float(np.sqrt(np.mean(shape**2))) for shape in shapes]
    if max(sizes) < FLAT_DB:
        return 1.0  # both shaped like the clip's usual sound, only louder: alike
    if min(sizes) < FLAT_DB:
        return 0.0
    return max(float(np.dot(shapes[0], shapes[1])) / (sizes[0] * sizes[1] * len(shapes[0])), 0.0)


def confidence(strength: float, rivals: list[float]) -> float:
    """From 0 to 1: the winner's strength (its sound's z-score over STRONG_Z, at most 1) over
    one plus its rivals (each from 0, nothing like it, to 1, its equal)."""
    strong = min(strength / STRONG_Z, 1.0)
    return round(float(np.clip(strong / (1.0 + sum(rivals)), 0.0, 1.0)), 2)
