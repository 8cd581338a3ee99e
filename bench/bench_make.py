"""clipcraft against one hand-written ffmpeg command doing the same job (issues #9, #16).

    python bench/bench_make.py [--rounds 3] [--memory-runs 3] [--inputs portrait,hdr] [--stages]

The reference job: a 6-s window reframed to 1080x1920 at 30 fps, a Pillow caption over it,
one sound effect, a 2.5-s photo after, the mix normalised for loudness, x264 veryfast CRF 21 +
AAC. Inputs are generated (not committed) with grain that changes every frame, so decoders
and x264 work as on a camera's footage: 1080x1920 30-fps H.264; 1920x1080 60-fps H.264 stored
turned 90° (a phone held upright); 3840x2160 30-fps H.264; 3840x2160 60-fps H.264 turned
(Android); 3840x2160 HEVC Main10 HLG turned (iPhone); a keyframe every second, as phones
record. The reference is written in the cheapest order (crop and scale the stored picture,
turn and tone-map it small) and holds the photo still, so it flatters nobody.
Timed runs alternate clipcraft and ffmpeg (A B A B) so machine noise falls on both; the
script prints the median wall time and the ratio, the floor (decoding the window, and x264
on the output, each alone) and the ratio to it, then the peak memory of each process tree
from separate runs (sampling /proc slows what it watches); then `--preview` against a
standard render, and `batch -j 1` against `-j 2`. `--stages` adds the CPU seconds of one run
by kind of work.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from clipcraft.assets import asset_dir
from clipcraft.captions.font_book import ON_DISK
from clipcraft.captions.text import font_path, layout_caption, render_caption
from clipcraft.media.ffmpeg import ffmpeg_exe
from clipcraft.media.synthetic import (
    GRAIN,
    TURNS,
    draw_dish,
    ffmpeg,
    hevc_hlg,
    pattern_input,
    turned,
)
from clipcraft.render.argv import BT709_TAGS
from clipcraft.settings.styles import STYLES

WORK = Path(__file__).with_name("out")
CAPTION = "This sourdough nearly went in the bin… 😱"
START, LENGTH, AFTER, EFFECT_AT = 4.0, 6.0, 2.5, 2.0

INPUTS_VERSION = 4
TONE_MAP = (
    "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,"
    "tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p"
)


@dataclass(frozen=True)
class BenchInput:
    """A generated input and how a careful person would reframe it with one ffmpeg command.

    `crop` and `size` are on the picture as stored; `rotation` is how a player turns it
    (a key of TURNS: the file is stored sideways with that display rotation).
    """

    width: int
    height: int
    fps: int
    seconds: int
    megabits: int
    """What the phone records at (grain at a fixed quality would make 4K cost 130 Mb/s)."""
    crop: str
    size: str
    rotation: int = 0
    hdr: bool = False

    @property
    def turned(self) -> bool:
        return bool(self.rotation)

    @property
    def turn(self) -> str:
        """The filter that turns the small picture upright after scaling, as a player does."""
        return TURNS[self.rotation].upright


INPUTS = {
    "portrait": BenchInput(1080, 1920, 30, 20, 16, "1080:1920:0:0", "1080:1920"),
    "rotated60": BenchInput(1920, 1080, 60, 20, 24, "1920:1080:0:0", "1920:1080", 270),
    "uhd": BenchInput(3840, 2160, 30, 20, 45, "1216:2160:1312:0", "1080:1920"),
    "uhd60": BenchInput(3840, 2160, 60, 12, 65, "3840:2160:0:0", "1920:1080", 270),
    "hdr": BenchInput(3840, 2160, 30, 12, 30, "3840:2160:0:0", "1920:1080", 270, hdr=True),
}
"""uhd60 is a 4K 60-fps Android clip held upright; hdr is every recent iPhone's: 4K HEVC
Main10 HLG (BT.2020) stored turned 90°."""


def input_path(name: str) -> Path:
    """Where a generated input lives; the version changes with how inputs are made."""
    suffix = ".mov" if INPUTS[name].hdr else ".mp4"
    return WORK / f"{name}-v{INPUTS_VERSION}{suffix}"


def _video_codec(spec: BenchInput) -> list[str]:
    """As phones record: their bit rate, a keyframe every second, colours tagged (BT.709, or
    BT.2020 HLG)."""
    rate = ["-b:v", f"{spec.megabits}M", "-maxrate", f"{spec.megabits * 5 // 4}M",
            "-bufsize", f"{spec.megabits * 2}M"]  # fmt: skip
    if spec.hdr:
        return hevc_hlg(spec.fps, rate)
    return [
        "-vf", f"scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,{BT709_TAGS}",
        "-c:v", "libx264", "-preset", "veryfast", *rate,
        "-force_key_frames", "expr:gte(t,n_forced)",
    ]  # fmt: skip


def make_inputs(names: list[str]) -> None:
    WORK.mkdir(exist_ok=True)
    for name in names:
        path, spec = input_path(name), INPUTS[name]
        if path.exists():
            continue
        with turned(path, spec.rotation) as stored:  # a phone held upright: stored sideways
            ffmpeg(
                *pattern_input((spec.width, spec.height), spec.fps, spec.seconds, GRAIN),
                "-f", "lavfi", "-i", f"anoisesrc=d={spec.seconds}:c=pink:a=0.05",
                *_video_codec(spec), "-c:a", "aac", "-shortest", stored,
            )  # fmt: skip
    dish = WORK / "dish.jpg"
    if not dish.exists():
        draw_dish(dish, (1440, 1920), 1000)
    style = STYLES["classic"]
    layout = layout_caption(CAPTION, style, font_path(None, style), 950, 979, 1080, ON_DISK)
    render_caption(layout, style).save(WORK / "caption.png")
    shutil.copy(asset_dir("sounds") / "ding.opus", WORK / "ding.opus")


def reference_command(name: str, out: Path, best_order: bool = True) -> list[str]:
    """The same job as one ffmpeg filter graph, written by hand.

    In the best order, the stored picture is cropped and scaled first, turned upright and
    (HDR) tone-mapped once small. As usually written, ffmpeg turns the picture upright at
    full size (its default autorotate) before the crop, scale and tone map. Either way the
    photo is held still (`tpad`), which is cheaper than any zoom.
    """
    spec = INPUTS[name]
    after_frames = round(AFTER * 30)
    if best_order:
        fail = [f"fps=30,crop={spec.crop},scale={spec.size}", spec.turn]
    else:
        width, height, x, y = spec.crop.split(":")
        upright = f"{height}:{width}:{y}:{x}" if spec.turned else spec.crop
        fail = [f"fps=30,crop={upright},scale=1080:1920"]
    fail.append(TONE_MAP if spec.hdr else "")
    graph = ";".join([
        f"[0:v]{','.join(step for step in fail if step)},setsar=1[fail]",
        "[fail][2:v]overlay=65:269[failc]",
        "[1:v]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,"
        f"tpad=stop_mode=clone:stop={after_frames - 1}[after]",
        "[failc][after]concat=n=2:v=1:a=0,format=yuv420p[v]",
        f"[0:a]aresample=48000,aformat=channel_layouts=stereo,apad,atrim=0:{LENGTH}[bed]",
        f"[3:a]aresample=48000,aformat=channel_layouts=stereo,"
        f"adelay={int(EFFECT_AT * 1000)}:all=1[fx]",
        f"[bed][fx]amix=inputs=2:normalize=0,apad,atrim=0:{LENGTH + AFTER},"
        "loudnorm=I=-14:TP=-1.5,aresample=48000[a]",
    ])  # fmt: skip
    return [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
        *(["-noautorotate"] if spec.turned and best_order else []),
        "-ss", str(START), "-t", str(LENGTH), "-i", str(input_path(name)),
        "-framerate", "30", "-i", str(WORK / "dish.jpg"),
        "-i", str(WORK / "caption.png"), "-i", str(WORK / "ding.opus"),
        "-filter_complex", graph, "-map", "[v]", "-map", "[a]",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-profile:v", "high",
        "-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2",
        "-movflags", "+faststart", str(out),
    ]  # fmt: skip


def floor_commands(name: str, rendered: Path) -> list[list[str]]:
    """The work no order of steps avoids: decoding the window, and x264 on the output."""
    frames = WORK / "output-frames.yuv"
    ffmpeg("-i", rendered, "-map", "0:v", "-f", "rawvideo", "-pix_fmt", "yuv420p", frames)
    decode = [
        ffmpeg_exe(), "-loglevel", "error", "-ss", str(START), "-t", str(LENGTH),
        "-i", str(input_path(name)), "-map", "0:v", "-f", "null", "-",
    ]  # fmt: skip
    encode = [
        ffmpeg_exe(), "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p",
        "-s", "1080x1920", "-framerate", "30", "-i", str(frames),
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-f", "null", "-",
    ]  # fmt: skip
    return [decode, encode]


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
            parent_pid = int(stat[stat.rindex(")") + 2 :].split()[1])
            children.setdefault(parent_pid, []).append(int(entry.name))
    total = 0
    todo: list[tuple[int, Usage | None]] = [(pid, None)]
    while todo:
        pid_now, parent = todo.pop()
        usage = _usage(pid_now)
        if parent is None or not usage.is_vfork_child_of(parent):
            total += usage.pss
        todo.extend((child, usage) for child in children.get(pid_now, []))
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
    """The highest peak (MB) of the process tree over `runs` runs (0 with none)."""
    return max((measure(command)[1] for _ in range(runs)), default=0) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-runs", type=int, default=3)
    parser.add_argument("--inputs", default=",".join(INPUTS))
    parser.add_argument("--preview-inputs", default="portrait,hdr")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--stages", action="store_true", help="CPU seconds by kind of work")
    args = parser.parse_args()
    names = args.inputs.split(",")
    make_inputs(names)
    print(
        f"reference job: median wall time of {args.rounds} rounds; "
        f"peak memory of the tree over {args.memory_runs} more runs"
    )
    print(
        f"{'input':<11}{'usual':>8}{'best':>8}{'clipcraft':>11}{'/usual':>8}{'/best':>7}"
        f"{'floor':>8}{'/floor':>8}{'ffmpeg MB':>11}{'clipcraft MB':>14}"
    )
    for name in names:
        usual = reference_command(name, WORK / "reference.mp4", best_order=False)
        best = reference_command(name, WORK / "reference.mp4")
        ours = clipcraft_command(name, WORK / "clipcraft.mp4")
        usual_time, best_time, our_time = median_time([usual, best, ours], args.rounds)
        floor = sum(median_time(floor_commands(name, WORK / "clipcraft.mp4"), args.rounds))
        ref_mem, our_mem = (peak_memory(c, args.memory_runs) for c in (best, ours))
        print(
            f"{name:<11}{usual_time:7.2f}s{best_time:7.2f}s{our_time:10.2f}s"
            f"{our_time / usual_time:7.2f}x{our_time / best_time:6.2f}x"
            f"{floor:7.2f}s{our_time / floor:7.2f}x{ref_mem:10.0f}{our_mem:13.0f}",
            flush=True,
        )
        if args.stages:
            print("    " + stage_seconds(ours))
    for name in filter(None, args.preview_inputs.split(",")):
        make_inputs([name])
        standard, preview = median_time(
            [
                clipcraft_command(name, WORK / "standard.mp4"),
                clipcraft_command(name, WORK / "preview.mp4", "--preview"),
            ],
            args.rounds,
        )
        print(
            f"--preview against a standard render ({name}): {preview:.2f}s / {standard:.2f}s"
            f" = {preview / standard:.2f}x"
        )
    if not args.skip_batch:
        batch_throughput()


STAGE_WRAPPER = """#!/bin/bash
"{ffmpeg}" "$@"
status=$?
times > "{log}.$$"
{{ tail -1 "{log}.$$" | tr -d '\\n'; echo " :: $*"; }} >> "{log}"
rm -f "{log}.$$"
exit $status
"""
"""Runs ffmpeg and logs its CPU time (bash's `times`, for the shell's children) and arguments."""


def stage_seconds(command: list[str]) -> str:
    """CPU seconds of one run by kind of work: each ffmpeg the run starts is logged with its
    arguments through a wrapper (IMAGEIO_FFMPEG_EXE), and Python's own is the rest."""
    log, wrapper = WORK / "stages.log", WORK / "ffmpeg-wrapper.sh"
    log.unlink(missing_ok=True)
    wrapper.write_text(STAGE_WRAPPER.format(ffmpeg=ffmpeg_exe(), log=log))
    wrapper.chmod(0o755)
    before = os.times()
    subprocess.run(command, check=True, env=os.environ | {"IMAGEIO_FFMPEG_EXE": str(wrapper)})
    after = os.times()
    total = after.children_user + after.children_system
    total -= before.children_user + before.children_system
    kinds: dict[str, float] = {}
    for line in log.read_text().splitlines():
        spent, arguments = line.split(" :: ", 1)
        seconds = sum(_minutes_seconds(field) for field in spent.split())
        kinds[_kind(arguments)] = kinds.get(_kind(arguments), 0.0) + seconds
    kinds["python"] = total - sum(kinds.values())
    return ", ".join(f"{kind} {seconds:.2f}" for kind, seconds in kinds.items()) + " CPU-s"


def _minutes_seconds(field: str) -> float:
    minutes, seconds = field.rstrip("s").split("m")
    return int(minutes) * 60 + float(seconds)


def _kind(arguments: str) -> str:
    if "libx264" in arguments:
        return "x264"
    if "pipe:1" in arguments and "rawvideo" in arguments:
        return "photo" if re.search(r"pipe:0|-frames:v 1\b", arguments) else "decode"
    if "-f f32le" in arguments or "-c:a" in arguments or "ebur128" in arguments:
        return "sound"
    return "probe, moment, join"


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
