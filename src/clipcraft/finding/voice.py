"""How voice-like a sound is: pitched and sustained (speech, a shout, a scream, some laughter)
rather than a hit's noise that dies away (a drop, a slam, breaking glass, a knock).

A voice is a shout or a reaction, not the mishap itself, though a reaction right after a hit
says that something just happened. Voicing is measured as YIN does (de Cheveigné and
Kawahara, 2002): in each short frame, how nearly the sound repeats itself at some period of a
human voice's pitch (the cumulative-mean-normalised difference at its deepest dip). A voiced
frame repeats nearly exactly; a crash, a clatter or a thump does not, and neither does the
low boom of a door, whose period is longer than a voice's. An onset is voice-like when most
of the loud frames that follow it are voiced.
"""

from __future__ import annotations

import numpy as np

FRAME_SECONDS = 0.04
"""Long enough for two periods of a low voice (70 Hz)."""
PITCH_HZ = (70.0, 800.0)
"""The periods looked for: a deep voice's to a child's scream."""
VOICED = 0.25
"""A frame whose deepest normalised difference is under this repeats itself: it is voiced."""
AFTER_SECONDS = 0.35
"""An onset's voicing is judged over this much sound after it."""
HELD_DB = 10.0
"""A voice holds its level: only frames within this of the loudest after the onset count as
voiced (a struck tray rings at a pitch too, but dies away)."""
VOICE_LIKE = 0.3
"""An onset is voice-like when at least this share of the frames after it are voiced and held."""
CHUNK = 2048
"""Frames analysed at once, to bound memory on a long clip."""


def voicing(samples: np.ndarray, rate: int, hop: float) -> np.ndarray:
    """Per `hop` seconds of `samples`: how nearly the frame starting there repeats at a voice's
    period (1 − the deepest cumulative-mean-normalised difference; above 1 − VOICED is voiced)."""
    length, step = round(FRAME_SECONDS * rate), round(hop * rate)
    count = max((len(samples) - length) // step + 1, 0)
    shortest, longest = round(rate / PITCH_HZ[1]), round(rate / PITCH_HZ[0])
    out = np.zeros(len(samples) // step if step else 0)
    starts = np.arange(count) * step
    for first in range(0, count, CHUNK):
        index = starts[first : first + CHUNK, None] + np.arange(length)
        frames = samples[index].astype(np.float64)
        frames -= frames.mean(axis=1, keepdims=True)
        spectrum = np.fft.rfft(frames, 2 * length, axis=1)
        correlation = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, :length]
        energy = np.cumsum(frames**2, axis=1)
        total = energy[:, -1:]
        lags = np.arange(1, length)
        # d(τ) = Σ x[t]² over the first n−τ + Σ x[t]² over the last n−τ − 2·r(τ)
        head = energy[:, length - 1 - lags]
        tail = total - energy[:, lags - 1]
        difference = np.maximum(head + tail - 2 * correlation[:, lags], 0.0)
        normalised = difference * lags / np.maximum(np.cumsum(difference, axis=1), 1e-12)
        deepest = normalised[:, shortest - 1 : longest].min(axis=1)
        silent = total[:, 0] < 1e-9
        out[first : first + len(frames)] = np.where(silent, 0.0, 1.0 - deepest)
    return out


def voiced_share(voiced: np.ndarray, level_db: np.ndarray, index: int, hop: float) -> float:
    """Of the frames in the AFTER_SECONDS from `index`, the share that are voiced and held
    within HELD_DB of the loudest of them."""
    span = slice(index, index + max(round(AFTER_SECONDS / hop), 1))
    levels, frames = level_db[span], voiced[span]
    if len(levels) == 0:
        return 0.0
    return float(((frames > 1.0 - VOICED) & (levels > levels.max() - HELD_DB)).mean())
