"""What every speech engine listens to and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass

SPEECH_RATE = 16000
"""Mono samples a second, as every engine takes them."""


@dataclass(frozen=True)
class SpokenWord:
    """A word as said, from `start` to `end` seconds into the sound it was heard in."""

    text: str
    start: float
    end: float
