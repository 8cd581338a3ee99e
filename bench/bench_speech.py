"""How well `--captions speech` hears: word error rate and word-time drift of each engine, on
real recordings with their known words, clean and under a kitchen's noise; and how many words
it invents from sounds that are not speech.

    python bench/bench_speech.py [--whisper MODEL]

The set (`../shared/media/speech`, test material, not shipped): the two voices of
faster-whisper's `stereo_diarization.wav` (one a channel, 5 s each) and the English half of
its `multilingual.mp3` (the MIT licence read aloud, 0–29.5 s). Each is heard clean and with a
noise bed from `../shared/media/sounds/beds` (a running tap, an exercise bike) mixed in at
10 dB and 0 dB speech-to-noise. Word-time drift is how far each word's start moves under the
noise from where the same engine put it on the clean recording (there are no hand-made
reference times). The non-speech set is every event of `../shared/media/sounds/events`
(laughter, coughs, clangs, door slams, drawers…) but its voices. pocketsphinx always runs;
faster-whisper only with `--whisper` (a model folder or name) and the library installed.
"""

from __future__ import annotations

import argparse
import difflib
import re
from pathlib import Path

import numpy as np

from clipcraft.captions.speech.engines import Engine, words_heard
from clipcraft.captions.speech.sphinx import SphinxEngine
from clipcraft.captions.speech.words import SPEECH_RATE, SpokenWord
from clipcraft.media.ffmpeg import read_mono

SHARED = Path(__file__).resolve().parents[2] / "shared" / "media"
MIT = (
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
    "software and associated documentation files (the Software), to deal in the Software "
    "without restriction, including without limitation the rights to use, copy, modify, "
    "merge, publish, distribute, sublicense, and/or sell copies of the Software, and to "
    "permit persons to whom the Software is furnished to do so, subject to the following "
    "conditions: The above copyright notice and this permission notice shall be included in "
    "all copies or substantial portions of the Software."
)
LEFT = (
    "He began a confused complaint against the wizard, who had vanished behind the curtain "
    "on the left."
)
RIGHT = "The horizon seems extremely distant."


def words_of(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]", " ", text.lower().replace("/", " ")).split()


def word_errors(heard: list[str], said: list[str]) -> int:
    """Substitutions, insertions and deletions between the two word lists."""
    row = list(range(len(heard) + 1))
    for i, word in enumerate(said, 1):
        previous, row[0] = row[0], i
        for j, guess in enumerate(heard, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != guess))
    return row[-1]


def recordings() -> dict[str, tuple[np.ndarray, str]]:
    stereo = SHARED / "speech" / "stereo_diarization.wav"
    both = read_stereo(stereo)
    english = read_mono(str(SHARED / "speech" / "multilingual.mp3"), SPEECH_RATE, 0.0, 29.5)
    return {
        "voice, left": (both[:, 0], LEFT),
        "voice, right": (both[:, 1], RIGHT),
        "MIT licence": (english, MIT),
    }


def read_stereo(path: Path) -> np.ndarray:
    from clipcraft.media.ffmpeg import ffmpeg_command, run_ffmpeg

    command = ffmpeg_command(
        "-loglevel", "error", "-i", str(path), "-ar", str(SPEECH_RATE), "-ac", "2",
        "-f", "f32le", "pipe:1",
    )  # fmt: skip
    return np.frombuffer(run_ffmpeg(command, "reading"), np.float32).reshape(-1, 2)


def with_noise(speech: np.ndarray, bed: np.ndarray, snr_db: float) -> np.ndarray:
    """`speech` with `bed` under it at `snr_db` (RMS over the whole recording)."""
    noise = np.resize(bed, len(speech))
    gain = np.sqrt(np.mean(speech**2) / max(np.mean(noise**2), 1e-12)) / 10 ** (snr_db / 20)
    return (speech + gain * noise).astype(np.float32)


def drift(clean: list[SpokenWord], noisy: list[SpokenWord]) -> list[float]:
    """How far each word heard in both moved (seconds): words matched in order, in runs of
    two or more (a lone "the" matched across the recording is not the same word)."""
    matcher = difflib.SequenceMatcher(a=[w.text for w in clean], b=[w.text for w in noisy])
    return [
        abs(clean[block.a + k].start - noisy[block.b + k].start)
        for block in matcher.get_matching_blocks()
        if block.size >= 2
        for k in range(block.size)
    ]


def measure(engine: Engine) -> None:
    beds = {
        name: read_mono(str(SHARED / "sounds" / "beds" / f"{name}.wav"), SPEECH_RATE)
        for name in ("running_tap", "exercise_bike")
    }
    conditions: list[tuple[str, str | None, float]] = [("clean", None, 0.0)]
    conditions += [(f"{bed} {snr:g} dB", bed, snr) for bed in beds for snr in (10.0, 0.0)]
    print(f"## {engine.name}\n")
    print("| condition | word error rate | words | median / 90th-percentile word-time drift |")
    print("|---|---|---|---|")
    sets = recordings()
    clean_words = {name: words_heard(engine, samples) for name, (samples, _) in sets.items()}
    for label, bed, snr in conditions:
        errors = total = 0
        moved: list[float] = []
        for name, (samples, said) in sets.items():
            heard = (
                clean_words[name]
                if bed is None
                else words_heard(engine, with_noise(samples, beds[bed], snr))
            )
            errors += word_errors(words_of(" ".join(w.text for w in heard)), words_of(said))
            total += len(words_of(said))
            moved += drift(clean_words[name], heard)
        times = "(the reference)" if bed is None else "no run of words in common"
        if bed is not None and moved:
            times = f"{np.median(moved):.2f} / {np.percentile(moved, 90):.2f} s ({len(moved)})"
        print(f"| {label} | {errors / total:.0%} | {total} | {times} |")
    events = [  # the speech*.wav there are voices: distractors for the finder, not for this
        path
        for path in sorted((SHARED / "sounds" / "events").iterdir())
        if path.suffix in (".wav", ".ogg", ".mp3", ".flac") and not path.name.startswith("speech")
    ]
    invented = {
        path.name: [w.text for w in words_heard(engine, read_mono(str(path), SPEECH_RATE))]
        for path in events
    }
    talking = [name for name, heard in invented.items() if heard]
    count = sum(len(heard) for heard in invented.values())
    print(f"\nnot speech: {count} words invented from {len(talking)} of {len(events)} sounds")
    for name in talking:
        print(f"  {name}: {' '.join(invented[name])}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--whisper", metavar="MODEL", help="also measure faster-whisper")
    args = parser.parse_args()
    measure(SphinxEngine())
    if args.whisper:
        from clipcraft.captions.speech.whisper import WhisperEngine

        measure(WhisperEngine(args.whisper, "en"))


if __name__ == "__main__":
    main()
