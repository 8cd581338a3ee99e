"""Where and when captions show: the safe zone, placement in it, sharing out time, and every
caption of a clip planned on its timeline (pure: measured with the fonts make.py read)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from clipcraft.captions.font_book import FontBook
from clipcraft.captions.subtitles import Cue, retime
from clipcraft.captions.text import CaptionLayout, font_path, layout_caption
from clipcraft.captions.word_timing import from_marks, spread, words_of
from clipcraft.planning.plan import (
    CaptionRole,
    Look,
    OutputFormat,
    PlannedCaption,
    PlannedWord,
    Segment,
)
from clipcraft.settings.platforms import Platform
from clipcraft.settings.recipe import WORD_ANIMATIONS, Animation, CaptionSettings
from clipcraft.settings.styles import CaptionStyle, Position, find_style

HOOK_CLEARS = 0.3
"""The hook is gone this long before the moment: the eye is free when the thing happens."""
HOOK_SHORTEST = 0.8
"""Less build-up than this before the moment leaves no time to read a hook: it is left out."""
HOOK_SCALE = 1.2
"""A hook's letters are this much bigger than its style's: the first thing read."""
OUTRO_SECONDS = 1.5
"""The closing card's length: long enough to read a question, short enough to loop."""
LABEL_CAP_HEIGHT = 0.045
"""BEFORE / AFTER and REPLAY are small: just above the legible floor."""
POP_SECONDS = 0.22
"""A popping caption (or word) grows from 0.6 of its size past full size and settles in this
long."""
FADE_SECONDS = 0.2
"""A fading caption goes from clear to fully there in this long."""


@dataclass(frozen=True)
class Zone:
    """The rectangle (in output pixels) that the app's own buttons and text leave clear."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top


def safe_zone(platform: Platform, width: int, height: int) -> Zone:
    """The platform's safe zone scaled to an output of width×height (a preview is smaller)."""
    sx, sy = width / platform.width, height / platform.height
    zone = platform.safe_zone
    return Zone(
        round(zone.left * sx),
        round(zone.top * sy),
        width - round(zone.right * sx),
        height - round(zone.bottom * sy),
    )


def place(width: int, height: int, zone: Zone, position: Position) -> tuple[int, int]:
    """Top-left corner of a width×height caption: centred across the zone, at its top, middle
    or bottom."""
    x = zone.left + (zone.width - width) // 2
    if position == "top":
        y = zone.top
    elif position == "bottom":
        y = zone.bottom - height
    else:
        y = zone.top + (zone.height - height) // 2
    return x, y


def share_time(count: int, first: int, frames: int) -> list[tuple[int, int]]:
    """`count` consecutive spans of (nearly) equal length covering `frames` from `first`."""
    if count == 0:
        return []
    edges = [first + round(frames * index / count) for index in range(count + 1)]
    return list(itertools.pairwise(edges))


def label_style() -> CaptionStyle:
    """BEFORE / AFTER and REPLAY: small, on the banner's box."""
    return replace(find_style("banner"), name="label", cap_height=LABEL_CAP_HEIGHT)


def hook_span(first: int, moment_frame: int, fps: int) -> tuple[int, int] | None:
    """The frames a hook shows on: from the clip's first frame until HOOK_CLEARS before the
    moment, or None where that leaves less than HOOK_SHORTEST to read it."""
    last = moment_frame - round(HOOK_CLEARS * fps)
    return (first, last) if last - first >= round(HOOK_SHORTEST * fps) else None


def caption_faces(settings: CaptionSettings, font: Path | None) -> tuple[str, str]:
    """The faces captions are set in: the caption's own (`font`, a face the recipe names, or
    its style's) and the labels'."""
    own = font or font_path(None, find_style(settings.style))
    return str(own), str(font_path(None, label_style()))


