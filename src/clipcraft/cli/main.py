"""The command line: parse, call the library, report. Errors are rendered here, once."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import click
from click.core import ParameterSource

from clipcraft import __version__
from clipcraft.batch.manifest import Manifest
from clipcraft.batch.pairing import PAIR_BY, PairBy, Pairing
from clipcraft.batch.report import check_report_path, describe_plan, write_report
from clipcraft.batch.report import table as batch_table
from clipcraft.batch.run import BY_NAME_THEN_TIME, default_workers, plan_batch, run_batch
from clipcraft.batch.tasks import Outcome
from clipcraft.captions.speech.models import model_facts
from clipcraft.cli.display import describe, describe_media, describe_models
from clipcraft.cli.options import SettingType, setting_options, settings_files, talk, with_talk
from clipcraft.cli.parts import TypedInOrder, with_parts
from clipcraft.cli.plot import plot_moment
from clipcraft.errors import ClipcraftError, Interrupted, UsageError
from clipcraft.finding.moment import find_moment
from clipcraft.make import make_clip
from clipcraft.media.outputs import check_output
from clipcraft.media.probe import probe
from clipcraft.planning.trim import place_window
from clipcraft.settings.layers import Layer, resolve, settings_lines
from clipcraft.settings.presets import (
    available,
    find_preset,
    new_preset,
    preset_layer,
    recipe_layer,
)
from clipcraft.settings.schema import SETTINGS
from clipcraft.settings.units import format_time
from clipcraft.settings.values import Number
from clipcraft.sound.library import (
    add_sound,
    credits_text,
    every_sound,
    export_sound,
    library,
    music_library,
    user_folder,
)

DISK_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
"""Every subcommand's context inherits these from the group's."""


class ClipcraftGroup(click.Group):
    """Renders every error once, as one line, with its exit code (docs/contract.md, Exit codes
    and errors); every command and subcommand added to it takes -q and -v."""

    group_class = type  # its subgroups are of this class too, so their commands take them

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(with_talk(cmd), name)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        """Always ends the process: errors are rendered here, never by click's standalone
        mode, whatever the caller asks for."""
        argv = list(sys.argv[1:] if args is None else args)
        verbose = "-v" in argv or "--verbose" in argv
        signal.signal(signal.SIGTERM, _raise_interrupted)
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
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

    tqdm.monitor_interval = 0  # no monitor thread: the bar is only updated by hand
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
    interpreter's own teardown of numpy, OpenCV and moviepy is skipped (docs/design.md).
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


@main.command(cls=TypedInOrder)
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write the clip [default: ./<input stem>-clip.mp4].",
)
@setting_options
@settings_files
@click.option(
    "--episode",
    type=click.IntRange(min=1),
    metavar="N",
    help="The episode number for {episode} (a series preset counts by itself).",
)
@click.option("--force", is_flag=True, help="Replace the output if it exists.")
@click.option("--dry-run", is_flag=True, help="Print the planned timeline; render nothing.")
@click.option("--json", "as_json", is_flag=True, help="With --dry-run: print the plan as JSON.")
@talk
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
      clipcraft make fail.mp4 --after cleanup.mp4 --after-speed auto --after dish.jpg
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


def flag_layer(ctx: click.Context, options: dict[str, Any]) -> Layer:
    """The settings the user typed (not the flags' defaults, so a preset's values stand),
    each after part with the flags typed after it."""
    sources = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
    typed = {
        setting.key: options[setting.param]
        for setting in SETTINGS.values()
        if setting.flag is not None and ctx.get_parameter_source(setting.param) in sources
    }
    return Layer("flag", with_parts(ctx, typed))


def settings_layers(preset: str | None, recipe: Path | None) -> list[Layer]:
    layers = []
    if preset:
        layers.append(preset_layer(find_preset(preset)))
    if recipe:
        layers.append(recipe_layer(recipe))
    return layers


@main.command("probe")
@click.argument("file", type=click.Path(path_type=Path), required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the facts as JSON.")
@click.option(
    "--speech",
    is_flag=True,
    help="Instead of a file: the speech models --captions speech can use, and which are "
    "installed here.",
)
@click.option(
    "--plot",
    type=click.Path(path_type=Path),
    metavar="PNG",
    help="Draw loudness and motion over time, the moment and the window.",
)
def probe_command(file: Path | None, as_json: bool, speech: bool, plot: Path | None) -> None:
    """Say what FILE is — duration, size as displayed, frame rate, audio — and where the
    mishap is; or, with --speech, which speech models are installed.

    \b
    Example:
      clipcraft probe IMG_0421.MOV --json
      clipcraft probe IMG_0421.MOV --plot where.png
      clipcraft probe --speech
    """
    if speech:
        models = model_facts()
        click.echo(json.dumps(models, indent=2) if as_json else describe_models(models))
        return
    if file is None:
        raise UsageError("probe needs a FILE (or --speech)", "see `clipcraft probe --help`")
    media = probe(file)
    facts = media.to_dict()
    if media.kind == "video":
        moment = find_moment(media)
        facts.update(
            moment=moment.time, confidence=moment.confidence, clear=moment.clear, basis=moment.basis
        )
        # why it chose: every candidate weighed, best first, the chosen one marked
        facts["candidates"] = [
            {**asdict(candidate), "chosen": rank == 0}
            for rank, candidate in enumerate(moment.candidates)
        ]
        if plot:
            length = SETTINGS["duration"].default
            window = place_window(media.duration, length, at=moment.time).window
            plot_moment(media, moment, window, check_output(plot, [file], force=True))
    click.echo(json.dumps(facts, indent=2) if as_json else describe_media(facts))


@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="List the sounds as JSON.")
@click.pass_context
def sounds(ctx: click.Context, as_json: bool) -> None:
    """The sound effects and music beds: the bundled ones and your own (lists them without a
    subcommand).

    Your own are the sound files in your sounds folder (see `sounds add`), each named by its
    file name; one with a bundled name is used instead of the bundled one. A music bed is
    named after --music (`--music gold-rush`, or `--music gold-rush@0:06` to start 6 s in).

    \b
    Example:
      clipcraft sounds
      clipcraft sounds --json
      clipcraft sounds add ~/Recordings/oops.m4a
      clipcraft sounds export sad-trombone trombone.wav
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(sounds_list, as_json=as_json)


