"""Fitting footage of any shape into the platform's frame, as an ffmpeg filter chain.

The decision (crop, blur or pad, and the crop box) is a pure function of the two shapes; the
filter text is compiled from it so that ffmpeg crops and scales before frames ever reach
Python, which is far cheaper than doing it on full-size numpy frames.

The chain works in the cheapest order: the picture is cropped and scaled *as stored*, then
turned upright, then given any per-pixel work the caller adds (tone mapping), and only then
padded or laid over its blurred copy. Every step before the turn is centred and the same
along both axes, so doing it on the stored picture with the sizes swapped gives the same
picture as doing it upright — on a 4K phone clip turned 90°, for far less work.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from clipcraft.media.probe import round_even
from clipcraft.planning.follow import CropKey
from clipcraft.planning.stabilize import Steadying
from clipcraft.settings.recipe import Fit

CROP_KEEPS_AT_LEAST = 0.7
"""`auto` crops when the crop keeps this share of the picture, else fits over a blurred copy."""

BLUR_SHRINK = 8
"""The blurred background is drawn at 1/8 size and scaled up: blurry anyway, and cheap."""

UPRIGHT_TURNS = {90: "transpose=clock", 180: "hflip,vflip", 270: "transpose=cclock"}
"""The filter that turns a picture stored at each rotation (as probed) the way players do."""


@dataclass(frozen=True)
class Stored:
    """How a source's picture is stored, beyond its displayed size."""

    turn: int = 0
    """Degrees the stored picture is turned by (a phone held upright: 90): the decoder reads
    it as stored and the chain turns it upright once it is small."""
    square_pixels: bool = True
    """False for anamorphic footage, whose pixels are scaled to the displayed size first."""


AS_DISPLAYED = Stored()


@dataclass(frozen=True)
class Reframe:
    """How a source of `source` size (as displayed) fills a `target` frame."""

    mode: Literal["crop", "follow", "blur", "pad"]
    source: tuple[int, int]
    target: tuple[int, int]
    stored: Stored = AS_DISPLAYED
    path: tuple[CropKey, ...] = ()
    """For `follow`: where the crop box's corner is over time on the source (as displayed)."""
    steady: Steadying | None = None
    """For a steadied picture: `source` is the picture less this margin on each side, a
    window that moves with the camera's shake (planning/stabilize.py)."""
    why: str = ""
    """Why `auto` chose this mode, for `--dry-run`."""

    def crop_box(self) -> tuple[int, int, int, int]:
        """(width, height, x, y) of the centred region of the source with the target's shape."""
        (sw, sh), (tw, th) = self.source, self.target
        if sw * th > tw * sh:  # source is wider than the target: trim the sides
            width, height = round_even(sh * tw / th), sh
        else:
            width, height = sw, round_even(sw * th / tw)
        return width, height, (sw - width) // 2, (sh - height) // 2

    def as_stored(self) -> Reframe:
        """The same reframe on the picture as stored: sizes swapped for a quarter turn."""
        if self.stored.turn % 180 == 0:
            return self
        (sw, sh), (tw, th) = self.source, self.target
        return replace(self, source=(sh, sw), target=(th, tw))


def choose_reframe(
    source: tuple[int, int], target: tuple[int, int], fit: Fit, stored: Stored = AS_DISPLAYED
) -> Reframe:
    """Resolve `auto`: crop when shapes are close, else fit the whole picture over its blur."""
    if fit in ("crop", "blur", "pad"):
        return Reframe(fit, source, target, stored)
    source_aspect, target_aspect = source[0] / source[1], target[0] / target[1]
    kept = min(source_aspect, target_aspect) / max(source_aspect, target_aspect)
    mode: Literal["crop", "blur"] = "crop" if kept >= CROP_KEEPS_AT_LEAST else "blur"
    return Reframe(mode, source, target, stored)


