"""Time the moment finder on a 60-s 1080p clip against rendering a clip from it, and against
the clip's own length.

    python bench/bench_moment.py [--rounds 3]

The clips (generated, not committed) are 60 s of 1920x1080 30-fps H.264 with a quiet room tone
and a crash at 0:31, and the same with crashes every 10 s (a busy clip: every candidate costs
a window of picture). Prints the median analysis time of each, its share of the clip's length
(issue #41: at most 0.2 on 2 cores), the median time of `clipcraft make` on the first clip
with the moment given, and the finder's share of that.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from clipcraft.finding.moment import find_moment
from clipcraft.media.probe import probe
from clipcraft.media.synthetic import ffmpeg, pattern_input

WORK = Path(__file__).with_name("out")
CRASH = 31.0
BUSY = (5.0, 15.0, 25.0, 35.0, 45.0, 55.0)
LENGTH = 60.0


def make_source(path: Path, crashes: tuple[float, ...] = (CRASH,)) -> Path:
    if not path.exists():
        hits = "+".join(f"if(gte(t,{at}),0.8*(random(1)-0.5)*exp(-(t-{at})*6),0)" for at in crashes)
        sound = f"0.01*(random(0)-0.5)+{hits}"
        ffmpeg(*pattern_input((1920, 1080), 30, 60),
               "-f", "lavfi", "-i", f"aevalsrc='{sound}':s=48000:d=60",
               "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-g", "30",
               "-pix_fmt", "yuv420p", "-c:a", "aac", path)  # fmt: skip
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    WORK.mkdir(exist_ok=True)
    source = make_source(WORK / "phone-60s-1920x1080.mp4")
    media = probe(source)
    busy = probe(make_source(WORK / "phone-60s-1920x1080-busy.mp4", BUSY))
    analysis, busy_analysis, render = [], [], []
    for _ in range(rounds):
        started = time.perf_counter()
        find_moment(busy)
        busy_analysis.append(time.perf_counter() - started)
        started = time.perf_counter()
        moment = find_moment(media)
        analysis.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "clipcraft",
                "make",
                str(source),
                "--at",
                str(moment.time),
                "-o",
                str(WORK / "moment-clip.mp4"),
                "--force",
                "-q",
            ],
            check=True,
        )
        render.append(time.perf_counter() - started)
    print(
        f"60-s 1920x1080 clip, crash at {CRASH:g} s: found {moment.time:.2f} s "
        f"(confidence {moment.confidence:.2f})"
    )
    for name, times in (("analysis", analysis), ("busy", busy_analysis)):
        spent = statistics.median(times)
        print(f"  {name:10} {spent:5.2f} s (median of {rounds}), {spent / LENGTH:.3f}x the clip")
    print(f"  render     {statistics.median(render):5.2f} s (8-s clip, standard quality)")
    print(f"  ratio      {statistics.median(analysis) / statistics.median(render):.0%}")


if __name__ == "__main__":
    main()
