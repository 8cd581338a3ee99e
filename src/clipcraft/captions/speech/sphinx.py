"""pocketsphinx: small, English only, no network; its wheel carries the model."""

from __future__ import annotations

import re

import numpy as np

from clipcraft.captions.speech.denoise import without_bed
from clipcraft.captions.speech.words import SPEECH_RATE, SpokenWord

UNSURE = 0.3
"""Words the decoder itself gives less than this posterior are left out: on clatter and
laughter its guesses are short words it does not believe."""
LONGEST_WORD = 1.5
"""Seconds: a "word" held longer is a running tap or a fan the decoder filled with one."""
_ALTERNATE = re.compile(r"\(\d+\)$")


class SphinxEngine:
    name = "pocketsphinx"

    def transcribe(self, samples: np.ndarray) -> list[SpokenWord]:
        from pocketsphinx import Decoder

        decoder = Decoder(samprate=SPEECH_RATE, loglevel="FATAL")
        frame_rate = float(decoder.config["frate"])
        pcm = (np.clip(without_bed(samples), -1.0, 1.0) * 32767).astype("<i2").tobytes()
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        heard = [
            SpokenWord(
                _ALTERNATE.sub("", segment.word),
                round(segment.start_frame / frame_rate, 3),
                round((segment.end_frame + 1) / frame_rate, 3),
            )
            for segment in decoder.seg()
            if segment.word[0] not in "<[" and segment.prob >= UNSURE
        ]
        return [word for word in heard if word.end - word.start <= LONGEST_WORD]
