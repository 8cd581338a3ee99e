"""Every frame and every sample of an output, read back as a player decodes them.

Shared by the tests and `bench/stress_frames.py`: an output is exact when it has the planned
number of frames, each one frame after the last from 0, and a sound track that starts with
the picture and is exactly as long. The hashes tell whether two renders of the same job
decoded to the same frames and the same samples.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from clipcraft.media.ffmpeg import ffmpeg_exe


@dataclass(frozen=True)
class Decoded:
    """Presentation times (seconds) and a hash of each decoded frame; the sound's samples."""

    frame_times: tuple[Fraction, ...]
    frame_hashes: tuple[str, ...]
    first_sample_time: Fraction
    samples: int
    sound_hash: str


def _framemd5(path: Path, stream: str) -> tuple[list[Fraction], list[str]]:
    """(pts in seconds, md5) of every decoded frame or audio block of `stream` ("v" or "a")."""
    listing = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", f"0:{stream}:0",
         "-f", "framemd5", "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    base, times, hashes = Fraction(1), [], []
    for line in listing.splitlines():
        if line.startswith("#tb"):
            base = Fraction(line.split(":", 1)[1].strip())
        elif line and not line.startswith("#"):
            fields = [field.strip() for field in line.split(",")]
            times.append(int(fields[2]) * base)
            hashes.append(fields[5])
    return times, hashes


def decode(path: Path, rate: int = 48000) -> Decoded:
    times, hashes = _framemd5(path, "v")
    sound_times, _ = _framemd5(path, "a")
    pcm = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:a:0",
         "-f", "s16le", "-ar", str(rate), "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    channels = 2
    return Decoded(
        frame_times=tuple(times),
        frame_hashes=tuple(hashes),
        first_sample_time=sound_times[0] if sound_times else Fraction(-1),
        samples=len(pcm) // (2 * channels),
        sound_hash=hashlib.md5(pcm).hexdigest(),
    )


def problems(decoded: Decoded, frames: int, fps: int = 30, rate: int = 48000) -> list[str]:
    """What is not exact about an output planned at `frames` frames; empty when all is."""
    found = []
    if len(decoded.frame_times) != frames:
        found.append(f"{len(decoded.frame_times)} frames, planned {frames}")
    step = Fraction(1, fps)
    for number, time in enumerate(decoded.frame_times):
        if time != number * step:
            found.append(f"frame {number} at {float(time):.4f} s, not {float(number * step):.4f}")
            break
    if decoded.first_sample_time != 0:
        found.append(f"sound starts at {float(decoded.first_sample_time):.4f} s")
    expected = round(frames * rate / fps)  # as the plan counts them
    if decoded.samples != expected:
        found.append(f"{decoded.samples} samples of sound, planned {expected}")
    return found
