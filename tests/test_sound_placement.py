"""Where effects land on the output and where the original ducks (no media decoded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipcraft.errors import UsageError
from clipcraft.planning.sound import DUCK_RAMP, PlacedEffect, duck_intervals, place_effects
from clipcraft.settings.recipe import EffectCue
from clipcraft.settings.units import parse_effect_cue
from clipcraft.sound.library import Sound

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


def test_duck_spans_include_ramps_and_merge_overlaps() -> None:
    effects = tuple(
        PlacedEffect(n, "", s, d, 0.0)
        for n, s, d in [("a", 1.0, 1.0), ("b", 1.5, 1.0), ("c", 5.0, 0.5)]
    )
    spans = [edge for span in duck_intervals(effects) for edge in span]
    assert spans == pytest.approx(
        [1.0 - DUCK_RAMP, 2.5 + DUCK_RAMP, 5.0 - DUCK_RAMP, 5.5 + DUCK_RAMP]
    )
