"""Timed captions from .srt and .vtt files, moved from source time onto the output."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clipcraft.captions.word_timing import words_of
from clipcraft.errors import UsageError
from clipcraft.media.named import named_file

_TIMING = re.compile(
    r"^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})(\s.*)?$"
)
_TAG = re.compile(r"<[^>]+>")
_STAMP = re.compile(r"<((?:\d+:)?\d{2}:\d{2}\.\d{3})>")
"""A WebVTT inline timestamp: the time the words after it are spoken."""


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    marks: tuple[tuple[int, float], ...] = ()
    """Inline timestamps: (how many words come before it, seconds), in the cue's order."""


def read_subtitles(path: Path) -> list[Cue]:
    """The cues of an .srt or .vtt file, with errors that name the file and line."""
    if path.suffix.lower() not in (".srt", ".vtt"):
        raise UsageError(f"{path}: captions must be an .srt or .vtt file")
    try:
        text = named_file(path, "captions file").read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: is not UTF-8 text", "save the captions as UTF-8") from None
    return parse_subtitles(text, str(path))


def parse_subtitles(text: str, name: str = "captions") -> list[Cue]:
    """Cues from SRT or WebVTT text (pure). Cue numbers, styling tags and notes are ignored;
    WebVTT's inline timestamps are kept as the cue's marks."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cues: list[Cue] = []
    index = 1 if lines and lines[0].startswith("WEBVTT") else 0
    while index < len(lines):
        line = lines[index]
        timing = _TIMING.match(line)
        if not timing:
            if "-->" in line:
                raise UsageError(
                    f"{name}, line {index + 1}: cannot read the times {line.strip()!r}",
                    "write them as 00:00:01,500 --> 00:00:03,000",
                )
            index += 1
            continue
        start, end = _seconds(timing.group(1)), _seconds(timing.group(2))
        if end <= start:
            raise UsageError(f"{name}, line {index + 1}: the cue ends before it starts")
        body: list[str] = []
        marks: list[tuple[int, float]] = []
        index += 1
        while index < len(lines) and lines[index].strip():
            line = lines[index]
            for stamp in _STAMP.finditer(line):
                before = " ".join([*body, _TAG.sub("", line[: stamp.start()])])
                marks.append((len(words_of(before)), _seconds(stamp.group(1))))
            body.append(_TAG.sub("", line).strip())
            index += 1
        if body:
            cues.append(Cue(start, end, " ".join(body), tuple(marks)))
    if not cues:
        raise UsageError(f"{name}: has no timed captions", "is it an .srt or .vtt file?")
    return cues


def retime(cues: Sequence[Cue], window_start: float, window_end: float) -> list[Cue]:
    """Cues on the output: shifted by the window's start, dropped outside it, cut at its edges."""
    moved = []
    for cue in cues:
        start, end = max(cue.start, window_start), min(cue.end, window_end)
        if end > start:
            marks = tuple((word, round(at - window_start, 3)) for word, at in cue.marks)
            moved.append(
                Cue(round(start - window_start, 3), round(end - window_start, 3), cue.text, marks)
            )
    return moved


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    seconds = float(parts[-1])
    minutes = int(parts[-2])
    hours = int(parts[-3]) if len(parts) > 2 else 0
    return hours * 3600 + minutes * 60 + seconds
