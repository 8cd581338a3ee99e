"""The steady noise bed under speech: the words an engine heard in it are left out.

A tap, a fan or an extractor hood is the same sound all along; the recording's quietest fifth
is its level, and a word that does not rise above it is the bed the decoder filled with words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from clipcraft.captions.speech.words import SPEECH_RATE, SpokenWord

QUIETEST = 20
"""Percent of frames, the quietest, whose level is the bed's."""
RISE_DB = 6.0
"""A word's loudest 10 ms stand at least this far over the bed, or it is the bed (a tap, a
fan) that the decoder heard words in."""
TICK = 0.01


def above_bed(words: Sequence[SpokenWord], samples: np.ndarray) -> list[SpokenWord]:
    """The words whose loudest moment rises RISE_DB over the recording's quietest fifth, each
    starting where its sound first does: Whisper times the first word after a pause from the
    pause's start (its "He" at 0.0 s for a voice starting at 0.3 s)."""
    tick = round(TICK * SPEECH_RATE)
    count = len(samples) // tick
    if count == 0:
        return list(words)
    level = 10 * np.log10(
        np.mean(samples[: count * tick].reshape(count, tick) ** 2, axis=1) + 1e-12
    )
    over = level - np.percentile(level, QUIETEST) >= RISE_DB
    kept = []
    for word in words:
        first = int(word.start / TICK)
        loud = np.flatnonzero(over[first : max(int(word.end / TICK), first + 1)])
        if len(loud):
            start = max(word.start, (first + int(loud[0])) * TICK)
            kept.append(replace(word, start=round(min(start, word.end), 3)))
    return kept
