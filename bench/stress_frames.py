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

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from media import ffmpeg
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
TEXTURE = "noise=alls=18:allf=t+u"
"""Grain that changes every frame, so decoder and encoder work as on a camera's picture."""

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
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=s=1280x720:r=60:d=6,{TEXTURE}", *SOUND,
           *x264, "-c:a", "aac", "-t", "6", str(WORK / "stored.mp4"))  # fmt: skip
    ffmpeg("-display_rotation", "-90", "-i", str(WORK / "stored.mp4"), "-c", "copy",
           str(made["phone60-rot90"]))  # fmt: skip
    # frames at jittered times, one in seven dropped, as a phone's timestamps come
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=s=720x1280:r=30:d=6,{TEXTURE}", *SOUND,
           "-vf", "select='not(eq(mod(n,7),3))',setpts='(N*1.09/30+0.006*sin(N))/TB'",
           "-fps_mode", "passthrough", "-video_track_timescale", "90000",
           *x264, "-c:a", "aac", "-t", "6", str(made["vfr"]))  # fmt: skip
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=s=640x360:r=240:d=3,{TEXTURE}", *SOUND,
           *x264, "-c:a", "aac", "-t", "3", str(made["slowmo240"]))  # fmt: skip
    # sound from 0.7 s to 4.5 s of an 8-s picture; then cut between keyframes (edit list)
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=s=720x1280:r=30:d=8,{TEXTURE}",
           "-itsoffset", "0.7", *SOUND, "-map", "0:v", "-map", "1:a",
           *x264, "-g", "60", "-c:a", "aac", "-t", "8",
           "-af", "atrim=0:3.8", str(WORK / "late.mp4"))  # fmt: skip
    ffmpeg("-ss", "1.37", "-i", str(WORK / "late.mp4"), "-c", "copy",
           str(made["late-sound-edit-list"]))  # fmt: skip
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=s=1280x720:r=30:d=4,{TEXTURE}", *SOUND,
           "-vf", "format=yuv420p10le", "-c:v", "libx265", "-preset", "ultrafast",
           "-x265-params",
           "log-level=error:keyint=30:colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc",
           "-color_primaries", "bt2020", "-color_trc", "arib-std-b67", "-colorspace", "bt2020nc",
           "-c:a", "aac", "-t", "4", str(WORK / "hlg.stored.mov"))  # fmt: skip
    ffmpeg("-display_rotation", "-90", "-i", str(WORK / "hlg.stored.mov"), "-c", "copy",
           str(made["hevc-hlg-rot90"]))  # fmt: skip
    for leftover in ("stored.mp4", "late.mp4", "hlg.stored.mov"):
        (WORK / leftover).unlink()
    return made


def dish_photo() -> Path:
    path = WORK / "dish.jpg"
    if not path.exists():
        photo = Image.new("RGB", (1200, 1600), (230, 190, 120))
        ImageDraw.Draw(photo).ellipse((200, 400, 1000, 1200), fill=(180, 100, 40))
        photo.save(path, quality=90)
    return path


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
