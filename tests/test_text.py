"""Caption layout and drawing, checked without any video."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from clipcraft.captions.faces import Faces, Run, split_runs
from clipcraft.captions.font_book import ON_DISK
from clipcraft.captions.text import MIN_CAP_HEIGHT, font_path, layout_caption, render_caption
from clipcraft.errors import UsageError
from clipcraft.planning.caption import entrance, place, safe_zone, share_time
from clipcraft.render.frames import frame_shape, planes, rgb_to_yuv
from clipcraft.render.overlay import Sprite, blend
from clipcraft.settings.platforms import PLATFORMS
from clipcraft.settings.styles import STYLES, find_style

LATIN = frozenset(map(ord, "abcdefghijklmnopqrstuvwxyz ABC!…é"))
FALLBACK = LATIN | frozenset(map(ord, "Жλ"))
EMOJI = frozenset([0x1F35E, 0x1F631, 0x1F468, 0x1F373, 0x2764, 0x1F44D, ord("!")])
SOURDOUGH = "This sourdough nearly went in the bin… but look at it now! 🍞😱"


def test_runs_follow_the_first_face_that_has_each_character() -> None:
    assert split_runs("abc 🍞😱 Жλ!", LATIN, FALLBACK, EMOJI) == [
        Run("abc ", "text"),
        Run("🍞😱", "emoji"),
        Run(" ", "text"),
        Run("Жλ", "fallback"),
        Run("!", "text"),
    ]


def test_emoji_sequences_stay_whole() -> None:
    chef = "\U0001f468\u200d\U0001f373"  # man + ZWJ + cooking = man cook
    thumbs = "\U0001f44d\U0001f3fd"  # thumbs up, medium skin tone
    heart = "\u2764\ufe0f"  # heart with emoji presentation
    runs = split_runs(f"a {chef}{thumbs}{heart}", LATIN, FALLBACK, EMOJI)
    assert runs == [Run("a ", "text"), Run(chef + thumbs + heart, "emoji")]


def test_a_character_no_face_has_is_named_in_the_error() -> None:
    with pytest.raises(UsageError, match=r"漢 \(U\+6F22 CJK UNIFIED IDEOGRAPH-6F22\)"):
        split_runs("ab 漢", LATIN, FALLBACK, EMOJI)


def test_bundled_fonts_cover_accents_and_emoji() -> None:
    style = STYLES["classic"]
    faces = Faces(ON_DISK, font_path(None, style), 80)
    runs = faces.runs("Crème brûlée, jalapeño, smørrebrød 🔥👨‍🍳")
    assert "".join(run.text for run in runs if run.face == "emoji") == "🔥👨‍🍳"
    assert 0x1F525 in ON_DISK.facts(str(font_path("NotoColorEmoji.ttf", style))).cmap


@pytest.mark.parametrize("name", list(STYLES))
def test_every_style_fits_the_reels_safe_zone_at_a_legible_size(name: str) -> None:
    style = STYLES[name]
    zone = safe_zone(PLATFORMS["reels"], 1080, 1920)
    layout = layout_caption(
        SOURDOUGH, style, font_path(None, style), zone.width, zone.height, 1080, ON_DISK
    )
    assert 1 <= len(layout.lines) <= 3
    assert layout.width <= zone.width
    cap = Faces(ON_DISK, font_path(None, style), layout.font_size).cap_height()
    assert cap >= MIN_CAP_HEIGHT
    assert " ".join(layout.lines) == (SOURDOUGH.upper() if style.uppercase else SOURDOUGH)
    for position in ("top", "middle", "bottom"):
        x, y = place(layout.width, layout.height, zone, position)
        assert zone.left <= x and x + layout.width <= zone.right
        assert zone.top <= y and y + layout.height <= zone.bottom


def test_lines_are_balanced_not_left_with_a_lone_word() -> None:
    style = STYLES["subtitle"]
    layout = layout_caption(SOURDOUGH, style, font_path(None, style), 950, 1000, 1080, ON_DISK)
    widths = [
        Faces(ON_DISK, font_path(None, style), layout.font_size).width(line)
        for line in layout.lines
    ]
    assert min(widths) > 0.6 * max(widths)


def test_a_long_caption_shrinks_to_fit_three_lines() -> None:
    style = STYLES["classic"]
    short = layout_caption("Oops!", style, font_path(None, style), 950, 1000, 1080, ON_DISK)
    long_text = "Tried a soufflé for the first time and it collapsed the second the door opened 😭"
    long = layout_caption(long_text, style, font_path(None, style), 950, 1000, 1080, ON_DISK)
    assert long.font_size < short.font_size
    assert len(long.lines) <= 3 and long.width <= 950


def test_two_hundred_characters_fail_with_a_clear_message() -> None:
    style = STYLES["classic"]
    text = (
        "When the recipe said fold in the egg whites gently I did not realise it meant "
        "gently, and now the whole kitchen smells of burnt sugar, the cat is hiding, and "
        "dinner is toast — literally, burnt toast!!"
    )
    assert len(text) >= 200
    with pytest.raises(UsageError, match="does not fit in 3 lines at a legible size"):
        layout_caption(text, style, font_path(None, style), 950, 1000, 1080, ON_DISK)


def test_unknown_style_suggests_the_closest() -> None:
    with pytest.raises(UsageError, match="did you mean banner"):
        find_style("baner")


def test_emoji_are_drawn_in_colour() -> None:
    style = STYLES["classic"]
    layout = layout_caption("🍅🥦", style, font_path(None, style), 950, 1000, 1080, ON_DISK)
    pixels = np.asarray(render_caption(layout, style)).astype(int)
    opaque = pixels[pixels[..., 3] > 200][:, :3]
    saturation = opaque.max(axis=1) - opaque.min(axis=1)
    assert (saturation > 100).mean() > 0.3, "tomato red and broccoli green, not grey"


def test_text_is_drawn_with_its_outline_outside_the_letters() -> None:
    style = STYLES["classic"]
    layout = layout_caption("I", style, font_path(None, style), 950, 1000, 1080, ON_DISK)
    image = np.asarray(render_caption(layout, style)).astype(int)
    row = image[image.shape[0] // 2]
    opaque = np.flatnonzero(row[:, 3] > 250)
    core = row[opaque[len(opaque) // 2]]
    edge = row[opaque[0]]
    assert core[:3].min() > 240, "the middle of the stroke is white"
    assert edge[:3].max() < 60, "the outside is the dark outline"


def i420(width: int, height: int, y: int, u: int, v: int) -> np.ndarray:
    frame = np.empty(frame_shape(width, height), np.uint8)
    for plane, value in zip(planes(frame), (y, u, v), strict=True):
        plane[:] = value
    return frame


def test_colours_convert_to_bt709_limited_range() -> None:
    rgb = np.array([[[255, 255, 255], [0, 0, 0], [255, 0, 0]]], np.uint8)
    y, cb, cr = (np.round(channel[0]).astype(int).tolist() for channel in rgb_to_yuv(rgb))
    assert (y, cb, cr) == ([235, 16, 63], [128, 128, 102], [128, 128, 240])


def test_blending_premultiplied_leaves_no_dark_fringe() -> None:
    """White text at every alpha over a white frame stays white: no dark halo at the edges."""
    ramp = np.zeros((4, 256, 4), np.uint8)
    ramp[..., :3] = 255
    ramp[..., 3] = np.arange(256)
    out = blend(i420(300, 10, 235, 128, 128), Sprite.from_image(Image.fromarray(ramp)), 10, 2)
    y, u, v = planes(out)
    assert y.min() >= 234 and abs(u.astype(int) - 128).max() <= 1
    assert abs(v.astype(int) - 128).max() <= 1


def test_blend_matches_straight_alpha_compositing() -> None:
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, (20, 30, 4), dtype=np.uint8)
    frame = i420(50, 40, 90, 100, 160)
    frame[:40] = rng.integers(16, 236, (40, 50), dtype=np.uint8)  # a textured Y plane
    out = blend(frame.copy(), Sprite.from_image(Image.fromarray(image)), 6, 8)
    alpha = image[..., 3] / 255
    sprite_y = rgb_to_yuv(image[..., :3])[0]
    expected = frame[:40].astype(float)
    expected[8:28, 6:36] = sprite_y * alpha + expected[8:28, 6:36] * (1 - alpha)
    assert np.abs(planes(out)[0] - np.round(expected)).max() <= 1


def test_captions_share_the_fail_part_in_turn() -> None:
    assert share_time(3, 0, 195) == [(0, 65), (65, 130), (130, 195)]
    assert share_time(0, 0, 195) == []


def test_pop_grows_past_full_size_then_settles() -> None:
    scales = [entrance("pop", t / 30)[0] for t in range(8)]
    assert scales[0] == pytest.approx(0.6)
    assert max(scales) > 1.0 and scales[-1] == 1.0
    assert entrance("fade", 0.1) == (1.0, pytest.approx(0.5))
    assert entrance("none", 0.0) == (1.0, 1.0)
