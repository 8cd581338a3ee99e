"""One definition per setting: the same bounds hold for a flag, a preset, a recipe and a
sidecar, and an error names where the value was written and what it accepts."""

from __future__ import annotations

import json
import shutil
from dataclasses import fields
from pathlib import Path

import pytest

from clipcraft.assets import asset_dir
from clipcraft.cli.main import flag_layer, make
from clipcraft.settings.layers import layer_from_toml, resolve, show_value, to_recipe
from clipcraft.settings.presets import recipe_layer
from clipcraft.settings.recipe import PER_PART, AfterPart
from clipcraft.settings.schema import SETTINGS

from helpers import assert_one_clean_error, clipcraft
from media import make_video

OUT_OF_BOUNDS = [
    ("duration = 600\n", "line 1", "duration: 600 is out of range: 0.5–180 s"),
    ("[after]\nduration = 0\n", "line 2", "after.duration: 0 is out of range: 0.5–30 s"),
    ("[beats]\n\nfreeze = 9\n", "line 3", "beats.freeze: 9 is out of range: 0 (none), or 0.2–5 s"),
    ("[sound]\nsfx_volume = 99\n", "line 2", "sound.sfx_volume: 99 is out of range: -40–20 dB"),
    ('after = { start = "-1" }\n', "line 1", "after.start: invalid time '-1'"),
    ("duration = nan\n", "line 1", "duration: nan is not a finite number"),
    ("[trim]\nat = inf\n", "line 2", "trim.at: inf is not a finite number"),
    (
        "[beats]\nfreeze = 0.05\n",
        "line 2",
        "beats.freeze: 0.05 is out of range: 0 (none), or 0.2–5 s",
    ),
    (
        '[[sfx]]\nsound = "ding"\n\n[[sfx]]\nsound = "boing"\nat = -3\n',
        "line 4",
        "sfx: item 2: at: -3 is out of range",
    ),
    ('[[caption]]\ntxt = "oops"\n', "line 1", "caption: unknown key 'txt'"),
    ("'duration' = 999\n", "line 1", "duration: 999 is out of range"),
]


@pytest.mark.parametrize(("text", "line", "words"), OUT_OF_BOUNDS)
def test_a_recipe_value_out_of_bounds_names_the_file_line_and_range(
    tmp_path: Path, text: str, line: str, words: str
) -> None:
    recipe = tmp_path / "week.toml"
    recipe.write_text(text, encoding="utf-8")
    result = clipcraft("make", tmp_path / "any.mov", "--recipe", recipe)
    assert_one_clean_error(result, 2, f"recipe week.toml, {line}: {words}")


@pytest.mark.parametrize(
    ("flag", "value", "words"),
    [
        ("--duration", "600", "600 is out of range: 0.5–180 s"),
        ("--after-duration", "0", "0 is out of range: 0.5–30 s"),
        ("--freeze", "9", "9 is out of range: 0 (none), or 0.2–5 s"),
        ("--sfx-volume", "99", "99 is out of range: -40–20 dB"),
        ("--sfx-volume", "nan", "nan is not a finite number"),
        ("--duration", "0:10", None),
    ],
)
def test_a_flag_is_held_to_the_same_bounds(
    tmp_path: Path, flag: str, value: str, words: str | None
) -> None:
    result = clipcraft("make", tmp_path / "any.mov", flag, value, "--dry-run")
    if words is None:  # in bounds: it gets as far as looking for the input
        assert_one_clean_error(result, 2, "any.mov")
    else:
        assert_one_clean_error(result, 2, flag, words)


def test_a_preset_file_is_held_to_the_same_bounds(tmp_path: Path) -> None:
    preset = tmp_path / "mine.toml"
    preset.write_text("[after]\nduration = 45\n", encoding="utf-8")
    result = clipcraft("make", tmp_path / "any.mov", "--preset", preset)
    assert_one_clean_error(result, 2, "mine.toml, line 2", "0.5–30 s")


@pytest.mark.media
def test_a_sidecar_out_of_bounds_fails_its_clip_alone(tmp_path: Path) -> None:
    roll = tmp_path / "roll"
    roll.mkdir()
    make_video(roll / "spill.mp4", seconds=3)
    make_video(roll / "toast.mp4", seconds=3)
    (roll / "spill.toml").write_text("# spill: longer\n\nduration = 600\n")
    report = tmp_path / "report.json"
    recipe = tmp_path / "fast.toml"
    recipe.write_text("duration = 2\n[trim]\nat = 1\n[output]\npreview = true\n")
    result = clipcraft(
        "batch", roll, "-o", tmp_path / "out", "--recipe", recipe, "--report", report
    )
    assert result.exit_code == 1
    clips = {clip["name"]: clip for clip in json.loads(report.read_text())["clips"]}
    assert clips["toast"]["status"] == "ok"
    assert clips["spill"]["status"] == "failed"
    assert "sidecar spill.toml, line 3: duration: 600 is out of range" in clips["spill"]["detail"]


