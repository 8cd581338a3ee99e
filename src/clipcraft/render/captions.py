"""The plan's captions laid over the frames: each look drawn once, blended where it shows.

A caption shown whole (`none`, `pop`, `fade`) is one image, and each size of its pop one more.
A caption animated by word is drawn once as parts (text.render_parts): its plate, and each
word's cell of ink — blended in turn as the words come in, each popping in on its own — or, in
karaoke, every word's cell but the one being said, and that one in the highlight colour, a
little larger, over them, the words beside it on its line moved apart by what it grows. Every
look is made into a Sprite the first time it is needed and kept, so a frame costs only blends
over the caption's own area.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image

from clipcraft.captions.text import CaptionParts, Cell, render_caption, render_parts
from clipcraft.planning.plan import Look, Plan, PlannedCaption
from clipcraft.render.overlay import Sprite, blend


class CaptionLayer:
    """The plan's captions, each drawn once, laid over the frames where they show."""

    def __init__(self, plan: Plan) -> None:
        self.fps = plan.format.fps
        self.captions = [Shown(caption) for caption in plan.captions]

    def apply(self, get_frame: Callable[[float], np.ndarray], t: float) -> np.ndarray:
        return self.over(get_frame(t), round(t * self.fps))

    def over(self, frame: np.ndarray, index: int, *, settled: bool = False) -> np.ndarray:
        """`frame` (the output's frame `index`) with the captions showing there; `settled`:
        as they look at rest, every word shown and nothing popping or highlighted (a cover's
        look)."""
        for shown in self.captions:
            if shown.caption.start_frame <= index < shown.caption.end_frame:
                frame = shown.over(frame, index, settled)
        return frame


class Shown:
    """One caption's looks, made as needed and kept: (what, width) → Sprite and its corner."""

    def __init__(self, caption: PlannedCaption) -> None:
        self.caption = caption
        self.looks: dict[tuple[object, int], tuple[Sprite, int, int]] = {}
        self.image: Image.Image | None = None
        self.parts: CaptionParts | None = None
        if caption.words:
            self.parts = render_parts(caption.layout, caption.style)
        else:
            self.image = render_caption(caption.layout, caption.style)

    def over(self, frame: np.ndarray, index: int, settled: bool) -> np.ndarray:
        caption = self.caption
        if self.parts is None:
            assert self.image is not None
            scale, opacity = (1.0, 1.0) if settled else self._entering(index - caption.start_frame)
            whole = (0, 0, self.image.width, self.image.height)
            return self._blend(frame, "whole", self.image, whole, scale, opacity)
        parts = self.parts
        if caption.animation == "karaoke":
            # the word being said is drawn lit and larger *instead of* its plain self, last:
            # the plain word's edge would show past the larger one where it sits off-centre
            # in its cell; the words beside it on its line move apart to keep their spaces
            lit = next(
                (
                    number
                    for number, word in enumerate(caption.words)
                    if not settled and word.start_frame <= index < word.end_frame
                ),
                None,
            )
            scale = caption.style.highlight_scale
            apart = {} if lit is None else self._apart(parts.cells, lit, scale)
            if parts.plate is not None:
                plate = parts.plate
                frame = self._blend(frame, "plate", plate, (0, 0, *plate.size), 1.0, 1.0)
            for number, cell in enumerate(parts.cells):
                if number != lit:
                    shift = apart.get(number, 0)
                    frame = self._blend(frame, number, parts.ink, cell, 1.0, 1.0, shift)
            if lit is not None:
                cell = parts.cells[lit]
                frame = self._blend(frame, ("lit", lit), parts.highlight, cell, scale, 1.0)
            return frame
        if parts.plate is not None:
            plate = parts.plate
            frame = self._blend(frame, "plate", plate, (0, 0, *plate.size), 1.0, 1.0)
        for number, (word, cell) in enumerate(zip(caption.words, parts.cells, strict=True)):
            if settled:
                frame = self._blend(frame, number, parts.ink, cell, 1.0, 1.0)
            elif word.start_frame <= index:
                scale, opacity = self._entering(index - word.start_frame)
                frame = self._blend(frame, number, parts.ink, cell, scale, opacity)
        return frame

    def _entering(self, frames_in: int) -> Look:
        """(scale, opacity) `frames_in` frames after the caption (or a word) appeared."""
        entrance = self.caption.entrance
        return entrance[frames_in] if frames_in < len(entrance) else (1.0, 1.0)

    @staticmethod
    def _apart(cells: tuple[Cell, ...], lit: int, scale: float) -> dict[int, int]:
        """How far (pixels, + right) each other word on the lit word's line moves while it is
        drawn at `scale`: those left of it by what it grows on its left, those right of it by
        what it grows on its right, so its spaces keep their width."""
        left, top, right, _ = cells[lit]
        width = _scaled_size(cells[lit], scale)[0]
        on_left = -((right - left - width) // 2)  # as _blend centres it
        on_right = width - (right - left) - on_left
        return {
            number: -on_left if cell[2] <= left else on_right
            for number, cell in enumerate(cells)
            if number != lit and cell[1] == top
        }

    def _blend(
        self,
        frame: np.ndarray,
        what: object,
        image: Image.Image,
        cell: Cell,
        scale: float,
        opacity: float,
        shift: int = 0,
    ) -> np.ndarray:
        """`cell` of `image` at `scale` of its size, kept centred where it sits full size,
        moved `shift` pixels to the right."""
        left, top, right, bottom = cell
        width, height = _scaled_size(cell, scale)
        key = (what, width)
        if key not in self.looks:
            crop = image.crop(cell) if cell != (0, 0, *image.size) else image
            if scale != 1.0:
                crop = (
                    crop.convert("RGBa")
                    .resize((width, height), Image.Resampling.BICUBIC)
                    .convert("RGBA")
                )
            x = self.caption.x + left + (right - left - width) // 2
            y = self.caption.y + top + (bottom - top - height) // 2
            self.looks[key] = (Sprite.from_image(crop), x, y)
        sprite, x, y = self.looks[key]
        return blend(frame, sprite, x + shift, y, opacity)


def _scaled_size(cell: Cell, scale: float) -> tuple[int, int]:
    """The size a cell is drawn at, `scale` times its own (at least 2 pixels a side)."""
    left, top, right, bottom = cell
    return max(2, round((right - left) * scale)), max(2, round((bottom - top) * scale))
