"""Real phone files from ../shared/media/real (skipped when that folder is absent)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from clipcraft.ffmpeg import ffmpeg_exe

from helpers import assert_one_clean_error, clipcraft
from media import inspect, read_frame


def displayed(source: Path, seconds: float, width: int, height: int) -> np.ndarray:
    """The source's frame as a player shows it, scaled to width×height, as grey."""
    raw = subprocess.run(
        [
            ffmpeg_exe(),
            "-loglevel",
            "error",
            "-ss",
            str(seconds),
            "-i",
            str(source),
            "-frames:v",
            "1",
            "-vf",
            f"scale={width}:{height}",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "pipe:1",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(height, width).astype(float)


@pytest.mark.parametrize("name", ["iphone4s_h264_rot90.mov", "iphone6s_h264_720p_rot90.mov"])
def test_portrait_iphone_clips_come_out_as_the_phone_shows_them(
    real_media: Path, tmp_path: Path, name: str
) -> None:
    out = tmp_path / "out.mp4"
    result = clipcraft("make", real_media / name, "--at", 0.2, "-o", out, "--preview")
    assert result.exit_code == 0, result.output
    frame = read_frame(out, 0.2).mean(axis=2)
    assert frame.shape == (960, 540)
    upright = displayed(real_media / name, 0.2, 540, 960)
    error_upright = np.abs(frame - upright).mean()
    error_turned = np.abs(frame - upright[::-1, ::-1]).mean()
    assert error_upright < 12 and error_upright < error_turned / 2
    assert inspect(out).has(r"Audio: aac \(LC\).*48000 Hz, stereo"), "mono becomes stereo"


@pytest.mark.parametrize(
    ("name", "frames"),
    [
        ("iphone14pro_hevc10_hlg_dv_rot90_noaudio.mov", 50),
        ("pixel7_h264_1080p_rot180_noaudio.mp4", 36),
        ("android14_hevc10_hlg_1080p.mp4", 9),
    ],
)
def test_hdr_and_rotated_clips_render_whole(
    real_media: Path, tmp_path: Path, name: str, frames: int
) -> None:
    out = tmp_path / "out.mp4"
    result = clipcraft("make", real_media / name, "--at", 0.1, "-o", out, "--preview")
    assert result.exit_code == 0, result.output
    stream = inspect(out)
    assert stream.frames == frames
    assert stream.has(r"yuv420p\(tv, bt709") and stream.has("540x960")


def test_hlg_is_tone_mapped_not_washed_out(real_media: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mp4"
    source = real_media / "android14_hevc10_hlg_1080p.mp4"
    assert clipcraft("make", source, "--at", 0.1, "-o", out, "--preview").exit_code == 0
    centre = read_frame(out, 0.1)[330:630].astype(float)
    saturation = (centre.max(axis=2) - centre.min(axis=2)).mean()
    assert saturation > 25, "the colour chart keeps its colours"


def test_unreadable_audio_track_renders_with_silence_and_a_warning(
    real_media: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.mp4"
    result = clipcraft(
        "make", real_media / "missing_stsd_audio.mp4", "--at", 0.5, "-o", out, "--preview"
    )
    assert result.exit_code == 0, result.output
    assert "audio track cannot be read" in result.stderr
    assert inspect(out).has(r"Audio: aac")


def test_broken_file_is_one_clean_error(real_media: Path, tmp_path: Path) -> None:
    result = clipcraft(
        "make", real_media / "broken_no_moov_4KB.mp4", "--at", 1, "-o", tmp_path / "o.mp4"
    )
    assert_one_clean_error(result, 1, "broken_no_moov_4KB.mp4", "corrupt")
    assert list(tmp_path.iterdir()) == []
