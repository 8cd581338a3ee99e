"""A fuzz pass over the parsers: whatever is typed or written, the answer is a value or one
clean error. Pure (no media is made), so these run in the quick loop (`-m "not media"`)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clipcraft.captions.subtitles import parse_subtitles
from clipcraft.errors import UsageError
from clipcraft.settings.layers import layer_from_toml
from clipcraft.settings.presets import recipe_layer
from clipcraft.settings.units import parse_effect_cue, parse_time

from shared import FUZZ_EXAMPLES

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(st.text(max_size=20))
def test_fuzz_times(text: str) -> None:
    with contextlib.suppress(UsageError):
        assert parse_time(text) >= 0


@FUZZ
@given(st.text(max_size=30))
def test_fuzz_effect_cues(text: str) -> None:
    with contextlib.suppress(UsageError):
        parse_effect_cue(text)


@FUZZ
@given(
    st.text(alphabet=st.sampled_from(list("0123456789:,.-> \n\tabc<>WEBVT")), max_size=200),
    st.sampled_from(["fuzz.srt", "fuzz.vtt"]),
)
def test_fuzz_subtitles(text: str, name: str) -> None:
    try:
        cues = parse_subtitles(text, name)
    except UsageError:
        return
    assert all(cue.end > cue.start for cue in cues)


@FUZZ
@given(
    st.text(alphabet=st.sampled_from(list("[]=.\"#'\n abtrimsfxdu0123456789:@{}-,")), max_size=120)
)
def test_fuzz_recipe_files(tmp_path: Path, text: str) -> None:
    """Whatever a recipe file holds, reading it gives a layer or one clean error."""
    recipe = tmp_path / "fuzz.toml"
    recipe.write_text(text, encoding="utf-8")
    with contextlib.suppress(UsageError):
        recipe_layer(recipe)


toml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 100)
    | st.floats(-1, 100, allow_nan=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
toml_keys = st.sampled_from(
    [
        "duration",
        "trim",
        "output",
        "caption",
        "captions",
        "sfx",
        "sound",
        "after",
        "beats",
        "series",
        "bogus",
    ]
)


@FUZZ
@given(st.dictionaries(toml_keys, toml_values, max_size=4))
def test_fuzz_recipe_tables(data: dict) -> None:
    with contextlib.suppress(UsageError):
        layer_from_toml("fuzz.toml", data, None)
