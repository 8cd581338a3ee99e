"""Batch throughput by engine (issue #19): 1 local worker, 2 local workers, the same 2 as Dask
workers.

    python bench/bench_batch.py [--clips 4] [--rounds 2]

The clips are phone-like 1080x1920 30-fps H.264 with grain that changes every frame (so x264
and the decoder work as on camera footage) and a tone, 12 s each, made once in bench/out/.
Each is cut to 8 s with a sound effect, at standard quality. The Dask cluster is a
LocalCluster of two single-threaded worker processes on this machine, started once (as a
cluster's workers are long-lived). Runs alternate (A B C, then C B A, …) so machine noise
falls on all three; the script prints each run and the median wall time per engine, clips a
minute, and the engine cost: Dask's time over the local pool's with the same two workers.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from clipcraft.media.synthetic import GRAIN, ffmpeg, pattern_input

WORK = Path(__file__).with_name("out") / "batch-engines"


def make_roll(clips: int) -> Path:
    roll = WORK / "roll"
    roll.mkdir(parents=True, exist_ok=True)
    for index in range(clips):
        target = roll / f"clip{index}.mp4"
        if not target.exists():
            ffmpeg(
                *pattern_input((1080, 1920), 30, 12, GRAIN),
                "-f", "lavfi", "-i", "sine=frequency=440:duration=12",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", target,
            )  # fmt: skip
    return roll


def run(roll: Path, engine: list[str], name: str) -> float:
    out = WORK / f"out-{name}"
    shutil.rmtree(out, ignore_errors=True)
    recipe = WORK / "recipe.toml"
    recipe.write_text('[trim]\nat = "0:06"\n[[sfx]]\nsound = "ding"\n')
    command = [sys.executable, "-m", "clipcraft", "batch", str(roll), "-o", str(out)]
    command += ["--recipe", str(recipe), "-q", *engine]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{name} failed:\n{result.stdout}\n{result.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clips", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    roll = make_roll(args.clips)
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        engines = {
            "local -j 1": ["-j", "1"],
            "local -j 2": ["-j", "2"],
            "dask, 2 workers": ["--scheduler", cluster.scheduler_address],
        }
        times: dict[str, list[float]] = {name: [] for name in engines}
        for round_ in range(args.rounds):
            order = list(engines) if round_ % 2 == 0 else list(reversed(engines))
            for name in order:
                seconds = run(roll, engines[name], name.replace(" ", ""))
                times[name].append(seconds)
                print(f"round {round_ + 1}: {name:<16}{seconds:6.1f} s", flush=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"\n{args.clips} clips of 8 s (1080x1920, standard), median of {args.rounds}:")
    for name, seconds in medians.items():
        print(f"  {name:<16}{seconds:6.1f} s  {args.clips / seconds * 60:5.1f} clips a minute")
    two, dask = medians["local -j 2"], medians["dask, 2 workers"]
    print(f"  two local workers against one: {medians['local -j 1'] / two:.2f}x the throughput")
    print(f"  engine cost, Dask against the local pool (2 workers): {dask / two - 1:+.1%}")


if __name__ == "__main__":
    main()
