"""Making a recording ready to use as an effect: DC removed, silence trimmed, level set (pure).

The bundled library is shaped this way when it is built (scripts/make_library.py), and so is
a creator's own sound when `clipcraft sounds add` copies it in, so every effect starts on its
sound, ends in a short fade and sits at the same loudness as the others.
"""

from __future__ import annotations

import numpy as np

LOUDNESS_WINDOW = 0.4
"""Seconds: how loud an effect feels is the level of its loudest stretch this long (the
momentary window of EBU R128), not its average over the silence around it."""
LOUDNESS_STEP = 0.1
TARGET_DB = -16.0
"""The loudest window's RMS level every effect is set to, in dB of full scale."""
PEAK_DB = -1.0
"""No sample goes above this, whatever TARGET_DB asks."""
LIMIT_CEILING_DB = -1.5
"""Where the limiter holds a sharp attack: under PEAK_DB, as Opus rounds peaks up a little."""
MOST_LIMITING_DB = 9.0
"""The most an attack is held down to bring a peaky sound (a coin, a bonk) to TARGET_DB;
past it the sound stays quieter rather than lose its snap."""
LIMITER_SECONDS = 0.01
"""The limiter's window: its gain falls and recovers over this long, around each peak."""
SILENCE_BELOW_DB = 50.0
"""Sound this far below the effect's own peak counts as silence at its ends."""
ENVELOPE_SECONDS = 0.005
PRE_ROLL = 0.005
"""Kept before the first sound, so an attack is never cut."""
TAIL = 0.03
"""Kept after the last sound above the silence line, fading out."""
FADE_IN, FADE_OUT = 0.003, 0.02


def loudest_window_db(samples: np.ndarray, rate: int) -> float:
    """RMS level (dBFS) of the loudest LOUDNESS_WINDOW of `samples` ((n,) or (n, channels),
    full scale 1.0), stepping LOUDNESS_STEP; a sound shorter than a window is one window."""
    window, step = round(LOUDNESS_WINDOW * rate), round(LOUDNESS_STEP * rate)
    if not len(samples):
        return -200.0
    power = np.square(samples.reshape(len(samples), -1).astype(np.float64)).mean(axis=1)
    starts = range(0, max(len(power) - window, 0) + 1, step)
    loudest = max(float(power[start : start + window].mean()) for start in starts)
    return 10 * np.log10(max(loudest, 1e-20))


def without_dc(samples: np.ndarray) -> np.ndarray:
    """Each channel less its mean: an offset is inaudible but clicks at every cut and fade."""
    return samples - samples.mean(axis=0, keepdims=True)


def sounding_span(samples: np.ndarray, rate: int) -> tuple[int, int]:
    """The first and last sample (end exclusive) to keep: from just before the sound rises
    above the silence line to a short tail after it last falls below."""
    level = np.abs(samples.reshape(len(samples), -1)).max(axis=1)
    width = max(1, round(ENVELOPE_SECONDS * rate))
    envelope = np.convolve(level, np.ones(width) / width, mode="same")
    line = envelope.max() * 10 ** (-SILENCE_BELOW_DB / 20)
    loud = np.flatnonzero(envelope > line)
    if not len(loud):
        return 0, len(samples)
    start = max(0, int(loud[0]) - round(PRE_ROLL * rate))
    end = min(len(samples), int(loud[-1]) + 1 + round(TAIL * rate))
    return start, end


def fade_edges(samples: np.ndarray, fade_in: int, fade_out: int) -> np.ndarray:
    """A copy of (n, channels) `samples` with linear fades in and out over that many samples
    (each at most half its length)."""
    faded = samples.copy()
    for fade, edge in ((fade_in, slice(None, None)), (fade_out, slice(None, None, -1))):
        fade = min(fade, len(faded) // 2)
        if fade:
            ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)[:, None]
            faded[edge][:fade] *= ramp
    return faded


def faded(samples: np.ndarray, rate: int) -> np.ndarray:
    """A copy with a FADE_IN and a FADE_OUT, so it starts and ends at zero."""
    frames = samples.astype(np.float32).reshape(len(samples), -1)
    out = fade_edges(frames, round(FADE_IN * rate), round(FADE_OUT * rate))
    return out.reshape(samples.shape)


def level_gain_db(samples: np.ndarray, rate: int) -> float:
    """The gain that brings the loudest window to TARGET_DB with peaks at most
    MOST_LIMITING_DB over the limiter's ceiling."""
    peak = float(np.abs(samples).max())
    if peak <= 0:
        return 0.0
    to_target = TARGET_DB - loudest_window_db(samples, rate)
    return min(to_target, LIMIT_CEILING_DB + MOST_LIMITING_DB - 20 * np.log10(peak))


def limited(samples: np.ndarray, rate: int, ceiling_db: float) -> np.ndarray:
    """`samples` with every peak over `ceiling_db` held at it by a smooth look-ahead gain.

    The gain each sample needs is taken at its lowest over a window around it, then averaged
    over the same window: the average at a peak only holds values at most the peak's own
    need, so no sample passes the ceiling, and the gain moves smoothly, never a click."""
    frames = samples.reshape(len(samples), -1)
    ceiling = 10 ** (ceiling_db / 20)
    need = np.minimum(1.0, ceiling / np.maximum(np.abs(frames).max(axis=1), 1e-12))
    width = max(1, round(LIMITER_SECONDS * rate)) | 1
    half = width // 2
    padded = np.pad(need, half, constant_values=1.0)
    lowest = np.lib.stride_tricks.sliding_window_view(padded, width).min(axis=1)
    gain = np.convolve(np.pad(lowest, half, mode="edge"), np.ones(width) / width, "valid")
    return (frames * gain[:, None]).reshape(samples.shape)


def shaped(samples: np.ndarray, rate: int) -> np.ndarray:
    """`samples` ready to be an effect: DC removed, trimmed to its sound, faded, levelled
    (a peaky sound's attacks limited, so it sits as loud as the others)."""
    centred = without_dc(samples.astype(np.float64))
    start, end = sounding_span(centred, rate)
    trimmed = faded(centred[start:end], rate)
    levelled = trimmed * 10 ** (level_gain_db(trimmed, rate) / 20)
    return limited(levelled, rate, LIMIT_CEILING_DB).astype(np.float32)
