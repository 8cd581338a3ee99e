"""A music bed under made clips, measured on the rendered sound: the track is there, fades,
dips under effects and under the footage's speech, the mix stays at platform loudness, and
the cut to the after lands on the beat."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from clipcraft.finding.beats import RATE, Beats, find_beats
from clipcraft.media.synthetic import encode_frames, write_wav
from clipcraft.planning.music import cut_on_beat
from clipcraft.planning.sequence import Budget
from clipcraft.render.loudness import measure
from clipcraft.sound.library import decode, user_folder
from clipcraft.sound.sidechain import sidechain_dips_db

from helpers import assert_one_clean_error, clipcraft, plan_of
from media import close_to, make_video, read_audio, read_frame, upright_frame
from shared import shared_media

pytestmark = pytest.mark.media

BPM, FIRST_BEAT = 100.0, 0.25
PERIOD = 60 / BPM
MUSIC_HZ = 1000.0
"""The music's held note: measured in its own FFT bin, apart from everything else heard."""


def drum_track(seconds: float, rate: int = 48000) -> tuple[np.ndarray, np.ndarray]:
    """A steady song stand-in: a kick on every beat, a hi-hat between, a held 1 kHz note."""
    t = np.arange(int(seconds * rate)) / rate
    track = 0.15 * np.sin(2 * np.pi * MUSIC_HZ * t)
    beats = np.arange(FIRST_BEAT, seconds, PERIOD)
    hit = np.arange(int(0.15 * rate)) / rate
    kick = 0.7 * np.sin(2 * np.pi * (55 + 90 * np.exp(-hit * 30)) * hit) * np.exp(-hit * 18)
    hat = 0.2 * np.random.default_rng(7).standard_normal(len(hit)) * np.exp(-hit * 120)
    for beat in beats:
        for at, sound in ((beat, kick), (beat + PERIOD / 2, hat)):
            first = int(at * rate)
            part = track[first : first + len(sound)]
            part += sound[: len(part)]
    return track, beats


@pytest.fixture(scope="module")
def song(tmp_path_factory: pytest.TempPathFactory) -> Path:
    track, _ = drum_track(14.0)
    return write_wav(tmp_path_factory.mktemp("music") / "song.wav", track, 48000)


@pytest.fixture(scope="module")
def humming(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("music") / "hum.mp4", seconds=6)


def band_db(sound: np.ndarray, start: float, end: float, hertz: float = MUSIC_HZ) -> float:
    """Level in dB of one frequency's FFT bin over a window of the output's sound."""
    part = sound[int(start * 48000) : int(end * 48000)].mean(axis=1)
    window = np.hanning(len(part))
    spectrum = np.abs(np.fft.rfft(part * window)) / window.sum()
    frequencies = np.fft.rfftfreq(len(part), 1 / 48000)
    return float(20 * np.log10(spectrum[np.argmin(np.abs(frequencies - hertz))] + 1e-12))


def test_beats_are_found_where_the_kicks_are() -> None:
    """Tempo within 1 BPM, every beat within 20 ms of its kick, not on the hi-hat between;
    noise has no beat."""
    track, beats = drum_track(10.0, RATE)
    found = find_beats(track, RATE)
    assert found is not None and found.tempo == pytest.approx(BPM, abs=1.0)
    for beat in beats[1:-1]:
        assert np.abs(np.array(found.times) - beat).min() < 0.02, beat
    noise = np.random.default_rng(3).standard_normal(RATE * 8) * 0.1
    assert find_beats(noise, RATE) is None


