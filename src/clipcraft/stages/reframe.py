"""Fitting footage of any shape into the platform's frame, as an ffmpeg filter chain.

The decision (crop, blur or pad, and the crop box) is a pure function of the two shapes; the
filter text is compiled from it so that ffmpeg crops and scales before frames ever reach
Python, which is far cheaper than doing it on full-size numpy frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from clipcraft.recipe import Fit
from clipcraft.units import round_even

CROP_KEEPS_AT_LEAST = 0.7
"""`auto` crops when the crop keeps this share of the picture, else fits over a blurred copy."""

BLUR_SHRINK = 8
"""The blurred background is drawn at 1/8 size and scaled up: blurry anyway, and cheap."""


@dataclass(frozen=True)
class Reframe:
    """How a source of `source` size (as displayed) fills a `target` frame."""

    mode: Literal["crop", "blur", "pad"]
    source: tuple[int, int]
    target: tuple[int, int]
    square_pixels: bool = True
    """False for anamorphic footage, whose decoded pixels are scaled to `source` first."""

    def crop_box(self) -> tuple[int, int, int, int]:
        """(width, height, x, y) of the centred region of the source with the target's shape."""
        (sw, sh), (tw, th) = self.source, self.target
        if sw * th > tw * sh:  # source is wider than the target: trim the sides
            width, height = round_even(sh * tw / th), sh
        else:
            width, height = sw, round_even(sw * th / tw)
        return width, height, (sw - width) // 2, (sh - height) // 2


def choose_reframe(
    source: tuple[int, int], target: tuple[int, int], fit: Fit, *, square_pixels: bool = True
) -> Reframe:
    """Resolve `auto`: crop when shapes are close, else fit the whole picture over its blur."""
    if fit != "auto":
        return Reframe(fit, source, target, square_pixels)
    source_aspect, target_aspect = source[0] / source[1], target[0] / target[1]
    kept = min(source_aspect, target_aspect) / max(source_aspect, target_aspect)
    mode = "crop" if kept >= CROP_KEEPS_AT_LEAST else "blur"
    return Reframe(mode, source, target, square_pixels)


def reframe_filter(reframe: Reframe, scaler: str = "bicubic") -> str:
    """The ffmpeg filter graph (one input, one output) that performs `reframe`.

    `scaler` names swscale's filter: bicubic keeps a final render sharp; bilinear costs a
    quarter less where speed matters more (a preview).
    """
    width, height = reframe.target
    shown_width, shown_height = reframe.source
    square = (
        ""
        if reframe.square_pixels
        else f"scale={shown_width}:{shown_height}:flags={scaler},setsar=1,"
    )
    fitted = f"scale={width}:{height}:force_original_aspect_ratio=decrease:flags={scaler}"
    if reframe.mode == "crop":
        cw, ch, x, y = reframe.crop_box()
        return f"{square}crop={cw}:{ch}:{x}:{y},scale={width}:{height}:flags={scaler},setsar=1"
    if reframe.mode == "pad":
        return f"{square}{fitted},pad={width}:{height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1"
    small_w, small_h = round_even(width / BLUR_SHRINK), round_even(height / BLUR_SHRINK)
    background = (
        f"scale={small_w}:{small_h}:force_original_aspect_ratio=increase,"
        f"crop={small_w}:{small_h},gblur=sigma=6,eq=brightness=-0.12:saturation=1.15,"
        f"scale={width}:{height}:flags=bilinear"
    )
    return (
        f"{square}split[bgsrc][fgsrc];[bgsrc]{background}[bg];[fgsrc]{fitted}[fg];"
        f"[bg][fg]overlay=(W-w)/2:(H-h)/2,setsar=1"
    )
