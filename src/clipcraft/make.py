"""Making one clip: the library's entry point that the CLI (and batch) call."""

from __future__ import annotations

from pathlib import Path

from clipcraft.moment import find_moment
from clipcraft.outputs import check_output, default_output
from clipcraft.plan import Plan, build_plan
from clipcraft.probe import probe
from clipcraft.recipe import Recipe
from clipcraft.sounds import find_sound
from clipcraft.subtitles import read_subtitles


def prepare(recipe: Recipe, source: Path, output: Path | None, force: bool) -> Plan:
    """Probe the input, check the output path, find the named sounds, and plan the clip."""
    media = probe(source)
    after = probe(Path(recipe.after.path)) if recipe.after.path else None
    inputs = [source, *([Path(after.path)] if after else [])]
    target = check_output(output or default_output(source), inputs, force)
    sounds = {cue.sound: find_sound(cue.sound) for cue in recipe.sound.effects}
    subtitles = recipe.captions.subtitles
    cues = read_subtitles(Path(subtitles)) if subtitles else None
    trim = recipe.trim
    needs_moment = trim.at is None and trim.start is None and trim.end is None
    found = find_moment(media) if needs_moment and media.kind == "video" else None
    return build_plan(recipe, media, target, sounds, cues, found, after)
