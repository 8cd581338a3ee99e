"""Start-up of `clipcraft make --dry-run`: this checkout against another (issue #22).

    python bench/bench_startup.py --before /path/to/other/src --rounds 15

Each round runs, in turn: the other checkout with a Latin caption, this one with the same,
this one with a Hebrew caption (drawn by an installed font, the index warm), so machine noise
falls on all three. Prints the median wall time of each and the ratios. Both checkouts are
byte-compiled first, as an installed package is. The font index lives in bench/out/cache; a
dry run with no index (it reads every installed font, and writes nothing) is timed once, then
the index is kept there as a real render keeps it.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from clipcraft.captions import system_fonts
from clipcraft.media.synthetic import ffmpeg, pattern_input
from clipcraft.settings.folders import CACHE_DIR_VARIABLE

OUT = Path(__file__).with_name("out")
HERE = Path(__file__).resolve().parents[1] / "src"


def run(src: Path, clip: Path, caption: str, cache: Path) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one dry run: on a loaded machine the CPU time
    is the steadier of the two."""
    env = {**os.environ, "PYTHONPATH": str(src), CACHE_DIR_VARIABLE: str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-m", "clipcraft", "make", str(clip), "--caption", caption]
    command += ["--at", "1", "--dry-run", "-o", str(OUT / "x.mp4")]
    started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return time.perf_counter() - started, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout's src")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    clip = OUT / "startup.mp4"
    if not clip.exists():
        ffmpeg(*pattern_input((360, 640), 30, 3), "-pix_fmt", "yuv420p", clip)
    for src in (args.before, HERE):  # as installed: compiled once, not at every start
        compileall.compile_dir(src, quiet=1)
    cache = OUT / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    cold = run(HERE, clip, "שלום עולם", cache)[0]
    print(f"Hebrew caption, cold index: {cold:.3f} s")
    os.environ[CACHE_DIR_VARIABLE] = str(cache)
    system_fonts.keep_index()  # as a real render does; a dry run writes nothing
    cases = {
        "before, Latin": (args.before, "Pancake flip"),
        "now, Latin": (HERE, "Pancake flip"),
        "now, Hebrew (warm index)": (HERE, "שלום עולם"),
    }
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for _ in range(args.rounds):
        for name, (src, caption) in cases.items():
            times[name].append(run(src, clip, caption, cache))
    wall, cpu = (statistics.median(t[i] for t in times["before, Latin"]) for i in (0, 1))
    for name, runs in times.items():
        median_wall, median_cpu = (statistics.median(t[i] for t in runs) for i in (0, 1))
        print(
            f"{name:<28} {median_wall:.3f} s  {median_wall / wall:.3f}x   "
            f"CPU {median_cpu:.3f} s  {median_cpu / cpu:.3f}x"
        )


if __name__ == "__main__":
    main()
