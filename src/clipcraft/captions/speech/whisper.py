"""Whisper through faster-whisper, on the CPU: the engine `--captions speech` uses.

A model is loaded once per process and kept, by its folder: every clip of a batch that a
worker makes after its first pays no load (each local worker and each Dask worker keeps its
own). Only a folder is ever given to faster-whisper, and the hub is switched off before it is
imported, so nothing is fetched.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import numpy as np

from clipcraft.captions.speech.words import SpokenWord
from clipcraft.errors import UsageError

NOT_SPEECH = 0.6
"""A segment Whisper itself thinks more likely than this to hold no speech is left out."""
DOUBTFUL_SPEECH, UNSURE_LOGPROB, LOOPING = 0.3, -0.6, 2.4
"""…and one it doubts (this likely to hold no speech) with words either unlikely (their
tokens' mean log-probability this low) or looping (compressing this well, Whisper's own
line). This is Whisper's own rule for silence (0.6 and −1.0), tighter: its "Thank you." over
a cough, a knock or laughter, "Come on.", "Yuck!" over a clearing throat scored 0.35–0.85 and
−0.67 to −1.38; base's "We're going to be going to be…" (226 words in a second of a clearing
throat) 0.44 and a ratio of 28; real speech, clean, at most 0.06 and at least −0.49."""


THREADS = min(4, os.cpu_count() or 1)
"""faster-whisper's own default, 4, or fewer where the machine has fewer cores."""


@functools.cache
def loaded(folder: Path) -> Any:
    """The model in `folder`, loaded by the first clip of this process that asks for it and
    kept for the others (a failed load is not kept)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: a folder never asks
    from faster_whisper import WhisperModel

    try:
        return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=THREADS)
    except (RuntimeError, ValueError, OSError) as error:
        raise UsageError(
            f"--speech-model {folder} could not be loaded: {error}",
            "give a faster-whisper (CTranslate2) model folder",
        ) from None


class WhisperEngine:
    name = "faster-whisper"

    def __init__(self, folder: Path, language: str) -> None:
        self.folder, self.language = folder, language
        self.model = loaded(folder)

    def transcribe(self, samples: np.ndarray) -> list[SpokenWord]:
        segments, _ = self.model.transcribe(
            samples.astype(np.float32),
            language=self.language,
            word_timestamps=True,
            vad_filter=True,  # else the first word after a silence is timed from 0
            compression_ratio_threshold=None,  # "it's fine, it's fine…" is not a loop
            temperature=0.0,  # no sampling when unsure: the same words every time
            condition_on_previous_text=False,
        )
        return [
            SpokenWord(word.word.strip(), round(word.start, 3), round(word.end, 3))
            for segment in segments
            if not _not_speech(segment)
            for word in segment.words or ()
            if word.word.strip()
        ]


def _not_speech(segment: Any) -> bool:
    if segment.no_speech_prob > NOT_SPEECH:
        return True
    odd = segment.avg_logprob <= UNSURE_LOGPROB or segment.compression_ratio > LOOPING
    return bool(segment.no_speech_prob >= DOUBTFUL_SPEECH and odd)
