"""The bad-input matrix: odd and broken inputs get one clean line, or render correctly."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from clipcraft.media.ffmpeg import ffmpeg_exe

from helpers import assert_one_clean_error, clipcraft
from media import MARKER, close_to, ffmpeg, inspect, make_video, read_frame

pytestmark = pytest.mark.media  # every test here makes or reads media


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(
        tmp_path_factory.mktemp("matrix") / "clip.mp4", width=180, height=320, seconds=3
    )


def test_a_clip_of_a_fifth_of_a_second_is_used_whole(tmp_path: Path) -> None:
    short = make_video(tmp_path / "blink.mp4", width=180, height=320, seconds=0.2)
    out = tmp_path / "o.mp4"
    result = clipcraft("make", short, "--at", 0.1, "-o", out, "--preview")
    assert result.exit_code == 0, result.output
    assert "shorter than" in result.stderr
    assert inspect(out).frames == 6


def test_a_ten_thousand_character_caption_fails_fast(clip: Path, tmp_path: Path) -> None:
    result = clipcraft("make", clip, "--at", 1, "--caption", "a" * 10_000, "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 2, "10000 characters", "does not fit")


def test_a_name_with_a_leading_dash_spaces_and_emoji(
    clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    odd = tmp_path / "-oops my crêpe 🥞.mp4"
    odd.write_bytes(clip.read_bytes())
    monkeypatch.chdir(tmp_path)
    result = clipcraft("make", "--at", 1, "--preview", "--", odd.name)
    assert result.exit_code == 0, result.output
    assert inspect(tmp_path / "-oops my crêpe 🥞-clip.mp4").frames == 90


def test_phone_slow_motion_at_120_fps(tmp_path: Path) -> None:
    slomo = make_video(tmp_path / "slomo.mov", width=180, height=320, seconds=2, fps=120)
    out = tmp_path / "o.mp4"
    assert clipcraft("make", slomo, "--start", 0, "--end", 2, "-o", out, "--preview").exit_code == 0
    assert inspect(out).frames == 60 and inspect(out).has("30 fps")


def test_a_file_with_two_video_tracks_uses_the_first(clip: Path, tmp_path: Path) -> None:
    other = make_video(tmp_path / "other.mp4", width=320, height=180, seconds=3, audio=None)
    both = tmp_path / "motion photo.mp4"
    subprocess.run(
        [
            ffmpeg_exe(),
            "-loglevel",
            "error",
            "-i",
            str(clip),
            "-i",
            str(other),
            "-map",
            "0:v",
            "-map",
            "1:v",
            "-map",
            "0:a",
            "-c",
            "copy",
            str(both),
        ],
        check=True,
    )
    out = tmp_path / "o.mp4"
    assert clipcraft("make", both, "--at", 1, "-o", out, "--preview").exit_code == 0
    assert close_to(read_frame(out, 0.5)[40, 40], MARKER), "the first track, portrait"


@pytest.mark.parametrize(
    ("fourcc", "named"),
    [(b"xvqz", "xvqz"), (b"evc1", "evc")],  # unknown to ffmpeg; known, with no decoder here
)
def test_an_unsupported_codec_is_named(
    clip: Path, tmp_path: Path, fourcc: bytes, named: str
) -> None:
    """H.264 relabelled as a codec the bundled ffmpeg cannot decode."""
    data = clip.read_bytes()
    sample_entry = data.index(b"avc1", data.index(b"stsd"))
    odd = tmp_path / "screen recording.mp4"
    odd.write_bytes(data[:sample_entry] + fourcc + data[sample_entry + 4 :])
    result = clipcraft("make", odd, "--at", 1, "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 1, "screen recording.mp4", f"cannot decode ({named})", "H.264")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["screen recording.mp4"]


def test_a_video_track_with_zero_frames(tmp_path: Path) -> None:
    """The MP4 muxer drops an empty track, Matroska keeps it: a recording stopped at once."""
    empty = tmp_path / "stopped.mkv"
    ffmpeg(
        "-f", "lavfi", "-i", "color=s=180x320:d=1", "-f", "lavfi", "-i", "sine=d=1",
        "-map", "0:v", "-map", "1:a", "-vf", "select=0", "-c:v", "libx264", "-c:a", "aac",
        empty,
    )  # fmt: skip
    result = clipcraft("make", empty, "--at", 0.5, "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 1, "stopped.mkv", "no frames")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stopped.mkv"]


@pytest.mark.skipif(sys.platform != "linux", reason="resource limits as on Linux")
def test_a_full_disk_leaves_nothing_behind(clip: Path, tmp_path: Path) -> None:
    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail instead of killing us
        resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))

    out = tmp_path / "out"
    out.mkdir()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "clipcraft",
            "make",
            str(clip),
            "--at",
            "1",
            "-o",
            str(out / "o.mp4"),
        ],
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
        timeout=120,
    )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert (len(lines) == 1 and "disk" in lines[0]) or "File too large" in lines[0], run.stderr
    assert list(out.iterdir()) == []


# --- a fuzz pass over the command line (the pure parsers: test_fuzz.py) ------------------


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [
                "--at",
                "--start",
                "--end",
                "--duration",
                "--platform",
                "--fit",
                "--style",
                "--sfx",
                "--caption",
                "--freeze",
                "--transition",
                "--layout",
                "0:01",
                "banana",
                "-3",
                "2.5",
                "1e9",
                "reels",
                "split",
                "ding@end",
                "zzz",
                "--replay",
                "--mute",
                "",
                "🥞",
                "--episode",
                "0",
            ]
        ),
        max_size=6,
    )
)
def test_fuzz_the_command_line(clip: Path, tmp_path: Path, argv: list[str]) -> None:
    result = clipcraft("make", clip, *argv, "--dry-run", "-o", tmp_path / "o.mp4")
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output
    if result.exit_code:
        assert result.stderr.strip().count("\n") == 0


def test_a_cover_is_written_beside_the_clip_and_never_over_a_file(
    clip: Path, tmp_path: Path
) -> None:
    out = tmp_path / "fail.mp4"
    result = clipcraft(
        "make", clip, "--at", 1, "--caption", "Cover 📸", "--cover", "-o", out, "--preview"
    )
    assert result.exit_code == 0, result.output
    cover = Image.open(tmp_path / "fail.jpg")
    assert cover.format == "JPEG" and cover.size == (540, 960)
    again = clipcraft(
        "make",
        clip,
        "--at",
        1,
        "--cover",
        "-o",
        tmp_path / "other.mp4",
        "--cover",
        tmp_path / "fail.jpg",
    )
    assert_one_clean_error(again, 2, "fail.jpg", "already exists")


def test_an_8k_source_is_scaled_as_it_is_decoded(tmp_path: Path) -> None:
    big = tmp_path / "8k.mp4"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=s=7680x4320:r=30:d=0.5",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        big,
    )
    out = tmp_path / "o.mp4"
    result = clipcraft("make", big, "--at", 0.2, "-o", out, "--preview")
    assert result.exit_code == 0, result.output
    assert inspect(out).frames == 15 and inspect(out).has("540x960")


def test_pq_hdr_is_tone_mapped(tmp_path: Path) -> None:
    hdr = tmp_path / "pq.mp4"
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "smptebars=s=320x180:d=1",
        "-vf",
        "format=yuv420p10le",
        "-c:v",
        "libx265",
        "-x265-params",
        "log-level=none:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc",
        "-color_primaries",
        "bt2020",
        "-color_trc",
        "smpte2084",
        "-colorspace",
        "bt2020nc",
        "-tag:v",
        "hvc1",
        hdr,
    )
    assert json.loads(clipcraft("probe", hdr, "--json").stdout)["hdr"] is True
    out = tmp_path / "o.mp4"
    result = clipcraft("make", hdr, "--at", 0.5, "--fit", "pad", "-o", out, "--preview")
    assert result.exit_code == 0, result.output
    assert inspect(out).has(r"yuv420p\(tv, bt709")
    bars = read_frame(out, 0.5)[400:560].astype(int)
    assert (bars.max(axis=2) - bars.min(axis=2)).mean() > 40, "the bars keep their colours"


def test_no_subprocess_is_started_through_a_shell() -> None:
    source = Path(__file__).resolve().parents[1] / "src" / "clipcraft"
    for module in source.rglob("*.py"):
        text = module.read_text()
        assert "shell=True" not in text and "os.system" not in text and "os.popen" not in text, (
            module
        )


HLG_10_BIT = (
    "-pix_fmt", "yuv420p10le",
    "-x265-params", "log-level=none:colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc",
    "-color_primaries", "bt2020", "-color_trc", "arib-std-b67", "-colorspace", "bt2020nc",
)  # fmt: skip
"""x265 options that make a phone's 10-bit HLG, its colour description in the stream."""


