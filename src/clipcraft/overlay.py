"""Blending pre-rendered caption images into frames with numpy, touching only their box.

A caption is kept premultiplied (colour × alpha) so each frame costs one multiply-add over
the caption's own rectangle: out = (colour·α + frame·(255 − α)) / 255, all in uint16 (the
sum never passes 255·255). Premultiplying also means antialiased edges blend to the right
colour, with no dark fringe.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

POP_SECONDS = 0.22
FADE_SECONDS = 0.2


@dataclass(frozen=True)
class Sprite:
    """A caption ready to blend: colour·α and 255 − α as uint16, cropped to where α > 0.

    `left` and `top` are where the crop starts inside the original image.
    """

    colour: np.ndarray
    keep: np.ndarray
    left: int
    top: int

    @classmethod
    def from_image(cls, image: Image.Image) -> Sprite:
        rgba = image.convert("RGBA")
        box = rgba.getchannel("A").getbbox() or (0, 0, 1, 1)
        pixels = np.asarray(rgba.crop(box), dtype=np.uint16)
        alpha = pixels[..., 3:4]
        return cls(pixels[..., :3] * alpha, 255 - alpha, box[0], box[1])


def blend(frame: np.ndarray, sprite: Sprite, x: int, y: int, opacity: float = 1.0) -> np.ndarray:
    """`frame` with `sprite` (its image's corner at x, y) laid over it; what falls outside the
    frame is dropped."""
    x, y = x + sprite.left, y + sprite.top
    height, width = sprite.keep.shape[:2]
    top, left = max(y, 0), max(x, 0)
    bottom, right = min(y + height, frame.shape[0]), min(x + width, frame.shape[1])
    if top >= bottom or left >= right:
        return frame
    out = frame if frame.flags.writeable else frame.copy()
    rows, cols = slice(top - y, bottom - y), slice(left - x, right - x)
    keep, colour = sprite.keep[rows, cols], sprite.colour[rows, cols]
    if opacity < 1.0:
        level = round(opacity * 256)
        colour = (colour * level) >> 8
        keep = 255 - (((255 - keep) * level) >> 8)
    region = out[top:bottom, left:right]
    mixed = region * keep  # uint16; in-place steps below avoid whole-box temporaries
    mixed += colour
    mixed += 128
    mixed += mixed >> 8
    mixed >>= 8  # with the two lines above: exact rounding of ÷ 255
    region[...] = mixed
    return out


def entrance(animation: str, seconds_in: float) -> tuple[float, float]:
    """(scale, opacity) of a caption `seconds_in` after it appears."""
    if animation == "pop" and seconds_in < POP_SECONDS:
        progress = seconds_in / POP_SECONDS
        overshoot = 1.70158  # an ease-out-back: grows past full size, then settles
        eased = 1 + (overshoot + 1) * (progress - 1) ** 3 + overshoot * (progress - 1) ** 2
        return 0.6 + 0.4 * eased, min(1.0, progress * 3)
    if animation == "fade" and seconds_in < FADE_SECONDS:
        return 1.0, seconds_in / FADE_SECONDS
    return 1.0, 1.0