def plan_captions(
    settings: CaptionSettings,
    fmt: OutputFormat,
    zone: Zone,
    segments: Sequence[Segment],
    *,
    cues: Sequence[Cue],
    font: Path | None,
    book: FontBook,
    moment_frame: int,
    after_texts: Sequence[str | None] = (),
) -> tuple[PlannedCaption, ...]:
    """Every caption laid out and placed: the hook before the moment, over the fail in turn
    after it, timed cues, each after part's (`after_texts`, in order), the lesson and outro
    cards, and the BEFORE/AFTER labels and REPLAY tag; measured with the faces in `book`."""
    style = find_style(settings.style)
    face, label_face = caption_faces(settings, font)
    position = settings.position or style.position
    before = [s for s in segments if s.role in ("fail", "freeze", "replay")]
    planned: list[PlannedCaption] = []

    def add(
        role: CaptionRole,
        text: str,
        first: int,
        last: int,
        where: Position | tuple[int, int],
        look: CaptionStyle = style,
        marks: Sequence[tuple[int, int]] = (),
    ) -> None:
        if last <= first:
            return
        own_face = label_face if look.name == "label" else face
        layout = layout_caption(text, look, own_face, zone.width, zone.height, fmt.width, book)
        x, y = (
            where if isinstance(where, tuple) else place(layout.width, layout.height, zone, where)
        )
        animation: Animation = settings.animation
        if animation in WORD_ANIMATIONS and role in ("label", "tag"):
            animation = "pop"  # BEFORE / AFTER / REPLAY are one word: they just arrive
        planned.append(
            PlannedCaption(
                role=role,
                layout=layout,
                style=look,
                start_frame=first,
                end_frame=last,
                x=x,
                y=y,
                animation=animation,
                entrance=entrance_looks(animation, fmt.fps),
                words=timed_words(layout, first, last, fmt.fps, marks)
                if animation in WORD_ANIMATIONS
                else (),
            )
        )

    if before:
        first, end = before[0].start_frame, before[-1].end_frame
        hook = hook_span(first, moment_frame, fmt.fps) if settings.hook else None
        if settings.hook and hook:
            big = replace(style, cap_height=style.cap_height * HOOK_SCALE)
            add("hook", settings.hook, *hook, position, big)
            first = hook[1]
        spans = share_time(len(settings.texts), first, end - first)
        for text, span in zip(settings.texts, spans, strict=True):
            add("fail", text, *span, position)
    for segment in (s for s in segments if s.role == "fail"):
        for cue in retime(cues, segment.source_start, segment.source_end):
            first = segment.start_frame + round(cue.start * fmt.fps)
            last = min(segment.start_frame + round(cue.end * fmt.fps), segment.end_frame)
            marks = [(word, segment.start_frame + round(at * fmt.fps)) for word, at in cue.marks]
            add("subtitle", cue.text, first, last, settings.position or "bottom", marks=marks)
    label = label_style()
    corner = (zone.left, zone.top)
    texts = iter(after_texts)
    for segment in segments:
        if segment.role == "replay":
            add("tag", "REPLAY", segment.start_frame, segment.end_frame, corner, label)
        if segment.role == "after":
            if segment.region == "bottom":
                top = before[0]
                below = (zone.left, fmt.height // 2 + round(fmt.height * 0.015))
                add("label", "BEFORE", top.start_frame, top.end_frame, corner, label)
                add("label", "AFTER", segment.start_frame, segment.end_frame, below, label)
            own = next(texts, None)
            if own:
                where = "bottom" if segment.region == "bottom" else position
                add("after", own, segment.start_frame, segment.end_frame, where)
        if segment.role == "lesson" and settings.lesson:
            add("lesson", settings.lesson, segment.start_frame, segment.end_frame, "middle")
        if segment.role == "outro" and settings.outro:
            add("outro", settings.outro, segment.start_frame, segment.end_frame, "middle")
    return tuple(planned)


def timed_words(
    layout: CaptionLayout, first: int, last: int, fps: int, marks: Sequence[tuple[int, int]]
) -> tuple[PlannedWord, ...]:
    """The caption's words with their frames: from inline timestamps when the cue has them,
    else spread over the caption's span by length."""
    words = words_of(layout.text)
    spans = from_marks(len(words), first, last, marks) if marks else spread(words, first, last, fps)
    return tuple(
        PlannedWord(word, start, end) for word, (start, end) in zip(words, spans, strict=True)
    )


def entrance(animation: str, seconds_in: float) -> Look:
    """(scale, opacity) of a caption `seconds_in` after it appears."""
    if animation == "pop" and seconds_in < POP_SECONDS:
        progress = seconds_in / POP_SECONDS
        overshoot = 1.70158  # an ease-out-back: grows past full size, then settles
        eased = 1 + (overshoot + 1) * (progress - 1) ** 3 + overshoot * (progress - 1) ** 2
        return 0.6 + 0.4 * eased, min(1.0, progress * 3)
    if animation == "fade" and seconds_in < FADE_SECONDS:
        return 1.0, seconds_in / FADE_SECONDS
    return 1.0, 1.0


def entrance_looks(animation: Animation, fps: int) -> tuple[Look, ...]:
    """(scale, opacity) on each frame from a caption's first (by word: from each word's) until
    it has settled at (1, 1). Words pop in one by one, each counted from the end of its first
    frame, so it is already (faintly) there on the frame its time falls on; karaoke's words
    are there from the start."""
    by_word = animation == "words"
    kind = "pop" if by_word else animation
    seconds = {"pop": POP_SECONDS, "fade": FADE_SECONDS}.get(kind, 0.0)
    first = 1 if by_word else 0
    return tuple(entrance(kind, k / fps) for k in range(first, math.ceil(seconds * fps)))