def test_every_default_is_within_its_own_bounds_and_makes_the_default_recipe() -> None:
    defaults = {key: s.default for key, s in SETTINGS.items() if s.default not in (None, ())}
    layer = layer_from_toml("defaults", _nested(defaults), None)
    assert to_recipe(layer.values) == to_recipe({})
    assert to_recipe({}).duration == 8.0 and to_recipe({}).after.transition == "flash"


def test_every_setting_lands_in_its_own_recipe_field() -> None:
    """Setting each key moves exactly one field of the Recipe away from its default."""
    samples = {
        "Seconds": 3.0,
        "FontFile": "x.otf",
        "Choice": None,
        "Flag": None,
        "FilePath": "x.txt",
        "CaptionsSource": "x.vtt",
        "Text": "x",
        "Words": "x",
        "PlainName": "x",
        "ListOf": (),
        "Number": 3.0,
        "Music": "theme.mp3@2",
        "Speed": 4.0,
    }
    base = _fields(to_recipe({}))
    for key, setting in SETTINGS.items():
        kind = type(setting.kind).__name__
        value = samples[kind]
        if kind == "Choice":
            value = next(o for o in setting.kind.options if o != setting.default)  # type: ignore[attr-defined]
        elif kind == "Flag":
            value = not setting.default
        elif kind in ("ListOf", "Music"):
            value = setting.kind.read(["ding"] if kind == "ListOf" else value)
        changed = {
            name for name, field in _fields(to_recipe({key: value})).items() if field != base[name]
        }
        assert changed == {setting.field}, key


def _fields(recipe: object, prefix: str = "") -> dict[str, object]:
    found: dict[str, object] = {}
    for name, value in vars(recipe).items():
        if type(value).__name__.endswith("Settings"):  # a section of the Recipe
            found |= _fields(value, f"{prefix}{name}.")
        else:
            found[f"{prefix}{name}"] = value
    return found


def _nested(values: dict[str, object]) -> dict[str, object]:
    """Dotted keys → the tables TOML would parse them into."""
    tree: dict[str, object] = {}
    for key, value in values.items():
        *tables, name = key.split(".")
        table = tree
        for part in tables:
            table = table.setdefault(part, {})  # type: ignore[assignment]
        table[name] = list(value) if isinstance(value, tuple) else value
    return tree


def test_a_font_beside_a_recipe_is_found_from_anywhere(tmp_path: Path) -> None:
    folder = tmp_path / "week"
    folder.mkdir()
    face = next(asset_dir("fonts").glob("*.otf"))
    shutil.copy(face, folder / "mine.otf")
    (folder / "r.toml").write_text('[captions]\nfont = "mine.otf"\n', encoding="utf-8")
    layer = recipe_layer(folder / "r.toml")
    assert layer.values["captions.font"] == str(folder / "mine.otf")
    bundled = layer_from_toml("r", {"captions": {"font": face.name}}, folder)
    assert bundled.values["captions.font"] == face.name, "a bundled face keeps its name"


PART_SAMPLES = {
    "duration": ("3", 3.0),
    "start": ("1.5", 1.5),
    "speed": ("4", 4.0),
    "caption": ("yum", "yum"),
    "transition": ("wipe", "wipe"),
}
"""A value of each per-part setting as typed, and as a part settles with it."""


def test_an_after_parts_own_settings_are_declared_once() -> None:
    """recipe.PerPart's fields are the per-part settings, declared nowhere else: each is an
    [after] setting with a flag, and an [[after]] table, the flag typed after --after and
    [after] itself all set it, the part's own winning over what every part shares."""
    assert set(PART_SAMPLES) == set(PER_PART), "a sample of each, tried below"
    assert {item.name for item in fields(AfterPart)} == {"path", "own"}
    assert {key for key, setting in SETTINGS.items() if setting.per_part} == {
        f"after.{name}" for name in PER_PART
    }
    for name, (typed, settled) in PART_SAMPLES.items():
        setting = SETTINGS[f"after.{name}"]
        assert setting.flag is not None and setting.default != settled
        context = make.make_context("make", ["in.jpg", "--after", "a.jpg", setting.flag, typed])
        from_flags = resolve([flag_layer(context, context.params)]).recipe.after
        assert getattr(from_flags.settled()[0], name) == settled, setting.flag
        own = layer_from_toml("t", {"after": [{"file": "a", name: typed}, {"file": "b"}]}, None)
        first, second = resolve([own]).recipe.after.settled()
        assert (getattr(first, name), getattr(second, name)) == (settled, setting.default)
        assert show_value(own.values["after"][0]).endswith(f"{name} = {show_value(settled)} }}")
        shared = layer_from_toml("t", {"after": {name: typed}, "after.file": "b"}, None)
        assert getattr(resolve([shared]).recipe.after.settled()[0], name) == settled


def test_an_after_part_owns_only_per_part_settings() -> None:
    """A misspelt per-part name would otherwise be dropped silently for the shared value."""
    assert AfterPart(path="dish.jpg").with_own(caption="tada").own == {"caption": "tada"}
    with pytest.raises(TypeError, match="captoin"):
        AfterPart(path="dish.jpg").with_own(captoin="tada")
