"""Tiny fonts made with fontTools for the tests: every glyph a filled box of its own width, so
a test can tell which glyph landed where without any font on the machine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

UNITS = 1000
ASCENT, DESCENT = 800, 200


def _box(width: int, height: int) -> Any:
    pen = TTGlyphPen(None)
    if width > 0:
        pen.moveTo((20, 0))
        pen.lineTo((20, height))
        pen.lineTo((width - 20, height))
        pen.lineTo((width - 20, 0))
        pen.closePath()
    return pen.glyph()


def build_font(
    path: Path,
    widths: Mapping[str, int],
    *,
    family: str = "Boxes",
    weight: int = 400,
    forms: Mapping[str, int] | None = None,
    features: str = "",
    languages: str = "",
) -> Path:
    """A TrueType font at `path` drawing each character of `widths` as a box that wide
    (in thousandths of the size); `forms` are extra glyphs by name (for `features`, written
    in OpenType feature syntax); `languages`, its design languages (the meta table's dlng).
    A space is always there."""
    cmap = {ord(char): f"u{ord(char):04X}" for char in widths if char != " "}
    advances = {f"u{ord(char):04X}": width for char, width in widths.items() if char != " "}
    advances |= dict(forms or {})
    names = [".notdef", "space", *advances]
    builder = FontBuilder(UNITS, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({32: "space", **cmap})
    glyphs = {".notdef": _box(500, 700), "space": _box(0, 0)}
    glyphs |= {name: _box(width, 700) for name, width in advances.items()}
    builder.setupGlyf(glyphs)
    metrics = {".notdef": (500, 20), "space": (250, 0)}
    metrics |= {name: (width, 20) for name, width in advances.items()}
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=ASCENT, descent=-DESCENT)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(
        usWeightClass=weight,
        sTypoAscender=ASCENT,
        sTypoDescender=-DESCENT,
        usWinAscent=ASCENT,
        usWinDescent=DESCENT,
    )
    builder.setupPost()
    if features:
        builder.addOpenTypeFeatures(features)
    if languages:
        meta = newTable("meta")
        meta.data = {"dlng": languages}
        builder.font["meta"] = meta
    builder.save(str(path))
    return path


def build_collection(path: Path, faces: Sequence[tuple[str, Mapping[str, int], str]]) -> Path:
    """A font collection (.ttc) at `path`, one face for each (family, widths, languages)."""
    fonts = []
    for number, (family, widths, languages) in enumerate(faces):
        single = path.with_name(f"{path.stem}-{number}.ttf")
        build_font(single, widths, family=family, languages=languages)
        fonts.append(TTFont(str(single)))
        single.unlink()
    collection = TTCollection()
    collection.fonts = fonts
    collection.save(str(path))
    return path
