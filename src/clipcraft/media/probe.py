"""What a media file is, read from the bundled ffmpeg's own description of it.

There is no ffprobe in the imageio-ffmpeg wheel, so we parse the stream summary that
`ffmpeg -i FILE` prints. The sizes we report are the sizes *as displayed*: a phone clip stored
sideways with a 90° display matrix is reported portrait, because ffmpeg turns its frames
upright when it decodes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import Literal

from PIL import Image, ImageOps, UnidentifiedImageError

from clipcraft.errors import MediaError, UsageError
from clipcraft.media.ffmpeg import decodable_codecs, ffmpeg_banner
from clipcraft.media.named import named_file

PHOTO_FORMATS = ("image2",)
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
MP4_BOXES = (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip")
HDR_TRANSFERS = ("arib-std-b67", "smpte2084")
EXIF_ORIENTATION = 0x0112
SIDEWAYS_ORIENTATIONS = (5, 6, 7, 8)
"""EXIF orientations that turn the picture a quarter: its upright width is its stored height."""

_STREAM = re.compile(r"^\s*Stream #\d+:(\d+)\S*: (Video|Audio|Data|Subtitle|Attachment): (.*)$")
_INPUT = re.compile(r"^Input #0, ([^,]+(?:,[^ ]+)*), from")
_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_ROTATION = re.compile(r"(?:Display Matrix|displaymatrix): rotation of (-?\d+(?:\.\d+)?) degrees")
_CODEC_TAG = re.compile(r"\((\S{4}) / 0x")
_SIZE = re.compile(r"^(\d+)x(\d+)")
_SAR = re.compile(r"\[SAR (\d+):(\d+) DAR")
_RATE = re.compile(r"^(\d+(?:\.\d+)?)(k?) (fps|tbr)$")


def round_even(value: float | Fraction) -> int:
    """The nearest even whole number of pixels, at least 2 (what yuv420p and crops need)."""
    return max(2, round(value / 2) * 2)


@dataclass(frozen=True)
class MediaInfo:
    """The facts about one input that the plan needs."""

    path: str
    kind: Literal["video", "photo"]
    duration: float
    width: int
    height: int
    rotation: int
    fps: float
    variable_fps: bool
    video_codec: str
    pixel_format: str
    hdr: bool
    has_audio: bool
    audio_codec: str | None
    unreadable_audio: bool
    sample_aspect: str = "1:1"
    """The shape of one stored pixel (width:height); width and height above already apply
    it, as players do, so that a circle is round."""

    @property
    def square_pixels(self) -> bool:
        return self.sample_aspect == "1:1"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def displayed_size(width: int, height: int, sample_aspect: Fraction) -> tuple[int, int]:
    """The size a player shows `width`×`height` pixels of `sample_aspect` at.

    The side that the pixel shape stretches grows, so no stored detail is thrown away.
    """
    if sample_aspect > 1:
        return round_even(width * sample_aspect), height
    if sample_aspect < 1:
        return width, round_even(height / sample_aspect)
    return width, height


def probe(path: str | Path) -> MediaInfo:
    """Describe `path`, or raise a one-line error saying what is wrong with it."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path}: is a folder, not a video", "use `clipcraft batch` for folders")
    if path.is_file() and path.stat().st_size == 0:
        raise MediaError(f"{path}: the file is empty (0 bytes)", "copy it from the phone again")
    named_file(path, "video or photo")  # missing, unreadable, or a pipe that would never end
    if path.suffix.lower() in PHOTO_SUFFIXES:
        return probe_photo(path)
    with path.open("rb") as stream:
        header = stream.read(12)
    banner = ffmpeg_banner(str(path))
    info = parse_banner(str(path), banner, looks_like_mp4=header[4:8] in MP4_BOXES)
    if info.pixel_format == "none":  # ffmpeg could not decode a single frame to look at
        if info.video_codec not in decodable_codecs():
            raise _undecodable(info.path, info.video_codec)
        raise MediaError(
            f"{path}: the video track has no frames that can be read",
            "the recording may have stopped at once; record or export it again",
        )
    return info


@contextmanager
def _opened_photo(path: Path) -> Iterator[Image.Image]:
    """The photo opened by Pillow (HEIC through pillow-heif); any failure is one clean line."""
    try:
        with path.open("rb") as stream:
            is_heif = stream.read(12)[4:8] == b"ftyp"  # by content: chats rename HEIC to .jpg
        if is_heif:
            from pillow_heif import register_heif_opener  # only HEIC/HEIF photos need it

            register_heif_opener()
        with Image.open(path) as image:
            yield image
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise MediaError(
            f"{path}: not a photo that can be read ({error})",
            "give a JPEG, PNG, WebP or HEIC photo",
        ) from None


def open_photo(path: Path) -> Image.Image:
    """A photo decoded and turned upright by its EXIF orientation."""
    with _opened_photo(path) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def probe_photo(path: Path) -> MediaInfo:
    """The photo's upright size from its header and EXIF, without decoding the pixels.

    A photo cut short past its header is caught when it is decoded for the render.
    """
    with _opened_photo(path) as image:
        width, height = image.size
        if image.getexif().get(EXIF_ORIENTATION, 1) in SIDEWAYS_ORIENTATIONS:
            width, height = height, width
    return MediaInfo(
        path=str(path),
        kind="photo",
        duration=0.0,
        width=width,
        height=height,
        rotation=0,
        fps=0.0,
        variable_fps=False,
        video_codec="photo",
        pixel_format="rgb24",
        hdr=False,
        has_audio=False,
        audio_codec=None,
        unreadable_audio=False,
    )


