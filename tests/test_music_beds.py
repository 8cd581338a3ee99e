"""The bundled music beds: few, small, levelled and credited; listed by `sounds`; named after
--music and by the Fail of the Week preset; rebuilt from the tracks as shipped."""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

import numpy as np
import pytest

from clipcraft.render.loudness import measure
from clipcraft.sound.library import credits_text, decode, music_library

from helpers import assert_one_clean_error, clipcraft, plan_of
from media import make_video, read_audio
from shared import shared_media

pytestmark = pytest.mark.media

ROOT = Path(__file__).resolve().parents[1]
MOODS = {"slapstick", "quirky", "bouncy", "lo-fi", "chiptune", "chase", "wait-for-it", "groove"}


def test_the_beds_are_few_small_levelled_and_credited() -> None:
    beds = music_library()
    assert 6 <= len(beds) <= 10
    assert sum(bed.path.stat().st_size for bed in beds) < 3_000_000
    assert {tag for bed in beds for tag in bed.tags} >= MOODS, "every mood a kitchen reel needs"
    for bed in beds:
        assert bed.kind == "music" and bed.licence in ("CC0 1.0", "CC BY 3.0", "CC BY 4.0")
        assert bed.author and bed.source.startswith("https://") and 7 <= bed.duration <= 30
        assert bed.tempo is None or 60 <= bed.tempo <= 200, bed.name
        level = measure(bed.path)
        assert level.true_peak <= -1.0, bed.name
        # at the beds' loudness, or held a little under it by its true peak (a crescendo)
        assert -17.5 <= level.integrated <= -15.5, bed.name
        assert abs(level.integrated + 16) <= 0.5 or level.true_peak >= -2.2, bed.name
        samples = np.abs(decode(bed.path))
        edges = samples[:48].max(), samples[-480:].max()  # its first 1 ms, its last 10 ms
        assert max(edges) < 0.1 * samples.max(), f"{bed.name} starts and ends without a click"


def test_sounds_lists_the_beds_and_credits_them() -> None:
    listed = {entry["name"]: entry for entry in json.loads(clipcraft("sounds", "--json").stdout)}
    for bed in music_library():
        assert listed[bed.name]["kind"] == "music" and listed[bed.name]["tempo"] == bed.tempo
    assert listed["crash"]["kind"] == "effect"
    text = clipcraft("sounds").stdout
    assert "Music beds (--music NAME):" in text
    assert text.index("Music beds") < text.index("gold-rush") < text.index("Your sounds")
    shipped = (music_library()[0].path.parent / "CREDITS.md").read_text(encoding="utf-8")
    assert shipped == credits_text(music_library(), "music")
    credits = clipcraft("sounds", "credits").stdout
    assert shipped in credits and "sad-trombone" in credits
    assert '"Gold Rush" by Kevin MacLeod, licensed CC BY 4.0' in credits
    assert "https://creativecommons.org/licenses/by/4.0/" in credits


def test_a_bed_is_no_effect_and_an_effect_no_bed(tmp_path: Path) -> None:
    """A 24-s bed given to --sfx (or a 1-s effect to --music) is a slip, named with its flag."""
    clip = make_video(tmp_path / "c.mp4", seconds=3)
    slip = clipcraft("make", clip, "--at", 1, "--sfx", "gold-rush", "--dry-run")
    assert_one_clean_error(slip, 2, "'gold-rush' is a music bed", "use --music")
    slip = clipcraft("make", clip, "--at", 1, "--music", "ding", "--dry-run")
    assert_one_clean_error(slip, 2, "'ding' is a sound effect", "use --sfx")


def test_a_sound_of_yours_named_as_a_bed_is_listed_as_that_bed(tmp_path: Path) -> None:
    funky = next(bed for bed in music_library() if bed.name == "funky-drum-loop")
    mine = Path(os.environ["CLIPCRAFT_SOUNDS"])
    mine.mkdir(parents=True, exist_ok=True)
    (mine / "gold-rush.opus").write_bytes(funky.path.read_bytes())
    listed = clipcraft("sounds").stdout
    beds = listed[listed.index("Music beds (--music NAME):") :]
    assert "gold-rush" in beds and "yours, used instead of the bundled one" in beds
    clip = make_video(tmp_path / "c.mp4", seconds=3)
    assert Path(plan_of(clip, "--at", 1, "--music", "gold-rush")["sound"]["music"]["path"]) == (
        mine / "gold-rush.opus"
    )


def test_a_bed_is_named_after_music_and_plays_from_its_start(tmp_path: Path) -> None:
    """Under footage with no sound of its own, the mix is the bed itself from its start."""
    clip = make_video(tmp_path / "quiet.mp4", seconds=3, audio=None)
    out = tmp_path / "m.mp4"
    made = clipcraft(
        "make", clip, "--start", 0, "--end", 3, "--music", "funky-drum-loop", "-o", out,
        "--quality", "draft",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    mix = read_audio(out).mean(axis=1)[48000:120000]  # after the fade in, before the fade out
    bed = decode(music_library()[[b.name for b in music_library()].index("funky-drum-loop")].path)
    bed = bed.mean(axis=1)[48000 - 2400 : 120000 + 2400]
    lags = [np.corrcoef(mix, bed[lag : lag + len(mix)])[0, 1] for lag in range(0, 4800, 24)]
    assert max(lags) > 0.9, "the bed's own sound, from where it begins"


def test_fail_of_the_week_has_its_theme(tmp_path: Path) -> None:
    clip = make_video(tmp_path / "c.mp4", seconds=4)
    music = plan_of(clip, "--at", 2, "--preset", "fail-of-the-week")["sound"]["music"]
    assert music["name"] == "gold-rush" and Path(music["path"]).parent.name == "music"
    mine = plan_of(clip, "--at", 2, "--preset", "fail-of-the-week", "--music", "cat-caffe")
    assert mine["sound"]["music"]["name"] == "cat-caffe", "the creator's flag wins"


def test_a_bed_is_built_again_from_its_track(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    music = shared_media("music")
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    script = importlib.import_module("make_music")
    rebuilt = script.build(music, tmp_path, frozenset({"funky-drum-loop"}))
    shipped = json.loads((music_library()[0].path.parent / "catalogue.json").read_text())
    assert rebuilt == {"funky-drum-loop": shipped["funky-drum-loop"]}
    name = shipped["funky-drum-loop"]["file"]
    again, kept = decode(tmp_path / name), decode(music_library()[0].path.parent / name)
    assert again.shape == kept.shape and np.abs(again - kept).max() < 0.01
