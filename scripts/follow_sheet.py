"""The contact sheet of `--fit follow` and `--stabilize` for the docs (docs/follow.png).

    python scripts/follow_sheet.py [OUT.png]

Makes landscape kitchen footage (media/synthetic.handheld_clip: a bowl at the right that
tips over at 2 s) on a tripod and by a shaking hand, runs the real `clipcraft make` on each,
and lays out: the shaky source at the moment; follow, a centre crop and blur on it; then the
shaky clip followed every half second, without and with --stabilize.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from clipcraft.assets import asset_dir
from clipcraft.media.ffmpeg import ffmpeg_exe
from clipcraft.media.synthetic import Handheld, handheld_clip

ROOT = Path(__file__).parents[1]
TILE_HEIGHT = 384
GAP, LABEL = 20, 40
ARGS = ("--at", "2", "--duration", "3", "--preview")


def frame_at(clip: Path, seconds: float) -> Image.Image:
    raw = subprocess.run(
        [ffmpeg_exe(), "-loglevel", "error", "-ss", f"{seconds:.3f}", "-i", str(clip),
         "-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "pipe:1"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    with tempfile.NamedTemporaryFile(suffix=".png") as still:
        Path(still.name).write_bytes(raw)
        picture = Image.open(still.name).convert("RGB")
        picture.load()
    scale = TILE_HEIGHT / picture.height
    return picture.resize((round(picture.width * scale), TILE_HEIGHT), Image.Resampling.LANCZOS)


def make(source: Path, out: Path, *extra: str) -> tuple[float, float]:
    """Render `source` with `extra` flags to `out`; the moment's time on the output and on
    the source."""
    command = [sys.executable, "-m", "clipcraft", "make", str(source), *ARGS, *extra]
    plan = json.loads(
        subprocess.run([*command, "--dry-run", "--json"], check=True, capture_output=True).stdout
    )
    subprocess.run([*command, "-o", str(out), "-q", "--force"], check=True)
    moment = float(plan["moment"])
    return moment, float(plan["segments"][0]["source_start"]) + moment


def main(out: Path) -> None:
    rows: list[tuple[str, list[Image.Image]]] = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shaky = handheld_clip(work / "shaky.mp4", centre=0.85, hand=Handheld(tremor=8, walk=10))
        moment, source_at = make(shaky, work / "follow.mp4", "--fit", "follow")
        make(shaky, work / "crop.mp4", "--fit", "crop")
        make(shaky, work / "blur.mp4", "--fit", "blur")
        make(shaky, work / "steady.mp4", "--fit", "follow", "--stabilize")
        rows.append((
            "a shaky source at the moment | --fit follow | --fit crop (centre) | --fit blur",
            [frame_at(shaky, source_at + 0.05),
             *(frame_at(work / f"{fit}.mp4", moment + 0.05) for fit in ("follow", "crop", "blur"))],
        ))  # fmt: skip
        times = np.arange(0.25, 3.0, 0.5)
        rows.append((
            "--fit follow, every half second: the window holds the bowl through the shake",
            [frame_at(work / "follow.mp4", t) for t in times],
        ))  # fmt: skip
        rows.append((
            "--fit follow --stabilize: the shake taken out as well",
            [frame_at(work / "steady.mp4", t) for t in times],
        ))  # fmt: skip
    draw_rows(rows, out)


def draw_rows(rows: list[tuple[str, list[Image.Image]]], out: Path) -> None:
    """Rows of tiles under their labels, as one PNG at `out`."""
    font = ImageFont.truetype(str(asset_dir("fonts") / "BebasNeue-Bold.otf"), 26)
    width = max(sum(tile.width + GAP for tile in tiles) for _, tiles in rows) + GAP
    sheet = Image.new("RGB", (width, len(rows) * (TILE_HEIGHT + LABEL + GAP) + GAP), "white")
    draw = ImageDraw.Draw(sheet)
    top = GAP
    for label, tiles in rows:
        draw.text((GAP, top), label.upper(), font=font, fill=(20, 20, 20))
        left = GAP
        for tile in tiles:
            sheet.paste(tile, (left, top + LABEL))
            left += tile.width + GAP
        top += TILE_HEIGHT + LABEL + GAP
    sheet.save(out)
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "follow.png")
