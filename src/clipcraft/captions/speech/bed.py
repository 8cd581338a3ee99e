"""Word starts held to the sound: Whisper times the first word after a pause from the pause's
start (its "He" at 0.0 s for a voice starting at 0.3 s), so a karaoke would light it early.

Each word's start moves to the first 10 ms of it that rise RISE_DB over the recording's
quietest fifth (the bed: a tap, a fan, the room). Measured against speech with known word
boundaries (bench/bench_speech.py): median drift 109 → 92 ms clean, 194 → 118 ms under a
running tap at 10 dB. Words are no longer dropped for not rising over the bed: Whisper with
its voice filter invents nothing from the beds, and under a bed at 0 dB that rule dropped real
words (word errors 22% → 38%).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from clipcraft.captions.speech.words import SPEECH_RATE, SpokenWord

QUIETEST = 20
"""Percent of frames, the quietest, whose level is the bed's."""
RISE_DB = 6.0
"""A word's sound starts where it stands this far over the bed."""
TICK = 0.01


def held_to_sound(words: Sequence[SpokenWord], samples: np.ndarray) -> list[SpokenWord]:
    """The words, each starting at its first tick that rises RISE_DB over the bed (where it
    has one; never later than its end)."""
    tick = round(TICK * SPEECH_RATE)
    count = len(samples) // tick
    if count == 0:
        return list(words)
    level = 10 * np.log10(
        np.mean(samples[: count * tick].reshape(count, tick) ** 2, axis=1) + 1e-12
    )
    over = level - np.percentile(level, QUIETEST) >= RISE_DB
    held = []
    for word in words:
        first = int(word.start / TICK)
        loud = np.flatnonzero(over[first : max(int(word.end / TICK), first + 1)])
        start = max(word.start, (first + int(loud[0])) * TICK) if len(loud) else word.start
        held.append(replace(word, start=round(min(start, word.end), 3)))
    return held
