"""Contact sheets of captions animated by word, for the docs.

    python scripts/word_sheet.py [OUT_DIR]   (default docs/: caption-words.png, caption-karaoke.png)

Runs the real `clipcraft make --caption-anim words|karaoke` on the example footage, reads the
words' frames from its dry-run plan, and lays the top of the frame a few frames after each
word's start side by side.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from clipcraft.media.ffmpeg import ffmpeg_exe

ROOT = Path(__file__).parents[1]
CAPTION = "oh no not the pancake again 🥞"
SETTLED = 6
"""Frames after a word's start: its pop has settled."""


def word_sheet(clip: Path, caption: dict, fps: int, work: Path) -> Image.Image:
    """The caption's band of the frame a few frames after each word's start, one above the
    next."""
    top, bottom = caption["y"] - 10, caption["y"] + caption["layout"]["height"] + 10
    tiles = []
    for number, word in enumerate(caption["words"]):
        still = work / f"{clip.stem}-{word['start_frame']}-{number}.png"
        at = (word["start_frame"] + SETTLED) / fps
        subprocess.run(
            [ffmpeg_exe(), "-loglevel", "error", "-ss", f"{at:.4f}", "-i", str(clip),
             "-frames:v", "1", str(still)],
            check=True,
        )  # fmt: skip
        frame = Image.open(still).convert("RGB")
        tiles.append(frame.crop((0, top, frame.width, bottom)))
    sheet = Image.new("RGB", (tiles[0].width, sum(t.height for t in tiles)))
    for index, tile in enumerate(tiles):
        sheet.paste(tile, (0, index * tile.height))
    return sheet


def main(out_dir: Path) -> None:
    example = ROOT / "examples" / "pancake.mp4"
    if not example.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "examples" / "make_example.py"), str(example)], check=True
        )
    with tempfile.TemporaryDirectory() as work:
        for animation in ("words", "karaoke"):
            clip = Path(work) / f"{animation}.mov"
            args = [sys.executable, "-m", "clipcraft", "make", str(example), "--at", "7",
                    "--duration", "4", "--preview", "--caption", CAPTION, "--caption-anim",
                    animation, "-o", str(clip)]  # fmt: skip
            plan = json.loads(
                subprocess.run(
                    [*args, "--dry-run", "--json"], check=True, capture_output=True
                ).stdout
            )
            subprocess.run([*args, "-q"], check=True)
            sheet = word_sheet(clip, plan["captions"][0], plan["format"]["fps"], Path(work))
            sheet.save(out_dir / f"caption-{animation}.png")
            print(out_dir / f"caption-{animation}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
