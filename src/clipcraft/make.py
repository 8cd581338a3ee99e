"""Making one clip: the library's entry point that the CLI (and batch) call.

Layers of settings are resolved into a Recipe, a series preset claims its episode number,
placeholders are filled, the inputs are probed (and the moment found when none was given),
the Plan is built and, unless it is a dry run, rendered.
"""

from __future__ import annotations

import datetime
import importlib
import os
import string
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from clipcraft.captions.faces import read_ahead
from clipcraft.captions.font_book import FontBook
from clipcraft.captions.speech.engines import Engine, find_engine, hear, words_heard
from clipcraft.captions.speech.transcript import group_words, to_vtt
from clipcraft.captions.speech.words import SPEECH_RATE, SpokenWord, said_within
from clipcraft.captions.subtitles import Cue, read_subtitles
from clipcraft.captions.text import font_path
from clipcraft.errors import UsageError
from clipcraft.finding.beats import Beats, read_beats
from clipcraft.finding.measure import around_moment, measure
from clipcraft.finding.moment import Moment, find_moment
from clipcraft.finding.reaction import measure_reaction
from clipcraft.media.ffmpeg import read_mono
from clipcraft.media.outputs import check_output, cover_path, default_output, staged_outputs
from clipcraft.media.probe import MediaInfo, probe
from clipcraft.planning.auto import SCRATCH, Evidence, break_span, decide, layer_values, reach
from clipcraft.planning.caption import caption_faces
from clipcraft.planning.music import may_cut_on_beat
from clipcraft.planning.plan import Decision, Plan
from clipcraft.planning.planner import Inputs, build_plan, story_seconds
from clipcraft.planning.story import ELAPSED, ELAPSED_FIELD
from clipcraft.settings.layers import Layer, Resolved, resolve, without_orphans
from clipcraft.settings.recipe import Recipe
from clipcraft.settings.schema import SETTINGS
from clipcraft.settings.series import Series
from clipcraft.settings.styles import find_style
from clipcraft.settings.values import SPEECH
from clipcraft.sound.library import Sound, find_sound, library, music_library, own_music_bed

PLACEHOLDERS = ("episode", "date", "stem")


@dataclass(frozen=True)
class Looked:
    """What `--auto` has read of the footage already, so the plan does not read it again."""

    media: MediaInfo
    found: Moment | None
    words: tuple[SpokenWord, ...] | None = None
    """The words said from `heard[0]` to `heard[1]`, timed on the source (None: not heard)."""
    heard: tuple[float, float] = (0.0, 0.0)
    usable: float | None = None
    """Where the footage is taken to end when the window is placed on the found moment: where
    its picture breaks after it (a hand over the lens, a cut), so that neither the window nor
    the last frame a closing card holds shows the break."""


def prepare(
    recipe: Recipe,
    source: Path,
    output: Path | None,
    force: bool,
    *,
    dry_run: bool = False,
    keep_index: bool = False,
    looked: Looked | None = None,
) -> Plan:
    """Read and check everything the plan needs from disk — probe the inputs, check the
    output paths, find the sounds, read the fonts and the subtitles, find the moment — and
    plan the clip. `dry_run`: check the outputs without writing anything to check them.
    `keep_index`: keep the installed fonts' index in the user cache, if they were read (a
    real render; a dry run writes nothing). `looked`: what `--auto` read already."""
    trim = recipe.trim
    needs_moment = trim.at is None and trim.start is None and trim.end is None
    media = looked.media if looked else probe(source)
    on_moment = trim.start is None and trim.end is None  # a window placed on the moment
    if looked and looked.usable is not None and on_moment:
        media = replace(media, duration=looked.usable)
    afters = tuple(probe(Path(part.path)) for part in recipe.after.parts)
    music = find_sound(recipe.sound.music.sound, "music") if recipe.sound.music else None
    inputs = [source, *(Path(after.path) for after in afters), *([music.path] if music else [])]
    target = check_output(output or default_output(source), inputs, force, dry_run=dry_run)
    cover = recipe.output.cover
    captions = recipe.captions
    sounds = {cue.sound: find_sound(cue.sound) for cue in recipe.sound.effects}
    font = font_path(captions.font, find_style(captions.style)) if captions.font else None
    cover_at = (
        None if cover is None else str(cover_path(cover, target, inputs, force, dry_run=dry_run))
    )
    speech = captions.subtitles == SPEECH
    cues = (
        tuple(read_subtitles(Path(captions.subtitles))) if captions.subtitles and not speech else ()
    )
    transcript_at = (
        check_output(target.with_suffix(".vtt"), inputs, force, dry_run=dry_run) if speech else None
    )
    if speech and not media.has_audio:
        raise UsageError(f"--captions speech: {media.path} has no sound to transcribe")
    # the model is checked and loaded before anything is measured or rendered
    engine = find_engine(captions.speech_model, captions.speech_lang) if speech else None
    found = None
    if needs_moment and media.kind == "video":
        found = looked.found if looked else find_moment(media)
    fonts = read_fonts(recipe, font, cues)
    read = Inputs(
        media=media, afters=afters, sounds=sounds, cues=cues, found=found, font=font,
        fonts=fonts, cover=cover_at, music=music, beats=_beats(recipe, music, bool(afters)),
    )  # fmt: skip
    probed = {info.path: info for info in (media, *afters)}
    plan = build_plan(recipe, read, target)
    # what one plan measures can change what the next asks for (a steadied picture is
    # narrower, so `auto` may follow it): plan until nothing is left unmeasured
    while plan.unmeasured or plan.unsteadied:
        tracks, paths = dict(read.tracks), dict(read.paths)
        for span in dict.fromkeys((*plan.unmeasured, *plan.unsteadied)):
            action, camera = span in plan.unmeasured, span in plan.unsteadied
            measured = measure(probed[span[0]], span[1], span[2], action=action, camera=camera)
            if measured.track is not None:
                tracks[span] = measured.track
            if measured.path is not None:
                paths[span] = measured.path
        read = replace(read, tracks=tracks, paths=paths)
        plan = build_plan(recipe, read, target)
    if transcript_at is not None and engine is not None:
        plan, fonts = _with_speech(plan, recipe, read, transcript_at, engine, looked)
    if looked and media.duration < looked.media.duration:
        plan = _ended_at_break(plan, media.duration)
    if keep_index:
        fonts.keep_index()
    return plan


