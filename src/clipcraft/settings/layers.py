"""Layers of settings, merged with origins, into the Recipe.

Presets, recipes, batch sidecars and the flags typed all speak the schema's dotted keys
(`trim.at`, `after.transition`, …). Each source becomes a *layer*; later layers win key by key
(a list such as `caption` is replaced whole), and every value remembers the layer it came from
so `presets show --origin` can say why a clip looks the way it does, and a resolved recipe
is shown back as the TOML lines it could be written as.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any, get_type_hints

from clipcraft.errors import UsageError
from clipcraft.settings.recipe import PER_PART, AfterPart, EffectCue, MusicCue, Recipe
from clipcraft.settings.schema import SETTINGS
from clipcraft.settings.values import ItemError


@dataclass(frozen=True)
class Layer:
    """One source of settings: a name for `--origin`, and dotted keys with checked values."""

    name: str
    values: Mapping[str, Any]


def layer_from_toml(
    name: str, data: Mapping[str, Any], folder: Path | None, text: str = ""
) -> Layer:
    """A layer from parsed TOML: nested tables become dotted keys, each one read by its kind.

    An error names the layer, the line of `text` (the file as written) and what it accepts.
    """
    values: dict[str, Any] = {}

    def where(key: str, item: int = 0) -> str:
        """The layer and, when it can be found, the line (looked up only for an error)."""
        line = _line_of(text, key, item)
        return f"{name}, line {line}" if line else name

    for written, value in _flatten(data):
        key = RENAMED.get(written, written)
        if key not in SETTINGS:
            close = difflib.get_close_matches(key, list(SETTINGS), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}?" if close else "see docs/recipes.md for the keys"
            raise UsageError(f"{where(written)}: unknown key {written!r}", hint)
        kind = SETTINGS[key].kind
        try:
            checked = kind.read(value)
        except UsageError as error:
            item = error.index if isinstance(error, ItemError) else 0
            raise UsageError(
                f"{where(written, item)}: {written}: {error.message}", error.hint
            ) from None
        values[key] = kind.beside(checked, folder) if folder is not None else checked
    return Layer(name, values)


RENAMED = {"after.file": "after"}
"""Keys written before a setting took their place: `[after] file = …` is the one after."""


def _flatten(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Dotted keys and their values; a table is read as its keys where it names a section
    (`[after]`), and as one value where it is a setting's own (`[music]`)."""
    items: list[tuple[str, Any]] = []
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and (dotted not in SETTINGS or _is_section(dotted)):
            items += _flatten(value, f"{dotted}.")
        else:
            items.append((dotted, value))
    return items


def _is_section(name: str) -> bool:
    return any(key.startswith(f"{name}.") for key in SETTINGS)


_HEADER = re.compile(r"^\[\[?\s*([^\]]+?)\s*\]\]?")
_ASSIGNED = re.compile(r"^([\w.\-\"' ]+?)\s*=")


def _line_of(text: str, key: str, item: int = 0) -> int | None:
    """The line that sets dotted `key` in TOML `text`; for a list of tables, the header of its
    `item`-th table (counting from 0)."""
    table, seen = "", 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = _HEADER.match(stripped)
        if header:
            table = _bare(header.group(1))
            if table == key:
                if seen == item:
                    return number
                seen += 1
            continue
        assigned = _ASSIGNED.match(stripped)
        if assigned:
            name = _bare(assigned.group(1))
            dotted = f"{table}.{name}" if table else name
            if dotted == key or key.startswith(f"{dotted}."):
                return number
    return None


def _bare(key: str) -> str:
    """A TOML key as the parser sees it: no quotes, no spaces around the dots."""
    return key.replace('"', "").replace("'", "").replace(" ", "")


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
    """What a preset or recipe ties to the after part (its caption, effects at `after`) is
    left out, with a warning, when there is no after part; typed as a flag, it stays, and
    the plan says what is missing."""
    values, origins = resolved.values, resolved.origins
    if values.get("after"):
        return resolved
    kept, warnings = dict(values), list(resolved.warnings)
    missing = "there is no after part (add --after FILE)"
    if values.get("after.caption") and origins.get("after.caption") != "flag":
        del kept["after.caption"]
        warnings.append(f"the after caption from {origins['after.caption']} is left out: {missing}")
    cues = values.get("sfx", ())
    if origins.get("sfx") != "flag" and any(cue.when == "after" for cue in cues):
        kept["sfx"] = tuple(cue for cue in cues if cue.when != "after")
        dropped = ", ".join(f"{cue.sound}@after" for cue in cues if cue.when == "after")
        warnings.append(f"the effect {dropped} from {origins['sfx']} is left out: {missing}")
    if kept == values:
        return resolved
    return Resolved(kept, origins, to_recipe(kept), tuple(warnings))


def to_recipe(values: Mapping[str, Any]) -> Recipe:
    """Settings by key → the frozen Recipe, each setting's default where it is not set."""
    top: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {}
    for setting in SETTINGS.values():
        value = setting.kind.settle(values.get(setting.key, setting.default))
        section, _, name = setting.field.rpartition(".")
        (sections.setdefault(section, {}) if section else top)[name] = value
    kinds = _section_kinds()
    return Recipe(**top, **{name: kinds[name](**given) for name, given in sections.items()})


@cache
def _section_kinds() -> dict[str, Any]:
    """Each section of the Recipe and the dataclass that holds it."""
    hints = get_type_hints(Recipe)
    return {item.name: hints[item.name] for item in fields(Recipe)}


def settings_lines(resolved: Resolved, origin: bool) -> list[str]:
    """`key = value` for each setting that is set, in the schema's order, with the layer it
    came from as a comment when `origin` is on (`presets show`, `batch --dry-run`)."""
    return [
        f"{key} = {show_value(resolved.values[key])}"
        + (f"    # {resolved.origins[key]}" if origin else "")
        for key in SETTINGS
        if key in resolved.values
    ]


def show_value(value: Any) -> str:
    """A setting's value as TOML would write it (what `presets show` prints)."""
    if isinstance(value, tuple):
        return "[" + ", ".join(show_value(item) for item in value) + "]"
    if isinstance(value, EffectCue):
        at = json.dumps(value.place if isinstance(value.when, str) else value.when)
        return f"{{ sound = {json.dumps(value.sound)}, at = {at} }}"
    if isinstance(value, MusicCue):
        return f"{{ file = {json.dumps(value.sound)}, start = {value.start:g} }}"
    if isinstance(value, AfterPart):
        own = [
            f"{name} = {show_value(value.own[name])}"
            for name in PER_PART
            if value.own.get(name) is not None
        ]
        return "{ " + ", ".join([f"file = {json.dumps(value.path)}", *own]) + " }"
    return json.dumps(value, ensure_ascii=False)
