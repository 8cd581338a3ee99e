"""Caption layout and rendering with Pillow → an RGBA image, drawn once per caption.

We own the layout rather than using moviepy's TextClip (which clips descenders, draws strokes
inside glyphs, wraps mid-word and has no colour emoji): words wrap at spaces to the safe width,
the size shrinks until the text fits in three lines. Which face draws each character, and the
order and shaping of a line's runs, are faces.py's.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from PIL import Image, ImageDraw, ImageFilter

from clipcraft.assets import asset_dir
from clipcraft.captions.bidi import paragraph_level
from clipcraft.captions.faces import Faces, check_layout, east_asian_writing
from clipcraft.captions.font_book import ON_DISK, FontBook
from clipcraft.captions.word_timing import wrap_units
from clipcraft.errors import UsageError
from clipcraft.media.named import named_file
from clipcraft.settings.styles import CaptionStyle

MAX_LINES = 3
MIN_CAP_HEIGHT = 48
"""The smallest legible cap height on a 1080-wide frame; scaled for other widths."""
SHRINK_STEP = 0.94
MAX_CHARACTERS = 300
"""Far more than three legible lines hold: longer text fails at once, without sizing."""


def font_path(name_or_path: str | None, style: CaptionStyle) -> Path:
    """The style's bundled face, a bundled face by file name, or a user's font file."""
    if name_or_path is None:
        return asset_dir("fonts") / style.font
    bundled = asset_dir("fonts") / name_or_path
    if Path(name_or_path).name == name_or_path and bundled.is_file():
        return bundled
    path = Path(name_or_path).expanduser()
    if os.path.lexists(path):
        named_file(path, "font file")  # a folder, an unreadable or empty file: said as such
        try:
            ON_DISK.facts(str(path))
        except Exception:  # fontTools raises several kinds for a file that is not a font
            raise UsageError(
                f"--font {name_or_path}: is not a font file",
                "give a TrueType or OpenType font (.ttf, .otf, .ttc)",
            ) from None
        return path
    names = sorted(p.name for p in asset_dir("fonts").glob("*.[ot]tf"))
    raise UsageError(
        f"font {name_or_path!r} not found", f"give a .ttf/.otf file or one of {', '.join(names)}"
    )


@dataclass(frozen=True)
class CaptionLayout:
    """Where every line goes in a caption image of `width`×`height` (all in pixels)."""

    text: str
    lines: tuple[str, ...]
    font: str
    font_size: int
    width: int
    height: int
    margin: int
    padding: int
    stroke: int
    line_advance: int
    installed: tuple[tuple[int, str], ...] = ()
    """(code point, installed face) for each character no bundled face has, as planning chose
    them: drawing reads them from here, not from the machine's fonts."""


def _geometry(style: CaptionStyle, size: int) -> tuple[int, int, int, int]:
    """(stroke, padding, shadow offset, shadow blur) in pixels at a font size."""
    stroke = round(style.outline_width * size) if style.outline else 0
    padding = round(style.box_padding * size) if style.box else 0
    offset = round(style.shadow_offset * size) if style.shadow else 0
    blur = round(style.shadow_blur * size) if style.shadow else 0
    return stroke, padding, offset, blur