@sounds.command("list")
@click.option("--json", "as_json", is_flag=True, help="List the sounds as JSON.")
def sounds_list(as_json: bool) -> None:
    """List the effects and music beds: name, length, tags, what they sound like, licence.

    \b
    Example:
      clipcraft sounds list
      clipcraft sounds list --json
    """
    every = every_sound()
    if as_json:
        click.echo(json.dumps([sound.facts() for sound in every], indent=2, ensure_ascii=False))
        return
    bundled = {sound.name for sound in (*library(), *music_library())}
    heading = next((sound for sound in every if sound.kind == "music"), None)
    for sound in every:
        if sound is heading:
            click.echo("\nMusic beds (--music NAME):")
        if sound.origin == "user":
            what = "yours, used instead of the bundled one" if sound.name in bundled else "yours"
            detail = f"{what}: {sound.path}"
        else:
            tempo = f"{sound.tempo:.0f} BPM, " if sound.tempo else ""
            detail = f"{sound.description}  [{tempo}{', '.join(sound.tags)}; {sound.licence}]"
        name_width = 26 if sound.kind == "music" else 16
        click.echo(f"{sound.name:<{name_width}}{sound.duration:5.2f} s  {detail}")
    click.echo(f"\nYour sounds folder: {user_folder()}")
    click.echo("Where each bundled sound comes from: clipcraft sounds credits")


@sounds.command("credits")
def sounds_credits() -> None:
    """Where each bundled effect and music bed comes from: its original page, author and
    licence.

    \b
    Example:
      clipcraft sounds credits
    """
    click.echo(credits_text(library()))
    click.echo(credits_text(music_library(), "music"), nl=False)


@sounds.command("add")
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("name", required=False)
@click.option("--force", is_flag=True, help="Replace your sound of that name if it exists.")
def sounds_add(file: Path, name: str | None, force: bool) -> None:
    """Copy FILE into your sounds folder as the effect NAME (FILE's name by default).

    It is trimmed to its sound, levelled like the bundled effects and kept as FLAC; then
    `--sfx NAME` (and presets and recipes) can use it.

    \b
    Example:
      clipcraft sounds add ~/Recordings/oops.m4a
      clipcraft sounds add splat.wav my-splat --force
    """
    click.echo(add_sound(file, name, force))


@sounds.command("sheet")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
def sounds_sheet(out: Path, force: bool) -> None:
    """Draw every effect's waveform and spectrogram into the PNG OUT.

    \b
    Example:
      clipcraft sounds sheet sounds.png
    """
    from clipcraft.sound.sheet import draw_sheet

    effects = [sound for sound in every_sound() if sound.kind == "effect"]
    click.echo(draw_sheet(effects, check_output(out, [], force)))


@sounds.command("export")
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


@main.group(invoke_without_command=True)
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


@presets.command("list")
def presets_list() -> None:
    """List the presets, with where each comes from.

    \b
    Example:
      clipcraft presets list
    """
    for preset in available().values():
        where = "built-in" if preset.builtin else str(preset.path)
        click.echo(f"{preset.name:<20}{where}")


