"""Never stretched: footage with non-square pixels comes out as every player shows it."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from clipcraft.media.probe import displayed_size, parse_banner
from clipcraft.planning.reframe import Reframe, Stored, reframe_filter

from helpers import clipcraft
from media import ffmpeg, read_frame

pytestmark = pytest.mark.media  # every test here makes or reads media

RADIUS = 60
"""Of the disc drawn in the source, in displayed pixels."""


def anamorphic_clip(path: Path, size: tuple[int, int], sar: Fraction, rotation: int = 0) -> Path:
    """A clip stored at `size` with pixels of shape `sar` and a disc that a player shows round.

    Displayed, a stored pixel is `sar` wide for 1 tall: the disc's stored radii are
    RADIUS / sar across and RADIUS down, on a light ground.
    """
    width, height = size
    across, down = float(RADIUS / sar), RADIUS
    disc = f"lt(pow((X-{width / 2})/{across},2)+pow((Y-{height / 2})/{down},2),1)"
    stored = path.with_name(path.stem + ".stored.mp4")
    ffmpeg(
        "-f", "lavfi", "-i", f"color=c=white:s={width}x{height}:r=30:d=2",
        "-vf", f"format=gray,geq=lum='if({disc},30,225)',format=yuv420p,"
        f"setsar={sar.numerator}/{sar.denominator}",
        "-c:v", "libx264", "-preset", "ultrafast", stored,
    )  # fmt: skip
    ffmpeg("-display_rotation", rotation, "-i", stored, "-c", "copy", path)
    stored.unlink()
    return path


def extent(line: np.ndarray) -> int:
    """How many pixels the dark run through the middle of `line` spans."""
    middle = len(line) // 2
    dark = line < 128
    assert dark[middle], "the disc is not in the middle of the frame"
    left = middle - np.argmin(dark[middle::-1])
    right = middle + np.argmin(dark[middle:])
    return int(right - left)


def test_probe_applies_the_pixel_shape_as_players_do() -> None:
    banner = (
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'dv.mp4':\n"
        "  Duration: 00:00:02.00, start: 0.000000, bitrate: 200 kb/s\n"
        "  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive),"
        " 640x360 [SAR 2:3 DAR 32:27], 740 kb/s, 25 fps, 25 tbr, 12800 tbn (default)\n"
    )
    info = parse_banner("dv.mp4", banner)
    assert (info.width, info.height, info.sample_aspect) == (640, 540, "2:3")
    assert Fraction(info.width, info.height) == Fraction(32, 27)
    square = parse_banner("sq.mp4", banner.replace("[SAR 2:3 DAR 32:27]", "[SAR 1:1 DAR 16:9]"))
    assert (square.width, square.height, square.square_pixels) == (640, 360, True)
    assert displayed_size(720, 480, Fraction(32, 27)) == (854, 480), "wide pixels widen"


def test_anamorphic_pixels_are_made_square_before_the_reframe() -> None:
    graph = reframe_filter(Reframe("pad", (640, 540), (1080, 1920), Stored(square_pixels=False)))
    assert graph.startswith("scale=640:540:flags=bicubic,setsar=1,scale=1080:1920")
    assert "scale=640:540" not in reframe_filter(Reframe("pad", (640, 540), (1080, 1920)))


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("anamorphic")
    return {
        "2:3": anamorphic_clip(folder / "tall-pixels.mp4", (640, 360), Fraction(2, 3)),
        "4:3": anamorphic_clip(folder / "wide-pixels.mp4", (480, 360), Fraction(4, 3)),
        "2:3 turned": anamorphic_clip(
            folder / "tall-turned.mp4", (640, 360), Fraction(2, 3), rotation=90
        ),
    }


def test_probe_json_reports_the_shape_as_displayed(clips: dict[str, Path]) -> None:
    result = clipcraft("probe", clips["2:3 turned"], "--json")
    facts = json.loads(result.stdout)
    assert (facts["width"], facts["height"], facts["sample_aspect"]) == (540, 640, "2:3")


@pytest.mark.parametrize("fit", ["crop", "blur", "pad"])
@pytest.mark.parametrize("clip", ["2:3", "4:3", "2:3 turned"])
def test_a_circle_stays_round_through_every_fit(
    clips: dict[str, Path], tmp_path: Path, clip: str, fit: str
) -> None:
    out = tmp_path / "out.mp4"
    result = clipcraft(
        "make", clips[clip], "--start", 0, "--end", 1, "--fit", fit, "--preview", "-o", out
    )
    assert result.exit_code == 0, result.output
    grey = read_frame(out, 0.5).mean(axis=2)
    assert grey.shape == (960, 540)
    across, down = extent(grey[480]), extent(grey[:, 270])
    assert abs(across / down - 1) < 0.04, f"the disc is {across}×{down}: stretched"
    if fit == "pad" and clip == "2:3":
        picture_rows = int((grey[:, 270] > 16).sum())
        assert abs(picture_rows - 540 * 27 / 32) <= 4, "32:27 inside the padded frame"


def test_a_freeze_frame_of_anamorphic_footage_is_round_too(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "freeze.mp4"
    result = clipcraft(
        "make", clips["2:3 turned"], "--start", 0, "--end", 1.5, "--at", 0.5,
        "--freeze", 1, "--preview", "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    grey = read_frame(out, 0.9).mean(axis=2)  # held from 0.5 s to 1.5 s
    across, down = extent(grey[480]), extent(grey[:, 270])
    assert abs(across / down - 1) < 0.04, f"the frozen disc is {across}×{down}"
