"""Captions on made clips: where their pixels land, when they show, and their errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from clipcraft.planning.caption import safe_zone
from clipcraft.settings.platforms import PLATFORMS

from helpers import assert_one_clean_error, clipcraft, plan_of
from media import block_colour, close_to, inspect, make_video, read_frame

pytestmark = pytest.mark.media  # every test here makes or reads media

CAPTION = "Pancake flip: nailed it 🥞"


@pytest.fixture(scope="module")
def footage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("cap") / "flip.mp4", width=180, height=320, seconds=6)


def changed_box(with_caption: np.ndarray, without: np.ndarray) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the pixels the caption changed."""
    changed = np.abs(with_caption.astype(int) - without.astype(int)).max(axis=2) > 24
    rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
    return cols[0], rows[0], cols[-1] + 1, rows[-1] + 1


@pytest.mark.parametrize(
    ("platform", "style"),
    [("reels", "classic"), ("shorts", "banner"), ("tiktok", "meme"), ("reels", "comic")],
)
def test_caption_pixels_land_where_planned_inside_the_safe_zone(
    footage: Path, tmp_path: Path, platform: str, style: str
) -> None:
    common = (
        "--at",
        2,
        "--duration",
        2,
        "--preview",
        "--platform",
        platform,
        "--caption-anim",
        "none",
    )
    plain, captioned = tmp_path / "plain.mp4", tmp_path / "captioned.mp4"
    assert clipcraft("make", footage, *common, "-o", plain).exit_code == 0
    args = (*common, "--caption", CAPTION, "--style", style)
    assert clipcraft("make", footage, *args, "-o", captioned).exit_code == 0
    planned = plan_of(footage, *args, "-o", tmp_path / "x.mp4")["captions"][0]
    left, top, right, bottom = changed_box(read_frame(captioned, 1.0), read_frame(plain, 1.0))
    zone = safe_zone(PLATFORMS[platform], 540, 960)
    assert zone.left <= left and right <= zone.right
    assert zone.top <= top and bottom <= zone.bottom
    x, y = planned["x"], planned["y"]
    width, height = planned["layout"]["width"], planned["layout"]["height"]
    assert x - 1 <= left and right <= x + width + 1
    assert y - 1 <= top and bottom <= y + height + 1
    assert (right - left) > 0.5 * width, "the caption fills most of its planned box"


def test_several_captions_take_turns_over_the_fail(footage: Path, tmp_path: Path) -> None:
    plan = plan_of(
        footage,
        "--at",
        2,
        "--duration",
        4,
        "--caption",
        "First",
        "--caption",
        "Second",
        "-o",
        tmp_path / "x.mp4",
    )
    spans = [(c["start_frame"], c["end_frame"]) for c in plan["captions"]]
    assert spans == [(0, 60), (60, 120)]


def test_srt_cues_land_at_their_output_times(footage: Path, tmp_path: Path) -> None:
    srt = tmp_path / "talk.srt"
    srt.write_text(
        "1\n00:00:03,000 --> 00:00:04,000\nNOOO 😱\n\n"
        "2\n00:00:00,200 --> 00:00:00,800\nbefore the window\n"
    )
    out = tmp_path / "o.mp4"
    args = ("--start", 2, "--end", 5, "--captions", srt, "--caption-anim", "none", "--preview")
    plan = plan_of(footage, *args, "-o", out)
    (cue,) = plan["captions"]
    assert (cue["start_frame"], cue["end_frame"]) == (30, 60)
    assert clipcraft("make", footage, *args, "-o", out).exit_code == 0
    box = (
        slice(cue["y"], cue["y"] + cue["layout"]["height"]),
        slice(cue["x"], cue["x"] + cue["layout"]["width"]),
    )
    before, during = read_frame(out, 0.8)[box], read_frame(out, 1.5)[box]
    assert close_to(before.reshape(-1, 3).mean(axis=0), block_colour(2.8), tolerance=20)
    assert np.abs(during.astype(int) - before.astype(int)).max() > 100


def test_outro_card_closes_the_clip_inside_the_duration(footage: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.mp4"
    result = clipcraft(
        "make",
        footage,
        "--at",
        2,
        "--duration",
        4,
        "--outro",
        "Your worst kitchen fail? 👇",
        "--preview",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    assert inspect(out).frames == 120
    card = read_frame(out, 3.5).astype(int)
    fail = read_frame(out, 1.0).astype(int)
    assert card.mean() < fail.mean(), "the card is darkened"
    middle = card[400:560]
    assert middle.max() > 240, "white caption letters in the middle of the card"


def test_an_outro_after_footage_used_to_its_end_holds_its_last_frame(tmp_path: Path) -> None:
    """At 25 fps the last frame starts 0.04 s before the end: the card's time (one output frame
    before the end) falls inside it, where a seek finds no frame to start at."""
    short = make_video(tmp_path / "short.mp4", width=180, height=320, seconds=2, fps=25)
    out = tmp_path / "o.mp4"
    args = ("--start", 0, "--end", 2, "--outro", "Worst?", "--preview", "-o", out)
    result = clipcraft("make", short, *args)
    assert result.exit_code == 0, result.output
    assert inspect(out).frames == 60 + 45
    last_colour = block_colour(1.9)
    card = read_frame(out, 3.0)[700:900, 20:60].astype(int)  # beside the caption, below it
    dimmed = (last_colour[0] // 2, last_colour[1] // 2, last_colour[2] // 2)
    assert close_to(card.mean(axis=(0, 1)), dimmed, tolerance=40)


def test_a_caption_too_long_to_fit_is_a_clean_error(footage: Path, tmp_path: Path) -> None:
    text = "so much to say about this pancake " * 12
    result = clipcraft("make", footage, "--at", 2, "--caption", text, "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 2, "does not fit")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--after-caption", "look now"), "needs an after part"),
        (("--style", "comicsans"), "did you mean comic"),
        (("--font", "Papyrus.ttf"), "font 'Papyrus.ttf' not found"),
        (("--caption", "漢字"), "U+6F22"),
        (("--caption", "煎饼"), "install a font that has them (such as Noto Sans CJK)"),
        (("--font", Path(__file__)), "is not a font file"),
    ],
)
def test_caption_option_errors(footage: Path, tmp_path: Path, args: tuple, words: str) -> None:
    result = clipcraft("make", footage, "--at", 2, *args, "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 2, words)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_an_output_folder_that_cannot_be_written_is_named(footage: Path) -> None:
    result = clipcraft("make", footage, "--at", 2, "--caption", "hi", "-o", "/proc/x.mp4")
    assert_one_clean_error(result, 2, "cannot write in the folder /proc", "-o")


def test_a_malformed_subtitle_file_names_its_line(footage: Path, tmp_path: Path) -> None:
    srt = tmp_path / "bad.srt"
    srt.write_text("1\n00:00:01,000 --> soon\nhello\n")
    result = clipcraft("make", footage, "--at", 2, "--captions", srt, "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 2, "bad.srt, line 2")
