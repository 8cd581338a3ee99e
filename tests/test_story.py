"""The whole story: the fail, the cleanup sped up to fit, the dish, the lesson card; the
after flags that belong to the part they follow; a recipe's [[after]] entries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from clipcraft.cli.parts import owning_parts
from clipcraft.errors import UsageError
from clipcraft.media.synthetic import ffmpeg, hevc_hlg, pattern_input
from clipcraft.planning.sequence import plan_budget
from clipcraft.planning.story import MOST_SPEED, elapsed_words, pace, part_caption

from helpers import assert_one_clean_error, clipcraft, plan_of
from media import block_colour, close_to, inspect, make_video, read_audio, read_frame

DISH = (240, 190, 60)


def test_auto_fits_the_whole_video_into_its_part_and_never_slows_it() -> None:
    fitted = pace("auto", 0.0, 40.0, 75, 30)
    assert (fitted.speed, fitted.end, fitted.frames) == (16.0, 40.0, 75)
    from_ten = pace("auto", 10.0, 40.0, 75, 30)
    assert from_ten.speed == 12.0 and from_ten.end == 40.0
    short = pace("auto", 0.0, 1.5, 75, 30)
    assert (short.speed, short.frames) == (1.0, 45), "a short video plays as it is, and ends"
    fixed = pace(4.0, 0.0, 40.0, 75, 30)
    assert (fixed.end, fixed.frames) == (10.0, 75)
    assert pace(4.0, 0.0, 6.0, 75, 30).frames == 45, "sped up, a short video ends sooner"
    endless = pace("auto", 0.0, 3600.0, 75, 30)
    assert endless.speed == MOST_SPEED and endless.warning and "first 160 s" in endless.warning


def test_the_time_that_passed_reads_as_a_creator_would_write_it() -> None:
    assert [elapsed_words(s) for s in (0.4, 1, 40, 59.4, 61, 130, 3600, 3900, 7300)] == [
        "1 second",
        "1 second",
        "40 seconds",
        "59 seconds",
        "1 minute",
        "2 minutes",
        "1 hour",
        "1 hour 5 minutes",
        "2 hours 2 minutes",
    ]
    assert part_caption(None, True, 130.0) == "2 minutes later…"
    assert part_caption(None, False, 130.0) is None
    assert part_caption("", True, 130.0) is None, '"" turns the offered caption off'
    assert (
        part_caption("after {elapsed} of scrubbing", False, 20) == "after 20 seconds of scrubbing"
    )
    with pytest.raises(UsageError, match="photo"):
        part_caption("{elapsed} later", False, None)


def test_a_flag_typed_after_an_after_is_that_part_s_own() -> None:
    typed = [
        "fail.mp4", "--after-duration", "3", "--after", "clean.mp4", "--after-speed", "auto",
        "--caption", "--after-speed", "--after=dish.jpg", "--after-speed=2", "-o", "x.mp4",
    ]  # fmt: skip
    owners = owning_parts(typed, {"--after-speed", "--after-duration"}, {"--caption", "-o"})
    assert owners == {"--after-duration": [None], "--after-speed": [0, 1]}, (
        "a caption that reads like a flag is the caption's value"
    )


def test_the_budget_error_names_every_part() -> None:
    with pytest.raises(UsageError) as refused:
        plan_budget(
            8, 30, freeze=0, replay=False, afters=(2.5, 2.5), lesson=1.5, outro=0,
            overlaps=(0, 9), fixed_fail=None,
        )  # fmt: skip
    message = str(refused.value)
    for part in ("after 1 2.5 s", "after 2 2.5 s", "lesson 1.5 s", "8.2 or more"):
        assert part in message, message


@pytest.fixture(scope="module")
def kitchen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fail with a tone, a 16-s cleanup whose colour changes each second (with clicks),
    and a photo of the dish."""
    folder = tmp_path_factory.mktemp("kitchen")
    make_video(folder / "fail.mp4", width=180, height=320, seconds=5)
    make_video(folder / "cleanup.mp4", width=180, height=320, seconds=16, audio="clicks")
    Image.new("RGB", (360, 640), DISH).save(folder / "dish.jpg")
    return folder