def _ended_at_break(plan: Plan, usable: float) -> Plan:
    """The plan, saying so when its window stops where `--auto` took the footage to end."""
    if plan.fail_window()[1] < usable - 0.05:
        return plan
    note = (
        f"--auto ends the footage at {usable:.2f} s, where its picture breaks (a cut, a hand "
        f"over the lens); give --start and --end to use more"
    )
    return replace(plan, warnings=(*plan.warnings, note))


def read_fonts(recipe: Recipe, font: Path | None, cues: tuple[Cue, ...]) -> FontBook:
    """Every face the recipe's captions and `cues` may be measured with, read for planning."""
    captions, after = recipe.captions, recipe.after
    texts = [
        *captions.texts, captions.hook, captions.lesson, captions.outro, after.caption,
        *(part.own.get("caption") for part in after.parts), *(cue.text for cue in cues),
    ]  # fmt: skip
    return read_ahead(caption_faces(captions, font), [text for text in texts if text])


def _with_speech(
    plan: Plan,
    recipe: Recipe,
    read: Inputs,
    transcript_at: Path,
    engine: Engine,
    looked: Looked | None,
) -> tuple[Plan, FontBook]:
    """The plan again with what is said in the fail's window as its timed captions, and the
    transcript to write beside the clip (none when nothing was said); and the fonts read for
    its words. Words `--auto` heard over the whole window already are not heard again."""
    start, end = plan.fail_window()
    if looked and looked.words is not None and looked.heard[0] <= start and end <= looked.heard[1]:
        cues = tuple(group_words(said_within(looked.words, start, end)))
    else:
        cues = tuple(hear(engine, read.media.path, start, end))
    if not cues:
        heard = f"no words were heard from {start:.1f} to {end:.1f} s; no captions from speech"
        return replace(plan, warnings=(*plan.warnings, heard)), read.fonts
    fonts = read_fonts(recipe, read.font, cues)
    spoken = build_plan(recipe, replace(read, cues=cues, fonts=fonts), Path(plan.output))
    return replace(spoken, transcript=to_vtt(cues), transcript_path=str(transcript_at)), fonts


def _beats(recipe: Recipe, music: Sound | None, has_after: bool) -> Beats | None:
    """The music's beats over the clip's length, read only when the cut may move onto one."""
    cue = recipe.sound.music
    if cue is None or music is None or not may_cut_on_beat(recipe, has_after):
        return None
    return read_beats(music.path, cue.start, recipe.duration + 1.0)


