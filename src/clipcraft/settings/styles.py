"""Caption styles as data: one row of settings per look, no code path per style.

Sizes are shares of the font size (outline, shadow, padding, corner radius) or of the frame
width (cap height), so a style looks the same at 1080 wide and in a 540-wide preview.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from clipcraft.errors import UsageError

Colour = tuple[int, int, int, int]
Position = Literal["top", "middle", "bottom"]
POSITIONS: tuple[Position, ...] = ("top", "middle", "bottom")

WHITE: Colour = (255, 255, 255, 255)
INK: Colour = (17, 17, 17, 255)


@dataclass(frozen=True)
class CaptionStyle:
    name: str
    font: str
    cap_height: float
    """Preferred height of capital letters, as a share of the frame width."""
    fill: Colour = WHITE
    outline: Colour | None = None
    outline_width: float = 0.0
    shadow: Colour | None = None
    shadow_offset: float = 0.0
    shadow_blur: float = 0.0
    box: Colour | None = None
    box_outline: Colour | None = None
    box_padding: float = 0.0
    box_radius: float = 0.0
    uppercase: bool = False
    line_spacing: float = 1.08
    position: Position = "top"
    description: str = ""
    highlight: Colour = (255, 214, 0, 255)
    """The current word's fill in karaoke captions: the style's accent colour."""
    highlight_scale: float = 1.08
    """How much the current word grows in karaoke captions."""


STYLES: dict[str, CaptionStyle] = {
    style.name: style
    for style in (
        CaptionStyle(
            "classic", "LeagueSpartan-Bold.otf", 0.07, outline=INK, outline_width=0.09,
            shadow=(0, 0, 0, 150), shadow_offset=0.06, shadow_blur=0.08,
            description="white bold letters, dark outline and a soft shadow",
        ),
        CaptionStyle(
            "banner", "Inter-ExtraBold.otf", 0.06, fill=WHITE, box=(229, 57, 53, 240),
            box_padding=0.38, box_radius=0.3, shadow=(0, 0, 0, 90), shadow_offset=0.05,
            shadow_blur=0.12, highlight=(255, 235, 59, 255),
            description="white text on a rounded red box",
        ),
        CaptionStyle(
            "meme", "BebasNeue-Bold.otf", 0.095, outline=(0, 0, 0, 255), outline_width=0.1,
            uppercase=True, line_spacing=1.0, highlight=(255, 59, 48, 255),
            description="tall uppercase letters with a heavy black outline",
        ),
        CaptionStyle(
            "subtitle", "Inter-SemiBold.otf", 0.046, box=(0, 0, 0, 150), box_padding=0.32,
            box_radius=0.22, position="bottom", highlight=(255, 202, 40, 255),
            highlight_scale=1.04,
            description="smaller, lower, on a translucent dark box",
        ),
        CaptionStyle(
            "comic", "ComicNeue-Bold.otf", 0.06, fill=INK, box=(255, 224, 77, 255),
            box_outline=INK, box_padding=0.35, box_radius=0.18,
            shadow=(0, 0, 0, 255), shadow_offset=0.07, shadow_blur=0.0,
            highlight=(229, 57, 53, 255),
            description="dark hand-lettered text in a yellow comic-book box",
        ),
    )
}  # fmt: skip


def find_style(name: str) -> CaptionStyle:
    if name in STYLES:
        return STYLES[name]
    close = difflib.get_close_matches(name, STYLES, n=3, cutoff=0.4)
    hint = f"did you mean {', '.join(close)}?" if close else f"use one of {', '.join(STYLES)}"
    raise UsageError(f"unknown caption style {name!r}", hint)