@pytest.mark.media
def test_fail_then_the_whole_cleanup_fast_then_the_dish_then_the_lesson(
    kitchen: Path, tmp_path: Path
) -> None:
    out = tmp_path / "story.mp4"
    args = [
        kitchen / "fail.mp4", "--at", 2, "--duration", 8, "--preview", "-o", out,
        "--transition", "cut", "--after-duration", 2,
        "--after", kitchen / "cleanup.mp4", "--after-speed", "auto",
        "--after", kitchen / "dish.jpg", "--after-caption", "Saved it!",
        "--lesson", "Lesson: grease the pan",
    ]  # fmt: skip
    plan = plan_of(*args)
    parts = [(s["role"], Path(s["source"]).name, s["frames"], s["speed"]) for s in plan["segments"]]
    assert parts == [
        ("fail", "fail.mp4", 75, 1.0),
        ("after", "cleanup.mp4", 60, 8.0),
        ("after", "dish.jpg", 60, 1.0),
        ("lesson", "dish.jpg", 45, 1.0),
    ]
    texts = {c["role"]: " ".join(c["layout"]["lines"]) for c in plan["captions"]}
    assert texts["after"] == "Saved it!" and texts["lesson"] == "Lesson: grease the pan"
    assert any(" ".join(c["layout"]["lines"]) == "16 seconds later…" for c in plan["captions"])

    made = clipcraft("make", *args)
    assert made.exit_code == 0, made.output
    assert inspect(out).frames == 240
    centre = (480, 270)  # below the captions, which sit at the top
    # the cleanup, 8x: each source second lasts 1/8 s, evenly (no stutter), in order
    for second in (1, 4, 6, 9, 13):
        at = 2.5 + (second + 0.5) / 8
        frame = read_frame(out, at)
        assert close_to(frame[centre], block_colour(second), 50), (second, frame[centre])
    assert close_to(read_frame(out, 5.5)[centre], DISH), "the dish comes last"
    lesson = read_frame(out, 7.5)
    band = lesson[400:560, 60:480]
    assert (band.min(axis=2) > 235).mean() > 0.01, "the lesson's white letters are there"
    assert not close_to(lesson[100, 270], DISH, 20), "on the dish blurred and dimmed"
    # the fail's tone is heard; the sped-up cleanup's clicks are not
    sound = read_audio(out)
    level = [
        float(np.sqrt(np.mean(sound[round(a * 48000) : round(b * 48000)] ** 2)))
        for a, b in ((0.5, 2.0), (2.7, 4.4))
    ]
    assert level[0] > 0.02 and level[1] < level[0] / 30, level


@pytest.mark.media
def test_a_recipe_tells_the_story_with_after_entries(kitchen: Path, tmp_path: Path) -> None:
    recipe = tmp_path / "story.toml"
    recipe.write_text(
        'duration = 9\n\n[[after]]\nfile = "cleanup.mp4"\nspeed = 4\n'
        'caption = "{elapsed} of scrubbing"\n\n[[after]]\nfile = "dish.jpg"\nduration = 3\n'
        'transition = "crossfade"\n'
    )
    for name in ("cleanup.mp4", "dish.jpg"):
        (tmp_path / name).symlink_to(kitchen / name)
    plan = plan_of(kitchen / "fail.mp4", "--at", 2, "--recipe", recipe)
    afters = [s for s in plan["segments"] if s["role"] == "after"]
    assert [(a["speed"], a["frames"], a["source_end"]) for a in afters] == [
        (4.0, 75, 10.0),
        (1.0, 90, 0.0),
    ]
    assert [t["kind"] for t in plan["transitions"]] == ["flash", "crossfade"]
    assert plan["total_frames"] == 270
    texts = [" ".join(c["layout"]["lines"]) for c in plan["captions"] if c["role"] == "after"]
    assert texts == ["10 seconds of scrubbing"]


@pytest.mark.media
def test_a_story_that_does_not_fit_or_asks_the_impossible_says_so(kitchen: Path) -> None:
    fail, dish = kitchen / "fail.mp4", kitchen / "dish.jpg"
    long = clipcraft(
        "make", fail, "--at", 2, "--after", dish, "--after", dish, "--after", dish, "--dry-run"
    )
    assert_one_clean_error(long, 2, "after 1 2.5 s", "after 3 2.5 s")
    photo_time = clipcraft(
        "make", fail, "--at", 2, "--after", dish, "--after-caption", "{elapsed} later", "--dry-run"
    )
    assert_one_clean_error(photo_time, 2, "{elapsed}", "photo")
    split = clipcraft(
        "make", fail, "--at", 2, "--after", dish, "--after", dish, "--layout", "split", "--dry-run"
    )
    assert_one_clean_error(split, 2, "split", "not 2")


@pytest.mark.media
def test_an_hdr_recovery_video_is_sped_up_and_tone_mapped(kitchen: Path, tmp_path: Path) -> None:
    """`tmix` drops the frames' transfer and primaries; blended before the tone map, an
    iPhone's HLG cleanup failed to render ("no packets")."""
    cleanup = tmp_path / "cleanup-hlg.mov"
    ffmpeg(*pattern_input((180, 320), 30, 6), *hevc_hlg(30), cleanup)
    out = tmp_path / "story.mp4"
    made = clipcraft(
        "make", kitchen / "fail.mp4", "--at", 2, "--duration", 6, "--preview", "-o", out,
        "--after", cleanup, "--after-speed", 3,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert inspect(out).frames == 105 + 60, "3.5 s of fail, then the 6-s video at 3x: 2 s"
    assert inspect(out).has(r"yuv420p\(tv, bt709")
    sped = read_frame(out, 4.5).astype(int)
    assert sped.std() > 20, "the test pattern shows, not a blank frame"
