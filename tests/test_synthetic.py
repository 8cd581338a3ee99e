"""The media helper itself: what the benchmarks rely on and no other test shows."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from clipcraft.media.ffmpeg import ffmpeg_exe
from clipcraft.media.probe import probe
from clipcraft.media.synthetic import TURNS, encode_frames, turned

from helpers import ffmpeg_children
from media import MARKER, close_to, upright_frame

pytestmark = pytest.mark.media  # every test here makes or reads media


@pytest.mark.parametrize("rotation", sorted(TURNS))
def test_the_upright_filter_undoes_how_a_turned_clip_is_stored(
    tmp_path: Path, rotation: int
) -> None:
    """bench_make's reference command turns the stored picture with `upright` itself
    (-noautorotate): that must give the picture the player shows, marker top-left."""
    path = tmp_path / "turned.mp4"
    store = TURNS[rotation].store
    video = [*(["-vf", store] if store else []), "-c:v", "libx264", "-pix_fmt", "yuv420p"]
    with turned(path, rotation) as stored:
        encode_frames(stored, [upright_frame(64, 112, 0.0)] * 3, 30, video=video)
    assert probe(path).rotation == -rotation % 360, "probe counts the turn clockwise"
    assert not path.with_name("turned.stored.mp4").exists()
    upright = TURNS[rotation].upright
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-noautorotate", "-i", str(path), "-frames:v", "1",
         *(["-vf", upright] if upright else []), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    frame = np.frombuffer(raw, np.uint8).reshape(112, 64, 3)
    assert close_to(frame[4, 4], MARKER), "the marker is top-left"
    assert not close_to(frame[-4, -4], MARKER)


def test_a_frame_of_another_size_is_refused_and_ffmpeg_stopped(tmp_path: Path) -> None:
    frames = [upright_frame(64, 112, 0.0), upright_frame(112, 64, 0.0)]
    with pytest.raises(ValueError, match=r"\(64, 112, 3\)"):
        encode_frames(tmp_path / "mixed.mp4", frames, 30)
    assert ffmpeg_children() == []
