"""The speech engines clipcraft can use, behind one interface, and choosing one.

An engine turns mono 16-kHz sound into words with their times, offline. pocketsphinx (the
`speech` extra) carries its own US-English model; faster-whisper, where the creator has it,
is far better and multilingual, with a model given by `--speech-model` (a folder, or a name
its library fetches once). Neither is imported until a clip asks for speech.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Protocol

import numpy as np

from clipcraft.captions.speech.denoise import above_bed
from clipcraft.captions.speech.transcript import group_words
from clipcraft.captions.speech.words import SPEECH_RATE, SpokenWord
from clipcraft.captions.subtitles import Cue
from clipcraft.errors import UsageError
from clipcraft.media.ffmpeg import read_mono
from clipcraft.media.named import named_folder

INSTALL = 'pip install "clipcraft[speech]"'


class Engine(Protocol):
    name: str

    def transcribe(self, samples: np.ndarray) -> list[SpokenWord]:
        """The words said in `samples` (mono floats at SPEECH_RATE), in order."""
        ...


def find_engine(model: str | None, language: str) -> Engine:
    """Whisper when a model is given, else pocketsphinx for English; one clear error saying
    what to install otherwise."""
    has_whisper = importlib.util.find_spec("faster_whisper") is not None
    if model is not None and (os.sep in model or Path(model).expanduser().exists()):
        named_folder(Path(model).expanduser(), "speech model folder")  # a name is not a path
    if model is not None:
        if not has_whisper:
            raise UsageError(
                f"--speech-model {model} needs faster-whisper, which is not installed",
                "pip install faster-whisper",
            )
        from clipcraft.captions.speech.whisper import WhisperEngine

        return WhisperEngine(model, language)
    if language == "en" and importlib.util.find_spec("pocketsphinx") is not None:
        from clipcraft.captions.speech.sphinx import SphinxEngine

        return SphinxEngine()
    if language != "en":
        raise UsageError(
            f"no speech engine here knows --speech-lang {language}: pocketsphinx is English only",
            "pip install faster-whisper, and give --speech-model (a Whisper model's folder "
            "or name, e.g. base)",
        )
    raise UsageError("--captions speech needs a speech engine, and none is installed", INSTALL)


def hear(path: str, start: float, end: float, model: str | None, language: str) -> list[Cue]:
    """The captions of what is said in `path` from `start` to `end` seconds, timed on it."""
    engine = find_engine(model, language)
    samples = read_mono(path, SPEECH_RATE, start, end - start)
    return group_words(words_heard(engine, samples), offset=start)


MOST_REPEATS = 4
"""A word said more times than this in a row is an engine looping on laughter ("ha ha ha…"
two hundred times, Whisper once did), not speech: the run is cut to this many."""


def words_heard(engine: Engine, samples: np.ndarray) -> list[SpokenWord]:
    """What `engine` hears in `samples`, but for the words that are only the noise bed and
    the end of a looping run."""
    kept: list[SpokenWord] = []
    run = 0
    for word in above_bed(engine.transcribe(samples), samples):
        same = bool(kept) and _bare(kept[-1].text) == _bare(word.text)
        run = run + 1 if same else 1
        if run <= MOST_REPEATS:
            kept.append(word)
    return kept


def _bare(text: str) -> str:
    return "".join(letter for letter in text.lower() if letter.isalnum())