@presets.command("show")
@click.argument("name")
@click.option("--origin", is_flag=True, help="Say which layer each value comes from.")
def presets_show(name: str, origin: bool) -> None:
    """Print the settings of preset NAME.

    \b
    Example:
      clipcraft presets show fail-of-the-week --origin
    """
    resolved = resolve([preset_layer(find_preset(name))])
    for line in settings_lines(resolved, origin):
        click.echo(line)
    if origin:
        click.echo("# every other key: its default (see docs/recipes.md)")


@presets.command("new")
@click.argument("name")
@click.option("--from", "base", metavar="NAME", help="Start from this preset's settings.")
def presets_new(name: str, base: str | None) -> None:
    """Write a commented preset NAME into your presets folder and print its path.

    \b
    Example:
      clipcraft presets new my-fails --from quick-fail
    """
    click.echo(new_preset(name, base))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="The folder the clips go to (created if missing).",
)
@settings_files
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
    "--scheduler",
    envvar="CLIPCRAFT_SCHEDULER",
    metavar="tcp://HOST:PORT",
    help="Send the clips to this Dask scheduler's workers instead of local ones "
    '(pip install "clipcraft[cluster]"; env CLIPCRAFT_SCHEDULER).',
)
@click.option(
    "--pair-by",
    type=click.Choice(PAIR_BY),
    default="auto",
    show_default=True,
    help="How a clip finds its afters: by NAME.after, by capture time, or by name then time.",
)
@click.option(
    "--pair-window",
    type=SettingType(Number(1, 7 * 24 * 60, "minutes")),
    default=BY_NAME_THEN_TIME.window.total_seconds() / 60,
    show_default=True,
    metavar="MINUTES",
    help="By time: what is taken this long after a fail video is its story's afters "
    "(1 minute to 7 days).",
)
@click.option(
    "--dry-run", is_flag=True, help="Print the pairing and each clip's settings; make nothing."
)
@click.option(
    "--auto",
    is_flag=True,
    help="Decide each clip's settings not given from its footage, as `make --auto` does; "
    "clips in a row take different effects and hooks.",
)
@click.option(
    "--report",
    type=click.Path(path_type=Path),
    metavar="FILE.html|FILE.json",
    callback=lambda ctx, param, value: check_report_path(value) if value else None,
    help="Also write the outcome of every clip: a page with covers, or JSON.",
)
@talk
def batch(
    folder: Path,
    out: Path,
    preset: str | None,
    recipe: Path | None,
    jobs: int,
    force: bool,
    scheduler: str | None,
    pair_by: PairBy,
    pair_window: float,
    dry_run: bool,
    auto: bool,
    report: Path | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Make a clip of every video and photo in FOLDER.

    A clip's after is NAME.after.jpg (or NAME_after, NAME-after, any photo or video) or, by
    capture time, every video and photo taken within --pair-window after a fail video, in
    the order taken (the cleanup, then the dish); other photos are clips of their own.
    NAME.toml beside a clip is that clip's own recipe. A rerun skips clips that are up to
    date with their inputs and recipe.

    \b
    Example:
      clipcraft batch ~/CameraRoll -o reels --preset fail-of-the-week -j 2 --report week.html
      clipcraft batch ~/CameraRoll -o reels --pair-by time --dry-run
      clipcraft batch /shared/roll -o /shared/reels --scheduler tcp://10.0.0.5:8786
    """
    layers = settings_layers(preset, recipe) + ([Layer("flag", {"auto": True})] if auto else [])
    pairing = Pairing(pair_by, timedelta(minutes=pair_window))
    if dry_run:
        plan = plan_batch(folder, out, layers, Manifest(out), force=force, pairing=pairing)
        click.echo(describe_plan(plan, pairing))
        return
    bar = _progress_bar(quiet, "clip", "clips")
    done = made = 0

    def progress(outcome: Outcome, total: int) -> None:
        nonlocal done, made
        done += 1
        made += outcome.status == "ok"
        if bar is not None:
            bar(done, total)

    try:
        outcomes, roll = run_batch(
            folder,
            out,
            layers,
            workers=jobs,
            force=force,
            pairing=pairing,
            scheduler=scheduler,
            on_outcome=progress,
        )
    except (KeyboardInterrupt, Interrupted) as stop:
        code = stop.exit_code if isinstance(stop, Interrupted) else 130
        finished = f"{made} clip{'' if made == 1 else 's'} finished" if made else "no clip finished"
        _fail(f"stopped; {finished}, nothing partial was left; a rerun makes the rest", code, False)
    if verbose:
        for reason, names in roll.notes.items():
            click.echo(f"left out ({reason}): {', '.join(names)}", err=True)
    click.echo(batch_table(outcomes))
    if not quiet:
        for outcome in outcomes:
            for warning in outcome.warnings:
                click.echo(f"clipcraft: warning: {outcome.name}: {warning}", err=True)
    if report:
        write_report(check_output(report, [], force=True), outcomes, roll.notes)
    if any(outcome.status == "failed" for outcome in outcomes):
        sys.exit(1)
