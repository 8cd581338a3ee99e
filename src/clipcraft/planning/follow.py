"""A crop window that follows the action: where it should be over time (pure).

The footage's local motion (the camera's own shake taken out, see finding/action.py) is summed per
column and per row of a small picture. Along each axis the window holds still while the
action stays in its middle, re-centres on it when it leaves (and on the mishap at the
moment), moves no faster than MAX_SPEED and eases in and out; it never leaves the picture.
The path is keyframes on the source, in pixels of the picture as displayed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clipcraft.finding.action import ActionTrack, peaks

ACTIVE_SHARE = 0.15
"""A sample is active when its local motion is at least this share of the window's busiest."""
QUIET = 0.0007
"""…and at least this much (mean change per pixel, 0–1, in one place): below it nothing
really moves. A hand's shake left over after the shake removal measured about 0.0004, a
pancake a tenth of the picture wide about 0.0025."""
MAIN_SHARE = 0.5
"""A column (or row) is part of the action's main peak when it moves at least this share of
the step's busiest."""
DEADZONE = 0.2
"""The action may wander this share of the window's width either side of its middle before
the window moves: a hand's shake is not followed."""
TREND_SECONDS = 0.3
"""The action's centre is smoothed over about this long before the window looks at it."""
REST_SPEED = 0.04
"""Below this speed (share of the picture per second) travelling action has come to rest."""
MAX_SPEED = 0.3
"""The window moves at most this share of the picture's width (or height) per second."""
EASE_SECONDS = 0.35
"""Moves are smoothed over about this long (a Gaussian's sigma): eased in and out."""
CLEAR_SHARE = 0.6
"""`auto` follows when, on active samples, this share of the motion falls inside the window."""
CLEAR_ACTIVE = 0.15
"""…and when at least this share of the samples is active at all."""


@dataclass(frozen=True)
class CropKey:
    """The follow window's top-left corner at `time` on the source (pixels as displayed)."""

    time: float
    x: int
    y: int


def active(track: ActionTrack) -> np.ndarray:
    """Which steps show real local motion."""
    strength = track.strength
    if not len(strength):
        return np.zeros(0, bool)
    return (strength >= QUIET) & (strength >= ACTIVE_SHARE * strength.max())


def centres(profiles: np.ndarray) -> np.ndarray:
    """Each step's centre of motion along one axis, as a share of the picture (0–1): the
    centre of its main peak (what stands at least MAIN_SHARE of the step's highest), so that
    what a shaking camera leaves everywhere does not pull the centre towards the middle."""
    standing = peaks(profiles)
    standing = np.where(standing >= MAIN_SHARE * standing.max(axis=1, keepdims=True), standing, 0)
    cells = profiles.shape[1]
    mass = standing.sum(axis=1)
    where = (standing * (np.arange(cells) + 0.5)).sum(axis=1) / np.maximum(mass, 1e-12)
    return np.where(mass > 0, where / cells, 0.5)


def inside_share(profiles: np.ndarray, middle: np.ndarray, window: float) -> np.ndarray:
    """Each step's share of motion within `window` (share of the picture) around `middle`."""
    standing = peaks(profiles)
    cells = profiles.shape[1]
    position = (np.arange(cells) + 0.5) / cells
    inside = np.abs(position[None, :] - middle[:, None]) <= window / 2
    return (standing * inside).sum(axis=1) / np.maximum(standing.sum(axis=1), 1e-12)


def is_clear(track: ActionTrack, window: tuple[float, float], moment: float) -> bool:
    """Whether a window of `window` shares (width, height), following the action as
    follow_path does, holds most of it: not when it is in two places, or too quick to follow."""
    moving = active(track)
    if not len(moving) or moving.mean() < CLEAR_ACTIVE:
        return False
    held = np.ones(int(moving.sum()))
    for profiles, share, middle in zip(
        (track.columns, track.rows), window, _middles(track, window, moment), strict=True
    ):
        if share < 1.0:
            held = np.minimum(held, inside_share(profiles[moving], middle[moving], share))
    return float(np.median(held)) >= CLEAR_SHARE


