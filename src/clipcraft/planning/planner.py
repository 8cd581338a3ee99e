"""Recipe + what was read from the inputs → Plan (plan.py): the parts in order, each window
of the source placed on whole output frames, the sound and the captions.

Planning reads no file: make.prepare probes the inputs, reads the subtitles and the sounds,
finds the moment and checks the output paths first, and hands them over as Inputs.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from clipcraft.captions.font_book import FontBook
from clipcraft.captions.subtitles import Cue
from clipcraft.errors import UsageError
from clipcraft.finding.action import ActionTrack
from clipcraft.finding.beats import Beats
from clipcraft.finding.moment import UNCLEAR, Moment
from clipcraft.finding.shake import CameraPath
from clipcraft.media.probe import MediaInfo, round_even
from clipcraft.planning.caption import (
    HOOK_CLEARS,
    HOOK_SHORTEST,
    OUTRO_SECONDS,
    plan_captions,
    safe_zone,
)
from clipcraft.planning.fitting import Fitting, stored_as
from clipcraft.planning.music import BeatCut, choose_cut, plan_music
from clipcraft.planning.plan import (
    CardLook,
    OutputFormat,
    Plan,
    PlannedTransition,
    Region,
    Role,
    Segment,
    Shows,
    SoundPlan,
    Span,
)
from clipcraft.planning.punch import (
    PunchTiming,
    View,
    action_at,
    aim_span,
    on_frame,
    punch_timing,
    scale_at,
    views,
)
from clipcraft.planning.reframe import Reframe, choose_reframe
from clipcraft.planning.sequence import (
    FREEZE_ZOOM,
    PHOTO_ZOOM,
    REPLAY_SOURCE_SECONDS,
    REPLAY_SPEED,
    Budget,
    plan_budget,
    transition_frames,
)
from clipcraft.planning.sound import DUCK_RAMP, EFFECT_OVER_BED_DB, SILENCE_DBFS, place_effects
from clipcraft.planning.story import pace, part_caption
from clipcraft.planning.trim import LEAD_IN, place_window
from clipcraft.settings.platforms import PLATFORMS
from clipcraft.settings.recipe import Fit, PartSettings, Recipe, TrimSettings
from clipcraft.settings.units import format_time
from clipcraft.sound.library import Sound

OUTPUT_FPS = 30
PREVIEW_SCALE = 0.5
ENCODER_SETTINGS = {
    # quality: (x264 preset, CRF), as docs/contract.md (Output) gives them
    "draft": ("ultrafast", 26),
    "standard": ("veryfast", 21),
    "high": ("medium", 18),
}
AUDIO_BITRATE = "192k"
AUDIO_RATE = 48000
LOUDNESS_LUFS = -14.0
TRUE_PEAK_DB = -1.0
QUIETEST_LUFS = -45.0
"""A mix quieter than this is near silence: raising it would only raise the noise."""
DUCK_DB = -8.0
CARD_LOOK = CardLook(blur=24.0, brightness=-0.22, saturation=0.8)
"""A card's background: the last frame, soft and dim enough for its text to stand out."""


@dataclass(frozen=True, kw_only=True)
class Inputs:
    """Everything planning needs from disk, already read: the probed source and after, the
    named sounds, the timed captions on the source, the moment found when none was given,
    the caption face and the cover's path, both checked, and the fonts to measure captions
    with, read (planning reads no file)."""

    media: MediaInfo
    afters: tuple[MediaInfo, ...] = ()
    """The after parts' files, probed, in the recipe's order."""
    sounds: Mapping[str, Sound] = field(default_factory=dict)
    cues: tuple[Cue, ...] = ()
    found: Moment | None = None
    font: Path | None = None
    """A face the recipe names; None: the caption style's own bundled face."""
    fonts: FontBook
    """Every face the captions may be measured with, read (faces.read_ahead)."""
    cover: str | None = None
    tracks: Mapping[Span, ActionTrack] = field(default_factory=dict)
    """Where the action is in each window a follow reframe asked for (see Plan.unmeasured)."""
    paths: Mapping[Span, CameraPath] = field(default_factory=dict)
    """How the camera moved in each window a steadied picture asked for (Plan.unsteadied)."""
    music: Sound | None = None
    beats: Beats | None = None
    """The music's beats, read when the cut to an after may move onto one."""


