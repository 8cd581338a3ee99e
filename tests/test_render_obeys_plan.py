"""Rendering decides nothing: every number that shapes what is heard and seen comes on the Plan.

Each test changes one of those numbers on a plan and checks that the render follows it — the
effects' height over the footage, the music's gain cap and the silence line, the quietest mix
that is levelled, a caption's entrance and a card's look.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from test_plan import plan

from clipcraft.media.synthetic import write_wav
from clipcraft.planning.music import PlannedMusic
from clipcraft.planning.plan import CardLook, Plan
from clipcraft.planning.sound import PlacedEffect
from clipcraft.render import mix
from clipcraft.render.argv import video_decode_command
from clipcraft.render.captions import CaptionLayer
from clipcraft.render.frames import frame_shape, planes
from clipcraft.render.loudness import Level, plain_gain
from clipcraft.sound.library import find_sound
from clipcraft.sound.shaping import loudest_window_db

RATE = 48000


def a_plan(**settings: object) -> Plan:
    return plan({"trim.at": 7.0, "duration": 4.0, **settings})


def tone_file(path: Path, dbfs: float, seconds: float = 2.0) -> Path:
    """A 440 Hz tone whose RMS is `dbfs`."""
    t = np.arange(int(seconds * RATE)) / RATE
    wave = np.sin(2 * np.pi * 440 * t) * np.sqrt(2) * 10 ** (dbfs / 20)
    return write_wav(path, wave, RATE)


@pytest.mark.media
def test_an_effect_sits_as_far_over_the_footage_as_the_plan_says() -> None:
    sound = a_plan().sound
    ding = find_sound("ding")
    effect = PlacedEffect("ding", str(ding.path), 0.0, 1.0, 0.0)

    def loudest(over_db: float) -> float:
        loaded = mix.load_effect(effect, RATE, -40.0, replace(sound, effects_over_bed_db=over_db))
        return loudest_window_db(mix.samples_of(loaded), RATE)

    assert loudest(4.0) == pytest.approx(loudest(10.0) - 6.0, abs=0.1)


@pytest.mark.media
def test_the_musics_gain_cap_and_silence_line_are_the_plans(tmp_path: Path) -> None:
    fmt = a_plan().format
    quiet = tone_file(tmp_path / "quiet.wav", -50.0)
    music = PlannedMusic(
        name="quiet", path=str(quiet), track_start=0.0, duration=2.0, fade_in=0.0,
        fade_out=0.0, volume_db=0.0, under_footage_db=-6.0, alone_dbfs=-20.0,
        most_gain_db=24.0, effects_duck_db=-10.0, speech_duck_db=-9.0, duck_ramps=(0.06, 0.35),
        effect_spans=(), tempo=None, beat=None, beat_note="",
    )  # fmt: skip
    silent_footage = np.zeros((2 * RATE, 2), np.float32)

    def level(planned: PlannedMusic, silence_dbfs: float) -> float:
        return mix.level_dbfs(mix.music(planned, fmt, silent_footage, silence_dbfs))

    # alone, the music is raised towards -20 dBFS: at most by the cap
    assert level(music, -60.0) == pytest.approx(-50.0 + 24.0, abs=0.2)
    assert level(replace(music, most_gain_db=12.0), -60.0) == pytest.approx(-38.0, abs=0.2)
    # a track under the silence line is left out
    assert level(music, -45.0) < -100


def test_the_quietest_mix_that_is_levelled_is_the_plans() -> None:
    sound = a_plan().sound
    quiet = Level(integrated=-50.0, true_peak=-40.0)
    assert plain_gain(quiet, sound) == 0.0, "near silence is left alone"
    raised = plain_gain(quiet, replace(sound, quietest_lufs=-60.0))
    assert raised == pytest.approx(sound.loudness_lufs + 50.0)


def test_a_cards_look_is_the_plans() -> None:
    made = a_plan(**{"captions.outro": "Your worst fail?"})
    outro = made.segments[-1]
    assert outro.card is not None
    look = CardLook(blur=8.0, brightness=-0.1, saturation=1.0)
    steps = video_decode_command(replace(outro, card=look), made.format)
    graph = steps[steps.index("-vf") + 1]
    assert "gblur=sigma=8,eq=brightness=-0.1:saturation=1" in graph
    assert "sigma=24" not in graph
    plain = video_decode_command(replace(outro, card=None), made.format)
    assert "gblur" not in plain[plain.index("-vf") + 1]


def test_a_captions_entrance_is_the_plans() -> None:
    made = a_plan(**{"caption": ("Oops",), "captions.animation": "fade"})
    (caption,) = made.captions
    assert caption.entrance[0] == (1.0, 0.0) and caption.entrance[3][1] == pytest.approx(0.5)
    width, height = made.format.width, made.format.height
    grey = np.full(frame_shape(width, height), 128, np.uint8)

    def drawn(entrance: tuple[tuple[float, float], ...], index: int) -> int:
        shown = replace(made, captions=(replace(caption, entrance=entrance),))
        frame = CaptionLayer(shown).over(grey.copy(), caption.start_frame + index)
        return int(np.count_nonzero(planes(frame)[0] != 128))

    hidden = ((1.0, 0.0),) * 4
    assert drawn(hidden, 3) == 0, "the plan says it is not there yet"
    assert drawn(hidden, 4) > 1000, "settled once the plan's entrance is over"
    assert drawn(caption.entrance, 3) > 0


def test_planning_gives_pop_and_word_entrances() -> None:
    pop = a_plan(**{"caption": ("Oops",), "captions.animation": "pop"}).captions[0]
    words = a_plan(**{"caption": ("Oops now",), "captions.animation": "words"}).captions[0]
    karaoke = a_plan(**{"caption": ("Oops",), "captions.animation": "karaoke"}).captions[0]
    assert pop.entrance[0] == pytest.approx((0.6, 0.0))
    assert max(scale for scale, _ in pop.entrance) > 1.0, "a pop grows past full size"
    assert len(pop.entrance) == 7, "0.22 s at 30 fps"
    assert words.entrance == pop.entrance[1:], "a word is counted from the end of its frame"
    assert karaoke.entrance == ()
