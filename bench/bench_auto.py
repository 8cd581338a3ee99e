"""Time `make --auto` against the plain render of the same clip (#42: at most 2x).

    python bench/bench_auto.py [--rounds 3]

The clip (generated, not committed) is an 8-s 1080x1920 30-fps H.264 phone clip with grain at
a phone's bit rate, its sound real speech (../shared/media/speech/multilingual.mp3, its first
8 s) with a knock mixed in at 4 s. The plain render is `make --at 4`; `--auto` finds the
moment, hears the words (Whisper tiny.en), measures the reaction and renders with captions from
speech, an effect and a music bed. Rounds alternate the two so a noisy machine slows both alike.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ab import compare

from clipcraft.media.synthetic import GRAIN, ffmpeg, pattern_input

WORK = Path(__file__).with_name("out")
SPEECH = Path(__file__).resolve().parents[2] / "shared" / "media" / "speech" / "multilingual.mp3"


def make_source(path: Path) -> Path:
    if not path.exists():
        ffmpeg(*pattern_input((1080, 1920), 30, 8, GRAIN),
               "-i", SPEECH, "-f", "lavfi", "-i", "anoisesrc=c=brown:a=0.9:r=48000:d=0.15",
               "-filter_complex", "[2:a]adelay=4000|4000,apad[knock];"
               "[1:a]atrim=0:8,asetpts=N/SR/TB[voice];[voice][knock]amix=2:duration=first[a]",
               "-map", "0:v", "-map", "[a]", "-t", "8",
               "-c:v", "libx264", "-preset", "veryfast", "-b:v", "16M", "-g", "30",
               "-pix_fmt", "yuv420p", "-c:a", "aac", path)  # fmt: skip
    return path


def command(source: Path, *extra: str) -> list[str]:
    out = WORK / f"auto-bench{'-auto' if extra else ''}.mp4"
    return [sys.executable, "-m", "clipcraft", "make", str(source), *extra,
            "-o", str(out), "--force", "-q"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    WORK.mkdir(exist_ok=True)
    source = make_source(WORK / "speech-8s-1080x1920.mp4")
    compare({"plain": command(source, "--at", "4"), "auto": command(source, "--auto")}, rounds)


if __name__ == "__main__":
    main()
