"""Synthesise the bundled sound effects into assets/sounds/ (48 kHz 16-bit mono WAV).

    python scripts/make_sounds.py [OUT_DIR]

Every effect is made here from numpy arithmetic with fixed random seeds, so the library is the
project's own and the files are reproducible byte for byte (tests/test_sounds.py checks that).
Each one starts and ends in silence with short fades, so it never clicks when it is mixed in.
"""

from __future__ import annotations

import json
import sys
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np

RATE = 48000
PEAK = 10 ** (-1.0 / 20)  # every effect peaks at -1 dBFS
FADE_IN, FADE_OUT = 0.004, 0.02  # seconds: a crisp attack, a tail that never stops dead

Signal = np.ndarray


def times(seconds: float) -> Signal:
    return np.arange(int(seconds * RATE)) / RATE


def tone(freq: Signal | float, t: Signal, harmonics: tuple[float, ...] = (1.0,)) -> Signal:
    """A sum of harmonics following a (possibly gliding) fundamental frequency."""
    phase = 2 * np.pi * np.cumsum(np.broadcast_to(freq, t.shape)) / RATE
    return np.sum([weight * np.sin((k + 1) * phase) for k, weight in enumerate(harmonics)], axis=0)


def bandpass(signal: Signal, centre: Signal | float, q: float = 2.0) -> Signal:
    """A state-variable band-pass whose centre may move sample by sample."""
    centre = np.broadcast_to(centre, signal.shape)
    coefficient = 2 * np.sin(np.pi * np.minimum(centre, RATE / 6) / RATE)
    damping = 1.0 / q
    low = band = 0.0
    out = np.empty_like(signal)
    for i, (x, f) in enumerate(zip(signal, coefficient, strict=True)):
        high = x - low - damping * band
        band += f * high
        low += f * band
        out[i] = band
    return out


def noise(seconds: float, seed: int) -> Signal:
    return np.random.default_rng(seed).normal(0.0, 1.0, int(seconds * RATE))


def envelope(t: Signal, attack: float, decay: float) -> Signal:
    """Linear attack, then exponential decay with time constant `decay`."""
    return np.minimum(t / attack, 1.0) * np.exp(-np.maximum(t - attack, 0.0) / decay)


def record_scratch() -> Signal:
    """A DJ pulls the record back and forth: music whose playback speed swings through zero."""
    t = times(0.75)
    speed = np.where(
        t < 0.32, np.sin(np.pi * t / 0.32) * -2.2, np.sin(np.pi * (t - 0.32) / 0.43) * 2.6
    )
    position = np.cumsum(speed) / RATE + 0.5
    chord = sum(np.sin(2 * np.pi * f * position) for f in (196.0, 247.0, 294.0, 392.0))
    hiss = bandpass(noise(0.75, 11), 2500 + 1800 * np.abs(speed), q=3.0) * 0.3
    return (chord * 0.5 + hiss) * np.minimum(np.abs(speed) * 1.2, 1.0)


def sad_trombone() -> Signal:
    """Wah, wah, wah, waaah: four falling brass notes, the last one wobbling."""
    notes = [(293.7, 0.42), (277.2, 0.42), (261.6, 0.42), (246.9, 1.15)]
    parts = []
    for index, (freq, length) in enumerate(notes):
        t = times(length)
        last = index == len(notes) - 1
        wobble = 1 + (0.025 * np.sin(2 * np.pi * 5.5 * t) * np.minimum(t / 0.3, 1) if last else 0)
        glide = freq * (1.03 - 0.03 * np.minimum(t / 0.06, 1)) * wobble
        brass = tone(glide, t, (1.0, 0.8, 0.6, 0.45, 0.3, 0.2, 0.12))
        shape = np.minimum(t / 0.05, 1) * np.minimum((length - t) / 0.08, 1)
        parts.append(brass * shape * (0.8 if last else 1.0))
    return np.concatenate(parts)


def boing() -> Signal:
    """A spring: a twangy tone that bends up and wobbles fast as it dies away."""
    t = times(0.7)
    freq = 110 + 240 * (1 - np.exp(-t * 9)) + 60 * np.sin(2 * np.pi * 14 * t) * np.exp(-t * 3)
    return tone(freq, t, (1.0, 0.5, 0.3, 0.15)) * envelope(t, 0.005, 0.22)


def crash() -> Signal:
    """Something metal hits the floor: a bright noisy smash with a clanging ring."""
    t = times(1.3)
    smash = bandpass(noise(1.3, 23), 3500, q=0.7) * envelope(t, 0.002, 0.12)
    clang = sum(
        np.sin(2 * np.pi * f * t + p) * envelope(t, 0.001, d)
        for f, p, d in ((523, 0.1, 0.35), (1247, 0.7, 0.28), (2311, 1.3, 0.2), (3389, 2.0, 0.15))
    )
    thud = np.sin(2 * np.pi * 70 * t) * envelope(t, 0.002, 0.06) * 1.5
    return smash * 2.5 + clang * 0.35 + thud


