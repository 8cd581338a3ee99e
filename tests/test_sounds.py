"""The effects: the recorded library and its credits, the creator's own folder, the sounds
command (list, --json, credits, add, sheet, export)."""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from clipcraft.errors import AssetError
from clipcraft.media.synthetic import write_wav
from clipcraft.sound.library import TAGS, credits_text, decode, find_sound, library
from clipcraft.sound.shaping import PEAK_DB, TARGET_DB, limited, loudest_window_db

from helpers import assert_one_clean_error, clipcraft
from media import write_sound
from shared import shared_media

pytestmark = pytest.mark.media  # every test here makes or reads media

ROOT = Path(__file__).resolve().parents[1]
CLASSIC = {"record-scratch", "sad-trombone", "boing", "crash", "ding", "whoosh", "tada", "drumroll"}
MADE = {"crash", "drumroll"}


def user_folder() -> Path:
    return Path(os.environ["CLIPCRAFT_SOUNDS"])


def test_the_library_is_recorded_credited_and_keeps_the_classic_names() -> None:
    sounds = {sound.name: sound for sound in library()}
    assert len(sounds) >= 16 and set(sounds) >= CLASSIC
    for sound in sounds.values():
        assert sound.licence in ("CC0 1.0", "CC BY 4.0"), sound.name
        assert sound.source and sound.description and sound.tags, sound.name
        assert set(sound.tags) <= set(TAGS), sound.name
        made = "made by clipcraft" in sound.source
        assert made == (sound.name in MADE), f"{sound.name}: recorded unless no recording fits"
        if not made:
            assert sound.source.startswith("https://"), sound.name
        if sound.licence == "CC BY 4.0":
            assert "modified" in sound.note and sound.author, "CC BY asks for credit and changes"
    folder = library()[0].path.parent
    assert sum(path.stat().st_size for path in folder.iterdir()) < 2_000_000


def test_every_effect_is_shaped_the_same_way() -> None:
    """The catalogue's length is the decoded length; each starts and ends at zero, peaks at
    most at -1 dBFS, and its loudest 0.4 s sits at the common level unless its peak held it
    down (a coin's ring: no more than two are)."""
    held = []
    for sound in library():
        samples = decode(sound.path)
        assert len(samples) / 48000 == pytest.approx(sound.duration, abs=0.002), sound.name
        assert np.abs(samples[:2]).max() < 0.02 and np.abs(samples[-2:]).max() < 0.02, sound.name
        peak_db = 20 * np.log10(np.abs(samples).max())
        assert peak_db <= PEAK_DB + 0.1, sound.name
        loudness = loudest_window_db(samples, 48000)
        if loudness != pytest.approx(TARGET_DB, abs=1.0):
            assert peak_db > PEAK_DB - 1.0 and loudness < TARGET_DB, (sound.name, loudness)
            held.append(sound.name)
        assert abs(float(samples.mean())) < 0.002, f"{sound.name}: no DC"
    assert len(held) <= 2, held


def test_the_limiter_holds_a_spike_and_leaves_the_rest() -> None:
    """A click on a quiet tone is held at the ceiling; the tone away from it is untouched."""
    rate = 48000
    tone = 0.1 * np.sin(2 * np.pi * 220 * np.arange(rate) / rate)
    tone[24000] = 0.99
    out = limited(tone, rate, -6.0)
    assert np.abs(out).max() <= 10 ** (-6 / 20) + 1e-9
    assert np.array_equal(out[:20000], tone[:20000]) and np.array_equal(out[28000:], tone[28000:])
    assert np.abs(np.diff(out[23000:25000])).max() < 0.6, "the gain moves without a click"


def test_the_credits_file_is_current_and_the_command_shows_it() -> None:
    shipped = (library()[0].path.parent / "CREDITS.md").read_text(encoding="utf-8")
    assert shipped == credits_text(library())
    result = clipcraft("sounds", "credits")
    assert result.exit_code == 0 and result.stdout.startswith(shipped)
    for sound in library():
        assert f"**{sound.name}**" in shipped and sound.source in shipped
    assert "InspectorJ" in shipped and "CC BY 4.0" in shipped


