"""The fonts installed on this machine: found in the platform's font folders, their coverage
read once and kept in an index in the user cache folder by a real render (a dry run keeps it
in memory only).

A caption's character that no bundled face has is drawn by a system font that has it. The
folders are walked and each file's path, size and modification time compared with the index;
only a new or changed file is opened (its cmap, weight and slant read with fontTools), so a
warm index costs a walk and a JSON read — and only in a run whose caption needs it.
`CLIPCRAFT_FONT_DIRS` (folders separated by the platform's path separator) replaces the
platform's folders; `CLIPCRAFT_CACHE_DIR` the cache folder.

Every face of a collection is indexed, with the East Asian writing it was designed for: one
Noto Sans CJK file holds a Japanese, a Korean, a Simplified and a Traditional Chinese face
that share their characters but draw many of them differently, and a caption takes the face
of its own writing (faces.east_asian_writing).
"""

from __future__ import annotations

import bisect
import json
import os
import sys
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import BinaryIO, NamedTuple

from fontTools.ttLib import TTFont

from clipcraft.media.outputs import atomic_output
from clipcraft.settings.folders import cache_folder

FONT_DIRS_VARIABLE = "CLIPCRAFT_FONT_DIRS"
COLLECTIONS = (".ttc", ".otc")
SUFFIXES = (".ttf", ".otf", *COLLECTIONS)
INDEX_VERSION = 2
REGULAR = 400


ONE = 0x4E00
"""一, the first Han character: every face that draws Han characters has it."""
WRITINGS = ("Jpan", "Kore", "Hans", "Hant")
"""East Asian writings, as OpenType's design-language tags name them."""
_BY_LANGUAGE = {
    "ja": "Jpan",
    "ko": "Kore",
    "zh-CN": "Hans",
    "zh-SG": "Hans",
    "zh-TW": "Hant",
    "zh-HK": "Hant",
    "zh-MO": "Hant",
}
"""Design-language tags that name a language (and region) rather than a writing."""
_BY_FAMILY_SUFFIX = {
    "JP": "Jpan",
    "KR": "Kore",
    "K": "Kore",
    "SC": "Hans",
    "CN": "Hans",
    "TC": "Hant",
    "TW": "Hant",
    "HK": "Hant",
    "HC": "Hant",
}
"""How Noto CJK and Source Han name their regional families ("Noto Sans CJK SC")."""


class FontFacts(NamedTuple):
    """What a font face can draw, how heavy and slanted it is, and the East Asian writings it
    was designed for. A NamedTuple, not a dataclass: every run imports this module, and a
    frozen dataclass costs a millisecond to define."""

    cmap: frozenset[int]
    weight: int = REGULAR
    italic: bool = False
    writings: tuple[str, ...] = ()


def read_font(source: Path | BinaryIO, face: int = 0) -> FontFacts:
    """The facts of a font file's `face` (the file, or its bytes), read from its cmap, OS/2,
    name and meta tables.

    Glyph names are numbered rather than read: fontTools would otherwise parse the whole CFF
    or `post` table to name them, several times slower than reading the cmap itself.
    """
    with TTFont(source, lazy=True, fontNumber=face) as font:
        font.setGlyphOrder([f"glyph{index}" for index in range(font["maxp"].numGlyphs)])
        cmap = frozenset(font.getBestCmap() or {})
        # only faces with Han characters need telling apart by writing; the name table of
        # every other (the bundled faces, read by every run) is left unparsed
        writings = _writings(font) if ONE in cmap else ()
        if "OS/2" not in font:
            return FontFacts(cmap, writings=writings)
        os2 = font["OS/2"]
        return FontFacts(cmap, int(os2.usWeightClass), bool(os2.fsSelection & 1), writings)


def _writings(font: TTFont) -> tuple[str, ...]:
    """The face's East Asian writings: its design languages (the `meta` table's dlng, tags
    such as "Jpan" or "zh-Hant" or "ja"), else its family name's region (Noto's "… CJK SC");
    none when it says neither."""
    if "meta" in font:
        named: set[str] = set()
        for tag in font["meta"].data.get("dlng", "").split(","):
            tag = tag.strip()
            named.update(w for w in WRITINGS if w in tag.split("-"))
            if tag in _BY_LANGUAGE:
                named.add(_BY_LANGUAGE[tag])
        if named:
            return tuple(w for w in WRITINGS if w in named)
    names = font.get("name")
    family = (names and (names.getDebugName(16) or names.getDebugName(1))) or ""
    region = family.split()[-1] if family.split() else ""
    return (_BY_FAMILY_SUFFIX[region],) if region in _BY_FAMILY_SUFFIX else ()


def face_count(path: Path) -> int:
    """How many faces a font file holds: a collection's header says; any other file, one."""
    with open(path, "rb") as file:
        header = file.read(12)
    return int.from_bytes(header[8:12], "big") if header[:4] == b"ttcf" else 1


def font_dirs() -> list[Path]:
    """Where this platform keeps fonts (fontconfig's usual folders on Linux)."""
    override = os.environ.get(FONT_DIRS_VARIABLE)
    if override is not None:
        return [Path(part) for part in override.split(os.pathsep) if part]
    home = Path.home()
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    if sys.platform == "win32":
        windows = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData/Local"))
        return [windows / "Fonts", local / "Microsoft/Windows/Fonts"]
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local/share")
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        data_home / "fonts",
        home / ".fonts",
    ]


def index_path() -> Path:
    return cache_folder() / "fonts.json"


