"""Words heard → timed captions and the WebVTT a creator can edit (pure).

Words are grouped into captions a viewer can read at a glance: a new one after a pause, at
most MOST_WORDS words and MOST_SECONDS long. Each word keeps its time as a WebVTT inline
timestamp, so an edited transcript renders with the words timed as they were said.
"""

from __future__ import annotations

from collections.abc import Sequence

from clipcraft.captions.speech.words import SpokenWord
from clipcraft.captions.subtitles import Cue

MOST_WORDS = 5
MOST_SECONDS = 2.5
PAUSE = 0.6
"""Seconds of silence between words that end a caption."""
TAIL = 0.4
"""A caption stays this long after its last word ends (unless the next one starts)."""


def group_words(words: Sequence[SpokenWord], offset: float = 0.0) -> list[Cue]:
    """Captions of the words, timed `offset` seconds later (the window's start on the
    source), each word after the first marked with its time."""
    groups: list[list[SpokenWord]] = []
    for word in words:
        last = groups[-1] if groups else None
        if (
            last is None
            or word.start - last[-1].end > PAUSE
            or len(last) >= MOST_WORDS
            or word.end - last[0].start > MOST_SECONDS
        ):
            groups.append([word])
        else:
            last.append(word)
    cues = []
    for index, group in enumerate(groups):
        following = groups[index + 1][0].start if index + 1 < len(groups) else None
        end = group[-1].end + TAIL
        if following is not None:
            end = min(end, following)
        cues.append(
            Cue(
                round(group[0].start + offset, 3),
                round(end + offset, 3),
                " ".join(word.text for word in group),
                tuple(
                    (count, round(word.start + offset, 3))
                    for count, word in enumerate(group)
                    if count
                ),
            )
        )
    return cues


def to_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT with an inline timestamp before each word after a cue's first."""
    blocks = ["WEBVTT"]
    for cue in cues:
        words = cue.text.split(" ")
        marks = dict(cue.marks)
        line = " ".join(
            f"<{_stamp(marks[count])}>{word}" if count in marks else word
            for count, word in enumerate(words)
        )
        blocks.append(f"{_stamp(cue.start)} --> {_stamp(cue.end)}\n{line}")
    return "\n\n".join(blocks) + "\n"


def _stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"
