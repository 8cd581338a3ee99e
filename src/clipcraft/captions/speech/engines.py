"""Hearing speech: the engine behind one interface, made ready before anything is rendered,
and what it hears in a window of a clip.

An engine turns mono 16-kHz sound into words with their times, offline. Whisper (through
faster-whisper, the `speech` extra) is the one clipcraft uses; the interface lets a test or the
benchmark hear with another. pocketsphinx, the engine before it, was dropped: 29% of the words
wrong in a quiet room and 78% under a running tap, against Whisper tiny.en's 9% and 8%.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from clipcraft.captions.speech.bed import held_to_sound
from clipcraft.captions.speech.models import model_folder
from clipcraft.captions.speech.transcript import group_words
from clipcraft.captions.speech.whisper import WhisperEngine
from clipcraft.captions.speech.words import SPEECH_RATE, SpokenWord
from clipcraft.captions.subtitles import Cue
from clipcraft.media.ffmpeg import read_mono


class Engine(Protocol):
    name: str

    def transcribe(self, samples: np.ndarray) -> list[SpokenWord]:
        """The words said in `samples` (mono floats at SPEECH_RATE), in order."""
        ...


def find_engine(model: str | None, language: str) -> Engine:
    """Whisper with the model named or given (or the packaged one for `language`), checked and
    loaded; one clear error saying what to install or give otherwise."""
    return WhisperEngine(model_folder(model, language), language)


def hear(engine: Engine, path: str, start: float, end: float) -> list[Cue]:
    """The captions of what is said in `path` from `start` to `end` seconds, timed on it."""
    samples = read_mono(path, SPEECH_RATE, start, end - start)
    return group_words(words_heard(engine, samples), offset=start)


MOST_REPEATS = 4
"""A word said more times than this in a row is an engine looping on laughter ("ha ha ha…"
two hundred times, Whisper once did), not speech: the run is cut to this many."""


def words_heard(engine: Engine, samples: np.ndarray) -> list[SpokenWord]:
    """What `engine` hears in `samples`, each word's start held to its sound, but for the end
    of a looping run."""
    kept: list[SpokenWord] = []
    run = 0
    for word in held_to_sound(engine.transcribe(samples), samples):
        same = bool(kept) and _bare(kept[-1].text) == _bare(word.text)
        run = run + 1 if same else 1
        if run <= MOST_REPEATS:
            kept.append(word)
    return kept


def _bare(text: str) -> str:
    return "".join(letter for letter in text.lower() if letter.isalnum())
