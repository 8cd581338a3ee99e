"""Real phone files from ../shared/media/real (skipped when that folder is absent)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from clipcraft.media.ffmpeg import ffmpeg_exe

from helpers import assert_one_clean_error, clipcraft
from media import inspect, read_audio, read_frame

pytestmark = pytest.mark.media  # every test here makes or reads media


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


def test_sound_stays_in_sync_with_the_picture(real_media: Path, tmp_path: Path) -> None:
    """The output's sound lines up with the source's to the sample, not a frame late or early."""
    source = real_media / "iphone4s_h264_rot90.mov"
    out = tmp_path / "out.mp4"
    result = clipcraft("make", source, "--start", 0, "--end", 2.2, "-o", out, "--preview")
    assert result.exit_code == 0, result.output
    made = read_audio(out).mean(axis=1)
    original = read_audio(source)[:, 0]
    span = min(len(made), len(original)) - 4800
    lags = np.arange(-2400, 2401)  # ±50 ms at 48 kHz
    centre = made[2400 : 2400 + span - 4800]
    scores = [np.dot(centre, original[2400 + lag : 2400 + lag + len(centre)]) for lag in lags]
    best = int(lags[int(np.argmax(scores))])
    assert abs(best) <= 48, f"sound is {best / 48:.1f} ms off"
    aligned = original[2400 + best : 2400 + best + len(centre)]
    assert np.corrcoef(centre, aligned)[0, 1] > 0.95


def test_a_motion_photo_jpeg_is_turned_upright(real_media: Path, tmp_path: Path) -> None:
    """A Pixel motion photo with EXIF orientation 6: stored 4032×3024, shown portrait."""
    out = tmp_path / "out.mp4"
    source = real_media / "pixel4xl_motionphoto_orient6.jpg"
    result = clipcraft("make", source, "--fit", "pad", "-o", out, "--preview")
    assert result.exit_code == 0, result.output
    frame = read_frame(out, 1.0).mean(axis=2)
    # portrait 3:4 padded into 9:16: 540×720 of picture between 120-px black bands
    assert frame[:100].max() < 20 and frame[-100:].max() < 20
    assert abs(frame[200:760, 10:500].mean() - 128) < 8
    # the photo's black strip is down its right-hand side once it is upright
    assert frame[200:760, 525:538].mean() < 20
