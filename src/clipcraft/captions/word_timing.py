"""A caption's words and when each shows (pure): for `--caption-anim words` and `karaoke`.

The words are what a line may break between — words at spaces, and each character of Chinese
and Japanese — so the caption laid out whole is revealed or highlighted in the same units.
A word's time is spread over the caption's span in proportion to its length, after a short
lead-in and with the last word held; or, for a WebVTT cue, taken from the inline timestamps
(`<00:00:02.500>`) the cue carries, which are exact.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

LEAD_IN = 0.12
"""Seconds before the first word: the caption arrives, then the words start."""
HOLD_SHARE = 0.25
"""The share of the caption's time the last word is held, so the whole can be read."""
MIN_WEIGHT = 2
"""A one-character word (an emoji, "a") still takes a moment."""

_NO_BREAK_BEFORE = frozenset(
    "、。，．,.！？!?：；:;」』）〉》】〕ー…ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
_NO_BREAK_AFTER = frozenset("「『（〈《【〔")


def _spaceless(char: str) -> bool:
    """Han, kana and CJK punctuation: scripts written without spaces between words."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    )


def wrap_units(text: str) -> list[str]:
    """What a line may break between: words, each after the first with its leading space,
    and in Chinese and Japanese each character (not before closing punctuation or small
    kana, not after opening brackets)."""
    units: list[str] = []
    for index, word in enumerate(text.split(" ")):
        current = " " if index else ""
        for position, char in enumerate(word):
            current += char
            following = word[position + 1] if position + 1 < len(word) else ""
            if (
                following
                and (_spaceless(char) or _spaceless(following))
                and following not in _NO_BREAK_BEFORE
                and char not in _NO_BREAK_AFTER
            ):
                units.append(current)
                current = ""
        units.append(current)
    return units


def words_of(text: str) -> list[str]:
    """The words of a caption's text, in reading order."""
    return [unit.strip() for unit in wrap_units(" ".join(text.split())) if unit.strip()]


def spread(words: Sequence[str], first: int, last: int, fps: int) -> list[tuple[int, int]]:
    """Each word's [start, end) frames within [first, last): in proportion to its length,
    after the lead-in, the last word held to the end."""
    frames = last - first
    lead = min(round(LEAD_IN * fps), frames // 4)
    hold = round((frames - lead) * HOLD_SHARE) if len(words) > 1 else 0
    weights = [max(len(word), MIN_WEIGHT) for word in words]
    total = sum(weights[:-1]) or 1
    room = frames - lead - hold
    starts = [first]
    done = 0
    for weight in weights[:-1]:
        done += weight
        starts.append(first + lead + round(room * done / total))
    return _spans(starts, last)


def from_marks(
    count: int, first: int, last: int, marks: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Each of `count` words' [start, end) frames from inline timestamps: (index of the word
    a timestamp comes before, its frame). Words between two timestamps share that time
    evenly; words before the first start with the caption."""
    edges = [(0, first)]
    for index, frame in sorted(marks):
        frame = min(max(frame, first), last - 1)
        if index == 0:
            edges[0] = (0, frame)
        elif index < count and index > edges[-1][0]:
            edges.append((index, frame))
    edges.append((count, last))
    starts: list[int] = []
    for (begin, start), (end, stop) in itertools.pairwise(edges):
        starts += [start + max(stop - start, 0) * k // (end - begin) for k in range(end - begin)]
    return _spans(starts, last)


def _spans(starts: list[int], last: int) -> list[tuple[int, int]]:
    """[start, end) of each word: it lasts until the next one starts; never running back."""
    for index in range(1, len(starts)):
        starts[index] = min(max(starts[index], starts[index - 1]), last - 1)
    ends = [*starts[1:], last]
    return list(zip(starts, ends, strict=True))
