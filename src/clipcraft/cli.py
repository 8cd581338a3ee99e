"""The command line: parse, call the library, report. Errors are rendered here, once."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from types import FrameType
from typing import Any

import click
from click.core import ParameterSource

from clipcraft import __version__
from clipcraft.batch import Outcome, default_workers, run_batch, write_report
from clipcraft.batch import report as batch_report
from clipcraft.errors import ClipcraftError, Interrupted, UsageError
from clipcraft.make import make_clip
from clipcraft.moment import find_moment
from clipcraft.outputs import check_output
from clipcraft.plan import describe
from clipcraft.platforms import PLATFORMS
from clipcraft.plot import plot_moment
from clipcraft.presets import available, find_preset, new_preset, preset_layer, recipe_layer
from clipcraft.probe import probe
from clipcraft.recipe import (
    ANIMATIONS,
    DEFAULT_DURATION,
    FITS,
    LAYOUTS,
    QUALITIES,
    TRANSITIONS,
    EffectCue,
    Recipe,
)
from clipcraft.schema import KEYS, Layer, resolve
from clipcraft.sounds import export_sound, library
from clipcraft.stages.trim import place_window
from clipcraft.styles import POSITIONS, STYLES
from clipcraft.units import format_time, parse_effect_cue, parse_time

DISK_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DEFAULTS = Recipe()
"""Shown as the flags' defaults; a flag left at its default sets nothing (see flag_layer)."""


class TimeType(click.ParamType):
    """`7.5` or `0:07.5` on the command line; `auto` where the option allows it."""

    name = "TIME"

    def __init__(self, allow_auto: bool = False) -> None:
        self.allow_auto = allow_auto

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, float) or (self.allow_auto and value == "auto"):
            return value
        try:
            return parse_time(str(value))
        except UsageError as error:
            self.fail(str(error), param, ctx)


class EffectCueType(click.ParamType):
    """`NAME|PATH[@WHEN]` for --sfx."""

    name = "NAME|PATH[@WHEN]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, EffectCue):
            return value
        try:
            return parse_effect_cue(str(value))
        except UsageError as error:
            self.fail(str(error), param, ctx)


class ClipcraftGroup(click.Group):
    """Renders every error once, as one line, with the exit code SPEC §6 gives it."""

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        verbose = "-v" in argv or "--verbose" in argv
        signal.signal(signal.SIGTERM, _raise_interrupted)
        try:
            result = super().main(argv, prog_name, standalone_mode=False, **extra)
        except ClipcraftError as error:
            _fail(str(error), error.exit_code, verbose)
        except click.UsageError as error:
            where = f" — see '{error.ctx.command_path} --help'" if error.ctx else ""
            _fail(error.format_message() + where, error.exit_code, verbose=False)
        except click.ClickException as error:
            _fail(error.format_message(), error.exit_code, verbose=False)
        except OSError as error:
            if error.errno in DISK_FULL:
                _fail(
                    "the disk is full (or the file is too large for it); nothing was written",
                    1,
                    verbose,
                )
            else:
                _fail(f"unexpected error: {error} (run again with -v for details)", 1, verbose)
        except (KeyboardInterrupt, click.Abort):
            _fail("interrupted; nothing was written", 130, verbose=False)
        except Interrupted as stop:
            _fail("stopped; nothing was written", stop.exit_code, verbose=False)
        except Exception as error:  # the last resort: one line, the details only with -v
            _fail(f"unexpected error: {error} (run again with -v for details)", 1, verbose)
        sys.exit(result if isinstance(result, int) else 0)


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def _fail(message: str, code: int, verbose: bool) -> None:
    if verbose:
        traceback.print_exc()
    click.echo(f"clipcraft: error: {message}", err=True)
    sys.exit(code)


def _progress_bar(quiet: bool, unit: str, label: str) -> Callable[[int, int], None] | None:
    """A bar on stderr, updated with (done, total), when a person is watching it; else None."""
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: batch workers are forked
    bar: list[Any] = []

    def update(done: int, total: int) -> None:
        if not bar:
            bar.append(tqdm(total=total, unit=unit, desc=label, leave=False))
        bar[0].update(done - bar[0].n)
        if done >= total:
            bar[0].close()

    return update


