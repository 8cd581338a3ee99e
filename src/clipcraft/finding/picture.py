"""What changed in the picture, cell by cell, and the steps where the picture itself changed.

Motion is measured in GRID×GRID cells of small grey frames, once the camera's own move is
taken out (shake.steady): one cell changing much more than the rest is something moving in
the scene. When most of the picture changes at once it is the picture that changed, not the
scene: a cut, a hand over the lens, the exposure jumping, the phone swung away. Those are
*picture events*; a mishap happens in part of the picture, so they are never the moment.
"""

from __future__ import annotations

import numpy as np

from clipcraft.finding.shake import steady

GRID = 4
"""Motion is measured in GRID×GRID cells so that local motion can be told from shake."""
CHANGED_TIMES, CHANGED_FLOOR = 4.0, 0.03
"""A cell has changed when its change is this many times the window's typical cell change
and at least this much (a share of full grey)."""
SPREAD = 0.6
"""A step where at least this share of the cells changed is a picture event."""
APPROACH = 0.2
"""A picture event lasting more than a step (a hand reaching over the lens) began where the
busiest cell's change first rose this share of the way to its peak."""


def cell_changes(frames: np.ndarray) -> np.ndarray:
    """(steps, GRID*GRID) mean change of each cell from each frame to the next, the camera's
    own move taken out; one row fewer than `frames`."""
    earlier, later = steady(frames)
    diff = np.abs(later - earlier)
    count, height, width = diff.shape
    height, width = height // GRID * GRID, width // GRID * GRID
    cells = diff[:, :height, :width].reshape(count, GRID, height // GRID, GRID, width // GRID)
    return cells.mean(axis=(2, 4)).reshape(count, -1)


def picture_events(cells: np.ndarray) -> np.ndarray:
    """Per step of `cells` (see cell_changes), whether the picture itself changed: most of
    its cells at once. An event lasting more than one step (a lens being covered, not a cut)
    is widened back over the motion that led into it, the hand on its way."""
    if len(cells) == 0:
        return np.zeros(0, dtype=bool)
    changed = cells > max(CHANGED_TIMES * float(np.median(cells)), CHANGED_FLOOR)
    events = changed.mean(axis=1) >= SPREAD
    busiest = cells.max(axis=1)
    calm = float(np.percentile(busiest, 25))
    widened = events.copy()
    for step in np.flatnonzero(events[1:] & events[:-1]) + 1:
        threshold = calm + APPROACH * (busiest[step] - calm)
        start = step
        while start > 0 and busiest[start - 1] > threshold:
            start -= 1
        widened[start:step] = True
    return widened
