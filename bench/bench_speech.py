"""How well `--captions speech` hears: word error rate of each packaged Whisper model on real
recordings with their known words, clean and under a kitchen's noise; the words it invents
from sounds that are not speech; how far its word times drift from true ones; and how long a
clip takes with the model loaded, and a batch's model loads.

    python bench/bench_speech.py [--models tiny.en base]

The set (`../shared/media/speech`, test material, not shipped): the two voices of
faster-whisper's `stereo_diarization.wav` (one a channel, 5 s each) and the English half of
its `multilingual.mp3` (the MIT licence read aloud, 0–29.5 s), 109 words. Each is heard clean
and with a noise bed from `../shared/media/sounds/beds` (a running tap, an exercise bike)
mixed in at 10 dB and 0 dB speech-to-noise. The non-speech set is every event of
`../shared/media/sounds/events` (laughter counted apart) but its voices. Word times are
checked against speech whose word boundaries are known because it is built so: espeak-ng
(`apt install espeak-ng`) says each word of four kitchen sentences alone, and the words are
laid end to end with pauses of known length (clean, and under the tap at 20 dB: at 10 dB
tiny.en hears none of this robot's words right, and drops them as doubtful).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from clipcraft.captions.speech.engines import Engine, words_heard
from clipcraft.captions.speech.models import model_folder
from clipcraft.captions.speech.whisper import WhisperEngine, loaded
from clipcraft.captions.speech.words import SPEECH_RATE, SpokenWord
from clipcraft.media.ffmpeg import ffmpeg_command, read_mono, run_ffmpeg

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
KITCHEN = (
    "Oh no the pan is on fire again",
    "I told you to grease the tray before baking the bread",
    "Quick grab the towel and turn off the stove",
    "Well that was a disaster but the cake still tastes good",
)
"""Said by espeak-ng a word at a time: the word times reference."""
WORD_GAP, SENTENCE_GAP = 0.12, 0.6
CLIP = 11.0
BATCH = 5


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
    command = ffmpeg_command(
        "-loglevel", "error", "-i", str(SHARED / "speech" / "stereo_diarization.wav"),
        "-ar", str(SPEECH_RATE), "-ac", "2", "-f", "f32le", "pipe:1",
    )  # fmt: skip
    both = np.frombuffer(run_ffmpeg(command, "reading"), np.float32).reshape(-1, 2)
    english = read_mono(str(SHARED / "speech" / "multilingual.mp3"), SPEECH_RATE, 0.0, 29.5)
    return {
        "voice, left": (both[:, 0].copy(), LEFT),
        "voice, right": (both[:, 1].copy(), RIGHT),
        "MIT licence": (english, MIT),
    }


def with_noise(speech: np.ndarray, bed: np.ndarray, snr_db: float) -> np.ndarray:
    """`speech` with `bed` under it at `snr_db` (RMS over the whole recording)."""
    noise = np.resize(bed, len(speech))
    gain = np.sqrt(np.mean(speech**2) / max(np.mean(noise**2), 1e-12)) / 10 ** (snr_db / 20)
    return (speech + gain * noise).astype(np.float32)


def said_word(word: str, folder: Path) -> np.ndarray:
    """`word` as espeak-ng says it alone, its silence before and after cut off."""
    wav = folder / f"{word}.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(wav), word], check=True)
    samples = read_mono(str(wav), SPEECH_RATE)
    sounding = np.flatnonzero(np.abs(samples) > 0.02 * np.abs(samples).max())
    return samples[sounding[0] : sounding[-1] + 1]


def timed_speech() -> tuple[np.ndarray, list[SpokenWord]]:
    """The kitchen sentences said a word at a time, and each word's true start and end."""
    pieces: list[np.ndarray] = [np.zeros(int(0.5 * SPEECH_RATE), np.float32)]
    truth: list[SpokenWord] = []
    at = 0.5
    with tempfile.TemporaryDirectory() as folder:
        for sentence in KITCHEN:
            for index, word in enumerate(sentence.split()):
                gap = SENTENCE_GAP if index == 0 and truth else WORD_GAP
                pieces.append(np.zeros(int(gap * SPEECH_RATE), np.float32))
                at += int(gap * SPEECH_RATE) / SPEECH_RATE
                sound = said_word(word, Path(folder))
                truth.append(SpokenWord(word.lower(), at, at + len(sound) / SPEECH_RATE))
                pieces.append(sound)
                at += len(sound) / SPEECH_RATE
    pieces.append(np.zeros(int(0.5 * SPEECH_RATE), np.float32))
    return np.concatenate(pieces).astype(np.float32), truth


def drift(truth: list[SpokenWord], heard: list[SpokenWord]) -> list[float]:
    """How far each heard word's start is from its true start (seconds), words matched in
    order by their text."""
    matcher = difflib.SequenceMatcher(
        a=[w.text for w in truth], b=[" ".join(words_of(w.text)) for w in heard]
    )
    return [
        abs(truth[block.a + k].start - heard[block.b + k].start)
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    ]


