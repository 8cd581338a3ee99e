"""Which files of a folder become clips, and which are each clip's afters.

By name: `NAME.after.EXT` (also `NAME_after`, `NAME-after`) is the after of `NAME`. By
capture time, a video is a fail and tells its story: every video and photo taken within the
window after it is one of its afters, in capture order (the recovery, then the dish); the
first video taken past the window is the next fail, and a photo taken after no fail is a
clip of its own. `auto` pairs by name first, then by time for the videos still without an
after; a file that has an after or a recipe of its own is a clip, never another clip's after
(a video so is a fail, and ends the story before it). `NAME.toml` beside a clip is that
clip's own recipe in every mode.

`discover` and `pair_by_time` are pure (names and times in, pairs out); `find_jobs` reads the
capture times they need, and only when a pairing by time can happen.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Literal

from clipcraft.batch.capture_times import CaptureTime, capture_time, roll_zone, settle_zones
from clipcraft.media.outputs import CLIP_SUFFIX

VIDEO_SUFFIXES = (".mov", ".mp4", ".m4v", ".3gp", ".mkv", ".webm")
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".webp")
AFTER = re.compile(r"^(?P<name>.+?)(?:\.after|_after|-after)$", re.IGNORECASE)
PAIR_BY = ("auto", "name", "time")
PASSED_OVER = "a photo taken after a fail that has its after by name (pairing by time)"

PairBy = Literal["auto", "name", "time"]
Kind = Literal["video", "photo"]


@dataclass(frozen=True)
class Pairing:
    """How a batch pairs clips with afters: `by` which rule, within which `window`."""

    by: PairBy = "auto"
    window: timedelta = timedelta(minutes=30)


@dataclass(frozen=True)
class Job:
    name: str
    source: Path
    afters: tuple[Path, ...]
    sidecar: Path | None
    paired_by: Literal["name", "time"] | None = None

    @property
    def output_name(self) -> str:
        return f"{self.name}{CLIP_SUFFIX}"


@dataclass(frozen=True)
class Shot:
    """One file of the roll at its capture time (zone settled). It is `free` to be an after
    unless it has an after or a recipe of its own; a video `collects` its afters by time
    unless it has them by name."""

    name: str
    kind: Kind
    when: datetime
    free: bool = True
    collects: bool = True


@dataclass
class Roll:
    """The jobs of a folder, what was left out and why, and the capture times that were read
    (by file name)."""

    jobs: list[Job]
    notes: dict[str, list[str]]
    times: dict[str, CaptureTime] = field(default_factory=dict)
    settled: dict[str, datetime] = field(default_factory=dict)
    zone: tzinfo | None = None
    """The zone the roll's own offsets agree on, if any."""


def kind_of(name: str) -> Kind | None:
    suffix = os.path.splitext(name)[1].lower()
    if suffix in VIDEO_SUFFIXES:
        return "video"
    return "photo" if suffix in PHOTO_SUFFIXES else None


def discover(
    names: Iterable[str], *, by_name: bool = True
) -> tuple[list[Job], list[str], dict[str, list[str]]]:
    """Jobs from a folder's file names (pure): pairs by name (unless `by_name` is off),
    sidecars, what was left out and why."""
    media, sidecars, ignored = {}, {}, []
    afters: dict[str, str] = {}
    for name in sorted(names):
        stem, suffix = os.path.splitext(name)
        if name.startswith("."):
            continue
        if suffix.lower() == ".toml":
            sidecars[stem] = name
        elif kind_of(name):
            match = AFTER.match(stem) if by_name else None
            if match:
                afters[match.group("name")] = name
            else:
                media[stem] = name
        else:
            ignored.append(name)
    notes: dict[str, list[str]] = {}
    for base, name in afters.items():
        if base not in media:
            notes.setdefault("an after with no clip of its name", []).append(name)
    for base, name in sidecars.items():
        if base not in media:
            notes.setdefault("a recipe with no clip of its name", []).append(name)
    if ignored:
        notes["not a video or photo"] = ignored
    jobs = [
        Job(
            stem,
            Path(name),
            (Path(afters[stem]),) if stem in afters else (),
            Path(sidecars[stem]) if stem in sidecars else None,
            "name" if stem in afters else None,
        )
        for stem, name in media.items()
    ]
    return jobs, ignored, notes


