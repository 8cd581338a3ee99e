"""The bundled effects: what they are, that they are reproducible, and the sounds command."""

from __future__ import annotations

import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from clipcraft.errors import AssetError
from clipcraft.sound.library import find_sound, library

from helpers import assert_one_clean_error, clipcraft

pytestmark = pytest.mark.media  # every test here makes or reads media

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = {
    "record-scratch",
    "sad-trombone",
    "boing",
    "crash",
    "ding",
    "whoosh",
    "tada",
    "drumroll",
}


def samples(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as wav:
        data = np.frombuffer(wav.readframes(wav.getnframes()), "<i2") / 32768
        return data, wav.getframerate()


def test_the_library_has_the_promised_effects_at_48k() -> None:
    sounds = {sound.name: sound for sound in library()}
    assert set(sounds) >= REQUIRED
    for sound in sounds.values():
        data, rate = samples(sound.path)
        assert rate == 48000
        assert 0.3 <= sound.duration <= 2.5
        assert sound.description
        assert 0.8 < np.abs(data).max() <= 10 ** (-1 / 20) + 1e-3, "peaks at -1 dBFS"


def test_effects_start_and_end_in_silence_so_they_never_click() -> None:
    for sound in library():
        data, _ = samples(sound.path)
        assert abs(data[0]) < 1e-3 and abs(data[-1]) < 1e-3, sound.name
        assert np.abs(data[-48:]).max() < 0.05, f"{sound.name} fades out"


def test_the_generator_reproduces_the_shipped_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_sounds.py"), str(tmp_path)], check=True
    )
    for sound in library():
        assert (tmp_path / sound.path.name).read_bytes() == sound.path.read_bytes(), sound.name
    assert (tmp_path / "catalogue.json").read_text() == (
        library()[0].path.parent / "catalogue.json"
    ).read_text()


def test_unknown_names_suggest_the_closest() -> None:
    with pytest.raises(AssetError, match="did you mean sad-trombone"):
        find_sound("sad-tromboen")


def test_a_user_file_is_found_by_path(tmp_path: Path) -> None:
    from media import write_sound

    sound = find_sound(str(write_sound(tmp_path / "oops.wav", 0.5)))
    assert sound.name == "oops.wav" and sound.duration == pytest.approx(0.5, abs=0.02)


def test_sounds_lists_names_durations_and_descriptions() -> None:
    result = clipcraft("sounds")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert {line.split()[0] for line in lines} >= REQUIRED
    assert any(line.startswith("ding") and " s  " in line for line in lines)
    assert clipcraft("sounds", "list").stdout == result.stdout


def test_sounds_export_writes_the_wav_and_keeps_existing_files(tmp_path: Path) -> None:
    out = tmp_path / "ding.wav"
    assert clipcraft("sounds", "export", "ding", out).exit_code == 0
    assert out.read_bytes() == find_sound("ding").path.read_bytes()
    assert_one_clean_error(clipcraft("sounds", "export", "ding", out), 2, "already exists")
    assert_one_clean_error(
        clipcraft("sounds", "export", "dong", tmp_path / "x.wav"), 2, "'dong'", "ding"
    )
