"""Draw every caption style over a frame of the example footage, into one PNG for the docs.

    python scripts/caption_sheet.py [OUT.png]   (default docs/captions.png)

Uses the same layout, drawing and blending as a render, at full 1080x1920, with the Reels
safe zone outlined, then halves each frame so the sheet stays small.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from clipcraft.assets import asset_dir
from clipcraft.captions.font_book import ON_DISK
from clipcraft.captions.text import font_path, layout_caption, render_caption
from clipcraft.media.ffmpeg import ffmpeg_exe
from clipcraft.planning.caption import place, safe_zone
from clipcraft.render.overlay import Sprite, blend
from clipcraft.settings.platforms import PLATFORMS
from clipcraft.settings.styles import STYLES

ROOT = Path(__file__).parents[1]
TEXT = "This sourdough nearly went in the bin… but look at it now! 🍞😱"


def background() -> np.ndarray:
    """A 1080x1920 frame of the example footage, made if it is not there yet."""
    example = ROOT / "examples" / "pancake.mp4"
    if not example.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "examples" / "make_example.py"), str(example)], check=True
        )
    with tempfile.TemporaryDirectory() as work:
        still = Path(work) / "frame.png"
        subprocess.run(
            [
                ffmpeg_exe(),
                "-loglevel",
                "error",
                "-ss",
                "7.4",
                "-i",
                str(example),
                "-frames:v",
                "1",
                "-vf",
                "scale=1080:1920",
                str(still),
            ],
            check=True,
        )
        return np.array(Image.open(still).convert("RGB"))


def main(out: Path) -> None:
    frame = background()
    zone = safe_zone(PLATFORMS["reels"], 1080, 1920)
    label = ImageFont.truetype(str(asset_dir("fonts") / "Inter-SemiBold.otf"), 48)
    tiles = []
    for name, style in STYLES.items():
        layout = layout_caption(
            TEXT, style, font_path(None, style), zone.width, zone.height, 1080, ON_DISK
        )
        x, y = place(layout.width, layout.height, zone, style.position)
        tile = Image.fromarray(
            blend(frame.copy(), Sprite.from_image(render_caption(layout, style)), x, y)
        )
        draw = ImageDraw.Draw(tile)
        draw.rectangle(
            (zone.left, zone.top, zone.right, zone.bottom), outline=(0, 255, 255), width=3
        )
        draw.text(
            (20, 20),
            f"--style {name}",
            fill="white",
            stroke_width=3,
            stroke_fill="black",
            font=label,
        )
        tiles.append(tile.resize((540, 960), Image.Resampling.LANCZOS))
    sheet = Image.new("RGB", (540 * len(tiles), 960))
    for index, tile in enumerate(tiles):
        sheet.paste(tile, (540 * index, 0))
    sheet.save(out)
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "captions.png")
