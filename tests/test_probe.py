# ruff: noqa: E501  (ffmpeg banner lines are long)
from pathlib import Path

import pytest

from clipcraft.errors import MediaError, UsageError
from clipcraft.media.probe import parse_banner, probe

from media import make_video, write_sound

pytestmark = pytest.mark.media  # every test here makes or reads media

IPHONE_BANNER = """\
Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'IMG_0421.MOV':
  Duration: 00:00:12.48, start: 0.000000, bitrate: 9361 kb/s
  Stream #0:0[0x1](und): Video: hevc (Main 10) (hvc1 / 0x31637668), yuv420p10le(tv, bt2020nc/bt2020/arib-std-b67), 1920x1080, 8000 kb/s, 59.94 fps, 59.94 tbr, 600 tbn (default)
    Side data:
      Display Matrix: rotation of -90.00 degrees
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono, fltp, 71 kb/s (default)
  Stream #0:2[0x3](und): Data: none (mebx / 0x7862656D), 0 kb/s (default)
"""


def test_banner_gives_the_displayed_size_rate_audio_and_hdr() -> None:
    info = parse_banner("IMG_0421.MOV", IPHONE_BANNER)
    assert (info.width, info.height, info.rotation) == (1080, 1920, 90)
    assert info.duration == pytest.approx(12.48)
    assert info.fps == pytest.approx(59.94)
    assert not info.variable_fps
    assert (info.video_codec, info.pixel_format, info.hdr) == ("hevc", "yuv420p10le", True)
    assert (info.has_audio, info.audio_codec, info.unreadable_audio) == (True, "aac", False)


def test_a_rate_that_differs_from_the_base_rate_is_variable() -> None:
    banner = IPHONE_BANNER.replace("59.94 fps, 59.94 tbr", "29.87 fps, 29.83 tbr")
    assert parse_banner("x.mp4", banner).variable_fps


def test_an_audio_track_without_a_codec_is_flagged_not_used() -> None:
    banner = IPHONE_BANNER.replace(
        "Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono, fltp, 71 kb/s (default)",
        "Audio: none, 0 channels, 74 kb/s, start 0.043991 (default)",
    )
    info = parse_banner("x.mp4", banner)
    assert (info.has_audio, info.unreadable_audio) == (False, True)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rotated_files_report_the_upright_size(tmp_path: Path, rotation: int) -> None:
    info = probe(
        make_video(tmp_path / "clip.mp4", width=180, height=320, seconds=1, rotation=rotation)
    )
    assert (info.width, info.height) == (180, 320)
    assert info.duration == pytest.approx(1.0, abs=0.05)
    assert info.has_audio


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        probe(tmp_path / "nope.mov")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"this is a shopping list, not a video\n" * 20, "not a video or photo")],
)
def test_unusable_files_are_media_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(content)
    with pytest.raises(MediaError, match=message):
        probe(path)


def test_audio_only_file_has_no_video_stream(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="no video stream"):
        probe(write_sound(tmp_path / "voice.wav", 1.0))


def test_real_phone_files(real_media: Path) -> None:
    iphone = probe(real_media / "iphone14pro_hevc10_hlg_dv_rot90_noaudio.mov")
    assert (iphone.width, iphone.height, iphone.hdr, iphone.has_audio) == (1080, 1920, True, False)
    pixel = probe(real_media / "pixel7_h264_1080p_rot180_noaudio.mp4")
    assert (pixel.width, pixel.height, pixel.rotation) == (1920, 1080, 180)
    stsd = probe(real_media / "missing_stsd_audio.mp4")
    assert (stsd.has_audio, stsd.unreadable_audio) == (False, True)
    with pytest.raises(MediaError, match="moov atom"):
        probe(real_media / "broken_no_moov_4KB.mp4")
