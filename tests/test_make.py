"""`clipcraft make` end to end: tiny sources in, outputs probed and read back."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import assert_one_clean_error, clipcraft, ffmpeg_children
from media import (
    MARKER,
    block_colour,
    close_to,
    inspect,
    make_video,
    read_audio,
    read_frame,
    top_level_boxes,
)

pytestmark = pytest.mark.media  # every test here makes or reads media


@pytest.fixture(scope="module")
def portrait(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 s of 9:16 footage with a tone, a new colour each second."""
    return make_video(
        tmp_path_factory.mktemp("src") / "portrait.mp4", width=180, height=320, seconds=12
    )


def test_window_becomes_an_upload_ready_full_size_clip(portrait: Path, tmp_path: Path) -> None:
    out = tmp_path / "fail.mp4"
    result = clipcraft("make", portrait, "--start", 4, "--end", 10, "-o", out, "--quality", "draft")
    assert result.exit_code == 0, result.output
    stream = inspect(out)
    assert stream.frames == 180
    assert stream.has(r"Duration: 00:00:06\.00")
    assert stream.has(r"Video: h264 \(High\).*yuv420p\(tv, bt709.*1080x1920.*30 fps")
    assert stream.has(r"Audio: aac \(LC\).*48000 Hz, stereo")
    assert not stream.has("rotation")
    boxes = top_level_boxes(out)
    assert boxes.index("moov") < boxes.index("mdat"), "fast start puts the index first"
    assert close_to(read_frame(out, 0.5)[960, 540], block_colour(4.5))
    assert close_to(read_frame(out, 5.5)[960, 540], block_colour(9.5))
    assert np.abs(read_audio(out)).max() > 0.1, "the source's tone is heard"
    assert [p.name for p in tmp_path.iterdir()] == ["fail.mp4"]


