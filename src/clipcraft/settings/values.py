"""What a setting accepts: each kind reads a value as written in TOML or typed after a flag.

A kind raises UsageError with what is wrong and what to write instead, without naming the key:
the caller knows whether it was a flag, a preset's line or a sidecar's, and says so.
The same kind reads every layer, so a bound holds wherever the value comes from.
"""

from __future__ import annotations

import contextlib
import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from clipcraft.errors import UsageError
from clipcraft.settings.recipe import NAMED_POINTS, AfterPart, EffectCue, MusicCue
from clipcraft.settings.units import near_point, parse_effect_cue, parse_music_cue, parse_time


class Kind:
    """The base of every kind: a value is read as it is, and lands in the Recipe as read."""

    metavar = "VALUE"

    def read(self, value: Any) -> Any:
        return value

    def settle(self, value: Any) -> Any:
        """The value as the Recipe holds it (the layer keeps it as written, for `--origin`)."""
        return value

    def beside(self, value: Any, folder: Path) -> Any:
        """The value read from a file in `folder`: relative paths are relative to it."""
        return value

    def accepts(self) -> str:
        """What it takes, in a few words, for the docs."""
        return ""

    def bounds(self) -> str:
        """Its range, where it has one worth saying in the help."""
        return ""


def _range(low: float, high: float | None, unit: str) -> str:
    if high is None:
        return f"at least {low:g}{unit}"
    return f"{low:g}–{high:g}{unit}"


def _within(value: float, low: float, high: float | None, allowed: str) -> float:
    """`value`, or an error saying it is not finite or not what is `allowed`."""
    if not math.isfinite(value):
        raise UsageError(f"{value} is not a finite number")
    if value < low or (high is not None and value > high):
        raise UsageError(f"{value:g} is out of range: {allowed}")
    return value


@dataclass(frozen=True)
class Seconds(Kind):
    """Seconds (`7.5`) or a clock time (`0:07.5`), within bounds; `auto` where it is allowed
    (the Recipe holds it as None: find it)."""

    low: float = 0.0
    high: float | None = None
    auto: bool = False
    off: bool = False
    """0 is allowed below `low`, meaning none."""
    metavar = "SECONDS"

    def read(self, value: Any) -> float | str:
        if self.auto and value == "auto":
            return "auto"
        if self.off and value in (0, "0"):
            return 0.0
        if isinstance(value, bool):
            raise UsageError(f"expected seconds, got {value!r}")
        if isinstance(value, str):
            value = parse_time(value)
        if not isinstance(value, int | float):
            raise UsageError(f'expected seconds such as 7.5 or "0:07.5", got {value!r}')
        allowed = self.accepts() if self.off else _range(self.low, self.high, " s")
        return _within(float(value), self.low, self.high, allowed)

    def settle(self, value: Any) -> Any:
        return None if value == "auto" else value

    def bounds(self) -> str:
        if not self.low and self.high is None:
            return ""
        return ("0, or " if self.off else "") + _range(self.low, self.high, " s")

    def accepts(self) -> str:
        either = "auto, or " if self.auto else "0 (none), or " if self.off else ""
        return either + _range(self.low, self.high, " s")


