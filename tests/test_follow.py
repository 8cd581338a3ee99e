"""--fit follow: a 9:16 window that tracks the action in landscape footage.

The path is tested on made-up motion without video; the renders check, on frames, that the
mishap near the edge of a landscape clip is in the output where a centre crop misses it, on
footage stored turned too."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from clipcraft.finding.moment import read_frames
from clipcraft.finding.shake import residual_shake
from clipcraft.media.probe import probe
from clipcraft.media.synthetic import Handheld, encode_frames, handheld_clip, turned
from clipcraft.planning.follow import (
    MAX_SPEED,
    ActionTrack,
    CropKey,
    follow_path,
    is_clear,
    position_at,
)

from helpers import clipcraft, plan_of
from media import close_to, make_video, read_frame

RATE = 10.0
SOURCE = (1920, 1080)
BOX = (608, 1080)
RED = (230, 20, 20)


def track(where: Sequence[float | None], *, spread: float = 0.04, seed: int = 1) -> ActionTrack:
    """Steps of local motion: a blob at each share of the width (None: nothing moves), over a
    shimmer such as a leftover shake leaves everywhere."""
    rng = np.random.default_rng(seed)
    cells = np.arange(64) / 64
    columns = rng.uniform(0.0, 0.1, (len(where), 64))
    rows = rng.uniform(0.0, 0.1, (len(where), 36))
    for index, middle in enumerate(where):
        if middle is not None:
            columns[index] += 12 * np.exp(-0.5 * ((cells - middle) / spread) ** 2)
            rows[index, 14:22] += 6
    return ActionTrack(2.0, RATE, columns, rows)


def corners(path: tuple) -> np.ndarray:
    return np.array([key.x for key in path])


def test_nothing_moving_keeps_the_window_still_in_the_middle() -> None:
    path = follow_path(track([None] * 40), SOURCE, BOX, moment=4.0)
    assert set(corners(path)) == {(SOURCE[0] - BOX[0]) // 2}


def test_the_mishap_near_the_edge_is_in_the_window_at_the_moment() -> None:
    path = follow_path(track([0.85] * 40), SOURCE, BOX, moment=4.0)
    x, _ = position_at(path, 4.0)
    assert x <= 0.85 * SOURCE[0] <= x + BOX[0]
    assert x + BOX[0] <= SOURCE[0], "the window never leaves the picture"


def test_a_shaking_hand_is_not_chased() -> None:
    drift = [0.45 + 0.04 * np.sin(step * 2.1) for step in range(60)]
    xs = corners(follow_path(track(drift), SOURCE, BOX, moment=5.0))
    assert np.abs(np.diff(xs)).max() <= 1, "no chasing: the action stays in the dead zone"
    assert np.ptp(xs) <= 0.01 * SOURCE[0], "the window all but holds (it centres at the moment)"


def test_a_jump_across_the_picture_is_a_glide_of_bounded_speed() -> None:
    where = [0.2] * 30 + [0.8] * 30
    path = follow_path(track(where), SOURCE, BOX, moment=3.0)
    xs = corners(path)
    step = MAX_SPEED * SOURCE[0] / RATE
    assert np.abs(np.diff(xs)).max() <= step + 1, "no jump: at most MAX_SPEED"
    assert np.abs(np.diff(xs, 2)).max() < step, "eased: the speed changes gradually"
    assert xs[0] < 0.2 * SOURCE[0] < xs[0] + BOX[0]
    assert xs[-1] < 0.8 * SOURCE[0] < xs[-1] + BOX[0]


def test_auto_follows_only_action_in_one_place() -> None:
    window = (BOX[0] / SOURCE[0], 1.0)
    assert is_clear(track([0.3] * 30), window, moment=3.0)
    assert not is_clear(track([None] * 30), window, moment=3.0)
    flitting = track([0.1, 0.9] * 15, spread=0.02)
    assert not is_clear(flitting, window, moment=3.0), "too quick for one window to follow"


def action_clip(path: Path, *, centre: float, shake: int = 0, rotation: int = 0) -> Path:
    """4 s of 320×180 landscape texture; from 1 s a red disc bobs at `centre` of the width,
    dropping at 2 s (the mishap); the camera shakes by `shake` pixels."""
    rng = np.random.default_rng(7)
    width, height, fps = 320, 180, 30
    ground = rng.integers(60, 200, (height + 16, width + 16, 3), dtype=np.uint8)
    rows, cols = np.mgrid[:height, :width]
    turn = {0: 0, 90: 1, 180: 2, 270: 3}[rotation]

    def frames() -> Iterator[np.ndarray]:
        for index in range(4 * fps):
            t = index / fps
            dy, dx = rng.integers(-shake, shake + 1, 2) if shake else (0, 0)
            frame = ground[8 + dy : 8 + dy + height, 8 + dx : 8 + dx + width].copy()
            if t >= 1.0:
                cx = centre * width + 12 * np.sin(3 * np.pi * t)
                cy = height / 2 + (40 * np.sin(np.pi * (t - 2)) if t >= 2 else 0)
                frame[(cols - cx) ** 2 + (rows - cy) ** 2 <= 18**2] = RED
            # stored as the phone would: a player turning it by `rotation` (counter-clockwise,
            # as ffmpeg counts) shows it upright, so it is stored turned the other way
            yield np.ascontiguousarray(np.rot90(frame, -turn))

    with turned(path, rotation) as stored:
        encode_frames(stored, frames(), fps)
    return path


@pytest.mark.media
@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_follow_keeps_the_mishap_at_the_edge_in_the_clip(tmp_path: Path, rotation: int) -> None:
    clip = action_clip(tmp_path / "counter.mp4", centre=0.85, rotation=rotation)
    out = tmp_path / "follow.mp4"
    args = ("--at", 2, "--duration", 3, "--preview", "-o", out)
    result = clipcraft("make", clip, "--fit", "follow", *args)
    assert result.exit_code == 0, result.output
    moment = plan_of(clip, "--fit", "follow", *args[:-2])["moment"]
    frame = read_frame(out, moment + 0.05)
    assert close_to(frame[480, 270], RED, tolerance=60), "the disc is in the middle at the moment"
    if rotation == 0:
        centred = tmp_path / "crop.mp4"
        assert clipcraft("make", clip, "--fit", "crop", *args[:-1], centred).exit_code == 0
        reds = np.all(np.abs(read_frame(centred, moment + 0.05) - np.array(RED)) < 60, axis=2)
        assert not reds.any(), "a centre crop misses it"


@pytest.mark.media
def test_auto_follows_a_clear_action_and_says_why(tmp_path: Path) -> None:
    clear = action_clip(tmp_path / "clear.mp4", centre=0.2, shake=2)
    plan = plan_of(clear, "--at", 2, "--duration", 3)
    reframe = plan["segments"][0]["reframe"]
    assert reframe["mode"] == "follow" and "follow" in reframe["why"]
    xs = [key["x"] for key in reframe["path"]]
    assert max(abs(b - a) for a, b in itertools.pairwise(xs)) <= 0.03 * 320 + 1, (
        "glides: under 3% of the width per tenth of a second on shaky footage"
    )
    shown = clipcraft("make", clear, "--at", 2, "--duration", 3, "--dry-run").stdout
    assert "follow: the action stays in one window" in shown


@pytest.mark.media
def test_a_portrait_clip_is_unaffected(tmp_path: Path) -> None:
    portrait = make_video(tmp_path / "portrait.mp4", width=180, height=320, seconds=3)
    reframe = plan_of(portrait, "--at", 1.5, "--fit", "follow")["segments"][0]["reframe"]
    assert {(key["x"], key["y"]) for key in reframe["path"]} <= {(0, 0)}


HANDHELD = {
    "tremor 8 px, left": (Handheld(tremor=8), 0.15, 0.0),
    "walking hand, right": (Handheld(tremor=4, walk=40), 0.85, 0.0),
    "tremor 8 px, moving": (Handheld(tremor=8), 0.5, 0.6),
}


@pytest.mark.media
@pytest.mark.parametrize("case", list(HANDHELD))
def test_follow_holds_the_mishap_through_a_shaking_hand(tmp_path: Path, case: str) -> None:
    """Handheld kitchen footage (textured, grainy, the whole picture jittering): the planned
    window holds the whole bowl, found in the source's own frames, at the moment and just
    after, and it glides instead of jittering with the camera. (The crop along a planned path
    is rendered and checked on pixels above and below.)"""
    hand, centre, travel = HANDHELD[case]
    clip = handheld_clip(tmp_path / "shaky.mp4", centre=centre, travel=travel, hand=hand)
    plan = plan_of(clip, "--at", 2, "--duration", 3, "--fit", "follow", "--preview")
    fail = plan["segments"][0]
    path = tuple(CropKey(**key) for key in fail["reframe"]["path"])
    for after in (0.05, 0.3):
        at = fail["source_start"] + plan["moment"] + after
        reds = np.all(np.abs(read_frame(clip, at).astype(int) - np.array(RED)) < 50, axis=2)
        columns = np.flatnonzero(reds.any(axis=0))
        x, _ = position_at(path, at)
        assert x <= columns.min() and columns.max() < x + 202, f"{case}: the bowl at {at:.2f} s"
    xs = corners(path)
    assert np.abs(np.diff(xs)).max() <= MAX_SPEED * 640 / RATE + 1, "a glide, never a jump"
    assert np.abs(np.diff(xs, 2)).max() <= 4, "no jitter: the camera's shake is not followed"


def shake_of(path: Path) -> float:
    """The output's frame-to-frame global motion that is not a smooth pan, in its pixels."""
    media = probe(path)
    return residual_shake(read_frames(media, 0, media.duration, 30, 128), media.width / 128)


