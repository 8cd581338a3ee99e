"""faster-whisper: Whisper's models on the CPU, multilingual and far better than pocketsphinx,
where the creator has it (its model from `--speech-model`: a folder, or a name its library
fetches once)."""

from __future__ import annotations

from typing import Any

import numpy as np

from clipcraft.captions.speech.words import SpokenWord

NOT_SPEECH = 0.6
"""A segment Whisper itself thinks more likely than this to hold no speech is left out: its
"Thank you." over a cough or a knock (0.76–0.85 on the shared events; real speech 0.01)."""


class WhisperEngine:
    name = "faster-whisper"

    def __init__(self, model: str, language: str) -> None:
        self.model, self.language = model, language

    def transcribe(self, samples: np.ndarray) -> list[SpokenWord]:
        from faster_whisper import WhisperModel

        whisper: Any = WhisperModel(str(self.model), device="cpu", compute_type="int8")
        segments, _ = whisper.transcribe(
            samples.astype(np.float32),
            language=self.language,
            word_timestamps=True,
            vad_filter=True,  # else the first word after a silence is timed from 0
            compression_ratio_threshold=None,  # "it's fine, it's fine…" is not a loop
            condition_on_previous_text=False,
        )
        return [
            SpokenWord(word.word.strip(), round(word.start, 3), round(word.end, 3))
            for segment in segments
            if segment.no_speech_prob <= NOT_SPEECH
            for word in segment.words or ()
            if word.word.strip()
        ]
