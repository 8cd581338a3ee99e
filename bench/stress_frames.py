"""Every frame, every time (issue #15): many renders under load, each checked frame by frame.

    python bench/stress_frames.py [--renders 56] [--parallel 2]

Inputs: the real phone clips in ../shared/media/real (when the folder is there) and
phone-like clips made here with texture (noise), as cameras record them: 60 fps stored
turned 90° with B-frames; variable frame rate with jittered and dropped frames; 240-fps slow
motion; a sound track that starts late and ends early in a file cut with an edit list; HEVC
10-bit HLG turned 90°. Jobs vary the options (after photo, transitions, replay, freeze,
captions, effects, draft and high quality) and each job is rendered several times, two
renders at a time. Every output is decoded: the planned number of frames, each 1/30 s after
the last, sound from 0 exactly as long as the picture; and every render of the same job must
decode to the same frames and samples. Prints each failure and the count; exits 1 on any.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from clipcraft.media.synthetic import GRAIN, draw_dish, ffmpeg, hevc_hlg, pattern_input, turned

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from timing import decode, problems

WORK = Path(__file__).with_name("out") / "stress"
REAL = Path(__file__).resolve().parents[2] / "shared" / "media" / "real"
REAL_CLIPS = [
    "iphone14pro_hevc10_hlg_dv_rot90_noaudio.mov",
    "iphone4s_h264_rot90.mov",
    "iphone6s_h264_720p_rot90.mov",
    "pixel7_h264_1080p_rot180_noaudio.mp4",
    "android14_hevc10_hlg_1080p.mp4",
]
SOUND = ["-f", "lavfi", "-i", "anoisesrc=c=pink:a=0.1:r=48000,aformat=channel_layouts=stereo"]


def generated_inputs() -> dict[str, Path]:
    """Phone-like clips, made once into bench/out/stress."""
    WORK.mkdir(parents=True, exist_ok=True)
    made = {
        "phone60-rot90": WORK / "phone60-rot90.mp4",
        "vfr": WORK / "vfr.mp4",
        "slowmo240": WORK / "slowmo240.mp4",
        "late-sound-edit-list": WORK / "late-sound-edit-list.mp4",
        "hevc-hlg-rot90": WORK / "hevc-hlg-rot90.mov",
    }
    if all(path.exists() for path in made.values()):
        return made
    x264 = ["-c:v", "libx264", "-preset", "veryfast", "-bf", "3", "-pix_fmt", "yuv420p"]
    with turned(made["phone60-rot90"], 270) as stored:
        ffmpeg(*pattern_input((1280, 720), 60, 6, GRAIN), *SOUND,
               *x264, "-c:a", "aac", "-t", "6", stored)  # fmt: skip
    # frames at jittered times, one in seven dropped, as a phone's timestamps come
    ffmpeg(*pattern_input((720, 1280), 30, 6, GRAIN), *SOUND,
           "-vf", "select='not(eq(mod(n,7),3))',setpts='(N*1.09/30+0.006*sin(N))/TB'",
           "-fps_mode", "passthrough", "-video_track_timescale", "90000",
           *x264, "-c:a", "aac", "-t", "6", made["vfr"])  # fmt: skip
    ffmpeg(*pattern_input((640, 360), 240, 3, GRAIN), *SOUND,
           *x264, "-c:a", "aac", "-t", "3", made["slowmo240"])  # fmt: skip
    # sound from 0.7 s to 4.5 s of an 8-s picture; then cut between keyframes (edit list)
    late = WORK / "late.mp4"
    ffmpeg(*pattern_input((720, 1280), 30, 8, GRAIN),
           "-itsoffset", "0.7", *SOUND, "-map", "0:v", "-map", "1:a",
           *x264, "-g", "60", "-c:a", "aac", "-t", "8", "-af", "atrim=0:3.8", late)  # fmt: skip
    ffmpeg("-ss", "1.37", "-i", late, "-c", "copy", made["late-sound-edit-list"])
    late.unlink()
    with turned(made["hevc-hlg-rot90"], 270) as stored:
        ffmpeg(*pattern_input((1280, 720), 30, 4, GRAIN), *SOUND,
               *hevc_hlg(30), "-c:a", "aac", "-t", "4", stored)  # fmt: skip
    return made


def dish_photo() -> Path:
    path = WORK / "dish.jpg"
    return path if path.exists() else draw_dish(path, (1200, 1600), 800)


def option_sets(dish: Path) -> list[list[str]]:
    """Settings that change where frames and samples come from, cycled over the inputs."""
    return [
        ["--caption", "oh no 😱", "--sfx", "crash"],
        ["--after", str(dish), "--transition", "crossfade", "--quality", "draft"],
        ["--replay", "--sfx", "whoosh@end", "--quality", "high"],
        ["--freeze", "0.6", "--after", str(dish), "--outro", "Your worst fail?"],
        ["--preview", "--after", str(dish), "--transition", "flash"],
        ["--after", str(dish), "--layout", "split", "--mute", "--sfx", "ding@0.5"],
    ]


@dataclass(frozen=True)
class Job:
    name: str
    args: tuple[str, ...]
    frames: int
    fps: int


def plan_job(name: str, source: Path, options: list[str]) -> Job:
    """The job and the frames its plan promises (`--dry-run --json`)."""
    args = (str(source), "--at", "0.2", "--duration", "8", *options)
    run = subprocess.run(
        ["clipcraft", "make", *args, "--dry-run", "--json", "-o", str(WORK / "x.mp4")],
        capture_output=True, text=True,
    )  # fmt: skip
    if run.returncode != 0:
        raise RuntimeError(f"{name}: cannot be planned: {run.stderr.strip()}")
    plan = json.loads(run.stdout)
    return Job(name, args, plan["total_frames"], plan["format"]["fps"])


def render(job: Job, out: Path) -> float:
    began = time.perf_counter()
    run = subprocess.run(
        ["clipcraft", "make", *job.args, "-o", str(out), "--force", "-q"],
        capture_output=True, text=True,
    )  # fmt: skip
    if run.returncode != 0:
        raise RuntimeError(f"{job.name}: exit {run.returncode}: {run.stderr.strip()}")
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=60, help="renders in all (about)")
    parser.add_argument("--parallel", type=int, default=2, help="renders at a time")
    parser.add_argument("--repeats", type=int, default=4, help="renders of each job")
    arguments = parser.parse_args()

    sources = dict(generated_inputs())
    if REAL.is_dir():
        sources |= {name.split(".")[0]: REAL / name for name in REAL_CLIPS}
    options = option_sets(dish_photo())
    jobs = [
        plan_job(f"{name}#{number}", path, options[number % len(options)])
        for number, (name, path) in zip(
            range(max(1, arguments.renders // arguments.repeats)),
            itertools.cycle(sources.items()),
            strict=False,
        )
    ]
    runs = [(job, repeat) for repeat in range(arguments.repeats) for job in jobs]
    print(f"{len(runs)} renders of {len(jobs)} jobs on {len(sources)} inputs, "
          f"{arguments.parallel} at a time")  # fmt: skip
    outputs = WORK / "renders"
    outputs.mkdir(exist_ok=True)
    began = time.perf_counter()

    def one(run: tuple[Job, int]) -> tuple[Job, list[str], tuple]:
        job, repeat = run
        out = outputs / f"{job.name.replace('#', '-')}-{repeat}.mp4"
        render(job, out)
        decoded = decode(out)
        out.unlink()
        return (
            job,
            problems(decoded, job.frames, job.fps),
            (decoded.frame_hashes, decoded.sound_hash),
        )

    failures, seen = 0, defaultdict(set)
    with ThreadPoolExecutor(arguments.parallel) as pool:
        for job, found, hashes in pool.map(one, runs):
            seen[job.name].add(hashes)
            if found:
                failures += 1
                print(f"FAIL {job.name} ({' '.join(job.args[1:])}): {'; '.join(found)}")
    unstable = [name for name, kinds in seen.items() if len(kinds) > 1]
    for name in unstable:
        print(f"NOT REPEATABLE {name}: {len(seen[name])} different decodes")
    print(f"{failures} of {len(runs)} renders not exact; {len(unstable)} of {len(jobs)} jobs "
          f"not repeatable; {time.perf_counter() - began:.0f} s")  # fmt: skip
    return 1 if failures or unstable else 0


if __name__ == "__main__":
    sys.exit(main())
