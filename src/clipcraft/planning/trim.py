"""Choosing the window of source footage that becomes the fail part."""

from __future__ import annotations

from dataclasses import dataclass

from clipcraft.errors import UsageError
from clipcraft.settings.units import format_time

LEAD_IN = 0.4
"""Share of the window before the moment: enough build-up to see the mishap coming."""


@dataclass(frozen=True)
class Window:
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Placement:
    window: Window
    warnings: tuple[str, ...] = ()


def place_window(
    footage: float,
    length: float,
    *,
    at: float | None = None,
    start: float | None = None,
    end: float | None = None,
) -> Placement:
    """The window on a source of `footage` seconds.

    Explicit `start`/`end` win over `at`; with only one of them the other follows from
    `length`. A moment places the window with a lead-in and slides it to stay inside the
    footage. Footage shorter than the window is used whole.
    """
    if start is not None or end is not None:
        return _explicit(footage, length, start, end)
    if at is None:
        raise UsageError("no moment to trim around", "give --at TIME or --start/--end")
    if at > footage:
        raise UsageError(
            f"--at {format_time(at)} is after the end of the footage ({format_time(footage)})"
        )
    if length > footage:
        return Placement(Window(0.0, footage), (_shorter(footage, length),))
    first = min(max(at - LEAD_IN * length, 0.0), footage - length)
    return Placement(Window(first, first + length))


def _explicit(footage: float, length: float, start: float | None, end: float | None) -> Placement:
    if start is not None and end is not None and end <= start:
        raise UsageError(
            f"--end {format_time(end)} is not after --start {format_time(start)}",
            "the end must come later than the start",
        )
    first = start if start is not None else max(end - length, 0.0)  # type: ignore[operator]
    last = end if end is not None else first + length
    if first >= footage:
        raise UsageError(
            f"the window {format_time(first)}–{format_time(last)} is outside the footage,"
            f" which is {format_time(footage)} long"
        )
    if last <= footage:
        return Placement(Window(first, last))
    if start is not None and end is not None:
        warning = (
            f"--end {format_time(end)} is past the end of the footage: "
            f"using {format_time(first)}–{format_time(footage)}"
        )
    elif first == 0.0:
        warning = _shorter(footage, length)
    else:
        warning = f"the window runs past the end of the footage: it stops at {format_time(footage)}"
    return Placement(Window(first, footage), (warning,))


def _shorter(footage: float, length: float) -> str:
    return (
        f"the footage ({footage:.1f} s) is shorter than the {length:.1f} s window:"
        " all of it is used"
    )