def run() -> None:
    """The console entry point (`clipcraft`, `python -m clipcraft`).

    moviepy imports IPython for notebook display when it is installed; a command line never
    shows a notebook, and that import alone costs a quarter of a second per run.

    When a command ends, everything it opened has been closed on its way out (outputs, work
    folders, ffmpeg processes: all context managers), so the process ends there: the
    interpreter's own teardown of numpy, OpenCV and moviepy would add 45 ms to every run.
    """
    sys.modules.setdefault("IPython", None)  # type: ignore[arg-type]
    status = 1
    try:
        main()
    except SystemExit as done:  # how ClipcraftGroup.main always ends, with the code it chose
        status = done.code if isinstance(done.code, int) else 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe, a closed stream
            stream.flush()
    os._exit(status)


@click.group(cls=ClipcraftGroup, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="clipcraft")
def main() -> None:
    """Turn phone footage of kitchen mishaps into upload-ready vertical clips.

    \b
    Example:
      clipcraft make pancake.mov --at 0:07.2
    """


@main.command(context_settings=CONTEXT)
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write the clip [default: ./<input stem>-clip.mp4].",
)
@click.option(
    "--at",
    type=TimeType(allow_auto=True),
    help="The mishap moment on the source, e.g. 0:07.2; the window is placed around it.",
)
@click.option("--start", type=TimeType(), help="Start of an explicit window on the source.")
@click.option("--end", type=TimeType(), help="End of an explicit window on the source.")
@click.option(
    "--duration",
    type=click.FloatRange(min=0.5, max=180),
    default=DEFAULTS.duration,
    show_default=True,
    help="Total clip length in seconds.",
)
@click.option(
    "--platform",
    type=click.Choice(sorted(PLATFORMS)),
    default=DEFAULTS.output.platform,
    show_default=True,
    help="The frame to deliver: 1080x1920, 1080x1080 or 1920x1080.",
)
@click.option(
    "--fit",
    type=click.Choice(FITS),
    default=DEFAULTS.output.fit,
    show_default=True,
    help="Fill the frame by cropping, or fit over a blurred copy, or pad with black.",
)
@click.option(
    "--quality",
    type=click.Choice(QUALITIES),
    default=DEFAULTS.output.quality,
    show_default=True,
    help="Encoder effort: draft (fastest), standard, high.",
)
@click.option(
    "--after",
    "after_path",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="A photo or video shown after the fail: the recovery or the finished dish.",
)
@click.option(
    "--after-duration",
    type=click.FloatRange(min=0.5, max=30),
    default=DEFAULTS.after.duration,
    show_default=True,
    metavar="SECONDS",
    help="How long the after part lasts.",
)
@click.option(
    "--after-start",
    type=TimeType(),
    default=DEFAULTS.after.start,
    metavar="TIME",
    help="Where in an after video to start [default: its start].",
)
@click.option(
    "--transition",
    type=click.Choice(TRANSITIONS),
    default=DEFAULTS.after.transition,
    show_default=True,
    help="How the fail turns into the after.",
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default=DEFAULTS.after.layout,
    show_default=True,
    help="sequence: the after follows; split: fail above, after below, together.",
)
@click.option(
    "--freeze",
    type=click.FloatRange(min=0.2, max=5),
    is_flag=False,
    flag_value=1.0,
    default=None,
    metavar="[SECONDS]",
    help="Freeze-frame at the moment with a slight push-in (default 1 s).",
)
@click.option("--replay", is_flag=True, help="A slow-motion (0.5x) replay of the moment.")
@click.option(
    "--caption",
    "captions",
    multiple=True,
    metavar="TEXT",
    help="Caption over the fail; repeat for several, shown one after another.",
)
@click.option(
    "--captions",
    "subtitles",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Timed captions (.srt or .vtt) timed on the SOURCE footage.",
)
@click.option("--after-caption", metavar="TEXT", help="Caption over the after part.")
@click.option(
    "--outro",
    metavar="TEXT",
    help='A closing card of 1.5 s inside the duration, e.g. "Your worst fail? 👇".',
)
@click.option(
    "--style",
    default=DEFAULTS.captions.style,
    show_default=True,
    help=f"Caption look: {', '.join(STYLES)}.",
)
@click.option("--font", metavar="NAME|PATH", help="Caption face: a bundled font or a font file.")
@click.option(
    "--caption-position",
    type=click.Choice(POSITIONS),
    help="Where captions sit in the safe zone [default: the style's].",
)
@click.option(
    "--caption-anim",
    type=click.Choice(ANIMATIONS),
    default=DEFAULTS.captions.animation,
    show_default=True,
    help="How captions appear.",
)
@click.option(
    "--sfx",
    "effects",
    type=EffectCueType(),
    multiple=True,
    help="A sound effect (bundled name or file) at seconds on the clip or at "
    "moment|start|after|end; repeatable. Default place: moment.",
)
@click.option(
    "--sfx-volume",
    type=float,
    default=DEFAULTS.sound.effect_volume_db,
    show_default=True,
    metavar="DB",
    help="Raise (+) or lower (-) every effect by this many dB.",
)
@click.option("--mute", is_flag=True, help="Drop the footage's own sound.")
@click.option(
    "--no-duck",
    is_flag=True,
    help="Keep the footage's sound at full level under effects (default: -8 dB).",
)
@click.option("--preview", is_flag=True, help="Fast 540x960 draft render for checking.")
@click.option(
    "--cover",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[PATH]",
    help="Also write a cover JPEG: the moment's frame [default: beside the clip].",
)
@click.option(
    "--preset", metavar="NAME|PATH", help="Start from a preset (see `clipcraft presets`)."
)
@click.option(
    "--recipe",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="A recipe TOML file; it wins over the preset, flags win over both.",
)
@click.option(
    "--episode",
    type=click.IntRange(min=1),
    metavar="N",
    help="The episode number for {episode} (a series preset counts by itself).",
)
@click.option("--force", is_flag=True, help="Replace the output if it exists.")
@click.option("--dry-run", is_flag=True, help="Print the planned timeline; render nothing.")
@click.option("--json", "as_json", is_flag=True, help="With --dry-run: print the plan as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no warnings.")
@click.option("-v", "--verbose", is_flag=True, help="More detail; tracebacks on errors.")
@click.pass_context
def make(ctx: click.Context, input_path: Path, **options: Any) -> None:
    """Make one clip from INPUT.

    \b
    Examples:
      clipcraft make pancake.mov
      clipcraft make pancake.mov --at 0:07.2
      clipcraft make spill.mp4 --start 4 --end 10 -o spill-reel.mp4
      clipcraft make burnt.mov --at 5 --sfx record-scratch --sfx sad-trombone@end
      clipcraft make cake.mov --at 9 --caption "It was going so well…" --outro "Your worst fail? 👇"
      clipcraft make spill.mov --at 7 --after dish.jpg --freeze --sfx record-scratch
      clipcraft make mess.jpg --after clean.jpg --layout split
      clipcraft make clip.mov --preset fail-of-the-week --after dish.jpg
      clipcraft make cake.mov --at 12 --platform square --dry-run
    """
    layers = settings_layers(options.pop("preset"), options.pop("recipe"))
    layers.append(flag_layer(ctx, options))
    made = make_clip(
        input_path,
        options["output"],
        layers,
        force=options["force"],
        episode=options["episode"],
        dry_run=options["dry_run"],
        on_progress=None
        if options["dry_run"]
        else _progress_bar(options["quiet"], "frame", "rendering"),
    )
    plan = made.plan
    if not options["quiet"]:
        for warning in made.warnings:
            click.echo(f"clipcraft: warning: {warning}", err=True)
    if options["dry_run"]:
        click.echo(json.dumps(plan.to_dict(), indent=2) if options["as_json"] else describe(plan))
    elif not options["quiet"]:
        episode = f", episode {made.episode}" if made.episode is not None else ""
        click.echo(
            f"{plan.output} ({format_time(plan.duration)}, "
            f"{plan.format.width}x{plan.format.height}{episode})"
        )


