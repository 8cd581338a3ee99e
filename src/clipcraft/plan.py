"""Recipe + probed media → Plan: the clip's timeline, fully resolved, before any frame is read.

A Plan says which window of which file fills which frames of the output and how each is
reframed; rendering only carries it out. Output times are whole frame counts at the output
rate, so the parts always add up to the frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from clipcraft.errors import UsageError
from clipcraft.moment import Moment
from clipcraft.platforms import PLATFORMS
from clipcraft.probe import MediaInfo
from clipcraft.recipe import Recipe, TrimSettings
from clipcraft.sounds import Sound
from clipcraft.stages.caption import OUTRO_SECONDS, PlannedCaption, place, safe_zone, share_time
from clipcraft.stages.reframe import Reframe, choose_reframe
from clipcraft.stages.sound import PlacedEffect, place_effects
from clipcraft.stages.trim import LEAD_IN, place_window
from clipcraft.styles import Position, find_style
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


@dataclass(frozen=True)
class OutputFormat:
    width: int
    height: int
    fps: int
    x264_preset: str
    crf: int
    audio_bitrate: str
    audio_rate: int


@dataclass(frozen=True)
class Segment:
    """A window of one source shown on frames [start_frame, start_frame + frames)."""

    role: str
    source: str
    source_start: float
    source_end: float
    start_frame: int
    frames: int
    reframe: Reframe
    hdr_to_sdr: bool
    source_audio: bool
    card: bool = False
    """A closing card: the first frame of the window, blurred and darkened, held."""


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
    segments: tuple[Segment, ...]
    moment: float
    moment_basis: str
    sound: SoundPlan
    captions: tuple[PlannedCaption, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def total_frames(self) -> int:
        return sum(segment.frames for segment in self.segments)

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
    )


def build_plan(
    recipe: Recipe,
    media: MediaInfo,
    output: Path,
    sounds: Mapping[str, Sound],
    cues: list[Cue] | None = None,
    found: Moment | None = None,
) -> Plan:
    """The timeline for one clip made from `media` as `recipe` says.

    `sounds` holds every effect the recipe names, `cues` the timed captions on the source and
    `found` the moment found in the footage when none was given, all already read or measured
    (see make.py), so that planning itself reads no file.
    """
    if media.kind != "video":
        raise UsageError(
            f"{media.path}: is a photo; the main input must be a video for now",
            "give the clip of the mishap",
        )
    fmt = output_format(recipe)
    trim = recipe.trim
    warnings: list[str] = []
    basis = "given"
    if trim.at is None and trim.start is None and trim.end is None:
        if found is None:
            raise UsageError("no moment to trim around", "give --at TIME or --start/--end")
        trim = replace(trim, at=found.time)
        basis = f"found by {found.basis}, confidence {found.confidence:.2f}"
        if found.confidence < UNSURE:
            warnings.append(
                f"not sure where the mishap is (confidence {found.confidence:.2f}): "
                f"using {format_time(found.time)}; give --at to choose"
            )
    outro_frames = round(OUTRO_SECONDS * fmt.fps) if recipe.captions.outro else 0
    fail_seconds = fail_budget(recipe.duration, outro_frames / fmt.fps, trim)
    placement = place_window(
        media.duration, fail_seconds, at=trim.at, start=trim.start, end=trim.end
    )
    window = placement.window
    frames = max(1, round(window.length * fmt.fps))
    reframe = choose_reframe(
        (media.width, media.height), (fmt.width, fmt.height), recipe.output.fit
    )
    fail = Segment(
        "fail",
        media.path,
        round(window.start, 3),
        round(window.end, 3),
        0,
        frames,
        reframe,
        media.hdr,
        media.has_audio,
    )
    segments = [fail]
    if outro_frames:
        # the card shows the fail's last frame, blurred, while the footage's sound runs on
        card_start = max(window.end - 1 / fmt.fps, window.start)
        segments.append(
            Segment(
                "outro",
                media.path,
                round(card_start, 3),
                round(card_start + outro_frames / fmt.fps, 3),
                frames,
                outro_frames,
                reframe,
                media.hdr,
                media.has_audio,
                card=True,
            )
        )
    warnings += placement.warnings
    if media.unreadable_audio and not media.has_audio:
        warnings.append(f"{media.path}: its audio track cannot be read; the clip uses silence")
    at = trim.at
    moment = (
        at
        if at is not None and window.start <= at <= window.end
        else (window.start + LEAD_IN * window.length)
    )
    moment_on_output = round(min(moment - window.start, frames / fmt.fps), 3)
    total = sum(segment.frames for segment in segments) / fmt.fps
    settings = recipe.sound
    effects = place_effects(
        settings.effects,
        sounds,
        {"moment": moment_on_output, "start": 0.0, "after": None},
        total,
        settings.effect_volume_db,
    )
    sound = SoundPlan(
        original=not settings.mute,
        effects=effects,
        duck_db=DUCK_DB if settings.duck else 0.0,
    )
    captions = plan_captions(recipe, fmt, fail, segments[1] if outro_frames else None, cues or [])
    return Plan(
        output=str(output),
        format=fmt,
        segments=tuple(segments),
        moment=moment_on_output,
        moment_basis=basis,
        sound=sound,
        captions=captions,
        warnings=tuple(warnings),
    )


MIN_FAIL_SECONDS = 2.0


def fail_budget(total: float, other_parts: float, trim: TrimSettings) -> float:
    """Seconds left for the fail part once the other parts have theirs.

    An explicit --start and --end fix the fail part themselves (the total follows).
    """
    if trim.start is not None and trim.end is not None:
        return trim.end - trim.start
    left = total - other_parts
    if other_parts and left < MIN_FAIL_SECONDS:
        raise UsageError(
            f"--duration {total:g} leaves {max(left, 0):.1f} s for the fail after "
            f"{other_parts:.1f} s of other parts; it needs at least {MIN_FAIL_SECONDS:g} s",
            f"raise --duration to {other_parts + MIN_FAIL_SECONDS:g} or more, or drop a part",
        )
    return left


def plan_captions(
    recipe: Recipe, fmt: OutputFormat, fail: Segment, outro: Segment | None, cues: list[Cue]
) -> tuple[PlannedCaption, ...]:
    """Every caption laid out and placed: over the fail in turn, timed cues, the outro card."""
    settings = recipe.captions
    style = find_style(settings.style)
    font = font_path(settings.font, style)
    zone = safe_zone(PLATFORMS[recipe.output.platform], fmt.width, fmt.height)
    if settings.after_text:
        raise UsageError("--after-caption needs an after part", "add --after FILE")
    timed: list[tuple[str, str, int, int, Position]] = []
    position = settings.position or style.position
    spans = share_time(len(settings.texts), fail.start_frame, fail.frames)
    timed += [
        ("fail", text, a, b, position) for text, (a, b) in zip(settings.texts, spans, strict=True)
    ]
    for cue in retime(cues, fail.source_start, fail.source_end):
        start = fail.start_frame + round(cue.start * fmt.fps)
        end = min(fail.start_frame + round(cue.end * fmt.fps), fail.start_frame + fail.frames)
        if end > start:
            timed.append(("subtitle", cue.text, start, end, settings.position or "bottom"))
    if outro and settings.outro:
        timed.append(
            ("outro", settings.outro, outro.start_frame, outro.start_frame + outro.frames, "middle")
        )
    planned = []
    for role, text, start, end, where in timed:
        layout = layout_caption(text, style, font, zone.width, zone.height, fmt.width)
        x, y = place(layout.width, layout.height, zone, where)
        planned.append(
            PlannedCaption(role, layout, style.name, start, end, x, y, settings.animation)
        )
    return tuple(planned)


def describe(plan: Plan) -> str:
    """The plan as a table a person can read (what `make --dry-run` prints)."""
    fmt = plan.format
    lines = [
        f"output   {plan.output}",
        f"format   {fmt.width}x{fmt.height} @ {fmt.fps} fps, H.264 {fmt.x264_preset} "
        f"CRF {fmt.crf}, AAC {fmt.audio_bitrate} {fmt.audio_rate // 1000} kHz",
        f"length   {format_time(plan.duration)} ({plan.total_frames} frames)",
        "",
        f"{'part':<8}{'output':<19}{'source':<19}{'fit':<6}file",
    ]
    for segment in plan.segments:
        start = segment.start_frame / fmt.fps
        end = (segment.start_frame + segment.frames) / fmt.fps
        lines.append(
            f"{segment.role:<8}{format_time(start) + '–' + format_time(end):<19}"
            f"{format_time(segment.source_start) + '–' + format_time(segment.source_end):<19}"
            f"{segment.reframe.mode:<6}{Path(segment.source).name}"
        )
    for caption in plan.captions:
        start, end = caption.start_frame / fmt.fps, caption.end_frame / fmt.fps
        lines.append(
            f"{'caption':<8}{format_time(start) + '–' + format_time(end):<19}"
            f"{caption.style + ' ' + str(caption.layout.font_size) + 'px':<25}"
            f"{' / '.join(caption.layout.lines)}"
        )
    lines.append(f"{'moment':<8}{format_time(plan.moment):<19}{plan.moment_basis}")
    for effect in plan.sound.effects:
        end = effect.start + effect.duration
        lines.append(
            f"{'sfx':<8}{format_time(effect.start) + '–' + format_time(end):<19}"
            f"{effect.gain_db:+.1f} dB{'':<11}{effect.name}"
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
    lines.extend(f"warning: {warning}" for warning in plan.warnings)
    return "\n".join(lines)
