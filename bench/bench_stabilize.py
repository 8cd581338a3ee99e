"""Time `--stabilize` against a plain render of the same handheld 1080p portrait clip, and
measure how much shake each output keeps.

    python bench/bench_stabilize.py [--rounds 3]

The clip (generated, not committed) is 10 s of 1080x1920 30-fps handheld kitchen footage
(media/synthetic.handheld_clip: texture, grain, an 8-px tremor and a slow drift). Both renders
make the same 8-s clip around 0:05 with `--fit crop`. Prints each median, the ratio (target:
at most 1.5) and the residual shake (frame-to-frame global motion that is not a smooth pan,
in output pixels) of both outputs. Rounds alternate the two, so a noisy machine slows both.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ab import compare

from clipcraft.finding.moment import read_frames
from clipcraft.finding.shake import residual_shake
from clipcraft.media.probe import probe
from clipcraft.media.synthetic import Handheld, handheld_clip

WORK = Path(__file__).with_name("out")
MODES = {"plain": (), "stabilize": ("--stabilize",)}


def command(source: Path, mode: str) -> list[str]:
    out = WORK / f"stabilize-bench-{mode}.mp4"
    return [sys.executable, "-m", "clipcraft", "make", str(source), "--at", "5",
            "--fit", "crop", *MODES[mode], "-o", str(out), "--force", "-q"]  # fmt: skip


def shake(path: Path) -> float:
    media = probe(path)
    return residual_shake(read_frames(media, 0, media.duration, 30, 128), media.width / 128)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    WORK.mkdir(exist_ok=True)
    source = WORK / "handheld-10s-1080x1920.mp4"
    if not source.exists():
        handheld_clip(source, size=(1080, 1920), seconds=10, centre=0.5, mishap_at=5,
                      hand=Handheld(tremor=8, walk=20))  # fmt: skip
    compare({mode: command(source, mode) for mode in MODES}, rounds)
    before, after = (shake(WORK / f"stabilize-bench-{mode}.mp4") for mode in MODES)
    print(f"residual shake: {before:.2f} px plain, {after:.2f} px steadied "
          f"({100 * (1 - after / before):.0f}% less)")  # fmt: skip


if __name__ == "__main__":
    main()