FLAG_KEYS: dict[str, str] = {
    "duration": "duration", "at": "trim.at", "start": "trim.start", "end": "trim.end",
    "platform": "output.platform", "fit": "output.fit", "quality": "output.quality",
    "preview": "output.preview", "cover": "output.cover", "after_path": "after.file",
    "after_duration": "after.duration", "after_start": "after.start",
    "transition": "after.transition", "layout": "after.layout",
    "after_caption": "after.caption", "freeze": "beats.freeze", "replay": "beats.replay",
    "captions": "caption", "subtitles": "captions.file", "outro": "captions.outro",
    "style": "captions.style", "font": "captions.font",
    "caption_position": "captions.position", "caption_anim": "captions.animation",
    "effects": "sfx", "sfx_volume": "sound.sfx_volume", "mute": "sound.mute",
    "no_duck": "sound.duck",
}  # fmt: skip
"""Which recipe key each `make` flag sets; a flag left at its default sets nothing."""


def flag_layer(ctx: click.Context, options: dict[str, Any]) -> Layer:
    """The flags the user typed (not their defaults, so a preset's values stand)."""
    values: dict[str, Any] = {}
    for name, key in FLAG_KEYS.items():
        if ctx.get_parameter_source(name) not in (
            ParameterSource.COMMANDLINE,
            ParameterSource.ENVIRONMENT,
        ):
            continue
        value = options[name]
        if isinstance(value, Path):
            value = str(value)
        if name == "no_duck":
            value = not value
        values[key] = value
    return Layer("flag", values)


