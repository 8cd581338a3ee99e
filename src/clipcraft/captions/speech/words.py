"""What every speech engine listens to and what it gives back."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SPEECH_RATE = 16000
"""Mono samples a second, as every engine takes them."""


@dataclass(frozen=True)
class SpokenWord:
    """A word as said, from `start` to `end` seconds into the sound it was heard in."""

    text: str
    start: float
    end: float


def said_within(words: Iterable[SpokenWord], start: float, end: float) -> list[SpokenWord]:
    """The words said from `start` to `end`: those whose middle lies there (a word the span's
    edge cuts counts on the side where most of it is), blanks left out."""
    return [
        word for word in words if word.text.strip() and start <= (word.start + word.end) / 2 <= end
    ]
