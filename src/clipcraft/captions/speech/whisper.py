"""faster-whisper: Whisper's models on the CPU, multilingual and far better than pocketsphinx,
where the creator has it (its model from `--speech-model`: a folder, or a name its library
fetches once)."""

from __future__ import annotations

from typing import Any

import numpy as np

from clipcraft.captions.speech.words import SpokenWord


class WhisperEngine:
    name = "faster-whisper"

    def __init__(self, model: str, language: str) -> None:
        self.model, self.language = model, language

    def transcribe(self, samples: np.ndarray) -> list[SpokenWord]:
        from faster_whisper import WhisperModel

        whisper: Any = WhisperModel(self.model, device="cpu", compute_type="int8")
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
            for word in segment.words or ()
            if word.word.strip()
        ]
