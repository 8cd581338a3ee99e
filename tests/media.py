"""Tiny test media made with the bundled ffmpeg: colour blocks per second, a red corner
marker, a steady tone, and optional phone rotation metadata; and readers of what clipcraft
writes. The making itself is `clipcraft.media.synthetic`, shared with the benchmarks and the
example."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clipcraft.media.ffmpeg import ffmpeg_exe
from clipcraft.media.synthetic import TURNS, encode_frames, turned, write_wav
from clipcraft.media.synthetic import ffmpeg as ffmpeg  # re-exported for the tests

PALETTE = [
    (40, 90, 220),
    (40, 200, 60),
    (230, 200, 40),
    (200, 60, 200),
    (40, 200, 210),
    (240, 140, 30),
    (120, 60, 20),
    (250, 250, 250),
]
"""One colour per second of source; red is kept for the corner marker."""

MARKER = (230, 20, 20)


def block_colour(second: float) -> tuple[int, int, int]:
    return PALETTE[int(second) % len(PALETTE)]


def upright_frame(width: int, height: int, second: float) -> np.ndarray:
    frame = np.empty((height, width, 3), np.uint8)
    frame[:] = block_colour(second)
    side = max(4, min(width, height) // 5)
    frame[:side, :side] = MARKER
    return frame


def make_video(
    path: Path,
    *,
    width: int = 180,
    height: int = 320,
    seconds: float = 4.0,
    fps: float = 30,
    rotation: int = 0,
    audio: str | None = "tone",
    codec: str = "libx264",
    video_filter: str = "",
    extra: tuple[str, ...] = (),
) -> Path:
    """A clip that *displays* as width×height: colour block per second, red top-left marker.

    `audio` is "tone" (a steady 440 Hz), "clicks" (a short burst at each whole second, when
    the colour changes) or None. A `rotation` (a key of TURNS) stores the picture turned, with
    the display rotation that turns it back, as a phone held sideways records it.
    """
    filters = ",".join(step for step in (video_filter, TURNS[rotation].store) if step)
    video = [*(["-vf", filters] if filters else []), "-c:v", codec, "-pix_fmt", "yuv420p", *extra]
    frames = (upright_frame(width, height, i / fps) for i in range(round(seconds * fps)))
    sound = tone(seconds, clicks=audio == "clicks", rate=44100) if audio else None
    with turned(path, rotation) as stored:
        encode_frames(
            stored, frames, fps, sound=sound, rate=44100, video=video,
            audio=("-c:a", "aac", "-ac", "1", "-shortest"),
        )  # fmt: skip
    return path


def tone(seconds: float, *, clicks: bool = False, rate: int = 48000) -> np.ndarray:
    """A 440 Hz tone, or 5-ms bursts at every whole second (when the colour changes)."""
    t = np.arange(int(seconds * rate)) / rate
    if clicks:
        return np.where((t % 1.0) < 0.005, 0.8 * np.sin(2 * np.pi * 3000 * t), 0.0)
    return 0.3 * np.sin(2 * np.pi * 440 * t)


def write_sound(path: Path, seconds: float, *, clicks: bool = False, rate: int = 48000) -> Path:
    """Mono 16-bit WAV of `tone`."""
    return write_wav(path, tone(seconds, clicks=clicks, rate=rate), rate)


@dataclass(frozen=True)
class Stream:
    """What a user checks about an output, read back with the bundled ffmpeg."""

    banner: str
    frames: int

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.banner) is not None


def inspect(path: Path) -> Stream:
    run = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-i",
            str(path),
            "-map",
            "0:v:0",
            "-c",
            "copy",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
    )
    counts = re.findall(r"frame=\s*(\d+)", run.stderr)
    return Stream(run.stderr, int(counts[-1]) if counts else 0)


def read_frame(path: Path, seconds: float) -> np.ndarray:
    """The displayed frame at `seconds` as an RGB array."""
    banner = inspect(path).banner
    size = re.search(r"Video: .*?(\d{2,5})x(\d{2,5})", banner)
    assert size, banner
    width, height = int(size.group(1)), int(size.group(2))
    rotation = re.search(r"rotation of (-?\d+)", banner)
    if rotation and int(float(rotation.group(1))) % 180:
        width, height = height, width
    raw = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-ss",
            str(seconds),
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "pipe:1",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(height, width, 3)


def read_audio(path: Path, rate: int = 48000) -> np.ndarray:
    """The file's sound as (n, channels) floats at `rate`."""
    raw = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-i",
            str(path),
            "-map",
            "0:a:0",
            "-ar",
            str(rate),
            "-f",
            "f32le",
            "pipe:1",
        ],
        capture_output=True,
        check=True,
    ).stdout
    channels = 2 if ", stereo" in inspect(path).banner else 1
    return np.frombuffer(raw, np.float32).reshape(-1, channels)


def levels_db(samples: np.ndarray, frame: float, rate: int = 48000) -> np.ndarray:
    """The level of mono `samples` in dB of full scale, every `frame` seconds."""
    width = round(frame * rate)
    frames = samples[: len(samples) // width * width].reshape(-1, width)
    return np.asarray(10 * np.log10(np.mean(frames**2, axis=1) + 1e-12))


def top_level_boxes(path: Path) -> list[str]:
    """The MP4's top-level box types in file order (fast start puts moov before mdat)."""
    boxes, data = [], path.read_bytes()
    offset = 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        kind = data[offset + 4 : offset + 8].decode("latin-1")
        if size == 1:
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        boxes.append(kind)
        if size < 8:
            break
        offset += size
    return boxes


def close_to(pixel: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return bool(np.all(np.abs(pixel.astype(int) - np.array(colour)) <= tolerance))
