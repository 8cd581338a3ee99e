"""The two bundled effects that are made, not recorded: a crash and a drumroll.

No recording of either with a licence to ship was found (../shared/media/sfx/README.md), so
they are made here from numpy arithmetic with fixed random seeds; scripts/make_library.py
shapes and encodes them with the recordings. A 48 kHz mono signal, full scale about 1.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

RATE = 48000

Signal = np.ndarray


def times(seconds: float) -> Signal:
    return np.arange(int(seconds * RATE)) / RATE


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


MADE: dict[str, Callable[[], Signal]] = {"crash": crash, "drumroll": drumroll}
"""The effects no recording with a licence to ship fits; scripts/make_library.py shapes and
encodes them with the recordings."""
