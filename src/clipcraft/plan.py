"""Recipe + probed media → Plan: the clip's timeline, fully resolved, before any frame is read.

A Plan says which window of which file fills which frames of the output and how each is
reframed; rendering only carries it out. Output times are whole frame counts at the output
rate, so the parts always add up to the frame.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from clipcraft.errors import UsageError
from clipcraft.platforms import PLATFORMS
from clipcraft.probe import MediaInfo
from clipcraft.recipe import Recipe
from clipcraft.stages.reframe import Reframe, choose_reframe
from clipcraft.stages.trim import place_window
from clipcraft.units import format_time, round_even

OUTPUT_FPS = 30
PREVIEW_SCALE = 0.5

ENCODER_SETTINGS = {
    # quality: (x264 preset, CRF) as fixed by SPEC §5
    "draft": ("ultrafast", 26),
    "standard": ("veryfast", 21),
    "high": ("medium", 18),
}
AUDIO_BITRATE = "160k"
AUDIO_RATE = 48000


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


@dataclass(frozen=True)
class Plan:
    output: str
    format: OutputFormat
    segments: tuple[Segment, ...]
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


def build_plan(recipe: Recipe, media: MediaInfo, output: Path) -> Plan:
    """The timeline for one clip made from `media` as `recipe` says."""
    if media.kind != "video":
        raise UsageError(
            f"{media.path}: is a photo; the main input must be a video for now",
            "give the clip of the mishap",
        )
    fmt = output_format(recipe)
    trim = recipe.trim
    at = trim.at
    if at is None and trim.start is None and trim.end is None:
        raise UsageError(
            "finding the moment by itself is not built yet", "give --at TIME or --start/--end"
        )
    placement = place_window(media.duration, recipe.duration, at=at, start=trim.start, end=trim.end)
    window = placement.window
    frames = max(1, round(window.length * fmt.fps))
    fail = Segment(
        role="fail",
        source=media.path,
        source_start=round(window.start, 3),
        source_end=round(window.end, 3),
        start_frame=0,
        frames=frames,
        reframe=choose_reframe(
            (media.width, media.height), (fmt.width, fmt.height), recipe.output.fit
        ),
        hdr_to_sdr=media.hdr,
        source_audio=media.has_audio,
    )
    warnings = list(placement.warnings)
    if media.unreadable_audio and not media.has_audio:
        warnings.append(f"{media.path}: its audio track cannot be read; the clip uses silence")
    return Plan(output=str(output), format=fmt, segments=(fail,), warnings=tuple(warnings))


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
    lines.extend(f"warning: {warning}" for warning in plan.warnings)
    return "\n".join(lines)