def fill_placeholders(recipe: Recipe, values: Mapping[str, object]) -> Recipe:
    """The recipe with {episode}, {date} and {stem} filled in its texts; {elapsed}, an after
    video's length, is left in the after captions for the plan to fill."""

    def fill(text: str | None, *, after: bool = False) -> str | None:
        if text is None:
            return None
        known = (*PLACEHOLDERS, ELAPSED_FIELD) if after else PLACEHOLDERS
        for _, field, _, _ in string.Formatter().parse(text):
            if field is not None and field not in known:
                hint = f"{ELAPSED} is for an after's caption; " if field == ELAPSED_FIELD else ""
                raise UsageError(
                    f"unknown placeholder {{{field}}} in {text!r}",
                    hint + "use {episode}, {date} or {stem}; write {{ and }} for braces",
                )
            if field == "episode" and values.get("episode") is None:
                raise UsageError(
                    f"{text!r} uses {{episode}} but this is not a series",
                    "use a preset with [series], or give --episode N",
                )
        return text.format(**values, **{ELAPSED_FIELD: ELAPSED})

    captions, after = recipe.captions, recipe.after
    return replace(
        recipe,
        captions=replace(
            captions,
            texts=tuple(fill(text) or "" for text in captions.texts),
            hook=fill(captions.hook),
            lesson=fill(captions.lesson),
            outro=fill(captions.outro),
        ),
        after=replace(
            after,
            caption=fill(after.caption, after=True),
            parts=tuple(
                part.with_own(caption=fill(part.own.get("caption"), after=True))
                for part in after.parts
            ),
        ),
    )


@dataclass(frozen=True)
class Made:
    plan: Plan
    episode: int | None
    warnings: tuple[str, ...]


def make_clip(
    source: Path,
    output: Path | None,
    layers: list[Layer],
    *,
    force: bool = False,
    episode: int | None = None,
    dry_run: bool = False,
    threads: int = 0,
    on_progress: Callable[[int, int], None] | None = None,
    stage: Path | None = None,
    turn: int | None = None,
) -> Made:
    """Resolve, plan and (unless `dry_run`) render one clip; a series counts only finals.

    `threads` is how many cores the clip may use; 0 means all this process may run on. The
    clip, its cover and its transcript are written in `stage` (a folder on the output's disk)
    or hidden beside each, and appear together once all are written (see `_render_whole`).
    With `--auto`, `turn` is the clip's place in its batch (planning/auto.py).
    """
    resolved = without_orphans(resolve(layers))
    decisions: tuple[Decision, ...] = ()
    looked = None
    if resolved.recipe.auto:
        resolved, decisions, looked = _decided(source, layers, resolved, turn)
    name = resolved.recipe.series
    series = Series(name) if name else None
    final = not dry_run and not resolved.recipe.output.preview
    number = episode
    if series is not None:
        number = series.claim(episode) if final else (episode or series.peek())
    try:
        if not dry_run:
            _import_renderer()
        plan = _plan(
            resolved,
            source,
            output,
            force,
            number,
            dry_run=dry_run,
            keep_index=final,
            looked=looked,
        )
        plan = replace(
            plan,
            format=replace(plan.format, threads=threads or usable_cores()),
            decisions=decisions,
        )
        if not dry_run:
            _render_whole(plan, stage, on_progress)
    except BaseException:
        if series is not None and final and number is not None:
            series.release(number)
        raise
    warnings = resolved.warnings + plan.warnings
    if series is not None and final and number is not None:
        unrecorded = series.recorded(number)
        warnings += (unrecorded,) if unrecorded else ()
    return Made(plan, number, warnings)


def _decided(
    source: Path, layers: list[Layer], resolved: Resolved, turn: int | None
) -> tuple[Resolved, tuple[Decision, ...], Looked]:
    """`--auto`: the settings not given, decided from the footage, as a layer under every one
    the creator gave; the decisions, with why; and what was read to decide them."""
    recipe = resolved.recipe
    given_length = recipe.duration if "duration" in resolved.values else None
    evidence, looked = read_evidence(source, recipe, turn, given_length)
    decisions = decide(
        set(resolved.values), evidence, recipe.captions.hooks, recipe.captions.prompts
    )
    values = {key: SETTINGS[key].kind.read(raw) for key, raw in layer_values(decisions).items()}
    return without_orphans(resolve([Layer("auto", values), *layers])), decisions, looked


