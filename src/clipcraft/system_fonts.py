"""The fonts installed on this machine: found in the platform's font folders, their coverage
read once and kept in an index in the user cache folder.

A caption's character that no bundled face has is drawn by a system font that has it. The
folders are walked and each file's path, size and modification time compared with the index;
only a new or changed file is opened (its cmap, weight and slant read with fontTools), so a
warm index costs a walk and a JSON read — and only in a run whose caption needs it.
`CLIPCRAFT_FONT_DIRS` (folders separated by the platform's path separator) replaces the
platform's folders; `CLIPCRAFT_CACHE_DIR` the cache folder.
"""

from __future__ import annotations

import bisect
import json
import os
import sys
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

from fontTools.ttLib import TTFont

from clipcraft.outputs import atomic_output

FONT_DIRS_VARIABLE = "CLIPCRAFT_FONT_DIRS"
CACHE_DIR_VARIABLE = "CLIPCRAFT_CACHE_DIR"
SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
INDEX_VERSION = 1
REGULAR = 400


class FontFacts(NamedTuple):
    """What a font file can draw and how heavy and slanted it is (its first face, in a
    collection). A NamedTuple, not a dataclass: every run imports this module, and a frozen
    dataclass costs a millisecond to define."""

    cmap: frozenset[int]
    weight: int = REGULAR
    italic: bool = False


def read_font(path: Path) -> FontFacts:
    """The facts of a font file, read from its cmap and OS/2 tables.

    Glyph names are numbered rather than read: fontTools would otherwise parse the whole CFF
    or `post` table to name them, several times slower than reading the cmap itself.
    """
    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        font.setGlyphOrder([f"glyph{index}" for index in range(font["maxp"].numGlyphs)])
        cmap = frozenset(font.getBestCmap() or {})
        if "OS/2" not in font:
            return FontFacts(cmap)
        os2 = font["OS/2"]
        return FontFacts(cmap, int(os2.usWeightClass), bool(os2.fsSelection & 1))


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
    override = os.environ.get(CACHE_DIR_VARIABLE)
    if override:
        return Path(override) / "fonts.json"
    from platformdirs import user_cache_dir  # only a run that needs system fonts pays for it

    return Path(user_cache_dir("clipcraft")) / "fonts.json"


class SystemFont(NamedTuple):
    """One installed font file; its coverage as sorted ranges of code points."""

    path: str
    weight: int
    italic: bool
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    """The last code point of each range, inclusive."""

    def has(self, code: int) -> bool:
        at = bisect.bisect_right(self.starts, code) - 1
        return at >= 0 and code <= self.ends[at]


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


def index_fonts(folders: Iterable[Path], index: Path) -> tuple[SystemFont, ...]:
    """Every font file in `folders`, read only where the index at `index` does not already
    hold it at its size and modification time; the index is rewritten if anything changed."""
    try:
        stored = json.loads(index.read_text())
        known = stored["fonts"] if stored.get("version") == INDEX_VERSION else {}
    except (OSError, ValueError, KeyError, TypeError):
        known = {}
    current: dict[str, dict] = {}
    for path, stat in _font_files(folders):
        entry = known.get(path)
        if entry is None or (entry["size"], entry["mtime"]) != (stat.st_size, stat.st_mtime_ns):
            try:
                facts = read_font(Path(path))
            except Exception:  # not a font after all, or damaged: remembered as drawing nothing
                facts = FontFacts(frozenset())
            entry = {
                "size": stat.st_size,
                "mtime": stat.st_mtime_ns,
                "weight": facts.weight,
                "italic": facts.italic,
                "ranges": _ranges(facts.cmap),
            }
        current[path] = entry
    if current != known:
        try:
            index.parent.mkdir(parents=True, exist_ok=True)
            with atomic_output(index) as temporary:
                temporary.write_text(json.dumps({"version": INDEX_VERSION, "fonts": current}))
        except OSError:
            pass  # a read-only cache folder costs the next run the reading, nothing else
    return tuple(
        SystemFont(
            path,
            entry["weight"],
            entry["italic"],
            tuple(start for start, _ in entry["ranges"]),
            tuple(end for _, end in entry["ranges"]),
        )
        for path, entry in current.items()
        if entry["ranges"]
    )


@cache
def _installed(folders: tuple[Path, ...], index: Path) -> tuple[SystemFont, ...]:
    """The machine's fonts, indexed once per process."""
    return index_fonts(folders, index)


@cache
def _ranked(folders: tuple[Path, ...], index: Path, weight: int) -> tuple[SystemFont, ...]:
    fonts = _installed(folders, index)
    return tuple(sorted(fonts, key=lambda f: (f.italic, abs(f.weight - weight), f.path)))


def font_for(code: int, weight: int) -> str | None:
    """The installed font to draw `code` with: upright first, then the closest in weight to
    `weight` (a bold caption takes a bold face), then by path so the choice is stable."""
    for font in _ranked(tuple(font_dirs()), index_path(), weight):
        if font.has(code):
            return font.path
    return None
