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
BREAK_EVERY = 3
"""A picture break is looked for on every frame of a 30-fps picture, a third at a time."""
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


def jitter_share(media: MediaInfo, start: float, end: float) -> float:
    """How much the picture jitters over `start`–`end`: its mean frame-to-frame move that is
    not part of a smooth pan, as a share of its width (a tripod 0, a pan about 0, a hand
    0.3% and more)."""
    frames = read_frames(media, start, max(end - start, 3 / PATH_FPS), PATH_FPS, PATH_WIDTH)
    return residual_shake(frames, 1.0 / frames.shape[2]) if len(frames) else 0.0


def picture_break(media: MediaInfo, start: float, end: float, after: float) -> float | None:
    """When, between `after` and `end`, the picture itself first changes — a cut, a hand
    over the lens, the phone swung away — as the time of a whole frame just before it (at
    most two frames before); None when it never does. A reel that runs past it ends on
    another scene or a palm. The picture is read from `start` (before `after`), so that what
    a change is measured against is the scene, not a lens covered for most of the span.

    Picture events are told at MOTION_FPS (as the finder tells them), but every frame is read
    and each third of them looked at in turn: a compilation's clip often ends on one frame
    of the next, which 10 frames a second would step over."""
    rate = BREAK_EVERY * MOTION_FPS
    frames = read_frames(media, start, end - start, rate)
    first = max(round((after - start) * rate), 0)
    found = []
    for phase in range(BREAK_EVERY):
        changed = np.flatnonzero(picture_events(cell_changes(frames[phase::BREAK_EVERY])))
        steps = phase + BREAK_EVERY * changed
        found += [int(step) for step in steps if step >= first][:1]
    return round(start + min(found) / rate, 2) if found else None