def test_an_iphone_style_hlg_clip_held_upright_comes_out_upright(tmp_path: Path) -> None:
    """10-bit HLG stored sideways: cropped and scaled as stored, turned, then tone-mapped."""
    source = make_video(
        tmp_path / "iphone.mov",
        width=360,
        height=640,
        seconds=2,
        rotation=270,
        codec="libx265",
        extra=HLG_10_BIT,
    )
    facts = json.loads(clipcraft("probe", source, "--json").stdout)
    shown = (facts["width"], facts["height"], facts["hdr"], facts["rotation"])
    assert shown == (360, 640, True, 90), "stored 640×360, turned 90° by the player"
    out = tmp_path / "o.mp4"
    result = clipcraft("make", source, "--start", 0, "--end", 1.5, "-o", out, "--preview")
    assert result.exit_code == 0, result.output
    assert inspect(out).has(r"yuv420p\(tv, bt709")
    frame = read_frame(out, 0.5).astype(int)
    corner, opposite = frame[40, 40], frame[920, 500]
    assert corner[0] > corner[1] + 80 and corner[0] > corner[2] + 80, "the red marker top left"
    assert not (opposite[0] > opposite[1] + 80 and opposite[0] > opposite[2] + 80)


@pytest.mark.parametrize(
    ("size", "extra"),
    [((480, 360), ()), ((320, 240), ("-display_rotation", "45"))],
    ids=["4:3 HLG padded to an odd height", "a display matrix at 45°"],
)
def test_odd_shapes_and_turns_still_render(
    tmp_path: Path, size: tuple[int, int], extra: tuple[str, ...]
) -> None:
    """A fitted 540×405 is made even before the tone map (zscale refuses odd sizes); a turn
    that is not a quarter is left to ffmpeg's autorotate."""
    stored = make_video(
        tmp_path / "stored.mp4", width=size[0], height=size[1], seconds=1.5, codec="libx265",
        extra=HLG_10_BIT,
    )  # fmt: skip
    source = tmp_path / "source.mp4"
    ffmpeg(*extra, "-i", stored, "-c", "copy", source)
    assert json.loads(clipcraft("probe", source, "--json").stdout)["hdr"] is True
    out = tmp_path / "o.mp4"
    result = clipcraft(
        "make", source, "--start", 0, "--end", 1, "--fit", "pad", "-o", out, "--preview"
    )
    assert result.exit_code == 0, result.output
    assert inspect(out).frames == 30