def test_the_music_plays_under_the_clip_and_dips_under_an_effect(
    humming: Path, song: Path, tmp_path: Path
) -> None:
    """The track is heard between effects, at least 6 dB quieter under one, fades in and out,
    and the whole mix is at -14 LUFS with peaks under -1 dBTP."""
    user_folder().mkdir(parents=True, exist_ok=True)
    beep = 0.5 * np.sin(2 * np.pi * 300 * np.arange(int(0.8 * 48000)) / 48000)
    write_wav(user_folder() / "beep.wav", beep, 48000)
    out = tmp_path / "m.mp4"
    result = clipcraft(
        "make", humming, "--start", 0, "--end", 6, "--music", f"{song}@1.5", "--sfx", "beep@3",
        "-o", out, "--quality", "draft",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    sound = read_audio(out)
    between = band_db(sound, 1.0, 2.5)
    assert between > -45, "the music is heard"
    assert band_db(sound, 3.15, 3.7) <= between - 6, "it dips under the effect"
    assert band_db(sound, 3.15, 3.7, 300) > band_db(sound, 1.0, 2.5, 300) + 20, "the effect"
    assert band_db(sound, 4.3, 4.8) == pytest.approx(between, abs=2), "and comes back"
    assert band_db(sound, 0.0, 0.1) < between - 6 and band_db(sound, 5.85, 6.0) < between - 6
    level = measure(out)
    assert level.integrated == pytest.approx(-14, abs=1) and level.true_peak <= -1.0


def test_the_music_dips_under_the_footage_s_speech(song: Path, tmp_path: Path) -> None:
    """Real speech (from the shared recordings) in the footage from 2 s: the music is lower
    under it than over the quiet room before it."""
    speech_file = shared_media("speech") / "multilingual.mp3"
    speech = decode(speech_file)[: int(3.5 * 48000)].mean(axis=1)
    room = 0.003 * np.random.default_rng(5).standard_normal(6 * 48000)
    room[2 * 48000 : 2 * 48000 + len(speech)] += speech * (0.3 / np.abs(speech).max())
    video = tmp_path / "talk.mp4"
    frames = (upright_frame(180, 320, i / 30) for i in range(180))
    encode_frames(video, frames, 30, sound=room, rate=48000)
    out = tmp_path / "t.mp4"
    result = clipcraft(
        "make", video, "--start", 0, "--end", 6, "--music", song, "-o", out, "--preview"
    )
    assert result.exit_code == 0, result.output
    sound = read_audio(out)
    assert band_db(sound, 2.3, 5.0) <= band_db(sound, 0.6, 1.8) - 5


def test_the_cut_to_the_after_lands_on_a_beat(humming: Path, song: Path, tmp_path: Path) -> None:
    """With music the after starts on the frame of a beat (the fail a little longer or
    shorter, the total the same); --no-beat-cut keeps the planned cut; the render shows it."""
    dish = tmp_path / "dish.png"
    Image.new("RGB", (320, 320), (250, 250, 250)).save(dish)
    common = (humming, "--at", 2, "--after", dish, "--transition", "cut",
              "--duration", 6, "--after-duration", 2.3)  # fmt: skip
    plain = plan_of(*common)
    timed = plan_of(*common, "--music", f"{song}@0.4")
    kept = plan_of(*common, "--music", f"{song}@0.4", "--no-beat-cut")

    def cut(plan: dict) -> int:
        return next(s["start_frame"] for s in plan["segments"] if s["role"] == "after")

    beats_on_output = np.arange(FIRST_BEAT, 14, PERIOD) - 0.4
    assert np.abs(beats_on_output - cut(plain) / 30).min() > 2 / 30, "the test needs an off-beat"
    assert np.abs(beats_on_output - cut(timed) / 30).min() <= 1.5 / 30
    assert abs(cut(timed) - cut(plain)) <= PERIOD / 2 * 30 + 1
    assert cut(kept) == cut(plain)
    assert timed["total_frames"] == plain["total_frames"]
    music = timed["sound"]["music"]
    assert music["tempo"] == pytest.approx(BPM, abs=1) and "onto the beat" in music["beat_note"]
    out = tmp_path / "beat.mp4"
    result = clipcraft("make", *common, "--music", f"{song}@0.4", "-o", out, "--preview")
    assert result.exit_code == 0, result.output
    frame = cut(timed)
    assert not close_to(read_frame(out, (frame - 1.5) / 30)[300, 135], (250, 250, 250), 20)
    assert close_to(read_frame(out, (frame + 0.5) / 30)[300, 135], (250, 250, 250), 20)
    dry = clipcraft("make", *common, "--music", f"{song}@0.4", "--dry-run")
    assert "onto the beat" in dry.output and "song.wav" in dry.output


def test_music_from_a_recipe_and_its_errors(humming: Path, song: Path, tmp_path: Path) -> None:
    """A recipe's [music] finds the track beside it; a start past the track's end and a
    missing track are one clean line each."""
    (tmp_path / "song.wav").write_bytes(song.read_bytes())
    recipe = tmp_path / "weekly.toml"
    recipe.write_text('[music]\nfile = "song.wav"\nstart = "0:02"\n[sound]\nmusic_volume = -3\n')
    plan = plan_of(humming, "--at", 2, "--recipe", recipe)
    music = plan["sound"]["music"]
    assert music["path"] == str(tmp_path / "song.wav") and music["track_start"] == 2.0
    assert music["volume_db"] == -3.0
    late = clipcraft("make", humming, "--at", 2, "--music", f"{song}@0:30", "--dry-run")
    assert_one_clean_error(late, 2, "past the end of the track")
    gone = clipcraft("make", humming, "--at", 2, "--music", tmp_path / "nope.mp3", "--dry-run")
    assert_one_clean_error(gone, 2, "unknown music")


def test_the_cut_never_gives_a_part_more_than_its_footage_has() -> None:
    """A beat later than the cut would lengthen the fail; with no footage left for it the
    cut stays, and a beat earlier is taken only if the after's video can fill the gap."""
    budget = Budget(fail=150, afters=(90,))  # the cut at frame 150 = 5.0 s
    later = Beats(100.0, (5.25,), 0.9)
    earlier = Beats(100.0, (4.75,), 0.9)
    assert cut_on_beat(budget, later, 0.0, 30, (10**6, 10**6)).budget.fail == 158
    assert cut_on_beat(budget, later, 0.0, 30, (0, 10**6)).beat is None, "no footage left"
    assert cut_on_beat(budget, earlier, 0.0, 30, (10**6, 3)).beat is None, "the after is short"
    assert cut_on_beat(budget, earlier, 0.0, 30, (10**6, 30)).budget.after == 98


def test_silent_parts_are_not_the_background_the_music_dips_against() -> None:
    """A clip whose replay and photo are silent: the kitchen's hum before them is not taken
    for speech (the music stays up), a shout over it is."""
    rate = 1000
    hum = 0.01 * np.random.default_rng(2).standard_normal(6 * rate)
    hum[1000:1500] += 0.3 * np.sin(np.arange(500) * 0.9)  # a shout
    hum[3000:] = 0.0  # half the clip has no sound of its own
    dips = sidechain_dips_db(hum, rate, -9.0, (0.06, 0.35))
    assert dips[2200:2900].max() == 0.0, "the hum alone: no dip"
    assert dips[1200:1400].min() == pytest.approx(-9.0), "the shout: the music dips"