@dataclass(frozen=True)
class Number(Kind):
    low: float
    high: float
    unit: str
    metavar = "NUMBER"

    def read(self, value: Any) -> float:
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = float(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise UsageError(f"expected a number, got {value!r}")
        return _within(float(value), self.low, self.high, self.accepts())

    def accepts(self) -> str:
        return _range(self.low, self.high, f" {self.unit}")

    def bounds(self) -> str:
        return self.accepts()


@dataclass(frozen=True)
class Choice(Kind):
    options: tuple[str, ...]

    @property
    def metavar(self) -> str:  # type: ignore[override]
        return "[" + "|".join(self.options) + "]"

    def read(self, value: Any) -> str:
        if value not in self.options:
            close = difflib.get_close_matches(str(value), self.options, n=3, cutoff=0.4)
            hint = f"did you mean {', '.join(close)}?" if close else f"one of {self.accepts()}"
            raise UsageError(f"unknown value {value!r}", hint)
        return str(value)

    def accepts(self) -> str:
        return " | ".join(self.options)


@dataclass(frozen=True)
class Text(Kind):
    metavar: str = "TEXT"

    def read(self, value: Any) -> str:
        if not isinstance(value, str):
            raise UsageError(f"expected text, got {value!r}")
        return value

    def accepts(self) -> str:
        return "text"


class Words(Text):
    """Text that must say something: a hook of only spaces would be a caption of nothing."""

    def read(self, value: Any) -> str:
        text = super().read(value)
        if not text.strip():
            raise UsageError("an empty text", "give the words to show, or leave the setting out")
        return text

    def accepts(self) -> str:
        return "text, not empty"


PLAIN_NAME = re.compile(r"[\w-](?:[\w -]{0,62}[\w-])?")
"""Letters, digits, `-`, `_` and spaces inside, at most 64: a name that is only a file's name."""


def plain_name(value: str) -> str:
    """`value` if it is a plain name, else an error saying what one is."""
    if not PLAIN_NAME.fullmatch(value):
        raise UsageError(
            f"{value!r} is not a plain name",
            "use letters, digits, -, _ and spaces between them (at most 64)",
        )
    return value


@dataclass(frozen=True)
class PlainName(Text):
    """A name clipcraft turns into a file's name in its data folder, so a recipe (perhaps
    someone else's) never chooses where clipcraft writes."""

    metavar: str = "NAME"

    def read(self, value: Any) -> str:
        return plain_name(super().read(value))

    def accepts(self) -> str:
        return "a plain name: letters, digits, -, _ and spaces"


@dataclass(frozen=True)
class FilePath(Text):
    """A file's path; written in a recipe file, it is relative to that file."""

    metavar: str = "FILE"

    def beside(self, value: Any, folder: Path) -> Any:
        return str(folder / Path(value).expanduser()) if value else value

    def accepts(self) -> str:
        return "a file's path (in a recipe, relative to the recipe)"


SPEECH = "speech"
"""`--captions speech`: the captions are what is said (captions/speech)."""


@dataclass(frozen=True)
class CaptionsSource(FilePath):
    """A captions file's path, or `speech`."""

    metavar: str = "FILE|speech"

    def beside(self, value: Any, folder: Path) -> Any:
        return value if value == SPEECH else super().beside(value, folder)

    def accepts(self) -> str:
        return f"an .srt or .vtt file's path (in a recipe, relative to it), or {SPEECH}"


@dataclass(frozen=True)
class FontFile(Text):
    """A bundled face's name or a font file; written in a recipe file, a file beside it."""

    metavar: str = "NAME|PATH"

    def beside(self, value: Any, folder: Path) -> Any:
        candidate = folder / Path(value).expanduser()
        return str(candidate) if candidate.is_file() else value

    def accepts(self) -> str:
        return "a bundled face's name, or a font file's path (in a recipe, relative to it)"


@dataclass(frozen=True)
class Speed(Kind):
    """A playing speed (`4`: four times as fast) within bounds, or `auto`."""

    low: float
    high: float
    metavar = "N|auto"

    def read(self, value: Any) -> float | str:
        if value == "auto":
            return "auto"
        return Number(self.low, self.high, "x").read(value)

    def accepts(self) -> str:
        return f"auto, or {_range(self.low, self.high, 'x')}"

    def bounds(self) -> str:
        return self.accepts()


class Flag(Kind):
    def read(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise UsageError(f"expected true or false, got {value!r}")
        return value

    def accepts(self) -> str:
        return "true | false"


@dataclass(frozen=True)
class ListOf(Kind):
    """Several values (a flag typed again, or a TOML array of tables); a later layer that
    sets the list replaces it whole."""

    item: Kind

    @property
    def metavar(self) -> str:  # type: ignore[override]
        return self.item.metavar

    def read(self, value: Any) -> tuple[Any, ...]:
        items: list[Any] = list(value) if isinstance(value, list | tuple) else [value]
        read = []
        for index, item in enumerate(items):
            try:
                read.append(self.item.read(item))
            except UsageError as error:
                if len(items) == 1:
                    raise
                raise ItemError(error.message, error.hint, index) from None
        return tuple(read)

    def beside(self, value: Any, folder: Path) -> Any:
        return tuple(self.item.beside(item, folder) for item in value)

    def accepts(self) -> str:
        return f"one or more: {self.item.accepts()}".rstrip(": ")


class ItemError(UsageError):
    """What is wrong with one item of a list, and which (counting from 0)."""

    def __init__(self, message: str, hint: str | None, index: int) -> None:
        super().__init__(f"item {index + 1}: {message}", hint)
        self.index = index


class CaptionText(Text):
    """A caption: text, or a `[[caption]]` table with `text = "…"`."""

    def read(self, value: Any) -> str:
        if isinstance(value, dict):
            unknown = set(value) - {"text"}
            if unknown:
                raise UsageError(f"unknown key {sorted(unknown)[0]!r}", 'use text = "…"')
            value = value.get("text")
        return super().read(value)


def _table(value: Any, keys: tuple[str, str], missing: str) -> dict[str, Any]:
    """`value` as a TOML table that holds its first key and no key but these two."""
    if not isinstance(value, dict) or keys[0] not in value:
        raise UsageError(missing)
    unknown = set(value) - set(keys)
    if unknown:
        raise UsageError(f"unknown key {sorted(unknown)[0]!r}", f"use {keys[0]} and {keys[1]}")
    return value


def _seconds_in(table: dict[str, Any], key: str, default: float) -> float:
    """A table's time, its key named in an error."""
    value = table.get(key, default)
    try:
        return float(Seconds().read(value))
    except UsageError as error:
        raise UsageError(f"{key}: {error.message}", error.hint) from None


class Cue(Kind):
    """A sound effect: `NAME|PATH[@WHEN]`, or a `[[sfx]]` table with `sound` and `at`."""

    metavar = "NAME|PATH[@WHEN]"

    def read(self, value: Any) -> EffectCue:
        if isinstance(value, EffectCue):
            return value
        if isinstance(value, str):
            return parse_effect_cue(value)
        table = _table(value, ("sound", "at"), 'each [[sfx]] needs sound = "NAME" (and at = ...)')
        sound = Text().read(table["sound"])
        named = near_point(sound, str(table.get("at", "moment")))
        return named or EffectCue(sound, _seconds_in(table, "at", 0.0))

    def beside(self, value: Any, folder: Path) -> Any:
        """A sound named by a relative path in a recipe file is looked for beside the file."""
        candidate = folder / value.sound
        return replace(value, sound=str(candidate)) if candidate.is_file() else value

    def accepts(self) -> str:
        return f"a sound at seconds on the clip or at {' | '.join(NAMED_POINTS)}[+-SECONDS]"


class Music(Kind):
    """A music bed: `NAME|PATH[@START]`, or a `[music]` table with `file` and `start`."""

    metavar = "FILE[@START]"

    def read(self, value: Any) -> MusicCue:
        if isinstance(value, MusicCue):
            return value
        if isinstance(value, str):
            return parse_music_cue(value)
        table = _table(value, ("file", "start"), 'music is "FILE[@START]", or [music] with file')
        return MusicCue(Text().read(table["file"]), float(_seconds_in(table, "start", 0.0)))

    def beside(self, value: Any, folder: Path) -> Any:
        """A track named by a relative path in a recipe file is looked for beside the file."""
        candidate = folder / Path(value.sound).expanduser()
        return MusicCue(str(candidate), value.start) if candidate.is_file() else value

    def accepts(self) -> str:
        return "a sound file (or one of your sounds' names), from START seconds into it"


@dataclass(frozen=True)
class AfterEntry(Kind):
    """An after part: a file's path, or an `[[after]]` table with `file` and any of the keys
    every part shares (each read by that setting's own kind, so the bounds are the same)."""

    shared: Mapping[str, Kind]
    """The [after] settings a part may set of its own, by their name in the table."""
    metavar = "FILE"

    def read(self, value: Any) -> AfterPart:
        if isinstance(value, AfterPart):
            return value
        if isinstance(value, str):
            return AfterPart(path=FilePath().read(value))
        if not isinstance(value, dict) or "file" not in value:
            raise UsageError('each [[after]] needs file = "PATH" (and any of its own settings)')
        own: dict[str, Any] = {}
        for key, item in value.items():
            if key == "file":
                continue
            if key not in self.shared:
                keys = ", ".join(["file", *self.shared])
                raise UsageError(f"unknown key {key!r}", f"an [[after]] takes {keys}")
            try:
                own[key] = self.shared[key].settle(self.shared[key].read(item))
            except UsageError as error:
                raise UsageError(f"{key}: {error.message}", error.hint) from None
        return AfterPart(path=FilePath().read(value["file"]), own=own)

    def beside(self, value: Any, folder: Path) -> Any:
        return replace(value, path=FilePath().beside(value.path, folder))

    def accepts(self) -> str:
        return "a photo or video (in a recipe, relative to it), or an [[after]] table"
