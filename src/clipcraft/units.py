"""Small parsers for the values users type, with errors that say what to type instead."""

from __future__ import annotations

import math
import re

from clipcraft.errors import UsageError

_CLOCK = re.compile(r"^(?:(\d+):)?(\d+):(\d+(?:\.\d*)?)$")


def parse_time(text: str) -> float:
    """Seconds from `7.5`, `0:07.5` or `1:02:07.5`; never negative."""
    raw = text.strip()
    clock = _CLOCK.match(raw)
    if clock:
        hours, minutes, seconds = clock.groups()
        if float(seconds) >= 60:
            raise UsageError(f"invalid time {text!r}: seconds must be below 60 in M:SS")
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(
            f"invalid time {text!r}", "use seconds (7.5) or minutes:seconds (0:07.5)"
        ) from None
    if not math.isfinite(value) or value < 0:
        raise UsageError(f"invalid time {text!r}: it must be a number of seconds ≥ 0")
    return value


def format_time(seconds: float) -> str:
    """`M:SS.ss`, the way times are shown back to users."""
    minutes, rest = divmod(max(seconds, 0.0), 60)
    return f"{int(minutes)}:{rest:05.2f}"


def round_even(value: float) -> int:
    """The nearest even whole number of pixels, at least 2 (what yuv420p and crops need)."""
    return max(2, round(value / 2) * 2)