def pair_by_time(
    shots: Sequence[Shot], window: timedelta
) -> tuple[dict[str, list[str]], list[str]]:
    """Each fail's afters (video name → names in capture order), and the photos passed over:
    taken in the window of a fail that has its after by name already (pure)."""
    afters: dict[str, list[str]] = {}
    passed: list[str] = []
    fail: Shot | None = None
    for shot in sorted(shots, key=lambda s: (s.when, s.kind != "video", s.name)):
        inside = fail is not None and fail.when < shot.when <= fail.when + window
        if fail is not None and inside and shot.free and (fail.collects or shot.kind == "photo"):
            if fail.collects:
                afters.setdefault(fail.name, []).append(shot.name)
            else:
                passed.append(shot.name)
        elif shot.kind == "video":
            fail = shot
    return afters, sorted(passed)


def pair_jobs(
    jobs: list[Job],
    settled: Mapping[str, datetime],
    window: timedelta,
    guessed: Collection[str] = (),
) -> tuple[list[Job], list[str]]:
    """The jobs with afters paired by capture time (pure): each fail without an after takes
    what was taken in its window; the files so used, or passed over, stop being clips. A
    video whose time is `guessed` (its file's modification time: files copied together share
    one) is never an after: two fails copied from a phone are two clips."""
    shots = [
        Shot(
            str(job.source),
            kind,
            settled[str(job.source)],
            free=not job.afters
            and job.sidecar is None
            and (kind == "photo" or str(job.source) not in guessed),
            collects=not job.afters,
        )
        for job in jobs
        if (kind := kind_of(job.source.name)) and str(job.source) in settled
    ]
    afters, passed = pair_by_time(shots, window)
    used = set(passed) | {name for names in afters.values() for name in names}
    paired = [
        replace(job, afters=tuple(Path(name) for name in afters[str(job.source)]), paired_by="time")
        if str(job.source) in afters
        else job
        for job in jobs
        if str(job.source) not in used
    ]
    return paired, passed


def time_candidates(jobs: list[Job]) -> list[Job]:
    """The jobs whose capture times a pairing by time needs: none unless a video lacks an
    after and another file could be one."""
    videos = [job for job in jobs if kind_of(job.source.name) == "video"]
    photos = [
        job
        for job in jobs
        if kind_of(job.source.name) == "photo" and not job.afters and job.sidecar is None
    ]
    if all(job.afters for job in videos) or len(photos) + len(videos) < 2:
        return []
    return videos + photos


def find_jobs(
    folder: Path, pairing: Pairing, cache: dict[str, Any], local: tzinfo | None = None
) -> Roll:
    """The folder's jobs, paired as `pairing` says, reading capture times only if needed
    (`cache` keeps them by file size and modification time)."""
    names = [path.name for path in folder.iterdir() if path.is_file()]
    jobs, _, notes = discover(names, by_name=pairing.by != "time")
    if pairing.by == "name":
        return Roll(jobs, notes)
    times = {
        str(job.source): cached_capture_time(folder / job.source, cache)
        for job in time_candidates(jobs)
    }
    settled = settle_zones(times, local)
    guessed = {name for name, taken in times.items() if taken.source == "mtime"}
    jobs, passed = pair_jobs(jobs, settled, pairing.window, guessed)
    if passed:
        notes[PASSED_OVER] = passed
    return Roll(jobs, notes, times, settled, roll_zone(times))


def cached_capture_time(path: Path, cache: dict[str, Any]) -> CaptureTime:
    """The file's capture time, reused while its size and modification time are unchanged."""
    stat = path.stat()
    stamp = [stat.st_size, stat.st_mtime_ns]
    known = cache.get(f"taken:{path}")
    if known and known["stamp"] == stamp:
        return CaptureTime.from_dict(known["taken"])
    kind = kind_of(path.name)
    assert kind is not None
    found = capture_time(path, kind)
    cache[f"taken:{path}"] = {"stamp": stamp, "taken": found.to_dict()}
    return found
