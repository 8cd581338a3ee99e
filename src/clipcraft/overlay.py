"""Blending pre-rendered caption images into frames with numpy, touching only their box.

A caption is kept premultiplied (colour × alpha) so each frame costs one multiply-add over
the caption's own rectangle: out = caption + frame × (1 − alpha). Premultiplying also means
antialiased edges blend to the right colour, with no dark fringe.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

POP_SECONDS = 0.22
FADE_SECONDS = 0.2


@dataclass(frozen=True)
class Sprite:
    """A caption image ready to blend: premultiplied colour and 1 − alpha, both float32."""

    colour: np.ndarray
    keep: np.ndarray

    @classmethod
    def from_image(cls, image: Image.Image) -> Sprite:
        rgba = np.asarray(image.convert("RGBA"), dtype=np.float32)
        alpha = rgba[..., 3:4] / 255.0
        return cls(rgba[..., :3] * alpha, 1.0 - alpha)


def blend(frame: np.ndarray, sprite: Sprite, x: int, y: int, opacity: float = 1.0) -> np.ndarray:
    """`frame` with `sprite` laid over it at (x, y); parts outside the frame are dropped."""
    height, width = sprite.keep.shape[:2]
    top, left = max(y, 0), max(x, 0)
    bottom, right = min(y + height, frame.shape[0]), min(x + width, frame.shape[1])
    if top >= bottom or left >= right:
        return frame
    out = frame if frame.flags.writeable else frame.copy()
    rows, cols = slice(top - y, bottom - y), slice(left - x, right - x)
    region = out[top:bottom, left:right].astype(np.float32)
    keep = sprite.keep[rows, cols]
    colour = sprite.colour[rows, cols]
    if opacity < 1.0:
        keep = 1.0 - (1.0 - keep) * opacity
        colour = colour * opacity
    out[top:bottom, left:right] = np.clip(colour + region * keep + 0.5, 0, 255).astype(np.uint8)
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
