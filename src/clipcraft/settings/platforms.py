"""The frames we deliver to: size and the safe zone each app leaves clear of its own buttons."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SafeZone:
    """Bands, in pixels of the full-size frame, that the app's own interface covers."""

    top: int
    bottom: int
    left: int
    right: int


@dataclass(frozen=True)
class Platform:
    name: str
    width: int
    height: int
    safe_zone: SafeZone


PLATFORMS: dict[str, Platform] = {
    # Meta's Reels guidance: keep the top 14%, the bottom 35% and 6% each side clear.
    "reels": Platform("reels", 1080, 1920, SafeZone(top=269, bottom=672, left=65, right=65)),
    # TikTok: the caption and the music ticker at the bottom, the action buttons at the right.
    "tiktok": Platform("tiktok", 1080, 1920, SafeZone(top=252, bottom=640, left=60, right=180)),
    # YouTube Shorts' published template.
    "shorts": Platform("shorts", 1080, 1920, SafeZone(top=288, bottom=672, left=48, right=192)),
    # Feed posts: only the rounded corners and the like bar bite.
    "square": Platform("square", 1080, 1080, SafeZone(top=54, bottom=108, left=54, right=54)),
    # Landscape players put their controls along the bottom.
    "landscape": Platform("landscape", 1920, 1080, SafeZone(top=54, bottom=160, left=96, right=96)),
}
