"""Every frame, every time (docs/contract.md, Output): exact outputs under load, and the same
job twice the same.

A small version of `bench/stress_frames.py`: phone-like clips rendered two at a time, each
job twice, every output decoded frame by frame.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from helpers import plan_of
from media import ffmpeg, make_video
from timing import Decoded, decode, problems

pytestmark = pytest.mark.media  # every test here makes or reads media

GRAIN = "noise=alls=20:allf=t+u"
"""Texture that changes every frame, so the encoder predicts as on camera footage."""


@pytest.fixture(scope="module")
def phone_clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("phone")
    b_frames = ("-bf", "3")
    sixty = make_video(
        folder / "sixty.mp4", seconds=3, fps=60, rotation=90, video_filter=GRAIN, extra=b_frames
    )
    vfr = make_video(
        folder / "vfr.mp4",
        seconds=3,
        video_filter=f"{GRAIN},select='not(eq(mod(n,7),3))',setpts='(N*1.09/30+0.006*sin(N))/TB'",
        extra=("-fps_mode", "passthrough", "-video_track_timescale", "90000", *b_frames),
    )
    long = make_video(folder / "long.mp4", seconds=5, video_filter=GRAIN, extra=b_frames)
    late = folder / "late.mp4"  # sound from 0.6 s to 3 s, the file cut between keyframes
    ffmpeg("-i", long, "-itsoffset", "0.6", "-i", long, "-map", "0:v", "-map", "1:a",
           "-c", "copy", "-t", "5", "-shortest", folder / "late-full.mp4")  # fmt: skip
    ffmpeg("-ss", "1.3", "-i", folder / "late-full.mp4", "-c", "copy", late)
    return {"sixty": sixty, "vfr": vfr, "late": late}


def render_twice_two_at_a_time(jobs: list[list[object]], folder: Path) -> list[list[Decoded]]:
    def one(number: int) -> Decoded:
        args, repeat = jobs[number % len(jobs)], number // len(jobs)
        out = folder / f"job{number % len(jobs)}-{repeat}.mp4"
        command = [sys.executable, "-m", "clipcraft", "make", *map(str, args), "-o", str(out)]
        run = subprocess.run(command, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return decode(out)

    with ThreadPoolExecutor(2) as pool:
        decoded = list(pool.map(one, range(2 * len(jobs))))
    return [decoded[number :: len(jobs)] for number in range(len(jobs))]


def test_phone_clips_rendered_two_at_a_time_are_exact_and_repeatable(
    phone_clips: dict[str, Path], tmp_path: Path
) -> None:
    jobs: list[list[object]] = [
        [phone_clips["sixty"], "--at", 1.5, "--duration", 3, "--freeze", 0.5, "--sfx", "crash"],
        [phone_clips["vfr"], "--at", 1, "--duration", 4.5, "--after", phone_clips["sixty"],
         "--transition", "crossfade", "--after-duration", 1.5],
        [phone_clips["late"], "--at", 1, "--duration", 5, "--replay", "--quality", "draft"],
    ]  # fmt: skip
    renders = render_twice_two_at_a_time(jobs, tmp_path)
    for args, (first, second) in zip(jobs, renders, strict=True):
        plan = plan_of(*args)
        planned = plan["total_frames"]
        assert problems(first, planned) == [] and problems(second, planned) == [], args
        assert first.frame_hashes == second.frame_hashes, f"{args}: the picture differs"
        assert first.sound_hash == second.sound_hash, f"{args}: the sound differs"