@pytest.mark.media
def test_stabilize_steadies_a_shaky_clip_and_leaves_a_steady_one(tmp_path: Path) -> None:
    """--stabilize cuts a handheld clip's shake by more than 60%, shows no border, keeps the
    mishap with --fit follow, and leaves a tripod clip's render exactly as it was."""
    shaky = handheld_clip(tmp_path / "shaky.mp4", centre=0.85, hand=Handheld(tremor=8), seconds=3)
    args = ("--at", 2, "--duration", 3, "--preview")
    plain, steadied = tmp_path / "plain.mp4", tmp_path / "steadied.mp4"
    assert clipcraft("make", shaky, *args, "--fit", "crop", "-o", plain).exit_code == 0
    result = clipcraft("make", shaky, *args, "--fit", "crop", "--stabilize", "-o", steadied)
    assert result.exit_code == 0, result.output
    assert shake_of(steadied) <= 0.4 * shake_of(plain)
    for at in (0.1, 1.5, 2.9):
        frame = read_frame(steadied, at).astype(int)
        assert min(frame[:, :4].mean(), frame[:, -4:].mean(), frame[:4].mean()) > 60, "no border"
    followed = tmp_path / "followed.mp4"
    both = ("--fit", "follow", "--stabilize", "-o", followed)
    assert clipcraft("make", shaky, *args, *both).exit_code == 0
    plan = plan_of(shaky, *args, "--fit", "follow", "--stabilize")
    assert min(plan["segments"][0]["reframe"]["steady"]["margin"]) > 0
    red = np.abs(read_frame(followed, plan["moment"] + 0.05) - np.array(RED)).sum(axis=2) < 90
    assert red.mean() >= 0.8 * np.pi * 36 * 28.8 / (202 * 360), "the bowl is whole in view"
    tripod = handheld_clip(tmp_path / "tripod.mp4", centre=0.85, seconds=3.0)
    assert plan_of(tripod, *args, "--stabilize") == plan_of(tripod, *args), "left as it is"
