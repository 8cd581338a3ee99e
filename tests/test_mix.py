"""The sound of made clips, measured: effects audible at their time, ducking, loudness."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from clipcraft.render.loudness import measure

from helpers import clipcraft
from media import make_video, read_audio

pytestmark = pytest.mark.media  # every test here makes or reads media


@pytest.fixture(scope="module")
def humming(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """6 s of footage with a steady 440 Hz hum as its own sound."""
    return make_video(tmp_path_factory.mktemp("mix") / "hum.mp4", seconds=6)


def level_db(sound: np.ndarray, start: float, end: float, rate: int = 48000) -> float:
    part = sound[int(start * rate) : int(end * rate)].mean(axis=1)
    return 20 * np.log10(np.sqrt(np.mean(part**2)) + 1e-12)


def hum_db(sound: np.ndarray, start: float, end: float, rate: int = 48000) -> float:
    """Level of the 440 Hz hum alone in a window (one FFT bin), in dB."""
    part = sound[int(start * rate) : int(end * rate)].mean(axis=1)
    window = np.hanning(len(part))
    spectrum = np.abs(np.fft.rfft(part * window)) / window.sum()
    frequencies = np.fft.rfftfreq(len(part), 1 / rate)
    return 20 * np.log10(spectrum[np.argmin(np.abs(frequencies - 440))] + 1e-12)


def make(source: Path, out: Path, *args: object, final: bool = False) -> np.ndarray:
    """The clip's sound; `final` renders as for upload (a preview skips the AAC peak check)."""
    speed = ("--quality", "draft") if final else ("--preview",)
    result = clipcraft("make", source, "--start", 0, "--end", 6, "-o", out, *speed, *args)
    assert result.exit_code == 0, result.output
    return read_audio(out)


def test_a_ding_is_clearly_heard_at_its_time(humming: Path, tmp_path: Path) -> None:
    sound = make(humming, tmp_path / "o.mp4", "--sfx", "ding@2.5")
    assert level_db(sound, 2.5, 2.8) > level_db(sound, 2.0, 2.4) + 6
    onset = np.argmax(np.abs(sound[:, 0]) > 3 * np.abs(sound[: 2 * 48000, 0]).max()) / 48000
    assert onset == pytest.approx(2.5, abs=1 / 30)


def test_the_hum_ducks_under_an_effect_unless_told_not_to(humming: Path, tmp_path: Path) -> None:
    ducked = make(humming, tmp_path / "d.mp4", "--sfx", "ding@2.5")
    level = make(humming, tmp_path / "l.mp4", "--sfx", "ding@2.5", "--no-duck")
    for sound in (ducked, level):
        assert hum_db(sound, 0.5, 2.0) > -60, "the hum is there before the effect"
    assert hum_db(ducked, 0.5, 2.0) - hum_db(ducked, 2.7, 3.7) >= 5
    assert abs(hum_db(level, 0.5, 2.0) - hum_db(level, 2.7, 3.7)) < 1.5


def test_mute_drops_the_footage_sound(humming: Path, tmp_path: Path) -> None:
    sound = make(humming, tmp_path / "m.mp4", "--sfx", "ding@3", "--mute")
    assert level_db(sound, 0.2, 2.8) < -70
    assert level_db(sound, 3.0, 3.3) > -30


@pytest.mark.parametrize(
    "effects",
    [(), ("--sfx", "crash@1"), ("--sfx", "drumroll@end", "--sfx", "boing@1", "--sfx-volume", "6")],
)
def test_every_clip_is_at_platform_loudness(humming: Path, tmp_path: Path, effects) -> None:
    out = tmp_path / "o.mp4"
    make(humming, out, *effects, final=True)
    level = measure(out)
    assert level.integrated == pytest.approx(-14, abs=1)
    assert level.true_peak <= -1.0


def test_a_silent_source_gets_its_effect_at_platform_loudness(tmp_path: Path) -> None:
    quiet = make_video(tmp_path / "quiet.mp4", seconds=3, audio=None)
    out = tmp_path / "o.mp4"
    result = clipcraft("make", quiet, "--at", 1, "--sfx", "crash", "-o", out, "--quality", "draft")
    assert result.exit_code == 0
    sound = read_audio(out)
    moment = 1.0  # a 3-s clip used whole: the moment stays where it was
    assert level_db(sound, 0.0, moment - 0.05) < -70
    assert level_db(sound, moment, moment + 0.3) > -25
    level = measure(out)
    assert level.integrated == pytest.approx(-14, abs=1) and level.true_peak <= -1.0


def test_no_clicks_where_the_clip_starts_and_ends(humming: Path, tmp_path: Path) -> None:
    sound = make(humming, tmp_path / "o.mp4", "--sfx", "sad-trombone@5")
    assert np.abs(sound[:24]).max() < 0.02, "fades in"
    ending = sound[-240:, 0]
    assert np.abs(sound[-2:]).max() < 0.01, "the trombone cut by the end fades out"
    assert np.abs(np.diff(ending)).max() <= np.abs(np.diff(sound[-4800:-2400, 0])).max() * 1.5
    steady = np.abs(np.diff(sound[48000:96000, 0])).max()
    assert np.abs(np.diff(sound[:4800, 0])).max() <= steady * 1.5


def test_a_users_own_sound_file(humming: Path, tmp_path: Path) -> None:
    from media import write_sound

    beep = write_sound(tmp_path / "my beep.wav", 0.4)
    sound = make(humming, tmp_path / "o.mp4", "--sfx", f"{beep}@4", "--mute")
    assert level_db(sound, 4.05, 4.35) > level_db(sound, 3.0, 3.9) + 30
