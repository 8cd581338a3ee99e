"""Before/after: the after part, transitions, split screen, freeze, replay and the budget."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from PIL import Image

from helpers import assert_one_clean_error, clipcraft, plan_of
from media import MARKER, block_colour, close_to, inspect, make_video, read_frame

pytestmark = pytest.mark.media  # every test here makes or reads media

DISH = (240, 190, 60)


def photo(
    path: Path,
    *,
    exif_rotated: bool = False,
    size: tuple[int, int] = (360, 640),
    colour: tuple[int, int, int] = DISH,
) -> Path:
    """A 9:16 'finished dish' photo: warm yellow with a red top-left marker, as displayed."""
    upright = Image.new("RGB", size, colour)
    upright.paste(MARKER, (0, 0, size[0] // 5, size[0] // 5))
    if exif_rotated:  # stored sideways with EXIF orientation 6, as phones do
        stored = upright.transpose(Image.Transpose.ROTATE_90)
        exif = Image.Exif()
        exif[0x0112] = 6
        stored.save(path, exif=exif, quality=95)
    else:
        upright.save(path, quality=95)
    return path


@pytest.fixture(scope="module")
def fail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(
        tmp_path_factory.mktemp("after") / "fail.mp4", width=180, height=320, seconds=10
    )


def marker_width(frame: np.ndarray) -> int:
    row = frame[8]
    return int(np.sum([close_to(pixel, MARKER, 60) for pixel in row]))


def test_photo_after_is_upright_zooms_and_keeps_the_length(fail: Path, tmp_path: Path) -> None:
    dish = photo(tmp_path / "dish.jpg", exif_rotated=True)
    out = tmp_path / "o.mp4"
    result = clipcraft(
        "make", fail, "--at", 7, "--after", dish, "--duration", 8, "-o", out, "--preview"
    )
    assert result.exit_code == 0, result.output
    assert inspect(out).frames == 240, "exactly 8 s"
    start, end = read_frame(out, 5.6), read_frame(out, 7.95)
    assert close_to(start[480, 270], DISH) and close_to(start[8, 8], MARKER, 60), "upright"
    # pushing in from the centre slides the corner marker out of the frame, steadily
    widths = [marker_width(read_frame(out, t)) for t in (5.6, 6.2, 6.8, 7.4, 7.95)]
    assert widths == sorted(widths, reverse=True) and widths[-1] < widths[0] * 0.95
    assert np.abs(end.astype(int) - start.astype(int)).max() > 50, "never a dead still"


def test_a_flash_turns_the_picture_white_at_the_join(fail: Path, tmp_path: Path) -> None:
    dish = photo(tmp_path / "dish.jpg")
    out = tmp_path / "o.mp4"
    plan = plan_of(fail, "--at", 7, "--after", dish, "-o", out, "--preview")
    (transition,) = plan["transitions"]
    assert transition["kind"] == "flash" and transition["at_frame"] == 165
    assert (
        clipcraft("make", fail, "--at", 7, "--after", dish, "-o", out, "--preview").exit_code == 0
    )
    flash = read_frame(out, 165 / 30)
    assert flash.mean() > 230, "near white at the join"
    assert read_frame(out, 4.0).mean() < 200


@pytest.mark.parametrize("kind", ["crossfade", "wipe", "slide"])
def test_overlapping_transitions_show_both_parts(fail: Path, tmp_path: Path, kind: str) -> None:
    dish = photo(tmp_path / "dish.jpg")
    out = tmp_path / "o.mp4"
    args = ("--at", 7, "--after", dish, "--transition", kind, "-o", out, "--preview")
    plan = plan_of(fail, *args)
    (transition,) = plan["transitions"]
    assert transition["overlap"] == 9
    assert plan["total_frames"] == 240, "the overlap is given back to the fail"
    assert clipcraft("make", fail, *args).exit_code == 0
    middle = read_frame(out, (transition["at_frame"] + 4) / 30).astype(int)
    fail_colour = np.array(block_colour(plan["segments"][0]["source_end"] - 0.1))
    near_fail = np.abs(middle - fail_colour).sum(axis=2) < 90
    near_dish = np.abs(middle - np.array(DISH)).sum(axis=2) < 90
    if kind == "crossfade":
        assert not near_fail[480, 270] and not near_dish[480, 270], "a mix of the two"
    else:
        assert near_fail.mean() > 0.2 and near_dish.mean() > 0.2, "side by side"


def test_split_puts_the_fail_above_and_the_after_below(fail: Path, tmp_path: Path) -> None:
    dish = photo(tmp_path / "dish.jpg")
    out = tmp_path / "o.mp4"
    result = clipcraft(
        "make", fail, "--at", 5, "--after", dish, "--layout", "split", "-o", out, "--preview"
    )
    assert result.exit_code == 0, result.output
    plan = plan_of(fail, "--at", 5, "--after", dish, "--layout", "split", "-o", out, "--preview")
    assert {c["layout"]["text"] for c in plan["captions"]} == {"BEFORE", "AFTER"}
    assert inspect(out).frames == 240
    source_start = plan["segments"][0]["source_start"]
    frame = read_frame(out, 2.5)
    assert close_to(frame[240, 270], block_colour(source_start + 2.5)), "top: the fail"
    assert close_to(frame[720, 270], DISH), "bottom: the after"
    later = read_frame(out, 3.6)
    assert close_to(later[240, 270], block_colour(source_start + 3.6)), "both move"


def test_two_photos_make_a_reel(tmp_path: Path) -> None:
    mess = photo(tmp_path / "mess.png", size=(640, 360), colour=(90, 90, 100))
    dish = photo(tmp_path / "dish.jpg")
    out = tmp_path / "reel.mp4"
    result = clipcraft("make", mess, "--after", dish, "-o", out, "--preview")
    assert result.exit_code == 0, result.output
    stream = inspect(out)
    assert stream.frames == 240 and stream.has(r"h264 \(High\)") and stream.has("aac")
    first, later = read_frame(out, 0.2), read_frame(out, 4.0)
    assert close_to(first[480, 270], (90, 90, 100)) and close_to(
        read_frame(out, 7.0)[480, 270], DISH
    ), "mess, then dish"

    def picture_top(frame: np.ndarray) -> int:  # the fitted photo's upper edge, mid-frame
        return next(y for y in range(960) if close_to(frame[y, 270], (90, 90, 100), 25))

    assert picture_top(later) < picture_top(first), "the mess photo grows: it zooms in"


def test_heic_photos_work_even_renamed_to_jpg(fail: Path, tmp_path: Path) -> None:
    """An iPhone photo a chat app renamed; a fresh process, so nothing registered HEIF before."""
    heic = tmp_path / "dish.jpg"
    pillow_heif.from_pillow(Image.open(photo(tmp_path / "dish.png"))).save(heic)
    assert heic.read_bytes()[4:12] == b"ftypheic"
    out = tmp_path / "o.mp4"
    made = subprocess.run(
        [sys.executable, "-m", "clipcraft", "make", str(fail), "--at", "7", "--after", str(heic),
         "-o", str(out), "--preview", "-q"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert close_to(read_frame(out, 7.0)[480, 270], DISH, tolerance=30)


def test_a_video_after_from_its_start_time(fail: Path, tmp_path: Path) -> None:
    recovery = make_video(tmp_path / "recovery.mp4", width=180, height=320, seconds=5)
    out = tmp_path / "o.mp4"
    args = ("--at", 7, "--after", recovery, "--after-start", 2, "--transition", "cut")
    assert clipcraft("make", fail, *args, "-o", out, "--preview").exit_code == 0
    assert close_to(read_frame(out, 5.5 + 0.2)[480, 400], block_colour(2.2))
    assert close_to(read_frame(out, 5.5 + 1.5)[480, 400], block_colour(3.5))


@pytest.mark.parametrize(
    ("extra", "parts"),
    [
        (("--freeze",), {"fail": 2, "freeze": 1, "after": 1}),
        (("--freeze", "1.5", "--replay"), {"fail": 2, "freeze": 1, "replay": 1, "after": 1}),
        (("--outro", "Your worst fail? 👇"), {"fail": 1, "after": 1, "outro": 1}),
    ],
)
def test_beats_and_outro_fit_inside_the_duration(
    fail: Path, tmp_path: Path, extra: tuple, parts: dict
) -> None:
    dish = photo(tmp_path / "dish.jpg")
    out = tmp_path / "o.mp4"
    args = ("--at", 6, "--after", dish, "--duration", 10, *extra, "-o", out, "--preview")
    plan = plan_of(fail, *args)
    roles = [segment["role"] for segment in plan["segments"]]
    assert {role: roles.count(role) for role in set(roles)} == parts
    assert plan["total_frames"] == 300
    assert clipcraft("make", fail, *args).exit_code == 0
    assert inspect(out).frames == 300


def test_a_freeze_holds_the_moment_and_pushes_in(fail: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.mp4"
    plan = plan_of(fail, "--at", 6.5, "--freeze", "-o", out, "--preview")
    freeze = next(s for s in plan["segments"] if s["role"] == "freeze")
    assert freeze["frames"] == 30 and freeze["zoom"] == [1.0, 1.06]
    assert plan["moment"] == pytest.approx(freeze["start_frame"] / 30)
    assert clipcraft("make", fail, "--at", 6.5, "--freeze", "-o", out, "--preview").exit_code == 0
    first = read_frame(out, (freeze["start_frame"] + 1) / 30)
    last = read_frame(out, (freeze["start_frame"] + 28) / 30)
    assert close_to(first[480, 400], block_colour(6.5)) and close_to(
        last[480, 400], block_colour(6.5)
    )
    assert marker_width(last) < marker_width(first), "it pushes in"


def test_the_budget_explains_itself(fail: Path, tmp_path: Path) -> None:
    dish = photo(tmp_path / "dish.jpg")
    result = clipcraft(
        "make",
        fail,
        "--at",
        5,
        "--after",
        dish,
        "--freeze",
        "--replay",
        "--duration",
        6,
        "-o",
        tmp_path / "o.mp4",
    )
    assert_one_clean_error(
        result, 2, "leaves", "freeze 1.0 s", "replay 3.0 s", "after 2.5 s", "raise --duration"
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--layout", "split"), "needs an after part"),
        (("--after", "nope.jpg"), "no such file"),
    ],
)
def test_after_errors(fail: Path, tmp_path: Path, args: tuple, words: str) -> None:
    result = clipcraft("make", fail, "--at", 5, *args, "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 2, words)


def test_a_sideways_photo_is_probed_upright(tmp_path: Path) -> None:
    dish = photo(tmp_path / "dish.jpg", exif_rotated=True)
    result = clipcraft("probe", dish, "--json")
    assert result.exit_code == 0, result.output
    facts = json.loads(result.stdout)
    assert (facts["width"], facts["height"]) == (360, 640)


def test_a_photo_cut_short_is_one_clean_error(fail: Path, tmp_path: Path) -> None:
    whole = photo(tmp_path / "whole.jpg").read_bytes()
    cut = tmp_path / "dish.jpg"
    cut.write_bytes(whole[: len(whole) // 2])
    result = clipcraft("make", fail, "--at", 5, "--after", cut, "-o", tmp_path / "o.mp4")
    assert_one_clean_error(result, 1, "dish.jpg", "not a photo that can be read")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dish.jpg", "whole.jpg"]
