from typing import Literal

import numpy as np
import pytest

from clipcraft.media.ffmpeg import ffmpeg_command, run_ffmpeg
from clipcraft.planning.follow import CropKey
from clipcraft.planning.reframe import Reframe, Stored, choose_reframe, reframe_filter
from clipcraft.planning.stabilize import Steadying, SteadyKey

PORTRAIT = (1080, 1920)


@pytest.mark.parametrize(
    ("source", "mode"),
    [
        ((1080, 1920), "crop"),
        ((720, 1280), "crop"),
        ((1440, 1920), "crop"),
        ((1920, 1080), "blur"),
        ((1080, 1080), "blur"),
        ((3840, 2160), "blur"),
    ],
)
def test_auto_crops_close_shapes_and_blurs_far_ones(source: tuple, mode: str) -> None:
    assert choose_reframe(source, PORTRAIT, "auto").mode == mode


def test_an_explicit_fit_is_kept() -> None:
    assert choose_reframe((1920, 1080), PORTRAIT, "crop").mode == "crop"
    assert choose_reframe((1080, 1920), PORTRAIT, "pad").mode == "pad"


@pytest.mark.parametrize(
    ("source", "box"),
    [
        ((1440, 1920), (1080, 1920, 180, 0)),
        ((1080, 1920), (1080, 1920, 0, 0)),
        ((1080, 2400), (1080, 1920, 0, 240)),
        ((1920, 1080), (608, 1080, 656, 0)),
    ],
)
def test_crop_box_is_centred_with_the_target_shape(source: tuple, box: tuple) -> None:
    assert Reframe("crop", source, PORTRAIT).crop_box() == box


def test_crop_happens_before_the_scale() -> None:
    assert reframe_filter(Reframe("crop", (1440, 1920), PORTRAIT)) == (
        "crop=1080:1920:180:0,scale=1080:1920:flags=bicubic,setsar=1"
    )


def test_pad_fits_inside_and_centres_on_black() -> None:
    assert reframe_filter(Reframe("pad", (1920, 1080), PORTRAIT)) == (
        "scale=1080:1920:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bicubic,"
        "pad=1080:1920:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1"
    )


def test_blur_fits_the_picture_over_a_small_blurred_darkened_copy() -> None:
    graph = reframe_filter(Reframe("blur", (1920, 1080), PORTRAIT))
    assert graph == (
        "scale=1080:1920:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bicubic,"
        "split[bgsrc][fg];"
        "[bgsrc]scale=136:240:force_original_aspect_ratio=increase,crop=136:240,"
        "gblur=sigma=6,eq=brightness=-0.12:saturation=1.15,scale=1080:1920:flags=bilinear[bg];"
        "[bg][fg]overlay=(W-w)/2:(H-h)/2,setsar=1"
    )


def test_a_turned_picture_is_reframed_as_stored_and_turned_once_small() -> None:
    """A 4K clip held upright: cropped and scaled sideways, turned at 1080×1920, then the
    caller's steps (tone mapping) on the small upright picture."""
    stored = Stored(turn=90)
    reframe = Reframe("crop", (2160, 3840), PORTRAIT, stored)
    assert reframe_filter(reframe, upright=["TONEMAP"]) == (
        "crop=3840:2160:0:0,scale=1920:1080:flags=bicubic,transpose=clock,TONEMAP,setsar=1"
    )
    landscape = Reframe("pad", (1080, 1920), (1920, 1080), Stored(turn=270))
    assert reframe_filter(landscape) == (
        "scale=1080:1920:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bicubic,"
        "transpose=cclock,"
        "pad=1920:1080:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1"
    )
    upside_down = Reframe("crop", (1920, 1080), PORTRAIT, Stored(turn=180))
    assert reframe_filter(upside_down) == (
        "crop=608:1080:656:0,scale=1080:1920:flags=bicubic,hflip,vflip,setsar=1"
    )


@pytest.mark.parametrize("turn", [90, 270])
def test_a_quarter_turn_crops_the_same_picture_as_stored(turn: int) -> None:
    upright = Reframe("crop", (1080, 1440), (1080, 1080), Stored(turn=turn))
    width, height, x, y = upright.crop_box()
    sideways = upright.as_stored().crop_box()
    assert sideways == (height, width, y, x), "the centred box, transposed"


@pytest.mark.media
def test_a_long_steadied_follow_path_is_a_filter_ffmpeg_takes() -> None:
    """Ten seconds of a window moving every frame (300 keys on each axis, steadied and
    following): ffmpeg configures the graph and crops every frame (a flat sum of more than
    about 90 terms it refuses)."""
    keys = tuple(SteadyKey(i / 30, (i * 7) % 9 - 4, (i * 5) % 7 - 3) for i in range(300))
    path = tuple(CropKey(i / 30, 100 + (i % 50), 4) for i in range(300))
    reframe = Reframe("follow", (632, 352), (180, 320), path=path, steady=Steadying((4, 4), keys))
    graph = reframe_filter(reframe)
    run_ffmpeg(
        ffmpeg_command(
            "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=10",
            "-vf", graph, "-f", "null", "-",
        ),
        "cropping along a long path",
    )  # fmt: skip


STORE = {0: "null", 90: "transpose=cclock", 180: "hflip,vflip", 270: "transpose=clock"}
"""How an upright picture is stored for each turn that UPRIGHT_TURNS undoes."""


@pytest.mark.media
@pytest.mark.parametrize("mode", ["crop", "pad"])
def test_a_steadied_picture_stored_turned_is_the_upright_one(mode: Literal["crop", "pad"]) -> None:
    """The steadying window moves over the picture as displayed: footage stored turned by
    any quarter comes out pixel for pixel (in brightness: yuv420p sites its colour
    differently once turned) as the same footage stored upright."""
    keys = tuple(SteadyKey(i / 10, (i * 3) % 7 - 3, (i * 5) % 5 - 2) for i in range(10))
    steadying = Steadying((4, 2), keys)
    frames = {}
    for turn, store in STORE.items():
        reframe = Reframe(mode, (312, 176), (90, 160), Stored(turn), steady=steadying)
        raw = run_ffmpeg(
            ffmpeg_command(
                "-loglevel", "error", "-f", "lavfi",
                "-i", f"testsrc2=s=320x180:r=10:d=1,format=yuv420p,{store}",
                "-vf", f"{reframe_filter(reframe)},format=gray", "-f", "rawvideo", "pipe:1",
            ),
            f"steadying a picture stored turned {turn}",
        )  # fmt: skip
        frames[turn] = np.frombuffer(raw, np.uint8)
    assert len(frames[0]) == 10 * 90 * 160
    for turn in (90, 180, 270):
        assert np.abs(frames[turn].astype(int) - frames[0]).max() <= 2, turn
