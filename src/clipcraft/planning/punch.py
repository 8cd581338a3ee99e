"""The punch-in: at the moment the picture pushes in on the action, holds, and eases out (pure).

The push is a view of the fitted frame per output frame: its scale and the middle of what
shows, as shares of the frame. The middle is the action's at the moment (the action track,
mapped through the reframe onto the frame), or the frame's middle when nothing moves; it is
kept far enough from the edges that the view never leaves the fitted frame, so never shows
past the source's edge (a crop's box, a follow's window, a fitted picture's own frame).
With blur and pad the whole fitted frame pushes in, background and all: like a camera moving
in, the picture and what surrounds it keep their proportions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clipcraft.finding.action import ActionTrack
from clipcraft.planning.follow import active, centres, position_at
from clipcraft.planning.reframe import Reframe

PUSH_SECONDS = 0.15
"""The push in lands on the moment this long after it starts: a snap, not a drift."""
HOLD_SECONDS = 0.6
"""Held in through the hit and the first of the reaction."""
EASE_OUT_SECONDS = 0.5
"""Eased back out to the whole frame over this long: slower out than in."""
AIM_SECONDS = 0.3
"""The action's centre is read over the steps this close to the moment."""
MEASURED_SECONDS = 0.6
"""Without a follow (which measures the whole window), the action is measured this far
either side of the moment only: enough steps around it for the shake to be taken out."""


@dataclass(frozen=True)
class View:
    """What one output frame shows of its fitted frame: `scale` times larger, centred on
    (`x`, `y`), shares of the frame's width and height."""

    scale: float
    x: float
    y: float


@dataclass(frozen=True)
class PunchTiming:
    """Output frames of the punch-in: the push starts at `start`, is in at `full` (the
    moment), starts out at `out` and is done at `end`."""

    start: int
    full: int
    out: int
    end: int


def punch_timing(moment_frame: int, frames: int, fps: int) -> PunchTiming:
    """The punch-in around `moment_frame` on a part of `frames` frames, cut short at its ends."""
    push, hold, ease = (round(s * fps) for s in (PUSH_SECONDS, HOLD_SECONDS, EASE_OUT_SECONDS))
    full = min(max(moment_frame, 0), frames)
    out = min(full + hold, frames)
    return PunchTiming(max(full - push, 0), full, out, min(out + ease, frames))


def scale_at(timing: PunchTiming, frame: int, scale: float) -> float:
    """The scale on output `frame` (eased at both ends: smoothstep)."""
    if frame < timing.start or frame >= timing.end:
        return 1.0
    if frame < timing.full:
        done = (frame - timing.start + 1) / (timing.full - timing.start)
    elif frame < timing.out:
        done = 1.0
    else:
        done = 1.0 - (frame - timing.out + 1) / (timing.end - timing.out)
    eased = done * done * (3 - 2 * done)
    return 1.0 + (scale - 1.0) * eased


def views(scales: list[float], aim: tuple[float, float]) -> tuple[View, ...]:
    """A view per scale, each centred as near `aim` as it can be without leaving the frame."""
    return tuple(
        View(
            round(scale, 4),
            *(round(float(np.clip(at, 0.5 / scale, 1 - 0.5 / scale)), 4) for at in aim),
        )
        for scale in scales
    )


def aim_span(moment: float, start: float, end: float) -> tuple[float, float]:
    """The part of a window [start, end] whose action the punch-in is aimed by."""
    return round(max(moment - MEASURED_SECONDS, start), 3), round(
        min(moment + MEASURED_SECONDS, end), 3
    )


def action_at(track: ActionTrack | None, moment: float) -> tuple[float, float] | None:
    """Where the action is around `moment` (shares of the picture the track was measured
    on), or None when nothing there moves."""
    if track is None or not len(track.columns):
        return None
    moving = active(track)
    times = track.start + np.arange(len(moving)) / track.rate
    near = moving & (np.abs(times - moment) <= AIM_SECONDS)
    if not near.any():
        return None
    weight = track.strength[near]
    return tuple(  # type: ignore[return-value]
        float(np.average(centres(profiles)[near], weights=weight))
        for profiles in (track.columns, track.rows)
    )


def on_frame(
    reframe: Reframe, point: tuple[float, float] | None, time: float
) -> tuple[float, float]:
    """`point` on the source (shares of the picture as displayed, less any steadying margin)
    as shares of the fitted frame at source `time`; None: the frame's middle."""
    if point is None:
        return 0.5, 0.5
    (sw, sh), (tw, th) = reframe.source, reframe.target
    px, py = point[0] * sw, point[1] * sh
    if reframe.mode in ("crop", "follow"):
        width, height, x, y = reframe.crop_box()
        if reframe.mode == "follow" and reframe.path:
            x, y = position_at(reframe.path, time)
        return _inside((px - x) / width), _inside((py - y) / height)
    shrink = min(tw / sw, th / sh)
    left, top = (tw - sw * shrink) / 2, (th - sh * shrink) / 2
    return _inside((left + px * shrink) / tw), _inside((top + py * shrink) / th)


def _inside(share: float) -> float:
    return min(max(share, 0.0), 1.0)
