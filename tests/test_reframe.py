import pytest

from clipcraft.stages.reframe import Reframe, choose_reframe, reframe_filter

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
        "scale=1080:1920:force_original_aspect_ratio=decrease:flags=bicubic,"
        "pad=1080:1920:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1"
    )


def test_blur_fits_the_picture_over_a_small_blurred_darkened_copy() -> None:
    graph = reframe_filter(Reframe("blur", (1920, 1080), PORTRAIT))
    assert graph == (
        "split[bgsrc][fgsrc];"
        "[bgsrc]scale=136:240:force_original_aspect_ratio=increase,crop=136:240,"
        "gblur=sigma=6,eq=brightness=-0.12:saturation=1.15,scale=1080:1920:flags=bilinear[bg];"
        "[fgsrc]scale=1080:1920:force_original_aspect_ratio=decrease:flags=bicubic[fg];"
        "[bg][fg]overlay=(W-w)/2:(H-h)/2,setsar=1"
    )