def seconds(work: Callable[[], object], repeats: int = 3) -> float:
    """The median wall time of `work`."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return float(np.median(times))


def error_rates(engine: Engine, beds: dict[str, np.ndarray]) -> None:
    conditions: list[tuple[str, str | None, float]] = [("clean", None, 0.0)]
    conditions += [(f"{bed} {snr:g} dB", bed, snr) for bed in beds for snr in (10.0, 0.0)]
    sets = recordings()
    row = []
    for _, bed, snr in conditions:
        errors = total = 0
        for samples, said in sets.values():
            heard = words_heard(
                engine, samples if bed is None else with_noise(samples, beds[bed], snr)
            )
            errors += word_errors(words_of(" ".join(w.text for w in heard)), words_of(said))
            total += len(words_of(said))
        row.append(f"{errors / total:.0%}")
    print("| " + " | ".join(label for label, _, _ in conditions) + f" | ({total} words)")
    print("| " + " | ".join(row) + " |")


def invented(engine: Engine) -> None:
    events = [  # the speech*.wav there are voices: distractors for the finder, not for this
        path
        for path in sorted((SHARED / "sounds" / "events").iterdir())
        if path.suffix in (".wav", ".ogg") and not path.name.startswith("speech")
    ]
    heard = {
        path.name: [w.text for w in words_heard(engine, read_mono(str(path), SPEECH_RATE))]
        for path in events
    }
    for laughter in (False, True):
        named = {
            name: words
            for name, words in heard.items()
            if words and name.startswith("laughter") == laughter
        }
        kind = "laughter" if laughter else "other sounds"
        total = sum(1 for name in heard if name.startswith("laughter") == laughter)
        count = sum(len(words) for words in named.values())
        print(f"not speech, {kind}: {count} words from {len(named)} of {total} sounds")
        for name, words in named.items():
            print(f"  {name}: {' '.join(words)}")


def timing(engine: WhisperEngine, beds: dict[str, np.ndarray]) -> None:
    speech, truth = timed_speech()
    print(
        f"word times against espeak-ng's ({len(truth)} words, {len(speech) / SPEECH_RATE:.1f} s):"
    )
    for label, samples in (
        ("clean", speech),
        ("running tap 20 dB", with_noise(speech, beds["running_tap"], 20.0)),
    ):
        for how, heard in (
            ("Whisper's own", engine.transcribe(samples)),
            ("held to the sound", words_heard(engine, samples)),
        ):
            moved = drift(truth, heard)
            if not moved:
                print(f"  {label}, {how}: no word heard right")
                continue
            print(
                f"  {label}, {how}: drift median {np.median(moved) * 1000:.0f} ms, 90th "
                f"percentile {np.percentile(moved, 90) * 1000:.0f} ms ({len(moved)} words)"
            )


def speed(engine: WhisperEngine, folder: Path) -> None:
    clip = read_mono(str(SHARED / "speech" / "multilingual.mp3"), SPEECH_RATE, 0.0, CLIP)
    engine.transcribe(clip)  # warm
    hearing = seconds(lambda: engine.transcribe(clip))
    print(
        f"an {CLIP:g}-s clip, model loaded: {hearing:.2f} s ({hearing / CLIP:.2f}× real time), "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    voice = recordings()["voice, left"][0]

    def each_loads() -> None:  # what a worker did before: a model loaded for every clip
        for _ in range(BATCH):
            loaded.cache_clear()
            WhisperEngine(folder, "en").transcribe(voice)

    def loaded_once() -> None:
        for _ in range(BATCH):
            WhisperEngine(folder, "en").transcribe(voice)

    rounds = [(seconds(each_loads, 1), seconds(loaded_once, 1)) for _ in range(3)]
    before, after = (float(np.median(times)) for times in zip(*rounds, strict=True))
    print(
        f"{BATCH} clips of 5 s in one worker (median of 3 rounds, alternated): {before:.1f} s "
        f"loading the model for each, {after:.1f} s loaded once ({after / before:.2f}×)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    args = parser.parse_args()
    beds = {
        name: read_mono(str(SHARED / "sounds" / "beds" / f"{name}.wav"), SPEECH_RATE)
        for name in ("running_tap", "exercise_bike")
    }
    for name in args.models:
        folder = model_folder(name, "en")
        started = time.perf_counter()
        loaded(folder)
        load = time.perf_counter() - started
        engine = WhisperEngine(folder, "en")
        print(f"## Whisper {name} (loaded in {load:.2f} s)\n")
        error_rates(engine, beds)
        print()
        invented(engine)
        timing(engine, beds)
        speed(engine, folder)
        print()


if __name__ == "__main__":
    main()
