"""Frames as I420 (yuv420p) arrays: the planes, colour conversion, and how frames meet.

Frames travel from the decoder to the encoder as yuv420p, the format both sides use, so no
frame is converted to RGB and back: a frame is one (height × 3/2, width) uint8 array — the
Y plane, then the U and V planes packed below it, as I420 is laid out in memory. Colours
are BT.709 in limited range, which the decoder produces and the encoder tags.
"""

from __future__ import annotations

import numpy as np


def frame_shape(width: int, height: int) -> tuple[int, int]:
    return height * 3 // 2, width


def planes(frame: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Views of the Y (h×w), U and V (h/2×w/2) planes of an I420 frame."""
    height, width = frame.shape[0] * 2 // 3, frame.shape[1]
    chroma = (height // 2, width // 2)
    flat = frame.reshape(-1)
    luma = width * height
    quarter = luma // 4
    return (
        flat[:luma].reshape(height, width),
        flat[luma : luma + quarter].reshape(chroma),
        flat[luma + quarter : luma + 2 * quarter].reshape(chroma),
    )


def from_planes(y: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    height, width = y.shape
    return np.concatenate([y.reshape(-1), u.reshape(-1), v.reshape(-1)]).reshape(
        height * 3 // 2, width
    )


def black(width: int, height: int) -> np.ndarray:
    frame = np.empty(frame_shape(width, height), np.uint8)
    y, u, v = planes(frame)
    y[:] = 16
    u[:] = v[:] = 128
    return frame


def rgb_to_yuv(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Full-resolution Y, Cb, Cr (float) of an RGB image, BT.709 limited range."""
    r, g, b = (rgb[..., i].astype(np.float32) for i in range(3))
    y = 16 + (219 / 255) * (0.2126 * r + 0.7152 * g + 0.0722 * b)
    cb = 128 + (224 / 255) * (-0.114572 * r - 0.385428 * g + 0.5 * b)
    cr = 128 + (224 / 255) * (0.5 * r - 0.454153 * g - 0.045847 * b)
    return y, cb, cr


def half(plane: np.ndarray) -> np.ndarray:
    """Average each 2×2 block (what yuv420p keeps of the chroma)."""
    height, width = plane.shape[0] // 2 * 2, plane.shape[1] // 2 * 2
    cropped = plane[:height, :width]
    return (
        cropped[0::2, 0::2] + cropped[1::2, 0::2] + cropped[0::2, 1::2] + cropped[1::2, 1::2]
    ) / 4


def flash(frame: np.ndarray, weight: float) -> np.ndarray:
    """The frame lifted towards white by `weight` (0–1)."""
    out = frame.copy()
    for plane, target in zip(planes(out), (235, 128, 128), strict=True):
        lifted = plane.astype(np.float32)
        plane[:] = np.clip(lifted + (target - lifted) * weight, 0, 255).astype(np.uint8)
    return out


def mix(kind: str, outgoing: np.ndarray, incoming: np.ndarray, progress: float) -> np.ndarray:
    """Two frames part way through a transition (progress 0 → 1)."""
    if kind == "crossfade":
        blended = outgoing.astype(np.float32) * (1 - progress) + incoming * progress
        return blended.astype(np.uint8)
    pairs = zip(planes(outgoing), planes(incoming), strict=True)
    if kind == "slide":
        return from_planes(*(_slide(a, b, progress) for a, b in pairs))
    if kind == "wipe":
        return from_planes(*(_wipe(a, b, progress) for a, b in pairs))
    return incoming


WIPE_SOFTNESS = 24
"""Pixels (at full width) over which a wipe's edge blends."""


def _slide(outgoing: np.ndarray, incoming: np.ndarray, progress: float) -> np.ndarray:
    shift = round(progress * outgoing.shape[1])
    return np.hstack([outgoing[:, shift:], incoming[:, :shift]])


def _wipe(outgoing: np.ndarray, incoming: np.ndarray, progress: float) -> np.ndarray:
    width = outgoing.shape[1]
    softness = WIPE_SOFTNESS * width / 1080
    edge = progress * (width + softness) - softness
    ramp = np.clip((edge - np.arange(width)) / softness + 1, 0, 1)[None, :]
    return (outgoing * (1 - ramp) + incoming * ramp).astype(np.uint8)


def stack(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """One frame with `top` above `bottom` (each an I420 frame of the full width)."""
    return from_planes(*(np.vstack(pair) for pair in zip(planes(top), planes(bottom), strict=True)))