def wrap(units: list[str], faces: Faces, width: float) -> list[str] | None:
    """Greedy wrap; None when a single word is wider than the line."""
    lines: list[str] = []
    for unit in units:
        alone = unit.lstrip(" ")
        if faces.width(alone) > width:
            return None
        candidate = lines[-1] + unit if lines else alone
        if lines and faces.width(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(alone)
    return lines


def balanced_wrap(units: list[str], faces: Faces, width: float) -> list[str] | None:
    """The narrowest wrap with as few lines as the greedy one: no lone word on a last line."""
    greedy = wrap(units, faces, width)
    if greedy is None or len(greedy) == 1:
        return greedy
    low, high = max(faces.width(unit.lstrip(" ")) for unit in units), width
    best = greedy
    while high - low > 2:
        middle = (low + high) / 2
        attempt = wrap(units, faces, middle)
        if attempt is not None and len(attempt) <= len(greedy):
            best, high = attempt, middle
        else:
            low = middle
    return best


def layout_caption(
    text: str,
    style: CaptionStyle,
    font: str | Path,
    max_width: int,
    max_height: int,
    frame_width: int,
    book: FontBook,
) -> CaptionLayout:
    """The largest size up to the style's own at which `text` fits in three lines and the box,
    measured with the faces in `book`."""
    shown = " ".join(text.upper().split() if style.uppercase else text.split())
    if not shown:
        raise UsageError("a caption is empty", "give some text, or leave the caption out")
    if len(shown) > MAX_CHARACTERS:
        raise _too_long(shown)
    scale = frame_width / 1080
    cap_target = style.cap_height * frame_width
    cap_floor = MIN_CAP_HEIGHT * scale
    base, writing = paragraph_level(shown), east_asian_writing(shown)
    probe = Faces(book, font, 100, base, writing)
    probe.runs(shown)  # unknown characters fail here, before any sizing
    check_layout(shown)
    chosen = probe.installed
    size = round(100 * cap_target / probe.cap_height())
    while True:
        faces = Faces(book, font, size, base, writing, chosen=chosen)
        stroke, padding, offset, blur = _geometry(style, size)
        margin = 2 * blur
        room = max_width - 2 * (margin + padding + stroke) - offset
        lines = balanced_wrap(wrap_units(shown), faces, room)
        advance = round(size * style.line_spacing * 1.12)
        if lines and len(lines) <= MAX_LINES:
            inner = max(faces.width(line) for line in lines)
            width = round(inner) + 2 * (margin + padding + stroke) + offset
            text_height = faces.ascent + faces.descent + (len(lines) - 1) * advance
            height = text_height + 2 * (margin + padding + stroke) + offset
            if height <= max_height:
                return CaptionLayout(
                    shown,
                    tuple(lines),
                    str(font),
                    size,
                    width,
                    height,
                    margin,
                    padding,
                    stroke,
                    advance,
                    tuple(sorted(chosen.items())),
                )
        smaller = int(size * SHRINK_STEP)
        if Faces(book, font, smaller, chosen=chosen).cap_height() < cap_floor:
            raise _too_long(shown)
        size = smaller


def _too_long(shown: str) -> UsageError:
    preview = shown if len(shown) <= 40 else shown[:37] + "…"
    return UsageError(
        f"the caption {preview!r} ({len(shown)} characters) does not fit in {MAX_LINES} lines "
        "at a legible size",
        "shorten it, or split it into several --caption",
    )


def render_caption(layout: CaptionLayout, style: CaptionStyle) -> Image.Image:
    """The caption as a straight-alpha RGBA image of the layout's size."""
    return _compose(layout, style, *_draw(layout, style)[1:])


Cell = tuple[int, int, int, int]


class CaptionParts(NamedTuple):
    """A caption drawn for animating its words: the plate (a style's box with its shadow, or
    None), the ink (letters with their outline, and shadow when there is no box), the ink in
    the style's highlight colour, and each word's cell (left, top, right, bottom) in reading
    order — the cells tile the image, so each holds its word's outline and shadow."""

    plate: Image.Image | None
    ink: Image.Image
    highlight: Image.Image
    cells: tuple[Cell, ...]


def render_parts(layout: CaptionLayout, style: CaptionStyle) -> CaptionParts:
    faces, *masks = _draw(layout, style)
    fill, stroke, emoji = masks
    plate = _compose(layout, style, fill, stroke, emoji, ink=False) if style.box else None
    ink = _compose(layout, style, fill, stroke, emoji, plate=False)
    lit = replace(style, fill=style.highlight)
    highlight = _compose(layout, lit, fill, stroke, emoji, plate=False)
    return CaptionParts(plate, ink, highlight, _word_cells(layout, style, faces))


def _word_cells(layout: CaptionLayout, style: CaptionStyle, faces: Faces) -> tuple[Cell, ...]:
    """Each word's cell: its line's band, split halfway across the spaces between words."""
    units = iter(wrap_units(layout.text))
    inset = layout.margin + layout.padding + layout.stroke
    inner_width = layout.width - 2 * inset - _geometry(style, layout.font_size)[2]
    baselines = [inset + faces.ascent + i * layout.line_advance for i in range(len(layout.lines))]
    tops = [0] + [
        round((above + faces.descent + below - faces.ascent) / 2)
        for above, below in itertools.pairwise(baselines)
    ]
    bottoms = [*tops[1:], layout.height]
    cells: list[Cell] = []
    for line, top, bottom in zip(layout.lines, tops, bottoms, strict=True):
        spans: list[tuple[int, int]] = []
        built = ""
        while len(built) < len(line):
            unit = next(units)
            unit = unit if built else unit.lstrip(" ")
            spans.append((len(built) + len(unit) - len(unit.lstrip(" ")), len(built) + len(unit)))
            built += unit
        left_edge = inset + (inner_width - faces.width(line)) / 2
        xs = [faces.span(line, start, end) for start, end in spans]
        order = sorted(range(len(xs)), key=lambda k: xs[k][0])
        edges = [0]
        for before, after in itertools.pairwise(order):
            edges.append(round(left_edge + (xs[before][1] + xs[after][0]) / 2))
        edges.append(layout.width)
        line_cells = {k: (edges[i], top, edges[i + 1], bottom) for i, k in enumerate(order)}
        cells += [line_cells[k] for k in range(len(xs))]
    return tuple(cells)


def _draw(
    layout: CaptionLayout, style: CaptionStyle
) -> tuple[Faces, Image.Image, Image.Image, Image.Image]:
    """The letters' fill and outline masks and the emoji layer, drawn where the layout puts
    them, and the faces that drew them."""
    text = layout.text
    faces = Faces(
        ON_DISK,
        layout.font,
        layout.font_size,
        paragraph_level(text),
        east_asian_writing(text),
        chosen=dict(layout.installed),
    )
    size = (layout.width, layout.height)
    fill_mask, stroke_mask = Image.new("L", size), Image.new("L", size)
    emoji_layer = Image.new("RGBA", size)
    draw_fill, draw_stroke = ImageDraw.Draw(fill_mask), ImageDraw.Draw(stroke_mask)
    inset = layout.margin + layout.padding + layout.stroke
    inner_width = layout.width - 2 * inset - _geometry(style, layout.font_size)[2]
    for index, line in enumerate(layout.lines):
        baseline = inset + faces.ascent + index * layout.line_advance
        x = inset + (inner_width - faces.width(line)) / 2
        for piece in faces.pieces(line):
            text, direction = faces.shaping(piece)
            if piece.face == "emoji":
                _draw_emoji(emoji_layer, faces, text, direction, x, baseline)
            else:
                font = faces.font(piece.face)
                draw_fill.text(
                    (x, baseline), text, font=font, fill=255, anchor="ls", direction=direction
                )
                if layout.stroke:
                    draw_stroke.text(
                        (x, baseline),
                        text,
                        font=font,
                        fill=255,
                        anchor="ls",
                        stroke_width=layout.stroke,
                        stroke_fill=255,
                        direction=direction,
                    )
            x += faces.piece_width(piece)
    return faces, fill_mask, stroke_mask, emoji_layer


def _draw_emoji(
    layer: Image.Image,
    faces: Faces,
    text: str,
    direction: str | None,
    x: float,
    baseline: float,
) -> None:
    """Draw an emoji run at the strike size, scale it to the text, and lay it on the line."""
    ascent, descent = faces.emoji.getmetrics()
    width = max(1, round(faces.emoji.getlength(text, direction=direction)))
    strike = Image.new("RGBA", (width, ascent + descent))
    ImageDraw.Draw(strike).text(
        (0, ascent), text, font=faces.emoji, embedded_color=True, anchor="ls", direction=direction
    )
    scale = faces.emoji_scale
    # premultiplied while resampling, so edges do not pick up dark fringes
    scaled = (
        strike.convert("RGBa")
        .resize(
            (max(1, round(width * scale)), max(1, round((ascent + descent) * scale))),
            Image.Resampling.LANCZOS,
        )
        .convert("RGBA")
    )
    layer.alpha_composite(scaled, (round(x), round(baseline - ascent * scale)))


def _compose(
    layout: CaptionLayout,
    style: CaptionStyle,
    fill_mask: Image.Image,
    stroke_mask: Image.Image,
    emoji_layer: Image.Image,
    *,
    plate: bool = True,
    ink: bool = True,
) -> Image.Image:
    """The caption's layers composed: the plate (box, its outline, and the shadow of a box)
    and the ink (outline, fill and emoji, and the shadow of letters with no box)."""
    size = (layout.width, layout.height)
    _, _, offset, blur = _geometry(style, layout.font_size)
    canvas = Image.new("RGBA", size)
    shape = Image.new("L", size)
    if style.box:
        corner = round(style.box_radius * layout.font_size)
        box = (
            layout.margin,
            layout.margin,
            layout.width - layout.margin - offset - 1,
            layout.height - layout.margin - offset - 1,
        )
        ImageDraw.Draw(shape).rounded_rectangle(box, radius=corner, fill=255)
    else:
        shape.paste(255, mask=stroke_mask if layout.stroke else fill_mask)
        shape.paste(255, mask=emoji_layer.getchannel("A"))
    if style.shadow and (plate if style.box else ink):
        shadow = Image.new("L", size)
        shadow.paste(shape, (offset, offset))
        if blur:
            shadow = shadow.filter(ImageFilter.GaussianBlur(blur))
        canvas.alpha_composite(_solid(size, style.shadow, shadow))
    if style.box and plate:
        canvas.alpha_composite(_solid(size, style.box, shape))
        if style.box_outline:
            edge = Image.new("L", size)
            corner = round(style.box_radius * layout.font_size)
            ImageDraw.Draw(edge).rounded_rectangle(
                (
                    layout.margin,
                    layout.margin,
                    layout.width - layout.margin - offset - 1,
                    layout.height - layout.margin - offset - 1,
                ),
                radius=corner,
                outline=255,
                width=max(2, round(layout.font_size * 0.05)),
            )
            canvas.alpha_composite(_solid(size, style.box_outline, edge))
    if not ink:
        return canvas
    if layout.stroke and style.outline:
        canvas.alpha_composite(_solid(size, style.outline, stroke_mask))
    canvas.alpha_composite(_solid(size, style.fill, fill_mask))
    canvas.alpha_composite(emoji_layer)
    return canvas


def _solid(
    size: tuple[int, int], colour: tuple[int, int, int, int], mask: Image.Image
) -> Image.Image:
    """A layer of one colour whose alpha is `mask` scaled by the colour's own alpha."""
    layer = Image.new("RGBA", size, (*colour[:3], 0))
    alpha = mask if colour[3] == 255 else mask.point(lambda v: v * colour[3] // 255)
    layer.putalpha(alpha)
    return layer