@dataclass(frozen=True)
class Frame:
    """Where a part goes on the output: its size in pixels and its region."""

    size: tuple[int, int]
    region: Region


def output_format(recipe: Recipe) -> OutputFormat:
    platform = PLATFORMS[recipe.output.platform]
    scale = PREVIEW_SCALE if recipe.output.preview else 1.0
    quality = "draft" if recipe.output.preview else recipe.output.quality
    preset, crf = ENCODER_SETTINGS[quality]
    return OutputFormat(
        width=round_even(platform.width * scale),
        height=round_even(platform.height * scale),
        fps=OUTPUT_FPS,
        x264_preset=preset,
        crf=crf,
        audio_bitrate=AUDIO_BITRATE,
        audio_rate=AUDIO_RATE,
        shortcuts=recipe.output.preview,
        aac_coder="fast" if quality == "draft" else "twoloop",
    )


def build_plan(recipe: Recipe, inputs: Inputs, output: Path) -> Plan:
    """The timeline for one clip made from `inputs` as `recipe` says."""
    fmt = output_format(recipe)
    media, afters = inputs.media, inputs.afters
    parts = recipe.after.settled()
    split = recipe.after.layout == "split"
    _check_parts(media, afters, recipe)
    trim, basis, warnings = _resolve_trim(recipe.trim, inputs.found, media)
    transitions_in = [transition_frames(part.transition, fmt.fps) for part in parts]
    fixed = trim.end - trim.start if trim.start is not None and trim.end is not None else None
    budget = _budget(recipe, fixed if media.kind == "video" else None)
    music, cut = recipe.sound.music, None
    if music is not None and budget.after and not split:
        cut = choose_cut(
            budget, inputs.beats, music.start, fmt.fps, _room(media, afters, parts, budget),
            asked=recipe.sound.beat_cut, fixed=fixed is not None,
        )  # fmt: skip
        budget = cut.budget
    full = Frame((fmt.width, fmt.height), "full")
    before = Frame((fmt.width, fmt.height // 2), "top") if split else full
    fitting = Fitting(inputs.tracks, inputs.paths, recipe.output.stabilize)
    segments, moment = _before_part(
        media, trim, budget, before, (recipe.output.fit, fitting, recipe.beats.punch_in), warnings
    )
    transitions: list[PlannedTransition] = []
    # an after is never cropped blind (the dish may be at its edge): `crop` is `auto` there
    after_fit: tuple[Fit, Fitting] = (
        "auto" if recipe.output.fit == "crop" else recipe.output.fit,
        fitting,
    )
    captions: list[str | None] = []
    if split:
        below = Frame((fmt.width, fmt.height - before.size[1]), "bottom")
        told = _after_part(afters[0], parts[0], 0, segments[-1].end_frame, below, after_fit)
        segments.append(told.segment)
        captions.append(told.caption)
        warnings += told.warnings
    end = segments[-1].end_frame
    in_turn = () if split else zip(afters, parts, budget.afters, transitions_in, strict=True)
    for info, part, frames, (length, overlap) in in_turn:
        told = _after_part(info, part, end - overlap, frames, full, after_fit)
        segments.append(told.segment)
        captions.append(told.caption)
        warnings += told.warnings
        if part.transition != "cut":
            at = end if not overlap else end - overlap
            transitions.append(
                PlannedTransition(kind=part.transition, at_frame=at, frames=length, overlap=overlap)
            )
        end = told.segment.end_frame
    cards: tuple[tuple[Role, int], ...] = (("lesson", budget.lesson), ("outro", budget.outro))
    for role, frames in cards:
        if frames:
            # the part that ends last (in a split, the fail above when both end together)
            last = max(segments, key=lambda s: (s.end_frame, s.region != "bottom"))
            segments.append(_card(last, role, frames, full.size))
    if media.unreadable_audio and not media.has_audio:
        warnings.append(f"{media.path}: its audio track cannot be read; the clip uses silence")
    planned = plan_captions(
        recipe.captions,
        fmt,
        safe_zone(PLATFORMS[recipe.output.platform], fmt.width, fmt.height),
        segments,
        cues=inputs.cues,
        font=inputs.font,
        book=inputs.fonts,
        moment_frame=round(moment * fmt.fps),
        after_texts=captions,
    )
    if recipe.captions.hook and not any(caption.role == "hook" for caption in planned):
        warnings.append(
            f"the hook needs {HOOK_SHORTEST + HOOK_CLEARS:g} s before the moment to be read, "
            f"and the clip has {moment:.1f} s; it is left out (start the window earlier with "
            "--start, or a longer --duration)"
        )
    return Plan(
        output=str(output),
        format=fmt,
        cover=inputs.cover,
        segments=tuple(segments),
        moment=moment,
        moment_basis=basis,
        sound=_sound(recipe, inputs, segments, moment, cut),
        captions=planned,
        transitions=tuple(transitions),
        warnings=tuple(warnings),
        unmeasured=tuple(fitting.unmeasured),
        unsteadied=tuple(fitting.unsteadied),
    )


def _sound(
    recipe: Recipe, inputs: Inputs, segments: list[Segment], moment: float, cut: BeatCut | None
) -> SoundPlan:
    total = max(segment.end_frame for segment in segments) / OUTPUT_FPS
    after_start = next((s.start_frame / OUTPUT_FPS for s in segments if s.role == "after"), None)
    settings = recipe.sound
    effects = place_effects(
        settings.effects,
        inputs.sounds,
        {"moment": moment, "start": 0.0, "after": after_start},
        total,
        settings.effect_volume_db,
    )
    music = None
    if settings.music is not None and inputs.music is not None:
        music = plan_music(
            settings.music,
            inputs.music,
            total,
            settings.music_volume_db,
            tuple((e.start, round(e.start + e.duration, 3)) for e in effects),
            cut,
            inputs.beats.tempo if inputs.beats else None,
        )
    return SoundPlan(
        original=not settings.mute,
        effects=effects,
        music=music,
        duck_db=DUCK_DB if settings.duck else 0.0,
        duck_ramp=DUCK_RAMP,
        effects_over_bed_db=EFFECT_OVER_BED_DB,
        silence_dbfs=SILENCE_DBFS,
        loudness_lufs=LOUDNESS_LUFS,
        true_peak_db=TRUE_PEAK_DB,
        quietest_lufs=QUIETEST_LUFS,
    )


def _budget(recipe: Recipe, fixed_fail: float | None, *, story_only: bool = False) -> Budget:
    """The frames of each part of the reel (`story_only`: of the creator's parts besides the
    fail and the closing card only)."""
    parts, split = recipe.after.settled(), recipe.after.layout == "split"
    return plan_budget(
        recipe.duration,
        OUTPUT_FPS,
        freeze=0.0 if split else recipe.beats.freeze,
        replay=recipe.beats.replay and not split,
        afters=() if split else [part.duration for part in parts],
        lesson=OUTRO_SECONDS if recipe.captions.lesson else 0.0,
        outro=OUTRO_SECONDS if recipe.captions.outro and not story_only else 0.0,
        overlaps=() if split else [transition_frames(p.transition, OUTPUT_FPS)[1] for p in parts],
        fixed_fail=0.0 if story_only else fixed_fail,
    )


def story_seconds(recipe: Recipe) -> float:
    """What the creator's parts besides the fail — a freeze, its replay, the after parts less
    the transitions' overlaps, the lesson card — add to the reel: `--auto` sizes the fail,
    then adds these."""
    return _budget(recipe, None, story_only=True).total / OUTPUT_FPS


def _room(
    media: MediaInfo, afters: Sequence[MediaInfo], parts: Sequence[PartSettings], budget: Budget
) -> tuple[int, int]:
    """How many frames the fail and the first after could each grow by before their footage
    runs out (a photo never does, nor a video fitted to its part)."""
    plenty = 10**6
    fail = round(media.duration * OUTPUT_FPS) - budget.fail if media.kind == "video" else plenty
    first, part = afters[0], parts[0]
    if first.kind != "video" or part.speed != 1.0:
        return fail, plenty
    return fail, round((first.duration - part.start) * OUTPUT_FPS) - budget.after


def _check_parts(media: MediaInfo, afters: Sequence[MediaInfo], recipe: Recipe) -> None:
    beats, split = recipe.beats, recipe.after.layout == "split"
    if split and not afters:
        raise UsageError("--layout split needs an after part", "add --after FILE")
    if split and len(afters) > 1:
        raise UsageError(
            f"--layout split shows one after part below the fail, not {len(afters)}",
            "give one --after, or use --layout sequence",
        )
    if (beats.freeze or beats.replay) and split:
        raise UsageError("--freeze and --replay work with --layout sequence, not split")
    if (beats.freeze or beats.replay) and media.kind != "video":
        raise UsageError(f"--freeze and --replay need a video; {media.path} is a photo")
    if recipe.after.caption and not afters:
        raise UsageError("--after-caption needs an after part", "add --after FILE")


def _resolve_trim(
    trim: TrimSettings, found: Moment | None, media: MediaInfo
) -> tuple[TrimSettings, str, list[str]]:
    """The trim with a found moment filled in, what the moment is based on, and warnings."""
    if media.kind == "photo":
        return trim, "a photo: its start", []
    if trim.at is not None or trim.start is not None or trim.end is not None:
        return trim, "given", []
    if found is None:
        raise UsageError("no moment to trim around", "give --at TIME or --start/--end")
    warnings = []
    if not found.clear:
        warnings.append(
            f"{UNCLEAR} (confidence {found.confidence:.2f}; "
            f"placed on the best candidate, {format_time(found.time)})"
        )
    basis = f"found by {found.basis}, confidence {found.confidence:.2f}"
    return replace(trim, at=found.time), basis, warnings


def _before_part(
    media: MediaInfo,
    trim: TrimSettings,
    budget: Budget,
    where: Frame,
    fitted: tuple[Fit, Fitting, float],
    warnings: list,
) -> tuple[list[Segment], float]:
    """The fail (split by a freeze and around a punch-in, followed by a replay) and the
    moment's output time."""
    fps = OUTPUT_FPS
    fit, fitting, punch = fitted
    if media.kind == "photo":
        if punch > 1.0:
            warnings.append(f"{media.path} is a photo: it zooms slowly already, with no punch-in")
        return [_photo(media, "fail", 0, budget.fail, where, fit)], 0.0
    placement = place_window(
        media.duration, budget.fail / fps, at=trim.at, start=trim.start, end=trim.end
    )
    warnings += placement.warnings
    window = placement.window
    frames = max(1, round(window.length * fps))
    at = trim.at
    inside = at is not None and window.start <= at <= window.end
    moment = at if inside and at is not None else window.start + LEAD_IN * window.length
    span = (media.path, window.start, window.end)
    reframe = fitting.footage(media, where.size, fit, span, moment)

    def footage(role: Role, start: float, end: float, first: int, count: int) -> Segment:
        replay = role == "replay"
        sound = media.has_audio and not replay
        speed = REPLAY_SPEED if replay else 1.0
        return _playing(media, role, (start, end), first, count, reframe, where, sound, speed)

    moment_frame = min(max(round((moment - window.start) * fps), 0), frames)
    timing = punch_timing(moment_frame, frames, fps)
    aim = _aim(media, fitting, span, reframe, moment) if punch > 1.0 else (0.5, 0.5)
    if punch == 1.0:
        timing = PunchTiming(frames, frames, frames, frames)
    cuts = sorted(
        {0, timing.start, timing.end, frames} | ({moment_frame} if budget.freeze else set())
    )
    segments: list[Segment] = []
    for first, last in itertools.pairwise(cuts):
        if first == last:
            continue
        start = window.start + first / fps
        end = window.end if last == frames else window.start + last / fps
        shift = budget.freeze if budget.freeze and first >= moment_frame else 0
        piece = footage("fail", start, end, first + shift, last - first)
        if timing.start <= first < timing.end:
            scales = [scale_at(timing, frame, punch) for frame in range(first, last)]
            piece = _pushed(piece, views(scales, aim), where)
        segments.append(piece)
    if budget.freeze:
        segments.append(
            _freeze(media, moment, moment_frame, budget.freeze, where, reframe, (punch, aim))
        )
        segments.sort(key=lambda segment: segment.start_frame)
    if budget.replay:
        half = REPLAY_SOURCE_SECONDS / 2
        start = min(max(moment - half, 0.0), max(media.duration - REPLAY_SOURCE_SECONDS, 0.0))
        end = min(start + REPLAY_SOURCE_SECONDS, media.duration)
        count = min(budget.replay, round((end - start) / REPLAY_SPEED * fps))
        segments.append(footage("replay", start, end, segments[-1].end_frame, count))
    return segments, round(moment_frame / fps, 3)


def _aim(
    media: MediaInfo, fitting: Fitting, span: Span, reframe: Reframe, moment: float
) -> tuple[float, float]:
    """Where on the fitted frame the punch-in aims: the action at the moment, from the track
    a follow measures over the window, or else from one of just the moment's (far cheaper)."""
    measured = span
    if span not in fitting.tracks and span not in fitting.unmeasured:
        measured = (media.path, *aim_span(moment, span[1], span[2]))
    return on_frame(reframe, action_at(fitting.action(media, measured, reframe), moment), moment)


def _freeze(
    media: MediaInfo,
    at: float,
    first: int,
    count: int,
    where: Frame,
    reframe: Reframe,
    punched: tuple[float, tuple[float, float]],
) -> Segment:
    """The moment held still, pushing in from where the punch-in (if any) has brought it."""
    scale, aim = punched
    zoom = (scale, scale * FREEZE_ZOOM)
    held = _held(
        media,
        "freeze",
        "frame",
        at=at,
        first=first,
        count=count,
        where=where,
        reframe=reframe,
        zoom=zoom,
    )
    if scale == 1.0:
        return held
    scales = [zoom[0] + (zoom[1] - zoom[0]) * i / max(count - 1, 1) for i in range(count)]
    return replace(held, views=views(scales, aim))


def _pushed(segment: Segment, pushed: tuple[View, ...], where: Frame) -> Segment:
    """Footage pushed in frame by frame, decoded at its deepest view's size (sharp, not
    a full-size frame scaled up)."""
    deepest = max(view.scale for view in pushed)
    target = (round_even(where.size[0] * deepest), round_even(where.size[1] * deepest))
    return replace(segment, reframe=_resized(segment.reframe, target), views=pushed)


def _playing(
    media: MediaInfo,
    role: Role,
    span: tuple[float, float],
    first: int,
    count: int,
    reframe: Reframe,
    where: Frame,
    sound: bool,
    speed: float = 1.0,
) -> Segment:
    """Footage playing from `span[0]` to `span[1]` of the source on `count` frames."""
    return Segment(
        role=role,
        shows="footage",
        source=media.path,
        source_start=round(span[0], 3),
        source_end=round(span[1], 3),
        start_frame=first,
        frames=count,
        reframe=reframe,
        hdr_to_sdr=media.hdr,
        sound=sound,
        speed=speed,
        region=where.region,
    )


def _held(
    media: MediaInfo,
    role: Role,
    shows: Shows,
    *,
    at: float,
    first: int,
    count: int,
    where: Frame,
    reframe: Reframe,
    zoom: tuple[float, float],
) -> Segment:
    """A held picture, reframed as `reframe` (made for the frame) at the size its deepest zoom
    needs, so it stays sharp."""
    deepest = max(zoom)
    target = (round_even(where.size[0] * deepest), round_even(where.size[1] * deepest))
    return Segment(
        role=role,
        shows=shows,
        source=media.path,
        source_start=round(at, 3),
        source_end=round(at, 3),
        start_frame=first,
        frames=count,
        reframe=_resized(reframe, target),
        hdr_to_sdr=media.hdr and shows != "photo",
        zoom=zoom,
        region=where.region,
    )


def _resized(reframe: Reframe, target: tuple[int, int]) -> Reframe:
    """The same reframe for a `target` of (nearly) the same shape."""
    if reframe.mode == "follow":
        return replace(reframe, target=target)
    resized = choose_reframe(reframe.source, target, reframe.mode, reframe.stored)
    return replace(resized, steady=reframe.steady)


def _photo(media: MediaInfo, role: Role, first: int, count: int, where: Frame, fit: Fit) -> Segment:
    """A photo, zooming in slowly so it is never a dead still (nothing moves: no follow)."""
    still_fit = "auto" if fit == "follow" else fit
    reframe = choose_reframe((media.width, media.height), where.size, still_fit, stored_as(media))
    return _held(
        media,
        role,
        "photo",
        at=0.0,
        first=first,
        count=count,
        where=where,
        reframe=reframe,
        zoom=(1.0, PHOTO_ZOOM),
    )


@dataclass(frozen=True)
class Told:
    """An after part planned: its segment, its caption, what to warn of."""

    segment: Segment
    caption: str | None
    warnings: tuple[str, ...] = ()


def _after_part(
    after: MediaInfo,
    part: PartSettings,
    first: int,
    count: int,
    where: Frame,
    fitted: tuple[Fit, Fitting],
) -> Told:
    """One after part on `count` frames from `first`: a photo zooming, or a video from its
    start at its speed (sped up: fitted, silent, neither followed nor steadied)."""
    fit, fitting = fitted
    if after.kind == "photo":
        segment = _photo(after, "after", first, count, where, "auto")
        return Told(segment, part_caption(part.caption, False, None))
    start = part.start
    if start >= after.duration:
        raise UsageError(
            f"--after-start {start:g} is past the end of {after.path} ({after.duration:.1f} s)"
        )
    paced = pace(part.speed, start, after.duration, count, OUTPUT_FPS)
    sped = paced.speed != 1.0
    span = (after.path, start, paced.end)
    reframe = fitting.footage(after, where.size, fit, span, start, moving=not sped)
    sound = after.has_audio and not sped and where.region == "full"
    segment = _playing(
        after, "after", (start, paced.end), first, paced.frames, reframe, where, sound, paced.speed
    )
    warnings = (f"{after.path}: {paced.warning}",) if paced.warning else ()
    return Told(segment, part_caption(part.caption, sped, paced.end - start), warnings)


def _card(last: Segment, role: Role, frames: int, size: tuple[int, int]) -> Segment:
    """A card (the lesson, the outro): the last picture shown, blurred and dimmed, its sound
    running on."""
    card = replace(last, role=role, start_frame=last.end_frame, frames=frames, card=CARD_LOOK)
    if last.still:
        return replace(card, zoom=(max(last.zoom),) * 2, region="full", sound=False)
    at = max(last.source_end - 1 / OUTPUT_FPS, last.source_start)
    reframe = (
        replace(last.reframe, target=size)
        if last.reframe.mode == "follow"
        else replace(
            choose_reframe(last.reframe.source, size, "auto", last.reframe.stored),
            steady=last.reframe.steady,
        )
    )
    # the footage's sound (its reaction, usually) carries on under the card
    return replace(
        card,
        shows="frame",
        source_start=round(at, 3),
        source_end=round(at + frames / OUTPUT_FPS, 3),
        reframe=reframe,
        zoom=(1.0, 1.0),
        speed=1.0,
        region="full",
        sound=last.sound and last.speed == 1.0,
    )
