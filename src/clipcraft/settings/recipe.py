"""The resolved settings for one clip: plain frozen dataclasses, no parsing, no media.

Every layer (built-in defaults, presets, recipes, command-line flags) ends up here; what the
clip will look like is decided from a Recipe alone, never from flags. The defaults live with
each setting in schema.py, so there are none here: `layers.to_recipe({})` is the default recipe.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

Fit = Literal["auto", "crop", "follow", "blur", "pad"]
Quality = Literal["draft", "standard", "high"]

FITS: tuple[Fit, ...] = ("auto", "crop", "follow", "blur", "pad")
QUALITIES: tuple[Quality, ...] = ("draft", "standard", "high")


@dataclass(frozen=True, kw_only=True)
class TrimSettings:
    """Where the fail part comes from: a moment to centre on, or an explicit window."""

    at: float | None
    start: float | None
    end: float | None


@dataclass(frozen=True, kw_only=True)
class OutputSettings:
    platform: str
    fit: Fit
    quality: Quality
    preview: bool
    stabilize: bool
    """Steady a handheld picture (a window that moves with the shake, a margin cropped)."""
    cover: str | None
    """Also write a cover JPEG: a path, or "" for the clip's own name with .jpg."""


NAMED_POINTS = ("moment", "start", "after", "end")
"""Where an effect can be placed by name instead of by seconds on the output."""


@dataclass(frozen=True)
class EffectCue:
    """One sound effect: a bundled name or a file, at seconds on the output or a named point."""

    sound: str
    when: float | str = "moment"
    offset: float = 0.0
    """Seconds after (or, negative, before) a named point: `bonk@moment+0.1`."""

    @property
    def place(self) -> str:
        """Where it plays, as typed after the `@`."""
        if isinstance(self.when, str) and self.offset:
            return f"{self.when}{self.offset:+g}"
        return str(self.when)


@dataclass(frozen=True)
class MusicCue:
    """A music bed: a sound file (or the name of one of the creator's sounds), played from
    `start` seconds into the track."""

    sound: str
    start: float = 0.0


@dataclass(frozen=True, kw_only=True)
class SoundSettings:
    effects: tuple[EffectCue, ...]
    effect_volume_db: float
    mute: bool
    duck: bool
    music: MusicCue | None
    music_volume_db: float
    beat_cut: bool


Animation = Literal["none", "pop", "fade", "words", "karaoke"]
ANIMATIONS: tuple[Animation, ...] = ("none", "pop", "fade", "words", "karaoke")
WORD_ANIMATIONS: tuple[Animation, ...] = ("words", "karaoke")
"""Animations that time each word (captions/word_timing.py): words appear in turn, or are
highlighted."""


@dataclass(frozen=True, kw_only=True)
class CaptionSettings:
    """Text on the clip: captions over the fail, timed captions, the after's, the outro card."""

    texts: tuple[str, ...]
    hooks: tuple[str, ...]
    prompts: tuple[str, ...]
    hook: str | None
    """A caption over the build-up, gone before the moment: why to keep watching."""
    subtitles: str | None
    """A captions file, or "speech": what is said, transcribed."""
    speech_model: str | None
    speech_lang: str
    lesson: str | None
    """A card after the last part: what the fail taught ("Lesson: grease the pan")."""
    outro: str | None
    style: str
    font: str | None
    position: Literal["top", "middle", "bottom"] | None
    animation: Animation


Transition = Literal["cut", "crossfade", "flash", "wipe", "slide"]
TRANSITIONS: tuple[Transition, ...] = ("cut", "crossfade", "flash", "wipe", "slide")
Layout = Literal["sequence", "split"]
LAYOUTS: tuple[Layout, ...] = ("sequence", "split")


Speed = float | Literal["auto"]
"""How fast an after video plays: a factor, or `auto`: the whole video fitted into its part."""


@dataclass(frozen=True, kw_only=True)
class PerPart:
    """What every after part shares and each may set of its own, declared here once: the
    settings of [after] (schema.py) of these names are the per-part ones, an [[after]] table
    and a flag typed after `--after` take exactly these, and the shared and the settled part
    are these fields."""

    duration: float
    start: float
    speed: Speed
    caption: str | None
    transition: Transition
    """How the part before turns into this one."""


PER_PART: tuple[str, ...] = tuple(item.name for item in fields(PerPart))


@dataclass(frozen=True, kw_only=True)
class AfterPart:
    """One part after the fail, in order: a photo or video, and the PerPart settings it sets
    of its own by name (left out, or None: the one every part shares)."""

    path: str
    own: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        unknown = set(self.own) - set(PER_PART)
        if unknown:  # a misspelt name would be silently shared instead of the part's own
            raise TypeError(f"not a per-part setting: {', '.join(sorted(unknown))}")

    def with_own(self, **settings: Any) -> AfterPart:
        """This part with `settings` (PerPart names) its own as well."""
        return replace(self, own={**self.own, **settings})


@dataclass(frozen=True, kw_only=True)
class PartSettings(PerPart):
    """An after part with every setting settled: its own, else the one all parts share."""

    path: str


@dataclass(frozen=True, kw_only=True)
class AfterSettings(PerPart):
    """The recovery and the finished dish, in order, and the settings every part shares
    unless it sets its own."""

    parts: tuple[AfterPart, ...]
    layout: Layout

    def settled(self) -> tuple[PartSettings, ...]:
        """Each part with what it does not set of its own taken from what they share."""
        shared = {name: getattr(self, name) for name in PER_PART}
        return tuple(
            PartSettings(
                path=part.path,
                **shared | {name: own for name, own in part.own.items() if own is not None},
            )
            for part in self.parts
        )


@dataclass(frozen=True, kw_only=True)
class BeatSettings:
    """Freeze-frame at the moment (seconds, 0 for none), a push-in on the action there (its
    scale, 1 for none) and a slow-motion replay of it."""

    freeze: float
    punch_in: float
    replay: bool


@dataclass(frozen=True, kw_only=True)
class Recipe:
    """One clip's settings; `series` names the series whose episodes it counts, if any."""

    duration: float
    trim: TrimSettings
    output: OutputSettings
    sound: SoundSettings
    captions: CaptionSettings
    after: AfterSettings
    beats: BeatSettings
    series: str | None
    auto: bool
    """Decide what the creator did not give from the footage (planning/auto.py)."""
