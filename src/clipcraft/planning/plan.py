"""The Plan: one clip's timeline, fully resolved, before any frame is read.

A Plan says which window of which file fills which frames of the output and how each is
reframed, which captions show when, and what is heard; rendering only carries it out.
Output times are whole frame counts at the output rate, so the parts add up to the frame.
planner.py builds it; `make --dry-run --json` prints it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import PurePath
from typing import Any, Literal

from clipcraft.captions.text import CaptionLayout
from clipcraft.planning.music import PlannedMusic
from clipcraft.planning.punch import View
from clipcraft.planning.reframe import Reframe
from clipcraft.planning.sound import PlacedEffect
from clipcraft.settings.recipe import Animation, Transition
from clipcraft.settings.styles import CaptionStyle

Role = Literal["fail", "freeze", "replay", "after", "lesson", "outro"]
Shows = Literal["footage", "frame", "photo"]
"""Footage plays; a frame of it, or a photo, is held still."""
Look = tuple[float, float]
"""A caption's (scale, opacity) on one frame of its entrance."""
Region = Literal["full", "top", "bottom"]
CaptionRole = Literal["hook", "fail", "subtitle", "after", "lesson", "outro", "label", "tag"]
Span = tuple[str, float, float]
"""A source file and a window on it (start, end seconds)."""


@dataclass(frozen=True)
class Decision:
    """A setting `--auto` decided (or left as it was, `value` None), and why."""

    setting: str
    value: Any
    why: str


@dataclass(frozen=True, kw_only=True)
class OutputFormat:
    width: int
    height: int
    fps: int
    x264_preset: str
    crf: int
    audio_bitrate: str
    audio_rate: int
    threads: int = 0
    """Cores this clip may use (x264 and the decoder each take them all); 0: x264 chooses."""
    shortcuts: bool = False
    """Take every shortcut that costs polish, not meaning: a preview is for checking."""
    aac_coder: str = "twoloop"
    """ffmpeg's AAC search: `twoloop` for the finished clip, `fast` for drafts."""

    def samples_for(self, frames: int) -> int:
        """Sound samples that last exactly as long as `frames` frames."""
        return round(frames * self.audio_rate / self.fps)


@dataclass(frozen=True)
class CardLook:
    """A card's background (the lesson's, the outro's): the last picture blurred by `blur`
    (a Gaussian's sigma, in pixels), its brightness moved by `brightness` and its saturation
    scaled by `saturation`, so the card's text stands out."""

    blur: float
    brightness: float
    saturation: float


@dataclass(frozen=True, kw_only=True)
class Segment:
    """What shows on frames [start_frame, end_frame) of one region of the output: `source`
    from `source_start` to `source_end` at `speed`, or held there zooming from the first to
    the second `zoom`; pushed in on each frame as its `views` say, when it has them."""

    role: Role
    shows: Shows
    source: str
    source_start: float
    source_end: float
    start_frame: int
    frames: int
    reframe: Reframe
    hdr_to_sdr: bool = False
    sound: bool = False
    zoom: tuple[float, float] = (1.0, 1.0)
    speed: float = 1.0
    card: CardLook | None = None
    """How a card's picture is dimmed; None: shown as it is."""
    region: Region = "full"
    views: tuple[View, ...] = ()
    """The punch-in: what each frame shows of the fitted picture (its reframe's target,
    decoded at the deepest view's size so it stays sharp); empty: all of it."""

    @property
    def still(self) -> bool:
        return self.shows != "footage"

    @property
    def end_frame(self) -> int:
        return self.start_frame + self.frames


@dataclass(frozen=True, kw_only=True)
class PlannedTransition:
    """A transition centred on `at_frame`; `overlap` frames of it show both parts at once."""

    kind: Transition
    at_frame: int
    frames: int
    overlap: int


@dataclass(frozen=True)
class PlannedWord:
    """A word of a caption shown (`words`) or highlighted (`karaoke`) from `start_frame`, until
    `end_frame` when the next word takes over."""

    text: str
    start_frame: int
    end_frame: int


@dataclass(frozen=True, kw_only=True)
class PlannedCaption:
    """One caption image on frames [start_frame, end_frame) with its top-left corner at x, y;
    `words`, in reading order, when it is animated word by word."""

    role: CaptionRole
    layout: CaptionLayout
    style: CaptionStyle
    start_frame: int
    end_frame: int
    x: int
    y: int
    animation: Animation
    entrance: tuple[Look, ...] = ()
    """(scale, opacity) on each frame from its first (by word, from each word's) until it has
    settled: then (1, 1)."""
    words: tuple[PlannedWord, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SoundPlan:
    """What is heard: the sources' own sound (or not), effects, the music, ducking and the
    target level."""

    original: bool
    effects: tuple[PlacedEffect, ...]
    music: PlannedMusic | None
    duck_db: float
    duck_ramp: float
    """Seconds the sources' sound takes to dip under an effect, and to come back."""
    effects_over_bed_db: float
    """How far above the sources' sound (their RMS) an effect's loudest moment is set."""
    silence_dbfs: float
    """At or under this RMS, sound is silence (planning/sound.py says what follows)."""
    loudness_lufs: float
    true_peak_db: float
    quietest_lufs: float
    """A mix quieter than this is near silence: left as it is, not raised into its noise."""


@dataclass(frozen=True, kw_only=True)
class Plan:
    output: str
    format: OutputFormat
    cover: str | None
    segments: tuple[Segment, ...]
    moment: float
    moment_basis: str
    sound: SoundPlan
    captions: tuple[PlannedCaption, ...]
    transitions: tuple[PlannedTransition, ...]
    warnings: tuple[str, ...]
    unmeasured: tuple[Span, ...] = ()
    """Windows whose action the reframe would follow but that were not measured: make.prepare
    measures them and plans again (planning reads no file)."""
    unsteadied: tuple[Span, ...] = ()
    """Windows a steadied picture needs the camera's path of, not yet measured (as above)."""
    transcript: str | None = None
    """With --captions speech: what was heard, as the WebVTT written to `transcript_path`."""
    transcript_path: str | None = None
    decisions: tuple[Decision, ...] = ()
    """With --auto: each setting decided from the footage, and why (planning/auto.py)."""

    def story(self) -> tuple[str, ...]:
        """The parts in order as a creator reads them: "after cleanup.mp4 2.5 s x48" (the
        fail's pieces around a freeze are one part; a split's after is below the fail)."""
        told: list[tuple[Role, str, float, int]] = []
        for segment in self.segments:
            name = PurePath(segment.source).name
            if told and told[-1][0] == segment.role == "fail":
                role, source, speed, frames = told[-1]
                told[-1] = (role, source, speed, frames + segment.frames)
            else:
                told.append((segment.role, name, segment.speed, segment.frames))
        return tuple(
            f"{role} {name} {frames / self.format.fps:.1f} s"
            + (f" x{speed:g}" if speed != 1.0 else "")
            for role, name, speed, frames in told
        )

    def fail_window(self) -> tuple[float, float]:
        """Where the fail's footage starts and ends on its source (its pieces around a freeze
        or a punch-in together)."""
        fail = [segment for segment in self.segments if segment.role == "fail"]
        return min(s.source_start for s in fail), max(s.source_end for s in fail)

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
