"""When a photo or video was taken, read from the file itself.

In order of trust:

1. **Metadata.** A video's `com.apple.quicktime.creationdate` (an iPhone's local time with
   its offset: the moment recording started), else its QuickTime/MP4 `creation_time` (UTC;
   on an iPhone it is when the file was finished, seconds after the start). A photo's EXIF
   DateTimeOriginal with OffsetTimeOriginal (then DateTimeDigitized, then DateTime), JPEG or
   HEIC. EXIF without an offset is the camera's wall clock, its zone unknown.
2. **The name** phones give: Pixel `PXL_20261128_183012345` (UTC), Samsung
   `20261128_183012`, older Android `IMG_20261128_183012` / `VID_…` (both local).
3. **The file's modification time** (copying from a phone often resets it: the last resort).

A time whose zone is unknown stays naive here; `settle_zones` places it in the roll's own
zone (the offset most of the roll's files state) or, when none states one, this machine's.
The video metadata comes from the bundled ffmpeg's `ffmpeg -i` text, as `probe` reads it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, Literal

from clipcraft.errors import ClipcraftError

Source = Literal["metadata", "name", "mtime"]

EARLIEST = datetime(2000, 1, 1)
"""Before this a stamp is an unset clock (QuickTime's 1904 or Unix's 1970 zero), not a shot."""

_EXIF_IFD = 0x8769
_EXIF_FIELDS = (  # (date and time, its offset, where it is) in order of preference
    (0x9003, 0x9011, "EXIF DateTimeOriginal"),
    (0x9004, 0x9012, "EXIF DateTimeDigitized"),
    (0x0132, 0x9010, "EXIF DateTime"),
)
_OFFSET = re.compile(r"^[+-]\d{2}:\d{2}$")
_METADATA_LINE = re.compile(r"^\s{4}(\S[^:]*?)\s*: (.*)$")
_VIDEO_KEYS = (
    ("com.apple.quicktime.creationdate", "QuickTime creationdate"),
    ("creation_time", "creation_time"),
)
_NAMES = (  # (pattern, its zone: UTC or None for local, what it is)
    (re.compile(r"^PXL_(\d{8})_(\d{6})(\d{0,3})"), UTC, "Pixel name (UTC)"),
    (re.compile(r"^(?:IMG|VID)_(\d{8})_(\d{6})"), None, "Android name"),
    (re.compile(r"^(\d{8})_(\d{6})"), None, "Samsung name"),
)


@dataclass(frozen=True)
class CaptureTime:
    """When a file was taken and how we know. `when` is naive when its zone is unknown."""

    when: datetime
    source: Source
    detail: str

    @property
    def zoned(self) -> bool:
        return self.when.tzinfo is not None

    @property
    def local_offset(self) -> bool:
        """Whether the time states the camera's own zone (not UTC by convention)."""
        return self.zoned and self.source == "metadata" and self.detail != "creation_time"

    def to_dict(self) -> dict[str, str]:
        return {"when": self.when.isoformat(), "source": self.source, "detail": self.detail}

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> CaptureTime:
        source: Source = data["source"]  # type: ignore[assignment]
        return cls(datetime.fromisoformat(data["when"]), source, data["detail"])


def capture_time(path: Path, kind: Literal["video", "photo"]) -> CaptureTime:
    """When `path` was taken: its metadata, else its name, else its modification time."""
    try:
        found = _photo_time(path) if kind == "photo" else _video_time(path)
    except (ClipcraftError, OSError):
        found = None  # unreadable: the batch reports the file when it makes it
    return found or from_name(path.name) or from_mtime(path)


def _video_time(path: Path) -> CaptureTime | None:
    from clipcraft.media.ffmpeg import ffmpeg_banner

    return from_banner(ffmpeg_banner(str(path)))


def _photo_time(path: Path) -> CaptureTime | None:
    from clipcraft.media.probe import photo_exif

    exif = photo_exif(path)
    return from_exif({**dict(exif), **dict(exif.get_ifd(_EXIF_IFD))})


def from_banner(banner: str) -> CaptureTime | None:
    """The capture time in the container's metadata, from the text `ffmpeg -i` prints."""
    container: dict[str, str] = {}
    lines = iter(banner.splitlines())
    for line in lines:  # up to the input's header; its metadata block follows it
        if line.startswith("Input #0"):
            break
    if next(lines, "").strip() == "Metadata:":
        for line in lines:
            match = _METADATA_LINE.match(line)
            if not match:  # the block ends where Duration or a stream starts
                break
            container.setdefault(match.group(1), match.group(2).strip())
    for key, detail in _VIDEO_KEYS:
        when = parse_stamp(container.get(key, ""))
        if when is not None:
            return CaptureTime(when, "metadata", detail)
    return None


def from_exif(tags: Mapping[int, Any]) -> CaptureTime | None:
    """The capture time in a photo's EXIF tags (IFD0 and the Exif IFD merged)."""
    for stamp_tag, offset_tag, detail in _EXIF_FIELDS:
        stamp = tags.get(stamp_tag)
        if not isinstance(stamp, str):
            continue
        offset = tags.get(offset_tag)
        offset = offset.strip() if isinstance(offset, str) else ""
        text = stamp.strip().replace(":", "-", 2)
        when = parse_stamp(text + (offset if _OFFSET.match(offset) else ""))
        if when is not None:
            return CaptureTime(when, "metadata", detail)
    return None


def from_name(name: str) -> CaptureTime | None:
    """The capture time a phone wrote into the file's name, if it follows a known pattern."""
    for pattern, zone, detail in _NAMES:
        match = pattern.match(name)
        if not match:
            continue
        digits = match.group(1) + match.group(2)
        try:
            when = datetime.strptime(digits, "%Y%m%d%H%M%S")
        except ValueError:
            continue
        if len(match.groups()) > 2 and match.group(3):
            when += timedelta(milliseconds=int(match.group(3).ljust(3, "0")))
        if when >= EARLIEST:
            return CaptureTime(when.replace(tzinfo=zone), "name", detail)
    return None


def from_mtime(path: Path) -> CaptureTime:
    stamp = path.stat().st_mtime
    return CaptureTime(datetime.fromtimestamp(stamp, UTC), "mtime", "modification time")


def parse_stamp(text: str) -> datetime | None:
    """An ISO 8601 date and time (offset optional: `+0100`, `+01:00`, `Z`), or None."""
    text = text.strip()
    if not text:
        return None
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)  # Apple writes +0100
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.replace(tzinfo=None) >= EARLIEST else None


def roll_zone(times: Mapping[str, CaptureTime]) -> tzinfo | None:
    """The zone most of the roll's stated offsets agree on (a camera roll is one trip)."""
    offsets = Counter(
        time.when.utcoffset() or timedelta(0) for time in times.values() if time.local_offset
    )
    if not offsets:
        return None
    return timezone(offsets.most_common(1)[0][0])


def settle_zones(
    times: Mapping[str, CaptureTime], local: tzinfo | None = None
) -> dict[str, datetime]:
    """Every time made comparable: a naive one is placed in the roll's zone, else `local`,
    else this machine's zone on that date."""
    zone = roll_zone(times) or local
    settled = {}
    for name, time in times.items():
        when = time.when
        if when.tzinfo is None:
            when = when.replace(tzinfo=zone) if zone is not None else when.astimezone()
        settled[name] = when
    return settled
