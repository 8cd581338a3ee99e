"""Time `--fit follow` against `--fit crop` on the same landscape clip and window.

    python bench/bench_follow.py [--rounds 5]

The clip (generated, not committed) is 12 s of 1920x1080 30-fps H.264 with grain at a phone's
bit rate. Both renders make the same 8-s 1080x1920 clip around 0:06; follow also measures where
the action is and crops along a path. Prints each median and the ratio (target: at most 1.1).
Rounds alternate the two so that a noisy machine slows both alike.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ab import compare, grain_clip

WORK = Path(__file__).with_name("out")


def command(source: Path, fit: str) -> list[str]:
    out = WORK / f"follow-bench-{fit}.mp4"
    return [sys.executable, "-m", "clipcraft", "make", str(source), "--at", "6",
            "--fit", fit, "-o", str(out), "--force", "-q"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    WORK.mkdir(exist_ok=True)
    source = grain_clip(WORK / "landscape-12s-1920x1080.mp4", (1920, 1080))
    compare({fit: command(source, fit) for fit in ("crop", "follow")}, rounds)


if __name__ == "__main__":
    main()
