import pytest

from clipcraft.errors import UsageError
from clipcraft.planning.trim import place_window


def test_moment_gets_a_lead_in_of_forty_percent() -> None:
    placement = place_window(60.0, 8.0, at=20.0)
    assert (placement.window.start, placement.window.end) == pytest.approx((16.8, 24.8))
    assert placement.warnings == ()


@pytest.mark.parametrize(("at", "expected"), [(1.0, (0.0, 8.0)), (19.5, (12.0, 20.0))])
def test_window_slides_to_stay_inside_the_footage(at: float, expected: tuple) -> None:
    window = place_window(20.0, 8.0, at=at).window
    assert (window.start, window.end) == pytest.approx(expected)


def test_footage_shorter_than_the_window_is_used_whole_with_a_warning() -> None:
    placement = place_window(3.2, 8.0, at=1.0)
    assert (placement.window.start, placement.window.end) == (0.0, 3.2)
    assert "shorter" in placement.warnings[0]


def test_explicit_window_wins_over_the_moment() -> None:
    window = place_window(20.0, 8.0, at=15.0, start=4.0, end=10.0).window
    assert (window.start, window.end) == (4.0, 10.0)


def test_start_alone_takes_the_window_length() -> None:
    window = place_window(20.0, 8.0, start=4.0).window
    assert (window.start, window.end) == (4.0, 12.0)


def test_end_alone_counts_back_from_it() -> None:
    window = place_window(20.0, 8.0, end=10.0).window
    assert (window.start, window.end) == (2.0, 10.0)


def test_window_partly_outside_is_clamped_with_a_warning() -> None:
    placement = place_window(20.0, 8.0, start=15.0, end=25.0)
    assert (placement.window.start, placement.window.end) == (15.0, 20.0)
    assert "past the end" in placement.warnings[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": 25.0, "end": 30.0}, "outside the footage"),
        ({"start": 8.0, "end": 4.0}, "not after --start"),
        ({"at": 21.0}, "after the end of the footage"),
        ({}, "no moment"),
    ],
)
def test_impossible_windows_are_usage_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        place_window(20.0, 8.0, **kwargs)
