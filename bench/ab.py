"""A/B timing shared by the benchmarks that compare two ways of making the same clip: each
command run in alternating rounds (a noisy machine slows both alike), medians of wall and CPU
seconds (the command's and every process it started), and the ratio printed."""

from __future__ import annotations

import resource
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from clipcraft.media.synthetic import GRAIN, ffmpeg, pattern_input


def timed(command: Sequence[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of `command` and every process it started)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def compare(commands: Mapping[str, Sequence[str]], rounds: int) -> None:
    """Run each of two named commands `rounds` times, alternating; print medians and the
    second's ratio to the first."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            runs[name].append(timed(command))
    wall = {name: statistics.median(w for w, _ in runs[name]) for name in runs}
    cpu = {name: statistics.median(c for _, c in runs[name]) for name in runs}
    for name in runs:
        print(f"{name:<10}{wall[name]:6.2f} s wall, {cpu[name]:6.2f} CPU-s  (median of {rounds})")
    first, second = runs
    print(f"{second} / {first}: {wall[second] / wall[first]:.3f} wall, "
          f"{cpu[second] / cpu[first]:.3f} CPU")  # fmt: skip


def grain_clip(path: Path, size: tuple[int, int]) -> Path:
    """12 s of `size` 30-fps H.264 with grain at a phone's bit rate, and pink noise: the
    source a comparison renders (made once, kept in bench/out)."""
    if not path.exists():
        ffmpeg(*pattern_input(size, 30, 12, GRAIN),
               "-f", "lavfi", "-i", "anoisesrc=c=pink:a=0.05:r=48000:d=12",
               "-c:v", "libx264", "-preset", "veryfast", "-b:v", "16M", "-g", "30",
               "-pix_fmt", "yuv420p", "-c:a", "aac", path)  # fmt: skip
    return path
