"""Blending pre-rendered caption images into I420 frames, touching only their box.

A caption is converted once to Y, U, V and kept premultiplied (colour × alpha), its chroma and
alpha averaged to the half-resolution grid yuv420p uses; each frame then costs one
multiply-add per plane over the caption's own rectangle, in uint16 with exact rounding:
out = (colour·α + frame·(255 − α)) / 255. Premultiplying also means antialiased edges blend to
the right colour, with no dark fringe.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from clipcraft.render.frames import half, planes, rgb_to_yuv


@dataclass(frozen=True)
class Layer:
    """One plane of a sprite: colour·α and 255 − α as uint16."""

    colour: np.ndarray
    keep: np.ndarray


@dataclass(frozen=True)
class Sprite:
    """A caption ready to blend, cropped to where α > 0 on the even (chroma) grid.

    `left` and `top` are where the crop starts inside the original image.
    """

    y: Layer
    u: Layer
    v: Layer
    left: int
    top: int

    @classmethod
    def from_image(cls, image: Image.Image) -> Sprite:
        rgba = image.convert("RGBA")
        left, top, right, bottom = rgba.getchannel("A").getbbox() or (0, 0, 2, 2)
        left, top = left // 2 * 2, top // 2 * 2
        right, bottom = min(-(-right // 2) * 2, rgba.width), min(-(-bottom // 2) * 2, rgba.height)
        pixels = np.asarray(rgba.crop((left, top, right, bottom)), dtype=np.float32)
        alpha = pixels[..., 3]
        y, cb, cr = rgb_to_yuv(pixels[..., :3])
        chroma_alpha = half(alpha)
        return cls(
            _layer(y * alpha, alpha),
            _layer(half(cb * alpha), chroma_alpha),
            _layer(half(cr * alpha), chroma_alpha),
            left,
            top,
        )


def _layer(premultiplied: np.ndarray, alpha: np.ndarray) -> Layer:
    return Layer(
        np.round(premultiplied).astype(np.uint16), (255 - np.round(alpha)).astype(np.uint16)
    )


def blend(frame: np.ndarray, sprite: Sprite, x: int, y: int, opacity: float = 1.0) -> np.ndarray:
    """`frame` with `sprite` (its image's corner at x, y) laid over it; what falls outside the
    frame is dropped. Writes into `frame` when it is writeable, else into a copy."""
    out = frame if frame.flags.writeable else frame.copy()
    left, top = (x + sprite.left) // 2 * 2, (y + sprite.top) // 2 * 2
    for plane, layer, scale in zip(
        planes(out), (sprite.y, sprite.u, sprite.v), (1, 2, 2), strict=True
    ):
        _blend_plane(plane, layer, left // scale, top // scale, opacity)
    return out


def _blend_plane(plane: np.ndarray, layer: Layer, x: int, y: int, opacity: float) -> None:
    height, width = layer.keep.shape
    top, left = max(y, 0), max(x, 0)
    bottom, right = min(y + height, plane.shape[0]), min(x + width, plane.shape[1])
    if top >= bottom or left >= right:
        return
    rows, cols = slice(top - y, bottom - y), slice(left - x, right - x)
    keep, colour = layer.keep[rows, cols], layer.colour[rows, cols]
    if opacity < 1.0:
        level = round(opacity * 256)
        colour = (colour * level) >> 8
        keep = 255 - (((255 - keep) * level) >> 8)
    region = plane[top:bottom, left:right]
    mixed = region * keep  # uint16; in-place steps below avoid whole-box temporaries
    mixed += colour
    mixed += 128
    mixed += mixed >> 8
    mixed >>= 8  # with the two lines above: exact rounding of ÷ 255
    region[...] = mixed
