"""The command line: parse, call the library, report. Errors are rendered here, once."""

from __future__ import annotations

import json
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import click

from clipcraft import __version__
from clipcraft.errors import ClipcraftError, Interrupted, UsageError
from clipcraft.make import prepare
from clipcraft.moment import find_moment
from clipcraft.outputs import check_output
from clipcraft.plan import describe
from clipcraft.platforms import PLATFORMS
from clipcraft.plot import plot_moment
from clipcraft.probe import probe
from clipcraft.recipe import (
    ANIMATIONS,
    DEFAULT_DURATION,
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
from clipcraft.sounds import export_sound, library
from clipcraft.stages.trim import place_window
from clipcraft.styles import POSITIONS, STYLES
from clipcraft.units import format_time, parse_effect_cue, parse_time

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


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


def _progress_bar(quiet: bool) -> Callable[[int, int], None] | None:
    """A bar on stderr when a person is watching it, else nothing."""
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar: list[Any] = []

    def update(done: int, total: int) -> None:
        if not bar:
            bar.append(tqdm(total=total, unit="frame", desc="rendering", leave=False))
        bar[0].update(done - bar[0].n)
        if done == total:
            bar[0].close()

    return update


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
    default=8.0,
    show_default=True,
    help="Total clip length in seconds.",
)
@click.option(
    "--platform",
    type=click.Choice(sorted(PLATFORMS)),
    default="reels",
    show_default=True,
    help="The frame to deliver: 1080x1920, 1080x1080 or 1920x1080.",
)
@click.option(
    "--fit",
    type=click.Choice(FITS),
    default="auto",
    show_default=True,
    help="Fill the frame by cropping, or fit over a blurred copy, or pad with black.",
)
@click.option(
    "--quality",
    type=click.Choice(QUALITIES),
    default="standard",
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
    default=2.5,
    show_default=True,
    metavar="SECONDS",
    help="How long the after part lasts.",
)
@click.option(
    "--after-start",
    type=TimeType(),
    default=0.0,
    metavar="TIME",
    help="Where in an after video to start [default: its start].",
)
@click.option(
    "--transition",
    type=click.Choice(TRANSITIONS),
    default="flash",
    show_default=True,
    help="How the fail turns into the after.",
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default="sequence",
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
    "--style", default="classic", show_default=True, help=f"Caption look: {', '.join(STYLES)}."
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
    default="pop",
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
    default=0.0,
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
@click.option("--force", is_flag=True, help="Replace the output if it exists.")
@click.option("--dry-run", is_flag=True, help="Print the planned timeline; render nothing.")
@click.option("--json", "as_json", is_flag=True, help="With --dry-run: print the plan as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no warnings.")
@click.option("-v", "--verbose", is_flag=True, help="More detail; tracebacks on errors.")
def make(
    input_path: Path,
    output: Path | None,
    at: float | str | None,
    start: float | None,
    end: float | None,
    duration: float,
    platform: str,
    fit: str,
    quality: str,
    after_path: Path | None,
    after_duration: float,
    after_start: float,
    transition: str,
    layout: str,
    freeze: float | None,
    replay: bool,
    captions: tuple[str, ...],
    subtitles: Path | None,
    after_caption: str | None,
    outro: str | None,
    style: str,
    font: str | None,
    caption_position: str | None,
    caption_anim: str,
    effects: tuple[EffectCue, ...],
    sfx_volume: float,
    mute: bool,
    no_duck: bool,
    preview: bool,
    force: bool,
    dry_run: bool,
    as_json: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Make one clip from INPUT.

    \b
    Examples:
      clipcraft make pancake.mov --at 0:07.2
      clipcraft make spill.mp4 --start 4 --end 10 -o spill-reel.mp4
      clipcraft make burnt.mov --at 5 --sfx record-scratch --sfx sad-trombone@end
      clipcraft make cake.mov --at 9 --caption "It was going so well…" --outro "Your worst fail? 👇"
      clipcraft make spill.mov --at 7 --after dish.jpg --freeze --sfx record-scratch
      clipcraft make mess.jpg --after clean.jpg --layout split
      clipcraft make cake.mov --at 12 --platform square --dry-run
    """
    from clipcraft.render import render  # moviepy is only imported when we render

    recipe = Recipe(
        duration=duration,
        trim=TrimSettings(at=None if at == "auto" else at, start=start, end=end),  # type: ignore[arg-type]
        output=OutputSettings(platform=platform, fit=fit, quality=quality, preview=preview),  # type: ignore[arg-type]
        after=AfterSettings(
            path=str(after_path) if after_path else None,
            duration=after_duration,
            start=after_start,
            transition=transition,  # type: ignore[arg-type]
            layout=layout,  # type: ignore[arg-type]
        ),
        beats=BeatSettings(freeze=freeze or 0.0, replay=replay),
        captions=CaptionSettings(
            texts=captions,
            subtitles=str(subtitles) if subtitles else None,
            after_text=after_caption,
            outro=outro,
            style=style,
            font=font,
            position=caption_position,  # type: ignore[arg-type]
            animation=caption_anim,  # type: ignore[arg-type]
        ),
        sound=SoundSettings(
            effects=effects, effect_volume_db=sfx_volume, mute=mute, duck=not no_duck
        ),
    )
    plan = prepare(recipe, input_path, output, force=force or dry_run)
    target = plan.output
    if dry_run:
        click.echo(json.dumps(plan.to_dict(), indent=2) if as_json else describe(plan))
        return
    if not quiet:
        for warning in plan.warnings:
            click.echo(f"clipcraft: warning: {warning}", err=True)
    render(plan, on_progress=_progress_bar(quiet))
    if not quiet:
        click.echo(
            f"{target} ({format_time(plan.duration)}, {plan.format.width}x{plan.format.height})"
        )


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
        if plot:
            window = place_window(media.duration, DEFAULT_DURATION, at=moment.time).window
            plot_moment(media, moment, window, check_output(plot, [file], force=True))
    click.echo(json.dumps(facts, indent=2) if as_json else _describe(facts))


def _describe(facts: dict[str, Any]) -> str:
    video = facts["kind"] == "video"
    rate = f"{facts['fps']:g} fps" + (" (variable)" if facts["variable_fps"] else "")
    audio = facts["audio_codec"] or ("unreadable" if facts["unreadable_audio"] else "none")
    turned = f" (stored turned {facts['rotation']}°)" if facts["rotation"] else ""
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
