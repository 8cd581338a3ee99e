"""Tiny, deterministic media made with the bundled ffmpeg for tests, benchmarks and the example.

The tests, the benchmark scripts and `examples/make_example.py` make their footage instead of
shipping it. What they share lives here, inside the package, so that the example still runs
after a plain `pip install .` without the tests folder: raw RGB frames encoded into a clip,
a picture stored turned with the display rotation a phone writes, the grainy test pattern and
the iPhone HEVC HLG encoding of phone-like inputs, and a plain photo of a finished dish.

Only numpy, Pillow and the standard library besides `clipcraft.media.ffmpeg`: making media must not
need moviepy or pytest.
"""

from __future__ import annotations

import itertools
import subprocess
import tempfile
import wave
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from clipcraft.media.ffmpeg import ffmpeg_command, ffmpeg_process, run_ffmpeg

QUIET = ("-loglevel", "error", "-y")
"""Only errors on stderr, and an earlier file of the same name overwritten."""

GRAIN = "noise=alls=18:allf=t+u"
"""A filter step adding grain that changes every frame, so that decoders and encoders work as
on a camera's footage rather than on a pattern they predict perfectly."""


def ffmpeg(*args: object) -> None:
    """Run the bundled ffmpeg quietly on `args`, overwriting the output; RenderError if it
    fails, naming ffmpeg's complaint."""
    run_ffmpeg(ffmpeg_command(*QUIET, *map(str, args)), f"making {args[-1]}")


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    """Mono floats (full scale 1, clipped) as a 16-bit WAV: every ffmpeg reads it exactly."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def encode_frames(
    path: Path,
    frames: Iterable[np.ndarray],
    fps: float,
    *,
    sound: np.ndarray | None = None,
    rate: int = 48000,
    video: Sequence[str] = ("-c:v", "libx264", "-pix_fmt", "yuv420p"),
    audio: Sequence[str] = ("-c:a", "aac"),
) -> Path:
    """Encode RGB frames (height × width × 3 uint8, all one size) at `fps` into `path`, with
    `sound` (mono floats at `rate`) when given.

    The frames stream to ffmpeg one at a time, so a long clip never sits in memory. `video`
    holds the output's picture options (filters, encoder, pixel format); `audio` its sound
    options, used only with `sound`.
    """
    pictures = iter(frames)
    first = next(pictures, None)
    if first is None:
        raise ValueError(f"no frames for {path}")
    height, width = first.shape[:2]
    shape = (height, width, 3)
    with tempfile.TemporaryDirectory() as work:
        args = [*QUIET, "-f", "rawvideo", "-pix_fmt", "rgb24"]
        args += ["-s", f"{width}x{height}", "-framerate", str(fps), "-i", "pipe:0"]
        if sound is not None:
            args += ["-i", str(write_wav(Path(work) / "sound.wav", sound, rate))]
        args += [*video, *(audio if sound is not None else ()), str(path)]
        with ffmpeg_process(ffmpeg_command(*args), stdin=subprocess.PIPE) as run:
            assert run.popen.stdin is not None
            try:
                for frame in itertools.chain([first], pictures):
                    if frame.shape != shape or frame.dtype != np.uint8:
                        raise ValueError(
                            f"a {frame.dtype} frame of {frame.shape}, not uint8 {shape}"
                        )
                    run.popen.stdin.write(frame.tobytes())
                run.popen.stdin.close()
            except BrokenPipeError:
                pass  # ffmpeg stopped reading (-shortest); its exit status tells if it failed
            run.check(f"writing {path.name}")
    return path


@dataclass(frozen=True)
class Turn:
    """How an upright picture is stored turned, as a phone held sideways records it."""

    store: str
    """The filter that turns the upright picture into the stored one."""
    display: int
    """The display rotation ffmpeg writes (degrees counter-clockwise), so players turn it back."""
    upright: str
    """The filter that turns the stored picture back upright, as a player does."""


TURNS: dict[int, Turn] = {
    0: Turn("", 0, ""),
    90: Turn("transpose=1", 90, "transpose=2"),
    180: Turn("hflip,vflip", 180, "hflip,vflip"),
    270: Turn("transpose=2", -90, "transpose=1"),
}
"""By the turn a player gives the stored picture, in degrees counter-clockwise as ffmpeg counts
(`clipcraft probe` counts clockwise: 90 here is its 270)."""


@contextmanager
def turned(path: Path, rotation: int) -> Iterator[Path]:
    """The file to write a stored picture to, so that `path` plays it turned by `rotation`.

    On leaving the block, the file's streams are copied into `path` with the display rotation
    of TURNS[rotation], and the file is removed. With no rotation it is `path` itself.
    """
    display = TURNS[rotation].display
    if not display:
        yield path
        return
    stored = path.with_name(f"{path.stem}.stored{path.suffix}")
    try:
        yield stored
        ffmpeg("-display_rotation", display, "-i", stored, "-c", "copy", path)
    finally:
        stored.unlink(missing_ok=True)


def pattern_input(size: tuple[int, int], fps: float, seconds: float, *steps: str) -> list[str]:
    """ffmpeg input options for its moving test pattern (testsrc2), through filter `steps`
    (such as GRAIN): phone-sized footage at no cost to draw."""
    source = f"testsrc2=s={size[0]}x{size[1]}:r={fps}:d={seconds}"
    return ["-f", "lavfi", "-i", ",".join((source, *steps))]


def hevc_hlg(keyint: int, rate: Sequence[str] = ()) -> list[str]:
    """Output options for what every recent iPhone records: 10-bit HEVC, HLG on BT.2020 tagged
    in the stream and the container, a keyframe every `keyint` frames; `rate` holds any
    bit-rate options."""
    return [
        "-vf", "format=yuv420p10le", "-c:v", "libx265", "-preset", "ultrafast", *rate,
        "-x265-params",
        f"log-level=error:keyint={keyint}:colorprim=bt2020:transfer=arib-std-b67"
        ":colormatrix=bt2020nc",
        "-color_primaries", "bt2020", "-color_trc", "arib-std-b67", "-colorspace", "bt2020nc",
    ]  # fmt: skip


def draw_dish(path: Path, size: tuple[int, int], diameter: int) -> Path:
    """The "after" photo of a finished dish as a JPEG: a brown disc `diameter` across, centred
    on a tan ground."""
    width, height = size
    left, top = (width - diameter) // 2, (height - diameter) // 2
    photo = Image.new("RGB", size, (230, 190, 120))
    box = (left, top, left + diameter, top + diameter)
    ImageDraw.Draw(photo).ellipse(box, fill=(180, 100, 40))
    photo.save(path, quality=90)
    return path


def fill_ellipse(
    frame: np.ndarray, cx: float, cy: float, rx: float, ry: float, colour: tuple[int, ...]
) -> None:
    """Paint a filled ellipse into `frame` in place, working on its bounding box only, so that
    drawing many small shapes on each frame stays cheap."""
    height, width = frame.shape[:2]
    x0, x1 = int(max(cx - rx, 0)), int(min(cx + rx + 1, width))
    y0, y1 = int(max(cy - ry, 0)), int(min(cy + ry + 1, height))
    if x0 >= x1 or y0 >= y1:
        return
    y, x = np.ogrid[y0:y1, x0:x1]  # open grids: a column and a row, broadcast
    inside = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.0
    frame[y0:y1, x0:x1][inside] = colour


@dataclass(frozen=True)
class Handheld:
    """A phone held by hand over a kitchen counter: how far the picture shakes and drifts.

    `tremor` is the shake in pixels (a hand's 4–9 Hz tremor, several pixels from frame to
    frame at its largest); `walk` the slow drift of a hand walking or turning, in pixels
    over a second or two."""

    tremor: float = 0.0
    walk: float = 0.0
    seed: int = 3

    def offsets(self, count: int, fps: float) -> np.ndarray:
        """(count, 2) integer (dx, dy) of the camera at each frame."""
        rng = np.random.default_rng(self.seed)
        t = np.arange(count) / fps
        moves = np.zeros((count, 2))
        for axis in range(2):
            for hertz in (4.3, 6.1, 8.7):
                phase = rng.uniform(0, 2 * np.pi)
                moves[:, axis] += self.tremor / 2 * np.sin(2 * np.pi * hertz * t + phase)
            moves[:, axis] += self.walk * np.sin(2 * np.pi * 0.35 * t + rng.uniform(0, 6))
        return np.round(moves).astype(int)


def kitchen_ground(width: int, height: int, seed: int = 5) -> np.ndarray:
    """A camera-like still scene (height, width, 3): soft light falling off, tiles with
    grout lines, cupboard edges, a speckled counter; not independent random pixels."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[:height, :width] / max(width, height)
    light = 150 + 50 * np.cos(3 * x + 1.0) * np.cos(2 * y)
    scene = np.repeat(light[:, :, None], 3, axis=2) * np.array([1.0, 0.95, 0.85])
    tile = max(8, width // 24)
    grout = (np.mgrid[:height, :width] % tile == 0).any(axis=0)
    scene[: height // 2][grout[: height // 2]] *= 0.7
    for _ in range(6):
        left, top = rng.integers(0, width - tile * 3), rng.integers(0, height // 2)
        scene[top : top + tile * 2, left : left + tile * 3] *= rng.uniform(0.6, 0.9)
    counter = scene[height // 2 :]
    speckle = rng.normal(0, 14, counter.shape[:2])
    blurred = (speckle + np.roll(speckle, 1, 0) + np.roll(speckle, 1, 1)) / 3
    counter += blurred[:, :, None]
    return np.clip(scene, 0, 255).astype(np.uint8)


def handheld_clip(
    path: Path,
    *,
    size: tuple[int, int] = (640, 360),
    seconds: float = 4.0,
    fps: float = 30,
    centre: float = 0.85,
    travel: float = 0.0,
    hand: Handheld = Handheld(),
    mishap_at: float = 2.0,
    colour: tuple[int, int, int] = (230, 20, 20),
) -> Path:
    """Landscape footage of a kitchen mishap filmed by `hand`: a bowl (a disc of `colour`)
    at `centre` of the width bobs from 1 s (someone stirring), tips over at `mishap_at`
    and falls; `travel` moves it across that share of the width over the clip. The bowl is
    part of the scene, so it shakes with everything else, and every frame has sensor grain."""
    width, height = size
    margin = int(1.5 * hand.tremor + hand.walk) + 2
    ground = kitchen_ground(width + 2 * margin, height + 2 * margin)
    count = round(seconds * fps)
    moves = hand.offsets(count, fps)
    rng = np.random.default_rng(11)
    grains = [rng.normal(0, 4, (height, width, 3)).round().astype(np.int16) for _ in range(7)]
    radius = height / 10

    def frames() -> Iterator[np.ndarray]:
        for index in range(count):
            t = index / fps
            dx, dy = moves[index]
            view = ground[margin + dy : margin + dy + height, margin + dx : margin + dx + width]
            frame = view.astype(np.int16) + grains[index % len(grains)]  # grain every frame
            cx = (centre + travel * (t / seconds - 0.5)) * width - dx
            cy = height * 0.6 - dy
            if t >= 1.0:
                cx += 0.02 * width * np.sin(3 * np.pi * t)
            if t >= mishap_at:
                fall = min(t - mishap_at, 0.6)
                cy += 2.2 * radius * fall / 0.6
                cx += 0.5 * radius * fall / 0.6
            fill_ellipse(frame, cx, cy, radius, radius * 0.8, colour)
            yield np.clip(frame, 0, 255).astype(np.uint8)

    return encode_frames(path, frames(), fps)
