"""Font files held in memory, what each can draw, and which installed face draws a character.

Planning reads no file (docs/design.md): make.py reads every face a clip's captions may be
measured with into a book ahead of planning (faces.read_ahead) and seals it, and planning
measures with that book alone; a face it was not given is a mistake in what make.py read,
and says so rather than opening the file. Drawing, tools and tests use ON_DISK, which reads a
file the first time it is asked for and keeps it.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import ImageFont

from clipcraft.captions import system_fonts
from clipcraft.captions.system_fonts import FontFacts, SystemFont, file_and_face, read_font


class NotRead(RuntimeError):
    """Planning asked a sealed book for something make.py did not read: a bug, not a user's
    mistake."""


class FontBook:
    """Font files by path (bytes), their facts by face name (SystemFont.name: a path, `#N`
    for a collection's face N), and the installed faces once read."""

    def __init__(self) -> None:
        self.sealed = False
        self._files: dict[str, bytes] = {}
        self._facts: dict[str, FontFacts] = {}
        self._fonts: dict[tuple[str, int, ImageFont.Layout], ImageFont.FreeTypeFont] = {}
        self._installed: tuple[SystemFont, ...] | None = None
        self._ranked: dict[tuple[int, str | None], tuple[SystemFont, ...]] = {}

    def data(self, file: str) -> bytes:
        """The bytes of a font file."""
        if file not in self._files:
            if self.sealed:
                raise NotRead(f"planning needs the font {file}, which was not read before it")
            self._files[file] = Path(file).read_bytes()
        return self._files[file]

    def facts(self, name: str) -> FontFacts:
        """What a face can draw, and its weight (read from its file's cmap and OS/2 tables
        alone: the 11-MB emoji face is read whole only to draw an emoji)."""
        if name not in self._facts:
            if self.sealed:
                raise NotRead(f"planning needs what {name} draws, which was not read before it")
            file, face = file_and_face(name)
            self._facts[name] = read_font(Path(file), face)
        return self._facts[name]

    def font(self, name: str, size: int, engine: ImageFont.Layout) -> ImageFont.FreeTypeFont:
        """A face at `size` pixels, made from the bytes held (Pillow opens no file) once: Pillow
        copies the bytes for each font it makes, 3.5 ms for the emoji face's 11 MB."""
        key = (name, size, engine)
        if key not in self._fonts:
            file, face = file_and_face(name)
            data = io.BytesIO(self.data(file))
            self._fonts[key] = ImageFont.truetype(data, size, index=face, layout_engine=engine)
        return self._fonts[key]

    def read_installed(self) -> tuple[SystemFont, ...]:
        """The machine's installed faces (system_fonts.installed: scanned once per process and
        font folders); a sealed book has those it was given."""
        if self.sealed:
            if self._installed is None:
                raise NotRead("planning needs the installed fonts, which were not read before it")
            return self._installed
        installed = system_fonts.installed()
        if installed is not self._installed:  # another folder of fonts (CLIPCRAFT_FONT_DIRS)
            self._installed, self._ranked = installed, {}
        return installed

    def keep_index(self) -> None:
        """Keep the installed fonts' index in the user cache, if this book read them (a real
        render does; a dry run writes nothing)."""
        if self._installed is not None:
            system_fonts.keep_index()

    def installed_face(self, code: int, weight: int, writing: str | None) -> str | None:
        """The installed face to draw `code` with (system_fonts.ranked gives the order), by
        name; None when no installed face has it."""
        installed, key = self.read_installed(), (weight, writing)
        if key not in self._ranked:
            self._ranked[key] = system_fonts.ranked(installed, weight, writing)
        return next((font.name for font in self._ranked[key] if font.has(code)), None)


ON_DISK = FontBook()
"""The book drawing and tools read from: each file read when first asked for, then kept."""
