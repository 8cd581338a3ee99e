"""The clip's sound: source audio per segment, joined without clicks, written as a WAV."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np

from clipcraft.commands import audio_decode_command
from clipcraft.ffmpeg import ffmpeg_process
from clipcraft.plan import OutputFormat, Plan, Segment

EDGE_FADE_SECONDS = 0.008
"""A fade this short is inaudible as a fade but removes the click of a hard cut."""


def samples_per_frame(fmt: OutputFormat) -> float:
    return fmt.audio_rate / fmt.fps


def segment_audio(segment: Segment, fmt: OutputFormat) -> np.ndarray:
    """(n, 2) float32 samples exactly as long as the segment's frames; silence if none."""
    length = round(segment.frames * samples_per_frame(fmt))
    if not segment.source_audio:
        return np.zeros((length, 2), dtype=np.float32)
    with ffmpeg_process(audio_decode_command(segment, fmt), stdout=subprocess.PIPE) as run:
        assert run.popen.stdout is not None
        raw = run.popen.stdout.read()
        run.check(f"reading the sound of {segment.source}")
    samples = np.frombuffer(raw, dtype=np.float32).reshape(-1, 2)[:length]
    if len(samples) < length:
        samples = np.concatenate([samples, np.zeros((length - len(samples), 2), np.float32)])
    return fade_edges(samples, round(EDGE_FADE_SECONDS * fmt.audio_rate))


def fade_edges(samples: np.ndarray, fade: int) -> np.ndarray:
    """A copy of `samples` with short linear fades in and out."""
    faded = samples.copy()
    fade = min(fade, len(faded) // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)[:, None]
        faded[:fade] *= ramp
        faded[-fade:] *= ramp[::-1]
    return faded


def mix(plan: Plan) -> np.ndarray:
    """The whole clip's sound, segment after segment."""
    return np.concatenate([segment_audio(segment, plan.format) for segment in plan.segments])


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    """16-bit stereo PCM, the simplest thing every ffmpeg reads."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
