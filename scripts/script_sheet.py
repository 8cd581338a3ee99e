"""Make clips with captions in several scripts, and put a frame of each into one PNG.

    python scripts/script_sheet.py [OUT.png]   (default docs/scripts.png)

Runs the real `clipcraft make --caption …` on the example footage (no --font: the characters
the bundled faces lack come from the fonts installed here, or from the folders in
CLIPCRAFT_FONT_DIRS), reads the frame at 1 s of each clip, and lays them side by side, each
labelled with its language.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from clipcraft.assets import asset_dir
from clipcraft.media.ffmpeg import ffmpeg_exe

ROOT = Path(__file__).parents[1]
CAPTIONS = {
    "Hebrew": "שוב הפנקייק נפל 😭",
    "Arabic": "سقطت الفطيرة مرة أخرى 😭",
    "Chinese": "煎饼又掉到地上了！😭",
    "Japanese": "またパンケーキが落ちた！😭",
    "Korean": "팬케이크가 또 떨어졌어! 😭",
    "mixed": "אני אוהב pancakes 🥞 כל יום",
}
TILE = (360, 640)


def frame_of(clip: Path, at: float, out: Path) -> Image.Image:
    subprocess.run(
        [ffmpeg_exe(), "-loglevel", "error", "-ss", str(at), "-i", str(clip), "-frames:v", "1",
         str(out)],
        check=True,
    )  # fmt: skip
    return Image.open(out).convert("RGB")


def main(out: Path) -> None:
    example = ROOT / "examples" / "pancake.mp4"
    if not example.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "examples" / "make_example.py"), str(example)], check=True
        )
    label = ImageFont.truetype(str(asset_dir("fonts") / "Inter-SemiBold.otf"), 26)
    tiles = []
    with tempfile.TemporaryDirectory() as work:
        for name, caption in CAPTIONS.items():
            clip = Path(work) / f"{name}.mov"
            subprocess.run(
                [sys.executable, "-m", "clipcraft", "make", str(example), "--at", "7",
                 "--duration", "4", "--preview", "--caption-anim", "none", "--caption", caption,
                 "-o", str(clip), "-q"],
                check=True,
            )  # fmt: skip
            tile = frame_of(clip, 1.0, Path(work) / f"{name}.png").resize(TILE)
            ImageDraw.Draw(tile).text(
                (12, TILE[1] - 40), name, fill="white", stroke_width=2, stroke_fill="black",
                font=label,
            )  # fmt: skip
            tiles.append(tile)
    sheet = Image.new("RGB", (TILE[0] * len(tiles), TILE[1]))
    for index, tile in enumerate(tiles):
        sheet.paste(tile, (TILE[0] * index, 0))
    sheet.save(out)
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "scripts.png")
