"""Which face draws each character of a caption, and measuring and shaping runs with them.

Every character is drawn by the first face that has it — the style's face, then Inter, then
Noto Color Emoji in colour, then a font installed on the machine (system_fonts.py). A line's
runs are put in display order for the whole line (bidi.py) and each is shaped by Pillow's raqm
layout in its own direction, so right-to-left text reads right to left and Arabic joins.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path

from PIL import ImageFont, features

from clipcraft.assets import asset_dir
from clipcraft.captions.bidi import levels, visual_order
from clipcraft.captions.font_book import FontBook
from clipcraft.captions.system_fonts import file_and_face
from clipcraft.errors import UsageError

EMOJI_FONT = "NotoColorEmoji.ttf"
EMOJI_PPEM = 109
"""Noto Color Emoji is a bitmap (CBDT) font: Pillow draws it only at its one strike size."""
EMOJI_SCALE = 0.92
"""Emoji are drawn this high relative to the font size, to sit with the letters."""
FALLBACK_FONT = "Inter-ExtraBold.otf"

RTL_START = 0x0590
"""No character before Hebrew runs right to left (the Unicode bidirectional classes R, AL, AN)."""
Face = str
"""Who draws a run: "text" (the style's face), "fallback", "emoji", or an installed face's name
(its file's path, `#N` after it for a collection's face N other than the first)."""

_JOINERS = {0x200D, 0xFE0E, 0xFE0F, 0x20E3}


def _is_joiner(code: int) -> bool:
    """Characters that belong to the emoji before them (ZWJ, variation, skin tone, tags)."""
    return code in _JOINERS or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F


@dataclass(frozen=True)
class Run:
    """Characters drawn by one face; `rtl` when they run right to left (see Faces.pieces)."""

    text: str
    face: Face
    rtl: bool = False
    start: int = 0
    """Where the run's text starts in its line (in characters, reading order)."""


def _no_system_font(code: int) -> str | None:
    return None


def split_runs(
    text: str,
    primary: Container[int],
    fallback: Container[int],
    emoji: Container[int],
    system: Callable[[int], str | None] = _no_system_font,
) -> list[Run]:
    """`text` cut into runs each drawn by one face — the style's, the fallback, the emoji
    face, or `system`'s choice of an installed font; a character none has is an error."""
    runs: list[Run] = []
    missing: list[str] = []
    own = {"text": primary, "fallback": fallback, "emoji": emoji}
    for index, char in enumerate(text):
        code = ord(char)
        following = ord(text[index + 1]) if index + 1 < len(text) else 0
        previous = runs[-1].face if runs else None
        if previous and (
            _is_joiner(code) or (unicodedata.combining(char) and code in own.get(previous, (code,)))
        ):
            face: Face | None = previous  # a mark stays with its letter, a joiner its emoji
        elif code in emoji and (code >= 0x1F000 or following == 0xFE0F or code not in primary):
            face = "emoji"
        elif code in primary or char.isspace():
            face = "text"
        elif code in fallback:
            face = "fallback"
        else:
            face = system(code)
        if face is None:
            missing.append(char)
        elif runs and runs[-1].face == face:
            runs[-1] = Run(runs[-1].text + char, face)
        else:
            runs.append(Run(char, face))
    if missing:
        raise _cannot_draw(list(dict.fromkeys(missing)))
    return runs


def _cannot_draw(missing: list[str]) -> UsageError:
    shown = ", ".join(f"{c} (U+{ord(c):04X} {unicodedata.name(c, '?')})" for c in missing)
    families = list(dict.fromkeys(suggested_family(c) for c in missing))
    return UsageError(
        f"no font on this machine can draw {shown}",
        f"install a font that has {'it' if len(missing) == 1 else 'them'} "
        f"(such as {' or '.join(families)}), or give --font PATH",
    )


_FAMILY_BY_NAME = {
    "CJK": "Noto Sans CJK",
    "HIRAGANA": "Noto Sans CJK",
    "KATAKANA": "Noto Sans CJK",
    "HANGUL": "Noto Sans CJK",
    "BOPOMOFO": "Noto Sans CJK",
    "IDEOGRAPHIC": "Noto Sans CJK",
    "FULLWIDTH": "Noto Sans CJK",
    "HALFWIDTH": "Noto Sans CJK",
    "TIBETAN": "Noto Serif Tibetan",
}


def suggested_family(char: str) -> str:
    """A freely licensed family that draws `char`: Noto has one per script, named after it."""
    words = unicodedata.name(char, "").split()
    if not words:
        return "a Noto font for its script"
    script = words[0]
    if script in _FAMILY_BY_NAME:
        return _FAMILY_BY_NAME[script]
    if script in ("SMALL", "CAPITAL", "COMBINING", "MODIFIER") or not script.isalpha():
        return "Noto Sans"
    return f"Noto Sans {script.title()}"


_NEEDS_SHAPING = (
    (0x0600, 0x08FF),  # Arabic, Syriac, Thaana, N'Ko and the Arabic supplements
    (0x0900, 0x0DFF),  # the Indic scripts
    (0x0E00, 0x0FFF),  # Thai, Lao, Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0xFB50, 0xFDFF),  # Arabic presentation forms
    (0xFE70, 0xFEFF),
)


@cache
def has_raqm() -> bool:
    """Whether Pillow can shape text and set its direction (libraqm with FriBiDi)."""
    return bool(features.check("raqm"))


def read_ahead(primaries: Iterable[str | Path], texts: Iterable[str]) -> FontBook:
    """A sealed book holding every face `texts` can be measured with when each of `primaries`
    is a caption's own face: those and the fallback, the emoji face where a text has an emoji,
    and — only where some character has none of them — the installed fonts and the faces
    chosen for it, for each primary's weight and each text's East Asian writing (as Faces
    chooses them)."""
    book = FontBook()
    fallback, emoji = bundled_faces()
    own = [str(primary) for primary in primaries]
    shown = [text for text in texts if text]
    characters = {ord(char) for text in shown for char in text + text.upper()}
    writings = {east_asian_writing(text) for text in shown}
    drawn = [fallback, *own]
    if characters & book.facts(emoji).cmap:
        drawn.append(emoji)
    shared = book.facts(fallback).cmap | book.facts(emoji).cmap
    for primary in own:
        facts = book.facts(primary)
        lacking = [code for code in characters - facts.cmap - shared if not chr(code).isspace()]
        for code, writing in itertools.product(lacking, writings):
            face = book.installed_face(code, facts.weight, writing)
            if face is not None:
                book.facts(face)
                drawn.append(face)
    for face in drawn:
        book.data(file_and_face(face)[0])
    book.sealed = True
    return book


def check_layout(text: str) -> None:
    """Without raqm, scripts whose letters must be joined or reordered cannot be drawn."""
    if has_raqm():
        return
    needing = [c for c in text if any(low <= ord(c) <= high for low, high in _NEEDS_SHAPING)]
    if needing:
        raise UsageError(
            f"drawing {unicodedata.name(needing[0], '?').split()[0].title()} text needs "
            "Pillow's raqm layout, which this machine lacks",
            "install FriBiDi (Debian/Ubuntu: libfribidi0; macOS: brew install fribidi)",
        )


_KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9D))
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))
_BOPOMOFO = ((0x3100, 0x312F), (0x31A0, 0x31BF))
_HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