def _middles(
    track: ActionTrack, window: tuple[float, float], moment: float
) -> tuple[np.ndarray, np.ndarray]:
    """The window's middle along each axis at each step (shares of the picture)."""
    moving = active(track)
    anchor = int(np.clip(round((moment - track.start) * track.rate), 0, len(moving) - 1))
    across, down = (
        follow_axis(centres(profiles), moving, share, track.rate, anchor)
        for profiles, share in zip((track.columns, track.rows), window, strict=True)
    )
    return across, down


def follow_axis(
    target: np.ndarray, moving: np.ndarray, window: float, rate: float, anchor: int
) -> np.ndarray:
    """The window's middle (share of the picture) at each step along one axis.

    The action's centre is first smoothed (a shaking hand averages out). The window starts on
    it and holds while it stays within the dead zone; when it leaves (or at the `anchor` step,
    the moment) the window takes it to the middle and keeps it there while it travels, until
    it comes to rest. Then the window's speed is limited and its moves eased.
    """
    low, high = window / 2, 1 - window / 2
    seen = np.flatnonzero(moving)
    if high <= low or not len(seen):
        return np.full(len(target), 0.5)
    steps = np.arange(len(target))
    trend = eased(np.interp(steps, seen, target[seen]), TREND_SECONDS * rate)
    held = np.empty(len(target))
    middle, travelling = float(trend[seen[0]]), False
    for index in steps:
        if moving[index]:
            away = abs(trend[index] - middle) > DEADZONE * window
            if travelling or away or index == anchor:
                travelling = travelling or away
                middle = float(trend[index])
            if index and abs(trend[index] - trend[index - 1]) < REST_SPEED / rate:
                travelling = False
        held[index] = np.clip(middle, low, high)
    limited = _limit_speed(_limit_speed(held, MAX_SPEED / rate)[::-1], MAX_SPEED / rate)[::-1]
    return np.clip(eased(limited, EASE_SECONDS * rate), low, high)


def _limit_speed(values: np.ndarray, step: float) -> np.ndarray:
    """Each value at most `step` from the one before it (a move spread over more steps)."""
    limited = values.copy()
    for index in range(1, len(limited)):
        before = limited[index - 1]
        limited[index] = min(max(limited[index], before - step), before + step)
    return limited


def eased(values: np.ndarray, sigma: float, *, trend: bool = False) -> np.ndarray:
    """A Gaussian blur with no pull towards zero at the ends: they hold where they are, or,
    with `trend`, carry on the values' own trend (odd reflection: a pan running to the end
    is not bent flat there)."""
    reach = max(1, int(3 * sigma))
    if trend:
        reach = max(1, min(reach, len(values) - 1))
        padded = np.pad(values, reach, mode="reflect", reflect_type="odd")
    else:
        padded = np.pad(values, reach, mode="edge")
    kernel = np.exp(-0.5 * (np.arange(-reach, reach + 1) / max(sigma, 1e-6)) ** 2)
    return np.convolve(padded, kernel / kernel.sum(), mode="valid")


def follow_path(
    track: ActionTrack,
    source: tuple[int, int],
    box: tuple[int, int],
    moment: float,
) -> tuple[CropKey, ...]:
    """Keyframes of a `box`-sized window on a `source`-sized picture following the action,
    one per step of the track, centred on the action at `moment`."""
    if not len(track.columns):
        return (CropKey(track.start, (source[0] - box[0]) // 2, (source[1] - box[1]) // 2),)
    window = (box[0] / source[0], box[1] / source[1])
    axes = [
        np.clip(np.round(middle * size - side / 2), 0, size - side).astype(int)
        for middle, size, side in zip(_middles(track, window, moment), source, box, strict=True)
    ]
    return tuple(
        CropKey(round(track.time(index), 3), int(x), int(y))
        for index, (x, y) in enumerate(zip(*axes, strict=True))
    )


def position_at(path: tuple[CropKey, ...], time: float) -> tuple[int, int]:
    """The window's corner at `time`, between keyframes linearly, held before and after."""
    times = [key.time for key in path]
    x = np.interp(time, times, [key.x for key in path])
    y = np.interp(time, times, [key.y for key in path])
    return round(float(x)), round(float(y))
