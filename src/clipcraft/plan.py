"""Recipe + probed media → Plan: the clip's timeline, fully resolved, before any frame is read.

A Plan says which window of which file fills which frames of the output and how each is
reframed; rendering only carries it out. Output times are whole frame counts at the output
rate, so the parts always add up to the frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Literal

from clipcraft.errors import UsageError
from clipcraft.moment import Moment
from clipcraft.platforms import PLATFORMS
from clipcraft.probe import MediaInfo
from clipcraft.recipe import AfterSettings, Fit, Recipe, TrimSettings
from clipcraft.sounds import Sound
from clipcraft.stages.caption import OUTRO_SECONDS, PlannedCaption, place, safe_zone, share_time
from clipcraft.stages.reframe import (
    AS_DISPLAYED,
    UPRIGHT_TURNS,
    Reframe,
    Stored,
    choose_reframe,
)
from clipcraft.stages.sequence import (
    FREEZE_ZOOM,
    PHOTO_ZOOM,
    REPLAY_SOURCE_SECONDS,
    REPLAY_SPEED,
    Budget,
    plan_budget,
    transition_frames,
)
from clipcraft.stages.sound import PlacedEffect, place_effects
from clipcraft.stages.trim import LEAD_IN, place_window
from clipcraft.styles import CaptionStyle, Position, find_style
from clipcraft.subtitles import Cue, retime
from clipcraft.text import font_path, layout_caption
from clipcraft.units import format_time, round_even

OUTPUT_FPS = 30
UNSURE = 0.3
"""Below this confidence a found moment comes with a warning to check it."""
PREVIEW_SCALE = 0.5

ENCODER_SETTINGS = {
    # quality: (x264 preset, CRF) as fixed by SPEC §5
    "draft": ("ultrafast", 26),
    "standard": ("veryfast", 21),
    "high": ("medium", 18),
}
AUDIO_BITRATE = "192k"
AUDIO_RATE = 48000
LOUDNESS_LUFS = -14.0
TRUE_PEAK_DB = -1.0
DUCK_DB = -8.0
LABEL_CAP_HEIGHT = 0.045
"""BEFORE / AFTER and REPLAY are small: just above the legible floor."""


@dataclass(frozen=True)
class OutputFormat:
    width: int
    height: int
    fps: int
    x264_preset: str
    crf: int
    audio_bitrate: str
    audio_rate: int
    threads: int = 0
    """Cores this clip may use (x264 and the decoder each take them all); make_clip sets it to
    the machine's, a batch to each clip's share. 0 leaves x264 to choose."""
    shortcuts: bool = False
    """Take every shortcut that costs polish, not meaning: a preview is for checking."""
    aac_coder: str = "twoloop"
    """ffmpeg's AAC search: `twoloop` for the finished clip, `fast` (a third of the work) for
    drafts."""

    def samples_for(self, frames: int) -> int:
        """Sound samples that last exactly as long as `frames` frames."""
        return round(frames * self.audio_rate / self.fps)


Region = Literal["full", "top", "bottom"]


@dataclass(frozen=True)
class Segment:
    """What shows on frames [start_frame, start_frame + frames) of one region of the output.

    A moving segment plays `source` from `source_start` to `source_end` at `speed`; a still
    holds one picture (a photo, or the video frame at `source_start`) and zooms from the first
    to the second `zoom` over its frames. `look` "card" is blurred and dimmed for the outro.
    """

    role: str
    source: str
    source_start: float
    source_end: float
    start_frame: int
    frames: int
    reframe: Reframe
    hdr_to_sdr: bool = False
    sound: bool = False
    still: bool = False
    photo: bool = False
    zoom: tuple[float, float] = (1.0, 1.0)
    speed: float = 1.0
    look: str = "plain"
    region: Region = "full"

    @property
    def end_frame(self) -> int:
        return self.start_frame + self.frames


@dataclass(frozen=True)
class PlannedTransition:
    """A transition centred on `at_frame`; `overlap` frames of it show both parts at once."""

    kind: str
    at_frame: int
    frames: int
    overlap: int


@dataclass(frozen=True)
class SoundPlan:
    """What is heard: the sources' own sound (or not), effects, ducking and the target level."""

    original: bool
    effects: tuple[PlacedEffect, ...] = ()
    duck_db: float = DUCK_DB
    loudness_lufs: float = LOUDNESS_LUFS
    true_peak_db: float = TRUE_PEAK_DB