def east_asian_writing(text: str) -> str | None:
    """The East Asian writing of a caption, to pick among an installed font's regional faces
    (system_fonts.py): kana make it Japanese, hangul Korean, bopomofo Traditional Chinese, Han
    characters alone Simplified Chinese, the most written (Traditional cannot be told from
    its characters alone); None when it has none of them."""
    codes = [ord(char) for char in text]

    def any_in(ranges: tuple[tuple[int, int], ...]) -> bool:
        return any(low <= code <= high for code in codes for low, high in ranges)

    if any_in(_KANA):
        return "Jpan"
    if any_in(_HANGUL):
        return "Kore"
    if any_in(_BOPOMOFO):  # written beside Traditional characters, in Taiwan
        return "Hant"
    return "Hans" if any_in(_HAN) else None


def bundled_faces() -> tuple[str, str]:
    """The fallback and the emoji face, which every caption may draw with."""
    fonts = asset_dir("fonts")
    return str(fonts / FALLBACK_FONT), str(fonts / EMOJI_FONT)


class Faces:
    """The faces at one size, and how to measure and draw runs with them, read from `book`.

    `base` is the caption's direction (0 left to right, 1 right to left, see bidi.py), and
    `writing` its East Asian writing (east_asian_writing), for the whole caption: a Japanese
    caption's line of kanji alone is still Japanese. `chosen` gives the installed face of
    each character no bundled face has, as planning chose them (CaptionLayout.installed);
    without it they are chosen from the book's installed fonts, and kept in `installed`.
    """

    def __init__(
        self,
        book: FontBook,
        primary: str | Path,
        size: int,
        base: int = 0,
        writing: str | None = None,
        *,
        chosen: Mapping[int, str] | None = None,
    ) -> None:
        self.book = book
        self.size = size
        self.base = base
        self.writing = writing
        self.chosen = chosen
        self.installed: dict[int, str] = {}
        self.primary = str(primary)
        fallback, emoji = bundled_faces()
        self.faces = {"text": self.primary, "fallback": fallback, "emoji": emoji}
        self.fonts = {
            "text": self._load(self.primary, size),
            "fallback": self._load(fallback, size),
        }
        self.emoji_scale = size * EMOJI_SCALE / EMOJI_PPEM
        self.ascent, self.descent = self.fonts["text"].getmetrics()
        self.widths: dict[str, float] = {}  # wrapping measures the same words many times

    @cached_property
    def emoji(self) -> ImageFont.FreeTypeFont:
        """The emoji face at its one strike size, made when a caption has an emoji."""
        return self._load(self.faces["emoji"], EMOJI_PPEM)

    def _load(self, name: str, size: int) -> ImageFont.FreeTypeFont:
        engine = ImageFont.Layout.RAQM if has_raqm() else ImageFont.Layout.BASIC
        return self.book.font(name, size, engine)

    def font(self, face: Face) -> ImageFont.FreeTypeFont:
        """The face's font at this size; an installed font is made when first used."""
        if face not in self.fonts:
            self.fonts[face] = self._load(face, self.size)
        return self.fonts[face]

    def runs(self, text: str) -> list[Run]:
        """`text`'s runs in reading order."""
        own, fallback, emoji = (self.book.facts(self.faces[face]).cmap for face in self.faces)
        return split_runs(text, own, fallback, emoji, self._installed_face)

    def _installed_face(self, code: int) -> str | None:
        if self.chosen is not None:
            return self.chosen.get(code)
        weight = self.book.facts(self.primary).weight
        face = self.book.installed_face(code, weight, self.writing)
        if face is not None:
            self.installed[code] = face
        return face

    def pieces(self, line: str) -> list[Run]:
        """`line`'s runs cut where the direction changes, in the order they show from left to
        right; each is shaped on its own in its own direction."""
        if self.base == 0 and not any(ord(char) >= RTL_START for char in line):
            level_of = iter([0] * len(line))  # no right-to-left letter: nothing to reorder
        else:
            level_of = iter(levels(line, self.base))
        chunks: list[Run] = []
        levels_of_chunks: list[int] = []
        position = 0
        for run in self.runs(line):
            first = len(chunks)
            for char in run.text:
                level = next(level_of)
                if len(chunks) > first and levels_of_chunks[-1] == level:
                    chunks[-1] = replace(chunks[-1], text=chunks[-1].text + char)
                else:
                    chunks.append(Run(char, run.face, level % 2 == 1, position))
                    levels_of_chunks.append(level)
                position += 1
        return visual_order(chunks, levels_of_chunks)

    def span(self, line: str, start: int, end: int) -> tuple[float, float]:
        """Where characters [start, end) of `line` land, from the line's left (x, x)."""
        left, right = float("inf"), float("-inf")
        x = 0.0
        for piece in self.pieces(line):
            width = self.piece_width(piece)
            low = max(start, piece.start) - piece.start
            high = min(end, piece.start + len(piece.text)) - piece.start
            if low < high:
                before = self.piece_width(replace(piece, text=piece.text[:low]))
                through = self.piece_width(replace(piece, text=piece.text[:high]))
                if piece.rtl:
                    before, through = width - through, width - before
                left, right = min(left, x + before), max(right, x + through)
            x += width
        return left, right

    def width(self, text: str) -> float:
        if text not in self.widths:
            self.widths[text] = sum(self.piece_width(piece) for piece in self.pieces(text))
        return self.widths[text]

    def piece_width(self, piece: Run) -> float:
        text, direction = self.shaping(piece)
        if piece.face == "emoji":
            return self.emoji.getlength(text, direction=direction) * self.emoji_scale
        return self.font(piece.face).getlength(text, direction=direction)

    @staticmethod
    def shaping(piece: Run) -> tuple[str, str | None]:
        """The text to give Pillow for a piece, and its direction: raqm is told it; Pillow's
        basic layout has no direction, so a right-to-left piece is given reversed (whole
        characters with their marks)."""
        if has_raqm():
            return piece.text, "rtl" if piece.rtl else "ltr"
        if not piece.rtl:
            return piece.text, None
        clusters: list[str] = []
        for char in piece.text:
            if clusters and (unicodedata.combining(char) or _is_joiner(ord(char))):
                clusters[-1] += char
            else:
                clusters.append(char)
        return "".join(reversed(clusters)), None

    def cap_height(self) -> float:
        return -self.fonts["text"].getbbox("H", anchor="ls")[1]