def reframe_filter(
    reframe: Reframe,
    scaler: str = "bicubic",
    upright: Sequence[str] = (),
    clock: tuple[float, float] = (0.0, 1.0),
) -> str:
    """The ffmpeg filter graph (one input, one output) that performs `reframe`.

    `upright` steps run on the small, upright picture before it is padded or blurred (tone
    mapping belongs there). `scaler` names swscale's filter: bicubic keeps a final render
    sharp; bilinear costs a quarter less where speed matters more (a preview). `clock` is
    (the source time of the first frame, the speed) that a follow path's times are read at.
    """
    sideways = reframe.as_stored()
    (source_w, source_h), (fit_w, fit_h) = sideways.source, sideways.target
    steps = []
    whole = _whole_picture(reframe)
    if not reframe.stored.square_pixels:
        scaled = whole if reframe.stored.turn % 180 == 0 else whole[::-1]
        steps.append(f"scale={scaled[0]}:{scaled[1]}:flags={scaler},setsar=1")
    if reframe.steady is not None:
        margin, keys = reframe.steady.margin, reframe.steady.keys
        across = _along(clock, [(key.time, margin[0] + key.dx) for key in keys])
        down = _along(clock, [(key.time, margin[1] + key.dy) for key in keys])
        at_x, at_y = _to_stored(across, down, whole, reframe.source, reframe.stored.turn)
        # exact: a one-pixel correction is not rounded to two by the chroma's grid
        steps.append(f"crop={source_w}:{source_h}:x='{at_x}':y='{at_y}':exact=1")
    if reframe.mode == "crop":
        cw, ch, x, y = sideways.crop_box()
        steps.append(f"crop={cw}:{ch}:{x}:{y},scale={fit_w}:{fit_h}:flags={scaler}")
    elif reframe.mode == "follow":
        cw, ch, _, _ = sideways.crop_box()
        across, down = _stored_corner(reframe, clock)
        steps.append(f"crop={cw}:{ch}:x='{across}':y='{down}',scale={fit_w}:{fit_h}:flags={scaler}")
    else:
        # even sides: the tone map after it (zscale) refuses an odd-sized yuv420p picture
        steps.append(
            f"scale={fit_w}:{fit_h}:force_original_aspect_ratio=decrease"
            f":force_divisible_by=2:flags={scaler}"
        )
    if reframe.stored.turn:
        steps.append(UPRIGHT_TURNS[reframe.stored.turn])
    steps += upright
    width, height = reframe.target
    if reframe.mode == "pad":
        steps.append(f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2:color=black")
    if reframe.mode != "blur":
        return ",".join([*steps, "setsar=1"])
    small_w, small_h = round_even(width / BLUR_SHRINK), round_even(height / BLUR_SHRINK)
    background = (
        f"scale={small_w}:{small_h}:force_original_aspect_ratio=increase,"
        f"crop={small_w}:{small_h},gblur=sigma=6,eq=brightness=-0.12:saturation=1.15,"
        f"scale={width}:{height}:flags=bilinear"
    )
    return (
        f"{','.join(steps)},split[bgsrc][fg];[bgsrc]{background}[bg];"
        "[bg][fg]overlay=(W-w)/2:(H-h)/2,setsar=1"
    )


def _whole_picture(reframe: Reframe) -> tuple[int, int]:
    """The source's whole picture as displayed (a steadied one shows it less its margin)."""
    if reframe.steady is None:
        return reframe.source
    (width, height), (mx, my) = reframe.source, reframe.steady.margin
    return width + 2 * mx, height + 2 * my


def _stored_corner(reframe: Reframe, clock: tuple[float, float]) -> tuple[str, str]:
    """ffmpeg expressions of `t` for the follow box's corner on the picture as stored."""
    box_w, box_h, centre_x, centre_y = reframe.crop_box()
    path = reframe.path or (CropKey(clock[0], centre_x, centre_y),)
    x = _along(clock, [(key.time, key.x) for key in path])
    y = _along(clock, [(key.time, key.y) for key in path])
    return _to_stored(x, y, reframe.source, (box_w, box_h), reframe.stored.turn)


def _to_stored(
    x: str, y: str, picture: tuple[int, int], box: tuple[int, int], turn: int
) -> tuple[str, str]:
    """A box's corner expressions on a picture as displayed → on the picture as stored: a
    quarter turn swaps the axes and reverses one (the inverse of the turn that makes it
    upright)."""
    (width, height), (box_w, box_h) = picture, box
    if turn == 90:
        return y, f"{width - box_w}-({x})"
    if turn == 180:
        return f"{width - box_w}-({x})", f"{height - box_h}-({y})"
    if turn == 270:
        return f"{height - box_h}-({y})", x
    return x, y


def _along(clock: tuple[float, float], keys: list[tuple[float, int]]) -> str:
    """A piecewise-linear expression of the filter's `t` through (source time, value) keys:
    the first value, plus each later step's change spread over its time."""
    start, speed = clock
    terms = [str(keys[0][1])]
    for (was, before), (now, after) in itertools.pairwise(keys):
        if after == before:
            continue
        first, last = (was - start) / speed, (now - start) / speed
        terms.append(f"{after - before}*clip((t-{first:.4f})/{last - first:.4f},0,1)")
    return _summed(terms)


TERMS_AT_ONE_LEVEL = 40
"""ffmpeg's expression parser refuses a sum of more than about 90 terms (a crop filter then
fails to configure): a long path's terms are summed in nested groups of this many."""


def _summed(terms: list[str]) -> str:
    while len(terms) > TERMS_AT_ONE_LEVEL:
        chunks = range(0, len(terms), TERMS_AT_ONE_LEVEL)
        terms = ["(" + "+".join(terms[i : i + TERMS_AT_ONE_LEVEL]) + ")" for i in chunks]
    return "+".join(terms)