@dataclass(frozen=True)
class Plan:
    output: str
    format: OutputFormat
    cover: str | None
    segments: tuple[Segment, ...]
    moment: float
    moment_basis: str
    sound: SoundPlan
    captions: tuple[PlannedCaption, ...] = ()
    transitions: tuple[PlannedTransition, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def total_frames(self) -> int:
        return max(segment.end_frame for segment in self.segments)

    @property
    def duration(self) -> float:
        return self.total_frames / self.format.fps

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["duration"] = round(self.duration, 3)
        data["total_frames"] = self.total_frames
        return data


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


def build_plan(
    recipe: Recipe,
    media: MediaInfo,
    output: Path,
    sounds: Mapping[str, Sound],
    cues: list[Cue] | None = None,
    found: Moment | None = None,
    after: MediaInfo | None = None,
) -> Plan:
    """The timeline for one clip made from `media` (and `after`) as `recipe` says.

    `sounds` holds every effect the recipe names, `cues` the timed captions on the source,
    `found` the moment found in the footage when none was given and `after` the probed after
    file, all already read or measured (see make.py), so that planning itself reads no file.
    """
    fmt = output_format(recipe)
    beats, after_settings = recipe.beats, recipe.after
    split = after_settings.layout == "split"
    _check_parts(media, after, recipe)
    trim, basis, warnings = _resolve_trim(recipe.trim, found, media)
    kind = after_settings.transition if after is not None and not split else "cut"
    transition_length, overlap = transition_frames(kind, fmt.fps)
    fixed = trim.end - trim.start if trim.start is not None and trim.end is not None else None
    budget = plan_budget(
        recipe.duration,
        fmt.fps,
        freeze=0.0 if split else beats.freeze,
        replay=beats.replay and not split,
        after=after_settings.duration if after is not None and not split else 0.0,
        outro=OUTRO_SECONDS if recipe.captions.outro else 0.0,
        overlap=overlap,
        fixed_fail=fixed if media.kind == "video" else None,
    )
    size = (fmt.width, fmt.height // 2) if split else (fmt.width, fmt.height)
    region: Region = "top" if split else "full"
    segments, moment = _before_part(media, trim, budget, size, region, recipe, warnings)
    before_end = segments[-1].end_frame
    transitions: list[PlannedTransition] = []
    if after is not None:
        if split:
            segments.append(
                _after_segment(
                    after,
                    after_settings,
                    0,
                    before_end,
                    (fmt.width, fmt.height - size[1]),
                    "bottom",
                    False,
                )
            )
        else:
            start = before_end - overlap
            segments.append(
                _after_segment(
                    after, after_settings, start, budget.after, size, "full", after.has_audio
                )
            )
            if kind != "cut":
                at = before_end if not overlap else start
                transitions.append(PlannedTransition(kind, at, transition_length, overlap))
    if budget.outro:
        segments.append(_outro(segments[-1], budget.outro, (fmt.width, fmt.height), fmt.fps))
    if media.unreadable_audio and not media.has_audio:
        warnings.append(f"{media.path}: its audio track cannot be read; the clip uses silence")
    total = max(segment.end_frame for segment in segments) / fmt.fps
    after_start = next((s.start_frame / fmt.fps for s in segments if s.role == "after"), None)
    settings = recipe.sound
    effects = place_effects(
        settings.effects,
        sounds,
        {"moment": moment, "start": 0.0, "after": after_start},
        total,
        settings.effect_volume_db,
    )
    sound = SoundPlan(
        original=not settings.mute,
        effects=effects,
        duck_db=DUCK_DB if settings.duck else 0.0,
    )
    return Plan(
        output=str(output),
        format=fmt,
        cover=_cover_path(recipe.output.cover, output),
        segments=tuple(segments),
        moment=moment,
        moment_basis=basis,
        sound=sound,
        captions=plan_captions(recipe, fmt, segments, cues or []),
        transitions=tuple(transitions),
        warnings=tuple(warnings),
    )


def _cover_path(cover: str | None, output: Path) -> str | None:
    """The cover's path: as given, or the clip's own name with .jpg; never the clip itself."""
    if cover is None:
        return None
    path = Path(cover).expanduser() if cover else output.with_suffix(".jpg")
    if path.resolve() == output.resolve():
        raise UsageError(f"--cover {path}: is the clip's own path", "give a .jpg path")
    if not path.parent.is_dir():
        raise UsageError(f"--cover {path}: the folder {path.parent} does not exist")
    return str(path)


def _check_parts(media: MediaInfo, after: MediaInfo | None, recipe: Recipe) -> None:
    beats, split = recipe.beats, recipe.after.layout == "split"
    if split and after is None:
        raise UsageError("--layout split needs an after part", "add --after FILE")
    if (beats.freeze or beats.replay) and split:
        raise UsageError("--freeze and --replay work with --layout sequence, not split")
    if (beats.freeze or beats.replay) and media.kind != "video":
        raise UsageError(f"--freeze and --replay need a video; {media.path} is a photo")
    if recipe.captions.after_text and after is None:
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
    if found.confidence < UNSURE:
        warnings.append(
            f"not sure where the mishap is (confidence {found.confidence:.2f}): "
            f"using {format_time(found.time)}; give --at to choose"
        )
    basis = f"found by {found.basis}, confidence {found.confidence:.2f}"
    return replace(trim, at=found.time), basis, warnings


def _before_part(
    media: MediaInfo,
    trim: TrimSettings,
    budget: Budget,
    size: tuple[int, int],
    region: Region,
    recipe: Recipe,
    warnings: list[str],
) -> tuple[list[Segment], float]:
    """The fail (split by a freeze, followed by a replay) and the moment's output time."""
    fps = OUTPUT_FPS
    fit = recipe.output.fit
    if media.kind == "photo":
        photo = _still(
            media.path,
            (media.width, media.height),
            0,
            budget.fail,
            size,
            fit,
            (1.0, PHOTO_ZOOM),
            "fail",
            region,
            photo=True,
        )
        return [photo], 0.0
    placement = place_window(
        media.duration, budget.fail / fps, at=trim.at, start=trim.start, end=trim.end
    )
    warnings += placement.warnings
    window = placement.window
    frames = max(1, round(window.length * fps))
    at = trim.at
    moment = (
        at
        if at is not None and window.start <= at <= window.end
        else (window.start + LEAD_IN * window.length)
    )
    reframe = choose_reframe((media.width, media.height), size, fit, stored_as(media))

    def moving(
        role: str,
        start: float,
        end: float,
        first: int,
        count: int,
        speed: float = 1.0,
        sound: bool = True,
    ) -> Segment:
        return Segment(
            role,
            media.path,
            round(start, 3),
            round(end, 3),
            first,
            count,
            reframe,
            media.hdr,
            sound and media.has_audio,
            speed=speed,
            region=region,
        )

    if not budget.freeze:
        segments = [moving("fail", window.start, window.end, 0, frames)]
        moment_frame = round((moment - window.start) * fps)
    else:
        lead = min(max(round((moment - window.start) * fps), 0), frames)
        segments = []
        if lead:
            segments.append(moving("fail", window.start, moment, 0, lead))
        freeze = _still(
            media.path,
            (media.width, media.height),
            lead,
            budget.freeze,
            size,
            fit,
            (1.0, FREEZE_ZOOM),
            "freeze",
            region,
            at=moment,
            hdr=media.hdr,
            stored=reframe.stored,
        )
        segments.append(freeze)
        if frames - lead:
            segments.append(moving("fail", moment, window.end, freeze.end_frame, frames - lead))
        moment_frame = lead
    if budget.replay:
        half = REPLAY_SOURCE_SECONDS / 2
        start = min(max(moment - half, 0.0), max(media.duration - REPLAY_SOURCE_SECONDS, 0.0))
        end = min(start + REPLAY_SOURCE_SECONDS, media.duration)
        count = min(budget.replay, round((end - start) / REPLAY_SPEED * fps))
        segments.append(
            moving(
                "replay", start, end, segments[-1].end_frame, count, speed=REPLAY_SPEED, sound=False
            )
        )
    return segments, round(moment_frame / fps, 3)


def stored_as(media: MediaInfo) -> Stored:
    """How the decoder will find the source's picture: turned, and with what pixel shape.

    A turn that is not a quarter (a display matrix at 45°, say) is left to ffmpeg's own
    autorotate, as before the reframe learned to turn pictures itself."""
    turn = media.rotation if media.rotation in UPRIGHT_TURNS else 0
    return Stored(turn, media.square_pixels)


def _still(
    source: str,
    source_size: tuple[int, int],
    first: int,
    count: int,
    size: tuple[int, int],
    fit: Fit,
    zoom: tuple[float, float],
    role: str,
    region: Region,
    *,
    photo: bool = False,
    at: float = 0.0,
    hdr: bool = False,
    look: str = "plain",
    stored: Stored = AS_DISPLAYED,
) -> Segment:
    """A held picture, reframed at the size its deepest zoom needs so it stays sharp."""
    deepest = max(zoom)
    target = (round_even(size[0] * deepest), round_even(size[1] * deepest))
    reframe = choose_reframe(source_size, target, fit, stored)
    return Segment(
        role,
        source,
        round(at, 3),
        round(at, 3),
        first,
        count,
        reframe,
        hdr,
        still=True,
        photo=photo,
        zoom=zoom,
        look=look,
        region=region,
    )


def _after_segment(
    after: MediaInfo,
    settings: AfterSettings,
    first: int,
    count: int,
    size: tuple[int, int],
    region: Region,
    sound: bool,
) -> Segment:
    if after.kind == "photo":
        return _still(
            after.path,
            (after.width, after.height),
            first,
            count,
            size,
            "auto",
            (1.0, PHOTO_ZOOM),
            "after",
            region,
            photo=True,
        )
    if settings.start >= after.duration:
        raise UsageError(
            f"--after-start {settings.start:g} is past the end of {after.path} "
            f"({after.duration:.1f} s)"
        )
    end = min(settings.start + count / OUTPUT_FPS, after.duration)
    frames = min(count, max(1, round((end - settings.start) * OUTPUT_FPS)))
    reframe = choose_reframe((after.width, after.height), size, "auto", stored_as(after))
    return Segment(
        "after",
        after.path,
        round(settings.start, 3),
        round(end, 3),
        first,
        frames,
        reframe,
        after.hdr,
        sound,
        region=region,
    )


def _outro(last: Segment, frames: int, size: tuple[int, int], fps: int) -> Segment:
    """The closing card: the last picture shown, blurred and dimmed, its sound running on."""
    if last.still:
        return replace(
            last,
            role="outro",
            start_frame=last.end_frame,
            frames=frames,
            zoom=(max(last.zoom),) * 2,
            look="card",
            region="full",
            sound=False,
        )
    at = max(last.source_end - 1 / fps, last.source_start)
    card = _still(
        last.source,
        last.reframe.source,
        last.end_frame,
        frames,
        size,
        "auto",
        (1.0, 1.0),
        "outro",
        "full",
        at=at,
        hdr=last.hdr_to_sdr,
        look="card",
        stored=last.reframe.stored,
    )
    # the footage's sound (its reaction, usually) carries on under the card
    return replace(
        card, source_end=round(at + frames / fps, 3), sound=last.sound and last.speed == 1.0
    )


def plan_captions(
    recipe: Recipe, fmt: OutputFormat, segments: list[Segment], cues: list[Cue]
) -> tuple[PlannedCaption, ...]:
    """Every caption laid out and placed: over the fail in turn, timed cues, the after, the
    outro card, and the BEFORE/AFTER labels and REPLAY tag."""
    settings = recipe.captions
    style = find_style(settings.style)
    font = font_path(settings.font, style)
    zone = safe_zone(PLATFORMS[recipe.output.platform], fmt.width, fmt.height)
    position = settings.position or style.position
    before = [s for s in segments if s.role in ("fail", "freeze", "replay")]
    planned: list[PlannedCaption] = []

    def add(
        role: str,
        text: str,
        first: int,
        last: int,
        where: Position | tuple[int, int],
        look: CaptionStyle = style,
    ) -> None:
        if last <= first:
            return
        layout = layout_caption(
            text,
            look,
            font if look is style else font_path(None, look),
            zone.width,
            zone.height,
            fmt.width,
        )
        x, y = (
            where if isinstance(where, tuple) else place(layout.width, layout.height, zone, where)
        )
        planned.append(PlannedCaption(role, layout, look, first, last, x, y, settings.animation))

    if before:
        spans = share_time(
            len(settings.texts), before[0].start_frame, before[-1].end_frame - before[0].start_frame
        )
        for text, (first, last) in zip(settings.texts, spans, strict=True):
            add("fail", text, first, last, position)
    for segment in (s for s in segments if s.role == "fail"):
        for cue in retime(cues, segment.source_start, segment.source_end):
            first = segment.start_frame + round(cue.start * fmt.fps)
            last = min(segment.start_frame + round(cue.end * fmt.fps), segment.end_frame)
            add("subtitle", cue.text, first, last, settings.position or "bottom")
    label = replace(find_style("banner"), name="label", cap_height=LABEL_CAP_HEIGHT)
    corner = (zone.left, zone.top)
    for segment in segments:
        if segment.role == "replay":
            add("tag", "REPLAY", segment.start_frame, segment.end_frame, corner, label)
        if segment.role == "after":
            if segment.region == "bottom":
                top = before[0]
                add("label", "BEFORE", top.start_frame, top.end_frame, corner, label)
                add(
                    "label",
                    "AFTER",
                    segment.start_frame,
                    segment.end_frame,
                    (zone.left, fmt.height // 2 + round(fmt.height * 0.015)),
                    label,
                )
            if settings.after_text:
                add(
                    "after",
                    settings.after_text,
                    segment.start_frame,
                    segment.end_frame,
                    "bottom" if segment.region == "bottom" else position,
                )
        if segment.role == "outro" and settings.outro:
            add("outro", settings.outro, segment.start_frame, segment.end_frame, "middle")
    return tuple(planned)


def describe(plan: Plan) -> str:
    """The plan as a table a person can read (what `make --dry-run` prints)."""
    fmt = plan.format

    def span(first: int, last: int) -> str:
        return f"{format_time(first / fmt.fps)}–{format_time(last / fmt.fps)}"

    lines = [
        f"output   {plan.output}",
        f"format   {fmt.width}x{fmt.height} @ {fmt.fps} fps, H.264 {fmt.x264_preset} "
        f"CRF {fmt.crf}, AAC {fmt.audio_bitrate} {fmt.audio_rate // 1000} kHz",
        f"length   {format_time(plan.duration)} ({plan.total_frames} frames)",
        "",
        f"{'part':<8}{'output':<19}{'source':<34}{'fit':<6}file",
    ]
    for segment in plan.segments:
        if segment.still:
            source = "photo" if segment.photo else f"still at {format_time(segment.source_start)}"
            if segment.zoom[0] != segment.zoom[1]:
                source += f", zoom {segment.zoom[0]:.2f}→{segment.zoom[1]:.2f}"
        else:
            source = f"{format_time(segment.source_start)}–{format_time(segment.source_end)}"
            source += f" ×{segment.speed:g}" if segment.speed != 1.0 else ""
        where = f" ({segment.region})" if segment.region != "full" else ""
        lines.append(
            f"{segment.role:<8}{span(segment.start_frame, segment.end_frame):<19}{source:<34}"
            f"{segment.reframe.mode:<6}{Path(segment.source).name}{where}"
        )
    for transition in plan.transitions:
        both = " (both parts show)" if transition.overlap else ""
        first = transition.at_frame - (0 if transition.overlap else transition.frames // 2)
        lines.append(
            f"{'trans':<8}{span(first, first + transition.frames):<19}{transition.kind}{both}"
        )
    for caption in plan.captions:
        lines.append(
            f"{'caption':<8}{span(caption.start_frame, caption.end_frame):<19}"
            f"{caption.style.name + ' ' + str(caption.layout.font_size) + 'px':<34}"
            f"{' / '.join(caption.layout.lines)}"
        )
    lines.append(f"{'moment':<8}{format_time(plan.moment):<19}{plan.moment_basis}")
    for effect in plan.sound.effects:
        end = effect.start + effect.duration
        lines.append(
            f"{'sfx':<8}{format_time(effect.start) + '–' + format_time(end):<19}"
            f"{effect.gain_db:+.1f} dB{'':<26}{effect.name}"
        )
    original = (
        "muted"
        if not plan.sound.original
        else (
            f"ducked {plan.sound.duck_db:+.0f} dB under effects" if plan.sound.duck_db else "level"
        )
    )
    lines.append(
        f"{'sound':<8}original {original}; mix at {plan.sound.loudness_lufs:g} LUFS, "
        f"peaks ≤ {plan.sound.true_peak_db:g} dBTP"
    )
    return "\n".join(lines)
