"""Karaoke keeps its spaces: the word being said is drawn larger, and the words beside it move
apart, so the space between its letters and theirs is never narrower than at rest, and its
ink never touches theirs ("thewizard with" in the speech contact sheet).

Each word's frame is drawn over black and over white: where the two agree the caption is
opaque, and where it is opaque and light it is a letter (not its outline; a shadow or a
translucent box is see-through). The comic style's box is opaque and light, so all of it would
count: it is left out here.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_plan import plan

from clipcraft.planning.plan import Plan
from clipcraft.render.captions import CaptionLayer
from clipcraft.render.frames import frame_shape, planes, rgb_to_yuv
from clipcraft.settings.styles import STYLES

TEXTS = ("the wizard with vanished behind", "he began confused complaint against")
NONE = 10**6


class Frames:
    """A plan's captions, drawn once, laid over plain frames."""

    def __init__(self, made: Plan) -> None:
        self.format, self.layer = made.format, CaptionLayer(made)

    def yuv(self, index: int, luma: int, settled: bool = False) -> np.ndarray:
        """Frame `index` over a grey level `luma` (`settled`: as a cover shows it, no word
        lit), as Y, U and V (the chroma repeated to full size)."""
        frame = np.full(frame_shape(self.format.width, self.format.height), 128, np.uint8)
        planes(frame)[0][...] = luma
        y, u, v = planes(self.layer.over(frame, index, settled=settled))
        chroma = (plane.repeat(2, axis=0).repeat(2, axis=1) for plane in (u, v))
        return np.stack([y, *chroma]).astype(int)

    def letters(self, index: int, rows: slice, settled: bool = False) -> np.ndarray:
        """Where letters are on `rows` of frame `index`: opaque and light."""
        dark, light = (self.yuv(index, luma, settled)[:, rows] for luma in (16, 235))
        return np.asarray((np.abs(dark[0] - light[0]) <= 2) & (dark[0] > 60))


def space(columns: np.ndarray, start: int, step: int) -> int:
    """From a letter's column `start`, past its own edge, how many empty columns there are
    before the next ink (NONE when there is none)."""
    at = start
    while 0 <= at < len(columns) and columns[at]:
        at += step
    empty = 0
    while 0 <= at < len(columns) and not columns[at]:
        at, empty = at + step, empty + 1
    return empty if 0 <= at < len(columns) else NONE


@pytest.mark.parametrize("style", sorted(set(STYLES) - {"comic"}))
@pytest.mark.parametrize("text", TEXTS)
def test_the_lit_word_keeps_its_spaces(style: str, text: str) -> None:
    settings = {"caption": (text,), "captions.animation": "karaoke", "captions.style": style}
    made = plan({"trim.at": 7.0, **settings})
    (caption,) = made.captions
    frames = Frames(made)
    (shown,) = frames.layer.captions
    assert shown.parts is not None
    _, cb, cr = rgb_to_yuv(np.array([caption.style.highlight[:3]]))
    for word, (left, top, right, bottom) in zip(caption.words, shown.parts.cells, strict=True):
        rows = slice(caption.y + top, caption.y + bottom)  # the word's line
        left, right = caption.x + left, caption.x + right
        at_rest = np.asarray(frames.letters(word.start_frame, rows, settled=True).any(axis=0))
        inked = frames.letters(word.start_frame, rows)
        said_columns = np.asarray(inked.any(axis=0))
        colour = frames.yuv(word.start_frame, 16)[1:, rows]
        highlit = inked & (np.hypot(colour[0] - cb[0], colour[1] - cr[0]) < 12)
        lit = np.flatnonzero(highlit[:, left - 40 : right + 40].any(axis=0)) + left - 40
        own = np.flatnonzero(at_rest[left:right]) + left
        for side, (now, rest, step) in {
            "left": (lit[0], own[0], -1),
            "right": (lit[-1], own[-1], 1),
        }.items():
            said, kept = space(said_columns, now, step), space(at_rest, rest, step)
            if kept != NONE:  # a word beside it on its line
                assert said >= kept - 1 and said > 0, (
                    f"{style}: {word.text!r} said, the space on its {side} is {said} px "
                    f"against {kept} at rest"
                )
