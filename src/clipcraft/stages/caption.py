"""Where and when captions show: the safe zone, placement in it, and sharing out time (pure)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from clipcraft.platforms import Platform
from clipcraft.styles import CaptionStyle, Position
from clipcraft.text import CaptionLayout

OUTRO_SECONDS = 1.5
"""The closing card's length: long enough to read a question, short enough to loop."""


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


@dataclass(frozen=True)
class PlannedCaption:
    """One caption image on frames [start_frame, end_frame) with its top-left corner at x, y."""

    role: str
    layout: CaptionLayout
    style: CaptionStyle
    start_frame: int
    end_frame: int
    x: int
    y: int
    animation: str


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