def read_evidence(
    source: Path, recipe: Recipe, turn: int | None, given_length: float | None = None
) -> tuple[Evidence, Looked]:
    """What `--auto` decides from: the moment (the creator's `--at`, else the finder's), the
    reaction after it, the words said around it (when a speech model is installed), the
    effects and beds that suit a fail, and the creator's own default bed; and the footage,
    moment and words, for the plan. `given_length`: the reel's length, if the creator gave it."""
    media = probe(source)
    moment = _moment(media, recipe.trim.at)
    at = moment.time if moment is not None else None
    reaction, broken, jitter, heard = None, None, None, (0.0, 0.0)
    words: tuple[SpokenWord, ...] | None = ()
    if at is not None:
        reached = reach(media.duration, at)
        heard = (reached.start, reached.end)
        # Whisper and the picture's small decode (ffmpeg) wait on different things: together
        with ThreadPoolExecutor(max_workers=2) as pool:
            hearing = pool.submit(_words_in, media, heard, recipe)
            looking = pool.submit(around_moment, media, at, *break_span(media.duration, at))
            reaction = measure_reaction(media, at)
            words, seen = hearing.result(), looking.result()
        jitter = seen.jitter
        broken = round(seen.picture_break - at, 2) if seen.picture_break is not None else None
    sounds = library()
    comic = tuple((sound.name, sound.duration) for sound in sounds if sound.tags == ("comedy",))
    bed_tags = [(bed.name, set(bed.tags)) for bed in music_library()]
    own_bed = own_music_bed()
    evidence = Evidence(
        name=source.name,
        footage=media.duration,
        moment=at,
        confidence=moment.confidence if moment is not None else 0.0,
        clear=moment is not None and moment.clear,
        settle=reaction.settle if reaction else None,
        loud_reaction=reaction.loudness_db if reaction else None,
        words=words,
        effects=comic,
        beds=tuple(name for name, tags in bed_tags if "comedy" in tags),
        chill_beds=tuple(name for name, tags in bed_tags if "chill" in tags),
        own_music=str(own_bed) if own_bed else None,
        turn=turn,
        jitter=jitter,
        picture_break=broken,
        scratch=next((sound.duration for sound in sounds if sound.name == SCRATCH), None),
        story=story_seconds(recipe),
        duration=given_length,
        frozen=recipe.beats.freeze,
    )
    usable = evidence.usable
    return evidence, Looked(
        media, moment, words, heard, usable if usable < media.duration else None
    )


def _moment(media: MediaInfo, given: float | None) -> Moment | None:
    """The moment `--auto` decides around: the creator's (sure, as they placed it), else the
    finder's; none in a photo, nor past the footage's end (the plan says so)."""
    if media.kind != "video" or (given is not None and given > media.duration):
        return None
    return Moment(given, 1.0, "your --at") if given is not None else find_moment(media)


def _words_in(
    media: MediaInfo, span: tuple[float, float], recipe: Recipe
) -> tuple[SpokenWord, ...] | None:
    """The words said over `span` (the reach of the moment), timed on the source; None where
    no speech model is installed."""
    if not media.has_audio:
        return ()
    try:
        engine = find_engine(recipe.captions.speech_model, recipe.captions.speech_lang)
    except UsageError:
        return None
    start, end = span
    samples = read_mono(str(media.path), SPEECH_RATE, start, end - start)
    return tuple(
        SpokenWord(word.text, start + word.start, start + word.end)
        for word in words_heard(engine, samples)
    )


def _render_whole(
    plan: Plan, stage: Path | None, on_progress: Callable[[int, int], None] | None
) -> None:
    """Render the clip and its cover and write its transcript at staged paths, then rename
    them into place together: all of them appear, or none (the episode is recorded after)."""
    from clipcraft.render.clip import render  # waits only while that thread imports it

    with staged_outputs(stage) as outputs:
        output = outputs.path(Path(plan.output))
        cover = outputs.path(Path(plan.cover)) if plan.cover else None
        render(replace(plan, output=str(output), cover=str(cover) if cover else None), on_progress)
        if plan.transcript is not None and plan.transcript_path is not None:
            outputs.path(Path(plan.transcript_path)).write_text(plan.transcript, encoding="utf-8")


def _import_renderer() -> None:
    """Import the renderer (OpenCV, pydub: about 40 ms) while the inputs are probed.

    Only a render needs it, so a dry run never pays for it; probing mostly waits on ffmpeg,
    which leaves the interpreter free for the import meanwhile. moviepy comes later, while
    the first decoder starts (see render.compose).
    """
    threading.Thread(
        target=importlib.import_module, args=("clipcraft.render.clip",), name="clipcraft import"
    ).start()


def usable_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 2


def _plan(
    resolved: Resolved,
    source: Path,
    output: Path | None,
    force: bool,
    episode: int | None,
    *,
    dry_run: bool,
    keep_index: bool,
    looked: Looked | None,
) -> Plan:
    values = {"episode": episode, "date": datetime.date.today().isoformat(), "stem": source.stem}
    recipe = fill_placeholders(resolved.recipe, values)
    return prepare(
        recipe, source, output, force, dry_run=dry_run, keep_index=keep_index, looked=looked
    )
