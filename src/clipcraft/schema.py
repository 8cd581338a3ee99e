"""The recipe schema: every setting's key, what it accepts, and layering with origins.

Recipes, presets, batch sidecars and command-line flags all speak the same dotted keys
(`trim.at`, `after.transition`, …). Each source becomes a *layer*; later layers win key by key
(a list such as `caption` is replaced whole), and every value remembers the layer it came from
so `presets show --origin` can say why a clip looks the way it does.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clipcraft.errors import UsageError
from clipcraft.platforms import PLATFORMS
from clipcraft.recipe import (
    ANIMATIONS,
    FITS,
    LAYOUTS,
    QUALITIES,
    TRANSITIONS,
    AfterSettings,
    BeatSettings,
    CaptionSettings,
    EffectCue,
    OutputSettings,
    Recipe,
    SoundSettings,
    TrimSettings,
)
from clipcraft.styles import POSITIONS, STYLES
from clipcraft.units import parse_time

Check = Callable[[Any, str], Any]


def _seconds(value: Any, key: str) -> float:
    if isinstance(value, bool):
        raise UsageError(f"{key}: expected seconds, got {value!r}")
    if isinstance(value, int | float):
        if value < 0:
            raise UsageError(f"{key}: must not be negative")
        return float(value)
    if isinstance(value, str):
        try:
            return parse_time(value)
        except UsageError as error:
            raise UsageError(f"{key}: {error.message}", error.hint) from None
    raise UsageError(f'{key}: expected seconds such as 7.5 or "0:07.5", got {value!r}')


def _moment(value: Any, key: str) -> float | str:
    return "auto" if value == "auto" else _seconds(value, key)


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise UsageError(f"{key}: expected text, got {value!r}")
    return value


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise UsageError(f"{key}: expected true or false, got {value!r}")
    return value


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"{key}: expected a number, got {value!r}")
    return float(value)


def _choice(options: tuple[str, ...] | Mapping[str, Any]) -> Check:
    def check(value: Any, key: str) -> str:
        if value not in options:
            close = difflib.get_close_matches(str(value), list(options), n=3, cutoff=0.4)
            hint = f"did you mean {', '.join(close)}?" if close else f"one of {', '.join(options)}"
            raise UsageError(f"{key}: unknown value {value!r}", hint)
        return value

    return check


def _captions(value: Any, key: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    texts = []
    for item in items:
        text = item.get("text") if isinstance(item, dict) else item
        texts.append(_text(text, f"{key}.text"))
    return tuple(texts)


def _effects(value: Any, key: str) -> tuple[EffectCue, ...]:
    items = value if isinstance(value, list) else [value]
    cues = []
    for item in items:
        if isinstance(item, EffectCue):
            cues.append(item)
            continue
        if not isinstance(item, dict) or "sound" not in item:
            raise UsageError(f'{key}: each [[sfx]] needs sound = "NAME" (and at = ...)')
        unknown = set(item) - {"sound", "at"}
        if unknown:
            raise UsageError(f"{key}: unknown key {sorted(unknown)[0]!r}", "use sound and at")
        at = item.get("at", "moment")
        when = at if at in ("moment", "start", "after", "end") else _seconds(at, f"{key}.at")
        cues.append(EffectCue(_text(item["sound"], f"{key}.sound"), when))
    return tuple(cues)


KEYS: dict[str, Check] = {
    "duration": _seconds,
    "trim.at": _moment,
    "trim.start": _seconds,
    "trim.end": _seconds,
    "output.platform": _choice(PLATFORMS),
    "output.fit": _choice(FITS),
    "output.quality": _choice(QUALITIES),
    "output.preview": _flag,
    "output.cover": _text,
    "caption": _captions,
    "captions.style": _choice(STYLES),
    "captions.font": _text,
    "captions.position": _choice(POSITIONS),
    "captions.animation": _choice(ANIMATIONS),
    "captions.file": _text,
    "captions.outro": _text,
    "sfx": _effects,
    "sound.sfx_volume": _number,
    "sound.mute": _flag,
    "sound.duck": _flag,
    "after.file": _text,
    "after.duration": _seconds,
    "after.start": _seconds,
    "after.transition": _choice(TRANSITIONS),
    "after.layout": _choice(LAYOUTS),
    "after.caption": _text,
    "beats.freeze": _seconds,
    "beats.replay": _flag,
    "series.name": _text,
}
"""Every key a recipe may set, and the check that turns what was written into a value."""

PATH_KEYS = ("after.file", "captions.file")
"""Keys naming files: relative paths in a recipe file are relative to that file."""


@dataclass(frozen=True)
class Layer:
    """One source of settings: a name for `--origin`, and dotted keys with checked values."""

    name: str
    values: Mapping[str, Any]


def layer_from_toml(name: str, data: Mapping[str, Any], folder: Path | None) -> Layer:
    """A layer from parsed TOML: nested tables become dotted keys, each one checked."""
    values: dict[str, Any] = {}
    for key, value in _flatten(data):
        if key not in KEYS:
            close = difflib.get_close_matches(key, list(KEYS), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}?" if close else "see docs/recipes.md for the keys"
            raise UsageError(f"{name}: unknown key {key!r}", hint)
        checked = KEYS[key](value, f"{name}: {key}")
        if key in PATH_KEYS and folder is not None:
            checked = str(folder / Path(checked).expanduser())
        if key == "sfx" and folder is not None:
            checked = tuple(_beside(cue, folder) for cue in checked)
        values[key] = checked
    return Layer(name, values)


def _beside(cue: EffectCue, folder: Path) -> EffectCue:
    """A sound named by a relative path in a recipe file is looked for beside the file."""
    candidate = folder / cue.sound
    return EffectCue(str(candidate), cue.when) if candidate.is_file() else cue


def _flatten(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and dotted not in KEYS:
            items += _flatten(value, f"{dotted}.")
        else:
            items.append((dotted, value))
    return items


@dataclass(frozen=True)
class Resolved:
    """The merged settings, where each came from, and the Recipe they make."""

    values: dict[str, Any]
    origins: dict[str, str]
    recipe: Recipe
    warnings: tuple[str, ...] = field(default=())


def resolve(layers: list[Layer]) -> Resolved:
    """Merge layers (later wins, key by key) and build the Recipe."""
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for layer in layers:
        for key, value in layer.values.items():
            values[key] = value
            origins[key] = layer.name
    return Resolved(values, origins, to_recipe(values))


def without_orphans(resolved: Resolved) -> Resolved:
    """A preset's after caption is left out (with a warning) when there is no after part;
    typed as a flag, it stays, and the plan says what is missing."""
    values, origins = resolved.values, resolved.origins
    if (
        not values.get("after.caption")
        or values.get("after.file")
        or (origins.get("after.caption") == "flag")
    ):
        return resolved
    kept = {key: value for key, value in values.items() if key != "after.caption"}
    warning = (
        f"the after caption from {origins['after.caption']} is left out: there is no "
        "after part (add --after FILE)"
    )
    return Resolved(kept, origins, to_recipe(kept), (*resolved.warnings, warning))


def to_recipe(values: Mapping[str, Any]) -> Recipe:
    """Plain settings → the frozen Recipe, defaults where a key is not set."""
    get = values.get
    defaults = Recipe()
    at = get("trim.at")
    return Recipe(
        duration=get("duration", defaults.duration),
        trim=TrimSettings(
            at=None if at == "auto" else at, start=get("trim.start"), end=get("trim.end")
        ),
        output=OutputSettings(
            platform=get("output.platform", defaults.output.platform),
            fit=get("output.fit", defaults.output.fit),
            quality=get("output.quality", defaults.output.quality),
            preview=get("output.preview", False),
            cover=get("output.cover"),
        ),
        sound=SoundSettings(
            effects=get("sfx", ()),
            effect_volume_db=get("sound.sfx_volume", 0.0),
            mute=get("sound.mute", False),
            duck=get("sound.duck", True),
        ),
        captions=CaptionSettings(
            texts=get("caption", ()),
            subtitles=get("captions.file"),
            after_text=get("after.caption"),
            outro=get("captions.outro"),
            style=get("captions.style", defaults.captions.style),
            font=get("captions.font"),
            position=get("captions.position"),
            animation=get("captions.animation", defaults.captions.animation),
        ),
        after=AfterSettings(
            path=get("after.file"),
            duration=get("after.duration", defaults.after.duration),
            start=get("after.start", 0.0),
            transition=get("after.transition", defaults.after.transition),
            layout=get("after.layout", defaults.after.layout),
        ),
        beats=BeatSettings(freeze=get("beats.freeze", 0.0), replay=get("beats.replay", False)),
    )