def test_default_output_goes_beside_the_current_folder(
    portrait: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = clipcraft("make", portrait, "--at", 3, "--duration", 1, "--preview", "-q")
    assert result.exit_code == 0, result.output
    assert inspect(tmp_path / "portrait-clip.mp4").has("540x960")


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_phone_clips_come_out_upright(tmp_path: Path, rotation: int) -> None:
    source = make_video(tmp_path / "phone.mov", width=180, height=320, seconds=2, rotation=rotation)
    out = tmp_path / "out.mp4"
    assert clipcraft("make", source, "--at", 1, "-o", out, "--preview").exit_code == 0
    frame = read_frame(out, 0.5)
    assert frame.shape == (960, 540, 3)
    assert close_to(frame[40, 40], MARKER), "the red marker stays top-left"
    assert close_to(frame[-40, -40], block_colour(0.5))
    assert not inspect(out).has("rotation")


def test_landscape_fills_the_frame_over_its_own_blur(tmp_path: Path) -> None:
    source = make_video(tmp_path / "wide.mp4", width=320, height=180, seconds=2)
    blurred, padded = tmp_path / "blur.mp4", tmp_path / "pad.mp4"
    assert clipcraft("make", source, "--at", 1, "-o", blurred, "--preview").exit_code == 0
    assert (
        clipcraft("make", source, "--at", 1, "-o", padded, "--preview", "--fit", "pad").exit_code
        == 0
    )
    blur, pad = read_frame(blurred, 0.5).astype(int), read_frame(padded, 0.5).astype(int)
    centre = block_colour(0.5)
    assert close_to(blur[480, 400], centre) and close_to(pad[480, 400], centre)
    assert pad[100].max() < 20, "pad leaves black bands"
    band = blur[60:200]
    assert band.mean() > 40, "blur fills the band with the picture"
    assert band.mean() < np.mean(centre), "and darkens it"
    assert np.abs(np.diff(band, axis=1)).max() < 12, "with no sharp edges"


def test_sixty_fps_hevc_becomes_constant_thirty(tmp_path: Path) -> None:
    source = make_video(
        tmp_path / "slomo.mov",
        width=180,
        height=320,
        seconds=3,
        fps=60,
        codec="libx265",
        extra=("-tag:v", "hvc1", "-x265-params", "log-level=none"),
    )
    out = tmp_path / "out.mp4"
    assert (
        clipcraft("make", source, "--start", 0, "--end", 3, "-o", out, "--preview").exit_code == 0
    )
    stream = inspect(out)
    assert stream.frames == 90 and stream.has("30 fps")
    for second in (0.5, 1.5, 2.5):
        assert close_to(read_frame(out, second)[480, 400], block_colour(second))


def test_picture_and_sound_stay_in_sync_within_a_frame(tmp_path: Path) -> None:
    source = make_video(tmp_path / "clicks.mp4", width=180, height=320, seconds=4, audio="clicks")
    out = tmp_path / "out.mp4"
    assert (
        clipcraft("make", source, "--start", 0.5, "--end", 3.5, "-o", out, "--preview").exit_code
        == 0
    )
    sound = np.abs(read_audio(out)).max(axis=1)
    first_click = np.argmax(sound > 0.2) / 48000
    colour_change = next(
        t / 30 for t in range(90) if close_to(read_frame(out, t / 30)[480, 400], block_colour(1.0))
    )
    assert first_click == pytest.approx(0.5, abs=1 / 30)
    assert colour_change == pytest.approx(first_click, abs=1 / 30)


def test_variable_frame_rate_becomes_constant_without_drift(tmp_path: Path) -> None:
    """Like a phone in dim light: 30 fps for two seconds, then every other frame dropped."""
    source = make_video(
        tmp_path / "dim.mp4",
        width=180,
        height=320,
        seconds=4,
        audio="clicks",
        video_filter="select='lt(t,2)+not(mod(n,2))'",
        extra=("-fps_mode", "vfr"),
    )
    out = tmp_path / "out.mp4"
    assert (
        clipcraft("make", source, "--start", 0, "--end", 3.5, "-o", out, "--preview").exit_code == 0
    )
    assert inspect(out).frames == 105
    sound = np.abs(read_audio(out)).max(axis=1)
    clicks = np.flatnonzero(np.diff((sound > 0.2).astype(int)) == 1) / 48000
    assert clicks[-1] == pytest.approx(3.0, abs=1 / 30)
    for second in (0.5, 1.5, 2.5, 3.3):
        assert close_to(read_frame(out, second)[480, 400], block_colour(second))
    changes = [
        t / 30
        for t in range(88, 92)
        if close_to(read_frame(out, t / 30)[480, 400], block_colour(3.0))
    ]
    assert changes[0] == pytest.approx(3.0, abs=1 / 30), "the picture changes with the click"


def test_a_silent_source_gets_a_silent_stereo_track(tmp_path: Path) -> None:
    source = make_video(tmp_path / "quiet.mp4", seconds=2, audio=None)
    out = tmp_path / "out.mp4"
    assert clipcraft("make", source, "--at", 1, "-o", out, "--preview").exit_code == 0
    assert inspect(out).has(r"Audio: aac \(LC\).*48000 Hz, stereo")
    sound = read_audio(out)
    assert len(sound) == pytest.approx(2 * 48000, rel=0.02)
    assert np.abs(sound).max() < 1e-3


def test_dry_run_prints_the_plan_and_renders_nothing(portrait: Path, tmp_path: Path) -> None:
    out = tmp_path / "never.mp4"
    table = clipcraft("make", portrait, "--at", 6, "-o", out, "--dry-run")
    assert table.exit_code == 0
    assert re.search(
        r"fail +0:00\.00–0:08\.00 +0:02\.80–0:10\.80 +crop +portrait\.mp4", table.stdout
    )
    plan = json.loads(
        clipcraft("make", portrait, "--at", 6, "-o", out, "--dry-run", "--json").stdout
    )
    assert plan["total_frames"] == 240 and plan["segments"][0]["source_start"] == 2.8
    assert not out.exists()


def test_the_installed_command_delivers_all_it_prints(portrait: Path, tmp_path: Path) -> None:
    """`run()` ends the process without the interpreter's teardown: what was printed to a
    pipe must still arrive whole, with the exit code the command gave."""
    command = [sys.executable, "-m", "clipcraft", "make", str(portrait), "--at", "6"]
    printed = subprocess.run(
        [*command, "-o", str(tmp_path / "never.mp4"), "--dry-run", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout)["total_frames"] == 240
    refused = subprocess.run(
        [*command, "-o", str(portrait)], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2
    assert refused.stdout == "" and refused.stderr.count("\n") == 1
    assert refused.stderr.startswith("clipcraft: error:")


def test_a_window_past_the_end_is_clamped_with_a_warning(portrait: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mp4"
    result = clipcraft("make", portrait, "--start", 10, "--end", 15, "-o", out, "--preview")
    assert result.exit_code == 0
    assert "warning: --end 0:15.00 is past the end" in result.stderr
    assert inspect(out).frames == 60


# --- bad input: one line, the right exit code, nothing left behind -----------------------


def test_missing_input(tmp_path: Path) -> None:
    result = clipcraft("make", tmp_path / "gone.mov", "--at", 1)
    assert_one_clean_error(result, 2, "gone.mov", "no such file")


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"milk, eggs, flour\n" * 50, "not a video or photo"), (b"", "empty")],
)
def test_not_media(tmp_path: Path, content: bytes, words: str) -> None:
    bad = tmp_path / "notes.mp4"
    bad.write_bytes(content)
    assert_one_clean_error(
        clipcraft("make", bad, "--at", 1, "-o", tmp_path / "o.mp4"), 1, "notes.mp4", words
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.mp4"]


def test_truncated_upload_is_called_corrupt(portrait: Path, tmp_path: Path) -> None:
    cut = tmp_path / "half.mp4"
    cut.write_bytes(portrait.read_bytes()[:4096])
    assert_one_clean_error(
        clipcraft("make", cut, "--at", 1, "-o", tmp_path / "o.mp4"), 1, "half.mp4", "corrupt"
    )


def test_audio_only_has_no_video_stream(tmp_path: Path) -> None:
    from media import write_sound

    voice = write_sound(tmp_path / "memo.m4a.wav", 1.0)
    assert_one_clean_error(
        clipcraft("make", voice, "--at", 0.5), 1, "memo.m4a.wav", "no video stream"
    )


def test_window_outside_the_footage(portrait: Path, tmp_path: Path) -> None:
    result = clipcraft("make", portrait, "--start", 30, "--end", 35, "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 2, "outside the footage")
    assert list(tmp_path.iterdir()) == []


def test_existing_output_is_kept_without_force(portrait: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.mp4"
    out.write_bytes(b"precious")
    assert_one_clean_error(
        clipcraft("make", portrait, "--at", 2, "-o", out), 2, "mine.mp4", "--force"
    )
    assert out.read_bytes() == b"precious"


def test_never_writes_over_the_input(portrait: Path) -> None:
    before = portrait.read_bytes()
    result = clipcraft("make", portrait, "--at", 2, "-o", portrait, "--force")
    assert_one_clean_error(result, 2, "is an input")
    assert portrait.read_bytes() == before


def test_output_folder_must_exist(portrait: Path, tmp_path: Path) -> None:
    result = clipcraft("make", portrait, "--at", 2, "-o", tmp_path / "nope" / "o.mp4")
    assert_one_clean_error(result, 2, "does not exist")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--at", "banana"), "invalid time 'banana'"),
        (("--platform", "myspace"), "myspace"),
        (("--start", "8", "--end", "4"), "not after --start"),
    ],
)
def test_bad_option_values(portrait: Path, tmp_path: Path, args: tuple, words: str) -> None:
    assert_one_clean_error(clipcraft("make", portrait, *args, "-o", tmp_path / "o.mp4"), 2, words)


def test_a_failed_render_leaves_no_partial_output(
    portrait: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clipcraft.render import argv as commands

    monkeypatch.setattr(commands, "FRAME_PIXEL_FORMAT", "no-such-format")
    result = clipcraft("make", portrait, "--at", 2, "-o", tmp_path / "o.mp4", "--preview")
    assert_one_clean_error(result, 1, "ffmpeg failed")
    assert list(tmp_path.iterdir()) == []
    assert ffmpeg_children() == []
