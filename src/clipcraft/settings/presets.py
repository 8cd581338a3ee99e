"""Finding and reading presets and recipes (TOML files with the recipe schema's keys).

Built-in presets ship in the package; a user's live in `click.get_app_dir("clipcraft")/presets`
and shadow a built-in of the same name. `--preset` takes a name, or a path to a file.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import click

from clipcraft.assets import asset_dir
from clipcraft.errors import UsageError
from clipcraft.media.named import named_file
from clipcraft.media.outputs import atomic_output
from clipcraft.settings.layers import Layer, layer_from_toml

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class Preset:
    name: str
    path: Path
    builtin: bool


def user_folder() -> Path:
    """Where a user's own presets live (created on first `presets new`)."""
    override = os.environ.get("CLIPCRAFT_CONFIG_DIR")
    base = Path(override) if override else Path(click.get_app_dir("clipcraft"))
    return base / "presets"


def available() -> dict[str, Preset]:
    """Every preset by name; a user's shadows a built-in of the same name."""
    found = {p.stem: Preset(p.stem, p, True) for p in _preset_files(asset_dir("presets"))}
    if user_folder().is_dir():
        found |= {p.stem: Preset(p.stem, p, False) for p in _preset_files(user_folder())}
    return found


def _preset_files(folder: Path) -> list[Path]:
    """The preset files in `folder`: a folder named like one (`old.toml/`) is none."""
    return sorted(path for path in folder.glob("*.toml") if path.is_file())


def find_preset(name_or_path: str) -> Preset:
    """A preset by name, or a preset file by an explicit path."""
    presets = available()
    if name_or_path in presets:
        return presets[name_or_path]
    path = Path(name_or_path).expanduser()
    looks_like_path = os.sep in name_or_path or name_or_path.endswith(".toml")
    if looks_like_path:
        if os.path.lexists(path):  # a folder, an unreadable or empty file is named as such
            return Preset(path.stem, named_file(path, "preset file"), False)
        raise UsageError(f"preset file {name_or_path!r} not found", "check the path")
    close = difflib.get_close_matches(name_or_path, presets, n=3, cutoff=0.4)
    hint = f"did you mean {', '.join(close)}?" if close else "see `clipcraft presets`"
    raise UsageError(f"unknown preset {name_or_path!r}", hint)


def read_toml(path: Path, what: str) -> tuple[str, dict]:
    """The file's text and its parsed TOML, or a one-line error naming the file and the line."""
    try:
        text = named_file(path, what).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: is not UTF-8 text") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = _LINE.search(str(error))
        line = f"line {where.group(1)}" if where else "somewhere"
        reason = _LINE.sub("", str(error)).strip()
        raise UsageError(f"{path}, {line}: invalid TOML: {reason}") from None


def preset_layer(preset: Preset) -> Layer:
    label = (
        f"preset {preset.name}"
        if preset.builtin or preset.path.parent == user_folder()
        else f"preset {preset.path}"
    )
    return _file_layer(label, preset.path, "preset file")


def recipe_layer(path: Path, label: str = "recipe") -> Layer:
    return _file_layer(f"{label} {path.name}", path, "recipe file")


def _file_layer(label: str, path: Path, what: str) -> Layer:
    text, data = read_toml(path, what)
    return layer_from_toml(label, data, path.parent, text)


def new_preset(name: str, base: str | None) -> Path:
    """Write a commented preset into the user folder (from a base preset, or the template)."""
    if not NAME.match(name):
        raise UsageError(
            f"preset name {name!r} is not allowed", "use lowercase letters, digits, - and _"
        )
    folder = user_folder()
    target = folder / f"{name}.toml"
    if target.exists():
        raise UsageError(f"{target}: already exists", "edit it, or choose another name")
    source = find_preset(base).path if base else asset_dir("presets") / "template.toml.txt"
    folder.mkdir(parents=True, exist_ok=True)
    header = f"# {name}: made by `clipcraft presets new` from {base or 'the template'}.\n"
    with atomic_output(target) as temporary:
        temporary.write_text(header + source.read_text(encoding="utf-8"), encoding="utf-8")
    return target
