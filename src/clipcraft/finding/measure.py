"""What a plan needs measured in a window of footage: where the action is (for a follow
crop) and how the camera moved (for a steadied picture).

The camera's path needs every frame, a little larger; the action a tenth of a second's
steps, smaller. Making the action's frames from the path's (every third one, halved) saves a
decode but aliases the texture (the decoder's own scaling filters it better), which a
shaking camera turns into motion everywhere; so each is read on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from clipcraft.finding.action import ActionTrack, action_track
from clipcraft.finding.moment import MOTION_FPS, MOTION_WIDTH, read_frames
from clipcraft.finding.picture import cell_changes, picture_events
from clipcraft.finding.shake import CameraPath, camera_path, residual_shake
from clipcraft.media.probe import MediaInfo

PATH_FPS = 30
BREAK_EVERY = PATH_FPS // MOTION_FPS
"""A picture break is looked for on every frame, a third at a time at the finder's rate."""
JITTER_SECONDS = 3.0
"""The shake is measured over this long around the moment."""
SCENE_SECONDS = 1.0
"""A break is measured against the picture from this long before the moment."""
PATH_WIDTH = MOTION_WIDTH
"""As small as the action's frames: the move is found to about a twentieth of their pixel
(a pixel of a 1080-wide picture), and twice as wide cost six times as long."""


@dataclass(frozen=True)
class Measured:
    track: ActionTrack | None
    path: CameraPath | None


def measure(media: MediaInfo, start: float, end: float, *, action: bool, camera: bool) -> Measured:
    """The action track and/or the camera's path over `start`–`end` of `media`."""
    path = None
    if camera:
        frames = read_frames(media, start, max(end - start, 1 / PATH_FPS), PATH_FPS, PATH_WIDTH)
        path = camera_path(frames, start, PATH_FPS, (media.width, media.height))
    return Measured(action_track(media, start, end) if action else None, path)


@dataclass(frozen=True)
class Around:
    """The picture around a moment, read once."""

    jitter: float
    """Its mean frame-to-frame move that is not part of a smooth pan over the JITTER_SECONDS
    around the moment, as a share of its width (a tripod 0, a pan about 0, a hand 0.3% and
    more)."""
    picture_break: float | None
    """When it first breaks (see `first_break`), or None."""


def around_moment(media: MediaInfo, moment: float, after: float, end: float) -> Around:
    """How much the picture jitters around `moment`, and where it first breaks between
    `after` and `end`: read once, from JITTER_SECONDS / 2 before the moment, every frame."""
    half = JITTER_SECONDS / 2
    start, last = max(moment - half, 0.0), min(max(end, moment + half), media.duration)
    frames = read_frames(media, start, max(last - start, 3 / PATH_FPS), PATH_FPS, PATH_WIDTH)
    shaking = frames[: round((moment + half - start) * PATH_FPS)]
    jitter = residual_shake(shaking, 1.0 / frames.shape[2]) if len(shaking) > 2 else 0.0
    scene = round((max(moment - SCENE_SECONDS, 0.0) - start) * PATH_FPS)
    found = (
        first_break(frames[scene:], start + scene / PATH_FPS, after) if end - after > 0.05 else None
    )
    return Around(jitter, found)


def first_break(frames: np.ndarray, start: float, after: float) -> float | None:
    """When, from `after` on, the picture of `frames` (every frame from `start`, PATH_FPS)
    itself first changes — a cut, a hand over the lens, the phone swung away — as the time of
    a whole frame just before it (at most two frames before); None when it never does. A reel
    that runs past it ends on another scene or a palm. What comes before `after` is the scene
    a change is measured against, not a lens covered for most of what follows.

    Picture events are told at MOTION_FPS (as the finder tells them), but each third of the
    frames is looked at in turn: a compilation's clip often ends on one frame of the next,
    which 10 frames a second would step over."""
    first = max(round((after - start) * PATH_FPS), 0)
    found = []
    for phase in range(BREAK_EVERY):
        changed = np.flatnonzero(picture_events(cell_changes(frames[phase::BREAK_EVERY])))
        steps = phase + BREAK_EVERY * changed
        found += [int(step) for step in steps if step >= first][:1]
    return round(start + min(found) / PATH_FPS, 2) if found else None
