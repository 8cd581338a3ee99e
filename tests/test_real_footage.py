"""Finding the moment in footage people shot (#41): picture events, voices, a confidence that
means something; on tiny made clips and signals, and on the shared real videos when present."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from clipcraft.finding.confidence import confidence, likeness
from clipcraft.finding.moment import AUDIO_RATE, HOP, band_energies, find_moment
from clipcraft.finding.picture import picture_events
from clipcraft.finding.voice import VOICE_LIKE, voiced_share, voicing
from clipcraft.media.probe import probe

from helpers import clipcraft
from shared import shared_media

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import moment_realvideo
from moment_set import FPS, RATE, picture, write_clip

pytestmark = pytest.mark.media  # every test here makes or reads media


def _voice_likeness(signal: np.ndarray) -> float:
    """How voice-like `signal` (at AUDIO_RATE) is from its loudest start."""
    whole, _, _ = band_energies(signal)
    onset = int(np.argmax(whole > whole.max() - 20))
    return voiced_share(voicing(signal, AUDIO_RATE, HOP), whole, onset, HOP)


def _tone(seconds: float, decay: float, rate: int = AUDIO_RATE) -> np.ndarray:
    """A 180-Hz voice-like tone with its harmonics and a slow vibrato, decaying at `decay`/s."""
    t = np.arange(int(seconds * rate)) / rate
    phase = 2 * np.pi * (180 * t + 0.3 * np.sin(2 * np.pi * 5 * t))
    return sum(np.sin(k * phase) / k for k in range(1, 10)) * np.exp(-decay * t)


def test_a_held_pitched_sound_is_voice_like_a_crash_or_a_ringing_tray_is_not() -> None:
    rng = np.random.default_rng(3)
    t = np.arange(int(0.6 * AUDIO_RATE)) / AUDIO_RATE
    shout = _tone(0.6, decay=0.5)
    crash = rng.normal(0, 1, len(t)) * np.exp(-t * 12)
    tray = _tone(0.6, decay=25.0)  # pitched, but it dies away
    assert _voice_likeness(shout) >= VOICE_LIKE
    assert _voice_likeness(crash) < VOICE_LIKE / 3
    assert _voice_likeness(tray) < VOICE_LIKE


def test_most_of_the_picture_changing_at_once_is_a_picture_event() -> None:
    calm = np.full((30, 16), 0.005) + np.random.default_rng(0).uniform(0, 0.002, (30, 16))
    cells = calm.copy()
    cells[5, 3] = 0.3  # something falling in one corner: action, not an event
    cells[12, :] = 0.2  # a cut: every cell at once
    cells[20:24, 2] = [0.1, 0.15, 0.2, 0.2]  # a hand coming in ...
    cells[22:26, :12] = 0.25  # ... and covering most of the lens
    events = picture_events(cells)
    assert not events[5] and events[12] and not events[11] and not events[13]
    assert events[22:26].all() and events[20:22].all(), "the hand on its way belongs to it"
    assert not events[:5].any() and not events[27:].any()


def test_rivals_count_by_how_alike_they_sound() -> None:
    rng = np.random.default_rng(5)
    hop = int(HOP * AUDIO_RATE)
    quiet = rng.normal(0, 0.001, 20 * hop)
    low = np.convolve(rng.normal(0, 1, 10 * hop), np.ones(40) / 40, "same")  # a thud
    high = np.diff(rng.normal(0, 1, 10 * hop + 1))  # a hiss
    _, _, bands = band_energies(np.concatenate([quiet, low, quiet, low, quiet, high, quiet]))
    thud, again, hiss = 20, 50, 80
    assert likeness(bands, thud, again, HOP) > 0.9
    assert likeness(bands, thud, hiss, HOP) < 0.3
    # strength alone, then three alike rivals as strong, then one unlike rival
    assert confidence(8.0, []) == 1.0
    assert confidence(8.0, [1.0, 1.0, 1.0]) == 0.25
    assert confidence(4.0, [0.2]) == pytest.approx(0.5 / 1.2, abs=0.01)


def _covered_at(frames: Iterator[np.ndarray], at: float) -> Iterator[np.ndarray]:
    """The frames with a hand sweeping over the lens from `at`: dark, from the left, in 0.2 s."""
    for index, frame in enumerate(frames):
        over = (index / FPS - at) / 0.2
        if over > 0:
            frame = frame.copy()
            frame[:, : int(frame.shape[1] * min(over, 1.0))] = (60, 40, 35)
        yield frame


def test_a_hand_over_the_lens_is_never_the_moment(tmp_path: Path) -> None:
    duration, crash, hand = 7.0, 2.0, 5.0
    t = np.arange(int(duration * RATE)) / RATE
    noise = np.random.default_rng(1).normal(0, 1, len(t))
    sound = 0.002 * noise + sum(
        level * noise * np.exp(-np.maximum(t - at, 0) * 8) * (t >= at)
        for at, level in ((crash, 0.05), (hand, 0.4))  # the hand knocks the phone louder
    )
    frames = _covered_at(picture(duration, crash, seed=2, shaking=lambda t: False), hand)
    moment = find_moment(probe(write_clip(tmp_path / "hand.mp4", frames, sound)))
    assert moment.time == pytest.approx(crash, abs=0.3)
    knock = min(moment.candidates, key=lambda c: abs((c.heard or -1) - hand))
    assert knock.picture_event and knock.score == 0.0


def test_auto_ends_the_reel_before_a_hand_covers_the_lens(tmp_path: Path) -> None:
    """The crash at 2.5 s, a commotion until 6.5 s, a hand over the lens from 5.8 s: --auto
    would keep the whole commotion, but the reel ends on the scene, not on the palm."""
    duration, crash, hand = 9.0, 2.5, 5.8
    t = np.arange(int(duration * RATE)) / RATE
    noise = np.random.default_rng(4).normal(0, 1, len(t))
    commotion = (t > crash + 0.1) & (t < 6.5)
    bang = noise * np.exp(-np.maximum(t - crash, 0) * 8) * (t >= crash)
    sound = 0.002 * noise + 0.1 * bang + 0.03 * noise * commotion
    frames = _covered_at(picture(duration, crash, seed=3, shaking=lambda t: False), hand)
    clip = write_clip(tmp_path / "covered.mp4", frames, sound)
    result = clipcraft("make", clip, "--auto", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    length = next(d for d in plan["decisions"] if d["setting"] == "duration")
    assert "taken to end where its picture breaks" in length["why"], length
    fail = [segment for segment in plan["segments"] if segment["role"] == "fail"]
    assert fail[0]["source_start"] < crash < fail[-1]["source_end"] <= hand + 0.05, fail
    # the moment typed in: decided around it, still short of the hand, and said so
    typed = clipcraft("make", clip, "--auto", "--at", crash, "--duration", 8, "--dry-run", "--json")
    plan = json.loads(typed.stdout)
    fail = [segment for segment in plan["segments"] if segment["role"] == "fail"]
    assert fail[-1]["source_end"] <= hand + 0.05, fail
    assert any(d["setting"] == "beats.punch_in" and d["value"] for d in plan["decisions"])
    assert any("where its picture breaks" in warning for warning in plan["warnings"])


def test_a_shout_before_the_mishap_is_not_the_mishap(tmp_path: Path) -> None:
    """Someone shouts at 1.5 s as a bowl goes over, louder than the crash at 4.5 s where the
    other bowl falls: the picture moves as much at both, the voice is no mishap by itself."""
    duration, shout, crash = 7.0, 1.5, 4.5
    t = np.arange(int(duration * RATE)) / RATE
    noise = np.random.default_rng(6).normal(0, 1, len(t))
    voice = np.pad(_tone(0.6, decay=0.5, rate=RATE), (int(shout * RATE), 0))[: len(t)]
    voice = np.pad(voice, (0, len(t) - len(voice)))
    bang = noise * np.exp(-np.maximum(t - crash, 0) * 8) * (t >= crash)
    first = picture(duration, shout, seed=7, shaking=lambda t: False)
    second = picture(duration, crash, seed=7, shaking=lambda t: False)
    frames = (a if i / FPS < 3.0 else b for i, (a, b) in enumerate(zip(first, second, strict=True)))
    path = write_clip(tmp_path / "shout.mp4", frames, 0.002 * noise + 0.3 * voice + 0.08 * bang)
    moment = find_moment(probe(path))
    assert moment.time == pytest.approx(crash, abs=0.3)
    shouted = min(moment.candidates, key=lambda c: abs((c.heard or -1) - shout))
    assert shouted.voice >= VOICE_LIKE and shouted.sound > moment.candidates[0].sound


def test_alike_hits_with_nothing_falling_warn_and_still_place_the_window(tmp_path: Path) -> None:
    """Steady chopping: six alike knocks, a spoon stirring, nothing falling."""
    duration = 7.0
    t = np.arange(int(duration * RATE)) / RATE
    noise = np.random.default_rng(4).normal(0, 1, len(t))
    chops = sum(
        0.2 * noise * np.exp(-np.maximum(t - at, 0) * 30) * (t >= at)
        for at in (1.2, 2.2, 3.2, 4.2, 5.2, 6.2)
    )
    frames = picture(duration, duration + 5, seed=3, shaking=lambda t: False)
    path = write_clip(tmp_path / "chopping.mp4", frames, 0.002 * noise + chops)
    result = clipcraft(
        "make", path, "--duration", 3, "--dry-run", "--json", "-o", tmp_path / "o.mp4"
    )
    assert result.exit_code == 0
    assert "no clear mishap: give --at" in result.stderr
    plan = json.loads(result.stdout)
    moment_on_source = plan["segments"][0]["source_start"] + plan["moment"]
    assert min(abs(moment_on_source - at) for at in (1.2, 2.2, 3.2, 4.2, 5.2, 6.2)) < 0.3
    probed = clipcraft("probe", path)
    assert "no clear mishap: give --at" in probed.stdout


# the shared real videos (../shared/media/realvideo), scored as bench/moment_realvideo.py does


@pytest.fixture(scope="module")
def real_video() -> Path:
    shared_media("realvideo")
    return moment_realvideo.FOLDER


def _clip(name: str) -> moment_realvideo.Clip:
    return next(clip for clip in moment_realvideo.clips() if clip.name == name)


@pytest.mark.parametrize(
    "name",
    ["fail-sandsled-crash.mp4", "fail-fish-lands-in-boat.mp4", "fail-stage-sick.mp4"],
)
def test_a_real_fail_is_found_and_sure(real_video: Path, name: str) -> None:
    result = moment_realvideo.run(_clip(name), real_video)
    assert result.found and result.confidence >= moment_realvideo.SURE, result


def test_the_pancake_is_a_toss_not_the_hand_over_the_lens(real_video: Path) -> None:
    moment = find_moment(probe(real_video / "kitchen-pancake-tosses.mkv"))
    result = moment_realvideo.Result(_clip("kitchen-pancake-tosses.mkv"), moment.time, 0, 0, 0)
    assert result.found and moment.time < 7.5, moment
    hand = min(moment.candidates, key=lambda c: abs((c.heard or -1) - 8.4))
    assert hand.picture_event and hand.score == 0.0


def test_a_late_toss_typed_in_ends_before_the_hand_over_the_lens(real_video: Path) -> None:
    """The last toss (7.19 s), typed with --at: the hand that covers the lens from about
    8.5 s, moving, fills most of what follows, yet the reel ends before it (measured against
    the scene before the moment, not the palm)."""
    typed = clipcraft(
        "make", real_video / "kitchen-pancake-tosses.mkv", "--auto", "--at", 7.19, "--dry-run",
        "--json",
    )  # fmt: skip
    plan = json.loads(typed.stdout)
    fail = [segment for segment in plan["segments"] if segment["role"] == "fail"]
    assert fail[-1]["source_end"] <= 8.8, fail


@pytest.mark.parametrize("name", ["hits-wood.mp4", "hits-metal-short.mp4"])
def test_a_real_strike_is_found_within_a_third_of_a_second(real_video: Path, name: str) -> None:
    result = moment_realvideo.run(_clip(name), real_video)
    assert result.found, result


@pytest.mark.parametrize(
    "name", ["busy-chopping.mp4", "busy-tennis.mp4", "busy-hammering.mp4", "busy-gunshots.mp4"]
)
def test_a_busy_clip_is_not_sure(real_video: Path, name: str) -> None:
    result = moment_realvideo.run(_clip(name), real_video)
    assert result.confidence < moment_realvideo.SURE, result