class SystemFont(NamedTuple):
    """One face of an installed font file; its coverage as sorted ranges of code points."""

    path: str
    face: int
    weight: int
    italic: bool
    writings: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    """The last code point of each range, inclusive."""

    def has(self, code: int) -> bool:
        at = bisect.bisect_right(self.starts, code) - 1
        return at >= 0 and code <= self.ends[at]

    @property
    def name(self) -> str:
        """How faces.py names it: the path, with `#N` for a collection's face N after the first
        (read back by file_and_face)."""
        return f"{self.path}#{self.face}" if self.face else self.path


def file_and_face(name: str) -> tuple[str, int]:
    """The file and face number a face's name (SystemFont.name) stands for; any other path is
    its file's first face, a `#` in it included."""
    file, _, face = name.rpartition("#")
    if face.isdigit() and file.lower().endswith(COLLECTIONS):
        return file, int(face)
    return name, 0


def _ranges(codes: Iterable[int]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ranges


def _font_files(folders: Iterable[Path]) -> Iterator[tuple[str, os.stat_result]]:
    for folder in folders:
        for root, _, names in os.walk(folder):
            for name in sorted(names):
                if name.lower().endswith(SUFFIXES):
                    path = os.path.join(root, name)
                    try:
                        yield path, os.stat(path)
                    except OSError:
                        continue


class Scan(NamedTuple):
    """The installed faces, and the index that describes them (`changed` from the one kept)."""

    fonts: tuple[SystemFont, ...]
    entries: dict[str, dict]
    changed: bool


def scan_fonts(folders: Iterable[Path], index: Path) -> Scan:
    """Every font file in `folders`, read only where the index at `index` does not already
    hold it at its size and modification time. Writes nothing (keep_index does)."""
    try:
        stored = json.loads(index.read_text())
        known = stored["fonts"] if stored.get("version") == INDEX_VERSION else {}
    except (OSError, ValueError, KeyError, TypeError):
        known = {}
    current: dict[str, dict] = {}
    for path, stat in _font_files(folders):
        entry = known.get(path)
        if entry is None or (entry["size"], entry["mtime"]) != (stat.st_size, stat.st_mtime_ns):
            entry = {"size": stat.st_size, "mtime": stat.st_mtime_ns, "faces": _faces(Path(path))}
        current[path] = entry
    fonts = tuple(font for path, entry in current.items() for font in _system_fonts(path, entry))
    return Scan(fonts, current, current != known)


def write_index(scan: Scan, index: Path) -> None:
    """The scan kept at `index` for the next run, if it differs from what was kept there."""
    if not scan.changed:
        return
    try:
        index.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(index) as temporary:
            temporary.write_text(json.dumps({"version": INDEX_VERSION, "fonts": scan.entries}))
    except OSError:
        pass  # a read-only cache folder costs the next run the reading, nothing else


def _system_fonts(path: str, entry: dict) -> Iterator[SystemFont]:
    """The faces of one indexed file that draw anything; a face whose ranges are the number
    of an earlier face shares its coverage."""
    coverage: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for number, face in enumerate(entry["faces"]):
        ranges = face["ranges"]
        if isinstance(ranges, int):
            coverage.append(coverage[ranges])
        else:
            coverage.append((tuple(start for start, _ in ranges), tuple(end for _, end in ranges)))
        starts, ends = coverage[-1]
        if starts:
            writings = tuple(face["writings"])
            yield SystemFont(path, number, face["weight"], face["italic"], writings, starts, ends)


def _faces(path: Path) -> list[dict]:
    """The index's record of each face of a font file; a face that cannot be read (the file
    is not a font after all, or damaged) is remembered as drawing nothing. The faces of a
    collection often draw the same characters (Noto Sans CJK's ten faces do): a face that
    draws what an earlier one does stores that face's number instead of its ranges, a fifth of
    the index's size."""
    try:
        count = face_count(path)
    except OSError:
        count = 1
    read = [_read_or_nothing(path, number) for number in range(count)]
    faces: list[dict] = []
    for number, facts in enumerate(read):
        first = next(n for n, earlier in enumerate(read) if earlier.cmap == facts.cmap)
        faces.append(
            {
                "weight": facts.weight,
                "italic": facts.italic,
                "writings": list(facts.writings),
                "ranges": _ranges(facts.cmap) if first == number else first,
            }
        )
    return faces


def _read_or_nothing(path: Path, face: int) -> FontFacts:
    try:
        return read_font(path, face)
    except Exception:  # fontTools raises many kinds on a damaged file
        return FontFacts(frozenset())


@cache
def _scanned(folders: tuple[Path, ...], index: Path) -> Scan:
    """The machine's fonts, scanned once per process."""
    return scan_fonts(folders, index)


def installed() -> tuple[SystemFont, ...]:
    """The machine's installed faces (CLIPCRAFT_FONT_DIRS, or the platform's folders), from the
    index where it is current; nothing is written."""
    return _scanned(tuple(font_dirs()), index_path()).fonts


def keep_index() -> None:
    """Keep what installed() found in the user cache folder for the next run (a real render
    does; a dry run writes nothing)."""
    index = index_path()
    write_index(_scanned(tuple(font_dirs()), index), index)


def ranked(fonts: Iterable[SystemFont], weight: int, writing: str | None) -> tuple[SystemFont, ...]:
    """`fonts` in the order they are asked to draw a character of a caption: upright first,
    then one made for the caption's East Asian `writing` (a Chinese caption's 骨 is not drawn
    as Japanese writes it), then the closest in weight to `weight` (a bold caption takes a
    bold face), then by path and face so the choice is stable."""

    def other_writing(font: SystemFont) -> int:
        """0: the caption's writing (or no East Asian one to match); 1: a face that does not
        say; 2: a face made for another."""
        if writing is None or writing in font.writings:
            return 0
        return 2 if font.writings else 1

    return tuple(
        sorted(
            fonts,
            key=lambda f: (f.italic, other_writing(f), abs(f.weight - weight), f.path, f.face),
        )
    )