def test_the_library_is_built_again_from_the_recordings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A made effect, a mono recording and a CC BY stereo one come out of the script as they
    were shipped: the same catalogue entries, the same sound."""
    recordings = shared_media("sfx")
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    script = importlib.import_module("make_library")
    names = frozenset({"crash", "gasp", "slide-up"})
    rebuilt = script.build(recordings, tmp_path, names)
    shipped = json.loads((library()[0].path.parent / "catalogue.json").read_text())
    assert rebuilt == {name: shipped[name] for name in shipped if name in names}
    for sound in library():
        if sound.name in names:
            again, kept = decode(tmp_path / sound.path.name), decode(sound.path)
            assert again.shape == kept.shape and np.abs(again - kept).max() < 0.01, sound.name


def test_sounds_lists_every_effect_with_its_tags_and_licence() -> None:
    result = clipcraft("sounds")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert {line.split()[0] for line in lines if line} >= CLASSIC | {"gasp", "aww", "bonk"}
    assert any(line.startswith("gasp") and "[reaction; CC0 1.0]" in line for line in lines)
    assert "clipcraft sounds credits" in result.stdout
    assert clipcraft("sounds", "list").stdout == result.stdout


def test_sounds_json_gives_scripts_every_fact() -> None:
    listed = json.loads(clipcraft("sounds", "--json").stdout)
    assert json.loads(clipcraft("sounds", "list", "--json").stdout) == listed
    assert len(listed) >= 16
    for entry in listed:
        assert entry["origin"] == "bundled" and entry["licence"] and entry["source"]
        assert entry["duration"] > 0.2 and entry["tags"] and entry["name"]


def test_the_creators_own_sounds_are_effects_by_name(tmp_path: Path) -> None:
    write_sound(user_folder() / "oops.wav", 0.5)
    write_sound(user_folder() / "ding.wav", 0.3)  # a bundled name: the creator's wins
    oops = find_sound("oops")
    assert oops.origin == "user" and oops.duration == pytest.approx(0.5, abs=0.02)
    assert find_sound("ding").path == user_folder() / "ding.wav"
    listed = {entry["name"]: entry for entry in json.loads(clipcraft("sounds", "--json").stdout)}
    assert listed["oops"]["origin"] == "user" and listed["ding"]["origin"] == "user"
    text = clipcraft("sounds").stdout
    assert any(
        line.startswith("ding") and "instead of the bundled" in line for line in text.splitlines()
    )
    assert str(user_folder()) in text
    with pytest.raises(AssetError, match="did you mean oops"):
        find_sound("oopz")


def test_unknown_names_suggest_the_closest() -> None:
    with pytest.raises(AssetError, match="did you mean sad-trombone"):
        find_sound("sad-tromboen")


def test_a_file_is_found_by_path(tmp_path: Path) -> None:
    sound = find_sound(str(write_sound(tmp_path / "oops.wav", 0.5)))
    assert sound.name == "oops.wav" and sound.duration == pytest.approx(0.5, abs=0.02)


def test_sounds_add_trims_levels_and_never_overwrites(tmp_path: Path) -> None:
    from clipcraft.media.synthetic import write_wav

    rate = 48000
    quiet = np.zeros(rate // 2)
    beep = 0.05 * np.sin(2 * np.pi * 660 * np.arange(rate // 2) / rate)
    source = write_wav(tmp_path / "My Splat.wav", np.concatenate([quiet, beep, quiet]), rate)
    before = source.read_bytes()
    result = clipcraft("sounds", "add", source)
    assert result.exit_code == 0, result.output
    added = user_folder() / "my-splat.flac"
    assert result.stdout.strip() == str(added) and source.read_bytes() == before
    samples = decode(added)
    assert len(samples) / rate == pytest.approx(0.5 + 0.035, abs=0.01), "the silence is trimmed"
    assert loudest_window_db(samples, rate) == pytest.approx(TARGET_DB, abs=0.5)
    assert find_sound("my-splat").origin == "user"

    assert_one_clean_error(clipcraft("sounds", "add", source, "my-splat"), 2, "already exists")
    assert clipcraft("sounds", "add", source, "my-splat", "--force").exit_code == 0
    assert_one_clean_error(clipcraft("sounds", "add", source, "no good"), 2, "not a usable")
    assert_one_clean_error(clipcraft("sounds", "add", tmp_path / "none.wav"), 2, "no such file")


def test_sounds_sheet_draws_a_row_for_every_effect(tmp_path: Path) -> None:
    out = tmp_path / "sheet.png"
    result = clipcraft("sounds", "sheet", out)
    assert result.exit_code == 0, result.output
    from clipcraft.sound.sheet import ROW_HEIGHT

    with Image.open(out) as sheet:
        assert sheet.height == ROW_HEIGHT * len(library())
        pixels = np.asarray(sheet.convert("RGB"))
    first_row = pixels[:ROW_HEIGHT]
    assert (np.abs(first_row.astype(int) - [40, 90, 170]).sum(axis=2) < 30).sum() > 200, (
        "a waveform"
    )
    assert_one_clean_error(clipcraft("sounds", "sheet", out), 2, "already exists")


def test_sounds_export_writes_a_wav_and_keeps_existing_files(tmp_path: Path) -> None:
    out = tmp_path / "ding.wav"
    assert clipcraft("sounds", "export", "ding", out).exit_code == 0
    assert out.read_bytes()[:4] == b"RIFF"
    assert np.abs(decode(out) - decode(find_sound("ding").path)).max() < 1e-3
    assert_one_clean_error(clipcraft("sounds", "export", "ding", out), 2, "already exists")
    assert_one_clean_error(
        clipcraft("sounds", "export", "dong", tmp_path / "x.wav"), 2, "'dong'", "ding"
    )


def test_a_mono_effect_is_read_at_its_own_level(tmp_path: Path) -> None:
    """A mono file is one channel at the level it was written (ffmpeg's `-ac 2` would have
    spread it at -3 dB, so mono effects mixed quieter than they were set)."""
    rate = 48000
    written = 0.5 * np.sin(2 * np.pi * 440 * np.arange(rate // 2) / rate)
    samples = decode(write_wav(tmp_path / "beep.wav", written, rate))
    assert samples.shape[1] == 1
    assert np.abs(samples).max() == pytest.approx(0.5, abs=0.002)
