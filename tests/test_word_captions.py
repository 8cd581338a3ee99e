"""Captions animated by word, on made clips: revealed in turn, highlighted in turn, and a
WebVTT cue's inline times honoured to the frame."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from helpers import clipcraft, plan_of
from media import make_video, read_frame

pytestmark = pytest.mark.media

CAPTION = "oh no not the pancake"
COMMON = ("--at", 2, "--duration", 3, "--preview", "--style", "classic")


@pytest.fixture(scope="module")
def footage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("words") / "flip.mp4", seconds=5)


@pytest.fixture(scope="module")
def plain(footage: Path) -> Path:
    out = footage.with_name("plain.mp4")
    assert clipcraft("make", footage, *COMMON, "-o", out).exit_code == 0
    return out


def frame(path: Path, index: int) -> np.ndarray:
    return read_frame(path, (index + 0.5) / 30).astype(int)


def changed(path: Path, plain: Path, index: int) -> np.ndarray:
    """Where the caption changed the frame `index`."""
    return np.abs(frame(path, index) - frame(plain, index)).max(axis=2) > 24


def made(footage: Path, out: Path, *args: object) -> dict:
    result = clipcraft("make", footage, *COMMON, *args, "-o", out)
    assert result.exit_code == 0, result.output
    return plan_of(footage, *COMMON, *args, "-o", out.with_name("x.mp4"))["captions"][0]


def test_words_appear_one_after_another_without_reflowing(
    footage: Path, plain: Path, tmp_path: Path
) -> None:
    caption = made(footage, tmp_path / "w.mp4", "--caption", CAPTION, "--caption-anim", "words")
    words = caption["words"]
    assert [w["text"] for w in words] == CAPTION.split()
    masks = [changed(tmp_path / "w.mp4", plain, w["start_frame"] + 7) for w in words]
    areas = [int(mask.sum()) for mask in masks]
    assert all(a < b for a, b in itertools.pairwise(areas)), areas
    kept = (masks[0] & masks[-1]).sum() / masks[0].sum()
    assert kept > 0.9, "the first word stays where it was drawn"


def test_karaoke_moves_the_highlight_from_word_to_word(
    footage: Path, plain: Path, tmp_path: Path
) -> None:
    out = tmp_path / "k.mp4"
    caption = made(footage, out, "--caption", "one two three", "--caption-anim", "karaoke")
    centres = []
    for word in caption["words"]:
        index = (word["start_frame"] + word["end_frame"]) // 2
        picture = frame(out, index)
        red, green, blue = picture[..., 0], picture[..., 1], picture[..., 2]
        yellow = (red > 200) & (green > 170) & (blue < 90) & changed(out, plain, index)
        assert yellow.sum() > 50, f"{word['text']} is highlighted"
        centres.append(np.flatnonzero(yellow.any(axis=0)).mean())
    assert centres == sorted(centres) and centres[-1] - centres[0] > 60


def test_a_vtt_cues_inline_times_show_each_word_on_its_frame(
    footage: Path, plain: Path, tmp_path: Path
) -> None:
    vtt = tmp_path / "cues.vtt"
    vtt.write_text(
        "WEBVTT\n\n00:00:02.000 --> 00:00:04.500\n"
        "<00:00:02.000>one <00:00:02.600>two <00:00:03.300>three\n"
    )
    out = tmp_path / "v.mp4"
    caption = made(footage, out, "--captions", vtt, "--caption-anim", "words")
    starts = [w["start_frame"] for w in caption["words"]]
    first = caption["start_frame"]
    assert starts == [first, first + 18, first + 39], "0.6 s and 1.3 s after the cue, in frames"
    for start in starts[1:]:
        before, at = changed(out, plain, start - 1).sum(), changed(out, plain, start).sum()
        assert at > before + 20, f"a word arrives on frame {start}, not before"


def test_a_cover_shows_every_word_even_while_the_clip_is_still_revealing_them(
    footage: Path, plain: Path, tmp_path: Path
) -> None:
    out = tmp_path / "c.mp4"
    args = ("--caption", CAPTION, "--caption-anim", "words", "--cover")
    caption = made(footage, out, *args)
    moment = round(plan_of(footage, *COMMON, *args, "-o", tmp_path / "x.mp4")["moment"] * 30)
    whole = changed(out, plain, caption["words"][-1]["start_frame"] + 7).sum()
    revealed = changed(out, plain, moment).sum()
    assert revealed < 0.8 * whole, "at the moment the clip is still revealing the words"
    cover = np.asarray(Image.open(out.with_suffix(".jpg")).convert("RGB")).astype(int)
    on_cover = (np.abs(cover - frame(plain, moment)).max(axis=2) > 24).sum()
    assert on_cover > 0.9 * whole, "the cover shows the caption whole"
    assert on_cover < 1.2 * whole, "and nothing else changed"
