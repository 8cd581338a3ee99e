"""Render time of captions animated by word against a plain caption (issue #21).

    python bench/bench_words.py --rounds 3 [--preview]

Each round renders the example footage with one caption, in turn with `--caption-anim pop`
(the default: the reference), `none`, `words` and `karaoke`, so machine noise falls on all;
prints each one's median wall time and its ratio to `pop`. Then the captions' own share: the
time to draw each caption's looks and lay them over every frame of the plan (in this process,
on a flat frame), best of the rounds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from clipcraft.make import make_clip
from clipcraft.render.captions import CaptionLayer
from clipcraft.render.frames import frame_shape
from clipcraft.settings.layers import Layer

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("out")
CAPTION = "oh no not the pancake again 🥞 every single time"
ANIMATIONS = ("pop", "none", "words", "karaoke")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--preview", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    example = ROOT / "examples" / "pancake.mp4"
    if not example.exists():
        subprocess.run([sys.executable, str(ROOT / "examples" / "make_example.py")], check=True)
    times: dict[str, list[float]] = {name: [] for name in ANIMATIONS}
    for _ in range(args.rounds):
        for animation in ANIMATIONS:
            command = [sys.executable, "-m", "clipcraft", "make", str(example), "--at", "7",
                       "--duration", "6", "--caption", CAPTION, "--caption-anim", animation,
                       "-o", str(OUT / f"words-{animation}.mp4"), "--force", "-q"]  # fmt: skip
            if args.preview:
                command.append("--preview")
            started = time.perf_counter()
            subprocess.run(command, check=True)
            times[animation].append(time.perf_counter() - started)
    reference = statistics.median(times["pop"])
    for name, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{name:<8} {median:6.2f} s  {median / reference:.3f}x")
    print("the captions alone (drawing and blending, every frame):")
    costs = {name: caption_cost(example, name, args.rounds, args.preview) for name in ANIMATIONS}
    for name, cost in costs.items():
        print(f"{name:<8} {cost:6.3f} s  {cost / costs['pop']:.3f}x")


def caption_cost(example: Path, animation: str, rounds: int, preview: bool) -> float:
    values = {"caption": (CAPTION,), "captions.animation": animation, "trim.at": 7.0}
    values |= {"duration": 6.0, "output.preview": preview}
    plan = make_clip(example, OUT / "x.mp4", [Layer("bench", values)], dry_run=True).plan
    frame = np.full(frame_shape(plan.format.width, plan.format.height), 100, np.uint8)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        layer = CaptionLayer(plan)
        for index in range(plan.total_frames):
            layer.apply(lambda _: frame.copy(), index / plan.format.fps)
        best = min(best, time.perf_counter() - started)
    return best


if __name__ == "__main__":
    main()
