"""Where the action is over a span of footage: local motion per column and row (reads video).

The same small, upright grey frames and the same shake removal as the moment finder
(moment.read_frames, shake.steady); what is kept is where in the picture things change, for
the follow window (planning/follow.py) to track.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clipcraft.finding.moment import MOTION_FPS, read_frames
from clipcraft.finding.shake import steady
from clipcraft.media.probe import MediaInfo


@dataclass(frozen=True)
class ActionTrack:
    """Local motion over a span of the source, summed per column and per row of a small,
    upright picture: `columns[i]` and `rows[i]` for the step ending at `start + i / rate`."""

    start: float
    rate: float
    columns: np.ndarray
    rows: np.ndarray

    @property
    def strength(self) -> np.ndarray:
        """Mean change per pixel of each step that stands out in one place (see `peaks`)."""
        return peaks(self.columns).sum(axis=1) / (self.columns.shape[1] * self.rows.shape[1])

    def time(self, index: int) -> float:
        return self.start + index / self.rate

    def within(self, left: float, top: float) -> ActionTrack:
        """The track of the picture less `left` and `top` (shares of its width and height)
        on each side: what a steadied window, cropped by its margin, shows."""
        across, down = round(left * self.columns.shape[1]), round(top * self.rows.shape[1])
        columns = self.columns[:, across : self.columns.shape[1] - across]
        rows = self.rows[:, down : self.rows.shape[1] - down]
        return ActionTrack(self.start, self.rate, columns, rows)


def peaks(profiles: np.ndarray) -> np.ndarray:
    """Motion along one axis above its own median: what is left of a shake, or a texture
    shimmering everywhere, is spread evenly and drops out; a thing moving stands out."""
    return np.clip(profiles - np.median(profiles, axis=1, keepdims=True), 0.0, None)


def action_track(media: MediaInfo, start: float, end: float) -> ActionTrack:
    """Local motion of `media` from `start` to `end` seconds, per column and per row.

    Each step's change above its own median (the sensor's noise, a light changing everywhere)
    is what counts; the strip that the shake removal crops off each side counts as still.
    """
    frames = read_frames(media, start, max(end - start, 1 / MOTION_FPS))
    height, width = frames.shape[1:] if frames.ndim == 3 else (1, 1)
    if len(frames) < 2:
        return ActionTrack(start, MOTION_FPS, np.zeros((0, width)), np.zeros((0, height)))
    earlier, later = steady(frames)
    change = np.abs(later - earlier)
    change = np.clip(change - np.median(change, axis=(1, 2), keepdims=True), 0.0, None)
    margin_y, margin_x = (height - change.shape[1]) // 2, (width - change.shape[2]) // 2
    padded = np.pad(change, ((0, 0), (margin_y, margin_y), (margin_x, margin_x)))
    return ActionTrack(start + 1 / MOTION_FPS, MOTION_FPS, padded.sum(axis=1), padded.sum(axis=2))
