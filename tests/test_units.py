import pytest

from clipcraft.errors import UsageError
from clipcraft.media.probe import round_even
from clipcraft.settings.units import format_time, parse_time


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("7.5", 7.5),
        ("0:07.5", 7.5),
        ("1:02", 62.0),
        ("1:00:03.25", 3603.25),
        (" 12 ", 12.0),
        ("0", 0.0),
    ],
)
def test_times_parse_as_seconds_or_clock(text: str, seconds: float) -> None:
    assert parse_time(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["banana", "", "-3", "nan", "inf", "1:75", "1:2:3:4", "7.5s"])
def test_bad_times_name_the_value_and_the_format(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_time(text)
    assert repr(text) in str(caught.value)


def test_times_are_shown_as_minutes_and_seconds() -> None:
    assert format_time(7.5) == "0:07.50"
    assert format_time(125.25) == "2:05.25"


def test_round_even_gives_even_pixels_of_at_least_two() -> None:
    assert [round_even(v) for v in (0.4, 3, 5.1, 1079.6)] == [2, 4, 6, 1080]


def test_overlapping_spans_join_and_apart_ones_stay() -> None:
    from clipcraft.settings.units import merged_spans

    assert merged_spans([(5.0, 6.0), (0.0, 1.0), (0.5, 2.0), (2.0, 3.0)]) == [
        (0.0, 3.0),
        (5.0, 6.0),
    ]
