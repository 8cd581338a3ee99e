"""The resolved settings for one clip: plain frozen dataclasses, no parsing, no media.

Every layer (built-in defaults, presets, recipes, command-line flags) ends up here; what the
clip will look like is decided from a Recipe alone, never from flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Fit = Literal["auto", "crop", "blur", "pad"]
Quality = Literal["draft", "standard", "high"]

FITS: tuple[Fit, ...] = ("auto", "crop", "blur", "pad")
QUALITIES: tuple[Quality, ...] = ("draft", "standard", "high")

DEFAULT_DURATION = 8.0


@dataclass(frozen=True)
class TrimSettings:
    """Where the fail part comes from: a moment to centre on, or an explicit window."""

    at: float | None = None
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class OutputSettings:
    platform: str = "reels"
    fit: Fit = "auto"
    quality: Quality = "standard"
    preview: bool = False
    cover: str | None = None
    """Also write a cover JPEG: a path, or "" for the clip's own name with .jpg."""


NAMED_POINTS = ("moment", "start", "after", "end")
"""Where an effect can be placed by name instead of by seconds on the output."""


@dataclass(frozen=True)
class EffectCue:
    """One sound effect: a bundled name or a file, at seconds on the output or a named point."""

    sound: str
    when: float | str = "moment"


@dataclass(frozen=True)
class SoundSettings:
    effects: tuple[EffectCue, ...] = ()
    effect_volume_db: float = 0.0
    mute: bool = False
    duck: bool = True


Animation = Literal["none", "pop", "fade"]
ANIMATIONS: tuple[Animation, ...] = ("none", "pop", "fade")


@dataclass(frozen=True)
class CaptionSettings:
    """Text on the clip: captions over the fail, timed captions, the after's, the outro card."""

    texts: tuple[str, ...] = ()
    subtitles: str | None = None
    after_text: str | None = None
    outro: str | None = None
    style: str = "classic"
    font: str | None = None
    position: Literal["top", "middle", "bottom"] | None = None
    animation: Animation = "pop"


Transition = Literal["cut", "crossfade", "flash", "wipe", "slide"]
TRANSITIONS: tuple[Transition, ...] = ("cut", "crossfade", "flash", "wipe", "slide")
Layout = Literal["sequence", "split"]
LAYOUTS: tuple[Layout, ...] = ("sequence", "split")


@dataclass(frozen=True)
class AfterSettings:
    """The recovery or the finished dish, and how the clip gets to it."""

    path: str | None = None
    duration: float = 2.5
    start: float = 0.0
    transition: Transition = "flash"
    layout: Layout = "sequence"


@dataclass(frozen=True)
class BeatSettings:
    """Freeze-frame at the moment (seconds, 0 for none) and a slow-motion replay of it."""

    freeze: float = 0.0
    replay: bool = False


@dataclass(frozen=True)
class Recipe:
    duration: float = DEFAULT_DURATION
    trim: TrimSettings = field(default_factory=TrimSettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    sound: SoundSettings = field(default_factory=SoundSettings)
    captions: CaptionSettings = field(default_factory=CaptionSettings)
    after: AfterSettings = field(default_factory=AfterSettings)
    beats: BeatSettings = field(default_factory=BeatSettings)
