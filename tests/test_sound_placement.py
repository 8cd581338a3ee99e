"""Where effects land on the output and where the original ducks (no media decoded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipcraft.errors import UsageError
from clipcraft.planning.sound import DUCK_RAMP, place_effects
from clipcraft.settings.recipe import EffectCue
from clipcraft.settings.units import parse_effect_cue
from clipcraft.sound.library import Sound
from clipcraft.sound.sidechain import span_dips_db

SOUNDS = {"ding": Sound("ding", Path("ding.wav"), 1.6), "boing": Sound("boing", Path("b.wav"), 0.7)}
POINTS = {"moment": 3.2, "start": 0.0, "after": None}


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("ding", EffectCue("ding", "moment")),
        ("ding@2.5", EffectCue("ding", 2.5)),
        ("boing@end", EffectCue("boing", "end")),
        ("x.mp3@0:01.5", EffectCue("x.mp3", 1.5)),
        ("me@home.wav", EffectCue("me@home.wav")),
        ("a/b@c.mp3@start", EffectCue("a/b@c.mp3", "start")),
    ],
)
def test_effect_cues_parse(text: str, cue: EffectCue) -> None:
    assert parse_effect_cue(text) == cue


def test_a_bad_place_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="invalid place 'soon'"):
        parse_effect_cue("ding@soon")


@pytest.mark.parametrize(
    ("when", "start", "length"),
    [
        ("moment", 3.2, 1.6),
        ("start", 0.0, 1.6),
        (2.5, 2.5, 1.6),
        ("end", 6.4, 1.6),
        (7.5, 7.5, 0.5),
    ],
)
def test_effects_land_at_their_place_and_stop_with_the_clip(when, start, length) -> None:
    (placed,) = place_effects((EffectCue("ding", when),), SOUNDS, POINTS, 8.0, -3.0)
    assert (placed.start, placed.duration, placed.gain_db) == pytest.approx((start, length, -3.0))


@pytest.mark.parametrize(
    ("when", "message"), [("after", "no after part"), (9.0, "after the clip ends")]
)
def test_impossible_places_are_errors(when, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        place_effects((EffectCue("ding", when),), SOUNDS, POINTS, 8.0, 0.0)


def test_dips_ramp_around_their_spans_and_never_stack() -> None:
    """Two overlapping effects dip the footage once, not twice; each dip is reached by the
    time its effect starts and gone a ramp after it ends."""
    rate, ramp = 1000, DUCK_RAMP
    curve = span_dips_db(7000, rate, [(1.0, 2.0), (1.5, 2.5), (5.0, 5.5)], -8.0, (ramp, ramp))

    def at(seconds: float) -> float:
        return float(curve[round(seconds * rate)])

    assert at(0.5) == 0 and at(1.0 - ramp - 0.01) == 0
    assert at(1.0) == pytest.approx(-8) and at(1.8) == pytest.approx(-8), "no stacking"
    assert at(2.5) == pytest.approx(-8) and at(2.5 + ramp + 0.01) == 0
    assert -8 < at(1.0 - ramp / 2) < 0, "a ramp, not a step"
    assert curve.min() == pytest.approx(-8)
    assert at(3.5) == 0 and at(5.2) == pytest.approx(-8) and at(6.0) == 0
