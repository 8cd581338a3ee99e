"""A steadied picture (pure): the camera's path smoothed, the window that follows the shake
so the picture holds still, and the margin it needs so that no border ever shows.

The window is the picture less a margin on each side; it moves with the camera's jitter (the
path less its smooth version), so what it shows moves only with the smooth path: a hand's
tremor is gone, a deliberate pan stays. The margin is the largest correction needed, at most
MOST_MARGIN of the picture; past that the correction is clipped (the shake is reduced, not
removed) rather than zooming in further.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clipcraft.finding.shake import CameraPath
from clipcraft.planning.follow import eased

SMOOTHING = 0.5
"""Seconds (a Gaussian's sigma) the camera's path is smoothed over: a tremor's 4–10 Hz and a
walking hand's bounce go, a pan across the counter stays."""
MOST_MARGIN = 0.06
"""The most the picture is cropped on each side to make room for the corrections: a 12%
zoom, about what phone editors take."""
STILL_PIXELS = 2
"""A correction this small everywhere means the footage was steady: it is left untouched."""


@dataclass(frozen=True)
class SteadyKey:
    """How far the window is moved from its resting place at `time` on the source."""

    time: float
    dx: int
    dy: int


@dataclass(frozen=True)
class Steadying:
    """The window's margin on each side (pixels of the picture as displayed) and its moves."""

    margin: tuple[int, int]
    keys: tuple[SteadyKey, ...]


def plan_steadying(path: CameraPath, size: tuple[int, int]) -> Steadying | None:
    """The steadying of a picture of `size` shaken along `path`, or None when it was steady."""
    if len(path.xs) < 2:
        return None
    sigma = SMOOTHING * path.rate
    moves, margins = [], []
    for drift, side in ((path.xs, size[0]), (path.ys, size[1])):
        jitter = drift - eased(drift, sigma, trend=True)
        room = int(np.ceil(np.abs(jitter).max()))
        margin = min(room, int(MOST_MARGIN * side)) // 2 * 2  # even: the crop stays yuv420p
        moves.append(np.clip(np.round(jitter), -margin, margin).astype(int))
        margins.append(margin)
    if max(margins) < STILL_PIXELS:
        return None
    keys = tuple(
        SteadyKey(round(path.time(index), 4), int(dx), int(dy))
        for index, (dx, dy) in enumerate(zip(*moves, strict=True))
    )
    return Steadying((margins[0], margins[1]), keys)


def steadied_size(size: tuple[int, int], steadying: Steadying | None) -> tuple[int, int]:
    """The picture a steadied window shows: `size` less the margin on each side."""
    if steadying is None:
        return size
    return size[0] - 2 * steadying.margin[0], size[1] - 2 * steadying.margin[1]