def ding() -> Signal:
    """A small bell, the kitchen timer kind: inharmonic partials ringing out."""
    t = times(1.6)
    base = 1318.5
    partials = ((1.0, 1.0, 0.45), (2.76, 0.45, 0.3), (5.40, 0.25, 0.2), (8.93, 0.12, 0.12))
    return sum(
        weight * np.sin(2 * np.pi * base * ratio * t) * envelope(t, 0.002, decay)
        for ratio, weight, decay in partials
    )


def whoosh() -> Signal:
    """Air rushing past: noise whose pitch sweeps up and back as it swells and fades."""
    t = times(0.8)
    sweep = 300 + 2400 * np.sin(np.pi * t / 0.8) ** 2
    swell = np.sin(np.pi * t / 0.8) ** 2
    return bandpass(noise(0.8, 31), sweep, q=1.2) * swell


def tada() -> Signal:
    """Ta-daa: a short brass chord and a long bright one."""

    def chord(freqs: tuple[float, ...], length: float) -> Signal:
        t = times(length)
        body = sum(
            tone(f * (1 + 0.004 * np.sin(2 * np.pi * 5 * t)), t, (1, 0.7, 0.5, 0.3, 0.2))
            for f in freqs
        )
        return body * np.minimum(t / 0.02, 1) * np.minimum((length - t) / 0.15, 1)

    return np.concatenate(
        [
            chord((392.0, 523.3, 659.3), 0.18),
            np.zeros(int(0.05 * RATE)),
            chord((523.3, 659.3, 784.0, 1046.5), 1.3),
        ]
    )


def drumroll() -> Signal:
    """A snare roll that grows for two seconds and lands on a cymbal crash."""
    roll_length = 1.8
    t = times(roll_length + 0.7)
    out = np.zeros_like(t)
    rng = np.random.default_rng(47)
    hit_t = times(0.06)
    hit_shape = envelope(hit_t, 0.001, 0.018)
    for index, start in enumerate(np.arange(0.0, roll_length, 1 / 28)):
        begin = int(start * RATE)
        level = 0.25 + 0.75 * (start / roll_length) ** 1.5
        level *= 1.0 if index % 2 == 0 else 0.8
        hit = (
            rng.normal(0, 1, hit_t.size) * hit_shape
            + 0.6 * np.sin(2 * np.pi * 190 * hit_t) * hit_shape
        )
        out[begin : begin + hit_t.size] += hit * level
    cymbal_start = int(roll_length * RATE)
    cymbal_t = t[cymbal_start:] - roll_length
    cymbal = bandpass(noise(len(cymbal_t) / RATE, 53), 6000, q=0.6) * envelope(cymbal_t, 0.002, 0.3)
    kick = np.sin(2 * np.pi * 60 * cymbal_t) * envelope(cymbal_t, 0.002, 0.08)
    out[cymbal_start:] += cymbal * 3.0 + kick * 1.2
    return out


EFFECTS: dict[str, tuple[Callable[[], Signal], str]] = {
    "record-scratch": (record_scratch, "a DJ drags the record back: the classic freeze-frame cue"),
    "sad-trombone": (sad_trombone, "wah-wah-wah-waaah, four falling brass notes: it failed"),
    "boing": (boing, "a twangy spring bending up: something bounced"),
    "crash": (crash, "metal smash with a clanging ring: the pan hit the floor"),
    "ding": (ding, "a bright kitchen-timer bell: done, or an idea"),
    "whoosh": (whoosh, "rushing air that sweeps up and away: a fast move or a transition"),
    "tada": (tada, "a short and a long brass chord: the big reveal"),
    "drumroll": (drumroll, "a snare roll that builds and lands on a cymbal: the suspense"),
}


def finish(signal: Signal) -> Signal:
    """Fade the edges, normalise to the common peak and quantise to 16 bits."""
    signal = signal.astype(np.float64).copy()
    fade_in, fade_out = int(FADE_IN * RATE), int(FADE_OUT * RATE)
    signal[:fade_in] *= np.linspace(0.0, 1.0, fade_in)
    signal[-fade_out:] *= np.linspace(1.0, 0.0, fade_out)
    return np.round(signal / np.abs(signal).max() * PEAK * 32767).astype("<i2")


def write(path: Path, samples: Signal) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, (make, _) in EFFECTS.items():
        write(out_dir / f"{name}.wav", finish(make()))
    catalogue = {name: description for name, (_, description) in EFFECTS.items()}
    (out_dir / "catalogue.json").write_text(json.dumps(catalogue, indent=2) + "\n")


if __name__ == "__main__":
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "assets" / "sounds"
    )