def audio_duration(path: Path) -> float:
    """Length in seconds of a sound file, or a one-line error if it has no readable sound."""
    banner = ffmpeg_banner(str(named_file(path, "sound file")))
    readable = [s for s in _streams(banner) if s.kind == "Audio" and not s.text.startswith("none")]
    duration = _duration(banner)
    if not readable or duration <= 0:
        raise MediaError(f"{path}: has no sound that can be read", "give a WAV, MP3, M4A, …")
    return duration


def parse_banner(path: str, banner: str, looks_like_mp4: bool = True) -> MediaInfo:
    """MediaInfo from the text of `ffmpeg -i` (pure, so it is tested without media).

    ffmpeg picks its reader by the file's extension, so a text file named `.mp4` also gets
    "moov atom not found"; only a file that starts like an MP4 is called corrupt.
    """
    if "moov atom not found" in banner and looks_like_mp4:
        raise MediaError(
            f"{path}: the file is incomplete or corrupt (its index, the moov atom, is missing)",
            "it may still be uploading or copying; export it from the phone again",
        )
    input_match = next(filter(None, map(_INPUT.match, banner.splitlines())), None)
    if input_match is None:
        raise MediaError(
            f"{path}: not a video or photo that can be read",
            "give a video (mp4, mov, …) or a photo (jpg, png, …)",
        )
    streams = _streams(banner)
    videos = [s for s in streams if s.kind == "Video" and "attached pic" not in s.text]
    audios = [s for s in streams if s.kind == "Audio"]
    if not videos:
        raise MediaError(
            f"{path}: has no video stream (audio only?)", "give a clip with a picture, or a photo"
        )
    video = videos[0]
    details = _split_top_level(video.text)
    codec = details[0].split()[0]
    if codec == "none":
        tag = _CODEC_TAG.search(details[0])
        raise _undecodable(path, tag.group(1) if tag else "unknown")
    pixel_format = details[1] if len(details) > 1 else ""
    width, height = _size(details, path)
    sample_aspect = _sample_aspect(details)
    width, height = displayed_size(width, height, sample_aspect)
    rates = _rates(details)
    fps = rates.get("fps") or rates.get("tbr") or 0.0
    tbr = rates.get("tbr", fps)
    rotation = round(-video.rotation) % 360
    if rotation in (90, 270):
        width, height = height, width
    kind: Literal["video", "photo"] = (
        "photo"
        if input_match.group(1) in PHOTO_FORMATS or input_match.group(1).endswith("_pipe")
        else "video"
    )
    duration = _duration(banner)
    if kind == "video" and duration <= 0:
        raise MediaError(f"{path}: the video has zero length", "record or export it again")
    readable_audio = [s for s in audios if not s.text.startswith("none")]
    return MediaInfo(
        path=path,
        kind=kind,
        duration=duration if kind == "video" else 0.0,
        width=width,
        height=height,
        rotation=rotation,
        fps=fps,
        variable_fps=kind == "video" and fps > 0 and abs(fps - tbr) / fps > 0.001,
        video_codec=codec,
        pixel_format=pixel_format.split("(")[0],
        hdr=any(transfer in pixel_format for transfer in HDR_TRANSFERS),
        has_audio=bool(readable_audio),
        audio_codec=readable_audio[0].text.split()[0].rstrip(",") if readable_audio else None,
        unreadable_audio=len(readable_audio) < len(audios),
        sample_aspect=f"{sample_aspect.numerator}:{sample_aspect.denominator}",
    )


def _undecodable(path: str, codec: str) -> MediaError:
    return MediaError(
        f"{path}: its video is in a format clipcraft cannot decode ({codec})",
        "export or convert it to H.264 or HEVC and try again",
    )


@dataclass(frozen=True)
class _Stream:
    kind: str
    text: str
    rotation: float


def _streams(banner: str) -> list[_Stream]:
    """Each stream line with the display-matrix rotation printed in its block, if any."""
    streams: list[_Stream] = []
    for line in banner.splitlines():
        match = _STREAM.match(line)
        if match:
            streams.append(_Stream(match.group(2), match.group(3).strip(), 0.0))
            continue
        rotation = _ROTATION.search(line)
        if rotation and streams:
            last = streams[-1]
            streams[-1] = _Stream(last.kind, last.text, float(rotation.group(1)))
    return streams


def _split_top_level(text: str) -> list[str]:
    """Split a stream description on the commas that are not inside parentheses."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts


def _size(details: list[str], path: str) -> tuple[int, int]:
    for item in details:
        match = _SIZE.match(item)
        if match and int(match.group(1)) > 0 and int(match.group(2)) > 0:
            return int(match.group(1)), int(match.group(2))
    raise MediaError(f"{path}: the video stream has no picture size", "the file may be damaged")


def _sample_aspect(details: list[str]) -> Fraction:
    """The stored pixels' shape, 1 when square or unknown (`SAR 0:1`)."""
    for item in details:
        match = _SAR.search(item)
        if match and int(match.group(1)) > 0 and int(match.group(2)) > 0:
            return Fraction(int(match.group(1)), int(match.group(2)))
    return Fraction(1)


def _rates(details: list[str]) -> dict[str, float]:
    rates = {}
    for item in details:
        match = _RATE.match(item)
        if match:
            rates[match.group(3)] = float(match.group(1)) * (1000 if match.group(2) else 1)
    return rates


def _duration(banner: str) -> float:
    match = _DURATION.search(banner)
    if not match:
        return 0.0
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def photo_exif(path: Path) -> Image.Exif:
    """A photo's EXIF tags (JPEG, HEIC, …) without decoding its pixels."""
    with _opened_photo(path) as image:
        return image.getexif()
