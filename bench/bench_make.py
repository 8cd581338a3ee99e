"""clipcraft against one hand-written ffmpeg command doing the same job (issue #9).

    python bench/bench_make.py [--rounds 3] [--memory-runs 3] [--inputs portrait,rotated60,uhd]

The reference job: a 6-s window cropped to 1080x1920 at 30 fps, a Pillow caption over it, one
sound effect, a 2.5-s photo after with a slow zoom, the mix normalised for loudness, x264
veryfast CRF 21 + AAC. Inputs are generated (not committed): 20-s 1080x1920 30-fps H.264;
1920x1080 60-fps H.264 stored turned 90° (a phone held upright); 3840x2160 30-fps H.264;
each with a keyframe every second, as phones record.
Timed runs alternate clipcraft and ffmpeg (A B A B) so machine noise falls on both; the
script prints the median wall time and the ratio, then the peak memory of each process tree
from separate runs (sampling /proc slows what it watches); then `--preview` against a
standard render, and `batch -j 1` against `-j 2`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from clipcraft.assets import asset_dir
from clipcraft.commands import BT709_TAGS
from clipcraft.ffmpeg import ffmpeg_exe
from clipcraft.styles import STYLES
from clipcraft.text import font_path, layout_caption, render_caption

WORK = Path(__file__).with_name("out")
CAPTION = "This sourdough nearly went in the bin… 😱"
START, LENGTH, AFTER, EFFECT_AT = 4.0, 6.0, 2.5, 2.0

INPUTS_VERSION = 2
INPUTS = {
    # name: (lavfi source, extra args before the output, crop on the displayed picture)
    "portrait": ("testsrc2=s=1080x1920:r=30:d=20", [], "1080:1920:0:0"),
    "rotated60": ("testsrc2=s=1920x1080:r=60:d=20", [], "1080:1920:0:0"),
    "uhd": ("testsrc2=s=3840x2160:r=30:d=20", [], "1216:2160:1312:0"),
}


def input_path(name: str) -> Path:
    """Where a generated input lives; the version changes with how inputs are made."""
    return WORK / f"{name}-v{INPUTS_VERSION}.mp4"


def make_inputs(names: list[str]) -> None:
    WORK.mkdir(exist_ok=True)
    for name in names:
        path = input_path(name)
        if path.exists():
            continue
        source = INPUTS[name][0]
        stored = path.with_suffix(".stored.mp4") if name == "rotated60" else path
        subprocess.run(
            [
                ffmpeg_exe(),
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                source,
                "-f",
                "lavfi",
                "-i",
                "anoisesrc=d=20:c=pink:a=0.05",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "20",
                # as the phone clips in ../shared/media/real are: a keyframe every second,
                # BT.709 colours and tagged so
                "-force_key_frames",
                "expr:gte(t,n_forced)",
                "-vf",
                f"scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,{BT709_TAGS}",
                "-c:a",
                "aac",
                "-shortest",
                str(stored),
            ],
            check=True,
        )
        if stored != path:  # a phone held upright: stored sideways, turned by the player
            subprocess.run(
                [
                    ffmpeg_exe(),
                    "-loglevel",
                    "error",
                    "-y",
                    "-display_rotation",
                    "-90",
                    "-i",
                    str(stored),
                    "-c",
                    "copy",
                    str(path),
                ],
                check=True,
            )
            stored.unlink()
    dish = WORK / "dish.jpg"
    if not dish.exists():
        photo = Image.new("RGB", (1440, 1920), (230, 190, 120))
        ImageDraw.Draw(photo).ellipse((220, 460, 1220, 1460), fill=(180, 100, 40))
        photo.save(dish, quality=90)
    style = STYLES["classic"]
    layout = layout_caption(CAPTION, style, font_path(None, style), 950, 979, 1080)
    render_caption(layout, style).save(WORK / "caption.png")
    shutil.copy(asset_dir("sounds") / "ding.wav", WORK / "ding.wav")


def reference_command(name: str, out: Path) -> list[str]:
    """The same job as one ffmpeg filter graph, written by hand."""
    crop = INPUTS[name][2]
    zoom_frames = round(AFTER * 30)
    graph = ";".join([
        f"[0:v]fps=30,crop={crop},scale=1080:1920,setsar=1[fail]",
        "[fail][2:v]overlay=65:269[failc]",
        "[1:v]scale=1166:2074:force_original_aspect_ratio=increase,crop=1166:2074,"
        f"zoompan=z='1+0.08*on/{zoom_frames - 1}':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2'"
        ":d=1:s=1080x1920:fps=30,setsar=1[after]",
        "[failc][after]concat=n=2:v=1:a=0,format=yuv420p[v]",
        f"[0:a]aresample=48000,aformat=channel_layouts=stereo,apad,atrim=0:{LENGTH}[bed]",
        f"[3:a]aresample=48000,aformat=channel_layouts=stereo,"
        f"adelay={int(EFFECT_AT * 1000)}:all=1[fx]",
        f"[bed][fx]amix=inputs=2:normalize=0,apad,atrim=0:{LENGTH + AFTER},"
        "loudnorm=I=-14:TP=-1.5,aresample=48000[a]",
    ])  # fmt: skip
    return [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
        "-ss", str(START), "-t", str(LENGTH), "-i", str(input_path(name)),
        "-loop", "1", "-framerate", "30", "-t", str(AFTER), "-i", str(WORK / "dish.jpg"),
        "-i", str(WORK / "caption.png"), "-i", str(WORK / "ding.wav"),
        "-filter_complex", graph, "-map", "[v]", "-map", "[a]",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-profile:v", "high",
        "-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2",
        "-movflags", "+faststart", str(out),
    ]  # fmt: skip


def clipcraft_command(name: str, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "clipcraft",
        "make",
        str(input_path(name)),
        "--start",
        str(START),
        "--end",
        str(START + LENGTH),
        "--fit",
        "crop",
        "--caption",
        CAPTION,
        "--caption-anim",
        "none",
        "--sfx",
        f"ding@{EFFECT_AT}",
        "--after",
        str(WORK / "dish.jpg"),
        "--transition",
        "cut",
        "-o",
        str(out),
        "--force",
        "-q",
        *extra,
    ]


def tree_memory(pid: int) -> int:
    """Proportional set size (PSS) of `pid` and all its descendants, from /proc.

    PSS counts a page shared by several processes (the ffmpeg binary's code, loaded by each
    ffmpeg at once) once in total rather than once per process, so a tree of processes is not
    charged several times for the same memory. One sharing it cannot see: Python starts each
    ffmpeg with vfork, and until the child execs it runs in its parent's memory, which /proc
    reports again in full under the child. Such a child (the parent's program, and the
    parent's RSS and PSS give or take 2%, read a moment apart) is not counted; at a busy
    moment it had added 100 MB to a peak.
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    total = 0
    todo: list[tuple[int, Usage | None]] = [(pid, None)]
    while todo:
        current, parent = todo.pop()
        usage = _usage(current)
        if parent is None or not usage.is_vfork_child_of(parent):
            total += usage.pss
        todo.extend((child, usage) for child in children.get(current, []))
    return total


@dataclass(frozen=True)
class Usage:
    program: str
    rss: int
    pss: int

    def is_vfork_child_of(self, parent: Usage) -> bool:
        def close(a: int, b: int) -> bool:
            return abs(a - b) <= 0.02 * max(a, b)

        return (
            self.program == parent.program
            and close(self.rss, parent.rss)
            and close(self.pss, parent.pss)
        )


def _usage(pid: int) -> Usage:
    try:
        program = os.readlink(f"/proc/{pid}/exe")
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return Usage("", 0, 0)
    fields = dict(line.split(":", 1) for line in rollup.splitlines()[1:])
    rss, pss = (int(fields.get(key, "0 kB").split()[0]) * 1024 for key in ("Rss", "Pss"))
    return Usage(program, rss, pss)


def measure(command: list[str], *, sample_memory: bool = True) -> tuple[float, int]:
    """Wall seconds and peak memory (PSS) of the whole process tree.

    Sampling reads /proc for every process 50 times a second, which takes CPU from the job
    itself; the timed runs leave it off (peak 0) and memory is read in runs of its own.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command)
    peak = 0
    while process.poll() is None:
        if sample_memory:
            peak = max(peak, tree_memory(process.pid))
        time.sleep(0.02)
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - started, peak


def median_time(commands: list[list[str]], rounds: int) -> list[float]:
    """The median wall time of each command, run in turn (A B A B) so noise falls on all."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(rounds):
        for command, runs in zip(commands, times, strict=True):
            runs.append(measure(command, sample_memory=False)[0])
    return [statistics.median(runs) for runs in times]


def peak_memory(command: list[str], runs: int) -> float:
    """The highest peak (MB) of the process tree over `runs` runs."""
    return max(measure(command)[1] for _ in range(runs)) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-runs", type=int, default=3)
    parser.add_argument("--inputs", default=",".join(INPUTS))
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()
    names = args.inputs.split(",")
    make_inputs(names)
    print(
        f"reference job: median wall time of {args.rounds} rounds; "
        f"peak memory of the tree over {args.memory_runs} more runs"
    )
    print(
        f"{'input':<11}{'ffmpeg':>9}{'clipcraft':>11}{'ratio':>8}{'ffmpeg MB':>11}"
        f"{'clipcraft MB':>14}"
    )
    for name in names:
        reference = reference_command(name, WORK / "reference.mp4")
        ours = clipcraft_command(name, WORK / "clipcraft.mp4")
        ref_time, our_time = median_time([reference, ours], args.rounds)
        ref_mem, our_mem = (peak_memory(c, args.memory_runs) for c in (reference, ours))
        print(
            f"{name:<11}{ref_time:8.2f}s{our_time:10.2f}s{our_time / ref_time:7.2f}x"
            f"{ref_mem:10.0f}{our_mem:13.0f}"
        )
    standard, preview = median_time(
        [
            clipcraft_command(names[0], WORK / "standard.mp4"),
            clipcraft_command(names[0], WORK / "preview.mp4", "--preview"),
        ],
        args.rounds,
    )
    print(
        f"--preview against a standard render ({names[0]}): {preview:.2f}s / {standard:.2f}s"
        f" = {preview / standard:.2f}x"
    )
    if not args.skip_batch:
        batch_throughput()


def batch_throughput() -> None:
    """Four 1080x1920 clips through `batch -j 1` and `-j 2`: time and peak memory."""
    make_inputs(["portrait"])
    folder = WORK / f"roll-v{INPUTS_VERSION}"
    folder.mkdir(exist_ok=True)
    for index in range(4):
        target = folder / f"clip{index}.mp4"
        if not target.exists():
            shutil.copy(input_path("portrait"), target)
    recipe = WORK / "batch.toml"
    recipe.write_text('[trim]\nat = "0:09"\n[[sfx]]\nsound = "ding"\n')
    for jobs in (1, 2):
        out = WORK / f"batch-j{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        seconds, peak = measure(
            [
                sys.executable,
                "-m",
                "clipcraft",
                "batch",
                str(folder),
                "-o",
                str(out),
                "--recipe",
                str(recipe),
                "-j",
                str(jobs),
                "-q",
            ]
        )
        print(
            f"batch -j {jobs}: 4 clips of 8 s in {seconds:.1f} s "
            f"({4 / seconds * 60:.1f} clips a minute), peak {peak / 2**20:.0f} MB"
        )


if __name__ == "__main__":
    main()
