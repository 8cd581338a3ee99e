"""Time `--punch-in` against the same clip without it (issue #42, item 1).

    python bench/bench_punch.py [--rounds 5]

Two sources, each rendered as an 8-s 1080x1920 clip around its moment with and without the
punch-in: the bundled example (720x1280, examples/make_example.py) at 0:07, and 12 s of
1080x1920 30-fps H.264 with grain at a phone's bit rate at 0:06. The punch-in costs the
action's track over the window (to aim), one more decoder, and about 1.2 s of frames decoded
1.2x larger and warped. Prints each median and the ratio. Rounds alternate the two so that a
noisy machine slows both alike.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from ab import compare, grain_clip

WORK = Path(__file__).with_name("out")
EXAMPLE = Path(__file__).parents[1] / "examples" / "make_example.py"


def example_source(path: Path) -> Path:
    if not path.exists():
        subprocess.run([sys.executable, str(EXAMPLE), str(path)], check=True)
    return path


def command(source: Path, at: str, punch: bool) -> list[str]:
    out = WORK / f"punch-bench-{source.stem}-{punch}.mp4"
    return [sys.executable, "-m", "clipcraft", "make", str(source), "--at", at,
            *(["--punch-in"] if punch else []), "-o", str(out), "--force", "-q"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    WORK.mkdir(exist_ok=True)
    sources = (
        (example_source(WORK / "pancake.mp4"), "7"),
        (grain_clip(WORK / "portrait-12s-1080x1920.mp4", (1080, 1920)), "6"),
    )
    for source, at in sources:
        print(source.name)
        compare(
            {name: command(source, at, name == "punch-in") for name in ("plain", "punch-in")},
            rounds,
        )


if __name__ == "__main__":
    main()
