"""--punch-in: planned around the moment (no video read), and measured on rendered frames as
a change of scale between the frames just before and after the moment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_plan import plan, video

from clipcraft.finding.action import ActionTrack
from clipcraft.finding.shake import CameraPath
from clipcraft.media.synthetic import TURNS, encode_frames, fill_ellipse, turned
from clipcraft.planning.plan import Plan, Segment
from clipcraft.planning.punch import EASE_OUT_SECONDS, HOLD_SECONDS, PUSH_SECONDS

from helpers import assert_one_clean_error, clipcraft, plan_of
from media import read_frame

FPS = 30


def measured(settings: dict[str, Any], media: Any = None, *, at_right: bool = True) -> Plan:
    """The plan once the action's track it asks for is given: the action at the picture's
    right (or nowhere: a still scene)."""
    first = plan(settings, media)
    assert first.unmeasured, "the punch-in asks where the action is"
    columns = np.zeros((140, 64))
    if at_right:
        columns[:, 56:60] = 10.0
    rows = np.zeros((140, 36))
    rows[:, 22:26] = 10.0 if at_right else 0.0  # and below the middle, at 2/3 of its height
    tracks = {span: ActionTrack(span[1], 10.0, columns, rows) for span in first.unmeasured}
    return plan(settings, media, tracks=tracks)


def pushed(made: Plan) -> list[Segment]:
    return [segment for segment in made.segments if segment.views]


def test_the_fail_pushes_in_at_the_moment_holds_and_eases_out() -> None:
    made = measured({"trim.at": 7.0, "beats.punch_in": 1.2})
    before, punched, after = made.segments
    assert [s.role for s in made.segments] == ["fail"] * 3 and made.total_frames == 240
    assert before.end_frame == punched.start_frame and punched.end_frame == after.start_frame
    assert before.source_end == punched.source_start and punched.source_end == after.source_start
    moment = round(made.moment * FPS)
    scales = [view.scale for view in punched.views]
    at = moment - punched.start_frame
    assert at == round(PUSH_SECONDS * FPS), "the push lands on the moment"
    assert scales[0] > 1.0 and scales[at] == 1.2 and scales[at - 2] < 1.2
    assert scales[at + round(HOLD_SECONDS * FPS) - 1] == 1.2, "held through the hit"
    lengths = (PUSH_SECONDS, HOLD_SECONDS, EASE_OUT_SECONDS)
    assert scales[-1] == 1.0 and len(scales) == sum(round(s * FPS) for s in lengths)
    assert punched.reframe.target == (1296, 2304), "decoded at the deepest scale: sharp"
    assert before.reframe.target == after.reframe.target == (1080, 1920)
    view = punched.views[at]
    assert view.x == pytest.approx(1 - 0.5 / 1.2, abs=1e-3), "at the action, kept in the frame"
    assert view.y == pytest.approx(1 - 0.5 / 1.2, abs=1e-3)


def test_only_the_moment_is_measured_unless_a_follow_measures_the_window() -> None:
    (near,) = plan({"trim.at": 7.0, "beats.punch_in": 1.2}).unmeasured
    assert near == ("/in/spill.mov", 6.4, 7.6)
    landscape = video(width=1920, height=1080)
    followed = plan({"trim.at": 7.0, "beats.punch_in": 1.2, "output.fit": "follow"}, landscape)
    (whole,) = followed.unmeasured
    assert whole[2] - whole[1] == pytest.approx(8.0)


def test_a_still_scene_punches_in_on_the_middle_and_no_punch_leaves_the_fail_whole() -> None:
    made = measured({"trim.at": 7.0, "beats.punch_in": 1.3}, at_right=False)
    (punched,) = pushed(made)
    assert {(v.x, v.y) for v in punched.views} == {(0.5, 0.5)}
    assert max(v.scale for v in punched.views) == 1.3
    plain = plan({"trim.at": 7.0})
    assert len(plain.segments) == 1 and plain.unmeasured == ()


@pytest.mark.parametrize("fit", ["crop", "follow", "blur", "pad"])
def test_every_fit_pushes_in_within_its_fitted_frame(fit: str) -> None:
    landscape = video(width=1920, height=1080)
    made = measured({"trim.at": 7.0, "beats.punch_in": 1.5, "output.fit": fit}, landscape)
    (punched,) = pushed(made)
    assert punched.reframe.mode == fit and punched.reframe.target == (1620, 2880)
    for view in punched.views:
        half = 0.5 / view.scale - 1e-4  # shares are kept to 4 decimals
        assert half <= view.x <= 1 - half and half <= view.y <= 1 - half
    deepest = max(punched.views, key=lambda view: view.scale)
    if fit in ("blur", "pad"):
        # the whole picture spans the frame's width: the action (at 0.9 of it) is to the right
        assert deepest.x == pytest.approx(1 - 0.5 / 1.5, abs=1e-3)
        shown = 1080 * 1080 / 1920  # the picture's height, fitted to the frame's width
        assert deepest.y == pytest.approx(((1920 - shown) / 2 + shown * 2 / 3) / 1920, abs=0.01)


def test_a_turned_hdr_steadied_clip_keeps_its_turn_tone_map_and_margin() -> None:
    turned = video(hdr=True, rotation=90, width=2160, height=3840)
    settings = {"trim.at": 7.0, "beats.punch_in": 1.2, "output.stabilize": True}
    first = plan(settings, turned)
    span = first.unsteadied[0]
    shaking = np.random.default_rng(1).normal(0, 6, (2, 300))
    shaken = CameraPath(span[1], 30.0, shaking[0], shaking[1])
    columns, rows = np.zeros((140, 64)), np.zeros((140, 36))
    columns[:, 30:34] = rows[:, 16:20] = 10.0
    tracks = {span: ActionTrack(span[1], 10.0, columns, rows)}
    made = plan(settings, turned, tracks=tracks, paths={span: shaken})
    (punched,) = pushed(made)
    assert punched.hdr_to_sdr and punched.reframe.stored.turn == 90
    assert punched.reframe.steady is not None
    assert punched.reframe.steady == made.segments[0].reframe.steady


def test_beside_a_freeze_the_held_frame_starts_pushed_in_and_the_replay_is_whole() -> None:
    made = measured(
        {"trim.at": 7.0, "beats.punch_in": 1.2, "beats.freeze": 1.0, "beats.replay": True}
    )
    roles = [s.role for s in made.segments]
    assert roles == ["fail", "fail", "freeze", "fail", "fail", "replay"]
    push, freeze, hold = made.segments[1:4]
    assert push.end_frame == freeze.start_frame == round(made.moment * FPS)
    assert freeze.zoom == (1.2, pytest.approx(1.2 * 1.06))
    assert freeze.views[0].scale == 1.2 and hold.views[0].scale == 1.2
    assert freeze.views[0].x == push.views[-1].x, "the freeze holds the punch's aim"
    assert freeze.reframe.target == (round(1080 * 1.272 / 2) * 2, round(1920 * 1.272 / 2) * 2)
    assert not made.segments[-1].views, "the replay shows the whole picture"
    assert sum(s.frames for s in made.segments) == made.total_frames == 240


def test_a_photo_has_no_punch_in_and_says_so() -> None:
    made = plan({"beats.punch_in": 1.2}, video(path="/in/d.jpg", kind="photo", duration=0.0))
    assert not pushed(made) and "no punch-in" in made.warnings[0]


def test_a_scale_below_one_is_refused_in_one_line(tmp_path: Path) -> None:
    clip = tmp_path / "c.mp4"
    clip.write_bytes(b"")
    result = clipcraft("make", str(clip), "--at", "1", "--punch-in", "0.8")
    assert_one_clean_error(result, 2, "--punch-in", "0.8")


def ring_clip(path: Path, rotation: int, seconds: float = 4.0) -> Path:
    """A still grey picture with a dark disc 60 px across in its middle (no action), stored
    turned by `rotation` as a phone would."""
    frame = np.full((320, 180, 3), 200, np.uint8)
    fill_ellipse(frame, 89.5, 159.5, 30, 30, (20, 20, 20))
    frames = (frame for _ in range(round(seconds * FPS)))
    store = TURNS[rotation].store
    video = [*(["-vf", store] if store else []), "-c:v", "libx264", "-pix_fmt", "yuv420p"]
    with turned(path, rotation) as stored:
        encode_frames(stored, frames, FPS, video=video)
    return path


def disc_width(frame: np.ndarray) -> int:
    """How many pixels across the dark disc is on the frame's middle row."""
    row = frame[frame.shape[0] // 2].mean(axis=1)
    return int((row < 110).sum())


@pytest.mark.parametrize(("rotation", "fit"), [(0, "crop"), (90, "blur")])
def test_the_rendered_picture_is_larger_after_the_moment_than_before(
    tmp_path: Path, rotation: int, fit: str
) -> None:
    clip = ring_clip(tmp_path / "ring.mp4", rotation)
    out = tmp_path / "out.mp4"
    args = (clip, "--at", "2", "--duration", "3", "--punch-in", "1.25", "--fit", fit)
    result = clipcraft("make", *args, "--preview", "-o", out)
    assert result.exit_code == 0, result.output
    moment = plan_of(*args)["moment"]
    before = disc_width(read_frame(out, moment - PUSH_SECONDS - 0.1))
    after = disc_width(read_frame(out, moment + 0.2))
    done = PUSH_SECONDS + HOLD_SECONDS + EASE_OUT_SECONDS
    later = disc_width(read_frame(out, moment + done + 0.2))
    assert before > 100, "the disc is 60 of 180 px: a third of the frame's width"
    assert after / before == pytest.approx(1.25, abs=0.04), (before, after)
    assert later == pytest.approx(before, abs=2), "eased back out"


def test_a_rendered_freeze_holds_the_pushed_in_frame_and_pushes_on(tmp_path: Path) -> None:
    clip = ring_clip(tmp_path / "ring.mp4", 0)
    out = tmp_path / "out.mp4"
    args = (clip, "--at", "2", "--duration", "3", "--punch-in", "1.25", "--freeze", "1")
    assert clipcraft("make", *args, "--preview", "-o", out).exit_code == 0
    moment = plan_of(*args)["moment"]
    before = disc_width(read_frame(out, moment - PUSH_SECONDS - 0.1))
    frozen = disc_width(read_frame(out, moment + 0.02))
    pushed_on = disc_width(read_frame(out, moment + 0.95))
    assert frozen / before == pytest.approx(1.25, abs=0.04), (before, frozen)
    assert pushed_on / before == pytest.approx(1.25 * 1.06, abs=0.05), (before, pushed_on)