def settings_layers(preset: str | None, recipe: Path | None) -> list[Layer]:
    layers = []
    if preset:
        layers.append(preset_layer(find_preset(preset)))
    if recipe:
        layers.append(recipe_layer(recipe))
    return layers


@main.command("probe", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the facts as JSON.")
@click.option(
    "--plot",
    type=click.Path(path_type=Path),
    metavar="PNG",
    help="Draw loudness and motion over time, the moment and the window.",
)
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks on errors.")
def probe_command(file: Path, as_json: bool, plot: Path | None, verbose: bool) -> None:
    """Say what FILE is — duration, size as displayed, frame rate, audio — and where the
    mishap is.

    \b
    Example:
      clipcraft probe IMG_0421.MOV --json
      clipcraft probe IMG_0421.MOV --plot where.png
    """
    media = probe(file)
    facts = media.to_dict()
    if media.kind == "video":
        moment = find_moment(media)
        facts.update(moment=moment.time, confidence=moment.confidence, basis=moment.basis)
        # why it chose: every candidate weighed, best first, the chosen one marked
        facts["candidates"] = [
            {**asdict(candidate), "chosen": rank == 0}
            for rank, candidate in enumerate(moment.candidates)
        ]
        if plot:
            window = place_window(media.duration, DEFAULT_DURATION, at=moment.time).window
            plot_moment(media, moment, window, check_output(plot, [file], force=True))
    click.echo(json.dumps(facts, indent=2) if as_json else _describe(facts))


def _describe(facts: dict[str, Any]) -> str:
    video = facts["kind"] == "video"
    rate = f"{facts['fps']:g} fps" + (" (variable)" if facts["variable_fps"] else "")
    audio = facts["audio_codec"] or ("unreadable" if facts["unreadable_audio"] else "none")
    stored = [f"turned {facts['rotation']}°"] if facts["rotation"] else []
    if facts["sample_aspect"] != "1:1":
        stored.append(f"pixels {facts['sample_aspect']}")
    turned = f" (stored {', '.join(stored)})" if stored else ""
    rows = [
        ("file", facts["path"]),
        ("kind", facts["kind"]),
        ("duration", format_time(facts["duration"]) if video else "-"),
        ("size", f"{facts['width']}x{facts['height']} as displayed{turned}"),
        (
            "video",
            f"{facts['video_codec']} {facts['pixel_format']}" + (" HDR" if facts["hdr"] else ""),
        ),
        ("rate", rate if video else "-"),
        ("audio", audio),
    ]
    if video:
        rows.append(
            (
                "moment",
                f"{format_time(facts['moment'])} (confidence "
                f"{facts['confidence']:.2f}, by {facts['basis']})",
            )
        )
        rows += [
            (
                "weighed" if rank == 0 else "",
                f"{format_time(candidate['time'])}  sound {candidate['sound']:g}, "
                f"motion {candidate['motion']:g}%, score {candidate['score']:g}",
            )
            for rank, candidate in enumerate(facts["candidates"])
        ]
    return "\n".join(f"{name:<9} {value}" for name, value in rows)


@main.group(context_settings=CONTEXT, invoke_without_command=True)
@click.pass_context
def sounds(ctx: click.Context) -> None:
    """The bundled sound effects (lists them when no subcommand is given).

    \b
    Example:
      clipcraft sounds
      clipcraft sounds export sad-trombone trombone.wav
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(sounds_list)


@sounds.command("list", context_settings=CONTEXT)
def sounds_list() -> None:
    """List the effects with their length and what they sound like.

    \b
    Example:
      clipcraft sounds list
    """
    for sound in library():
        click.echo(f"{sound.name:<16}{sound.duration:5.2f} s  {sound.description}")


@sounds.command("export", context_settings=CONTEXT)
@click.argument("name")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
def sounds_export(name: str, out: Path, force: bool) -> None:
    """Write the effect NAME to OUT as a WAV file.

    \b
    Example:
      clipcraft sounds export ding ding.wav
    """
    click.echo(export_sound(name, out, force))


@main.group(context_settings=CONTEXT, invoke_without_command=True)
@click.pass_context
def presets(ctx: click.Context) -> None:
    """Named recipes: the built-in ones and your own (lists them without a subcommand).

    \b
    Example:
      clipcraft presets
      clipcraft presets show fail-of-the-week --origin
      clipcraft presets new my-fails --from quick-fail
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(presets_list)


@presets.command("list", context_settings=CONTEXT)
def presets_list() -> None:
    """List the presets, with where each comes from.

    \b
    Example:
      clipcraft presets list
    """
    for preset in available().values():
        where = "built-in" if preset.builtin else str(preset.path)
        click.echo(f"{preset.name:<20}{where}")


@presets.command("show", context_settings=CONTEXT)
@click.argument("name")
@click.option("--origin", is_flag=True, help="Say which layer each value comes from.")
def presets_show(name: str, origin: bool) -> None:
    """Print the settings of preset NAME.

    \b
    Example:
      clipcraft presets show fail-of-the-week --origin
    """
    resolved = resolve([preset_layer(find_preset(name))])
    for key in KEYS:
        if key in resolved.values:
            shown = _show_value(resolved.values[key])
            click.echo(f"{key} = {shown}" + (f"    # {resolved.origins[key]}" if origin else ""))
    if origin:
        click.echo("# every other key: its default (see docs/recipes.md)")


@presets.command("new", context_settings=CONTEXT)
@click.argument("name")
@click.option("--from", "base", metavar="NAME", help="Start from this preset's settings.")
def presets_new(name: str, base: str | None) -> None:
    """Write a commented preset NAME into your presets folder and print its path.

    \b
    Example:
      clipcraft presets new my-fails --from quick-fail
    """
    click.echo(new_preset(name, base))


def _show_value(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_show_value(item) for item in value) + "]"
    if isinstance(value, EffectCue):
        return f"{{ sound = {json.dumps(value.sound)}, at = {json.dumps(value.when)} }}"
    return json.dumps(value, ensure_ascii=False)


@main.command(context_settings=CONTEXT)
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="The folder the clips go to (created if missing).",
)
@click.option("--preset", metavar="NAME|PATH", help="A preset for every clip.")
@click.option(
    "--recipe",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="A recipe for every clip (a NAME.toml beside a clip wins over it).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1, max=32),
    default=default_workers(),
    show_default=True,
    help="Clips made at once.",
)
@click.option("--force", is_flag=True, help="Make every clip again, even if up to date.")
@click.option(
    "--report",
    type=click.Path(path_type=Path),
    metavar="FILE.json",
    help="Also write the outcome of every clip as JSON.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("-v", "--verbose", is_flag=True, help="List the files left out; tracebacks.")
def batch(
    folder: Path,
    out: Path,
    preset: str | None,
    recipe: Path | None,
    jobs: int,
    force: bool,
    report: Path | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Make a clip of every video and photo in FOLDER.

    NAME.after.jpg (or NAME_after, NAME-after, any photo or video) is the after of NAME;
    NAME.toml beside a clip is that clip's own recipe. A rerun skips clips that are up to
    date with their inputs and recipe.

    \b
    Example:
      clipcraft batch ~/CameraRoll -o reels --preset fail-of-the-week -j 2 --report week.json
    """
    bar = _progress_bar(quiet, "clip", "clips")
    done = 0

    def progress(outcome: Outcome, total: int) -> None:
        nonlocal done
        done += 1
        if bar is not None:
            bar(done, total)

    outcomes, notes = run_batch(
        folder, out, settings_layers(preset, recipe), workers=jobs, force=force, on_outcome=progress
    )
    if verbose:
        for reason, names in notes.items():
            click.echo(f"left out ({reason}): {', '.join(names)}", err=True)
    click.echo(batch_report(outcomes))
    if report:
        write_report(check_output(report, [], force=True), outcomes, notes)
    if any(outcome.status == "failed" for outcome in outcomes):
        sys.exit(1)
