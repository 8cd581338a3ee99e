"""Time `clipcraft make` against one hand-written ffmpeg command doing the same job.

    python bench/bench_make.py [--rounds 3]

Makes a 20-s 1080x1920 30-fps phone-style clip (generated, not committed), then cuts a 6-s
window from it both ways, alternating clipcraft and ffmpeg so that machine noise falls on
both: the same window, frame rate, size, x264 veryfast CRF 21 High profile and AAC 48 kHz.
Prints the median wall time of each, their ratio, and the peak memory of each process tree.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from clipcraft.ffmpeg import ffmpeg_exe

WORK = Path(__file__).with_name("out")


def make_source(path: Path) -> Path:
    if not path.exists():
        subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
             "-f", "lavfi", "-i", "testsrc2=s=1080x1920:r=30:d=20",
             "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100:duration=20",
             "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p",
             "-c:a", "aac", "-ac", "1", str(path)],
            check=True,
        )  # fmt: skip
    return path


def reference_command(source: Path, out: Path) -> list[str]:
    return [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
        "-ss", "4", "-t", "6", "-i", str(source),
        "-vf", "fps=30,scale=1080:1920,format=yuv420p",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-profile:v", "high",
        "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2",
        "-movflags", "+faststart", str(out),
    ]  # fmt: skip


def clipcraft_command(source: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "clipcraft",
        "make",
        str(source),
        "--start",
        "4",
        "--end",
        "10",
        "-o",
        str(out),
        "--force",
        "-q",
    ]


def tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            statm = (entry / "statm").read_text().split()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
        rss[int(entry.name)] = int(statm[1]) * 4096
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total


def measure(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident bytes of the whole process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(command)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    WORK.mkdir(exist_ok=True)
    source = make_source(WORK / "phone-20s-1080x1920.mp4")
    runs: dict[str, list[tuple[float, int]]] = {"ffmpeg": [], "clipcraft": []}
    for _ in range(rounds):
        runs["ffmpeg"].append(measure(reference_command(source, WORK / "reference.mp4")))
        runs["clipcraft"].append(measure(clipcraft_command(source, WORK / "clipcraft.mp4")))
    medians = {name: statistics.median(t for t, _ in results) for name, results in runs.items()}
    print(f"6-s window of a 20-s 1080x1920 30-fps H.264 clip, {rounds} rounds, median")
    for name, results in runs.items():
        peak = max(memory for _, memory in results) / 2**20
        print(f"  {name:<10} {medians[name]:6.2f} s  peak {peak:5.0f} MB")
    print(f"  ratio      {medians['clipcraft'] / medians['ffmpeg']:.2f}x")


if __name__ == "__main__":
    main()
